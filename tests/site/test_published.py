"""The files a site publishes besides its pages, without MkDocs: their names, and what each writer writes."""

from __future__ import annotations

import csv
import io
import json

import feedparser
import icalendar

from casebook.core.knowledge import KnowledgeBase, Settings
from casebook.core.loading import Paths, load
from casebook.core.model import DEFAULT_TAXONOMIES
from casebook.site.published import published_files
from conftest import ROOT, directory_urls


def example_kb() -> KnowledgeBase:
    """The example content with its events."""
    folders = {"organisation": ROOT / "docs/organisations", "case": ROOT / "cases", "termin": ROOT / "docs/termine"}
    return load(Paths(ROOT, folders, ROOT / "docs/vokabular.yml"), Settings(DEFAULT_TAXONOMIES))


def test_every_published_file_is_written_in_its_format() -> None:
    kb = example_kb()
    files = published_files(kb, directory_urls(kb), "Wissensbasis", "assets/casebook/organisationen.json", lambda path, start: path)
    events = kb.entries["termin"]
    assert {"termine.ics", *(f"termine/{slug}.ics" for slug in events)} <= set(files)
    for uri, write in files.items():
        content = write()
        text = content.decode("utf-8") if isinstance(content, bytes) else content
        if uri.endswith(".json"):
            assert json.loads(text), uri
        elif uri.endswith(".csv"):
            assert len(list(csv.reader(io.StringIO(text)))) > 1, uri
        elif uri.endswith(".ics"):
            assert icalendar.Calendar.from_ical(text).walk("VEVENT"), uri
        elif uri.startswith("feeds/") and uri != "feeds/sitemap.xml":
            feed = feedparser.parse(text)
            assert not feed.bozo and feed.entries, uri
    everything = icalendar.Calendar.from_ical(files["termine.ics"]())
    assert len(everything.walk("VEVENT")) == len(events)


def test_feed_links_are_absolute_with_a_site_url_and_made_relative_by_the_adapter_without() -> None:
    kb = example_kb()
    urls = directory_urls(kb)
    files = published_files(kb, urls, "Wissensbasis", "x.json", lambda path, start: f"relativ/{start}/{path}")
    needs = feedparser.parse(files["feeds/bedarfe.xml"]())
    assert needs.entries and all(entry.link.startswith("relativ/feeds/bedarfe.xml/organisations/") for entry in needs.entries)
    urls.site_url = "https://example.org/wissensbasis/"
    needs = feedparser.parse(files["feeds/bedarfe.xml"]())
    assert all(entry.link.startswith("https://example.org/wissensbasis/organisations/") for entry in needs.entries)
    # The feed of needs says what each organisation needs, with its notes.
    assert all(entry.summary for entry in needs.entries)
