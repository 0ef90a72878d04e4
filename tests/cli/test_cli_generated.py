"""What the command line generates from the declarations (field reference, option tables, issue forms, schemas)
and how it reads a site's mkdocs.yml, on copies of the fixture site."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from casebook.cli import options
from casebook.cli.project import load_project
from casebook.site.reference import END, START, fields_markdown
from conftest import run, write

GENERATED_BLOCK = "# Anleitung\n\nVorher.\n{start}\nalt und falsch\n{end}\nNachher.\n"


def test_fields_shows_every_kind_and_field_as_text_and_markdown(site_copy: Path) -> None:
    settings = load_project(site_copy / "mkdocs.yml").settings
    text = run(site_copy, "fields")
    assert text.returncode == 0, text.stderr
    for kind in settings.kinds:
        assert f"{kind.singular} ({kind.shown_folder}/<name>.md)" in text.stdout
        for spec in kind.fields(settings.taxonomies):
            assert f"  {spec.name}{' (Pflicht)' if spec.required else ''}: {spec.help}" in text.stdout
    markdown = run(site_copy, "fields", "--markdown")
    assert markdown.stdout == fields_markdown(settings.kinds, settings.taxonomies)


def test_fields_write_replaces_only_the_generated_block_and_is_idempotent(site_copy: Path) -> None:
    guide = site_copy / "ANLEITUNG.md"
    guide.write_text(GENERATED_BLOCK.format(start=START, end=END), encoding="utf-8")
    result = run(site_copy, "fields", "--write", "ANLEITUNG.md")
    assert result.returncode == 0 and result.stdout == "Feldtabellen in ANLEITUNG.md aktualisiert.\n"
    settings = load_project(site_copy / "mkdocs.yml").settings
    written = guide.read_text(encoding="utf-8")
    assert written == f"# Anleitung\n\nVorher.\n{START}\n{fields_markdown(settings.kinds, settings.taxonomies)}{END}\nNachher.\n"
    run(site_copy, "fields", "--write", "ANLEITUNG.md")
    assert guide.read_text(encoding="utf-8") == written
    missing = run(site_copy, "fields", "--write", "FEHLT.md")
    assert missing.returncode == 2 and "FEHLT.md" in missing.stderr


def test_settings_write_fills_the_option_table(site_copy: Path) -> None:
    page = site_copy / "optionen.md"
    page.write_text(GENERATED_BLOCK.format(start=options.START, end=options.END), encoding="utf-8")
    assert run(site_copy, "settings", "--write", "optionen.md").returncode == 0
    written = page.read_text(encoding="utf-8")
    assert f"{options.START}\n{options.options_markdown()}{options.END}\nNachher." in written and "alt und falsch" not in written
    assert run(site_copy, "settings").stdout == options.options_markdown()


def test_github_forms_writes_checks_and_notices_a_changed_vocabulary(site_copy: Path) -> None:
    forms = site_copy / ".github" / "ISSUE_TEMPLATE"
    outdated = run(site_copy, "github-forms", "--check")
    assert outdated.returncode == 1 and not forms.exists()
    assert outdated.stderr.startswith("Fehler: Nicht aktuell: .github/ISSUE_TEMPLATE/") and "Führt 'casebook github-forms' aus." in outdated.stderr

    written = run(site_copy, "github-forms")
    assert written.returncode == 0 and written.stdout.startswith("Aktualisiert: ")
    kinds = load_project(site_copy / "mkdocs.yml").settings.kinds
    for kind in kinds:
        form = yaml.safe_load((forms / kind.form.file).read_text(encoding="utf-8"))
        assert form["name"] == kind.form.name and form["body"]
    assert run(site_copy, "github-forms", "--check").stdout == "Die Formulare sind aktuell.\n"

    vocabulary = site_copy / "docs" / "vokabular.yml"
    terms = yaml.safe_load(vocabulary.read_text(encoding="utf-8"))
    terms["software"].append({"label": "Neue Software (fiktiv)"})
    vocabulary.write_text(yaml.safe_dump(terms, allow_unicode=True), encoding="utf-8")
    stale = run(site_copy, "github-forms", "--check")
    assert stale.returncode == 1 and "Nicht aktuell" in stale.stderr  # the forms offer the vocabulary's terms


@pytest.mark.parametrize("kind", ["organisation", "case"])
def test_schema_is_a_valid_json_schema_that_accepts_the_fixture_files(site_copy: Path, kind: str) -> None:
    result = run(site_copy, "schema", kind)
    assert result.returncode == 0, result.stderr
    schema = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    project = load_project(site_copy / "mkdocs.yml")
    folder = project.paths.folders[kind]
    files = sorted(folder.glob("*.md"))
    assert files
    for path in files:
        front = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
        jsonschema.validate(json.loads(json.dumps(front, default=str)), schema)


def test_schema_of_an_unknown_kind_names_the_kinds_there_are(site_copy: Path) -> None:
    result = run(site_copy, "schema", "verein")
    assert result.returncode == 1
    assert result.stderr == "Fehler: Die Art 'verein' gibt es nicht; möglich sind: organisation, case.\n"


@pytest.mark.parametrize(("config", "expected"), [
    ("site_name: [kaputt\n", "ist kein gültiges YAML"),
    ("site_name: Test\nplugins:\n  - search\n", "Fehler: In mkdocs.yml ist das Plugin 'casebook' nicht unter 'plugins:' eingetragen."),
    ("site_name: Test\nplugins:\n  - casebook:\n      similar_count: viele\n",
     "Fehler: Die Einstellungen des casebook-Plugins in mkdocs.yml sind ungültig: similar_count:"),
])
def test_a_broken_mkdocs_yml_is_explained_in_german(site_copy: Path, config: str, expected: str) -> None:
    write(site_copy, "mkdocs.yml", config)
    result = run(site_copy, "check")
    assert result.returncode == 1 and expected in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_mkdocs_tags_and_plugin_mappings_are_read_as_mkdocs_reads_them(site_copy: Path) -> None:
    """!ENV and !!python/name tags do not stop the command line; plugins and extensions may be written as mappings."""
    text = (site_copy / "mkdocs.yml").read_text(encoding="utf-8").replace("site_name: Testseite", "site_name: !ENV [SITE_NAME, Testseite]")
    text = text.split("markdown_extensions:")[0] + (
        "markdown_extensions:\n"
        "  admonition:\n"
        "  pymdownx.emoji:\n"
        "    emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        "plugins:\n"
        "  search: {lang: de}\n"
        "  casebook: {similar_count: 3}\n")
    write(site_copy, "mkdocs.yml", text)
    project = load_project(site_copy / "mkdocs.yml")
    assert dict(project.markdown_extensions)["admonition"] == {} and "pymdownx.emoji" in dict(project.markdown_extensions)
    assert project.settings.similar_count == 3
    assert run(site_copy, "check").returncode == 0
