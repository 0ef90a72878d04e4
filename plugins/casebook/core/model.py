"""The plain data the rest of casebook works on."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

Severity = Literal["error", "warning"]
Feature = tuple[str, str]  # (taxonomy key, term slug): what entries share


@dataclass(frozen=True)
class Taxonomy:
    """One way of grouping entries, declared in mkdocs.yml (e.g. target groups)."""

    key: str  # front-matter key, e.g. "target_groups"
    title: str  # German plural, e.g. "Zielgruppen"
    singular: str  # German singular used in explanations, e.g. "Zielgruppe"
    url: str  # URL segment of the overview and term pages, e.g. "zielgruppen"
    weight: float = 1.0  # weight in the similarity score; 0 ignores the taxonomy
    multiple: bool = True  # a list of terms, or a single term (region)
    required_for: tuple[str, ...] = ()  # entry kinds that must name at least one term
    only_for: tuple[str, ...] = ()  # the kinds that carry it (a kind's own taxonomy, e.g. the formats of events); empty: all
    vocabulary: str = ""  # the vocabulary list its terms come from, when not its key (offers and needs share one)
    notes: bool = False  # each term may carry a short note: {term: "Gemeinsam auswerten", note: "..."}
    help: str = ""  # German help for contributors, when the generic one does not say enough
    answers: str = ""  # the taxonomy of wants whose terms this one's terms answer (offers answer needs)
    pools: str = ""  # the taxonomy its terms are about, for data-pool suggestions (kinds of data are about target groups)

    def carried_by(self, kind: str) -> bool:
        return not self.only_for or kind in self.only_for

    @property
    def vocabulary_key(self) -> str:
        return self.vocabulary or self.key


DEFAULT_TAXONOMIES: tuple[Taxonomy, ...] = (
    Taxonomy("target_groups", "Zielgruppen", "Zielgruppe", "zielgruppen", 3.0, required_for=("organisation",)),
    Taxonomy("software", "Software", "Software", "software", 2.0),
    Taxonomy("topics", "Themen", "Thema", "themen", 1.5),
    Taxonomy("data", "Daten", "Daten", "daten", 1.5, pools="target_groups"),
    Taxonomy("challenges", "Herausforderungen", "Herausforderung", "herausforderungen", 1.5),
    Taxonomy("region", "Regionen", "Region", "regionen", 1.0, multiple=False),
)


@dataclass(frozen=True)
class Term:
    taxonomy: str
    slug: str
    label: str
    description: str = ""
    website: str | None = None
    aliases: tuple[str, ...] = ()
    known: bool = True  # False: used in front matter but missing from the vocabulary
    neighbours: tuple[str, ...] = ()  # slugs of the terms next to it (the Länder bordering a Land), both ways
    everywhere: bool = False  # next to every term of its list ("bundesweit", "online")
    tile: tuple[int, int] | None = None  # (column, row) on the tile map of its list, if it has one

    def near(self, other: Term) -> bool:
        """The same term, or next to it."""
        return self.slug == other.slug or self.everywhere or other.everywhere or other.slug in self.neighbours


@dataclass(frozen=True)
class Problem:
    """One thing a contributor has to fix, in German, pointing at file, line and field."""

    path: str
    message: str
    line: int | None = None
    field: str | None = None
    hint: str | None = None
    severity: Severity = "error"

    def format(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        text = f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        return f"{text} (Hinweis: {self.hint})" if self.hint else text

    @property
    def sort_key(self) -> tuple[str, int, str, str]:
        return (self.path, self.line or 0, self.field or "", self.message)


@dataclass(frozen=True)
class Entry:
    """One published file of any content kind (organisation profile, case study, ...)."""

    kind: str  # the name of its ContentKind, e.g. "case"
    slug: str
    path: str  # source path as contributors see it, e.g. "cases/foo.md"
    title: str  # the value of the kind's title field (an organisation's name, a case's title)
    summary: str
    terms: dict[str, tuple[Term, ...]]  # taxonomy key -> resolved terms
    body: str
    body_line: int = 1  # file line on which the body starts, for messages about it
    date: datetime.date | None = None
    fictitious: bool = False
    values: Mapping[str, Any] = field(default_factory=dict)  # every other declared field -> cleaned value, None if not given
    notes: Mapping[Feature, str] = field(default_factory=dict)  # the note on a term, where its taxonomy takes notes (offers, needs)

    def __getitem__(self, name: str) -> Any:
        """A declared field's value; templates write ``entry.website``, which Jinja looks up here."""
        return self.values[name]

    def named(self, field_name: str) -> tuple[str, ...]:
        """The slugs a reference field names (e.g. a case's organisations)."""
        return tuple(self.values.get(field_name) or ())

    @property
    def features(self) -> list[Feature]:
        return [(key, term.slug) for key, terms in self.terms.items() for term in terms]


def newest_first(entries: Iterable[Entry]) -> list[Entry]:
    """By date, newest first; undated entries last, each group by title (then slug, so the order is total)."""
    return sorted(entries, key=lambda e: (e.date is None, -(e.date.toordinal() if e.date else 0), e.title.casefold(), e.slug))
