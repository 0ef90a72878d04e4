"""Similarity of organisations (and case studies) by shared taxonomy terms.

Score definition (the single documented definition; ``tests/similarity_oracle.py``
implements it naively and the tests hold this module to it exactly):

* An item (organisation or case study) has a set of features, each a
  ``(taxonomy, term)`` pair.  Every taxonomy has a weight ``w_tax`` from the
  configuration; features of taxonomies that are missing from the weights or
  weighted 0 are ignored.  Weights must not be negative.
* ``N`` is the number of organisations, ``df(f)`` the number of organisations
  having feature ``f`` and ``idf(f) = ln((N + 1) / (df(f) + 1)) + 1`` (smoothed,
  so it is defined for query features that no organisation has).
* An item is the vector ``v(f) = w_tax(f) * idf(f)`` over its features (binary
  presence), and ``score(a, b)`` is the cosine
  ``sum(v(f)**2 for f shared) / (|a| * |b|)`` with ``|x| = sqrt(sum(v(f)**2))``.
  Items without (weighted) features score 0 with everything.
* Scores are rounded to 9 decimals, and all comparisons below use the rounded
  score, which makes ties exact and reproducible.
* A query (an organisation against all *other* organisations, or a case study
  against all organisations except an ``exclude`` set) returns the top ``k``
  organisations with ``score > 0`` and ``score >= min_score``, by score
  descending, ties by key ascending.
* Each match explains itself with the shared features, ordered by their
  contribution ``v(f)**2`` descending, then by the taxonomy order of the
  weights mapping, then by term ascending.

Algorithm of ``similar_items`` (exact, no approximation): organisations with
identical feature sets are queried once (for the top k+1).  Features are
visited rarest first; at feature f every still-open query having f is scored,
with one dense numpy product per block, against the organisations having f,
counting only features from f on (pairs sharing an earlier feature were settled
there).  If f is the first feature two organisations share, their score is at
most min(Q, D)^2 / (|q| |d|), Q and D being their norms from f on; this closes
queries whose k-th best is already out of reach and skips candidates that
cannot reach it, so common terms are scanned for few query/candidate pairs.
The blocks are scored in float32 with a proven error margin; only the pairs
that may enter a top list are re-scored exactly (float64) before ranking.
Case studies (``similar_to_each``) are queries of the same kind: rows of
features, each asking for its top k plus the organisations it leaves out.
"""

from __future__ import annotations

import gc
import math
from collections import Counter
from collections.abc import Collection, Hashable, Iterable, Mapping
from dataclasses import dataclass
from itertools import chain, islice
from typing import TypeVar

import numpy as np

from .model import Feature

Query = TypeVar("Query", bound=Hashable)  # what names a query, e.g. (kind, slug) of a case study

_SCALE = 10**9  # scores are ranked as integers round(score * 1e9)
_SLACK = 1e-9  # margin for rounding and float error when pruning with bounds
_BLOCK = 1 << 18  # max entries of one query x candidate score block (1 MiB)
_EMPTY = np.iinfo(np.int64).max  # free slot of a top list (sorts last)



def feature_value(weight: float, df: int, n: int) -> float:
    """v(f) = w_tax(f) * idf(f) for a feature found in ``df`` of ``n`` organisations."""
    return weight * (math.log((n + 1) / (df + 1)) + 1)


def feature_values(items: Iterable[Iterable[Feature]], weights: Mapping[str, float]) -> dict[Feature, float]:
    """v(f) of every weighted feature of ``items`` (each item's features counted once), as an index over them has it."""
    sets = [set(features) for features in items]
    df = Counter(chain.from_iterable(sets))
    return {f: feature_value(weights[f[0]], d, len(sets)) for f, d in df.items() if weights.get(f[0], 0) > 0}


@dataclass(frozen=True, slots=True)
class Match:
    key: str
    score: float  # rounded to 9 decimals
    shared: tuple[Feature, ...]  # explanation, most important first


class SimilarityIndex:
    """Organisations indexed for exact top-k cosine similarity queries."""

    def __init__(
        self, items: Mapping[str, Iterable[Feature]], weights: Mapping[str, float], values: Mapping[Feature, float] | None = None
    ) -> None:
        """``values``: v(f) of a larger population (``feature_values``), so that an index over a subset of the
        organisations scores with the IDF of all of them."""
        self._given = values or {}
        self._weights: dict[str, float] = {}
        for tax, weight in weights.items():
            weight = float(weight)
            if not (weight >= 0 and math.isfinite(weight)):
                raise ValueError(f"weight of taxonomy {tax!r} must be >= 0: {weight}")
            if weight > 0:
                self._weights[tax] = weight
        tax_rank = {tax: i for i, tax in enumerate(weights)}

        # Internal ids follow key order, so "key ascending" is "id ascending".
        self._keys = sorted(items)
        self._ids = {key: i for i, key in enumerate(self._keys)}
        n = self._n = len(self._keys)

        # Provisional feature ids over all (also unweighted) features, then
        # only weighted features, each once per organisation.
        vocab: dict[Feature, int] = {}
        lists = [list(items[key]) for key in self._keys]
        flat_all = np.fromiter(
            (vocab.setdefault((tax, term), len(vocab)) for tax, term in chain.from_iterable(lists)),
            np.int64,
        )
        all_feats = list(vocab)
        weighted = np.array([tax in self._weights for tax, _ in all_feats], bool)
        width = max(len(all_feats), 1)
        # Sort and drop repeats: np.unique hashes, several times slower here.
        pair = np.sort(np.repeat(np.arange(n), list(map(len, lists))) * width + flat_all)
        pair = pair[np.diff(pair, prepend=-1) != 0]
        row_of, kept = np.divmod(pair, width)
        row_of, kept = row_of[weighted[kept]], kept[weighted[kept]]
        used, flat = np.unique(kept, return_inverse=True)
        feats = [all_feats[i] for i in used.tolist()]
        m = len(feats)
        lens = np.bincount(row_of, minlength=n)
        df = np.bincount(flat, minlength=m).tolist()
        value = [self._value(f, d) for f, d in zip(feats, df, strict=True)]

        # Final feature ids = processing order: rarest first, heavier first.
        order = sorted(
            range(m), key=lambda i: (df[i], -value[i], tax_rank[feats[i][0]], feats[i][1])
        )
        self._feats = [feats[i] for i in order]
        self._fid = {f: i for i, f in enumerate(self._feats)}
        self._value_of = np.array([value[i] for i in order], dtype=np.float64)
        relabel = np.empty(m, np.int64)
        relabel[order] = np.arange(m)

        # Explanation order: rank of each (final) feature id.
        expl = sorted(
            range(m), key=lambda i: (-self._value_of[i] ** 2, tax_rank[self._feats[i][0]], self._feats[i][1])
        )
        self._expl_rank = np.empty(m, np.int64)
        self._expl_rank[expl] = np.arange(m)

        # CSR (organisation -> sorted feature ids) with normalised values u.
        fid = relabel[flat]
        srt = np.lexsort((fid, row_of))
        self._indptr = np.concatenate(([0], np.cumsum(lens)))
        self._indices = fid[srt]
        v = self._value_of[self._indices]
        norm = np.sqrt(np.bincount(row_of, weights=v * v, minlength=n))
        self._u = v / norm[row_of] if v.size else v
        self._norm, self._row_of = norm, row_of
        # The same CSR in explanation order, so explanations need no sorting.
        self._expl_indices = self._indices[np.lexsort((self._expl_rank[self._indices], row_of))]
        # "Organisation has feature": a bit table over the features two or more organisations have, and the
        # owner of each feature only one has. A table over all features would be n * m / 8 bytes: 1.25 GB
        # when 100,000 organisations each have a term of their own; the vocabulary bounds the shared ones.
        df_of = np.bincount(self._indices, minlength=m)
        shared = df_of >= 2
        self._bit_col = np.where(shared, np.cumsum(shared) - 1, -1)
        self._every_feature_shared = bool(shared.all())
        self._owner = np.full(m, -1, np.int64)
        self._owner[self._indices[~shared[self._indices]]] = row_of[~shared[self._indices]]
        self._has_width = (int(shared.sum()) + 7) // 8
        self._has = np.zeros(n * self._has_width, np.uint8)
        in_table = shared[self._indices]
        cols = self._bit_col[self._indices[in_table]]
        np.bitwise_or.at(self._has, row_of[in_table] * self._has_width + (cols >> 3), (1 << (cols & 7)).astype(np.uint8))
        # CSC (feature -> ascending organisation ids): the inverted index.
        by_feat = np.argsort(self._indices, kind="stable")
        self._post_ptr = np.concatenate(([0], np.cumsum(np.bincount(self._indices, minlength=m))))
        self._post_rows = row_of[by_feat]
        self._post_entry = by_feat  # CSR entry of each posting
        # Largest normalised value of each feature over all organisations.
        self._max_u = np.zeros(m)
        np.maximum.at(self._max_u, self._indices, self._u)
        # Two independent 64-bit hashes of each row's features from every entry on: equal tails, equal hashes.
        self._tail_hash = (_suffix_hashes(self._indptr, self._indices, 0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F),
                           _suffix_hashes(self._indptr, self._indices, 0xD6E8FEB86659FD93, 0x165667B19E3779F9))

    def _value(self, feature: Feature, df: int) -> float:
        given = self._given.get(feature)
        return feature_value(self._weights[feature[0]], df, self._n) if given is None else given

    def _shared_features(
        self, b: np.ndarray, starts: np.ndarray, stops: np.ndarray, indices: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Features ``indices[starts[i]:stops[i]]`` (a row of some CSR) that organisation
        b[i] also has, in that order, and for each its pair i."""
        off, pair = _spans(starts, stops)
        f = indices[off]
        hit = np.empty(f.size, bool)
        for lo in range(0, f.size, _BLOCK * 8):  # in slices: explaining every match would otherwise peak in memory
            hit[lo : lo + _BLOCK * 8] = self._has_features(b[pair[lo : lo + _BLOCK * 8]], f[lo : lo + _BLOCK * 8])
        return f[hit], pair[hit]

    def _has_features(self, org: np.ndarray, f: np.ndarray) -> np.ndarray:
        """Whether organisation org[i] has feature f[i]."""
        col = self._bit_col[f]
        if self._every_feature_shared:  # the usual case: one lookup in the table, as fast as a table of all features
            return np.asarray((self._has[org * self._has_width + (col >> 3)] >> (col & 7)) & 1 != 0)
        hit = np.asarray(self._owner[f] == org)
        in_table = np.flatnonzero(col >= 0)
        col, org = col[in_table], org[in_table]
        hit[in_table] = (self._has[org * self._has_width + (col >> 3)] >> (col & 7)) & 1 != 0
        return hit

    def _explain(self, b: np.ndarray, starts: np.ndarray, stops: np.ndarray, expl_indices: np.ndarray) -> list[tuple[Feature, ...]]:
        """Explanations (shared features, most important first) of pairs (query row i, organisation b[i]);
        ``expl_indices[starts[i]:stops[i]]`` is the query's row in explanation order."""
        f, pair = self._shared_features(b, starts, stops, expl_indices)
        feats = map(self._feats.__getitem__, f.tolist())
        return [tuple(islice(feats, c)) for c in np.bincount(pair, minlength=b.size).tolist()]

    def _exact(self, q: _Queries, rows: np.ndarray, b: np.ndarray, starts: np.ndarray) -> np.ndarray:
        """Float64 scores of pairs (query rows[i], organisation b[i]) over the query's features from entry starts[i] on."""
        f, pair = self._shared_features(b, starts, q.ptr[rows + 1], q.fid)
        mass = np.bincount(pair, weights=self._value_of[f] ** 2, minlength=b.size)
        return np.asarray(mass / (q.norm[rows] * self._norm[b]))

    def _organisation_queries(self, reps: np.ndarray) -> _Queries:
        """Organisations ``reps`` as queries: their own rows of the index."""
        off, _ = _gather(self._indptr, reps)
        ptr = np.concatenate(([0], np.cumsum(np.diff(self._indptr)[reps])))
        return _Queries(ptr, self._indices[off], self._u[off], self._norm[reps], self._expl_indices[off], reps)

    def _feature_queries(self, queries: list[Iterable[Feature]], excluded: list[set[int]]) -> _Queries:
        """Feature lists as queries. Features no organisation has (df = 0) only enlarge a query's norm, and so do
        features only a left-out organisation has (an organisation asking an index it is in): no candidate shares them."""
        rows, norms = [], []
        for features, left_out in zip(queries, excluded, strict=True):
            query = {(tax, term) for tax, term in features if tax in self._weights}
            known = sorted(self._fid[f] for f in query if f in self._fid)
            rows.append([fid for fid in known if self._owner[fid] < 0 or int(self._owner[fid]) not in left_out])
            norms.append(math.sqrt(sum(self._value(f, 0) ** 2 for f in query if f not in self._fid)
                                   + float(np.sum(self._value_of[known] ** 2))))
        ptr = np.concatenate(([0], np.cumsum([len(r) for r in rows]))).astype(np.int64)
        fid = np.fromiter(chain.from_iterable(rows), np.int64, count=int(ptr[-1]))
        norm = np.array(norms, np.float64)
        row_of = np.repeat(np.arange(len(rows)), np.diff(ptr))
        expl = fid[np.lexsort((self._expl_rank[fid], row_of))]
        return _Queries(ptr, fid, self._value_of[fid] / norm[row_of] if fid.size else np.zeros(0), norm, expl,
                        np.full(len(rows), -1, np.int64))

    # ------------------------------------------------------------------ queries

    def similar_items(self, k: int, min_score: float = 0.0) -> dict[str, list[Match]]:
        """Top-k for every indexed item against all others (batch; must be fast)."""
        n, keys = self._n, self._keys
        if k <= 0 or n == 0:
            return {key: [] for key in keys}
        # Identical feature sets are queried once, for the top k+1: that list
        # still holds the top k of each member once the member itself is removed.
        lens = np.diff(self._indptr)
        padded = np.full((n, max(int(lens.max(initial=0)), 1)), -1, np.int64)
        padded[self._row_of, np.arange(self._indices.size) - self._indptr[self._row_of]] = self._indices
        order = np.lexsort(padded.T[::-1])
        first = np.ones(n, bool)
        first[1:] = (padded[order[1:]] != padded[order[:-1]]).any(axis=1)
        groups = np.empty(n, np.int64)
        groups[order] = np.cumsum(first) - 1
        held_id, held_r = self._top(self._organisation_queries(order[first]), min(k + 1, n), min_score)

        # Per organisation: its group's list without itself, cut to k.
        ids, rs = held_id[groups], held_r[groups]
        valid = (ids >= 0) & (ids != np.arange(n)[:, None])
        org, slot = np.nonzero(valid & (np.cumsum(valid, axis=1) <= k))
        other, r = ids[org, slot], rs[org, slot]
        shared = self._explain(other, self._indptr[org], self._indptr[org + 1], self._expl_indices)
        bounds = np.searchsorted(org, np.arange(n + 1)).tolist()
        # A million small objects, all kept: spare the garbage collector's
        # repeated full scans while they are created.
        collecting = gc.isenabled()
        gc.disable()
        try:
            matches = list(map(Match, map(keys.__getitem__, other.tolist()), (r / _SCALE).tolist(), shared))
            return {key: matches[bounds[i] : bounds[i + 1]] for i, key in enumerate(keys)}
        finally:
            if collecting:
                gc.enable()

    def _top(self, queries: _Queries, kk: int, min_score: float) -> tuple[np.ndarray, np.ndarray]:
        """Top-kk (ids, rounded int scores) of each query over all organisations; -1 marks free places."""
        return _Search(self, queries, kk, min_score).run()

    def _features_to_visit(self, queries: _Queries, q_row: np.ndarray) -> np.ndarray:
        """Features some query must visit. Why: at a feature only one organisation has, that
        organisation's own query meets only itself, which no list keeps; small vocabularies
        make most features such (a software of one's own), and each visit costs Python time."""
        post_df = np.diff(self._post_ptr)
        sole = np.where(post_df == 1, self._post_rows[np.minimum(self._post_ptr[:-1], self._post_rows.size - 1)], -1)
        meets_only_itself = (post_df[queries.fid] == 1) & (queries.own[q_row] == sole[queries.fid])
        return np.unique(queries.fid[~meets_only_itself])

    def _interchangeable_dropped(self, rows: np.ndarray, entries: np.ndarray, kk: int) -> tuple[np.ndarray, np.ndarray]:
        """The candidates of one feature (ascending ids, their CSR entries) that can still enter a top-kk list.

        Why: with small vocabularies many organisations tie, and then no bound
        prunes and every query would meet every candidate. Candidates with the
        same features from here on and the same norm score alike against any
        query, so of each such group only the kk smallest ids (ties go to the
        smaller key) can enter a list: the rest are dropped, exactly.
        """
        if rows.size <= kk:
            return rows, entries
        order = np.lexsort((rows, self._norm[rows], self._tail_hash[1][entries], self._tail_hash[0][entries]))
        keys = (self._tail_hash[0][entries][order], self._tail_hash[1][entries][order], self._norm[rows][order])
        starts = np.ones(order.size, bool)
        starts[1:] = np.any([key[1:] != key[:-1] for key in keys], axis=0)
        group_start = np.maximum.accumulate(np.where(starts, np.arange(order.size), 0))
        kept = np.sort(order[np.arange(order.size) - group_start < kk])
        return rows[kept], entries[kept]

    def similar_to(
        self,
        features: Iterable[Feature],
        k: int,
        min_score: float = 0.0,
        exclude: Collection[str] = (),
    ) -> list[Match]:
        """Top-k organisations for one query (a case study); for many, ``similar_to_each`` is much faster."""
        return self.similar_to_each({"": (features, exclude)}, k, min_score)[""]

    def similar_to_each(
        self, queries: Mapping[Query, tuple[Iterable[Feature], Collection[str]]], k: int, min_score: float = 0.0
    ) -> dict[Query, list[Match]]:
        """Top-k organisations for each query (case studies: features, organisations to leave out), in one batch.

        The queries go through the same pruned search as ``similar_items``, each
        for its top k plus as many as it leaves out.
        """
        keys = list(queries)
        if k <= 0 or not keys or self._n == 0:
            return {key: [] for key in keys}
        excluded = [{self._ids[o] for o in queries[key][1] if o in self._ids} for key in keys]
        q = self._feature_queries([queries[key][0] for key in keys], excluded)
        held_id, held_r = self._top(q, min(k + max(map(len, excluded)), self._n), min_score)
        rows: list[int] = []
        found: list[int] = []
        scores: list[int] = []
        for row, (ids, rs) in enumerate(zip(held_id.tolist(), held_r.tolist(), strict=True)):
            kept = [(i, r) for i, r in zip(ids, rs, strict=True) if i >= 0 and i not in excluded[row]][:k]
            rows.extend([row] * len(kept))
            found.extend(i for i, _ in kept)
            scores.extend(r for _, r in kept)
        row_ids = np.array(rows, np.int64)
        shared = self._explain(np.array(found, np.int64), q.ptr[row_ids], q.ptr[row_ids + 1], q.expl)
        result: dict[Query, list[Match]] = {key: [] for key in keys}
        for row, i, r, s in zip(rows, found, scores, shared, strict=True):
            result[keys[row]].append(Match(self._keys[i], r / _SCALE, s))
        return result


class _Search:
    """One batch of top-kk searches (``SimilarityIndex._top``), in named steps.

    The features are visited rarest first. At feature f, a query meets the
    candidates it shares f with, scored over the features from f on only:
    pairs sharing an earlier feature were settled then. The bound that prunes:
    if f is the first feature q and d share, score <= min(Q, D)^2 / (|q| |d|),
    with Q, D the norms of their values from f on. score >= t thus needs
    D^2 / |d| >= t |q| (``candidates``) and |d| <= Q^2 / (t |q|) (``cap``).
    """

    def __init__(self, index: SimilarityIndex, queries: _Queries, kk: int, min_score: float) -> None:
        self.index, self.queries, self.kk, self.min_score = index, queries, kk, min_score
        m = len(index._feats)
        # D at every CSR entry of the organisations, Q at every entry of the queries.
        self.tail = np.sqrt(_suffix_sums(index._indptr, (index._u * index._norm[index._row_of]) ** 2))
        q = queries
        self.q_row = np.repeat(np.arange(q.norm.size), np.diff(q.ptr))
        self.q_tail = np.sqrt(_suffix_sums(q.ptr, (q.u * q.norm[self.q_row]) ** 2))
        # Bound for any candidate a query has not met yet: Q / |q|, and the
        # sum of u_q * (largest u of that feature among all organisations).
        self.q_gate = np.minimum(self.q_tail / q.norm[self.q_row], _suffix_sums(q.ptr, q.u * index._max_u[q.fid]))
        # An inverted index over the queries' entries.
        self.q_by_feat = np.argsort(q.fid, kind="stable")
        self.q_feat_ptr = np.concatenate(([0], np.cumsum(np.bincount(q.fid, minlength=m))))
        # Running top lists, best first, one int64 sort key per entry:
        # (_SCALE - rounded score) above the id bits, so ascending keys are
        # score descending, ties id ascending (30 + id_bits <= 63 bits).
        self.id_bits = max(index._n - 1, 1).bit_length()
        self.id_mask = (1 << self.id_bits) - 1
        self.held = np.full((q.norm.size, kk), _EMPTY, np.int64)
        self.need = np.full(q.norm.size, float(min_score))  # score a newcomer needs: k-th best or min_score
        self.col_of = np.full(m, -1, np.int64)  # scratch: feature -> column of the dense rows
        self.pos_of = np.full(index._n, -1, np.int64)  # scratch: organisation -> column of a score block

    def run(self) -> tuple[np.ndarray, np.ndarray]:
        for f in self.index._features_to_visit(self.queries, self.q_row).tolist():
            self.visit(f)
        held = self.held
        empty = held == _EMPTY
        return np.where(empty, -1, held & self.id_mask), np.where(empty, -1, _SCALE - (held >> self.id_bits))

    def visit(self, f: int) -> None:
        entries, cap, req = self.open_queries(f)
        if entries.size == 0:
            return
        cands, c_norm, c_entry, n_cands = self.candidates(f, req)
        if n_cands[-1] == 0:
            return
        dq, dc, err = self.dense_rows(entries, cands[: n_cands[-1]], c_entry[: n_cands[-1]])
        lo, qs = 0, self.q_row[entries]
        while lo < qs.size:
            # Chunk of queries whose score block stays under _BLOCK entries.
            cost = np.arange(1, qs.size - lo + 1) * n_cands[lo:]
            hi = lo + max(1, int(np.searchsorted(cost, _BLOCK, side="right")))
            nc = int(n_cands[hi - 1])
            sub, dcs = cands[:nc], dc[:nc]
            fits = c_norm[:nc] <= cap[lo:hi].max()
            if not fits.all():  # candidates too large for every query of the chunk (|d| > Q^2 / (t |q|))
                sub, dcs = sub[fits], dcs[fits]
            self.score_chunk(qs[lo:hi], entries[lo:hi], dq[lo:hi], sub, dcs, err)
            lo = hi

    def open_queries(self, f: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The entries (at f) of queries a candidate met here can still enter, by required D^2 / |d| descending,
        with each query's largest usable |d| and that requirement. A query whose gate is below what its list
        needs is closed: every candidate sharing an earlier feature was scored then."""
        entries = self.q_by_feat[self.q_feat_ptr[f] : self.q_feat_ptr[f + 1]]
        entries = entries[self.q_gate[entries] >= self.need[self.q_row[entries]] - _SLACK]
        t = self.need[self.q_row[entries]] - _SLACK
        req = t * self.queries.norm[self.q_row[entries]]
        by_req = np.argsort(-req, kind="stable")
        entries, t, req = entries[by_req], t[by_req], req[by_req]
        cap = np.full(entries.size, np.inf)
        positive = t > 0
        cap[positive] = self.q_tail[entries[positive]] ** 2 / req[positive]
        return entries, cap, req

    def candidates(self, f: int, req: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Organisations having f, by D^2 / |d| descending (ids, norms, CSR entries of f), and how many of
        them each open query needs: queries sorted by requirement need growing prefixes, so chunks share one."""
        index = self.index
        post = slice(index._post_ptr[f], index._post_ptr[f + 1])
        rows, c_entry = index._interchangeable_dropped(index._post_rows[post], index._post_entry[post], self.kk)
        key = self.tail[c_entry] ** 2 / index._norm[rows]
        by_key = np.argsort(-key, kind="stable")
        n_cands = np.searchsorted(-key[by_key], -req, side="right")
        return rows[by_key], index._norm[rows[by_key]], c_entry[by_key], n_cands

    def dense_rows(self, entries: np.ndarray, cands: np.ndarray, c_entry: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
        """float32 rows of the queries and candidates over the queries' features from f on, and their error margin."""
        index, q = self.index, self.queries
        off, row = _spans(entries, q.ptr[self.q_row[entries] + 1])
        cols = np.unique(q.fid[off])  # not a bincount over all m features: that made the visits quadratic in m
        self.col_of[cols] = np.arange(cols.size)
        dq = np.zeros((entries.size, cols.size), np.float32)
        dq[row, self.col_of[q.fid[off]]] = q.u[off]
        off, row = _spans(c_entry, index._indptr[cands + 1])
        col = self.col_of[index._indices[off]]
        self.col_of[cols] = -1
        hit = col >= 0
        dc = np.zeros((cands.size, cols.size), np.float32)
        dc[row[hit], col[hit]] = index._u[off[hit]]
        # Rows have norm <= 1, so a float32 dot product of them is off by at most (length + 2)
        # units of 2**-24 (inputs rounded, then summed); twice that is a safe margin.
        return dq, dc, (cols.size + 2) * 2.0**-23

    def score_chunk(self, q: np.ndarray, entries: np.ndarray, dq: np.ndarray, sub: np.ndarray, dcs: np.ndarray, err: float) -> None:
        """Scores a block of queries against candidates in float32, re-scores the few that may enter a list
        exactly in float64, and merges those into the lists."""
        held, kk, nc = self.held, self.kk, sub.size
        scores = dq @ dcs.T
        # Candidates already held are never re-admitted (merge has no
        # duplicates; ones seen and dropped cannot beat the list now).
        self.pos_of[sub] = np.arange(nc)
        hkey = held[q]
        taken = hkey != _EMPTY
        pos = self.pos_of[np.where(taken, hkey & self.id_mask, 0)]
        self.pos_of[sub] = -1
        r_, c_ = np.nonzero(taken & (pos >= 0))
        scores[r_, pos[r_, c_]] = -np.inf
        # Keep only scores that can reach the list's k-th or, for lists not yet full, this block's k-th.
        cut = self.need[q]
        filling = np.nonzero(held[q, -1] == _EMPTY)[0]
        if nc > kk and filling.size:
            kth = np.partition(scores[filling], nc - kk, axis=1)[:, nc - kk]
            cut[filling] = np.maximum(cut[filling], kth - err)
        cut = np.maximum(cut - _SLACK, 1e-10)
        r_, c_ = np.divmod(np.flatnonzero(scores >= (cut - err)[:, None]), nc)
        # Exact float64 scores of the few survivors decide.
        exact = self.index._exact(self.queries, q[r_], sub[c_], entries[r_])
        new_r = np.rint(exact * _SCALE).astype(np.int64)
        ok = (exact >= cut[r_]) & (new_r > 0) & (new_r / _SCALE >= self.min_score)
        r_ = r_[ok]  # ascending: rows of the block in order
        new_row = np.diff(r_, prepend=-1) > 0
        q, row = q[r_[new_row]], np.cumsum(new_row) - 1
        _merge(held, q, row, (_SCALE - new_r[ok]) << self.id_bits | sub[c_[ok]])
        last = held[q, -1]
        kth_score = np.where(last != _EMPTY, (_SCALE - (last >> self.id_bits)) / _SCALE, -np.inf)
        self.need[q] = np.maximum(kth_score, self.min_score)


@dataclass(frozen=True)
class _Queries:
    """Queries as a CSR over feature ids in processing order, as the organisations' rows are."""

    ptr: np.ndarray  # row i is entries ptr[i]:ptr[i + 1]
    fid: np.ndarray  # feature ids, ascending within a row
    u: np.ndarray  # v(f) / |q|
    norm: np.ndarray  # |q| per row, with the features no organisation has
    expl: np.ndarray  # each row's feature ids in explanation order
    own: np.ndarray  # the organisation each row is (its own query), or -1 for a list of features


def _gather(indptr: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """CSR entry offsets of ``rows`` and, per entry, its position in ``rows``."""
    return _spans(indptr[rows], indptr[rows + 1])


def _spans(starts: np.ndarray, stops: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Offsets in the ranges starts[i]:stops[i] and, per offset, its range i."""
    lens = stops - starts
    ends = np.cumsum(lens)
    off = np.arange(ends[-1] if ends.size else 0) + np.repeat(starts - ends + lens, lens)
    return off, np.repeat(np.arange(lens.size), lens)


def _suffix_sums(indptr: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Per CSR row, the sum of ``x`` over each entry and the row's later entries."""
    out = x.copy()
    lens = np.diff(indptr)
    for j in range(int(lens.max(initial=0)) - 2, -1, -1):
        e = indptr[:-1][lens > j + 1] + j
        out[e] += out[e + 1]
    return out


def _suffix_hashes(indptr: np.ndarray, indices: np.ndarray, base: int, salt: int) -> np.ndarray:
    """Per CSR entry, a polynomial hash of the row's feature ids from that entry to the row's end."""
    out = indices.astype(np.uint64) * np.uint64(salt) + np.uint64(1)
    lens = np.diff(indptr)
    with np.errstate(over="ignore"):  # arithmetic modulo 2**64 is the point
        for j in range(int(lens.max(initial=0)) - 2, -1, -1):
            e = indptr[:-1][lens > j + 1] + j
            out[e] = out[e] * np.uint64(base) + out[e + 1]
    return out


def _merge(held: np.ndarray, q: np.ndarray, row: np.ndarray, new_key: np.ndarray) -> None:
    """Merge new entries (row i of ``q``, sort key; rows ascending) into the
    top lists ``held`` of queries ``q``: one row-wise sort of lists and newcomers.
    A row has at most the block's candidates as newcomers, so the padded
    matrix stays within the size of the score block plus the lists."""
    kk = held.shape[1]
    col = kk + np.arange(row.size) - np.searchsorted(row, row)
    merged = np.full((q.size, int(col.max(initial=kk - 1)) + 1), _EMPTY, np.int64)
    merged[:, :kk] = held[q]
    merged[row, col] = new_key
    merged.sort(axis=1)
    held[q] = merged[:, :kk]
