"""`casebook init` in an empty folder: a knowledge base that checks, builds strictly and serves at once."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import yaml

from casebook.cli import options
from casebook.mkdocs.config import OPTION_DOCS, TAXONOMY_OPTION_DOCS, CasebookConfig, TaxonomyConfig
from conftest import ROOT

BIN = Path(sys.executable).parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def run(*command: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, stdin=subprocess.DEVNULL, env=ENV)


def test_init_makes_a_knowledge_base_that_checks_builds_strictly_and_serves(tmp_path: Path) -> None:
    made = run(str(BIN / "casebook"), "init", "neue-wissensbasis", cwd=tmp_path)  # no terminal: no questions
    assert made.returncode == 0, made.stderr
    root = tmp_path / "neue-wissensbasis"
    for name in ("mkdocs.yml", "docs/vokabular.yml", "docs/index.md", "README.md", "requirements.txt",
                 ".github/workflows/pruefen.yml", ".github/ISSUE_TEMPLATE/organisation.yml", ".github/ISSUE_TEMPLATE/case.yml"):
        assert (root / name).is_file(), name
    profiles, cases = list((root / "docs/organisations").glob("*.md")), list((root / "cases").glob("*.md"))
    assert len(profiles) == 1 and len(cases) == 1
    assert all("fictitious: true" in path.read_text(encoding="utf-8") for path in [*profiles, *cases])

    config = yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    settings = next(item["casebook"] for item in config["plugins"] if isinstance(item, dict) and "casebook" in item)
    assert list(settings) == [name for name, _ in CasebookConfig._schema]  # every option, written out
    assert config["site_name"] == "Neue Wissensbasis"

    checked = run(str(BIN / "casebook"), "check", cwd=root)
    assert checked.returncode == 0 and "Alles in Ordnung" in checked.stdout, checked.stdout + checked.stderr
    built = run(str(BIN / "mkdocs"), "build", "--strict", cwd=root)
    assert built.returncode == 0, built.stderr
    assert (root / "site/organisations/beispielverein-musterstadt/index.html").is_file()

    scaffolded = run(str(BIN / "casebook"), "new", "organisation", "--yes", "--name", "Zweiter Verein", "--summary", "Wir testen.",
                     "--target-group", "Senior*innen", cwd=root)
    assert scaffolded.returncode == 0, scaffolded.stderr
    modeline = (root / "docs/organisations/zweiter-verein.md").read_text(encoding="utf-8").split("\n")[1]
    assert modeline == "# yaml-language-server: $schema=http://127.0.0.1:8000/schemas/organisation.schema.json"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([str(BIN / "mkdocs"), "serve", "-a", f"127.0.0.1:{port}"], cwd=root, env=ENV,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:  # the modeline's address: editors fetch the schema from the local preview
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/schemas/organisation.schema.json", timeout=2) as response:
                    assert b'"title": "Organisationsprofil"' in response.read()
                break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None, "mkdocs serve did not start"
                time.sleep(0.3)
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_init_refuses_a_folder_that_has_a_knowledge_base(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    refused = run(str(BIN / "casebook"), "init", cwd=tmp_path)
    assert refused.returncode == 1 and "gibt es schon eine Wissensbasis" in refused.stderr
    assert (tmp_path / "mkdocs.yml").read_text(encoding="utf-8") == "site_name: x\n"


def test_every_option_is_documented_and_the_reference_page_is_current() -> None:
    assert set(OPTION_DOCS) == {name for name, _ in CasebookConfig._schema}
    assert set(TAXONOMY_OPTION_DOCS) == {name for name, _ in TaxonomyConfig._schema}
    page = (ROOT / "docs/entwicklung/optionen.md").read_text(encoding="utf-8")
    assert options.options_markdown() in page
    for name in OPTION_DOCS:
        assert f"| `{name}` |" in page
