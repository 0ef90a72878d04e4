"""Turning a parsed source into an entry of its content kind, checking every field the kind declares."""

from __future__ import annotations

import difflib
import functools
from collections.abc import Sequence

from .fields import FieldSpec, Invalid, Noted, clean_value, ends_before
from .kinds import ContentKind
from .model import Entry, Feature, Problem, Taxonomy, Term
from .sources import Source
from .vocabulary import Vocabulary


def build_entry(source: Source, kind: ContentKind, taxonomies: Sequence[Taxonomy], vocabulary: Vocabulary) -> tuple[Entry | None, list[Problem]]:
    """The entry with all its problems; None when an error leaves no usable entry.

    Unknown terms are warnings that keep the entry. An unknown field is an
    error: what it holds would be silently lost (a typo such as 'sofware').
    """
    problems = list(source.problems)
    if source.document is None or not source.meta:
        return None, problems
    specs = _specs(kind, tuple(taxonomies))
    values: dict[str, object] = {}
    meant: set[str] = set()  # known fields an unknown one was probably meant as
    for name, raw in source.meta.items():
        spec = specs.get(str(name))
        if spec is None:
            close = difflib.get_close_matches(str(name), list(specs), n=1)
            meant.update(close)
            problems.append(Problem(source.path, "Dieses Feld kennt die Wissensbasis nicht; was darin steht, würde nicht veröffentlicht.",
                                    source.line(name), str(name),
                                    f"Meintet ihr '{close[0]}'? Dann benennt das Feld um." if close else f"Erlaubte Felder: {', '.join(specs)}."))
            continue
        if raw is None:
            if spec.required:
                problems.append(Problem(source.path, "Das Pflichtfeld ist leer.", source.line(name), spec.name,
                                        f"Tragt hinter '{spec.name}:' etwas ein ({spec.help})"))
            continue  # an empty optional field
        try:
            values[spec.name] = clean_value(spec, raw)
        except Invalid as error:
            line = source.line(spec.name) if error.index is None else source.line(spec.name, error.index) or source.line(spec.name)
            problems.append(Problem(source.path, error.message, line, spec.name, error.hint))
    for spec in specs.values():
        if spec.required and spec.name not in values and spec.name not in meant and not any(p.field == spec.name for p in problems):
            problems.append(Problem(source.path, "Pflichtfeld fehlt.", 1, spec.name,
                                    f"Ergänzt eine Zeile '{spec.name}: …' ({spec.help})"))
    for spec in specs.values():
        _check_order(source, spec, values, problems)
        if spec.replaced_by and spec.name in values:
            problems.append(Problem(source.path, f"Das Feld '{spec.name}' ist veraltet; es wird noch gezeigt, aber nirgends ausgewertet.",
                                    source.line(spec.name), spec.name, _replacement_hint(spec.replaced_by, taxonomies, vocabulary), "warning"))
    notes: dict[Feature, str] = {}
    terms = {t.key: _resolve_terms(source, t, values.get(t.key), vocabulary, problems, notes) for t in taxonomies}  # () for one the kind does not carry
    for reference in kind.references:
        _report_repeated(source, reference.name, values.get(reference.name, ()), problems)  # type: ignore[arg-type]
    if any(p.severity == "error" for p in problems):
        return None, problems
    return Entry(
        kind=kind.name,
        slug=source.slug,
        path=source.path,
        title=values[kind.title_field],  # type: ignore[arg-type]
        summary=values.get("summary") or "",  # type: ignore[arg-type]
        terms=terms,
        body=source.body,
        body_line=source.body_line,
        date=values.get("date"),  # type: ignore[arg-type]
        fictitious=bool(values.get("fictitious", False)),
        values={spec.name: _final(spec, values.get(spec.name)) for spec in specs.values() if spec.taxonomy is None},
        notes=notes,
    ), problems


def _check_order(source: Source, spec: FieldSpec, values: dict[str, object], problems: list[Problem]) -> None:
    """An end before its start (``not_before`` in the declaration)."""
    if spec.not_before is None or spec.name not in values or spec.not_before not in values:
        return
    end, start = values[spec.name], values[spec.not_before]
    if ends_before(end, start):  # type: ignore[arg-type]
        problems.append(Problem(source.path, f"Das Ende ({end}) liegt vor dem Beginn ({start}).", source.line(spec.name), spec.name,
                                f"Prüft '{spec.not_before}' und '{spec.name}'; ein Termin an einem Tag braucht kein '{spec.name}'."))


def _final(spec: FieldSpec, value: object) -> object:
    # Tuples keep the entry immutable; a reference names each entry once (repeats were reported above).
    if isinstance(value, list):
        return tuple(dict.fromkeys(value)) if spec.kind == "slugs" else tuple(value)
    return value


@functools.lru_cache(maxsize=8)
def _specs(kind: ContentKind, taxonomies: tuple[Taxonomy, ...]) -> dict[str, FieldSpec]:  # read only: shared by every file of a build
    return {spec.name: spec for spec in kind.fields(taxonomies)}


def _report_repeated(source: Source, name: str, items: Sequence[str], problems: list[Problem]) -> None:
    """A repeated reference counts once; the contributor hears of it instead of it vanishing silently."""
    seen: set[str] = set()
    for index, item in enumerate(items):
        if item in seen:
            problems.append(Problem(source.path, f"'{item}' steht doppelt in der Liste.", source.line(name, index), name,
                                    "Löscht den doppelten Eintrag.", "warning"))
        seen.add(item)


def _replacement_hint(replacement: str, taxonomies: Sequence[Taxonomy], vocabulary: Vocabulary) -> str:
    """How to move an outdated field's content, with an example in the replacement's own shape and vocabulary."""
    taxonomy = next((t for t in taxonomies if t.key == replacement), None)
    if taxonomy is None:
        return f"Schreibt es als '{replacement}' und löscht die Zeile."
    label = next((term.label for term in vocabulary.terms.get(taxonomy.vocabulary_key, {}).values()), "…")
    item = f'{{term: "{label}", note: "…"}}' if taxonomy.notes else f'"{label}"'
    return f"Schreibt es als '{replacement}'{' mit Notiz' if taxonomy.notes else ''}, z. B. {replacement}: [{item}], und löscht die Zeile."


def _resolve_terms(source: Source, taxonomy: Taxonomy, value: object, vocabulary: Vocabulary, problems: list[Problem],
                   notes: dict[Feature, str]) -> tuple[Term, ...]:
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    terms: dict[str, Term] = {}
    for index, item in enumerate(items):
        spelling = item.spelling if isinstance(item, Noted) else item
        term = vocabulary.resolve(taxonomy.vocabulary_key, spelling)
        line = source.line(taxonomy.key, index) if taxonomy.multiple else source.line(taxonomy.key)
        if not term.slug:
            problems.append(Problem(source.path, f"'{spelling}' enthält weder Buchstaben noch Ziffern.", line, taxonomy.key,
                                    "Verwendet einen Begriff aus dem Vokabular."))
            continue
        if not term.known and vocabulary.usable:  # an unusable vocabulary is reported once, not once per term
            suggestion = vocabulary.suggest(taxonomy.vocabulary_key, spelling)
            problems.append(Problem(
                source.path, f"'{spelling}' steht nicht im Vokabular ({taxonomy.title}).", line, taxonomy.key,
                f"Meintet ihr '{suggestion}'? Sonst schlagt den Begriff für {vocabulary.path} vor." if suggestion
                else f"Verwendet einen Begriff aus dem Vokabular oder schlagt ihn für {vocabulary.path} vor.",
                "warning"))
        if term.slug in terms:
            problems.append(Problem(source.path, f"'{spelling}' steht doppelt in der Liste (gleicher Begriff wie '{terms[term.slug].label}').",
                                    line, taxonomy.key, "Löscht den doppelten Eintrag.", "warning"))
            continue
        terms[term.slug] = term
        if isinstance(item, Noted):
            notes[(taxonomy.key, term.slug)] = item.note
    return tuple(terms.values())

