"""The front-matter contract (fields.py), entries and the vocabulary: pure core, no MkDocs."""

from __future__ import annotations

import datetime

import pytest

from casebook.core.entries import build_entry
from casebook.core.fields import Invalid, clean_value, is_https_url
from casebook.core.kinds import DEFAULT_KINDS, kind_named
from casebook.core.model import DEFAULT_TAXONOMIES
from casebook.core.sources import parse_source
from casebook.core.vocabulary import parse_vocabulary

VOCABULARY_TEXT = """\
target_groups:
  - label: "Senior*innen"
    description: Ältere Menschen.
    aliases: ["ältere Menschen", "Seniorinnen und Senioren"]
  - Kinder und Jugendliche
software:
  - label: CiviCRM
    website: https://civicrm.org
region:
  - Berlin
"""
VOCABULARY, VOCABULARY_PROBLEMS = parse_vocabulary(VOCABULARY_TEXT, "docs/vokabular.yml", DEFAULT_TAXONOMIES)


def spec(kind: str, name: str):
    return next(s for s in kind_named(DEFAULT_KINDS, kind).fields(DEFAULT_TAXONOMIES) if s.name == name)  # type: ignore[arg-type]


def entry(text: str, kind: str = "organisation", path: str = "docs/organisations/a.md"):
    return build_entry(parse_source(path, text.encode()), kind_named(DEFAULT_KINDS, kind), DEFAULT_TAXONOMIES, VOCABULARY)  # type: ignore[arg-type]


def test_contract_names_required_fields_per_kind() -> None:
    required = {kind: [s.name for s in kind_named(DEFAULT_KINDS, kind).fields(DEFAULT_TAXONOMIES) if s.required] for kind in ("organisation", "case")}
    assert required == {"organisation": ["name", "summary", "target_groups"], "case": ["title", "summary", "organisations"]}
    assert all(s.help and s.example is not None for kind in ("organisation", "case") for s in kind_named(DEFAULT_KINDS, kind).fields(DEFAULT_TAXONOMIES))


@pytest.mark.parametrize(("field", "value", "cleaned"), [
    ("name", "  Ein   Verein ", "Ein Verein"),
    ("target_groups", ["Senior*innen", 2025], ["Senior*innen", "2025"]),
    ("region", "Berlin", "Berlin"),
    ("website", " https://example.org/a ", "https://example.org/a"),
    ("contact", "mailto:kontakt@example.org", "kontakt@example.org"),
    ("contact", "https://example.org/kontakt", "https://example.org/kontakt"),
    ("date", "2025-01-31", datetime.date(2025, 1, 31)),
    ("date", datetime.datetime(2025, 1, 31, 12), datetime.date(2025, 1, 31)),
    ("fictitious", True, True),
])
def test_clean_values(field: str, value: object, cleaned: object) -> None:
    assert clean_value(spec("organisation", field), value) == cleaned


@pytest.mark.parametrize(("kind", "field", "value", "message"), [
    ("organisation", "name", ["A"], "Hier wird ein Text erwartet."),
    ("organisation", "name", "   ", "Der Text ist leer."),
    ("organisation", "name", "x" * 121, "Der Text ist 121 Zeichen lang, erlaubt sind höchstens 120."),
    ("organisation", "summary", "<b>fett</b>", "HTML ist im Kopfbereich nicht erlaubt."),
    ("organisation", "summary", "{% raw %}", "Die Zeichenfolgen '{{', '{%' und '{#' sind im Kopfbereich nicht erlaubt."),
    ("organisation", "target_groups", "Senior*innen", "Hier wird eine Liste erwartet, nicht ein einzelner Text."),
    ("organisation", "target_groups", [], "Die Liste ist leer, braucht aber mindestens einen Eintrag."),
    ("organisation", "target_groups", [["x"]], "Jeder Eintrag muss ein einzelner Text sein."),
    ("organisation", "target_groups", [" "], "Ein Eintrag ist leer."),
    ("organisation", "region", ["Berlin"], "Hier ist nur ein einzelner Wert erlaubt, keine Liste."),
    ("organisation", "website", "http://example.org", "Die Adresse beginnt mit http://, erlaubt ist nur das verschlüsselte https://."),
    ("organisation", "website", "javascript:alert(1)", "Adressen mit 'javascript:' sind nicht erlaubt, nur https-Adressen."),
    ("organisation", "website", "JavaScript:alert(1)", "Adressen mit 'javascript:' sind nicht erlaubt, nur https-Adressen."),
    ("organisation", "website", "https://", "Das ist keine vollständige https-Adresse."),
    ("organisation", "contact", "data:text/html,x", "Adressen mit 'data:' sind nicht erlaubt, nur https-Adressen."),
    ("organisation", "date", "31.01.2025", "Das Datum ist ungültig."),
    ("organisation", "fictitious", "ja", "Hier ist nur true oder false erlaubt."),
    ("case", "year", "2025", "Das Jahr muss eine Zahl sein."),
    ("case", "year", True, "Das Jahr muss eine Zahl sein."),
    ("case", "year", 1850, "1850 ist kein plausibles Jahr."),
    ("case", "status", "fertig", "'fertig' ist hier kein erlaubter Wert."),
])
def test_invalid_values_explain_themselves(kind: str, field: str, value: object, message: str) -> None:
    with pytest.raises(Invalid) as error:
        clean_value(spec(kind, field), value)
    assert error.value.message == message
    assert error.value.hint


def test_https_urls_need_a_host_and_no_spaces() -> None:
    assert is_https_url("https://example.org")
    assert not is_https_url("https://exa mple.org")
    assert not is_https_url("https:example.org")
    assert not is_https_url(None)


def test_vocabulary_resolves_labels_aliases_and_gender_variants() -> None:
    assert VOCABULARY_PROBLEMS == []
    for spelling in ("Senior*innen", "Senior:innen", "SeniorInnen", "seniorinnen", "ältere Menschen", "Seniorinnen und Senioren"):
        term = VOCABULARY.resolve("target_groups", spelling)
        assert (term.slug, term.label, term.known) == ("senior-innen", "Senior*innen", True), spelling
    assert VOCABULARY.resolve("target_groups", "Kinder und Jugendliche").slug == "kinder-und-jugendliche"
    assert VOCABULARY.terms["software"]["civicrm"].website == "https://civicrm.org"


def test_unknown_spellings_become_unknown_terms_with_a_suggestion() -> None:
    term = VOCABULARY.resolve("target_groups", "Seniorinen")
    assert (term.slug, term.known) == ("seniorinen", False)
    assert VOCABULARY.suggest("target_groups", "Seniorinen") == "Senior*innen"
    assert VOCABULARY.suggest("target_groups", "Fahrradwerkstatt") is None
    assert VOCABULARY.labels("target_groups") == ["Senior*innen", "Kinder und Jugendliche"]


@pytest.mark.parametrize(("extra", "message"), [
    ("  - Seniorinnen\n", "'Seniorinnen' kollidiert mit dem Begriff 'Senior*innen' (gleiche Schreibweise oder gleiche Adresse)."),
    ("  - label: Senior innen\n", "'Senior innen' kollidiert mit dem Begriff 'Senior*innen' (gleiche Schreibweise oder gleiche Adresse)."),
    ("  - label: Neu\n    aliases: [ältere Menschen]\n", "'Neu' kollidiert mit dem Begriff 'Senior*innen' (gleiche Schreibweise oder gleiche Adresse)."),
    ("  - label: ''\n", "Jeder Begriff braucht ein 'label' mit Text."),
    ("  - label: '***'\n", "Aus '***' lässt sich keine Adresse bilden."),
    ("  - label: Neu\n    website: http://example.org\n", "'website' muss eine vollständige https-Adresse sein."),
])
def test_vocabulary_collisions_and_mistakes(extra: str, message: str) -> None:
    text = VOCABULARY_TEXT.replace("  - Kinder und Jugendliche\n", "  - Kinder und Jugendliche\n" + extra)
    vocabulary, problems = parse_vocabulary(text, "docs/vokabular.yml", DEFAULT_TAXONOMIES)
    assert message in [p.message for p in problems]
    assert all(p.line and p.line >= 6 for p in problems)
    assert vocabulary.resolve("target_groups", "Senior*innen").label == "Senior*innen"  # the first term keeps its place


def test_vocabulary_of_unknown_taxonomy_is_a_warning_with_suggestion() -> None:
    _, problems = parse_vocabulary("softwar:\n  - Excel\n", "docs/vokabular.yml", DEFAULT_TAXONOMIES)
    assert [(p.severity, p.hint) for p in problems] == [("warning", "Meintet ihr 'software'?")]


ORGANISATION = """---
name: Alpha
summary: Beratung.
target_groups: [Senior:innen, Kinder und Jugendliche]
software: [Civicrm]
region: berlin
---
Text
"""


def test_entry_resolves_terms_to_canonical_labels() -> None:
    result, problems = entry(ORGANISATION)
    assert problems == []
    assert result is not None
    assert [t.label for t in result.terms["target_groups"]] == ["Senior*innen", "Kinder und Jugendliche"]
    assert result.features == [("target_groups", "senior-innen"), ("target_groups", "kinder-und-jugendliche"),
                               ("software", "civicrm"), ("region", "berlin")]
    assert result.body == "Text\n"


def test_unknown_terms_are_warnings_that_keep_the_entry() -> None:
    result, problems = entry(ORGANISATION.replace("[Civicrm]", "[CiviCMR, Civicrm, CiviCRM]"))
    assert result is not None
    assert [(p.severity, p.line, p.field, p.message) for p in problems] == [
        ("warning", 5, "software", "'CiviCMR' steht nicht im Vokabular (Software)."),
        ("warning", 5, "software", "'CiviCRM' steht doppelt in der Liste (gleicher Begriff wie 'CiviCRM')."),
    ]
    assert problems[0].hint and "Meintet ihr 'CiviCRM'?" in problems[0].hint
    assert [t.label for t in result.terms["software"]] == ["CiviCMR", "CiviCRM"]


def test_errors_leave_no_entry_and_every_missing_field_is_named() -> None:
    result, problems = entry("---\nname: A\nregion: [Berlin]\n---\n")
    assert result is None
    assert {(p.field, p.message) for p in problems} == {
        ("summary", "Pflichtfeld fehlt."), ("target_groups", "Pflichtfeld fehlt."),
        ("region", "Hier ist nur ein einzelner Wert erlaubt, keine Liste.")}


def test_case_with_a_repeated_organisation_keeps_it_once_and_says_so() -> None:
    text = "---\ntitle: T\nsummary: S\norganisations:\n  - alpha\n  - beta\n  - alpha\n---\n"
    result, problems = entry(text, "case", "cases/t.md")
    assert result is not None and result.named("organisations") == ("alpha", "beta")
    assert [(p.severity, p.line, p.field, p.message) for p in problems] == [
        ("warning", 7, "organisations", "'alpha' steht doppelt in der Liste.")]


@pytest.mark.parametrize("url", ['https://example.org/"onmouseover="x', "https://example.org/<b>", "https://example.org/a b",
                                 "https://example.org/'x'", "javascript:alert(1)", "ftp://example.org"])
def test_url_fields_refuse_quotes_angle_brackets_spaces_and_other_schemes(url: str) -> None:
    spec = next(s for s in kind_named(DEFAULT_KINDS, "organisation").fields(DEFAULT_TAXONOMIES) if s.name == "website")
    with pytest.raises(Invalid) as refused:
        clean_value(spec, url)
    assert refused.value.message and refused.value.hint.startswith("Schreibt z. B. website: https://")


def test_an_unknown_field_is_an_error_at_its_line_with_the_field_it_was_meant_as() -> None:
    for typo, meant, line in (("software:", "sofware:", 5), ("target_groups:", "target_group:", 4)):
        result, problems = entry(ORGANISATION.replace(typo, meant))
        assert result is None
        assert [(p.severity, p.line, p.field) for p in problems] == [("error", line, meant.rstrip(":"))], problems
        assert problems[0].hint == f"Meintet ihr '{typo.rstrip(':')}'? Dann benennt das Feld um."  # and no 'Pflichtfeld fehlt' at line 1


def test_an_empty_required_field_is_named_at_its_own_line() -> None:
    result, problems = entry(ORGANISATION.replace("summary: Beratung.", "summary:"))
    assert result is None
    assert [(p.line, p.field, p.message) for p in problems] == [(3, "summary", "Das Pflichtfeld ist leer.")]


@pytest.mark.parametrize("text, line, message", [
    ("---\nname: \"Alpha\nsummary: Beratung.\ntarget_groups: [Senior*innen]\n---\n", 2, "Ein Anführungszeichen wird in dieser Zeile geöffnet"),
    ("---\nname: Alpha\nsummary: \"Beratung.\ntarget_groups: [\"Senior*innen\"]\n---\n", 3, "Ein Anführungszeichen wird in dieser Zeile geöffnet"),
    ("---\nname: Alpha\ntarget_groups: [Senior*innen\nregion: Berlin\n---\n", 3, "Eine eckige Klammer [ wird in dieser Zeile geöffnet"),
])
def test_yaml_mistakes_point_at_their_real_cause_and_line(text: str, line: int, message: str) -> None:
    problems = parse_source("docs/organisations/a.md", text.encode()).problems
    assert [(p.line, p.message.startswith(message)) for p in problems] == [(line, True)], problems
