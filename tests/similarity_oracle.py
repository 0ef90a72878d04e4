"""Naive all-pairs reference implementation of the casebook similarity score.

Deliberately straightforward: it follows the definition in the docstring of
``casebook.core.similarity`` line by line, with plain Python and no pruning.  The
property tests compare the fast engine against it, and ``scripts/bench.py``
uses it as the baseline.  Results are lists of ``(key, score, shared)`` tuples
with the same meaning as the fields of ``casebook.core.similarity.Match``.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping

Feature = tuple[str, str]
Result = tuple[str, float, tuple[Feature, ...]]


def _model(items: Mapping[str, Iterable[Feature]], weights: Mapping[str, float]):
    """Return (feature sets per item, value function v(f))."""
    sets = {
        key: {f for f in feats if weights.get(f[0], 0) != 0}
        for key, feats in items.items()
    }
    n = len(sets)
    df: dict[Feature, int] = {}
    for feats in sets.values():
        for f in feats:
            df[f] = df.get(f, 0) + 1

    def value(f: Feature) -> float:
        idf = math.log((n + 1) / (df.get(f, 0) + 1)) + 1
        return weights[f[0]] * idf

    return sets, value


def _rank(
    query: set[Feature],
    candidates: dict[str, set[Feature]],
    value,
    weights: Mapping[str, float],
    k: int,
    min_score: float,
) -> list[Result]:
    tax_order = {tax: i for i, tax in enumerate(weights)}
    norm_q = math.sqrt(sum(value(f) ** 2 for f in query))
    scored = []
    for key, feats in candidates.items():
        shared = query & feats
        norm_c = math.sqrt(sum(value(f) ** 2 for f in feats))
        if not shared or norm_q == 0 or norm_c == 0:
            continue
        score = round(sum(value(f) ** 2 for f in shared) / (norm_q * norm_c), 9)
        if score <= 0 or score < min_score:
            continue
        explanation = tuple(
            sorted(shared, key=lambda f: (-value(f) ** 2, tax_order[f[0]], f[1]))
        )
        scored.append((key, score, explanation))
    scored.sort(key=lambda r: (-r[1], r[0]))
    return scored[: max(k, 0)]


def naive_similar_items(
    items: Mapping[str, Iterable[Feature]],
    weights: Mapping[str, float],
    k: int,
    min_score: float = 0.0,
    queries: Iterable[str] | None = None,
) -> dict[str, list[Result]]:
    """Top-k for every item (or only the given query keys) against all others.

    O(n^2); ``queries`` lets a benchmark time a sample and extrapolate.
    """
    sets, value = _model(items, weights)
    wanted = sets.keys() if queries is None else set(queries)
    return {
        key: _rank(
            feats,
            {other: fs for other, fs in sets.items() if other != key},
            value,
            weights,
            k,
            min_score,
        )
        for key, feats in sets.items()
        if key in wanted
    }


def naive_similar_to(
    items: Mapping[str, Iterable[Feature]],
    weights: Mapping[str, float],
    features: Iterable[Feature],
    k: int,
    min_score: float = 0.0,
    exclude: Collection[str] = (),
) -> list[Result]:
    """Top-k items for one query feature set (e.g. a case study)."""
    sets, value = _model(items, weights)
    query = {f for f in features if weights.get(f[0], 0) != 0}
    excluded = set(exclude)
    return _rank(
        query,
        {key: fs for key, fs in sets.items() if key not in excluded},
        value,
        weights,
        k,
        min_score,
    )
