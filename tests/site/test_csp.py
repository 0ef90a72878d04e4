"""The content security policy: hashes of exactly the inline scripts that run, on every page, configurable."""

from __future__ import annotations

import base64
import functools
import hashlib
import http.server
import re
import socket
import threading
from pathlib import Path

import pytest

from casebook.site import csp
from conftest import Build, build_site

META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')


def sha256(code: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(code.encode()).digest()).decode() + "'"


def test_only_inline_scripts_that_run_are_hashed() -> None:
    page = ('<script>a()</script><script src="x.js"></script><script type="application/ld+json">{"a": 1}</script>'
            '<script id="__config" type="application/json">{}</script><script type="module">b()</script>'
            '<script type="text/javascript">c()</script><script>a()</script>')
    assert csp.inline_script_hashes(page) == [sha256("a()"), sha256("b()"), sha256("c()")]


def test_policy_restricts_scripts_and_extras_extend_it() -> None:
    policy = csp.policy("<script>a()</script>", {"img-src": ["https://bilder.example.org"], "connect-src": ["https://api.example.org"]})
    directives = dict(part.split(" ", 1) for part in policy.split("; "))
    assert directives["default-src"] == "'self'" and directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'self'" and directives["form-action"] == "'self'"
    assert directives["script-src"] == f"'self' {sha256('a()')}"
    assert directives["img-src"] == "'self' data: https://bilder.example.org"
    assert directives["connect-src"] == "'self' https://api.example.org"
    serve = csp.policy("<script>a()</script>", allow_inline_scripts=True)
    assert "script-src 'self' 'unsafe-inline';" in serve and "sha256" not in serve


def test_every_page_carries_the_policy_before_its_first_script(fixture_build: Build) -> None:
    pages = sorted(fixture_build.site.rglob("*.html"))
    assert len(pages) > 20
    for path in pages:
        html = path.read_text(encoding="utf-8")
        found = META.search(html)
        assert found, path
        assert found.start() < html.index("<script"), path
        policy = found[1].replace("&#39;", "'")
        assert "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";", 1)[0], path
        for code in re.findall(r"<script>(.*?)</script>", html, re.DOTALL):
            assert sha256(code) in policy, path


def test_a_site_can_turn_the_policy_off_or_extend_it(site_copy: Path) -> None:
    config = site_copy / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("  - casebook:\n", "  - casebook:\n      content_security_policy_sources:\n"
                                   "        img-src: [\"https://bilder.example.org\"]\n"), encoding="utf-8")
    extended = build_site(site_copy)
    assert extended.returncode == 0, extended.output
    assert "img-src &#39;self&#39; data: https://bilder.example.org;" in extended.html("")
    config.write_text(text.replace("  - casebook:\n", "  - casebook:\n      content_security_policy: false\n"), encoding="utf-8")
    off = build_site(site_copy)
    assert off.returncode == 0, off.output
    assert "Content-Security-Policy" not in off.html("") and "Content-Security-Policy" not in off.html("organisations/alpha-verein/")


@pytest.mark.browser
def test_instant_navigation_runs_under_the_first_pages_policy(site_copy: Path, browser) -> None:
    """Material swaps pages in place and runs their inline scripts again, under the policy of the page first loaded.

    Instant navigation only takes links below site_url, so the site is built for the local server's address.
    """
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = site_copy / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("site_url: https://example.org/test/", f"site_url: http://127.0.0.1:{port}/")
                      .replace("  font: false\n", "  font: false\n  features: [navigation.instant]\n"), encoding="utf-8")
    build = build_site(site_copy)
    assert build.returncode == 0, build.output
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(build.site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    page = browser.new_page()
    try:
        errors: list[str] = []
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.add_init_script("window.casebookViolations = []; document.addEventListener('securitypolicyviolation',"
                             " e => window.casebookViolations.push(e.violatedDirective + ' ' + e.sample));")
        page.goto(f"http://127.0.0.1:{port}/organisations/alpha-verein/", wait_until="networkidle")
        page.evaluate("window.casebookSameWindow = true")
        for _ in range(2):
            before = page.url
            page.locator(".casebook-similar a").first.click()
            page.wait_for_function(f"location.href !== {before!r}")
            page.wait_for_timeout(300)
        assert page.evaluate("window.casebookSameWindow") is True  # navigated in place, not reloaded
        assert page.evaluate("window.casebookViolations") == [] and errors == []
    finally:
        page.close()
        server.shutdown()
        server.server_close()


def test_a_sites_own_main_html_is_told_once_how_to_keep_the_policy(site_copy: Path) -> None:
    config = site_copy / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  font: false\n", "  font: false\n  custom_dir: overrides\n"), encoding="utf-8")
    (site_copy / "overrides").mkdir()
    main = site_copy / "overrides" / "main.html"
    main.write_text('{% extends "base.html" %}\n', encoding="utf-8")
    without = build_site(site_copy)
    assert without.returncode != 0 and without.output.count("keine Sicherheitsrichtlinie") == 1, without.output
    assert "partials/casebook-head.html" in without.output
    main.write_text('{% extends "base.html" %}\n{% block site_meta %}{{ super() }}{% include "partials/casebook-head.html" %}{% endblock %}\n'
                    '{% block config %}{{ super() }}{% include "partials/casebook-search.html" %}{% endblock %}\n', encoding="utf-8")
    with_partials = build_site(site_copy)
    assert with_partials.returncode == 0, with_partials.output
    assert META.search(with_partials.html("organisations/alpha-verein/"))
