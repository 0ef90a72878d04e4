"""The bad-input corpus: every kind of contributor mistake is reported in German, with file, line and field,
fails `mkdocs build --strict`, never crashes, and never makes a page disappear."""

from __future__ import annotations

import functools
import shutil
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import pytest
import yaml
from markupsafe import escape

from conftest import FIXTURE_SITE, TESTS, Build, build_site

CORPUS = TESTS / "bad_input"
CASES = yaml.safe_load((CORPUS / "manifest.yml").read_text(encoding="utf-8"))
# Every page of the fixture site; each must still be built whatever else is broken.
FIXTURE_PAGES = [
    "", "organisations/", "cases/", "zielgruppen/", "software/", "themen/", "daten/", "regionen/",
    "organisations/alpha-verein/", "organisations/beta-netzwerk/", "organisations/gamma-hilfe/", "organisations/delta-kreis/",
    "cases/gemeinsame-statistik/", "cases/lernpatenschaften/", "zielgruppen/senior-innen/", "software/civicrm/", "regionen/berlin/",
]


def destination(case: dict) -> str:
    return case.get("to", f"docs/organisations/{case['file']}")


def page_url(case: dict) -> str | None:
    if "page" in case:
        return case["page"]
    target = PurePosixPath(destination(case))
    section = "cases" if target.parts[0] == "cases" else "organisations"
    return f"{section}/{target.stem}/"


def printed(problem: dict, path: str) -> str:
    """The message as contributors read it in the build output (model.Problem.format)."""
    where = f"{path}:{problem['line']}" if problem.get("line") else path
    return f"{where}: {problem['field']}: {problem['message']}" if problem.get("field") else f"{where}: {problem['message']}"


def assert_no_crash(build: Build) -> None:
    assert "Traceback" not in build.output, build.output
    assert "Error:" not in build.output.replace("Aborted with", ""), build.output


def assert_fixture_pages_built(build: Build) -> None:
    missing = [url for url in FIXTURE_PAGES if not (build.site / url / "index.html").is_file()]
    assert not missing, f"pages lost: {missing}\n{build.output}"


def test_corpus_and_manifest_agree() -> None:
    listed = {case["file"] for case in CASES}
    assert listed == {p.name for p in (CORPUS / "files").iterdir()}
    for case in CASES:
        assert all(p["severity"] in ("error", "warning") and p["message"] for p in case["problems"]), case


def replaces_shared_file(case: dict) -> bool:
    """A file that takes the place of one the whole site reads (the vocabulary) changes every other case's outcome."""
    return (FIXTURE_SITE / destination(case)).exists()


@dataclass
class CorpusBuild:
    strict: Build
    lenient: Build


@functools.cache
def corpus_build(group: str, workspace: Path) -> CorpusBuild:
    """One site holding every bad file of a group, built strictly and leniently; each case reads its own lines.

    Contributor files do not depend on each other except through names, which the corpus keeps apart, so one build
    tells each file's messages as well as one build per file did. A file that replaces a shared one builds alone."""
    root = workspace / group
    shutil.copytree(FIXTURE_SITE, root)
    for case in CASES:
        if group_of(case) == group:
            target = root / destination(case)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(CORPUS / "files" / case["file"], target)
    return CorpusBuild(strict=build_site(root, strict=True), lenient=build_site(root, strict=False))


def group_of(case: dict) -> str:
    return case["file"] if replaces_shared_file(case) else "together"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("bad-input")


def test_groups_hold_no_two_files_at_one_place() -> None:
    together = [destination(case) for case in CASES if group_of(case) == "together"]
    assert len(together) == len(set(together)) > 40


@pytest.mark.xdist_group("bad_input")
@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_bad_input(case: dict, workspace: Path) -> None:
    builds = corpus_build(group_of(case), workspace)
    path = destination(case)
    strict = builds.strict
    assert_no_crash(strict)
    for problem in case["problems"]:
        line = next((line for line in strict.output.splitlines() if printed(problem, path) in line), None)
        assert line is not None, f"missing: {printed(problem, path)}\n{strict.output}"
        assert line.startswith("ERROR" if problem["severity"] == "error" else "WARNING"), line
        assert problem.get("hint", "") in line
    about_this_file = [line for line in strict.output.splitlines() if line.split("casebook: ", 1)[-1].startswith((f"{path}:", f"{path} "))]
    assert len(about_this_file) == len(case["problems"]), "\n".join(about_this_file)  # nothing more, nothing from a neighbour
    if case["problems"]:
        assert strict.returncode != 0, strict.output
    if group_of(case) != "together":
        assert (strict.returncode != 0) == bool(case["problems"]), strict.output

    lenient = builds.lenient
    assert lenient.returncode == 0, lenient.output
    assert_no_crash(lenient)
    assert_fixture_pages_built(lenient)
    url = page_url(case)
    if url is None:
        return
    page = lenient.html(url)  # nothing silently lost: the file has its page
    errors = [p for p in case["problems"] if p["severity"] == "error"]
    if errors and not case.get("published"):
        assert "Diese Datei enthält Fehler" in page
        for problem in errors:
            assert str(escape(problem["message"])) in page
    else:
        assert "Diese Datei enthält Fehler" not in page


def test_huge_file_builds(site_copy: Path) -> None:
    """A 5 MB body (e.g. a pasted data export) is published, not a crash or a hang."""
    body = "Eine Zeile mit Text, die sich oft wiederholt.\n\n" * 110_000
    front = (CORPUS / "files" / "front-matter-only.md").read_text(encoding="utf-8")
    (site_copy / "docs/organisations/riesig.md").write_text(front + body, encoding="utf-8")
    assert len(body.encode()) > 5_000_000
    build = build_site(site_copy, strict=True)
    assert build.returncode == 0, build.output
    assert_no_crash(build)
    assert build.html("organisations/riesig/").count("Eine Zeile mit Text") == 110_000
