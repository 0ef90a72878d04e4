"""Complementary organisations: who offers what you need, and who needs what you offer.

Definition (``tests/complements_oracle.py`` implements it naively; the tests hold this module to it):

* A taxonomy of gifts (``offers``) complements one of wants (``needs``); both take their terms from the
  same vocabulary list (the kinds of collaboration). For organisation A, the candidates *for its wants*
  are the other organisations whose gifts name at least one of A's wants; *for its gifts*, the other
  organisations whose wants name one of A's gifts. Two organisations need not share any other term.
* Candidates are ranked by **fit**, the score of ``similarity.py`` over the organisations' features
  extended by proximity: for every taxonomy whose terms know their neighbours (the regions), a candidate
  has the feature ``("near:<key>", t)`` for every term t next to its own (``Term.near``: the same term, a
  neighbour, or any term when one of them is "everywhere"), and A asks for ``("near:<key>", <A's own
  term>)``; these features weigh what their taxonomy weighs. So the same region counts most, a
  neighbouring one less, a distant one not at all. Fit descending, then key ascending; a candidate that
  fits 0 still follows, in key order.

Algorithm (never all pairs): one ``SimilarityIndex`` per term over the organisations offering it (per
term over those needing it, for the other direction), scoring with the feature values of one index over
all organisations, so the IDF is the whole knowledge base's. A queries the index of each of its wants for
its top k. A candidate's fit does not depend on the index it was found in, so the k best of the union of
these lists, by fit then key, are exactly A's top k; when fewer than k fit above 0, the first remaining
candidates by key fill up, found by walking the sorted lists of the terms.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from heapq import merge
from itertools import islice
from typing import Literal

from .model import Entry, Feature, Taxonomy, Term
from .similarity import Match, SimilarityIndex, feature_values

NEAR = "near:"  # prefix of the proximity features' taxonomy


@dataclass(frozen=True, slots=True)
class Complement:
    key: str  # the other organisation
    fit: float  # rounded to 9 decimals, as similarity scores are
    terms: tuple[str, ...]  # the kinds of collaboration that connect them, in the order the asking organisation wrote them
    shared: tuple[Feature, ...]  # what else they have in common, most important first (proximity features left out)


@dataclass(frozen=True)
class Pairing:
    """A taxonomy of gifts and the one of wants it answers (offers and needs): ``Taxonomy.answers``."""

    gives: str
    wants: str
    main: bool = True  # the first pair declared is the site's main one (its Kooperationsbörse has the plain name)


def pairings(taxonomies: Sequence[Taxonomy]) -> list[Pairing]:
    keys = {t.key for t in taxonomies}
    answering = [t for t in taxonomies if t.answers in keys]
    return [Pairing(t.key, t.answers, main=index == 0) for index, t in enumerate(answering)]


def places(taxonomies: Sequence[Taxonomy], terms: Mapping[str, Mapping[str, Term]]) -> list[Taxonomy]:
    """The taxonomies whose terms know their neighbours (the regions)."""
    return [t for t in taxonomies if any(term.neighbours or term.everywhere for term in terms.get(t.key, {}).values())]


Nearness = Literal["same", "neighbour", "everywhere"]


def nearness(entry: Entry, other: Entry, places: Sequence[Taxonomy]) -> tuple[Nearness, Term] | None:
    """How near ``other`` is to ``entry`` (the same region, a neighbouring one, or one of them everywhere), with
    the other's term; None when they are far apart or a place is missing."""
    for taxonomy in places:
        for own in entry.terms.get(taxonomy.key, ()):
            for theirs in other.terms.get(taxonomy.key, ()):
                if own.slug == theirs.slug:
                    return "same", theirs
                if own.near(theirs):
                    return ("neighbour" if theirs.slug in own.neighbours else "everywhere"), theirs
    return None


def proximity_features(entry: Entry, places: Sequence[Taxonomy], terms: Mapping[str, Mapping[str, Term]], asking: bool) -> list[Feature]:
    """("near:region", slug) for an entry's own place (``asking``), or for every place next to it."""
    features: list[Feature] = []
    for taxonomy in places:
        for own in entry.terms.get(taxonomy.key, ()):
            near = [own] if asking else [t for t in terms[taxonomy.key].values() if own.near(t)]
            features.extend((NEAR + taxonomy.key, t.slug) for t in near)
    return features


def complements(organisations: Mapping[str, Entry], pairing: Pairing, weights: Mapping[str, float], places: Sequence[Taxonomy],
                terms: Mapping[str, Mapping[str, Term]], k: int) -> dict[tuple[str, str], list[Complement]]:
    """(direction, slug) -> its top k, direction being the taxonomy it asks with: ``pairing.wants`` (who offers
    what it needs) or ``pairing.gives`` (who needs what it offers)."""
    # 1. Profiles with proximity: a candidate is near every place next to its own, the asker asks for its own place.
    fit_weights = {**weights, **{NEAR + t.key: weights.get(t.key, 0.0) for t in places}}
    candidate_side = {slug: [*e.features, *proximity_features(e, places, terms, asking=False)] for slug, e in organisations.items()}
    asking_side = {slug: [*e.features, *proximity_features(e, places, terms, asking=True)] for slug, e in organisations.items()}
    # 2. One IDF for all: a candidate's fit must not depend on which term's index found it.
    values = feature_values(candidate_side.values(), fit_weights)
    result: dict[tuple[str, str], list[Complement]] = {}
    for asks, answered_by in ((pairing.wants, pairing.gives), (pairing.gives, pairing.wants)):
        holders = _holders(organisations, answered_by)
        asked = {slug: [t.slug for t in e.terms.get(asks, ()) if t.slug in holders] for slug, e in organisations.items()}
        # 3. Per term, the organisations answering it, asked in one batch by all that ask for it (pruned, never all pairs).
        found: dict[str, list[Match]] = defaultdict(list)
        for term, askers in _holders(organisations, asks).items():
            if term not in holders:
                continue
            index = SimilarityIndex({slug: candidate_side[slug] for slug in holders[term]}, fit_weights, values)
            for slug, matches in index.similar_to_each({slug: (asking_side[slug], (slug,)) for slug in askers}, k).items():
                found[slug].extend(matches)
        # 4. Per asker, the best of its per-term lists, filled up with those that fit 0.
        for slug in organisations:
            result[(asks, slug)] = _ranked(slug, asked[slug], found[slug], holders, organisations, answered_by, k)
    return result


def _holders(organisations: Mapping[str, Entry], key: str) -> dict[str, list[str]]:
    """Term slug -> the organisations naming it under ``key``, sorted by slug."""
    holders: dict[str, list[str]] = defaultdict(list)
    for slug in sorted(organisations):
        for term in organisations[slug].terms.get(key, ()):
            holders[term.slug].append(slug)
    return dict(holders)


def _ranked(own: str, asked: list[str], found: list[Match], holders: Mapping[str, list[str]],
            organisations: Mapping[str, Entry], answered_by: str, k: int) -> list[Complement]:
    """The k best of the per-term lists by fit then key, filled up with candidates that fit 0, each explained."""
    best = {match.key: match for match in found}
    ranked = sorted(best.values(), key=lambda m: (-m.score, m.key))[:k]
    if len(ranked) < k:
        fitting = {m.key for m in ranked}
        rest = (slug for slug in _unique(merge(*(holders[t] for t in asked))) if slug != own and slug not in fitting)
        ranked.extend(Match(slug, 0.0, ()) for slug in islice(rest, k - len(ranked)))
    return [Complement(m.key, m.score, _connecting(asked, organisations[m.key], answered_by), tuple(f for f in m.shared if not f[0].startswith(NEAR)))
            for m in ranked]


def _connecting(asked: list[str], other: Entry, answered_by: str) -> tuple[str, ...]:
    answers = {t.slug for t in other.terms.get(answered_by, ())}
    return tuple(term for term in asked if term in answers)


def _unique(slugs: Iterator[str]) -> Iterator[str]:
    previous = None
    for slug in slugs:
        if slug != previous:
            yield slug
        previous = slug
