"""What members learned: a case's `learnings` on its page, gathered on its terms' pages, in open data, search,
the scaffolder and the issue form (a field of type `texts`, declared in core/kinds.yml)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import jsonschema
import yaml

from conftest import Build, issue_body, run


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


LEARNED = "Gleiche Kategorien zuerst, dann die Technik."  # tests/fixtures/site/cases/gemeinsame-statistik.md


def test_the_case_page_shows_what_its_organisations_learned(fixture_build: Build) -> None:
    page = fixture_build.html("cases/gemeinsame-statistik/")
    section = page.split('id="was-wir-gelernt-haben"', 1)[1].split("<h2", 1)[0]
    assert f"<li>{LEARNED}</li>" in section
    assert 'id="was-wir-gelernt-haben"' not in fixture_build.html("cases/lernpatenschaften/")  # no learnings, no heading


def test_every_term_of_the_case_gathers_its_learnings_linked_to_the_case(fixture_build: Build) -> None:
    for term_page in ("zielgruppen/senior-innen/", "software/excel/", "themen/beratung/", "daten/beratungsstatistik/"):
        section = fixture_build.html(term_page).split('id="erfahrungen-aus-der-praxis"', 1)[1].split("<h2", 1)[0]
        assert LEARNED in section and 'href="../../cases/gemeinsame-statistik/"' in section, term_page
    assert "Erfahrungen aus der Praxis" not in fixture_build.html("regionen/berlin/")  # no case there has learnings


def test_learnings_are_open_data_and_searchable(fixture_build: Build) -> None:
    data = json.loads((fixture_build.site / "daten/wissensbasis.json").read_text(encoding="utf-8"))
    cases = {case["slug"]: case for case in data["cases"]}
    assert cases["gemeinsame-statistik"]["learnings"] == [LEARNED]
    assert cases["lernpatenschaften"]["learnings"] is None
    rows = {row["slug"]: row for row in csv.DictReader(io.StringIO((fixture_build.site / "daten/fallstudien.csv").read_text(encoding="utf-8")))}
    assert rows["gemeinsame-statistik"]["learnings"] == LEARNED
    index = json.loads((fixture_build.site / "search/search_index.json").read_text(encoding="utf-8"))
    assert any(LEARNED in doc["text"] and doc["location"].startswith("cases/gemeinsame-statistik/") for doc in index["docs"])


def test_new_case_takes_one_learning_per_flag_and_the_schema_accepts_it(site_copy: Path) -> None:
    comma = "Erst zählen, dann reden, dann wieder zählen."
    result = run(site_copy, "new", "case", "--title", "Gelernt", "--summary", "Zwei Vereine lernen.", "--organisation", "alpha-verein",
                 "--learning", comma, "--learning", "Kurz ist gut.", "--yes")
    assert result.returncode == 0, result.stdout + result.stderr
    assert front_matter(site_copy / "cases/gelernt.md")["learnings"] == [comma, "Kurz ist gut."]  # commas stay inside a sentence
    schema = json.loads(run(site_copy, "schema", "case").stdout)
    jsonschema.validate({"title": "T", "summary": "S", "organisations": ["alpha-verein"], "learnings": [comma]}, schema)
    assert not jsonschema.Draft202012Validator(schema).is_valid({"title": "T", "summary": "S", "organisations": ["a"], "learnings": "Text"})
    assert not jsonschema.Draft202012Validator(schema).is_valid({"title": "T", "summary": "S", "organisations": ["a"], "learnings": ["<b>x</b>"]})


def test_an_issue_form_answer_becomes_one_learning_per_line(site_copy: Path) -> None:
    body = issue_body({"Titel der Fallstudie": "Gelernt aus dem Formular", "Kurzbeschreibung": "Zwei Vereine lernen.",
                       "Beteiligte Organisationen": "alpha-verein",
                       "Was wir gelernt haben": "- Erst zählen, dann reden.\n- Kurz ist gut, aber nicht zu kurz."})
    result = run(site_copy, "from-issue", "--kind", "case", "--date", "2026-01-01", "-", stdin=body)
    assert result.returncode == 0, result.stderr
    assert front_matter(site_copy / result.stdout.strip())["learnings"] == ["Erst zählen, dann reden.", "Kurz ist gut, aber nicht zu kurz."]
    assert run(site_copy, "check").returncode == 0
