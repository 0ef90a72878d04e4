"""GitHub integration files: valid against GitHub's schemas, and generated files up to date."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

from casebook.cli.project import load_project
from casebook.core.kinds import ContentKind
from casebook.core.loading import load
from casebook.site.issue_form import issue_form_yaml
from casebook.site.reference import END, START, fields_markdown
from conftest import ROOT, TESTS

SCHEMAS = TESTS / "schemas"  # vendored from SchemaStore, see tests/schemas/README.md
PROJECT = load_project(ROOT / "mkdocs.yml")


def validator(name: str) -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(json.loads((SCHEMAS / name).read_text(encoding="utf-8")))


def errors(schema: str, path: Path) -> list[str]:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    if isinstance(document, dict) and True in document:
        document["on"] = document.pop(True)  # YAML 1.1 reads the key "on" as true; GitHub does not
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator(schema).iter_errors(document)]


@pytest.mark.parametrize("workflow", ["check.yml", "deploy.yml", "from-issue.yml"])
def test_workflows_are_valid(workflow: str) -> None:
    assert errors("github-workflow.json", ROOT / ".github" / "workflows" / workflow) == []


@pytest.mark.parametrize("kind", PROJECT.settings.kinds, ids=lambda kind: kind.name)
def test_issue_forms_are_valid_and_generated(kind: ContentKind) -> None:
    path = ROOT / ".github" / "ISSUE_TEMPLATE" / kind.form.file
    assert errors("github-issue-forms.json", path) == []
    vocabulary = load(PROJECT.paths, PROJECT.settings).vocabulary
    assert path.read_text(encoding="utf-8") == issue_form_yaml(kind, PROJECT.settings.taxonomies, vocabulary), \
        "run `casebook github-forms`"


def test_invalid_issue_form_is_rejected() -> None:
    """The vendored schema really checks: a dropdown without options fails."""
    broken = {"name": "x", "description": "y", "body": [{"type": "dropdown", "id": "region", "attributes": {"label": "Region"}}]}
    assert list(validator("github-issue-forms.json").iter_errors(broken))


def test_pre_commit_files() -> None:
    assert errors("pre-commit-config.json", ROOT / ".pre-commit-config.yaml") == []
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    # No schema for hook definitions is published; check the fields pre-commit requires.
    assert [(h["id"], h["entry"], h["language"]) for h in hooks] == [("casebook-check", "casebook check", "python")]
    pattern = re.compile(hooks[0]["files"])
    assert pattern.search("docs/organisations/a.md") and pattern.search("cases/b.md") and pattern.search("docs/vokabular.yml")
    assert not pattern.search("docs/leitfaden/beitragen.md")


@pytest.mark.parametrize("guide", ["CONTRIBUTING.md", "docs/leitfaden/beitragen.md"])
def test_field_references_are_generated(guide: str) -> None:
    text = (ROOT / guide).read_text(encoding="utf-8")
    block = text.split(START, 1)[1].split(END, 1)[0]
    assert block == "\n" + fields_markdown(PROJECT.settings.kinds, PROJECT.settings.taxonomies), f"run `casebook fields --write {guide}`"


def test_pull_request_template_has_a_privacy_checklist() -> None:
    text = (ROOT / ".github" / "PULL_REQUEST_TEMPLATE.md").read_text(encoding="utf-8")
    assert "- [ ] Es stehen **keine personenbezogenen Daten** in der Datei" in text
