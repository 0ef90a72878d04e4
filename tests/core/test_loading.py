"""Reading a knowledge base from disk with loading.load, without MkDocs."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from casebook.core.knowledge import Settings
from casebook.core.loading import Paths, SourceCache, load
from casebook.core.model import DEFAULT_TAXONOMIES
from casebook.mkdocs.config import FOLDER_OPTIONS
from conftest import FIXTURE_SITE


def _paths(root: Path) -> Paths:
    return Paths(root, {"organisation": root / "docs" / "organisations", "case": root / "cases"}, root / "docs" / "vokabular.yml", FOLDER_OPTIONS)


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
    assert kb.entries["case"]["gemeinsame-statistik"].named("organisations") == ("gamma-hilfe",)


def _touch(path: Path, text: str) -> None:
    """Write ``text`` with a modification time that surely differs from the previous one."""
    before = path.stat().st_mtime_ns
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before + 10**9, before + 10**9))


def test_a_rebuild_redoes_only_what_its_changed_inputs_affect(tmp_path: Path) -> None:
    """What `mkdocs serve` keeps between rebuilds: unchanged files are neither parsed nor checked again."""
    root = tmp_path / "site"
    shutil.copytree(FIXTURE_SITE, root)
    cache, settings = SourceCache(), Settings(DEFAULT_TAXONOMIES)
    first = load(_paths(root), settings, cache)
    second = load(_paths(root), settings, cache)
    assert second.organisations["alpha-verein"] is first.organisations["alpha-verein"]
    assert second.similar is first.similar

    case = root / "cases" / "lernpatenschaften.md"
    _touch(case, case.read_text(encoding="utf-8") + "\nEin neuer Absatz.\n")  # the body only: similarity stays
    third = load(_paths(root), settings, cache)
    assert third.entries["case"]["lernpatenschaften"].body.endswith("Ein neuer Absatz.\n")
    assert third.organisations["alpha-verein"] is first.organisations["alpha-verein"]
    assert third.similar is first.similar

    profile = root / "docs" / "organisations" / "delta-kreis.md"
    _touch(profile, profile.read_text(encoding="utf-8").replace("software: [", "software: [CiviCRM, ", 1))
    fourth = load(_paths(root), settings, cache)
    assert "civicrm" in {t.slug for t in fourth.organisations["delta-kreis"].terms["software"]}
    assert fourth.similar is not first.similar and fourth.similar == load(_paths(root), settings).similar

    vocabulary = root / "docs" / "vokabular.yml"
    _touch(vocabulary, vocabulary.read_text(encoding="utf-8").replace("Ältere Menschen.", "Menschen ab 65."))
    fifth = load(_paths(root), settings, cache)
    assert fifth.organisations["alpha-verein"] is not fourth.organisations["alpha-verein"]  # checked against the new vocabulary
    assert fifth.terms["target_groups"]["senior-innen"].description == "Menschen ab 65."
    assert fifth.problems == load(_paths(root), settings).problems == []


def test_a_missing_vocabulary_is_reported_first_and_once(tmp_path: Path) -> None:
    root = tmp_path / "site"
    shutil.copytree(FIXTURE_SITE, root)
    (root / "docs" / "vokabular.yml").unlink()
    kb = load(_paths(root), Settings(DEFAULT_TAXONOMIES))
    assert [(p.path, p.field, p.severity) for p in kb.problems] == [("docs/vokabular.yml", "vocabulary", "error")]
    assert "casebook init" in (kb.problems[0].hint or "")
    assert len(kb.organisations) == 4  # the entries themselves are still read


def test_a_wrong_folder_option_is_an_error_naming_the_option(tmp_path: Path) -> None:
    root = tmp_path / "site"
    shutil.copytree(FIXTURE_SITE, root)
    paths = _paths(root)
    wrong = Paths(root, {"organisation": paths.folders["organisation"], "case": root / "fallstudien"}, paths.vocabulary, FOLDER_OPTIONS)
    [problem] = load(wrong, Settings(DEFAULT_TAXONOMIES)).problems
    assert (problem.path, problem.field, problem.severity) == ("mkdocs.yml", "cases_dir", "error")
    assert problem.message == "Den Ordner fallstudien gibt es nicht."
    (root / "leer").mkdir()
    empty = Paths(root, {"organisation": paths.folders["organisation"], "case": root / "leer"}, paths.vocabulary, FOLDER_OPTIONS)
    [problem] = load(empty, Settings(DEFAULT_TAXONOMIES)).problems
    assert (problem.field, problem.severity) == ("cases_dir", "warning") and "liegt kein Eintrag" in problem.message
