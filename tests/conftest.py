"""Shared helpers: build a real MkDocs site from the fixture into a temporary folder."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

FIXTURE_SITE = Path(__file__).parent / "fixtures" / "site"
ROOT = Path(__file__).parent.parent


@dataclass
class Build:
    root: Path
    returncode: int
    output: str  # stdout and stderr of `mkdocs build`
    site: Path

    def html(self, url_path: str) -> str:
        """The HTML of a page by its URL path, e.g. 'zielgruppen/senior-innen/'."""
        path = self.site / url_path
        return (path / "index.html" if url_path.endswith("/") or not url_path else path).read_text(encoding="utf-8")


def build_site(root: Path, strict: bool = True) -> Build:
    command = [sys.executable, "-m", "mkdocs", "build", "--clean", "-d", str(root / "site")]
    if strict:
        command.append("--strict")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(command, cwd=root, capture_output=True, text=True, env=env)
    return Build(root, result.returncode, result.stdout + result.stderr, root / "site")


@pytest.fixture
def site_copy(tmp_path: Path) -> Path:
    """A writable copy of the fixture site; tests add or break files, then call build_site."""
    target = tmp_path / "site-src"
    shutil.copytree(FIXTURE_SITE, target)
    return target


@pytest.fixture(scope="session")
def fixture_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The unmodified fixture site, built once per test session."""
    target = tmp_path_factory.mktemp("fixture") / "site-src"
    shutil.copytree(FIXTURE_SITE, target)
    build = build_site(target)
    assert build.returncode == 0, build.output
    return build


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@contextmanager
def chromium_page(**context_options):
    """A page in real headless Chromium (Debian's package; Playwright cannot download browsers here)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser.new_context(**context_options).new_page()
        finally:
            browser.close()
