"""The front-matter contract: the types of field a content kind can declare and what values each takes.

Which fields each kind has is declared in ``kinds.yml`` (see ``kinds.py``);
one declaration serves the checker, the JSON Schemas, the scaffolder, the
issue forms and the field reference, so they can never disagree.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from .model import Taxonomy

ValueKind = Literal["text", "texts", "terms", "term", "slugs", "url", "contact", "choice", "year", "date", "datetime", "flag"]
# Kinds whose value is a list: written as YAML lists, asked one entry per line, repeated as command-line flags.
LIST_KINDS: frozenset[str] = frozenset({"texts", "terms", "slugs"})

# Written without escapes inside the classes, so the JSON Schemas can use them as ECMA-262 patterns too.
EMAIL = re.compile(r"^[^@\s<>\x22']+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
_NOT_IN_URLS = frozenset("\"'<>`")  # would end an attribute or a tag wherever a URL is written out
HTML_TAG = re.compile(r"<\s*/?\s*[A-Za-z!][^>]*>")
TEMPLATE_SYNTAX = re.compile(r"\{\{|\{%|\{#")
# A time without an offset is meant where the community meets.
LOCAL_TIME = ZoneInfo("Europe/Berlin")


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: ValueKind
    required: bool
    help: str  # German, for contributors
    example: Any
    max_length: int | None = None
    label: str = ""  # short German name for forms and tables
    choices: tuple[str, ...] = ()  # the allowed values of a choice
    refers_to: str | None = None  # slugs: the content kind whose entries they name
    asked: bool = True  # False: maintainers set it, issue forms do not ask for it
    taxonomy: Taxonomy | None = None
    not_before: str | None = None  # a datetime that must not be earlier than this other field (an end and its start)
    replaced_by: str | None = None  # an old field still read, with a hint to move its content into this one

    @property
    def noted(self) -> bool:
        """Its terms may each carry a note ({term: ..., note: ...})."""
        return self.taxonomy is not None and self.taxonomy.notes

    @property
    def plain_example(self) -> Any:
        """The example as JSON and YAML write it (declarations hold lists as tuples)."""
        return list(self.example) if isinstance(self.example, tuple) else self.example


@dataclass(frozen=True)
class Noted:
    """A term written with a note: {term: "Gemeinsam auswerten", note: "Wir haben ein Dashboard für Beratungszahlen."}."""

    spelling: str
    note: str


NOTE_LENGTH = 300


class Invalid(Exception):
    """A value that breaks the contract, with what to do about it (German)."""

    def __init__(self, message: str, hint: str, index: int | None = None) -> None:
        super().__init__(message)
        self.message, self.hint = message, hint
        self.index = index  # the list item it is about, so that messages point at its line


def field_label(spec: FieldSpec) -> str:
    return spec.label or spec.name


def clean_value(spec: FieldSpec, value: Any) -> Any:
    """The value in its canonical form, or Invalid with a German explanation."""
    if spec.kind == "text":
        return _text(spec, value)
    if spec.kind in LIST_KINDS:
        if isinstance(value, str):
            raise Invalid("Hier wird eine Liste erwartet, nicht ein einzelner Text.",
                          f'Schreibt eckige Klammern darum: {spec.name}: ["{value}"].')
        if not isinstance(value, list):
            raise Invalid("Hier wird eine Liste erwartet.", f'Schreibt z. B. {spec.name}: ["Erstes", "Zweites"].')
        if spec.required and not value:
            raise Invalid("Die Liste ist leer, braucht aber mindestens einen Eintrag.", f"Tragt mindestens einen Wert bei '{spec.name}' ein.")
        return [_item(spec, index, item) for index, item in enumerate(value)]
    if spec.kind == "term":
        if isinstance(value, list):
            raise Invalid("Hier ist nur ein einzelner Wert erlaubt, keine Liste.",
                          f"Wählt einen Wert, z. B. {spec.name}: {value[0] if value else 'bundesweit'}.")
        return _term_text(spec, value)
    if spec.kind == "url":
        return _https_url(value, spec.name)
    if spec.kind == "contact":
        if isinstance(value, str) and EMAIL.match(value.strip().removeprefix("mailto:")):
            return value.strip().removeprefix("mailto:")
        return _https_url(value, spec.name, "oder eine E-Mail-Adresse wie kontakt@example.org")
    if spec.kind == "choice":
        if value not in spec.choices:
            raise Invalid(f"'{value}' ist hier kein erlaubter Wert.", f"Erlaubt sind: {', '.join(spec.choices)}.")
        return value
    if spec.kind == "year":
        if isinstance(value, bool) or not isinstance(value, int):
            raise Invalid("Das Jahr muss eine Zahl sein.", "Schreibt das Jahr ohne Anführungszeichen, z. B. year: 2025.")
        if not 1900 <= value <= 2100:
            raise Invalid(f"{value} ist kein plausibles Jahr.", "Schreibt das Jahr vierstellig, z. B. year: 2025.")
        return value
    if spec.kind == "date":
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        try:
            return datetime.date.fromisoformat(str(value))
        except ValueError:
            raise Invalid("Das Datum ist ungültig.", "Schreibt das Datum als JJJJ-MM-TT, z. B. date: 2025-01-31.") from None
    if spec.kind == "datetime":
        return _moment(value, spec.name)
    if not isinstance(value, bool):  # flag
        raise Invalid("Hier ist nur true oder false erlaubt.", f"Schreibt {spec.name}: true oder lasst das Feld weg.")
    return value


Moment = datetime.date | datetime.datetime  # a whole day, or a point in time with its offset


def _moment(value: Any, name: str) -> Moment:
    """A day (2026-12-12) or a time (2026-12-12 18:00, local time unless an offset is given)."""
    if isinstance(value, datetime.datetime):
        return value if value.tzinfo else value.replace(tzinfo=LOCAL_TIME)
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    try:
        moment = datetime.datetime.fromisoformat(text) if len(text) > 10 else datetime.date.fromisoformat(text)
    except ValueError:
        raise Invalid("Datum oder Uhrzeit ist ungültig.",
                      f"Schreibt {name}: 2026-12-12 für einen ganzen Tag oder {name}: 2026-12-12 18:00 mit Uhrzeit.") from None
    return _moment(moment, name)


def instant(moment: Moment) -> datetime.datetime:
    """A day as its first moment in local time, so days and times can be compared and sorted together."""
    if isinstance(moment, datetime.datetime):
        return moment
    return datetime.datetime.combine(moment, datetime.time(), LOCAL_TIME)


def ends_before(end: Moment, start: Moment) -> bool:
    """An end day means the whole day, so 'end: 2026-12-12' fits 'start: 2026-12-12 18:00'."""
    if isinstance(end, datetime.datetime) and isinstance(start, datetime.datetime):
        return end < start
    return local_day(end) < local_day(start)


def local_day(moment: Moment) -> datetime.date:
    """The day a moment falls on where the community meets; a day is itself."""
    return moment.astimezone(LOCAL_TIME).date() if isinstance(moment, datetime.datetime) else moment


def is_https_url(value: Any) -> bool:
    if not isinstance(value, str) or any(c.isspace() or c in _NOT_IN_URLS for c in value.strip()):
        return False
    parts = urlsplit(value.strip())
    return parts.scheme == "https" and bool(parts.hostname)


def _https_url(value: Any, name: str, alternative: str = "") -> str:
    if is_https_url(value):
        return str(value).strip()
    scheme = urlsplit(value.strip()).scheme.lower() if isinstance(value, str) else ""
    if isinstance(value, str) and any(c.isspace() or c in _NOT_IN_URLS for c in value.strip()):
        message = "Die Adresse enthält Leerzeichen, Anführungszeichen oder spitze Klammern; so ist sie keine gültige Adresse."
    elif scheme == "http":
        message = "Die Adresse beginnt mit http://, erlaubt ist nur das verschlüsselte https://."
    elif scheme and scheme != "https":
        message = f"Adressen mit '{scheme}:' sind nicht erlaubt, nur https-Adressen."
    else:
        message = "Das ist keine vollständige https-Adresse."
    hint = f"Schreibt z. B. {name}: https://example.org" + (f" {alternative}" if alternative else "") + "."
    raise Invalid(message, hint)


def _text(spec: FieldSpec, value: Any) -> str:
    if isinstance(value, (list, dict)) or value is None:
        raise Invalid("Hier wird ein Text erwartet.", f'Schreibt den Text in Anführungszeichen: {spec.name}: "…".')
    text = " ".join(str(value).split())
    if not text:
        raise Invalid("Der Text ist leer.", f"Füllt '{spec.name}' aus oder lasst das Feld weg, wenn es freiwillig ist.")
    _refuse_markup(text)
    if spec.max_length and len(text) > spec.max_length:
        raise Invalid(f"Der Text ist {len(text)} Zeichen lang, erlaubt sind höchstens {spec.max_length}.",
                      "Kürzt ihn; Ausführliches gehört in den Textteil unter dem Kopfbereich.")
    return text


def _item(spec: FieldSpec, index: int, item: Any) -> str | Noted:
    try:
        return _text(spec, item) if spec.kind == "texts" else _noted(spec, item) if spec.noted else _term_text(spec, item)
    except Invalid as error:
        raise Invalid(error.message, error.hint, index) from None


def _noted(spec: FieldSpec, value: Any) -> str | Noted:
    if not isinstance(value, dict):
        return _term_text(spec, value)
    example = f'{spec.name}: [{{term: "Gemeinsam auswerten", note: "Wir haben ein Dashboard."}}]'
    if set(value) - {"term", "note"} or "term" not in value:
        raise Invalid("Ein Eintrag mit Notiz hat genau die Schlüssel 'term' und 'note'.", f"Schreibt z. B. {example}.")
    spelling = _term_text(spec, value["term"])
    if value.get("note") is None:
        return spelling
    note = _text(FieldSpec("note", "text", False, "", None, NOTE_LENGTH), value["note"])
    return Noted(spelling, note)


def _term_text(spec: FieldSpec, value: Any) -> str:
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise Invalid("Jeder Eintrag muss ein einzelner Text sein.", f'Schreibt z. B. {spec.name}: ["Erstes", "Zweites"].')
    text = " ".join(str(value).split())
    if not text:
        raise Invalid("Ein Eintrag ist leer.", "Löscht den leeren Eintrag.")
    _refuse_markup(text)
    if len(text) > 120:
        raise Invalid(f"Ein Eintrag ist {len(text)} Zeichen lang, erlaubt sind höchstens 120.", "Verwendet einen kurzen Begriff aus dem Vokabular.")
    return text


def _refuse_markup(text: str) -> None:
    # Escaping makes such text harmless anyway; refusing it tells the contributor early.
    if HTML_TAG.search(text):
        raise Invalid("HTML ist im Kopfbereich nicht erlaubt.", "Schreibt reinen Text; Formatierungen gehören in den Textteil.")
    if TEMPLATE_SYNTAX.search(text):
        raise Invalid("Die Zeichenfolgen '{{', '{%' und '{#' sind im Kopfbereich nicht erlaubt.", "Entfernt die geschweiften Klammern.")
