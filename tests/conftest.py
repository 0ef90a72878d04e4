"""Shared helpers: build a real MkDocs site from the fixture into a temporary folder, run the casebook command."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
import traceback
from collections.abc import Iterator
from contextlib import chdir, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from casebook.site.urls import Layout, SiteUrls

TESTS = Path(__file__).parent
FIXTURE_SITE = TESTS / "fixtures" / "site"
ROOT = TESTS.parent


# ---------------------------------------------------------------- the command line, as contributors run it

CASEBOOK = Path(sys.executable).parent / "casebook"  # the installed entry point, for tests of the command as a process


def run(root: Path, *args: str, stdin: str | None = None, **env: str) -> subprocess.CompletedProcess[str]:
    """`casebook ARGS` in ``root``, run in this process by click's own test runner: the real command and its exact output
    and exit code, without starting Python again for each of the suite's ~80 calls (the terminal test in test_cli.py and
    the build tests run the installed command as a process). An unexpected exception fails the test with its traceback."""
    from click.testing import CliRunner

    from casebook.cli.main import main

    with chdir(root):
        result = CliRunner().invoke(main, args, input=stdin, env={"GITHUB_ACTIONS": None, **env}, catch_exceptions=False)
    return subprocess.CompletedProcess(["casebook", *args], result.exit_code, result.stdout, result.stderr)


def issue_body(answers: dict[str, str]) -> str:
    """A submitted GitHub issue form: each label as a '###' heading with its answer, then the privacy confirmation."""
    sections = "".join(f"### {label}\n\n{answer}\n\n" for label, answer in answers.items())
    return sections + "### Datenschutz\n\n- [X] Ich habe keine personenbezogenen Daten eingetragen\n"


def write(root: Path, relative: str, text: str) -> None:
    (root / relative).write_text(text, encoding="utf-8")


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


def mkdocs_command(root: Path, *arguments: str) -> tuple[int, str]:
    """`mkdocs ARGUMENTS` in ``root``: MkDocs' own command line, run in this process by click's test runner (exit code and
    output as in a terminal; an exception that would end the process is added to the output as its traceback)."""
    from click.testing import CliRunner
    from mkdocs.__main__ import cli

    with chdir(root):
        result = CliRunner().invoke(cli, arguments, env={"NO_MKDOCS_2_WARNING": "1"})
    output = result.output
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        output += "".join(traceback.format_exception(result.exception))
    return result.exit_code, output


def build_site(root: Path, strict: bool = True, *options: str, hash_seed: int | None = None) -> Build:
    """Builds ``root`` into ``root / "site"``; with ``hash_seed``, in a Python process of its own with that PYTHONHASHSEED,
    so that two builds under different seeds would show any output that depends on the order of a set."""
    arguments = ["build", "--clean", "-d", str(root / "site"), *options, *(["--strict"] if strict else [])]
    if hash_seed is None:
        returncode, output = mkdocs_command(root, *arguments)
    else:
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONHASHSEED": str(hash_seed)}
        result = subprocess.run([sys.executable, "-m", "mkdocs", *arguments], cwd=root, capture_output=True, text=True, env=env)
        returncode, output = result.returncode, result.stdout + result.stderr
    return Build(root, returncode, output, root / "site")


@pytest.fixture
def site_copy(tmp_path: Path) -> Path:
    """A writable copy of the fixture site; tests add or break files, then call build_site."""
    target = tmp_path / "site-src"
    shutil.copytree(FIXTURE_SITE, target)
    return target


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The real site (mkdocs.yml at the repository root) built strictly, once per test session, into a temporary folder."""
    target = tmp_path_factory.mktemp("example") / "site"
    returncode, output = mkdocs_command(ROOT, "build", "--strict", "-d", str(target))
    assert returncode == 0, output
    return Build(ROOT, returncode, output, target)


@pytest.fixture(scope="session")
def fixture_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The unmodified fixture site, built once per test session."""
    target = tmp_path_factory.mktemp("fixture") / "site-src"
    shutil.copytree(FIXTURE_SITE, target)
    build = build_site(target)
    assert build.returncode == 0, build.output
    return build



def directory_urls(kb) -> SiteUrls:
    """The URLs MkDocs gives every page of ``kb`` with use_directory_urls (its default), as the plugin learns them in on_nav."""
    layout = Layout.of(kb.kinds)
    uris = ["index.md", *(layout.entry(e.kind, e.slug) for e in kb.all_entries()), *(layout.overview(k.name) for k in kb.kinds),
            *(layout.taxonomy(t) for t in kb.taxonomies), *(layout.term(t, slug) for t in kb.taxonomies for slug in kb.terms[t.key])]
    return SiteUrls(layout, placed={uri: "" if uri == "index.md" else uri.removesuffix(".md") + "/" for uri in uris})


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is missing; install Debian's chromium package to run the browser tests")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve_directory(directory: Path) -> Iterator[str]:
    """Serves a built site on a free loopback port; yields its base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session (Debian's package; Playwright cannot download browsers here)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser):
    """Opens pages in fresh browser contexts, closed after the test."""
    contexts = []

    def open_page(**context_options):
        context = browser.new_context(**context_options)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()
