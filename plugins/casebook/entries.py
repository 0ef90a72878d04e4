"""Turning a parsed source into an organisation profile or case study, checking every field."""

from __future__ import annotations

import difflib
import functools
from collections.abc import Sequence

from .fields import FieldSpec, Invalid, Kind, clean_value, entry_fields
from .model import Entry, Problem, Taxonomy, Term
from .sources import Source
from .vocabulary import Vocabulary


def build_entry(source: Source, kind: Kind, taxonomies: Sequence[Taxonomy], vocabulary: Vocabulary) -> tuple[Entry | None, list[Problem]]:
    """The entry with all its problems; None when an error leaves no usable entry.

    Warnings (unknown terms, unknown fields) keep the entry: nothing a
    contributor wrote is dropped because of a spelling.
    """
    problems = list(source.problems)
    if source.document is None or not source.meta:
        return None, problems
    specs = _specs(kind, tuple(taxonomies))
    values: dict[str, object] = {}
    for name, raw in source.meta.items():
        spec = specs.get(str(name))
        if spec is None:
            close = difflib.get_close_matches(str(name), list(specs), n=1)
            problems.append(Problem(source.path, "Dieses Feld kennt die Wissensbasis nicht.", source.line(name), str(name),
                                    f"Meintest du '{close[0]}'?" if close else f"Erlaubte Felder: {', '.join(specs)}.", "warning"))
            continue
        if raw is None:
            continue  # an empty optional field; required ones are reported below
        try:
            values[spec.name] = clean_value(spec, raw)
        except Invalid as error:
            problems.append(Problem(source.path, error.message, source.line(spec.name), spec.name, error.hint))
    for spec in specs.values():
        if spec.required and spec.name not in values and not any(p.field == spec.name for p in problems):
            problems.append(Problem(source.path, "Pflichtfeld fehlt.", 1, spec.name,
                                    f"Ergänze eine Zeile '{spec.name}: …' ({spec.help})"))
    terms = {t.key: _resolve_terms(source, t, values.get(t.key), vocabulary, problems) for t in taxonomies}
    _report_repeated(source, "organisations", values.get("organisations", ()), problems)  # type: ignore[arg-type]
    if any(p.severity == "error" for p in problems):
        return None, problems
    return Entry(
        kind=kind,
        slug=source.slug,
        path=source.path,
        title=values.get("name") or values["title"],  # type: ignore[arg-type]
        summary=values["summary"],  # type: ignore[arg-type]
        terms=terms,
        body=source.body,
        body_line=source.body_line,
        date=values.get("date"),  # type: ignore[arg-type]
        fictitious=bool(values.get("fictitious", False)),
        website=values.get("website"),  # type: ignore[arg-type]
        contact=values.get("contact"),  # type: ignore[arg-type]
        seeking=values.get("seeking"),  # type: ignore[arg-type]
        organisations=tuple(dict.fromkeys(values.get("organisations", ()))),  # type: ignore[arg-type]
        status=values.get("status"),  # type: ignore[arg-type]
        year=values.get("year"),  # type: ignore[arg-type]
    ), problems


@functools.lru_cache(maxsize=8)
def _specs(kind: Kind, taxonomies: tuple[Taxonomy, ...]) -> dict[str, FieldSpec]:  # read only: shared by every file of a build
    return {spec.name: spec for spec in entry_fields(kind, taxonomies)}


def _report_repeated(source: Source, name: str, items: Sequence[str], problems: list[Problem]) -> None:
    """A repeated reference counts once; the contributor hears of it instead of it vanishing silently."""
    seen: set[str] = set()
    for index, item in enumerate(items):
        if item in seen:
            problems.append(Problem(source.path, f"'{item}' steht doppelt in der Liste.", source.line(name, index), name,
                                    "Lösche den doppelten Eintrag.", "warning"))
        seen.add(item)


def _resolve_terms(source: Source, taxonomy: Taxonomy, value: object, vocabulary: Vocabulary, problems: list[Problem]) -> tuple[Term, ...]:
    if value is None:
        return ()
    spellings = value if isinstance(value, list) else [value]
    terms: dict[str, Term] = {}
    for index, spelling in enumerate(spellings):
        term = vocabulary.resolve(taxonomy.key, spelling)
        line = source.line(taxonomy.key, index) if taxonomy.multiple else source.line(taxonomy.key)
        if not term.slug:
            problems.append(Problem(source.path, f"'{spelling}' enthält weder Buchstaben noch Ziffern.", line, taxonomy.key,
                                    "Verwende einen Begriff aus dem Vokabular."))
            continue
        if not term.known:
            suggestion = vocabulary.suggest(taxonomy.key, spelling)
            problems.append(Problem(
                source.path, f"'{spelling}' steht nicht im Vokabular ({taxonomy.title}).", line, taxonomy.key,
                f"Meintest du '{suggestion}'? Sonst schlage den Begriff für {vocabulary.path} vor." if suggestion
                else f"Verwende einen Begriff aus dem Vokabular oder schlage ihn für {vocabulary.path} vor.",
                "warning"))
        if term.slug in terms:
            problems.append(Problem(source.path, f"'{spelling}' steht doppelt in der Liste (gleicher Begriff wie '{terms[term.slug].label}').",
                                    line, taxonomy.key, "Lösche den doppelten Eintrag.", "warning"))
            continue
        terms[term.slug] = term
    return tuple(terms.values())

