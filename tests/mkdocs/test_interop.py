"""A good neighbour: casebook keeps what earlier plugins made, hands later ones finished HTML, and runs on ProperDocs."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import Build, build_site

BIN = Path(sys.executable).parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
HOOK = '''\
import json, pathlib

seen = {}


def on_page_content(html, page, config, files):
    seen[page.file.src_uri] = html


def on_post_build(config):
    pathlib.Path(config.config_file_path).with_name("seen.json").write_text(json.dumps(seen))
'''


def test_macros_before_casebook_and_a_hook_after_it(site_copy: Path) -> None:
    config = site_copy / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("plugins:\n", "hooks:\n  - hook.py\nplugins:\n  - macros\n"), encoding="utf-8")
    (site_copy / "hook.py").write_text(HOOK, encoding="utf-8")
    profile = site_copy / "docs/organisations/alpha-verein.md"
    profile.write_text(profile.read_text(encoding="utf-8") + "\nDie Antwort ist {{ 6 * 7 }}.\n", encoding="utf-8")
    build = build_site(site_copy)
    assert build.returncode == 0, build.output
    page = build.html("organisations/alpha-verein/")
    assert "Die Antwort ist 42." in page and "{{" not in page  # mkdocs-macros' output is kept
    seen = json.loads((site_copy / "seen.json").read_text(encoding="utf-8"))
    assert "Die Antwort ist 42." in seen["organisations/alpha-verein.md"]
    for uri, html in seen.items():  # later plugins see the finished page, not our placeholders
        assert "casebookhtml" not in html, uri
    assert 'class="casebook-similar"' in seen["organisations/alpha-verein.md"]
    assert 'class="casebook-list"' in seen["zielgruppen/senior-innen.md"]


def test_properdocs_builds_the_same_site_strictly(site_copy: Path, fixture_build: Build) -> None:
    result = subprocess.run([str(BIN / "properdocs"), "build", "--strict", "-f", "mkdocs.yml", "-d", str(site_copy / "site")],
                            cwd=site_copy, capture_output=True, text=True, env=ENV)
    assert result.returncode == 0, result.stderr
    generator = re.compile(r'<meta name="generator" content="[^"]*">')
    ours = sorted(p.relative_to(site_copy / "site") for p in (site_copy / "site").rglob("*") if p.is_file())
    theirs = sorted(p.relative_to(fixture_build.site) for p in fixture_build.site.rglob("*") if p.is_file())
    assert ours == theirs
    for path in ours:
        a, b = (site_copy / "site" / path).read_bytes(), (fixture_build.site / path).read_bytes()
        if path.suffix == ".html":
            a, b = (generator.sub("", x.decode()).encode() for x in (a, b))
        assert a == b, path


def test_the_command_line_finds_properdocs_yml(site_copy: Path) -> None:
    shutil.move(site_copy / "mkdocs.yml", site_copy / "properdocs.yml")
    result = subprocess.run([str(BIN / "casebook"), "check"], cwd=site_copy, capture_output=True, text=True, env=ENV)
    assert result.returncode == 0 and "Alles in Ordnung" in result.stdout, result.stdout + result.stderr
