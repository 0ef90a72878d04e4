"""The whole knowledge base: entries checked against each other, indexed by term, with similar organisations."""

from __future__ import annotations

import difflib
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from itertools import chain
from pathlib import PurePosixPath
from typing import TypeVar

from .entries import build_entry
from .lookalikes import foreign_letters, lookalike_key
from .model import Entry, Problem, Taxonomy, Term, newest_first
from .privacy import DEFAULT_ALLOWLIST, personal_data
from .similarity import Match, SimilarityIndex
from .slugs import match_key
from .sources import Source
from .vocabulary import Vocabulary

Feature = tuple[str, str]
T = TypeVar("T")


@dataclass(frozen=True)
class Settings:
    taxonomies: tuple[Taxonomy, ...]
    similar_count: int = 5
    similar_min_score: float = 0.05
    privacy_allowlist: tuple[str, ...] = DEFAULT_ALLOWLIST  # regexes for contact data that may be published


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
    organisations: dict[str, Entry] = field(default_factory=dict)
    cases: dict[str, Entry] = field(default_factory=dict)
    broken: list[Broken] = field(default_factory=list)
    terms: dict[str, dict[str, Term]] = field(default_factory=dict)  # taxonomy -> slug -> term, sorted by label
    organisations_by_term: dict[Feature, list[str]] = field(default_factory=dict)
    cases_by_term: dict[Feature, list[str]] = field(default_factory=dict)
    cases_by_organisation: dict[str, list[str]] = field(default_factory=dict)
    similar: dict[tuple[str, str], list[Match]] = field(default_factory=dict)  # (kind, slug) -> matches
    problems: list[Problem] = field(default_factory=list)

    @property
    def taxonomies(self) -> tuple[Taxonomy, ...]:
        return self.settings.taxonomies

    def taxonomy(self, key: str) -> Taxonomy:
        return next(t for t in self.taxonomies if t.key == key)

    def term(self, feature: Feature) -> Term:
        return self.terms[feature[0]][feature[1]]

    def entry(self, kind: str, slug: str) -> Entry:
        return (self.organisations if kind == "organisation" else self.cases)[slug]

    def newest_cases(self) -> list[Entry]:
        return newest_first(self.cases.values())

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


def build_knowledge_base(organisation_sources: Iterable[Source], case_sources: Iterable[Source],
                         vocabulary: Vocabulary, settings: Settings, memo: Memo | None = None) -> KnowledgeBase:
    kb = KnowledgeBase(settings, vocabulary)
    memo = memo or Memo()
    kb.organisations = {e.slug: e for e in _entries(kb, sorted(organisation_sources, key=lambda s: s.path), "organisation", memo)}
    kb.cases = {e.slug: e for e in _entries(kb, sorted(case_sources, key=lambda s: s.path), "case", memo)}
    _index_terms(kb)
    _find_similar(kb, memo)
    kb.problems.sort(key=lambda p: p.sort_key)
    return kb


def check_entry(source: Source, kind: str, settings: Settings, vocabulary: Vocabulary) -> tuple[Entry | None, tuple[Problem, ...]]:
    """One file on its own, without the rest of the knowledge base: its entry (None if unusable) and its problems."""
    entry, problems = build_entry(source, kind, settings.taxonomies, vocabulary)  # type: ignore[arg-type]
    return entry, (*problems, *personal_data(source, settings.privacy_allowlist))


def _entries(kb: KnowledgeBase, sources: Sequence[Source], kind: str, memo: Memo) -> list[Entry]:
    """Valid entries of one kind; duplicates by slug or by name are errors on the later file."""
    entries: list[Entry] = []
    by_slug: dict[str, str] = {}
    by_name: dict[str, Entry] = {}
    by_lookalike: dict[str, Entry] = {}
    field_name = "name" if kind == "organisation" else "title"
    # Well-named files first, so that a misnamed 'Foo.md' cannot take the address of 'foo.md'.
    for source in sorted(sources, key=lambda s: (s.slug != _stem(s), s.path)):
        entry, own_problems = memo.get(("entry", source.path, kind), (source, kb.vocabulary, kb.settings),
                                       partial(check_entry, source, kind, kb.settings, kb.vocabulary))
        problems = list(own_problems)
        if source.slug in by_slug:
            problems.append(Problem(source.path, f"Die Adresse '{source.slug}' hat schon {by_slug[source.slug]}.", None, "Dateiname",
                                    "Wählt einen anderen Dateinamen."))
            entry = None
        elif entry is not None and _name_key(entry.title) in by_name:
            other = by_name[_name_key(entry.title)]
            problems.append(Problem(source.path, f"Den Namen '{entry.title}' trägt schon {other.path}.", source.line(field_name), field_name,
                                    "Ist es dieselbe Organisation? Dann ergänzt die vorhandene Datei, statt eine neue anzulegen."
                                    if kind == "organisation" else "Wählt einen Titel, der die Fallstudie unterscheidet."))
            entry = None
        elif entry is not None and (lookalike := lookalike_key(entry.title)) in by_lookalike:
            other = by_lookalike[lookalike]
            letters = foreign_letters(entry.title) or foreign_letters(other.title)
            problems.append(Problem(source.path, f"Der Name '{entry.title}' sieht aus wie '{other.title}' aus {other.path}, "
                                    f"ist aber mit anderen Schriftzeichen geschrieben ({', '.join(letters)}). Vermutlich ein Duplikat.",
                                    source.line(field_name), field_name,
                                    "Schreibt den Namen mit lateinischen Buchstaben; ist es dieselbe Organisation, ergänzt die vorhandene Datei.",
                                    "warning"))
        if kind == "case":  # also for a case with other errors: every mistake is reported in one run
            entry = _check_references(kb, entry, source, problems)
        kb.problems.extend(problems)
        by_slug.setdefault(source.slug, source.path)
        if entry is None:
            # Under its own file name: a broken file never takes over the page of a valid one.
            kb.broken.append(Broken(kind, _stem(source), source.path, source.body, tuple(p for p in problems if p.severity == "error"),
                                     source.body_line))
        else:
            by_name[_name_key(entry.title)] = entry
            if lookalike := lookalike_key(entry.title):  # empty for names in other scripts, which are no disguise
                by_lookalike.setdefault(lookalike, entry)
            entries.append(entry)
    return entries


def _stem(source: Source) -> str:
    return PurePosixPath(source.path).stem


def _name_key(title: str) -> str:
    # Names without Latin letters or digits (e.g. only Cyrillic) have an empty match key; they must not all collide.
    return match_key(title) or title.casefold()


def _check_references(kb: KnowledgeBase, case: Entry | None, source: Source, problems: list[Problem]) -> Entry | None:
    """Unknown organisation slugs are reported with a suggestion and left out of the links.

    A profile that exists but has errors is not reported again here: its own
    problems say what to fix, and the case links to it once they are fixed.
    """
    named = case.organisations if case else _named_organisations(source)
    known = []
    broken = {b.slug for b in kb.broken if b.kind == "organisation"}
    for index, slug in enumerate(named):
        if slug in kb.organisations:
            known.append(slug)
            continue
        if slug in broken:
            continue
        close = difflib.get_close_matches(slug, list(kb.organisations), n=1)
        problems.append(Problem(
            source.path, f"Eine Organisation '{slug}' gibt es nicht.", source.line("organisations", index), "organisations",
            f"Meintet ihr '{close[0]}'?" if close else "Tragt den Dateinamen eines Profils aus docs/organisations/ ohne .md ein, oder legt das Profil zuerst an."))
    if case is None or len(known) == len(case.organisations):
        return case
    return replace(case, organisations=tuple(known))


def _named_organisations(source: Source) -> tuple[str, ...]:
    """The slugs a broken case names, as far as they are plain texts."""
    named = source.meta.get("organisations") if isinstance(source.meta, dict) else None
    return tuple(item.strip() for item in named if isinstance(item, str)) if isinstance(named, list) else ()


def _index_terms(kb: KnowledgeBase) -> None:
    used: dict[str, dict[str, Term]] = defaultdict(dict)
    for _kind, entries, index in (("organisation", kb.organisations, kb.organisations_by_term), ("case", kb.cases, kb.cases_by_term)):
        for slug, entry in entries.items():
            for key, terms in entry.terms.items():
                for term in terms:
                    used[key].setdefault(term.slug, term)
                    index.setdefault((key, term.slug), []).append(slug)
    for case_slug, case in kb.cases.items():
        for organisation in case.organisations:
            kb.cases_by_organisation.setdefault(organisation, []).append(case_slug)
    for taxonomy in kb.taxonomies:
        by_slug = {**used[taxonomy.key], **kb.vocabulary.terms.get(taxonomy.key, {})}
        kb.terms[taxonomy.key] = dict(sorted(by_slug.items(), key=lambda kv: (kv[1].label.casefold(), kv[0])))


def _find_similar(kb: KnowledgeBase, memo: Memo) -> None:
    organisations = {slug: e.features for slug, e in kb.organisations.items()}
    cases = {slug: (case.features, case.organisations) for slug, case in kb.cases.items()}
    settings = kb.settings
    kb.similar = memo.get("similar", (organisations, cases, settings.taxonomies, settings.similar_count, settings.similar_min_score),
                          lambda: _similar(organisations, cases, settings))


def _similar(organisations: dict[str, list[Feature]], cases: dict[str, tuple[list[Feature], tuple[str, ...]]],
             settings: Settings) -> dict[tuple[str, str], list[Match]]:
    index = SimilarityIndex(organisations, {t.key: t.weight for t in settings.taxonomies})
    count, min_score = settings.similar_count, settings.similar_min_score
    similar = {("organisation", slug): matches for slug, matches in index.similar_items(count, min_score).items()}
    similar.update({("case", slug): matches for slug, matches in index.similar_to_each(cases, count, min_score).items()})
    return similar
