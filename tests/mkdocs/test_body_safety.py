"""Hostile Markdown bodies end to end: the strict build and the checker name them, the lenient build publishes
them harmless with every word kept, and in Chromium nothing runs."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURE_SITE, Build, build_site, run, serve_directory
from payloads import PAYLOADS, hostile_body, unsafe_parts

PROFILE, CASE = "docs/organisations/boeser-text.md", "cases/boeser-fall.md"
EXTENSIONS = "markdown_extensions:\n  - admonition\n  - attr_list\n  - tables\n  - footnotes\n  - abbr\n  - pymdownx.details\n"


def write(path: Path, meta: dict, body: str) -> None:
    path.write_text("---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n" + body, encoding="utf-8")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("bodies") / "site-src"
    shutil.copytree(FIXTURE_SITE, root)
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("markdown_extensions:\n  - admonition\n", EXTENSIONS), encoding="utf-8")
    write(root / PROFILE, {"name": "Böser Text e. V.", "summary": "Ein Profil mit feindlichem Textteil.",
                           "target_groups": ["Senior*innen"], "fictitious": True}, hostile_body())
    write(root / CASE, {"title": "Böser Fall", "summary": "Eine Fallstudie mit feindlichem Textteil.",
                        "organisations": ["alpha-verein"], "fictitious": True}, hostile_body())
    return root


@pytest.fixture(scope="module")
def lenient(hostile_site: Path) -> Build:
    build = build_site(hostile_site, False)
    assert build.returncode == 0, build.output
    return build


def test_strict_build_fails_naming_both_files_line_and_what_is_removed(hostile_site: Path) -> None:
    build = build_site(hostile_site, True, "-d", str(hostile_site / "strict-site"))
    assert build.returncode != 0
    for path in (PROFILE, CASE):
        lines = (hostile_site / path).read_text(encoding="utf-8").split("\n")
        onclick_line = 1 + next(i for i, line in enumerate(lines) if "onclick" in line)
        message = "Textteil: Das Attribut onclick wird entfernt – Skripte sind in Beiträgen nicht erlaubt."
        assert f"{path}:{onclick_line}: {message}" in build.output, build.output
    assert "Traceback" not in build.output


def test_checker_fails_with_the_same_messages(hostile_site: Path) -> None:
    casebook = Path(sys.executable).parent / "casebook"
    result = subprocess.run([str(casebook), "check"], cwd=hostile_site, capture_output=True, text=True)
    assert result.returncode == 1
    for path in (PROFILE, CASE):
        assert re.search(rf"Fehler: {re.escape(path)}:\d+: Textteil: Das Element <script> wird entfernt", result.stdout), result.stdout
        assert f"{path}:" in result.stdout and "jav\\tascript:alert(6)" in result.stdout


@pytest.mark.parametrize("page", ["organisations/boeser-text/", "cases/boeser-fall/"])
def test_lenient_build_publishes_every_word_and_nothing_unsafe(lenient: Build, page: str) -> None:
    html = lenient.html(page)
    article = html.split('<article', 1)[1].split("</article>", 1)[0]
    body = article.split("Ein Textteil mit Beispielen", 1)[1].split("<h2", 1)[0]
    assert unsafe_parts(body) == []
    for number in range(1, len(PAYLOADS) + 1):
        assert f"Wort{number}" in article
    assert "Ein Textteil mit Beispielen aus der OWASP-Liste." in article
    # The page around the body is whole, although the last payload leaves its HTML open.
    assert re.search(r'<h2 [^>]*id="organisationen-wie-ihr">Organisationen wie ihr<', article)
    assert "##" not in article and "data-search-exclude }" not in article and "</style>" not in article


@pytest.mark.browser
@pytest.mark.parametrize("page", ["organisations/boeser-text/", "cases/boeser-fall/"])
def test_nothing_runs_in_chromium(lenient: Build, new_page, page: str) -> None:
    with serve_directory(lenient.site) as base:
        tab = new_page()
        dialogs: list[str] = []
        tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        tab.goto(base + page, wait_until="networkidle")
        for link in tab.locator("article a").all()[:40]:
            link.hover()
        tab.wait_for_timeout(200)
        assert dialogs == []
        handlers = tab.evaluate("""() => [...document.querySelectorAll('*')].flatMap(el =>
            [...el.attributes].filter(a => a.name.startsWith('on')).map(a => el.tagName + ' ' + a.name))""")
        assert handlers == []
        hrefs = tab.evaluate("() => [...document.querySelectorAll('[href], [src]')].map(el => el.href || el.src)")
        assert [h for h in hrefs if re.match(r"\s*(javascript|vbscript|data):", h, re.IGNORECASE)] == []
        assert tab.evaluate("document.getElementById('__config').tagName") == "SCRIPT"  # the theme's config is not shadowed


def test_checker_and_build_read_attribute_lists_alike(site_copy: Path) -> None:
    """The plugin turns on attr_list for its templates, also on this fixture site that lacks it; the checker converts
    bodies with it too, or it would pass an attribute list that the strict build refuses."""
    profile = site_copy / "docs/organisations/alpha-verein.md"
    profile.write_text(profile.read_text(encoding="utf-8") + '\nKlickt hier.\n{: onclick="alert(1)" }\n', encoding="utf-8")
    message = "docs/organisations/alpha-verein.md:21: Textteil: Das Attribut onclick wird entfernt – Skripte sind in Beiträgen nicht erlaubt."
    build = build_site(site_copy)
    assert build.returncode != 0 and message in build.output
    check = run(site_copy, "check")
    assert check.returncode != 0 and message in check.stdout + check.stderr
