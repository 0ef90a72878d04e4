"""Naive reference of ``casebook.core.complements``: every pair of organisations, scored by the similarity oracle.

It follows the definition in the module's docstring step by step; the property tests hold the engine to it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from casebook.core.model import Entry, Taxonomy, Term
from similarity_oracle import _model, _rank

Result = tuple[str, float, tuple[str, ...], tuple[tuple[str, str], ...]]  # key, fit, connecting terms, shared features


def naive_complements(organisations: Mapping[str, Entry], gives: str, wants: str, weights: Mapping[str, float],
                      places: Sequence[Taxonomy], terms: Mapping[str, Mapping[str, Term]], k: int) -> dict[tuple[str, str], list[Result]]:
    fit_weights = {**weights, **{"near:" + t.key: weights.get(t.key, 0.0) for t in places}}

    def near(entry: Entry, asking: bool) -> list[tuple[str, str]]:
        found = []
        for taxonomy in places:
            for own in entry.terms.get(taxonomy.key, ()):
                found += [("near:" + taxonomy.key, t.slug) for t in terms[taxonomy.key].values() if t.slug == own.slug or (not asking and own.near(t))]
        return found

    candidates = {slug: [*e.features, *near(e, asking=False)] for slug, e in organisations.items()}
    sets, value = _model(candidates, fit_weights)
    result: dict[tuple[str, str], list[Result]] = {}
    for asks, answered_by in ((wants, gives), (gives, wants)):
        for slug, entry in organisations.items():
            asked = [t.slug for t in entry.terms.get(asks, ())]
            answering = {other: {t.slug for t in e.terms.get(answered_by, ())} & set(asked)
                         for other, e in organisations.items() if other != slug}
            pool = {other: sets[other] for other, connecting in answering.items() if connecting}
            query = {f for f in [*entry.features, *near(entry, asking=True)] if fit_weights.get(f[0], 0) != 0}
            fitting = {key: (score, shared) for key, score, shared in _rank(query, pool, value, fit_weights, len(pool), 0.0)}
            ranked = sorted(pool, key=lambda other: (-fitting.get(other, (0.0,))[0], other))[:k]
            result[(asks, slug)] = [(other, fitting.get(other, (0.0, ()))[0], tuple(t for t in asked if t in answering[other]),
                                     tuple(f for f in fitting.get(other, (0.0, ()))[1] if not f[0].startswith("near:")))
                                    for other in ranked]
    return result
