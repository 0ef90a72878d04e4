"""JSON Schemas of the front matter, generated from the field contract, for editors and other tools.

A value the schema rejects is an error in `casebook check`, and the other way
round, for everything one file can decide on its own. What only the whole
knowledge base can decide stays with the checker: whether an organisation
referenced by a case exists, duplicate names. Unknown vocabulary terms are
warnings in the checker, so the schema offers the vocabulary's labels for
completion (an ``enum`` inside ``anyOf``) but accepts other spellings too.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from ..core.fields import EMAIL, HTML_TAG, NOTE_LENGTH, TEMPLATE_SYNTAX, FieldSpec, field_label
from ..core.kinds import ContentKind
from ..core.model import Taxonomy
from ..core.vocabulary import Vocabulary

_NO_MARKUP = {"not": {"anyOf": [{"pattern": HTML_TAG.pattern}, {"pattern": TEMPLATE_SYNTAX.pattern}]}}
_HTTPS_URL = r"^\s*[hH][tT][tT][pP][sS]://([^\s/?#@\x22'<>`]*@)?[^\s/?#:@\x22'<>`]+(:[0-9]*)?([/?#][^\s\x22'<>`]*)?\s*$"
_EMAIL = r"^\s*(mailto:)?" + EMAIL.pattern.removeprefix("^").removesuffix("$") + r"\s*$"
_NON_BLANK = r"\S"
# slugify keeps ASCII letters and digits, transliterates umlauts and strips accents from Latin letters.
_HAS_LETTER_OR_DIGIT = "[A-Za-z0-9\u00c0-\u024f]"


def entry_schema(kind: ContentKind, taxonomies: Sequence[Taxonomy], vocabulary: Vocabulary, site_url: str = "") -> dict[str, Any]:
    specs = kind.fields(taxonomies)
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": schema_url(site_url, kind.name),
        "title": kind.singular,
        "description": f"Kopfbereich (Front Matter) einer Datei der Wissensbasis: {kind.singular}.",
        "type": "object",
        # An unknown field is an error in the checker too: what it holds would not be published.
        "additionalProperties": False,
        "required": [spec.name for spec in specs if spec.required],
        "properties": {spec.name: _property(spec, vocabulary) for spec in specs},
    }


def schema_url(site_url: str, kind: str) -> str:
    """Where the site publishes the schema; relative when mkdocs.yml has no site_url."""
    base = site_url.rstrip("/") + "/" if site_url else ""
    return f"{base}schemas/{kind}.schema.json"


def schema_json(kind: ContentKind, taxonomies: Sequence[Taxonomy], vocabulary: Vocabulary, site_url: str = "") -> str:
    return json.dumps(entry_schema(kind, taxonomies, vocabulary, site_url), ensure_ascii=False, indent=2) + "\n"


def _property(spec: FieldSpec, vocabulary: Vocabulary) -> dict[str, Any]:
    schema = {"title": field_label(spec), "description": spec.help, "examples": [spec.plain_example], **_value(spec, vocabulary)}
    if spec.taxonomy is not None:
        labels = vocabulary.labels(spec.taxonomy.vocabulary_key)
        schema["examples"] = [labels[:3] if spec.taxonomy.multiple else labels[0]] if labels else []
    if spec.required:
        return schema
    # An empty optional field ('website:') is allowed and simply left out.
    return {"title": schema.pop("title"), "description": schema.pop("description"), "examples": schema.pop("examples"),
            "anyOf": [schema, {"type": "null"}]}


def _value(spec: FieldSpec, vocabulary: Vocabulary) -> dict[str, Any]:
    if spec.kind == "text":
        return {"anyOf": [_text(spec), {"type": ["number", "boolean"]}]}
    if spec.kind == "texts":
        return {"type": "array", "items": _text(spec), **({"minItems": 1} if spec.required else {})}
    if spec.kind in ("terms", "slugs"):
        item = _term(spec, vocabulary)
        return {"type": "array", "items": item, **({"minItems": 1} if spec.required else {})}
    if spec.kind == "term":
        return _term(spec, vocabulary)
    if spec.kind == "url":
        return {"type": "string", "pattern": _HTTPS_URL}
    if spec.kind == "contact":
        return {"type": "string", "anyOf": [{"pattern": _EMAIL}, {"pattern": _HTTPS_URL}]}
    if spec.kind == "choice":
        return {"enum": list(spec.choices)}
    if spec.kind == "year":
        return {"type": "integer", "minimum": 1900, "maximum": 2100}
    if spec.kind == "date":
        return {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$", "format": "date"}
    if spec.kind == "datetime":  # a day, or a day with a time (local unless an offset follows)
        return {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:\d{2})?)?$"}
    return {"type": "boolean"}


def _text(spec: FieldSpec) -> dict[str, Any]:
    """A contributed text (a summary, or one sentence of a list): not blank, no markup, at most its length."""
    text: dict[str, Any] = {"type": "string", "pattern": _NON_BLANK, **_NO_MARKUP}
    if spec.max_length:
        text["maxLength"] = spec.max_length
    return text


def _term(spec: FieldSpec, vocabulary: Vocabulary) -> dict[str, Any]:
    free = {"type": "string", "maxLength": 120, "pattern": _HAS_LETTER_OR_DIGIT, **_NO_MARKUP}
    alternatives: list[dict[str, Any]] = [free, {"type": "number"}]
    if spec.taxonomy is not None and vocabulary.labels(spec.taxonomy.vocabulary_key):
        known = {"enum": vocabulary.labels(spec.taxonomy.vocabulary_key), "description": f"Begriff aus dem Vokabular ({spec.taxonomy.title})"}
        free["description"] = "Anderer Begriff: erlaubt, aber die Prüfung warnt und schlägt ähnliche Begriffe vor."
        alternatives.insert(0, known)
    if spec.noted:  # {term: ..., note: ...}
        note = {"anyOf": [_text(FieldSpec("note", "text", False, "", None, NOTE_LENGTH)), {"type": "null"}], "description": "Kurze Notiz"}
        alternatives.append({"type": "object", "required": ["term"], "additionalProperties": False,
                             "properties": {"term": {"anyOf": list(alternatives)}, "note": note}})
    return {"anyOf": alternatives}
