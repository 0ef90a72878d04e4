"""The front-matter contract: which fields each kind of entry has and what values they take.

One declaration serves the checker, the JSON Schemas, the scaffolder and the
field reference in CONTRIBUTING.md, so they can never disagree.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlsplit

from .model import CASE_STATUSES, Taxonomy

Kind = Literal["organisation", "case"]
ValueKind = Literal["text", "terms", "term", "slugs", "url", "contact", "status", "year", "date", "flag"]

# Written without escapes inside the classes, so the JSON Schemas can use them as ECMA-262 patterns too.
EMAIL = re.compile(r"^[^@\s<>\x22']+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
_NOT_IN_URLS = frozenset("\"'<>`")  # would end an attribute or a tag wherever a URL is written out
HTML_TAG = re.compile(r"<\s*/?\s*[A-Za-z!][^>]*>")
TEMPLATE_SYNTAX = re.compile(r"\{\{|\{%|\{#")


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: ValueKind
    required: bool
    help: str  # German, for contributors
    example: Any
    max_length: int | None = None
    taxonomy: Taxonomy | None = None


class Invalid(Exception):
    """A value that breaks the contract, with what to do about it (German)."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message, self.hint = message, hint


def entry_fields(kind: Kind, taxonomies: Sequence[Taxonomy]) -> list[FieldSpec]:
    if kind == "organisation":
        head = [
            FieldSpec("name", "text", True, "Name der Organisation.", "Beispielverein Musterstadt e. V.", 120),
            FieldSpec("summary", "text", True, "Ein bis zwei Sätze: Was tut die Organisation?", "Wir beraten ältere Menschen zu digitalen Fragen.", 400),
        ]
        tail = [
            FieldSpec("website", "url", False, "Webseite der Organisation (https).", "https://example.org"),
            FieldSpec("contact", "contact", False, "Öffentlicher Kontakt der Organisation: E-Mail-Adresse oder https-Adresse, nie die Daten einer Person.", "kontakt@example.org"),
            FieldSpec("seeking", "text", False, "Was ihr gern gemeinsam mit anderen machen würdet.", "Wir suchen Partner für eine gemeinsame Beratungsstatistik.", 1000),
        ]
    else:
        head = [
            FieldSpec("title", "text", True, "Titel der Fallstudie.", "Gemeinsame Beratungsstatistik", 150),
            FieldSpec("summary", "text", True, "Ein bis zwei Sätze: Worum geht es?", "Drei Vereine legen ihre Beratungszahlen zusammen.", 400),
            FieldSpec("organisations", "slugs", True, "Beteiligte Organisationen: Dateinamen ihrer Profile ohne .md.", ["beispielverein-musterstadt"]),
        ]
        tail = [
            FieldSpec("status", "status", False, f"Stand des Vorhabens: {', '.join(CASE_STATUSES)}.", "laufend"),
            FieldSpec("year", "year", False, "Jahr, in dem das Vorhaben begann (Zahl).", 2025),
        ]
    for_taxonomies = [
        FieldSpec(
            t.key,
            "terms" if t.multiple else "term",
            kind in t.required_for,
            f"{t.title} aus dem Vokabular" + (" (Liste)." if t.multiple else " (ein Wert)."),
            ["…"] if t.multiple else "…",
            taxonomy=t,
        )
        for t in taxonomies
    ]
    common = [
        FieldSpec("date", "date", False, "Datum der Aufnahme in die Wissensbasis (JJJJ-MM-TT).", "2025-01-31"),
        FieldSpec("fictitious", "flag", False, "true, wenn es sich um ein erfundenes Beispiel handelt.", False),
    ]
    return [*head, *for_taxonomies, *tail, *common]


# Short German names for forms and tables; taxonomy fields use the taxonomy's title.
FIELD_LABELS = {
    "name": "Name der Organisation", "title": "Titel der Fallstudie", "summary": "Kurzbeschreibung",
    "organisations": "Beteiligte Organisationen", "website": "Webseite", "contact": "Öffentlicher Kontakt",
    "seeking": "Was ihr sucht", "status": "Stand", "year": "Startjahr", "date": "Datum der Aufnahme",
    "fictitious": "Erfundenes Beispiel",
}


def field_label(spec: FieldSpec) -> str:
    if spec.taxonomy:
        return spec.taxonomy.title if spec.taxonomy.multiple else spec.taxonomy.singular
    return FIELD_LABELS.get(spec.name, spec.name)


def clean_value(spec: FieldSpec, value: Any) -> Any:
    """The value in its canonical form, or Invalid with a German explanation."""
    if spec.kind == "text":
        return _text(spec, value)
    if spec.kind in ("terms", "slugs"):
        if isinstance(value, str):
            raise Invalid("Hier wird eine Liste erwartet, nicht ein einzelner Text.",
                          f'Schreibt eckige Klammern darum: {spec.name}: ["{value}"].')
        if not isinstance(value, list):
            raise Invalid("Hier wird eine Liste erwartet.", f'Schreibt z. B. {spec.name}: ["Erstes", "Zweites"].')
        if spec.required and not value:
            raise Invalid("Die Liste ist leer, braucht aber mindestens einen Eintrag.", f"Tragt mindestens einen Wert bei '{spec.name}' ein.")
        return [_term_text(spec, item) for item in value]
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
    if spec.kind == "status":
        if value not in CASE_STATUSES:
            raise Invalid(f"'{value}' ist kein erlaubter Stand.", f"Erlaubt sind: {', '.join(CASE_STATUSES)}.")
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
    if not isinstance(value, bool):  # flag
        raise Invalid("Hier ist nur true oder false erlaubt.", f"Schreibt {spec.name}: true oder lasst das Feld weg.")
    return value


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
