"""Reading a knowledge base from disk with loading.load, without MkDocs."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import FIXTURE_SITE

from casebook.knowledge import Settings
from casebook.loading import Paths, load
from casebook.model import DEFAULT_TAXONOMIES


def _paths(root: Path) -> Paths:
    return Paths(root, root / "docs" / "organisations", root / "cases", root / "docs" / "vokabular.yml")


def test_fixture_loads_without_problems(tmp_path: Path) -> None:
    root = tmp_path / "site"
    shutil.copytree(FIXTURE_SITE, root)
    kb = load(_paths(root), Settings(DEFAULT_TAXONOMIES))
    assert kb.problems == []
    assert sorted(kb.organisations) == ["alpha-verein", "beta-netzwerk", "delta-kreis", "gamma-hilfe"]


def test_vocabulary_that_is_not_utf8_is_reported_with_its_line(tmp_path: Path) -> None:
    root = tmp_path / "site"
    shutil.copytree(FIXTURE_SITE, root)
    vocabulary = root / "docs" / "vokabular.yml"
    vocabulary.write_bytes(vocabulary.read_bytes().replace("Ältere".encode(), "Ältere".encode("latin-1")))
    kb = load(_paths(root), Settings(DEFAULT_TAXONOMIES))
    [problem] = kb.problems
    assert (problem.path, problem.line) == ("docs/vokabular.yml", 3)
    assert "nicht als UTF-8 gespeichert" in problem.message
    assert "senior-innen" in kb.vocabulary.terms["target_groups"]  # the rest of the file still counts


def test_a_broken_profile_is_not_reported_again_as_unknown_by_its_cases(tmp_path: Path) -> None:
    root = tmp_path / "site"
    shutil.copytree(FIXTURE_SITE, root)
    profile = root / "docs" / "organisations" / "alpha-verein.md"
    profile.write_text(profile.read_text(encoding="utf-8").replace("region: Berlin", "region: [Berlin, Sachsen]"), encoding="utf-8")
    kb = load(_paths(root), Settings(DEFAULT_TAXONOMIES))
    assert [(p.path, p.field) for p in kb.problems] == [("docs/organisations/alpha-verein.md", "region")]
    assert kb.cases["gemeinsame-statistik"].organisations == ("gamma-hilfe",)
