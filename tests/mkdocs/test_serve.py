"""`mkdocs serve` with the plugin: live reload really reloads the browser, and mistakes never stop the server."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def served(site_copy: Path) -> Iterator[tuple[Path, str, subprocess.Popen]]:
    port = _free_port()
    with open(site_copy / "serve.log", "w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
            cwd=site_copy, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        )
        base = f"http://127.0.0.1:{port}/test/"  # serve mounts the site under site_url's path
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base, timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    server.kill()
                    pytest.fail("mkdocs serve did not start:\n" + (site_copy / "serve.log").read_text())
                time.sleep(0.2)
        yield site_copy, base, server
        server.terminate()
        server.wait(timeout=10)


@pytest.mark.parametrize(
    ("source", "page", "old", "new"),
    [
        ("cases/gemeinsame-statistik.md", "cases/gemeinsame-statistik/", "Die Wartezeiten wurden sichtbar.", "Die Wartezeiten sanken deutlich."),
        ("docs/organisations/beta-netzwerk.md", "organisations/beta-netzwerk/", "Wir vernetzen Generationen.", "Wir verbinden Jung und Alt."),
        ("docs/vokabular.yml", "zielgruppen/senior-innen/", "Ältere Menschen.", "Menschen ab 65 Jahren."),
    ],
)
def test_edit_reloads_the_open_page(served, new_page, source: str, page: str, old: str, new: str) -> None:
    root, base, _ = served
    browser_page = new_page()
    browser_page.goto(base + page)
    browser_page.evaluate("window.__before_reload = true")
    assert old in browser_page.content()
    path = root / source
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    # Live reload replaces the document: the marker disappears and the new text shows. The reload script is
    # inline; the serve-only policy allows it (polled with evaluate: wait_for_function needs eval, which it forbids).
    deadline = time.monotonic() + 30
    while not _reloaded(browser_page):
        assert time.monotonic() < deadline, "the page never reloaded"
        time.sleep(0.2)
    browser_page.wait_for_selector(f"text={new}", timeout=30_000)
    policy = browser_page.get_attribute("meta[http-equiv=Content-Security-Policy]", "content")
    assert "script-src 'self' 'unsafe-inline'" in policy and "sha256-" not in policy


def test_broken_file_is_reported_and_server_keeps_running(served) -> None:
    root, base, server = served
    case = root / "cases" / "gemeinsame-statistik.md"
    case.write_text(case.read_text(encoding="utf-8").replace("year: 2025", "year: [2025"), encoding="utf-8")
    deadline = time.monotonic() + 30
    while "Diese Datei enthält Fehler" not in (html := _get(base + "cases/gemeinsame-statistik/")):
        assert time.monotonic() < deadline, "the broken case never showed its problem"
        time.sleep(0.3)
    assert server.poll() is None
    assert "Zeile" in html
    log = (root / "serve.log").read_text()
    assert "cases/gemeinsame-statistik.md:" in log and "Traceback" not in log
    assert "Beta-Netzwerk" in _get(base + "organisations/beta-netzwerk/")


def _reloaded(page) -> bool:
    from playwright.sync_api import Error

    try:
        return page.evaluate("window.__before_reload") is None
    except Error:  # asked while the reload replaced the document
        return False


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")
