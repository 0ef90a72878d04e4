"""Rendering pages of the knowledge base through Jinja templates a site can override.

Templates produce Markdown with HTML blocks: headings stay Markdown so they
reach the table of contents and search, everything from front matter goes
through Jinja's autoescaping inside HTML blocks.

The HTML blocks of a template never pass through Markdown: a line starting
with ``<`` opens a block that runs to the next blank line (CommonMark's rule
for HTML blocks); each is swapped for a placeholder paragraph before MkDocs
converts the page and swapped back after (``Rendered.restore``). Python-
Markdown would otherwise parse all that HTML only to pass it through, which
was most of the plugin's cost on large sites. The contributor's Markdown body
is inserted after the swap, so it is converted as MkDocs always does.
"""

from __future__ import annotations

import math
import re
import secrets
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

import jinja2
import markdown
import markupsafe

from ..core.complements import Complement, Pairing, nearness, pairings, places
from ..core.kinds import ContentKind, peer_kind
from ..core.knowledge import Broken, KnowledgeBase
from ..core.model import Entry, Feature, Taxonomy, Term, newest_first
from ..core.pools import Pool
from ..core.similarity import Match
from . import events
from .export import finder_filters
from .graph import star_layout
from .urls import SiteUrls

SHARED_SHOWN = 3  # what else a complement has in common with the profile, strongest first
EXCHANGE_SHOWN = 25  # rows per kind of collaboration and side on the Kooperationsbörse, the newest; the term page lists all
# Placeholders are plain words that Markdown leaves alone and nobody types by accident.
_PLACEHOLDER = f"casebookhtml{secrets.token_hex(6)}n"
_BODY = f"{_PLACEHOLDER}body"
# Around the contributed body, so that its HTML is sanitised on its own: an unclosed <style> in it
# must not swallow the template's part of the page. Markdown wraps each in <p> unless the body left a block open.
_BODY_START, _BODY_END = f"{_PLACEHOLDER}bodystart", f"{_PLACEHOLDER}bodyend"
# Python-Markdown reads an HTML block the body leaves open (<div>, <style>, …) up to its end tag, and
# would read the template's Markdown after the body as part of it; these end tags close any such
# block. Raw-text elements first: inside them no other tag counts. The sanitiser drops the stray ones.
# Only a line starting with "<" can open an HTML block, so other bodies need none of this.
_CLOSE_BODY_HTML = "".join(f"</{tag}>" for tag in ("style", "script", "textarea", "title", *markdown.Markdown().block_level_elements))
_MAY_OPEN_HTML_BLOCK = re.compile(r"^\s*<", re.MULTILINE)
_BODY_SPAN = re.compile(f"(?:<p>)?{_BODY_START}(?:</p>)?(.*?)(?:(?:<p>)?{_BODY_END}(?:</p>)?|$)", re.DOTALL)
_BLANK_LINES = re.compile(r"\n[ \t]*\n[\s]*")
_BLOCK_SEPARATOR = re.compile(r"(\n(?:[ \t]*\n)+)")  # blank lines end HTML blocks
_STASHED = re.compile(f"<p>{_PLACEHOLDER}(\\d+)x</p>|{_PLACEHOLDER}(\\d+)x")  # Markdown wraps a placeholder in <p>


@dataclass(frozen=True)
class Rendered:
    title: str
    markdown: str
    description: str | None = None
    html_blocks: tuple[str, ...] = ()  # kept out of Markdown; see the module docstring
    links: frozenset[str] = frozenset()  # source URIs of the pages this one links to

    def restore(self, html: str, clean_body: Callable[[str], str] | None = None) -> str:
        """The page content MkDocs made from ``markdown``, with the HTML blocks back in place (in one pass).

        ``clean_body`` gets the HTML of the contributed body alone and returns what to publish of it.
        """
        if clean_body is not None:
            html = _BODY_SPAN.sub(lambda match: clean_body(match[1]), html, count=1)
        return _STASHED.sub(lambda match: self.html_blocks[int(match[1] or match[2])], html)

    def written_out(self, markdown: str) -> str:
        """``markdown`` (made from this page's, placeholders and all) as one text with the HTML blocks in place:
        the page as someone would write it by hand; the benchmark builds such pages without the plugin."""
        text = _STASHED.sub(lambda match: self.html_blocks[int(match[1] or match[2])], markdown)
        return text.replace(_BODY_START, "").replace(_BODY_END, "")


def stash_html(markdown: str) -> tuple[str, tuple[str, ...]]:
    """Replaces each HTML block with a placeholder; returns the Markdown and the blocks in order."""
    blocks: list[str] = []
    parts = _BLOCK_SEPARATOR.split(markdown)
    for index in range(0, len(parts), 2):  # odd parts are the separators
        if parts[index].startswith("<"):
            blocks.append(parts[index])
            parts[index] = f"{_PLACEHOLDER}{len(blocks) - 1}x"
    return "".join(parts), tuple(blocks)


def environment(custom_dir: str | None = None) -> jinja2.Environment:
    """Templates from the site's ``custom_dir`` (e.g. overrides/casebook/term.md) win over ours."""
    loaders: list[jinja2.BaseLoader] = [jinja2.FileSystemLoader(custom_dir)] if custom_dir else []
    loaders.append(jinja2.FileSystemLoader(Path(__file__).parent / "templates"))
    return jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        finalize=_without_blank_lines,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )


@dataclass(frozen=True)
class Tile:
    term: Term
    counts: list[str]  # "3 Organisationen", "1 Fallstudie"
    level: int  # 0..4, how strong its colour is


@dataclass(frozen=True)
class TileMap:
    tiles: list[Tile]
    elsewhere: list[Tile]  # terms without a place on the map (bundesweit, online)
    columns: int
    rows: int
    peers: str  # what the colour counts, e.g. "Organisationen"


def _counted(n: int, kind: ContentKind) -> str:
    """'1 Fallstudie', '3 Fallstudien': the singular from the kind's 'one' ('eine Fallstudie')."""
    return f"{n} {kind.one.split(' ', 1)[-1] if n == 1 else kind.plural}"


def _note(note: str | None) -> markupsafe.Markup:
    return markupsafe.Markup(' <span class="casebook-note">{}</span>').format(note) if note else markupsafe.Markup()


def _without_blank_lines(value: object) -> object:
    """A blank line would end the HTML block a value stands in, and Markdown would read the rest."""
    if isinstance(value, str) and "\n" in value and not isinstance(value, markupsafe.Markup):
        return _BLANK_LINES.sub("\n", value)
    return value


class Renderer:
    """Renders the pages of one build.

    What every template needs is an environment global, so that macros are
    imported without context, which lets Jinja import them once instead of
    once per page; ``link`` resolves against the page being rendered.

    Links go up to the site root and down to the target ("../../themen/x/"),
    so they depend only on the depth of the linking page. Small fragments such
    as term chips are therefore rendered once per depth and reused by every
    other page at that depth; on a large site that is nearly all of them.
    """

    def __init__(self, kb: KnowledgeBase, urls: SiteUrls, env: jinja2.Environment, finder_uri: str | None = None,
                 exchange_uris: Mapping[str, str] | None = None, guide_uri: str | None = None) -> None:
        """The optional URIs are pages other pages link to, when the site has them: the partner finder, the
        Kooperationsbörse of each pair of offers and needs (by the key of its offers) and the guide on data collaboration."""
        self.kb, self.layout, self.env, self.urls = kb, urls.layout, env, urls
        self._base = ""  # from the page being rendered up to the site root
        self._links: set[str] = set()
        self._fragments: dict[tuple[str, str, Hashable], tuple[markupsafe.Markup, frozenset[str]]] = {}
        self._templates: dict[str, jinja2.Template] = {}
        self._fitting: dict[ContentKind, dict[str, list[Match]]] | None = None
        self.today = events.build_day()  # decides what is upcoming, once per build
        self.places = places(kb.taxonomies, kb.terms)
        env.globals.update(kb=kb, layout=self.layout, explain=self.explain, star_layout=star_layout, link=self.link,
                           term_link=self.term_link, entry_link=self.entry_link, entry_items=self.entry_items,
                           reasons=self.reasons, today=self.today, upcoming=events.upcoming,
                           past_by_year=events.past_by_year, last_day=events.last_day, local_time=events.local_time, newest_first=newest_first,
                           pairings=pairings(kb.taxonomies), complement_items=self.complement_items,
                           finder_uri=finder_uri, exchange_uris=exchange_uris or {}, collaboration_guide=guide_uri,
                           event_calendar=partial(events.calendar_uri, self.layout),
                           term_calendar=partial(events.term_calendar_uri, self.layout))

    def link(self, uri: str) -> str:
        """The href from the page being rendered to the page with source URI ``uri``."""
        self._links.add(uri)
        return self._base + self.urls.page(uri) or "./"

    def term_link(self, taxonomy: Taxonomy, term: Term, count: int | None = None) -> markupsafe.Markup:
        """A term's chip."""
        return self._fragment("term_link.html", (taxonomy.key, term.slug, count), taxonomy=taxonomy, term=term, count=count)

    def entry_link(self, entry: Entry) -> markupsafe.Markup:
        """A link to a profile or case study."""
        return self._fragment("entry_link.html", (entry.kind, entry.slug), entry=entry)

    def entry_items(self, entries: Iterable[Entry]) -> markupsafe.Markup:
        """Profiles or case studies as list items with their summaries; term pages list thousands."""
        items = [self._fragment("entry_item.html", (entry.kind, entry.slug), entry=entry) for entry in entries]
        return markupsafe.Markup("\n".join(items))

    def reasons(self, match: Match | Complement) -> markupsafe.Markup:
        """Why an organisation is similar, e.g. "Zielgruppe <chip> · Daten <chip>, <chip>"; see ``explain``.

        Built here rather than from a template: most matches share a different
        set of terms, so this runs once per match and Jinja's per-call cost would dominate.
        """
        groups = [f"{markupsafe.escape(label)} {', '.join([self.term_link(taxonomy, term) for term in terms])}"
                  for label, taxonomy, terms in self.explain(match)]
        return markupsafe.Markup(" · ".join(groups))

    def complement_items(self, entry: Entry, asks: Taxonomy, answered_by: Taxonomy, verb: str, also: str,
                         nearness_words: Mapping[str, str]) -> markupsafe.Markup:
        """The list items of "Passt zu eurem Bedarf" (asks: needs) or "Wer sucht, was ihr bietet" (asks: offers).

        Built here rather than in a template for the same reason as ``reasons``; the German words come from
        the template: ``verb`` ("bietet"), ``also`` ("auch gemeinsam") and ``nearness_words``, a pattern per
        kind of nearness ("same", "neighbour", "everywhere" when the other is everywhere, "near everywhere" when
        this one is) with {} for the other's place.
        """
        items = []
        for complement in self.kb.complements.get((asks.key, entry.slug), []):
            other = self.kb.organisations[complement.key]
            answers = [self.term_link(answered_by, self.kb.term((answered_by.key, slug))) + _note(other.notes.get((answered_by.key, slug)))
                       for slug in complement.terms]
            parts = [markupsafe.escape(verb) + ": " + markupsafe.Markup(", ").join(answers)]
            if complement.shared:  # the strongest few: the list is about what they offer, the rest is on the profile
                parts.append(markupsafe.escape(also) + ": " + self.reasons(replace(complement, shared=complement.shared[:SHARED_SHOWN])))
            near = nearness(entry, other, self.places)
            if near is not None:
                how, place = near
                pattern = nearness_words["near everywhere" if how == "everywhere" and not place.everywhere else how]
                parts.append(markupsafe.escape(pattern).format(place.label))
            items.append(f'<li>{self.entry_link(other)}<br>\n<span class="casebook-reason">{" · ".join(parts)}</span></li>')
        return markupsafe.Markup("\n".join(items))

    def _fragment(self, template: str, key: Hashable, **context: object) -> markupsafe.Markup:
        """A small template rendered once per page depth and ``key``, which must determine its output."""
        cache_key = (template, self._base, key)
        cached = self._fragments.get(cache_key)
        if cached is None:
            page_links, self._links = self._links, set()
            text = self._template(template).render(**context)
            cached = self._fragments[cache_key] = (markupsafe.Markup(text.strip()), frozenset(self._links))
            self._links = page_links
        self._links.update(cached[1])
        return cached[0]

    def _template(self, name: str) -> jinja2.Template:
        # Looked up once per build: get_template checks the file's modification time on every call.
        if name not in self._templates:
            self._templates[name] = self.env.get_template(f"casebook/{name}")
        return self._templates[name]

    def _render(self, page_url: str, title: str | None, template: str, description: str | None = None, body: str = "",
                **context: object) -> Rendered:
        """The page from its template; a page without a title of its own (the finder) takes the template's
        ``{% set title = … %}`` and ``{% set description = … %}``, so its German words live with its other texts."""
        self._base, self._links = "../" * page_url.count("/"), set()
        page = self._template(template).make_module({"body": _BODY, **context})
        if title is None:
            exported = vars(page)  # the template's top-level {% set %} variables
            title, description = exported["title"], exported.get("description", description)
        markdown, blocks = stash_html(str(page))
        closing = f"\n\n{_CLOSE_BODY_HTML}" if _MAY_OPEN_HTML_BLOCK.search(body) else ""
        framed = f"{_BODY_START}\n\n{body}{closing}\n\n{_BODY_END}" if body else ""
        return Rendered(title, markdown.replace(_BODY, framed), description, blocks, frozenset(self._links))

    def explain(self, match: Match | Complement) -> list[tuple[str, Taxonomy, list[Term]]]:
        """Why an organisation is similar: (label, taxonomy, terms) per taxonomy, strongest first.

        "Zielgruppe Senior*innen · Daten Wartezeiten, Beratungsstatistik": the
        shared terms grouped by taxonomy in the order of each group's strongest term.
        """
        groups: dict[str, list[Term]] = {}
        for key, slug in match.shared:
            groups.setdefault(key, []).append(self.kb.term((key, slug)))
        return [(taxonomy.singular if len(terms) == 1 else taxonomy.title, taxonomy, terms)
                for taxonomy, terms in ((self.kb.taxonomy(key), terms) for key, terms in groups.items())]

    def entry(self, entry: Entry, page_url: str, body: str) -> Rendered:
        """A profile, case study or entry of another kind, through the template its kind declares."""
        kind = self.kb.kind(entry.kind)
        similar = [(self.kb.organisations[m.key], m) for m in self.kb.similar.get((entry.kind, entry.slug), [])]
        fitting = [(dated, [(self.kb.entries[dated.name][m.key], m) for m in matches.get(entry.slug, [])])
                   for dated, matches in self._fitting_events().items()] if kind.similar == "peers" else []
        return self._render(page_url, entry.title, kind.page_template, entry.summary, body,
                            entry=entry, kind=kind, similar=similar, naming=self.kb.naming(entry), fitting=fitting)

    def _fitting_events(self) -> dict[ContentKind, dict[str, list[Match]]]:
        """Upcoming events per organisation, for each kind with a calendar; computed at the first profile."""
        if self._fitting is None:
            self._fitting = {kind: events.fitting(self.kb, kind, self.today) for kind in self.kb.kinds if kind.calendar}
        return self._fitting

    def broken(self, broken: Broken, page_url: str, body: str) -> Rendered:
        return self._render(page_url, broken.slug, "broken.md", body=body, broken=broken)

    def term(self, taxonomy: Taxonomy, term: Term, page_url: str) -> Rendered:
        feature = (taxonomy.key, term.slug)
        with_term = {kind.name: self.kb.with_term(kind.name, feature) for kind in self.kb.kinds}
        return self._render(page_url, term.label, "term.md", term.description or None, taxonomy=taxonomy, term=term,
                            with_term=with_term, cooccurring=self.kb.cooccurring(feature), pools=self._pools(feature))

    def _pools(self, feature: Feature) -> list[tuple[Pool, list[Entry], list[str]]]:
        """The data pools a term takes part in, each with its organisations and the places they are in."""
        shown = []
        for pool in self.kb.pools.get(feature, []):
            members = [self.kb.organisations[slug] for slug in pool.members]
            labels = {term.label for entry in members for taxonomy in self.places for term in entry.terms.get(taxonomy.key, ())}
            shown.append((pool, members, sorted(labels, key=str.casefold)))
        return shown

    def taxonomy(self, taxonomy: Taxonomy, page_url: str) -> Rendered:
        carriers = [kind.name for kind in self.kb.kinds if taxonomy.carried_by(kind.name)]  # no column of zeros for offers' cases
        return self._render(page_url, taxonomy.title, "taxonomy.md", taxonomy=taxonomy, tilemap=self._tilemap(taxonomy), carriers=carriers)

    def _tilemap(self, taxonomy: Taxonomy) -> TileMap | None:
        """The terms with a place on the tile map (`tile:` in the vocabulary) and their counts; None without any."""
        terms = list(self.kb.terms[taxonomy.key].values())
        if not any(term.tile for term in terms):
            return None
        peers = peer_kind(self.kb.kinds)
        counted = [kind for kind in self.kb.kinds if kind.similar != "none" or kind is peers]  # organisations and case studies
        most = max(1, *(len(self.kb.by_term[peers.name].get((taxonomy.key, t.slug), ())) for t in terms))

        def tile(term: Term) -> Tile:
            numbers = [len(self.kb.by_term[kind.name].get((taxonomy.key, term.slug), ())) for kind in counted]
            return Tile(term, [_counted(n, kind) for n, kind in zip(numbers, counted, strict=True)], math.ceil(4 * numbers[0] / most))

        placed = [tile(t) for t in terms if t.tile]
        return TileMap(placed, [tile(t) for t in terms if not t.tile and t.known], max(t.tile[0] for t in terms if t.tile) + 1,
                       max(t.tile[1] for t in terms if t.tile) + 1, peers.plural)

    def overview(self, kind: ContentKind, page_url: str) -> Rendered:
        return self._render(page_url, kind.plural, kind.overview_template, kind=kind)

    # ------------------------------------------------------------ reader pages

    def finder(self, page_url: str, data_uri: str) -> Rendered:
        return self._render(page_url, None, "finder.md", data_uri=data_uri, filters=finder_filters(self.kb, self.places),
                            near_keys=[t.key for t in self.places])

    def exchange(self, page_url: str, pairing: Pairing, finder_uri: str, feed_uri: str) -> Rendered:
        """The Kooperationsbörse: offers and needs by kind of collaboration, the newest of each side (exchange.md)."""
        return self._render(page_url, None, "exchange.md", pairing=pairing, finder_uri=finder_uri, feed_uri=feed_uri,
                            peers=peer_kind(self.kb.kinds).name, region=self.places[0] if self.places else None, shown=EXCHANGE_SHOWN)

    def network(self, page_url: str, data_uri: str, script_uri: str) -> Rendered:
        return self._render(page_url, None, "network.md", data_uri=data_uri, script_uri=script_uri)

    def home(self, page_url: str, finder_uri: str, network_uri: str, top: int = 8, newest: int = 3) -> Rendered:
        """The generated part of the home page: counts, the most used terms per taxonomy, the newest cases."""
        top_terms = {
            t.key: sorted(((term, len(self.kb.organisations_by_term.get((t.key, slug), ()))) for slug, term in self.kb.terms[t.key].items()),
                          key=lambda pair: (-pair[1], pair[0].label.casefold()))[:top]
            for t in self.kb.taxonomies
        }
        # Offers and needs share one list of terms; count each list once.
        lists = {t.vocabulary_key: len(self.kb.terms[t.key]) for t in self.kb.taxonomies}
        return self._render(page_url, "", "home.md", finder_uri=finder_uri, network_uri=network_uri,
                            top_terms=top_terms, newest=newest, term_count=sum(lists.values()))
