"""Every internal link and anchor of the built sites leads somewhere; external links are https (or mailto).

Crawls the whole REAL site (repo root mkdocs.yml) and the fixture site. Also checks that the real
site builds byte-identically twice, including the sitemap, whose dates come from the build day.
"""

from __future__ import annotations

import datetime
import gzip
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

import pytest

from conftest import ROOT, Build

SOURCE_DATE_EPOCH = 1735689600  # 2025-01-01: MkDocs dates the sitemap by the build day unless this is set
LINK_ATTRIBUTES = {"a": "href", "link": "href", "script": "src", "img": "src", "source": "src", "iframe": "src", "form": "action"}


def build_real_site(target: Path) -> Path:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONWARNINGS": "ignore", "SOURCE_DATE_EPOCH": str(SOURCE_DATE_EPOCH)}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(ROOT / "mkdocs.yml"), "-d", str(target)],
                            cwd=ROOT, capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    return target


@pytest.fixture(scope="module")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_real_site(tmp_path_factory.mktemp("real") / "site")


@dataclass
class Page:
    links: list[tuple[str, str]] = field(default_factory=list)  # (tag, URL)
    ids: set[str] = field(default_factory=set)


class PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.page = Page()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        for name in ("id", "name") if tag == "a" else ("id",):
            if attributes.get(name):
                self.page.ids.add(attributes[name])  # type: ignore[arg-type]
        url = attributes.get(LINK_ATTRIBUTES.get(tag, ""))
        if url is not None:
            self.page.links.append((tag, url))


def parse(path: Path) -> Page:
    parser = PageParser()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.page


def target_file(site: Path, page: PurePosixPath, url_path: str) -> Path:
    """The file a relative URL on ``page`` (a path inside the site) points to."""
    joined = os.path.normpath(os.path.join(str(page.parent), unquote(url_path)))
    target = site / joined
    return target / "index.html" if target.is_dir() else target


def broken_links(site: Path, base: str = "/") -> Iterator[str]:
    """``base`` is the URL path of the site (from site_url); 404.html links absolutely below it."""
    pages = {path: parse(path) for path in sorted(site.rglob("*.html"))}
    for path, page in pages.items():
        here = PurePosixPath(path.relative_to(site).as_posix())
        for tag, url in page.links:
            parts = urlsplit(url)
            if parts.scheme == "mailto":
                if "@" not in parts.path:
                    yield f"{here}: <{tag}> {url}: mailto without address"
                continue
            if parts.scheme or url.startswith("//"):
                if parts.scheme != "https" or not parts.hostname:
                    yield f"{here}: <{tag}> {url}: only https links are allowed"
                continue
            if parts.path.startswith("/"):
                if not parts.path.startswith(base):
                    yield f"{here}: <{tag}> {url}: absolute link outside the site {base}"
                    continue
                target = target_file(site, PurePosixPath("index.html"), parts.path.removeprefix(base))
            else:
                target = path if not parts.path else target_file(site, here, parts.path)
            if not target.is_file():
                yield f"{here}: <{tag}> {url}: no such file {target.relative_to(site) if target.is_relative_to(site) else target}"
                continue
            if parts.fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else parse(target).ids
                if unquote(parts.fragment) not in ids:
                    yield f"{here}: <{tag}> {url}: no element with id '{parts.fragment}'"


def test_real_site_has_no_broken_links(real_site: Path) -> None:
    assert len(list(real_site.rglob("*.html"))) > 50
    assert list(broken_links(real_site, "/casebook/")) == []


def test_real_site_does_not_ask_github_for_repository_facts(real_site: Path) -> None:
    """Material's data-md-component="source" makes every reader's browser call api.github.com;
    the plugin's partial partials/source.html (site/templates/theme/) leaves it out."""
    assert [p for p in real_site.rglob("*.html") if 'data-md-component="source"' in p.read_text(encoding="utf-8")] == []


def test_fixture_site_has_no_broken_links(fixture_build: Build) -> None:
    assert list(broken_links(fixture_build.site, "/test/")) == []


def test_the_crawler_finds_broken_links(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a/index.html").write_text('<h2 id="da">x</h2><a href="#da">ok</a><a href="../b/">b</a><a href="#weg">x</a>'
                                           '<a href="http://example.org">x</a><a href="javascript:alert(1)">x</a>'
                                           '<a href="mailto:kontakt@example.org">ok</a><a href="../a/#da">ok</a>', encoding="utf-8")
    problems = list(broken_links(tmp_path))
    assert [p.split(": ", 2)[2] for p in problems] == [
        "no such file b", "no element with id 'weg'", "only https links are allowed", "only https links are allowed"]


def test_real_site_builds_byte_identical(real_site: Path, tmp_path: Path) -> None:
    second = build_real_site(tmp_path / "site")
    files = sorted(p.relative_to(real_site).as_posix() for p in real_site.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second).as_posix() for p in second.rglob("*") if p.is_file())
    differing = [name for name in files if (real_site / name).read_bytes() != (second / name).read_bytes()]
    assert differing == []


def test_sitemap_dates_come_from_the_build_day(real_site: Path) -> None:
    """MkDocs writes the build day (or SOURCE_DATE_EPOCH) as every page's lastmod and as the gzip header time:
    two builds on different days differ in sitemap.xml and sitemap.xml.gz, nowhere else."""
    day = datetime.datetime.fromtimestamp(SOURCE_DATE_EPOCH, datetime.UTC).date().isoformat()
    sitemap = (real_site / "sitemap.xml").read_text(encoding="utf-8")
    assert set(re.findall(r"<lastmod>([^<]+)</lastmod>", sitemap)) == {day}
    compressed = (real_site / "sitemap.xml.gz").read_bytes()
    assert int.from_bytes(compressed[4:8], "little") == SOURCE_DATE_EPOCH
    assert gzip.decompress(compressed).decode("utf-8") == sitemap
