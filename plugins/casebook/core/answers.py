"""Answers typed by a contributor (in `casebook new` or a GitHub issue form) turned into front-matter values."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from .fields import FieldSpec, Noted
from .vocabulary import Vocabulary

# Answers to a field whose terms take notes: one term per line, its note after a colon.
NOTE_HELP = "Nach einem Doppelpunkt dürft ihr eine kurze Notiz schreiben, z. B. „Gemeinsam auswerten: Wir haben ein Dashboard.“"


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


def noted_line(line: str, taxonomy: str, vocabulary: Vocabulary, numbered: Sequence[str] = ()) -> str | dict[str, str]:
    """'Gemeinsam auswerten: Wir haben ein Dashboard.' -> {term: ..., note: ...}; a line without a note is the term."""
    line = " ".join(line.split())
    term, colon, note = line.partition(":")
    if not colon or vocabulary.owner(taxonomy, line):  # a label may hold a colon itself
        term, note = line, ""
    term = term.strip()
    if term.isdigit() and 1 <= int(term) <= len(numbered):
        term = numbered[int(term) - 1]
    return {"term": term, "note": note.strip()} if note.strip() else term


def canonical_terms(spec: FieldSpec, spellings: Sequence[str | Noted], vocabulary: Vocabulary,
                    decide: Callable[[str, str | None], str | None]) -> list[str | dict[str, str]] | None:
    """Known spellings become the vocabulary's label; ``decide`` settles unknown ones (None: ask again).
    A term with a note comes back as front matter writes it: {term: ..., note: ...}."""
    assert spec.taxonomy is not None
    result: dict[str, str | dict[str, str]] = {}
    for item in spellings:
        spelling = item.spelling if isinstance(item, Noted) else item
        term = vocabulary.resolve(spec.taxonomy.vocabulary_key, spelling)
        chosen = term.label if term.known else decide(spelling, vocabulary.suggest(spec.taxonomy.vocabulary_key, spelling))
        if chosen is None:
            return None
        result.setdefault(chosen, {"term": chosen, "note": item.note} if isinstance(item, Noted) else chosen)
    return list(result.values())


def parse_answer(spec: FieldSpec, text: str, vocabulary: Vocabulary, numbered: Sequence[str] = ()) -> Any:
    """A typed answer into the value the front matter gets (before the contract checks it)."""
    text = text.strip()
    if spec.noted and spec.taxonomy:
        return [noted_line(line, spec.taxonomy.vocabulary_key, vocabulary, numbered) for line in text.splitlines() if line.strip()]
    if spec.kind == "terms" and spec.taxonomy:
        return split_terms(text, spec.taxonomy.vocabulary_key, vocabulary, numbered)
    if spec.kind == "term" and spec.taxonomy:
        terms = split_terms(text, spec.taxonomy.vocabulary_key, vocabulary, numbered)
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
