"""Tests of the similarity engine: hand-computed examples and oracle equivalence.

Run with ``.venv/bin/python -m pytest tests/core/test_similarity.py``.
"""

from __future__ import annotations

import math
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from casebook.core.similarity import Match, SimilarityIndex
from similarity_oracle import naive_similar_items, naive_similar_to

WEIGHTS = {"target_groups": 2, "software": 1, "region": 1}
ITEMS = {
    "c": [("software", "y"), ("region", "r")],
    "a": [("target_groups", "x"), ("software", "y")],
    "b": [("target_groups", "x"), ("colour", "red")],  # colour: no weight, ignored
    "d": [("colour", "red")],  # no weighted features at all
}
# N = 4; df(x) = df(y) = 2, df(r) = 1.
IDF_2 = math.log(5 / 3) + 1
IDF_1 = math.log(5 / 2) + 1
TGX, SWY, REGR = ("target_groups", "x"), ("software", "y"), ("region", "r")


def as_tuples(matches: list[Match]) -> list[tuple]:
    return [(m.key, m.score, m.shared) for m in matches]


def test_hand_computed_similar_items():
    result = SimilarityIndex(ITEMS, WEIGHTS).similar_items(k=3)
    # a-b share x: (2 i)^2 / (sqrt((2 i)^2 + i^2) * 2 i) = 2 / sqrt(5), idf cancels.
    ab = round(2 / math.sqrt(5), 9)
    # a-c share y: i^2 / (sqrt(5) i * sqrt(i^2 + i1^2)).
    ac = round(IDF_2 / (math.sqrt(5) * math.hypot(IDF_2, IDF_1)), 9)
    assert (ab, ac) == (0.894427191, 0.276883486)
    assert as_tuples(result["a"]) == [("b", ab, (TGX,)), ("c", ac, (SWY,))]
    assert as_tuples(result["b"]) == [("a", ab, (TGX,))]
    assert as_tuples(result["c"]) == [("a", ac, (SWY,))]
    assert result["d"] == []
    assert list(result) == ["a", "b", "c", "d"]


def test_hand_computed_similar_to_with_unknown_term_and_exclusion():
    index = SimilarityIndex(ITEMS, WEIGHTS)
    new = ("region", "new")  # no organisation has it: idf = ln(5) + 1
    query = [SWY, REGR, new, ("colour", "red")]
    norm_q = math.sqrt(IDF_2**2 + IDF_1**2 + (math.log(5) + 1) ** 2)
    # c shares y and r: (i^2 + i1^2) / (|q| * sqrt(i^2 + i1^2)).
    c = round(math.hypot(IDF_2, IDF_1) / norm_q, 9)
    a = round(IDF_2**2 / (norm_q * math.sqrt(5) * IDF_2), 9)
    # Explanation: r (larger idf) contributes more than y.
    assert as_tuples(index.similar_to(query, k=5)) == [
        ("c", c, (REGR, SWY)),
        ("a", a, (SWY,)),
    ]
    assert as_tuples(index.similar_to(query, k=5, exclude={"c", "zz"})) == [
        ("a", a, (SWY,))
    ]
    assert as_tuples(index.similar_to(query, k=1)) == [("c", c, (REGR, SWY))]
    assert index.similar_to(query, k=5, min_score=c + 1e-6) == []
    assert [m.key for m in index.similar_to(query, k=5, min_score=c)] == ["c"]
    assert index.similar_to([new], k=5) == []
    assert index.similar_to([], k=5) == []


def test_explanation_order_contribution_then_taxonomy_then_term():
    weights = {"topics": 1, "software": 1}  # topics before software
    feats = [("software", "s1"), ("topics", "t2"), ("topics", "t1"), ("topics", "t0")]
    items = {"p": feats, "q": list(reversed(feats)), "r": [("topics", "t1")]}
    # t1 is common (df 3) so it contributes least; s1, t0, t2 tie (df 2, weight 1).
    (match,) = SimilarityIndex(items, weights).similar_items(k=1)["p"]
    assert match.key == "q" and match.score == 1.0
    assert match.shared == (
        ("topics", "t0"),
        ("topics", "t2"),
        ("software", "s1"),
        ("topics", "t1"),
    )


def test_ties_broken_by_key_and_self_never_matched():
    items = {key: [("region", "x")] for key in ["m", "b", "z", "a"]}
    result = SimilarityIndex(items, {"region": 1}).similar_items(k=2)
    assert [m.key for m in result["m"]] == ["a", "b"]
    assert [m.key for m in result["a"]] == ["b", "m"]
    assert all(m.score == 1.0 for ms in result.values() for m in ms)


def test_min_score_and_k():
    index = SimilarityIndex(ITEMS, WEIGHTS)
    assert [m.key for m in index.similar_items(k=3, min_score=0.5)["a"]] == ["b"]
    assert index.similar_items(k=3, min_score=0.9)["a"] == []
    assert index.similar_items(k=0)["a"] == []
    assert [m.key for m in index.similar_items(k=1)["a"]] == ["b"]


def test_zero_weight_and_unknown_taxonomy_are_ignored():
    items = {"a": [("x", "1"), ("y", "1")], "b": [("x", "1"), ("y", "1"), ("z", "9")]}
    result = SimilarityIndex(items, {"x": 0, "y": 2}).similar_items(k=5)
    assert as_tuples(result["a"]) == [("b", 1.0, (("y", "1"),))]
    assert SimilarityIndex(items, {"x": 0}).similar_items(k=5) == {"a": [], "b": []}
    assert SimilarityIndex({}, {"x": 1}).similar_items(k=5) == {}
    assert SimilarityIndex({}, {"x": 1}).similar_to([("x", "1")], k=5) == []


def test_input_order_does_not_matter():
    rng = random.Random(7)
    items = {
        f"o{i}": [(t, str(rng.randrange(4))) for t in "abc" for _ in range(2)]
        for i in range(30)
    }
    weights = {"a": 3, "b": 1, "c": 1}
    shuffled = {k: list(reversed(v)) for k, v in reversed(list(items.items()))}
    assert SimilarityIndex(items, weights).similar_items(4) == SimilarityIndex(
        shuffled, weights
    ).similar_items(4)


# ------------------------------------------------------------ property tests

TAXONOMIES = ["a", "b", "c", "unweighted"]
features = st.tuples(st.sampled_from(TAXONOMIES), st.sampled_from(["1", "2", "3", "4"]))
knowledge_bases = st.dictionaries(
    st.sampled_from([f"o{i:02d}" for i in range(25)]),
    st.lists(features, max_size=6),
    max_size=25,
)
weight_maps = st.tuples(  # random taxonomy order (it orders explanations)
    st.permutations(list("abc")),
    st.lists(st.sampled_from([0, 0.5, 1, 1.5, 3]), min_size=3, max_size=3),
).map(lambda t: dict(zip(*t, strict=True)))
ks = st.integers(min_value=0, max_value=6)
min_scores = st.sampled_from([0.0, 0.0, 0.1, 0.3, 0.5, 0.8, 1.0])


@settings(max_examples=400, deadline=None)
@given(knowledge_bases, weight_maps, ks, min_scores)
def test_similar_items_equals_oracle(items, weights, k, min_score):
    got = SimilarityIndex(items, weights).similar_items(k, min_score)
    expected = naive_similar_items(items, weights, k, min_score)
    assert {key: as_tuples(ms) for key, ms in got.items()} == expected


@settings(max_examples=400, deadline=None)
@given(
    knowledge_bases,
    weight_maps,
    st.lists(features, max_size=6),
    ks,
    min_scores,
    st.sets(st.sampled_from([f"o{i:02d}" for i in range(25)]), max_size=5),
)
def test_similar_to_equals_oracle(items, weights, query, k, min_score, exclude):
    got = SimilarityIndex(items, weights).similar_to(query, k, min_score, exclude)
    expected = naive_similar_to(items, weights, query, k, min_score, exclude)
    assert as_tuples(got) == expected


@settings(max_examples=300, deadline=None)
@given(
    knowledge_bases,
    weight_maps,
    st.lists(st.tuples(st.lists(features, max_size=6), st.sets(st.sampled_from([f"o{i:02d}" for i in range(25)]), max_size=5)),
             max_size=8),
    ks,
    min_scores,
)
def test_batch_of_queries_equals_oracle_for_each(items, weights, queries, k, min_score):
    batch = {f"q{i}": query for i, query in enumerate(queries)}
    got = SimilarityIndex(items, weights).similar_to_each(batch, k, min_score)
    assert {key: as_tuples(ms) for key, ms in got.items()} == {
        key: naive_similar_to(items, weights, query, k, min_score, exclude) for key, (query, exclude) in batch.items()}


def test_larger_knowledge_base_with_small_blocks_equals_oracle(monkeypatch):
    """Exercise pruning and query chunking on a skewed, bigger corpus."""
    import casebook.core.similarity as similarity

    monkeypatch.setattr(similarity, "_BLOCK", 50)
    rng = random.Random(3)
    zipf = [1 / (i + 1) ** 1.1 for i in range(12)]
    items = {
        f"org{i:03d}": [
            (tax, f"t{rng.choices(range(12), zipf)[0]}")
            for tax in ("a", "b", "c")
            for _ in range(rng.randrange(4))
        ]
        for i in range(300)
    }
    weights = {"a": 3, "b": 1.5, "c": 1}
    index = SimilarityIndex(items, weights)
    for k, min_score in [(5, 0.0), (10, 0.4)]:
        got = index.similar_items(k, min_score)
        assert {key: as_tuples(ms) for key, ms in got.items()} == naive_similar_items(
            items, weights, k, min_score
        )
    query = [("a", "t5"), ("b", "t0"), ("c", "t1"), ("c", "new")]
    assert as_tuples(index.similar_to(query, 7, 0.1, {"org001"})) == naive_similar_to(
        items, weights, query, 7, 0.1, {"org001"}
    )
    cases = {  # like case studies: a few terms, leaving out the organisations involved
        f"case{i}": ([(tax, f"t{rng.choices(range(12), zipf)[0]}") for tax in ("a", "b", "c") for _ in range(rng.randrange(3))],
                     {f"org{rng.randrange(300):03d}" for _ in range(rng.randrange(4))})
        for i in range(60)
    }
    got = index.similar_to_each(cases, 5, 0.05)
    assert {key: as_tuples(ms) for key, ms in got.items()} == {
        key: naive_similar_to(items, weights, query, 5, 0.05, exclude) for key, (query, exclude) in cases.items()}


def test_repeated_features_and_identical_organisations_equal_oracle():
    """Duplicate features collapse; identical feature sets are queried once."""
    items = {
        "a": [("a", "1"), ("a", "1"), ("b", "2")],
        "b": [("b", "2"), ("a", "1")],
        "c": [("a", "1"), ("b", "2")],
        "d": [("a", "1"), ("c", "3")],
        "e": [],
    }
    weights = {"a": 1, "b": 2, "c": 1}
    for k in (1, 2, 4):
        got = SimilarityIndex(items, weights).similar_items(k)
        assert {key: as_tuples(ms) for key, ms in got.items()} == naive_similar_items(items, weights, k)
    assert [m.key for m in SimilarityIndex(items, weights).similar_items(2)["b"]] == ["a", "c"]


# ------------------------------------------------------------ tie-heavy shapes
# Real vocabularies are small, so many organisations share the same terms and scores tie; the engine drops
# candidates that are interchangeable at a feature and skips features an organisation has alone.


@st.composite
def tied_knowledge_bases(draw):
    """Up to 60 organisations: most share a common term, many have a term of their own, some a second common one."""
    items = {}
    for i in range(draw(st.integers(min_value=1, max_value=60))):
        own = [("b", f"eigen{i}")] if draw(st.booleans()) else []
        common = [("a", "alle")] if draw(st.integers(0, 9)) else []
        extra = [("c", draw(st.sampled_from(["1", "2"])))] if draw(st.booleans()) else []
        items[f"o{i:02d}"] = common + own + extra
    return items


@settings(max_examples=300, deadline=None)
@given(tied_knowledge_bases(), weight_maps, ks, min_scores)
def test_tie_heavy_similar_items_equals_oracle(items, weights, k, min_score):
    got = SimilarityIndex(items, weights).similar_items(k, min_score)
    assert {key: as_tuples(ms) for key, ms in got.items()} == naive_similar_items(items, weights, k, min_score)


@settings(max_examples=200, deadline=None)
@given(tied_knowledge_bases(), weight_maps, st.lists(features, max_size=4).map(lambda f: [*f, ("a", "alle")]), ks,
       st.sets(st.sampled_from([f"o{i:02d}" for i in range(60)]), max_size=5))
def test_tie_heavy_case_queries_equal_oracle(items, weights, query, k, exclude):
    got = SimilarityIndex(items, weights).similar_to(query, k, 0.0, exclude)
    assert as_tuples(got) == naive_similar_to(items, weights, query, k, 0.0, exclude)


def test_all_tied_shape_with_small_blocks_equals_oracle(monkeypatch):
    """Every organisation shares one target group and has a software of its own: every score ties."""
    import casebook.core.similarity as similarity

    monkeypatch.setattr(similarity, "_BLOCK", 64)
    items = {f"org{i:03d}": [("target_groups", "alle"), ("software", f"sw{i}")] + ([("region", "r")] if i % 7 == 0 else [])
             for i in range(400)}
    weights = {"target_groups": 3, "software": 2, "region": 1}
    index = SimilarityIndex(items, weights)
    for k in (1, 10):
        got = index.similar_items(k)
        assert {key: as_tuples(ms) for key, ms in got.items()} == naive_similar_items(items, weights, k)
    cases = {"fall": ([("target_groups", "alle"), ("software", "sw3")], {"org000", "org003"})}
    got = index.similar_to_each(cases, 10)
    assert as_tuples(got["fall"]) == naive_similar_to(items, weights, cases["fall"][0], 10, 0.0, cases["fall"][1])
