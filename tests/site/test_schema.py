"""The JSON Schemas agree with the checker: what one is an error for, the other is too."""

from __future__ import annotations

import datetime
from pathlib import Path

import jsonschema
import pytest

from casebook.cli.project import load_project
from casebook.core.entries import build_entry
from casebook.core.kinds import kind_named
from casebook.core.loading import load
from casebook.core.sources import parse_source
from casebook.site.schema import entry_schema
from conftest import FIXTURE_SITE, ROOT

PROJECT = load_project(FIXTURE_SITE / "mkdocs.yml")
KB = load(PROJECT.paths, PROJECT.settings)

ORGANISATION = "name: Neu e. V.\nsummary: Wir testen.\ntarget_groups: [Senior*innen]\n"
CASE = "title: Neu\nsummary: Test.\norganisations: [alpha-verein]\n"
EXAMPLES = [  # (kind, front matter, valid?)
    ("organisation", ORGANISATION, True),
    ("organisation", ORGANISATION + "software: [Nextclod]\nregion: Mars\n", True),  # warnings only
    ("organisation", ORGANISATION + "unbekannt: 1\n", False),
    ("organisation", ORGANISATION + "website:\ncontact: mailto:kontakt@example.org\ndate: 2025-01-31\nfictitious: true\n", True),
    ("organisation", ORGANISATION + "contact: https://example.org/kontakt\nseeking: 42\n", True),
    ("organisation", "name: Neu e. V.\nsummary: Wir testen.\n", False),
    ("organisation", "name: Neu e. V.\nsummary: Wir testen.\ntarget_groups: []\n", False),
    ("organisation", "name: Neu e. V.\nsummary: Wir testen.\ntarget_groups: Senior*innen\n", False),
    ("organisation", ORGANISATION + "website: http://example.org\n", False),
    ("organisation", ORGANISATION + "contact: Frau Müller\n", False),
    ("organisation", ORGANISATION + "region: [Berlin, Sachsen]\n", False),
    ("organisation", ORGANISATION + "software: ['<b>Excel</b>']\n", False),
    ("organisation", ORGANISATION.replace("Wir testen.", "'{{ config }}'"), False),
    ("organisation", ORGANISATION.replace("Wir testen.", "x" * 401), False),
    ("organisation", ORGANISATION + "fictitious: ja\n", False),
    ("organisation", ORGANISATION + "target_groups: ['***']\n", False),
    ("case", CASE + "status: laufend\nyear: 2025\n", True),
    ("case", CASE + "year: '2025'\n", False),
    ("case", CASE + "year: 1850\n", False),
    ("case", CASE + "status: fertig\n", False),
    ("case", CASE + "date: 31.01.2025\n", False),
    ("case", "title: Neu\nsummary: Test.\norganisations: alpha-verein\n", False),
]


def _as_json(value: object) -> object:
    """What an editor's YAML language server hands to the schema: dates are text."""
    if isinstance(value, dict):
        return {k: _as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_json(v) for v in value]
    return value.isoformat() if isinstance(value, datetime.date) else value


@pytest.mark.parametrize(("kind", "front_matter", "valid"), EXAMPLES)
def test_schema_and_checker_agree(kind: str, front_matter: str, valid: bool) -> None:
    source = parse_source("x/neu.md", f"---\n{front_matter}---\nText.\n".encode())
    _, problems = build_entry(source, kind_named(PROJECT.settings.kinds, kind), PROJECT.settings.taxonomies, KB.vocabulary)  # type: ignore[arg-type]
    checker_errors = [p for p in problems if p.severity == "error"]
    schema_errors = list(jsonschema.Draft7Validator(entry_schema(kind_named(PROJECT.settings.kinds, kind), PROJECT.settings.taxonomies, KB.vocabulary)).iter_errors(
        _as_json(source.meta)))
    assert (not checker_errors) == valid, checker_errors
    assert (not schema_errors) == valid, [e.message for e in schema_errors]


def test_schema_offers_the_vocabulary_and_is_a_valid_schema() -> None:
    schema = entry_schema(kind_named(PROJECT.settings.kinds, "organisation"), PROJECT.settings.taxonomies, KB.vocabulary, PROJECT.site_url)
    jsonschema.Draft7Validator.check_schema(schema)
    assert schema["$id"] == "https://example.org/test/schemas/organisation.schema.json"
    item = schema["properties"]["target_groups"]["items"]
    assert item["anyOf"][0]["enum"] == ["Senior*innen", "Geflüchtete aus der Ukraine", "Kinder und Jugendliche"]


def test_schemas_are_published_with_the_site(fixture_build) -> None:  # type: ignore[no-untyped-def]
    import json

    published = json.loads(fixture_build.html("schemas/case.schema.json"))
    assert published == entry_schema(kind_named(PROJECT.settings.kinds, "case"), PROJECT.settings.taxonomies, KB.vocabulary, PROJECT.site_url)
    assert 'template=organisation.yml&amp;target_groups=Senior%2Ainnen' in fixture_build.html("zielgruppen/senior-innen/")


def test_schemas_load_in_check_jsonschema_and_every_example_file_validates(tmp_path: Path) -> None:
    """check-jsonschema (the validator editors' and CI's pre-commit hooks use) reads every pattern as ECMA-262."""
    import subprocess
    import sys

    import yaml

    from casebook.core.sources import parse_source as parse
    from casebook.site.schema import schema_json

    root = ROOT
    project = load_project(root / "mkdocs.yml")
    kb = load(project.paths, project.settings)
    checker = Path(sys.executable).parent / "check-jsonschema"
    for kind, folder in (("organisation", project.paths.folders["organisation"]), ("case", project.paths.folders["case"])):
        schema = tmp_path / f"{kind}.schema.json"
        schema.write_text(schema_json(kind_named(kb.kinds, kind), kb.taxonomies, kb.vocabulary, project.site_url), encoding="utf-8")
        meta = check = subprocess.run([str(checker), "--check-metaschema", str(schema)], capture_output=True, text=True)
        assert meta.returncode == 0, meta.stdout + meta.stderr
        instances = []
        for path in sorted(folder.glob("*.md")):
            if path.name == "index.md":
                continue
            instance = tmp_path / f"{kind}-{path.stem}.yaml"
            instance.write_text(yaml.safe_dump(parse(path.name, path.read_bytes()).meta, allow_unicode=True), encoding="utf-8")
            instances.append(str(instance))
        assert len(instances) >= 5
        check = subprocess.run([str(checker), "--schemafile", str(schema), *instances], capture_output=True, text=True)
        assert check.returncode == 0, check.stdout + check.stderr
