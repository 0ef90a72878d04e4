"""Who offers what an organisation needs, and who needs what it offers: the engine against a naive oracle."""

from __future__ import annotations

from complements_oracle import naive_complements
from hypothesis import given, settings
from hypothesis import strategies as st

from casebook.core.complements import Pairing, complements, nearness
from casebook.core.model import Entry, Taxonomy, Term

GROUPS = [Term("target_groups", f"g{i}", f"G{i}") for i in range(4)]
SOFTWARE = [Term("software", f"s{i}", f"S{i}") for i in range(3)]
# A line of regions a - b - c - d, and "everywhere" next to all of them.
REGIONS = {slug: Term("region", slug, slug.upper(), neighbours=tuple(n), everywhere=slug == "all")
           for slug, n in {"a": "b", "b": "ac", "c": "bd", "d": "c", "all": ""}.items()}
KINDS = [Term("collaboration", f"k{i}", f"K{i}") for i in range(3)]
REGION = Taxonomy("region", "Regionen", "Region", "regionen", 1.0, multiple=False)
WEIGHTS = {"target_groups": 3.0, "software": 2.0, "region": 1.0, "offers": 0.0, "needs": 0.0}
TERMS = {"region": REGIONS}
PAIRING = Pairing("offers", "needs")


def organisation(slug: str, groups=(), software=(), region=None, offers=(), needs=()) -> Entry:
    terms = {"target_groups": tuple(groups), "software": tuple(software), "region": (region,) if region else (),
             "offers": tuple(offers), "needs": tuple(needs)}
    return Entry("organisation", slug, f"docs/organisations/{slug}.md", slug, "", terms, "")


def engine(organisations: dict[str, Entry], k: int = 5):
    found = complements(organisations, PAIRING, WEIGHTS, [REGION], TERMS, k)
    return {key: [(c.key, c.fit, c.terms, c.shared) for c in matches] for key, matches in found.items()}


def test_an_organisation_that_shares_nothing_but_offers_what_is_needed_is_found() -> None:
    organisations = {"a": organisation("a", [GROUPS[0]], [SOFTWARE[0]], REGIONS["a"], needs=[KINDS[0]]),
                     "z": organisation("z", [GROUPS[1]], [SOFTWARE[1]], REGIONS["d"], offers=[KINDS[0]])}
    found = engine(organisations)
    assert found[("needs", "a")] == [("z", 0.0, ("k0",), ())]
    assert found[("offers", "z")] == [("a", 0.0, ("k0",), ())]
    assert found[("offers", "a")] == [] and found[("needs", "z")] == []


def test_the_same_region_fits_better_than_a_neighbour_and_a_neighbour_better_than_far_away() -> None:
    asking = organisation("q", [GROUPS[0]], region=REGIONS["b"], needs=[KINDS[0]])
    offering = {slug: organisation(slug, [GROUPS[1]], region=REGIONS[region], offers=[KINDS[0]]) for slug, region in
                (("far", "d"), ("near", "c"), ("same", "b"))}
    found = engine({"q": asking, **offering})
    assert [key for key, *_ in found[("needs", "q")]] == ["same", "near", "far"]
    assert found[("needs", "q")][2][1] == 0.0
    assert nearness(asking, offering["near"], [REGION]) == ("neighbour", REGIONS["c"])
    assert nearness(asking, offering["far"], [REGION]) is None


def test_everywhere_is_near_every_region() -> None:
    asking = organisation("q", region=REGIONS["d"])
    assert nearness(asking, organisation("w", region=REGIONS["all"]), [REGION]) == ("everywhere", REGIONS["all"])
    assert nearness(organisation("w", region=REGIONS["all"]), asking, [REGION]) == ("everywhere", REGIONS["d"])


def test_the_terms_that_connect_them_follow_the_askers_order() -> None:
    organisations = {"a": organisation("a", needs=[KINDS[2], KINDS[0], KINDS[1]]),
                     "b": organisation("b", offers=[KINDS[0], KINDS[2]])}
    assert engine(organisations)[("needs", "a")][0][2] == ("k2", "k0")


@st.composite
def knowledge_bases(draw, tied: bool = False):
    n = draw(st.integers(1, 30))
    organisations = {}
    for i in range(n):
        def some(pool, most):
            return draw(st.lists(st.sampled_from(pool), max_size=most, unique=True))
        groups = [GROUPS[0]] if tied else some(GROUPS, 2)
        region = draw(st.none() | st.sampled_from(list(REGIONS.values())))
        organisations[f"o{i:02d}"] = organisation(f"o{i:02d}", groups, some(SOFTWARE, 2), region, some(KINDS, 2), some(KINDS, 2))
    return organisations


@settings(max_examples=200, deadline=None)
@given(knowledge_bases(), st.integers(1, 6))
def test_engine_matches_the_oracle(organisations, k) -> None:
    assert engine(organisations, k) == naive_complements(organisations, "offers", "needs", WEIGHTS, [REGION], TERMS, k)


@settings(max_examples=100, deadline=None)
@given(knowledge_bases(tied=True), st.integers(1, 4))
def test_engine_matches_the_oracle_when_scores_tie(organisations, k) -> None:
    assert engine(organisations, k) == naive_complements(organisations, "offers", "needs", WEIGHTS, [REGION], TERMS, k)
