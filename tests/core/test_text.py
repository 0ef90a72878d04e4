"""Slugs, YAML with line numbers and reading one source file: the pure core, no MkDocs."""

from __future__ import annotations

import datetime

import pytest

from casebook.core.slugs import match_key, slugify
from casebook.core.sources import parse_source
from casebook.core.yamlsource import YamlSyntaxError, load_yaml


@pytest.mark.parametrize(("text", "slug"), [
    ("Senior*innen", "senior-innen"),
    ("Thüringen", "thueringen"),
    ("Müller & Söhne", "mueller-soehne"),
    ("Straße", "strasse"),
    ("  Café  Élan ", "cafe-elan"),
    ("Geflüchtete aus der Ukraine", "gefluechtete-aus-der-ukraine"),
    ("***", ""),
    ("Допомога", ""),
])
def test_slugify(text: str, slug: str) -> None:
    assert slugify(text) == slug


def test_gender_variants_share_a_match_key() -> None:
    keys = {match_key(s) for s in ("Senior*innen", "Senior:innen", "SeniorInnen", "seniorinnen", "Senior_innen", " Senior innen ")}
    assert keys == {"seniorinnen"}
    assert match_key("Senioren") != match_key("Seniorinnen")


def test_yaml_remembers_lines_of_keys_and_list_items() -> None:
    document = load_yaml("name: A\nsoftware:\n  - CiviCRM\n  - Excel\nregion: Berlin\n", first_line=2)
    assert document.line("name") == 2
    assert document.line("software", 1) == 5
    assert document.line("region") == 6
    assert document.line("missing") is None


def test_yaml_reports_duplicate_keys_with_line() -> None:
    document = load_yaml("region: Berlin\nname: A\nregion: Sachsen\n")
    assert document.duplicate_keys == [(("region",), 3)]
    assert document.data["region"] == "Sachsen"


@pytest.mark.parametrize(("text", "message", "line"), [
    ("summary: Ziel: mehr Daten\n", "Ein Doppelpunkt steht an einer Stelle, an der YAML keinen erwartet.", 1),
    ("name: A\nsoftware:\n\t- Excel\n", "Ein Tabulatorzeichen steht im Kopfbereich.", 3),
    ('name: "A\n', "Ein Anführungszeichen wird in dieser Zeile geöffnet, aber nicht geschlossen.", 1),
    ("a: &x [*x]\n", "Anker und Verweise (& und *) sind hier nicht erlaubt.", 1),
    ("a: &x 1\nb: *x\n", "Anker und Verweise (& und *) sind hier nicht erlaubt.", 1),
    ("name: A\n? [liste]\n: wert\n", "Vor einem Doppelpunkt steht eine Liste oder ein Abschnitt, wo ein einfacher Feldname hingehört.", 2),
    ("name: A\n{a: 1}: wert\n", "Vor einem Doppelpunkt steht eine Liste oder ein Abschnitt, wo ein einfacher Feldname hingehört.", 2),
])
def test_yaml_syntax_errors_are_german_with_line(text: str, message: str, line: int) -> None:
    with pytest.raises(YamlSyntaxError) as error:
        load_yaml(text)
    assert (error.value.message, error.value.line) == (message, line)
    assert error.value.hint


def test_yaml_refuses_tags_it_cannot_construct_without_crashing() -> None:
    for text in ("a: !!int abc\n", "a: !!float x\n", "a: !!python/object:os.system x\n"):
        with pytest.raises(YamlSyntaxError):
            load_yaml(text)


def test_impossible_dates_stay_text_for_the_field_check() -> None:
    assert load_yaml("date: 2025-02-30\n").data == {"date": "2025-02-30"}
    assert load_yaml("date: 2025-02-28\n").data == {"date": datetime.date(2025, 2, 28)}


PROFILE = "---\nname: A\nsummary: B\n---\n\nText\n"


def test_source_splits_front_matter_and_body_with_body_line() -> None:
    source = parse_source("docs/organisations/a.md", PROFILE.encode())
    assert source.meta == {"name": "A", "summary": "B"}
    assert source.body == "Text\n"
    assert source.body_line == 6
    assert source.line("summary") == 3
    assert source.problems == []


def test_bom_and_crlf_are_accepted_with_the_same_lines() -> None:
    plain = parse_source("docs/organisations/a.md", PROFILE.encode())
    for raw in (b"\xef\xbb\xbf" + PROFILE.encode(), PROFILE.replace("\n", "\r\n").encode(), PROFILE.replace("\n", "\r").encode()):
        source = parse_source("docs/organisations/a.md", raw)
        assert (source.meta, source.body, source.body_line, source.problems) == (plain.meta, plain.body, plain.body_line, [])


def test_non_utf8_is_reported_with_line_and_still_parsed() -> None:
    source = parse_source("docs/organisations/a.md", "---\nname: A\nsummary: für\n---\n".encode("latin-1"))
    assert [(p.line, p.message) for p in source.problems] == [(3, "Die Datei ist nicht als UTF-8 gespeichert (ungültiges Byte 0xfc).")]
    assert source.meta["name"] == "A"


@pytest.mark.parametrize(("raw", "message"), [
    (b"", "Die Datei ist leer."),
    (b"  \n\n", "Die Datei ist leer."),
    (b"# Titel\n", "Der Kopfbereich (Front Matter) fehlt."),
    (b"---\nname: A\n", "Der Kopfbereich wird nicht mit einer Zeile '---' beendet."),
    (b"---\n---\n", "Der Kopfbereich ist leer."),
    (b"---\n{}\n---\n", "Der Kopfbereich ist leer."),
    (b"---\n- a\n---\n", "Der Kopfbereich muss aus Zeilen 'feld: wert' bestehen."),
])
def test_missing_or_unusable_front_matter(raw: bytes, message: str) -> None:
    assert [p.message for p in parse_source("docs/organisations/a.md", raw).problems] == [message]


def test_file_names_must_be_addresses() -> None:
    source = parse_source("docs/organisations/Müller Verein.md", PROFILE.encode())
    assert source.slug == "mueller-verein"
    [problem] = source.problems
    assert (problem.field, problem.message) == ("Dateiname", "Der Dateiname ist nicht als Adresse geeignet.")
    assert "mueller-verein.md" in (problem.hint or "")
