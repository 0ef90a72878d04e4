"""Answers typed by a contributor (in `casebook new` or a GitHub issue form) turned into front-matter values."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from .fields import FieldSpec
from .vocabulary import Vocabulary


def split_terms(text: str, taxonomy: str, vocabulary: Vocabulary, numbered: Sequence[str] = ()) -> list[str]:
    """'Senior*innen, 2' -> ['Senior*innen', <second numbered label>]; commas inside known labels are kept.

    Pieces are joined greedily while the joined text is a known term, so a
    label like 'Menschen, die von Hass im Netz betroffen sind' survives.
    """
    pieces = [p.strip() for p in re.split(r"[,\n]", text) if p.strip()]
    terms: list[str] = []
    start = 0
    while start < len(pieces):
        end = next((e for e in range(len(pieces), start + 1, -1) if vocabulary.owner(taxonomy, ", ".join(pieces[start:e]))), start + 1)
        piece = ", ".join(pieces[start:end])
        terms.append(numbered[int(piece) - 1] if piece.isdigit() and 1 <= int(piece) <= len(numbered) else piece)
        start = end
    return terms


def canonical_terms(spec: FieldSpec, spellings: Sequence[str], vocabulary: Vocabulary,
                    decide: Callable[[str, str | None], str | None]) -> list[str] | None:
    """Known spellings become the vocabulary's label; ``decide`` settles unknown ones (None: ask again)."""
    assert spec.taxonomy is not None
    result = []
    for spelling in spellings:
        term = vocabulary.resolve(spec.taxonomy.key, spelling)
        chosen = term.label if term.known else decide(spelling, vocabulary.suggest(spec.taxonomy.key, spelling))
        if chosen is None:
            return None
        result.append(chosen)
    return list(dict.fromkeys(result))


def parse_answer(spec: FieldSpec, text: str, vocabulary: Vocabulary, numbered: Sequence[str] = ()) -> Any:
    """A typed answer into the value the front matter gets (before the contract checks it)."""
    text = text.strip()
    if spec.kind == "terms" and spec.taxonomy:
        return split_terms(text, spec.taxonomy.key, vocabulary, numbered)
    if spec.kind == "term" and spec.taxonomy:
        terms = split_terms(text, spec.taxonomy.key, vocabulary, numbered)
        return terms[0] if len(terms) == 1 else terms
    if spec.kind == "texts":  # sentences have commas; one per line
        return [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    if spec.kind == "slugs":
        return [p.strip().removesuffix(".md") for p in re.split(r"[,\n]", text) if p.strip()]
    if spec.kind == "year":
        return int(text) if text.isdigit() else text
    if spec.kind == "flag":
        return text.casefold() in ("ja", "j", "true", "yes", "y", "1")
    return " ".join(text.split())  # as the contract normalises it; issue answers may span lines
