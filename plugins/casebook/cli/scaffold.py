"""Writing a new organisation profile or case study: the file's text and the questions that fill it."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import click
import yaml

from ..core.answers import NOTE_HELP, canonical_terms, parse_answer
from ..core.fields import LIST_KINDS, FieldSpec, Invalid, clean_value, field_label
from ..core.kinds import ContentKind
from ..core.loading import Paths
from ..core.slugs import slugify
from ..core.vocabulary import Vocabulary
from ..site.schema import schema_url


def entry_path(paths: Paths, kind: ContentKind, slug: str) -> Path:
    return paths.folders[kind.name] / f"{slug}.md"


def render_entry(kind: ContentKind, values: Mapping[str, Any], specs: Sequence[FieldSpec], site_url: str) -> str:
    """The file's text: a schema modeline, the fields in contract order, a German body skeleton."""
    ordered = {spec.name: values[spec.name] for spec in specs if values.get(spec.name) not in (None, "", [])}
    front = yaml.safe_dump(ordered, allow_unicode=True, sort_keys=False, width=10_000, default_flow_style=None)
    return f"---\n# yaml-language-server: $schema={schema_url(site_url, kind.name)}\n{front}---\n\n{kind.body}"


class Questionnaire:
    """Asks for every field of the contract in German, checking each answer with the same rules as the build."""

    def __init__(self, specs: Sequence[FieldSpec], vocabulary: Vocabulary, existing: Mapping[str, Sequence[str]], today: datetime.date) -> None:
        """``existing``: per content kind, the slugs a reference field may name."""
        self.specs, self.vocabulary, self.existing, self.today = specs, vocabulary, existing, today

    def value(self, spec: FieldSpec, given: Any, interactive: bool) -> Any:
        """The cleaned value from a flag, else from a question; None leaves an optional field out."""
        if given is not None:
            return self._accept(spec, given, self._decide if interactive else _keep)
        if spec.kind == "date":
            return self._ask(spec, default=self.today.isoformat()) if interactive else self.today
        if not interactive:
            if spec.required:
                raise click.UsageError(f"Pflichtfeld '{spec.name}' fehlt: gebt --{option_name(spec)} an oder lasst --yes weg.")
            return None
        if spec.kind == "flag":
            return True if confirm(f"\n{field_label(spec)}: {spec.help}", default=False) else None
        return self._ask(spec)

    def _ask(self, spec: FieldSpec, default: str = "") -> Any:
        numbered = self.vocabulary.labels(spec.taxonomy.vocabulary_key) if spec.taxonomy else []
        need = "Pflichtfeld" if spec.required else "freiwillig, Enter überspringt"
        click.echo(f"\n{field_label(spec)} ({need}): {spec.help}")
        if numbered and spec.noted:
            click.echo(f"Begriffe aus dem Vokabular (Nummer oder Text, einer pro Zeile; eine leere Zeile beendet die Liste). {NOTE_HELP}")
            click.echo("\n".join(f"  {n:>2}. {label}" for n, label in enumerate(numbered, 1)))
        elif numbered:
            click.echo("Begriffe aus dem Vokabular (Nummer oder Text, mehrere mit Komma trennen):")
            click.echo("\n".join(f"  {n:>2}. {label}" for n, label in enumerate(numbered, 1)))
        elif spec.refers_to and self.existing.get(spec.refers_to):
            click.echo(f"Vorhandene Einträge: {', '.join(self.existing[spec.refers_to])}")
        if spec.kind == "texts" or spec.noted:
            return self._ask_lines(spec, numbered)
        while True:
            text = click.prompt(">", default=default, show_default=bool(default), prompt_suffix=" ")
            if not text.strip():
                if not spec.required:
                    return None
                click.echo("Bitte ausfüllen, das ist ein Pflichtfeld.")
                continue
            try:
                value = self._accept(spec, parse_answer(spec, text, self.vocabulary, numbered), self._decide)
            except click.UsageError as error:
                click.echo(error.message)
                continue
            if value is not None:
                return value

    def _ask_lines(self, spec: FieldSpec, numbered: Sequence[str]) -> list[Any] | None:
        """Sentences, or terms with notes, one per line (they have commas of their own); an empty line ends the list."""
        if not spec.noted:
            click.echo("Ein Eintrag pro Zeile; eine leere Zeile beendet die Liste.")
        lines: list[Any] = []
        while True:
            text = click.prompt(">", default="", show_default=False, prompt_suffix=" ")
            if not text.strip():
                return lines or None
            try:
                accepted = self._accept(spec, parse_answer(spec, text, self.vocabulary, numbered), self._decide if spec.noted else _keep)
            except click.UsageError as error:
                click.echo(error.message)
                continue
            lines += accepted or []

    def _accept(self, spec: FieldSpec, raw: Any, decide: Callable[[str, str | None], str | None]) -> Any:
        """The value checked by the contract, terms in the vocabulary's spelling; None: ask again."""
        try:
            value = clean_value(spec, raw)
        except Invalid as error:
            raise click.UsageError(f"{field_label(spec)}: {error.message} (Hinweis: {error.hint})") from None
        if spec.taxonomy is not None:
            terms = canonical_terms(spec, value if isinstance(value, list) else [value], self.vocabulary, decide)
            return None if terms is None else (terms if spec.taxonomy.multiple else terms[0])
        unknown = [slug for slug in value if slug not in self.existing.get(spec.refers_to, ())] if spec.refers_to else []
        if unknown:
            raise click.UsageError(f"Kein Profil gefunden für: {', '.join(unknown)}. "
                                   "Tragt Dateinamen vorhandener Einträge ohne .md ein oder legt den Eintrag zuerst an.")
        return value

    def _decide(self, spelling: str, suggestion: str | None) -> str | None:
        if suggestion and confirm(f"'{spelling}' steht nicht im Vokabular. Meintet ihr '{suggestion}'?", default=True):
            return suggestion
        if confirm(f"'{spelling}' trotzdem verwenden und als neuen Begriff vorschlagen?", default=False):
            return spelling
        click.echo("Dann bitte noch einmal eingeben.")
        return None


def _keep(spelling: str, suggestion: str | None) -> str:
    return spelling  # flags are not questioned; the checker warns about unknown terms


def confirm(question: str, default: bool) -> bool:
    """A yes/no question answered in German (j/n); click.confirm only knows y/n and English messages."""
    while True:
        answer = click.prompt(f"{question} [{'J/n' if default else 'j/N'}]", default="", show_default=False, prompt_suffix=" ")
        answer = answer.strip().casefold()
        if not answer:
            return default
        if answer in ("j", "ja", "y", "yes"):
            return True
        if answer in ("n", "nein", "no"):
            return False
        click.echo("Bitte mit j (ja) oder n (nein) antworten.")


def option_name(spec: FieldSpec) -> str:
    """The command-line flag of a field: repeated list fields are named in the singular (--target-group)."""
    name = spec.name.replace("_", "-")
    return name.removesuffix("s") if spec.kind in LIST_KINDS else name


def new_entry_slug(kind: ContentKind, values: Mapping[str, Any]) -> str:
    return slugify(str(values[kind.title_field]))
