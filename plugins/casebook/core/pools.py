"""Data-pool suggestions: organisations that collect the same kind of data about the same target group.

Scattered data about a target group is worth most when pooled. A taxonomy declares what its terms are
about with ``Taxonomy.pools`` (the kinds of data are about target groups); every pair of a term of it and a
term of the other that at least ``MIN_POOL`` organisations name together is a candidate for a pooled
dataset. One pass over the organisations, each contributing the pairs of its own terms: linear in their
number, never pairwise.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .model import Entry, Feature, Taxonomy

MIN_POOL = 3  # fewer organisations could simply talk to each other; three make a dataset


@dataclass(frozen=True)
class Pool:
    data: Feature  # what they collect, e.g. ("data", "beratungsstatistik")
    about: Feature  # about whom, e.g. ("target_groups", "senior-innen")
    members: tuple[str, ...]  # organisation slugs, in slug order


def data_pools(organisations: Mapping[str, Entry], taxonomies: Sequence[Taxonomy]) -> dict[Feature, list[Pool]]:
    """Feature -> the pools it takes part in (as what is collected, or as whom it is about), largest first."""
    found: dict[tuple[Feature, Feature], list[str]] = defaultdict(list)
    for taxonomy in taxonomies:
        if not taxonomy.pools:
            continue
        for slug in sorted(organisations):
            entry = organisations[slug]
            for collected in entry.terms.get(taxonomy.key, ()):
                for about in entry.terms.get(taxonomy.pools, ()):
                    found[((taxonomy.key, collected.slug), (taxonomy.pools, about.slug))].append(slug)
    pools = [Pool(data, about, tuple(members)) for (data, about), members in found.items() if len(members) >= MIN_POOL]
    pools.sort(key=lambda pool: (-len(pool.members), pool.data, pool.about))
    by_feature: dict[Feature, list[Pool]] = defaultdict(list)
    for pool in pools:
        by_feature[pool.data].append(pool)
        by_feature[pool.about].append(pool)
    return dict(by_feature)
