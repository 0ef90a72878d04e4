"""Entries with a `start` (events): what is upcoming at build time, and iCalendar (RFC 5545) files to subscribe to.

"Today" is the build's: SOURCE_DATE_EPOCH when set, so that builds stay byte-identical and tests are fixed in
time; reader.js moves an event that has passed since into the past in the reader's browser.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterable, Sequence
from itertools import groupby
from urllib.parse import urlsplit

import icalendar

from ..core.fields import LOCAL_TIME, Moment, instant, local_day
from ..core.kinds import ContentKind
from ..core.knowledge import KnowledgeBase
from ..core.model import Entry, Taxonomy, Term
from ..core.similarity import Match, SimilarityIndex
from .urls import Layout, SiteUrls


def build_day() -> datetime.date:
    """The day the site is built for, in the community's time zone."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    now = datetime.datetime.fromtimestamp(int(epoch), LOCAL_TIME) if epoch else datetime.datetime.now(LOCAL_TIME)
    return now.date()


def last_day(entry: Entry) -> datetime.date:
    """The day an event ends (its start day when it has no end)."""
    return local_day(entry.values.get("end") or entry.values["start"])


def local_time(moment: Moment) -> Moment:
    """A time as people here read it (the page shows German time); a day stays a day."""
    return moment.astimezone(LOCAL_TIME) if isinstance(moment, datetime.datetime) else moment


def by_start(entries: Iterable[Entry]) -> list[Entry]:
    return sorted(entries, key=lambda e: (instant(e.values["start"]), e.slug))


def upcoming(entries: Iterable[Entry], today: datetime.date) -> list[Entry]:
    """Events that end today or later, the next first."""
    return [e for e in by_start(entries) if last_day(e) >= today]


def past_by_year(entries: Iterable[Entry], today: datetime.date) -> list[tuple[int, list[Entry]]]:
    """Events that ended before today, grouped by year, the latest first."""
    past = [e for e in reversed(by_start(entries)) if last_day(e) < today]
    return [(year, list(group)) for year, group in groupby(past, key=lambda e: instant(e.values["start"]).year)]


def fitting(kb: KnowledgeBase, kind: ContentKind, today: datetime.date) -> dict[str, list[Match]]:
    """"Passende Termine": per organisation, the upcoming events that share the most with its profile, scored and
    explained like "Organisationen wie ihr" (rare shared terms count more), leaving out the ones it hosts itself.

    One index over the upcoming events and one batch of queries, so the work grows with the organisations, never
    with their pairs."""
    index = SimilarityIndex({e.slug: e.features for e in upcoming(kb.entries[kind.name].values(), today)},
                            {t.key: t.weight for t in kb.taxonomies})
    queries = {slug: (entry.features, [event.slug for event in kb.naming(entry).get(kind.name, ())]) for slug, entry in kb.organisations.items()}
    return index.similar_to_each(queries, kb.settings.similar_count, kb.settings.similar_min_score)


def calendar(name: str, entries: Sequence[Entry], urls: SiteUrls) -> bytes:
    """One VCALENDAR with a VEVENT per entry and the Europe/Berlin VTIMEZONE its times refer to."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//casebook//Wissensbasis//DE")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", LOCAL_TIME.key)
    ordered = by_start(entries)
    for entry in ordered:
        cal.add_component(_event(entry, urls))
    if ordered:  # the time zone's rules for the years its events span: a short VTIMEZONE, quick to write
        first, last = instant(ordered[0].values["start"]).year, max(last_day(e) for e in ordered).year
        cal.add_missing_timezones(datetime.date(first, 1, 1), datetime.date(last + 1, 1, 1))
    return cal.to_ical()


def _event(entry: Entry, urls: SiteUrls) -> icalendar.Event:
    event = icalendar.Event()
    host = urlsplit(urls.site_url).hostname or "casebook.invalid"
    event.add("uid", f"{entry.kind}-{entry.slug}@{host}")  # stable: the file name is the entry's identity
    # When the entry was taken in (its `date`), not when the site was built: an unchanged event keeps its stamp.
    stamped = entry.date or last_day(entry)
    event.add("dtstamp", datetime.datetime.combine(stamped, datetime.time(), datetime.UTC))
    event.add("summary", entry.title)
    online = entry.values.get("online_url")
    # Calendar apps that ignore CONFERENCE (RFC 7986) still show the room's address in the description.
    event.add("description", f"{entry.summary}\n\nOnline: {online}" if online else entry.summary)
    start, end = entry.values["start"], entry.values.get("end")
    event.add("dtstart", start)
    if end is not None:  # a whole-day end is inclusive here, exclusive in iCalendar
        event.add("dtend", end if isinstance(end, datetime.datetime) else end + datetime.timedelta(days=1))
    elif not isinstance(start, datetime.datetime):
        event.add("dtend", start + datetime.timedelta(days=1))
    event.add("location", entry.values["place"])
    page = urls.absolute(urls.entry(entry))
    if page:
        event.add("url", page)
    if online:
        event.add("conference", online, parameters={"value": "URI"})
    return event


def term_calendar_uri(layout: Layout, taxonomy: Taxonomy, term: Term) -> str:
    """The events of one term (a target group, a software, a region, ...), beside the term's page."""
    return layout.term(taxonomy, term.slug).removesuffix(".md") + ".ics"


def calendar_uri(layout: Layout, entry: Entry) -> str:
    """The file of a single event ("In den Kalender eintragen"), beside its page's source."""
    return layout.entry(entry.kind, entry.slug).removesuffix(".md") + ".ics"

