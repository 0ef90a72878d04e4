"""Atom feeds of new entries of each kind that declares a feed (case studies, organisation profiles), built with ElementTree.

Entries are ordered by their ``date`` field, newest first.  Entries without a
date come last (by title) and carry the fixed date 2000-01-01, so the feeds
never depend on the time of the build.
"""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable

from ..core.model import Entry, Taxonomy, newest_first

ATOM = "http://www.w3.org/2005/Atom"
UNDATED = datetime.date(2000, 1, 1)

Href = Callable[[str], str]  # site-relative URL -> link as written into the feed


# Material's instant navigation fetches "sitemap.xml" next to every <link rel="alternate">
# (meant for translations); an empty one next to the feeds spares readers a 404.
EMPTY_SITEMAP = ('<?xml version="1.0" encoding="UTF-8"?>\n'
                 '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>\n')
SITEMAP_BESIDE_FEEDS = "feeds/sitemap.xml"


def atom_feed(title: str, feed_url: str, site_url: str, entries: Iterable[Entry], url_of: Callable[[Entry], str],
              href: Href, site_name: str, summary_of: Callable[[Entry], str] | None = None) -> bytes:
    """One Atom document; ``url_of`` gives an entry's site-relative URL and ``href`` makes it a link;
    ``summary_of`` says what the feed is about for each entry (by default its summary)."""
    ET.register_namespace("", ATOM)
    ordered = newest_first(entries)
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "de"})
    _text(feed, "id", href(feed_url))
    _text(feed, "title", f"{site_name}: {title}")
    _text(feed, "updated", _stamp(max((e.date or UNDATED for e in ordered), default=UNDATED)))
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "self", "href": href(feed_url)})
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "alternate", "type": "text/html", "href": href(site_url)})
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", site_name)
    for entry in ordered:
        item = ET.SubElement(feed, f"{{{ATOM}}}entry")
        link = href(url_of(entry))
        _text(item, "id", link)
        _text(item, "title", entry.title)
        _text(item, "updated", _stamp(entry.date or UNDATED))
        if entry.date:
            _text(item, "published", _stamp(entry.date))
        ET.SubElement(item, f"{{{ATOM}}}link", {"rel": "alternate", "type": "text/html", "href": link})
        _text(item, "summary", summary_of(entry) if summary_of else entry.summary)
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


def wants_feed(taxonomy: Taxonomy) -> tuple[str, str]:
    """Title and file of the feed of entries that name terms of a taxonomy of wants: ("Neue Bedarfe", "feeds/bedarfe.xml")."""
    return f"Neue {taxonomy.title}", f"feeds/{taxonomy.url}.xml"


def noted_summary(entry: Entry, taxonomy: Taxonomy) -> str:
    """'Gemeinsam auswerten: note; Daten teilen': an entry's terms of a taxonomy that takes notes."""
    return "; ".join(f"{term.label}: {note}" if (note := entry.notes.get((taxonomy.key, term.slug))) else term.label
                     for term in entry.terms.get(taxonomy.key, ()))


def _text(parent: ET.Element, tag: str, text: str) -> None:
    ET.SubElement(parent, f"{{{ATOM}}}{tag}").text = text


def _stamp(date: datetime.date) -> str:
    return f"{date.isoformat()}T00:00:00Z"
