"""The knowledge base as a whole: cross-file checks, indexes, the privacy guard and the completeness check."""

from __future__ import annotations

import pytest
from test_entries import VOCABULARY

from casebook.core.kinds import DEFAULT_KINDS
from casebook.core.knowledge import Broken, Settings, build_knowledge_base
from casebook.core.lookalikes import foreign_letters, lookalike_key
from casebook.core.model import DEFAULT_TAXONOMIES
from casebook.core.privacy import DEFAULT_ALLOWLIST, find_contact_data, personal_data
from casebook.core.sources import parse_source
from casebook.site.completeness import check_completeness
from casebook.site.urls import Layout

SETTINGS = Settings(DEFAULT_TAXONOMIES, similar_count=3, similar_min_score=0.0)


def organisation(slug: str, name: str, groups: str = "Senior*innen", software: str = "CiviCRM", extra: str = "", body: str = ""):
    text = f"---\nname: {name}\nsummary: S\ntarget_groups: [{groups}]\nsoftware: [{software}]\nregion: Berlin\n{extra}---\n{body}"
    return parse_source(f"docs/organisations/{slug}.md", text.encode())


def case(slug: str, title: str, organisations: str, groups: str = "Senior*innen", extra: str = ""):
    text = f"---\ntitle: {title}\nsummary: S\norganisations: [{organisations}]\ntarget_groups: [{groups}]\n{extra}---\n"
    return parse_source(f"cases/{slug}.md", text.encode())


def knowledge(organisations, cases=(), settings: Settings = SETTINGS):
    return build_knowledge_base({"organisation": organisations, "case": cases}, VOCABULARY, settings)


def test_indexes_backlinks_and_cooccurrence() -> None:
    kb = knowledge(
        [organisation("a", "A"), organisation("b", "B", "Senior*innen, Kinder und Jugendliche"), organisation("c", "C", "Kinder und Jugendliche", "Excel")],
        [case("f", "F", "a, b")])
    assert kb.organisations_by_term[("target_groups", "senior-innen")] == ["a", "b"]
    assert kb.by_term["case"][("target_groups", "senior-innen")] == ["f"]
    assert kb.backlinks == {("organisation", "a"): {"case": ["f"]}, ("organisation", "b"): {"case": ["f"]}}
    together = kb.cooccurring(("target_groups", "senior-innen"))
    assert [(t.label, n) for t, n in together["software"]] == [("CiviCRM", 2)]
    assert "target_groups" not in together  # the term's own taxonomy is left out
    assert [(t.label, n) for t, n in together["region"]] == [("Berlin", 2)]
    assert list(kb.terms["software"]) == ["civicrm", "excel"]  # vocabulary terms and used ones, by label
    assert kb.terms["target_groups"]["senior-innen"].description == "Ältere Menschen."


def test_similar_organisations_exclude_themselves_and_the_case_partners() -> None:
    kb = knowledge([organisation("a", "A"), organisation("b", "B"), organisation("c", "C", "Kinder und Jugendliche", "Excel")],
                   [case("f", "F", "a")])
    assert next(m.key for m in kb.similar[("organisation", "a")]) == "b"
    assert "a" not in [m.key for m in kb.similar[("organisation", "a")]]
    assert "a" not in [m.key for m in kb.similar[("case", "f")]]


def test_duplicate_names_are_errors_on_the_later_file() -> None:
    kb = knowledge([organisation("a", "Alpha e. V."), organisation("b", "alpha e.V.")])
    assert list(kb.organisations) == ["a"]
    assert [(b.path, [p.message for p in b.problems]) for b in kb.broken] == [
        ("docs/organisations/b.md", ["Den Namen 'alpha e.V.' trägt schon docs/organisations/a.md."])]


def test_names_without_latin_letters_do_not_collide() -> None:
    kb = knowledge([organisation("a", "Допомога"), organisation("b", "Підтримка")])
    assert list(kb.organisations) == ["a", "b"] and kb.problems == []


def test_lookalike_names_are_reported_as_suspected_duplicates() -> None:
    cyrillic = "\u0410lph\u0430 e. V."  # Cyrillic А and а
    kb = knowledge([organisation("a", "Alpha e. V."), organisation("b", cyrillic)])
    assert list(kb.organisations) == ["a", "b"]  # a warning: kept, but --strict fails
    [problem] = kb.problems
    assert (problem.path, problem.severity, problem.field, problem.line) == ("docs/organisations/b.md", "warning", "name", 2)
    assert "sieht aus wie 'Alpha e. V.'" in problem.message and "(а)" in problem.message
    assert foreign_letters(cyrillic) == ["а"]
    assert lookalike_key("Αlpha") == lookalike_key("alpha")  # Greek capital alpha
    assert lookalike_key("Допомога") == ""


def test_a_misnamed_file_never_takes_the_page_of_a_valid_one() -> None:
    kb = knowledge([organisation("Alpha", "Alpha Kopie"), organisation("alpha", "Alpha")])
    assert list(kb.organisations) == ["alpha"]
    assert [(b.slug, b.path) for b in kb.broken] == [("Alpha", "docs/organisations/Alpha.md")]
    assert "Die Adresse 'alpha' hat schon docs/organisations/alpha.md." in [p.message for p in kb.broken[0].problems]


def test_unknown_organisation_references_are_errors_with_suggestion_and_left_out() -> None:
    kb = knowledge([organisation("alpha-verein", "A")], [case("f", "F", "alpha-verien, alpha-verein")])
    assert kb.entries["case"]["f"].named("organisations") == ("alpha-verein",)
    [problem] = kb.problems
    assert (problem.severity, problem.line, problem.field, problem.hint) == ("error", 4, "organisations", "Meintet ihr 'alpha-verein'?")


@pytest.mark.parametrize(("text", "found"), [
    ("Schreibt an anna.schmidt@example.org.", [("E-Mail-Adresse", "anna.schmidt@example.org")]),
    ("Ruft an: 030 1234567", [("Telefonnummer", "030 1234567")]),
    ("Mobil +49 170 1234567", [("Telefonnummer", "+49 170 1234567")]),
    ("Tel. (030) 123 456 78", [("Telefonnummer", "(030) 123 456 78")]),
    ("0170-1234567", [("Telefonnummer", "0170-1234567")]),
    ("Seit 2019 rund 3000 Beratungen, 12.345 Euro, 10115 Berlin, am 01.02.2025, 2025-01-31", []),
    ("ISBN 978-3-16-148410-0", []),
])
def test_contact_data_is_recognised(text: str, found: list) -> None:
    assert list(find_contact_data(text)) == found


def test_privacy_guard_reports_body_and_fields_with_lines_and_a_persons_contact_as_error() -> None:
    source = organisation("a", "A", extra="contact: anna.schmidt@example.org\nseeking: Anruf bei Anna 0170 1234567\n",
                          body="Intro\n\nMail an info@example.org oder max.muster@example.org\n")
    problems = personal_data(source)
    assert [(p.line, p.field, p.severity) for p in problems] == [(7, "contact", "error"), (8, "seeking", "warning"), (12, None, "warning")]
    assert "'anna.schmidt@example.org'" in problems[0].message and "'max.muster@example.org'" in problems[2].message
    assert problems[0].hint and problems[0].hint.startswith("Persönliche Kontaktdaten gehören nicht in die Wissensbasis")
    assert personal_data(source, [*DEFAULT_ALLOWLIST, r"@example\.org$", r"^0170 "]) == []


def test_privacy_guard_runs_for_every_file_even_broken_ones() -> None:
    kb = knowledge([organisation("a", "A", extra="summary: Mail an max.muster@example.org\n")])
    assert {p.message for p in kb.problems} >= {"Das Feld steht zweimal im Kopfbereich; nur der letzte Wert würde gelten.",
                                                "Hier steht vermutlich eine persönliche E-Mail-Adresse ('max.muster@example.org')."}


def rendered_for(kb, layout: Layout) -> dict[str, set[str]]:
    """What a complete build renders: every entry page, and on each term page links to its entries."""
    rendered: dict[str, set[str]] = {layout.entry(b.kind, b.slug): set() for b in kb.broken}
    for entry in [*kb.organisations.values(), *kb.entries["case"].values()]:
        rendered.setdefault(layout.entry(entry.kind, entry.slug), set())
        for taxonomy in kb.taxonomies:
            for term in entry.terms[taxonomy.key]:
                rendered.setdefault(layout.term(taxonomy, term.slug), set()).add(layout.entry(entry.kind, entry.slug))
    return rendered


def test_completeness_accepts_a_complete_build() -> None:
    kb = knowledge([organisation("a", "A"), parse_source("docs/organisations/b.md", b"")], [case("f", "F", "a")])
    layout = Layout.of(DEFAULT_KINDS)
    paths = ["docs/organisations/a.md", "docs/organisations/b.md", "cases/f.md"]
    assert check_completeness(kb, layout, paths, rendered_for(kb, layout)) == []


def test_completeness_finds_lost_files_pages_and_term_links() -> None:
    kb = knowledge([organisation("a", "A"), organisation("b", "B")])
    layout = Layout.of(DEFAULT_KINDS)
    rendered = rendered_for(kb, layout)
    del rendered["organisations/b.md"]
    rendered["zielgruppen/senior-innen.md"].discard("organisations/a.md")
    problems = check_completeness(kb, layout, ["docs/organisations/a.md", "docs/organisations/b.md", "docs/organisations/x.md"], rendered)
    assert [(p.path, p.message) for p in problems] == [
        ("docs/organisations/x.md", "Die Datei wurde weder veröffentlicht noch als fehlerhaft gemeldet."),
        ("docs/organisations/b.md", "Für die Datei wurde keine Seite organisations/b.md erzeugt."),
        ("docs/organisations/a.md", "Der Eintrag fehlt auf der Seite des Begriffs 'Senior*innen' (zielgruppen/senior-innen.md)."),
    ]
    assert all(p.severity == "error" for p in problems)


def test_completeness_finds_two_files_competing_for_one_page() -> None:
    kb = knowledge([organisation("a", "A")])
    kb.broken.append(Broken("organisation", "a", "docs/organisations/A.md", "", ()))  # what the core once produced
    layout = Layout.of(DEFAULT_KINDS)
    problems = check_completeness(kb, layout, ["docs/organisations/a.md"], rendered_for(kb, layout))
    assert [p.message for p in problems] == [
        "Mehrere Dateien ergeben dieselbe Seite organisations/a.md: docs/organisations/a.md, docs/organisations/A.md; nur eine wird gezeigt."]


def test_a_cases_unknown_organisations_are_reported_with_its_other_errors() -> None:
    kb = knowledge([organisation("alpha", "Alpha")],
                   [case("fall", "Fall", "alpha, alpah", extra="year: zweitausend\n")])
    messages = [(p.field, p.message) for p in kb.problems if p.path == "cases/fall.md"]
    assert ("year", "Das Jahr muss eine Zahl sein.") in messages
    assert ("organisations", "Eine Organisation 'alpah' gibt es nicht.") in messages
