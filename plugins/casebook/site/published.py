"""The files a site publishes besides its pages: the finder's data, open data, feeds and calendars.

Each comes as a function that writes it, so that MkDocs knows every file's name before any is written;
the adapter writes them once every page has its URL (in on_env).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial

from ..core.complements import pairings
from ..core.knowledge import KnowledgeBase
from ..core.model import Entry
from . import events, export, feeds
from .urls import SiteUrls

Writer = Callable[[], str | bytes]
Relative = Callable[[str, str], str]  # (path, from the file at this path) -> a relative link, as MkDocs makes it


def published_files(kb: KnowledgeBase, urls: SiteUrls, site_name: str, finder_data: str, relative: Relative) -> dict[str, Writer]:
    """File URI -> the function writing it."""
    return {
        finder_data: lambda: export.compact_json(export.finder_data(kb, urls)),
        "daten/wissensbasis.json": lambda: export.compact_json(export.open_data(kb, urls)) + "\n",
        **{f"daten/{name}": write for name, write in export.csv_files(kb, urls).items()},
        **_feeds(kb, urls, site_name, relative),
        feeds.SITEMAP_BESIDE_FEEDS: lambda: feeds.EMPTY_SITEMAP,
        **_calendars(kb, urls, site_name),
    }


def _feeds(kb: KnowledgeBase, urls: SiteUrls, site_name: str, relative: Relative) -> dict[str, Writer]:
    """New entries of each kind that declares a feed, and per pair of offers and needs the profiles with needs."""
    def feed(uri: str, title: str, entries: Sequence[Entry], summary_of: Callable[[Entry], str] | None = None) -> Writer:
        def href(path: str) -> str:  # feed readers need absolute links; relative ones without site_url
            return urls.absolute(path) or relative(path or ".", uri)
        return lambda: feeds.atom_feed(title, uri, "", entries, urls.entry, href, site_name, summary_of)

    written = {kind.feed.file: feed(kind.feed.file, kind.feed.title, list(kb.entries[kind.name].values())) for kind in kb.kinds if kind.feed}
    for pairing in pairings(kb.taxonomies):
        wants = kb.taxonomy(pairing.wants)
        title, uri = feeds.wants_feed(wants)
        wanting = [entry for entry in kb.organisations.values() if entry.terms[wants.key]]
        written[uri] = feed(uri, title, wanting, partial(feeds.noted_summary, taxonomy=wants))
    return written


def _calendars(kb: KnowledgeBase, urls: SiteUrls, site_name: str) -> dict[str, Writer]:
    """The iCalendar files of kinds that declare one: all their entries, each entry on its own, and each term with entries."""
    written: dict[str, Writer] = {}
    for kind in kb.kinds:
        if not kind.calendar:
            continue
        entries = list(kb.entries[kind.name].values())
        written[kind.calendar] = partial(events.calendar, f"{site_name}: {kind.plural}", entries, urls)
        for entry in entries:
            written[events.calendar_uri(urls.layout, entry)] = partial(events.calendar, entry.title, [entry], urls)
        for taxonomy in kb.taxonomies:  # every term with events gets a calendar to subscribe to
            for term in kb.terms[taxonomy.key].values():
                named = kb.with_term(kind.name, (taxonomy.key, term.slug))
                if named:
                    written[events.term_calendar_uri(urls.layout, taxonomy, term)] = partial(
                        events.calendar, f"{site_name}: {kind.plural} – {term.label}", named, urls)
    return written
