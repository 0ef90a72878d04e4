"""Open data of the knowledge base (JSON and CSV) and the data file of the partner finder and network view.

Everything here is deterministic: sorted keys, fixed orders, no timestamps, so
an unchanged knowledge base publishes byte-identical files.
URLs are relative to the site's root address (e.g. ``organisations/foo/``).
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import math
from collections.abc import Callable, Iterable

from ..core.complements import pairings, places
from ..core.kinds import ContentKind
from ..core.knowledge import KnowledgeBase
from ..core.model import Entry, Feature, Taxonomy, Term
from ..core.similarity import feature_value
from .urls import SiteUrls

FORMAT = "casebook-open-data"
VERSION = 1
FINDER_FORMAT = "casebook-finder"

def feature_values(kb: KnowledgeBase) -> dict[Feature, float]:
    """``v(f) = w_tax * idf(f)`` of every term, exactly as defined in ``casebook.similarity``.

    Terms no organisation has get ``df = 0``: selecting them in the finder only
    enlarges the query's norm, as in ``SimilarityIndex.similar_to``.  The
    browser tests hold the finder's ranking to ``similar_to``.
    """
    n = len(kb.organisations)
    values: dict[Feature, float] = {}
    for taxonomy in kb.taxonomies:
        if taxonomy.weight <= 0:
            continue
        for slug in kb.terms[taxonomy.key]:
            df = len(kb.organisations_by_term.get((taxonomy.key, slug), ()))
            values[(taxonomy.key, slug)] = feature_value(taxonomy.weight, df, n)
    return values


def explanation_order(kb: KnowledgeBase, values: dict[Feature, float]) -> list[Feature]:
    """Features in the order a match explains itself: contribution, taxonomy order, term."""
    rank = {t.key: i for i, t in enumerate(kb.taxonomies)}
    return sorted(values, key=lambda f: (-values[f] ** 2, rank[f[0]], f[1]))


def finder_data(kb: KnowledgeBase, urls: SiteUrls) -> dict[str, object]:
    """What the partner finder and the network view need, compact for thousands of organisations.

    ``features`` are listed in explanation order, so the browser explains a match
    by sorting shared feature indices; ``norm`` is each organisation's ``|a|``.
    The browser then only sums and multiplies: score = sum(value² shared) / (|q| · norm).
    """
    values = feature_values(kb)
    features = explanation_order(kb, values)
    index = {f: i for i, f in enumerate(features)}
    where = places(kb.taxonomies, kb.terms)
    filters = finder_filters(kb, where)
    organisations = []
    for slug, entry in sorted(kb.organisations.items()):
        own = sorted({index[f] for f in entry.features if f in index})
        norm = math.sqrt(sum(values[features[i]] ** 2 for i in own))
        organisations.append([slug, entry.title, urls.entry(entry), norm, own,
                              {key: [term.slug for term in entry.terms.get(key, ())] for key in filters}])
    return {
        "format": FINDER_FORMAT,
        "version": VERSION,
        "min_score": kb.settings.similar_min_score,
        "taxonomies": [{"key": t.key, "title": t.title, "singular": t.singular} for t in kb.taxonomies if t.weight > 0],
        "features": [[key, slug, kb.term((key, slug)).label, values[(key, slug)]] for key, slug in features],
        "organisations": organisations,
        # Filters narrow the list instead of ranking it: what an organisation offers or needs, and where it is. A place
        # term lists the terms near it (itself, its neighbours, and those near everything), for "auch in der Nähe".
        "filters": {key: {"title": kb.taxonomy(key).title, "labels": {slug: t.label for slug, t in kb.terms[key].items()}} for key in filters},
        "near": {t.key: {slug: [other for other, o in kb.terms[t.key].items() if term.near(o)] for slug, term in kb.terms[t.key].items()}
                 for t in where},
    }


def finder_filters(kb: KnowledgeBase, where: list[Taxonomy]) -> list[str]:
    """The taxonomies the finder filters by: offers and needs, and the places (regions, ``where``)."""
    return [*(key for pairing in pairings(kb.taxonomies) for key in (pairing.gives, pairing.wants)), *(t.key for t in where)]


def open_data(kb: KnowledgeBase, urls: SiteUrls) -> dict[str, object]:
    """The whole knowledge base as published in ``daten/wissensbasis.json`` (format version 1)."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "taxonomies": [
            {"key": t.key, "title": t.title, "singular": t.singular, "url": t.url, "weight": t.weight, "multiple": t.multiple}
            for t in kb.taxonomies
        ],
        "terms": [
            {
                "taxonomy": key, "slug": slug, "label": term.label, "description": term.description,
                "website": term.website, "aliases": list(term.aliases), "known": term.known, "url": urls.term(kb.taxonomy(key), term),
                "neighbours": list(term.neighbours), "everywhere": term.everywhere, "tile": list(term.tile) if term.tile else None,
                **{kind.data_key: len(kb.by_term[kind.name].get((key, slug), ())) for kind in kb.kinds},
            }
            for key, slug, term in _terms(kb)
        ],
        **{kind.data_key: [{**_common(kb, entry, urls), **_own(kind, entry)} for entry in _sorted(kb.entries[kind.name].values())]
           for kind in kb.kinds},
        "similarity": [
            {"kind": kind, "source": source, "rank": rank, "target": match.key, "score": match.score,
             "shared": [list(f) for f in match.shared]}
            for kind, source, rank, match in _edges(kb)
        ],
    }


def compact_json(data: dict[str, object]) -> str:
    # No indent: only then does the json module use its C encoder, several times faster on large sites.
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def csv_files(kb: KnowledgeBase, urls: SiteUrls) -> dict[str, Callable[[], str]]:
    """File name -> a function writing that CSV text (RFC 4180, UTF-8, comma); lists of terms or slugs inside a cell are
    separated by ``;``, sentences (which may hold a ``;``) by line breaks.

    Functions rather than texts, so that the names are known before any table is written.
    """
    def table(kind: ContentKind) -> Callable[[], str]:
        own = [spec.name for spec in kind.own_fields]
        keys = [t.key for t in kind.taxonomies_of(kb.taxonomies)]  # the taxonomies this kind carries

        noted = [t.key for t in kind.taxonomies_of(kb.taxonomies) if t.notes]  # offers and needs: their notes, one per line

        def terms(entry: Entry) -> list[str]:
            return [";".join(term.slug for term in entry.terms.get(key, ())) for key in keys]

        def notes(entry: Entry) -> list[str]:
            return ["\n".join(f"{slug}: {note}" for slug, note in _notes(entry, key).items()) for key in noted]

        return lambda: _csv(
            ["slug", kind.title_field, "summary", "url", *own, "date", "fictitious", *keys, *(f"{key}_notes" for key in noted)],
            ([e.slug, e.title, e.summary, urls.entry(e), *(_cell_text(e.values[spec.name], spec.kind) for spec in kind.own_fields), _date(e), e.fictitious,
              *terms(e), *notes(e)]
             for e in _sorted(kb.entries[kind.name].values())))

    return {
        **{kind.csv_file: table(kind) for kind in kb.kinds},
        "begriffe.csv": lambda: _csv(
            ["taxonomy", "slug", "label", "description", "website", "known", *(kind.data_key for kind in kb.kinds), "url", "neighbours"],
            ([key, slug, term.label, term.description, term.website, term.known,
              *(len(kb.by_term[kind.name].get((key, slug), ())) for kind in kb.kinds), urls.term(kb.taxonomy(key), term),
              "alle" if term.everywhere else ";".join(term.neighbours)]
             for key, slug, term in _terms(kb))),
        "aehnlichkeit.csv": lambda: _csv(
            ["kind", "source", "rank", "target", "score", "shared"],
            ([kind, source, rank, match.key, f"{match.score:.9f}", ";".join(f"{k}:{s}" for k, s in match.shared)]
             for kind, source, rank, match in _edges(kb))),
    }


def _common(kb: KnowledgeBase, entry: Entry, urls: SiteUrls) -> dict[str, object]:
    return {
        "slug": entry.slug, "summary": entry.summary, "url": urls.entry(entry), "date": _date(entry) or None,
        "fictitious": entry.fictitious,
        "terms": {t.key: [term.slug for term in entry.terms.get(t.key, ())] for t in kb.kind(entry.kind).taxonomies_of(kb.taxonomies)},
        "notes": {t.key: _notes(entry, t.key) for t in kb.kind(entry.kind).taxonomies_of(kb.taxonomies) if t.notes},
    }


def _notes(entry: Entry, key: str) -> dict[str, str]:
    """Term slug -> the note on it, for a taxonomy that takes notes (offers, needs)."""
    return {term.slug: note for term in entry.terms.get(key, ()) if (note := entry.notes.get((key, term.slug)))}


def _own(kind: ContentKind, entry: Entry) -> dict[str, object]:
    """The title under its field's name and every other declared field, lists as JSON arrays."""
    own = {spec.name: _plain(entry.values[spec.name]) for spec in kind.own_fields}
    return {kind.title_field: entry.title, **{name: list(value) if isinstance(value, tuple) else value for name, value in own.items()}}


def _cell_text(value: object, kind: str) -> object:
    return ("\n" if kind == "texts" else ";").join(value) if isinstance(value, tuple) else _plain(value)


def _plain(value: object) -> object:
    """Days and times as ISO 8601 (2026-12-12, 2026-12-12T18:00:00+01:00), as JSON and CSV readers expect them."""
    return value.isoformat() if isinstance(value, datetime.date) else value


def _sorted(entries: Iterable[Entry]) -> list[Entry]:
    return sorted(entries, key=lambda e: e.slug)


def _terms(kb: KnowledgeBase) -> list[tuple[str, str, Term]]:
    return [(t.key, slug, kb.terms[t.key][slug]) for t in kb.taxonomies for slug in sorted(kb.terms[t.key])]


def _edges(kb: KnowledgeBase):
    for (kind, source), matches in sorted(kb.similar.items()):
        for rank, match in enumerate(matches, start=1):
            yield kind, source, rank, match


def _date(entry: Entry) -> str:
    return entry.date.isoformat() if entry.date else ""


# Spreadsheets run a cell starting with one of these as a formula (OWASP "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> object:
    """As spreadsheets should show it: text that would start a formula gets a leading apostrophe; JSON keeps the exact value."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _csv(header: list[str], rows: Iterable[list[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return out.getvalue()
