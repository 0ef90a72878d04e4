"""Hostile input: markup, event handlers, javascript: links and template syntax in every front-matter field
and in the vocabulary come out escaped and inert everywhere the site shows them.

The checker refuses tags and template syntax in entries with an error, so the site is built without
--strict: refused files must still render (as pages that show the problem), accepted ones escaped.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import icalendar
import pytest
import yaml

from conftest import FIXTURE_SITE, Build, build_site, serve_directory

MARK = "__pwned"
SCRIPT = f"<script>window.{MARK}=1</script>"
IMAGE = f'<img src="x" onerror="window.{MARK}=1">'
ATTRIBUTE = f'" autofocus onfocus="window.{MARK}=1'
SINGLE = f"' onmouseover='window.{MARK}=1"
JS_LINK = f"javascript:window.{MARK}=1"
TEMPLATE = "{{ config }} {% raw %} {{ 7 * 7 }}"
# Refused by the checker (tags, template syntax) and accepted (plain characters that only become dangerous unescaped).
REFUSED = f"Böse {SCRIPT} {IMAGE} {TEMPLATE}"
ACCEPTED = f"Böse {ATTRIBUTE} {SINGLE} {JS_LINK}"


def entry(kind: str, payload: str, url: str) -> dict:
    """Front matter with the payload in every field that takes text."""
    common = {
        "summary": f"Zusammenfassung {payload}",
        "target_groups": [f"Gruppe {payload}", "Senior*innen"],
        "software": [f"Software {payload}"],
        "topics": [f"Thema {payload}"],
        "data": [f"Daten {payload}"],
        "challenges": [f"Herausforderung {payload}"],
        "region": f"Region {payload}",
        "fictitious": True,
    }
    if kind == "organisation":
        # Offers and needs with notes: on the profile, in others' "Passt zu eurem Bedarf", the Kooperationsbörse and the feed.
        return {"name": f"Verein {payload}", **common, "website": url, "contact": url, "seeking": f"Suche {payload}",
                "offers": [{"term": f"Angebot {payload}", "note": f"Notiz {payload}"}, {"term": "Gemeinsam auswerten", "note": f"Hilfe {payload}"}],
                "needs": [{"term": "Gemeinsam auswerten", "note": f"Bedarf {payload}"}]}
    if kind == "event":
        return {"title": f"Termin {payload}", **common, "start": "2030-05-04 18:00", "place": f"Ort {payload}", "online_url": url,
                "registration": url, "format": f"Format {payload}", "organisations": ["alpha-verein"]}
    return {"title": f"Fall {payload}", **common, "organisations": ["alpha-verein", f"verein {payload}"], "status": "laufend"}


def write(path: Path, meta: dict, body: str = "Ein harmloser Text.\n") -> None:
    path.write_text("---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n" + body, encoding="utf-8")


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    root = tmp_path_factory.mktemp("hostile") / "site-src"
    shutil.copytree(FIXTURE_SITE, root)
    https = "https://example.org/suche?ort=1&art=2"  # quotes and angle brackets in URLs are refused (test_url_fields_refuse_...)
    write(root / "docs/organisations/boeser-verein.md", entry("organisation", ACCEPTED, https))
    # Typed fields and field names too: their error messages quote the value on the page of the refused file.
    typed = {"status": REFUSED, "year": REFUSED, "date": REFUSED, "fictitious": REFUSED, f"feld {SCRIPT}": REFUSED}
    write(root / "docs/organisations/abgelehnter-verein.md", {**entry("organisation", REFUSED, JS_LINK), **typed})
    write(root / "cases/boeser-fall.md", entry("case", ACCEPTED, https))
    write(root / "cases/abgelehnter-fall.md", {**entry("case", REFUSED, JS_LINK), **typed})
    (root / "docs/termine").mkdir()  # events: their page, overview, calendars and "Passende Termine" show the payloads too
    write(root / "docs/termine/boeser-termin.md", entry("event", ACCEPTED, https))
    vocabulary = yaml.safe_load((root / "docs/vokabular.yml").read_text(encoding="utf-8"))
    # The blank line would end the HTML block around the description and let Markdown make a javascript: link.
    vocabulary["topics"].append({"label": f"Vokabel {SCRIPT} {ATTRIBUTE}",
                                 "description": f"Beschreibung {REFUSED} {ACCEPTED}\n\n[klick]({JS_LINK}) <b onclick=x>",
                                 "aliases": [f"Thema {ACCEPTED}"]})
    (root / "docs/vokabular.yml").write_text(yaml.safe_dump(vocabulary, allow_unicode=True), encoding="utf-8")
    build = build_site(root, strict=False)
    assert build.returncode == 0, build.output
    assert "Traceback" not in build.output
    return build


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text inside <script> elements."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[str, str]] = []  # (type attribute, text)
        self._script_type: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._script_type = (dict(attrs).get("type") or "text/javascript") if tag == "script" else None

    def handle_endtag(self, tag: str) -> None:
        self._script_type = None

    def handle_data(self, data: str) -> None:
        if self._script_type is not None:
            self.scripts.append((self._script_type, data))


def injected(html: str) -> list[str]:
    """What an attacker got into the page: handlers, javascript: URLs, images and scripts carrying the mark."""
    parser = Elements()
    parser.feed(html)
    found = []
    for kind, text in parser.scripts:
        if kind.endswith("json"):  # a data block (JSON-LD): inert as long as it stays valid JSON inside its element
            try:
                json.loads(text)
            except ValueError:
                found.append(f"broken {kind}: {text[:80]}")
        elif MARK in text:
            found.append(f"script: {text[:80]}")
    for tag, attrs in parser.tags:
        for name, value in attrs.items():
            if name.startswith("on") or name == "autofocus":
                found.append(f"<{tag} {name}={value!r}>")
            if name in ("href", "src", "action", "formaction") and (value or "").strip().lower().startswith("javascript:"):
                found.append(f"<{tag} {name}={value!r}>")
    return found


def test_the_detector_finds_injections() -> None:
    assert injected(f'<p><a href="{JS_LINK}">x</a></p>')
    assert injected(f'<p class="" onmouseover="window.{MARK}=1">x</p>')
    assert injected(f"<div>{SCRIPT}</div>")
    assert injected('<script type="application/ld+json">{"name": "</script><script>x"}</script>')
    assert not injected('<p class="x">&lt;script&gt;window.__pwned=1&lt;/script&gt; &#34; onmouseover=&#34;</p>')


def site_pages(build: Build) -> Iterator[tuple[str, str]]:
    for path in sorted(build.site.rglob("*.html")):
        yield path.relative_to(build.site).as_posix(), path.read_text(encoding="utf-8")


def test_every_page_of_the_hostile_site_is_inert(hostile_build: Build) -> None:
    problems = {url: found for url, html in site_pages(hostile_build) if (found := injected(html))}
    assert not problems


def test_payloads_are_shown_as_text(hostile_build: Build) -> None:
    """Escaped, not removed: readers see exactly what the contributor wrote."""
    organisation = hostile_build.html("organisations/boeser-verein/")
    assert "Verein Böse &#34; autofocus onfocus=&#34;window.__pwned=1 &#39; onmouseover=&#39;window.__pwned=1" in organisation
    assert "<title>Verein Böse &#34; autofocus" in organisation or "<title>Verein Böse &quot; autofocus" in organisation
    [term_page] = (hostile_build.site / "themen").glob("vokabel-*/index.html")
    term = term_page.read_text(encoding="utf-8")
    assert "Vokabel &lt;script&gt;window.__pwned=1&lt;/script&gt;" in term
    assert "{{ config }} {% raw %} {{ 7 * 7 }}" in term.replace("&#39;", "'")  # the template syntax is printed, not run


def test_offer_and_need_payloads_are_escaped_wherever_they_are_shown(hostile_build: Build) -> None:
    escaped = "Böse &#34; autofocus onfocus=&#34;window.__pwned=1"
    exchange = hostile_build.html("kooperationsboerse/")
    assert f"Angebot {escaped}" in exchange and f"Notiz {escaped}" in exchange and f"Bedarf {escaped}" in exchange
    assert f"Hilfe {escaped}" in hostile_build.html("organisations/alpha-verein/")  # it offers what Alpha needs
    feed = (hostile_build.site / "feeds/bedarfe.xml").read_text(encoding="utf-8")
    assert 'Gemeinsam auswerten: Bedarf Böse " autofocus onfocus="window.__pwned=1' in feed  # XML text: only & < > need escaping


def test_event_payloads_are_escaped_on_pages_and_stay_text_in_the_calendar(hostile_build: Build) -> None:
    assert "Ort Böse &#34; autofocus onfocus=&#34;window.__pwned=1" in hostile_build.html("termine/boeser-termin/")
    calendar = icalendar.Calendar.from_ical((hostile_build.site / "termine/boeser-termin.ics").read_bytes())
    [event] = calendar.walk("VEVENT")
    assert str(event["location"]) == f"Ort {ACCEPTED}" and str(event["summary"]) == f"Termin {ACCEPTED}"  # exactly what was written


def test_refused_files_still_get_a_page_with_the_problems(hostile_build: Build) -> None:
    for url in ("organisations/abgelehnter-verein/", "cases/abgelehnter-fall/"):
        page = hostile_build.html(url)
        assert "Diese Datei enthält Fehler" in page
        assert "HTML ist im Kopfbereich nicht erlaubt." in page
    assert "&#39;Böse &lt;script&gt;window.__pwned=1&lt;/script&gt;" in hostile_build.html("cases/abgelehnter-fall/")  # the status
    assert "abgelehnter-verein.md:2: name: HTML ist im Kopfbereich nicht erlaubt." in hostile_build.output


def test_templates_do_not_see_the_site_config(hostile_build: Build) -> None:
    for url, html in site_pages(hostile_build):
        assert "mkdocs_" not in html and "'site_dir'" not in html, url


def test_search_index_holds_no_markup(hostile_build: Build) -> None:
    """Material inserts titles and text of the index as HTML, so markup there must be escaped as well."""
    index = json.loads((hostile_build.site / "search/search_index.json").read_text(encoding="utf-8"))
    hostile_docs = [doc for doc in index["docs"] if "Böse" in doc["title"] + doc["text"] or "Vokabel" in doc["title"]]
    assert hostile_docs
    for doc in hostile_docs:
        for text in (doc["title"], doc["text"]):
            assert not injected(f"<div>{text}</div>"), doc["location"]
            assert "<script" not in text and "<img" not in text, doc["location"]


@pytest.mark.browser
def test_no_injected_script_runs_in_chromium(hostile_build: Build, new_page) -> None:
    """Loads every page that shows a payload, hovers over every element, and watches for the mark and dialogs."""
    dialogs: list[str] = []
    urls = [url.removesuffix("index.html") for url, html in site_pages(hostile_build) if "Böse" in html or "Vokabel" in html]
    assert len(urls) > 8
    with serve_directory(hostile_build.site) as base:
        page = new_page()
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        for url in [*urls, "?q=B%C3%B6se"]:
            # Payloads in the page run by its load event; the search renders index entries as HTML once its worker answers.
            page.goto(base + url, wait_until="networkidle" if url.startswith("?q=") else "load")
            page.evaluate("""() => { for (const el of document.querySelectorAll('body *')) {
                el.dispatchEvent(new MouseEvent('mouseover', {bubbles: true})); } }""")
            assert page.evaluate(f"() => window.{MARK}") is None, url
    assert dialogs == []
