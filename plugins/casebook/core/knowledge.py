"""The whole knowledge base: entries of every content kind checked against each other, indexed by term, with similar organisations."""

from __future__ import annotations

import difflib
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from itertools import chain
from pathlib import PurePosixPath
from typing import TypeVar

from .complements import Complement, complements, pairings, places
from .entries import build_entry
from .kinds import DEFAULT_KINDS, ContentKind, kind_named, peer_kind
from .lookalikes import foreign_letters, lookalike_key
from .model import Entry, Feature, Problem, Taxonomy, Term, newest_first
from .pools import Pool, data_pools
from .privacy import DEFAULT_ALLOWLIST, personal_data
from .similarity import Match, SimilarityIndex
from .slugs import match_key
from .sources import Source
from .vocabulary import Vocabulary

T = TypeVar("T")


@dataclass(frozen=True)
class Settings:
    taxonomies: tuple[Taxonomy, ...]
    similar_count: int = 5
    similar_min_score: float = 0.05
    privacy_allowlist: tuple[str, ...] = DEFAULT_ALLOWLIST  # regexes for contact data that may be published
    kinds: tuple[ContentKind, ...] = DEFAULT_KINDS

    def __post_init__(self) -> None:
        # A kind in use brings the taxonomies of its own (the formats of events), unless the site declares them itself.
        declared = {t.key for t in self.taxonomies}
        own = tuple(t for kind in self.kinds for t in kind.own_taxonomies if t.key not in declared)
        object.__setattr__(self, "taxonomies", (*self.taxonomies, *own))


class Memo:
    """The last result of each slot, reused while its inputs are unchanged: what `mkdocs serve` need not redo.

    Inputs are compared as a tuple, which tests identity before equality, so
    objects that are themselves cached (a parsed file, the vocabulary) cost
    nothing to compare.
    """

    def __init__(self) -> None:
        self._held: dict[Hashable, tuple[tuple[object, ...], object]] = {}

    def get(self, slot: Hashable, inputs: tuple[object, ...], compute: Callable[[], T]) -> T:
        held = self._held.get(slot)
        if held is None or held[0] != inputs:
            held = self._held[slot] = (inputs, compute())
        return held[1]  # type: ignore[return-value]


@dataclass(frozen=True)
class Broken:
    """A contributed file that could not become an entry; it still gets a page that shows why."""

    kind: str
    slug: str
    path: str
    body: str
    problems: tuple[Problem, ...]
    body_line: int = 1


@dataclass
class KnowledgeBase:
    settings: Settings
    vocabulary: Vocabulary
    entries: dict[str, dict[str, Entry]] = field(default_factory=dict)  # kind -> slug -> entry, kinds in declaration order
    broken: list[Broken] = field(default_factory=list)
    terms: dict[str, dict[str, Term]] = field(default_factory=dict)  # taxonomy -> slug -> term, sorted by label
    by_term: dict[str, dict[Feature, list[str]]] = field(default_factory=dict)  # kind -> feature -> slugs
    backlinks: dict[tuple[str, str], dict[str, list[str]]] = field(default_factory=dict)  # (kind, slug) -> naming kind -> slugs
    similar: dict[tuple[str, str], list[Match]] = field(default_factory=dict)  # (kind, slug) -> matches
    # (taxonomy asked with, organisation slug) -> who answers it: ("needs", slug) offers what it needs, ("offers", slug) needs what it offers
    complements: dict[tuple[str, str], list[Complement]] = field(default_factory=dict)
    pools: dict[Feature, list[Pool]] = field(default_factory=dict)  # term -> the data pools it takes part in
    problems: list[Problem] = field(default_factory=list)

    @property
    def taxonomies(self) -> tuple[Taxonomy, ...]:
        return self.settings.taxonomies

    @property
    def kinds(self) -> tuple[ContentKind, ...]:
        return self.settings.kinds

    def kind(self, name: str) -> ContentKind:
        return kind_named(self.kinds, name)

    @property
    def organisations(self) -> dict[str, Entry]:
        """The entries "Organisationen wie ihr" lists (the kind declared with similar: peers)."""
        return self.entries[peer_kind(self.kinds).name]

    @property
    def organisations_by_term(self) -> dict[Feature, list[str]]:
        return self.by_term[peer_kind(self.kinds).name]

    def all_entries(self) -> list[Entry]:
        return [entry for entries in self.entries.values() for entry in entries.values()]

    def taxonomy(self, key: str) -> Taxonomy:
        return next(t for t in self.taxonomies if t.key == key)

    def term(self, feature: Feature) -> Term:
        return self.terms[feature[0]][feature[1]]

    def entry(self, kind: str, slug: str) -> Entry:
        return self.entries[kind][slug]

    def newest(self, kind: str) -> list[Entry]:
        return newest_first(self.entries[kind].values())

    def with_term(self, kind: str, feature: Feature) -> list[Entry]:
        return [self.entries[kind][slug] for slug in self.by_term[kind].get(feature, ())]

    def named_organisations(self, entry: Entry) -> tuple[str, ...]:
        """The organisations an entry names in its reference fields (a case's participants), each once."""
        peers = peer_kind(self.kinds).name
        return tuple(dict.fromkeys(s for spec in self.kind(entry.kind).references if spec.refers_to == peers for s in entry.named(spec.name)))

    def naming(self, entry: Entry) -> dict[str, list[Entry]]:
        """Per kind, the entries that name this one (a profile's case studies); kinds in declaration order."""
        by_kind = self.backlinks.get((entry.kind, entry.slug), {})
        return {kind.name: [self.entries[kind.name][slug] for slug in by_kind[kind.name]] for kind in self.kinds if kind.name in by_kind}

    def cooccurring(self, feature: Feature, limit: int = 10) -> dict[str, list[tuple[Term, int]]]:
        """Per other taxonomy, the terms most often found together with ``feature`` among organisations."""
        together = Counter(chain.from_iterable(self.organisations[slug].features for slug in self.organisations_by_term.get(feature, ())))
        counts: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for (key, slug), count in together.items():
            if key != feature[0]:
                counts[key].append((slug, count))
        return {
            t.key: [(self.terms[t.key][slug], n) for slug, n in sorted(counts[t.key], key=lambda kv: (-kv[1], kv[0]))[:limit]]
            for t in self.taxonomies if counts[t.key]
        }


def build_knowledge_base(sources: Mapping[str, Iterable[Source]], vocabulary: Vocabulary, settings: Settings,
                         memo: Memo | None = None) -> KnowledgeBase:
    """``sources``: kind name -> its parsed files."""
    kb = KnowledgeBase(settings, vocabulary)
    memo = memo or Memo()
    checked = {kind.name: _checked(kb, kind, sorted(sources.get(kind.name, ()), key=lambda s: s.path), memo) for kind in kb.kinds}
    broken = {(kind, item.slug) for kind, items in checked.items() for item in items if item.entry is None}
    valid = {kind: {item.entry.slug: None for item in items if item.entry is not None} for kind, items in checked.items()}
    for kind in kb.kinds:  # references once every kind is known, so a kind may name any other
        kb.entries[kind.name] = {}
        for item in checked[kind.name]:
            entry = _check_references(kb, kind, item, valid, broken)
            kb.problems.extend(item.problems)
            if entry is None:
                # Under its own file name: a broken file never takes over the page of a valid one.
                kb.broken.append(Broken(kind.name, _stem(item.source), item.source.path, item.source.body,
                                        tuple(p for p in item.problems if p.severity == "error"), item.source.body_line))
            else:
                kb.entries[kind.name][entry.slug] = entry
    _index_terms(kb)
    _find_similar(kb, memo)
    _find_complements(kb, memo)
    kb.pools = data_pools(kb.organisations, kb.taxonomies)
    kb.problems.sort(key=lambda p: p.sort_key)
    return kb


def check_entry(source: Source, kind: ContentKind, settings: Settings, vocabulary: Vocabulary) -> tuple[Entry | None, tuple[Problem, ...]]:
    """One file on its own, without the rest of the knowledge base: its entry (None if unusable) and its problems."""
    entry, problems = build_entry(source, kind, settings.taxonomies, vocabulary)
    return entry, (*problems, *personal_data(source, settings.privacy_allowlist))


@dataclass
class _Checked:
    source: Source
    entry: Entry | None
    problems: list[Problem]

    @property
    def slug(self) -> str:
        return self.entry.slug if self.entry else _stem(self.source)


def _checked(kb: KnowledgeBase, kind: ContentKind, sources: Sequence[Source], memo: Memo) -> list[_Checked]:
    """Each file of one kind checked on its own and against the others; duplicates by slug or by name are errors on the later file."""
    checked: list[_Checked] = []
    by_slug: dict[str, str] = {}
    by_name: dict[str, Entry] = {}
    by_lookalike: dict[str, Entry] = {}
    field_name = kind.title_field
    # Well-named files first, so that a misnamed 'Foo.md' cannot take the address of 'foo.md'.
    for source in sorted(sources, key=lambda s: (s.slug != _stem(s), s.path)):
        entry, own_problems = memo.get(("entry", source.path, kind.name), (source, kb.vocabulary, kb.settings),
                                       partial(check_entry, source, kind, kb.settings, kb.vocabulary))
        problems = list(own_problems)
        if source.slug in by_slug:
            problems.append(Problem(source.path, f"Die Adresse '{source.slug}' hat schon {by_slug[source.slug]}.", None, "Dateiname",
                                    "Wählt einen anderen Dateinamen."))
            entry = None
        elif entry is not None and _name_key(entry.title) in by_name:
            other = by_name[_name_key(entry.title)]
            problems.append(Problem(source.path, f"Den Namen '{entry.title}' trägt schon {other.path}.", source.line(field_name), field_name,
                                    kind.duplicate_hint))
            entry = None
        elif entry is not None and (lookalike := lookalike_key(entry.title)) in by_lookalike:
            other = by_lookalike[lookalike]
            letters = foreign_letters(entry.title) or foreign_letters(other.title)
            problems.append(Problem(source.path, f"Der Name '{entry.title}' sieht aus wie '{other.title}' aus {other.path}, "
                                    f"ist aber mit anderen Schriftzeichen geschrieben ({', '.join(letters)}). Vermutlich ein Duplikat.",
                                    source.line(field_name), field_name,
                                    "Schreibt den Namen mit lateinischen Buchstaben; ist es dieselbe Organisation, ergänzt die vorhandene Datei.",
                                    "warning"))
        by_slug.setdefault(source.slug, source.path)
        if entry is not None:
            by_name[_name_key(entry.title)] = entry
            if lookalike := lookalike_key(entry.title):  # empty for names in other scripts, which are no disguise
                by_lookalike.setdefault(lookalike, entry)
        checked.append(_Checked(source, entry, problems))
    return checked


def _stem(source: Source) -> str:
    return PurePosixPath(source.path).stem


def _name_key(title: str) -> str:
    # Names without Latin letters or digits (e.g. only Cyrillic) have an empty match key; they must not all collide.
    return match_key(title) or title.casefold()


def _check_references(kb: KnowledgeBase, kind: ContentKind, item: _Checked, valid: Mapping[str, dict[str, None]],
                      broken: set[tuple[str, str]]) -> Entry | None:
    """Unknown slugs in reference fields are reported with a suggestion and left out of the links.

    Also for a file with other errors: every mistake is reported in one run. An
    entry that exists but has errors is not reported again here: its own
    problems say what to fix, and the link appears once they are fixed.
    """
    entry, source = item.entry, item.source
    kept: dict[str, tuple[str, ...]] = {}
    for spec in kind.references:
        assert spec.refers_to is not None
        target = kb.kind(spec.refers_to)
        known = valid[target.name]  # slugs in file order, built once per build: a lookup per named slug
        named = entry.named(spec.name) if entry else _named(source, spec.name)
        for index, slug in enumerate(named):
            if slug not in known and (target.name, slug) not in broken:
                close = difflib.get_close_matches(slug, list(known), n=1)
                item.problems.append(Problem(
                    source.path, f"{target.one[0].upper()}{target.one[1:]} '{slug}' gibt es nicht.", source.line(spec.name, index), spec.name,
                    f"Meintet ihr '{close[0]}'?" if close else
                    f"Tragt den Dateinamen aus {target.shown_folder}/ ohne .md ein, oder legt den Eintrag zuerst an."))
        kept[spec.name] = tuple(slug for slug in named if slug in known)
    if entry is None or all(kept[name] == entry.named(name) for name in kept):
        return entry
    return replace(entry, values={**entry.values, **kept})


def _named(source: Source, name: str) -> tuple[str, ...]:
    """The slugs a broken file names, as far as they are plain texts."""
    named = source.meta.get(name) if isinstance(source.meta, dict) else None
    return tuple(item.strip() for item in named if isinstance(item, str)) if isinstance(named, list) else ()


def _index_terms(kb: KnowledgeBase) -> None:
    used: dict[str, dict[str, Term]] = defaultdict(dict)
    for kind, entries in kb.entries.items():
        index = kb.by_term[kind] = {}
        for slug, entry in entries.items():
            for key, terms in entry.terms.items():
                for term in terms:
                    used[key].setdefault(term.slug, term)
                    index.setdefault((key, term.slug), []).append(slug)
            for spec in kb.kind(kind).references:
                for named in entry.named(spec.name):
                    kb.backlinks.setdefault((spec.refers_to, named), {}).setdefault(kind, []).append(slug)  # type: ignore[arg-type]
    for taxonomy in kb.taxonomies:
        by_slug = {**used[taxonomy.key], **kb.vocabulary.terms.get(taxonomy.vocabulary_key, {})}
        kb.terms[taxonomy.key] = dict(sorted(by_slug.items(), key=lambda kv: (kv[1].label.casefold(), kv[0])))


def _find_similar(kb: KnowledgeBase, memo: Memo) -> None:
    peers = peer_kind(kb.kinds)
    organisations = {slug: e.features for slug, e in kb.organisations.items()}
    # Entries of the other kinds are compared with the organisations they do not already name.
    others = {(kind.name, slug): (entry.features, kb.named_organisations(entry))
              for kind in kb.kinds if kind.similar == "others" for slug, entry in kb.entries[kind.name].items()}
    settings = kb.settings
    kb.similar = memo.get("similar", (organisations, others, settings.taxonomies, settings.similar_count, settings.similar_min_score),
                          lambda: _similar(peers.name, organisations, others, settings))


def _find_complements(kb: KnowledgeBase, memo: Memo) -> None:
    settings, organisations = kb.settings, kb.organisations
    weights = {t.key: t.weight for t in settings.taxonomies}
    where = places(settings.taxonomies, kb.terms)
    for pairing in pairings(settings.taxonomies):
        inputs = ({slug: e.features for slug, e in organisations.items()}, settings.taxonomies, settings.similar_count, [kb.terms[t.key] for t in where])
        kb.complements.update(memo.get(("complements", pairing), inputs,
                                       partial(complements, organisations, pairing, weights, where, kb.terms, settings.similar_count)))


def _similar(peers: str, organisations: dict[str, list[Feature]], others: dict[tuple[str, str], tuple[list[Feature], tuple[str, ...]]],
             settings: Settings) -> dict[tuple[str, str], list[Match]]:
    index = SimilarityIndex(organisations, {t.key: t.weight for t in settings.taxonomies})
    count, min_score = settings.similar_count, settings.similar_min_score
    similar = {(peers, slug): matches for slug, matches in index.similar_items(count, min_score).items()}
    similar.update(index.similar_to_each(others, count, min_score))
    return similar
