"""A kind of content is a declaration: a site adds one in mkdocs.yml and gets pages, schema, form and checks without code."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from casebook.core.kinds import KindError, load_kinds
from conftest import build_site

PROJECT_KIND = """
      kinds:
        projekt:
          singular: Projekt
          plural: Projekte
          one: ein Projekt
          folder: projekte
          title_field: title
          fields:
            - {name: title, type: text, required: true, label: Titel, help: Name des Projekts., example: Datenwerkstatt, max_length: 100}
            - {name: summary, type: text, required: true, label: Kurzbeschreibung, help: "Worum geht es?", example: Wir werten gemeinsam aus.}
            - {name: partners, type: slugs, refers_to: organisation, required: true, label: Partner, help: Beteiligte Organisationen., example: [alpha-verein]}
            - {name: phase, type: choice, choices: [Idee, Umsetzung], label: Phase, help: Wo das Projekt steht., example: Idee}
            - taxonomies
"""
GOOD = "---\ntitle: Datenwerkstatt Nord\nsummary: Zwei Vereine werten gemeinsam aus.\npartners: [alpha-verein]\nphase: Idee\ntarget_groups: [Senior*innen]\n---\n\nText.\n"
BAD = "---\ntitle: Kaputt\nsummary: Fehlerhaft.\npartners: [alpha-verien]\nphase: Fertig\n---\n"


@pytest.fixture
def site_with_projects(site_copy: Path) -> Path:
    config = site_copy / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace("  - casebook:\n", "  - casebook:\n" + PROJECT_KIND.strip("\n") + "\n", 1)
    config.write_text(text.replace("  - cases/index.md\n", "  - cases/index.md\n  - projekte/index.md\n", 1), encoding="utf-8")  # its nav entry
    (site_copy / "projekte").mkdir()
    (site_copy / "projekte" / "datenwerkstatt-nord.md").write_text(GOOD, encoding="utf-8")
    return site_copy


def test_a_declared_kind_gets_pages_schema_backlinks_and_similar_organisations(site_with_projects: Path) -> None:
    build = build_site(site_with_projects)
    assert build.returncode == 0, build.output
    page = build.html("projekte/datenwerkstatt-nord/")
    assert "Zwei Vereine werten gemeinsam aus." in page and "Idee" in page and "Organisationen wie ihr" not in page
    assert "Datenwerkstatt Nord" in build.html("projekte/")  # the kind's overview
    assert "Datenwerkstatt Nord" in build.html("organisations/alpha-verein/")  # a backlink from the project it is named in
    assert "Datenwerkstatt Nord" in build.html("zielgruppen/senior-innen/")  # term pages list every kind
    schema = json.loads((build.site / "schemas" / "projekt.schema.json").read_text(encoding="utf-8"))
    assert schema["title"] == "Projekt" and schema["properties"]["phase"]["anyOf"][0] == {"enum": ["Idee", "Umsetzung"]}
    data = json.loads((build.site / "daten" / "wissensbasis.json").read_text(encoding="utf-8"))
    assert [p["partners"] for p in data["projekte"]] == [["alpha-verein"]]


def test_a_declared_kind_is_checked_in_german_and_gets_an_issue_form(site_with_projects: Path) -> None:
    (site_with_projects / "projekte" / "kaputt.md").write_text(BAD, encoding="utf-8")
    casebook = Path(sys.executable).with_name("casebook")
    check = subprocess.run([casebook, "check"], cwd=site_with_projects, capture_output=True, text=True)
    assert check.returncode == 1
    assert "projekte/kaputt.md:4: partners: Ein Projekt" not in check.stdout  # the named kind is the organisation
    assert "projekte/kaputt.md:4: partners: Eine Organisation 'alpha-verien' gibt es nicht. (Hinweis: Meintet ihr 'alpha-verein'?)" in check.stdout
    assert "projekte/kaputt.md:5: phase: 'Fertig' ist hier kein erlaubter Wert. (Hinweis: Erlaubt sind: Idee, Umsetzung.)" in check.stdout
    assert subprocess.run([casebook, "github-forms"], cwd=site_with_projects, capture_output=True, text=True).returncode == 0
    form = yaml.safe_load((site_with_projects / ".github" / "ISSUE_TEMPLATE" / "projekt.yml").read_text(encoding="utf-8"))
    assert form["name"] == "Projekt eintragen" and [e["id"] for e in form["body"] if "id" in e][:4] == ["title", "summary", "partners", "phase"]
    new = subprocess.run([casebook, "new", "projekt", "--yes", "--title", "Zweites Projekt", "--summary", "Kurz.", "--partners", "beta-netzwerk"],
                         cwd=site_with_projects, capture_output=True, text=True)
    assert new.returncode == 0, new.stdout + new.stderr
    assert (site_with_projects / "projekte" / "zweites-projekt.md").read_text(encoding="utf-8").startswith("---\n# yaml-language-server")


def test_a_declaration_that_cannot_work_is_refused_in_german() -> None:
    with pytest.raises(KindError, match="unbekannte Schlüssel colour"):
        load_kinds({"projekt": {"singular": "P", "plural": "Ps", "folder": "p", "title_field": "title", "fields": [], "colour": "rot"}})
    with pytest.raises(KindError, match="Titel 'title'"):
        load_kinds({"projekt": {"singular": "P", "plural": "Ps", "folder": "p", "title_field": "title", "fields": []}})
