"""A checker for schema.org JSON-LD against schema.org's own vocabulary (tests/schemas/schemaorg-vocabulary.json):
every type exists, every property is defined for the type it is used on (or a supertype), and every value is of
one of the property's ranges (a nested typed node, text, a URL, a date or time, or an enumeration member)."""

from __future__ import annotations

import datetime
import json
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

VOCABULARY = json.loads((Path(__file__).parent / "schemas" / "schemaorg-vocabulary.json").read_text(encoding="utf-8"))
TYPES: dict[str, list[str]] = VOCABULARY["types"]
MEMBERS: dict[str, list[str]] = VOCABULARY["enumeration_members"]
PROPERTIES: dict[str, dict[str, list[str]]] = VOCABULARY["properties"]
SCHEMA = "https://schema.org/"


@cache
def ancestors(name: str) -> frozenset[str]:
    """The type and all its supertypes."""
    return frozenset({name}.union(*(ancestors(parent) for parent in TYPES.get(name, ()))))


def problems(node: object, expected: tuple[str, ...] = ("Thing",), where: str = "$") -> list[str]:
    """Everything in ``node`` that schema.org does not define; empty when the JSON-LD is valid schema.org."""
    if not isinstance(node, dict):
        return [f"{where}: expected a node of {expected}, got {node!r}"]
    kind = node.get("@type")
    if kind not in TYPES:
        return [f"{where}: unknown type {kind!r}"]
    if not ancestors(kind) & set(expected):
        return [f"{where}: {kind} is none of {expected}"]
    found = []
    for name, value in node.items():
        if name.startswith("@"):
            continue
        spec = PROPERTIES.get(name)
        if spec is None:
            found.append(f"{where}.{name}: not a schema.org property")
            continue
        if not ancestors(kind) & set(spec["domains"]):
            found.append(f"{where}.{name}: not a property of {kind} (domains {spec['domains']})")
        for index, item in enumerate(value if isinstance(value, list) else [value]):
            found += _value_problems(item, tuple(spec["ranges"]), f"{where}.{name}[{index}]")
    return found


def _value_problems(value: object, ranges: tuple[str, ...], where: str) -> list[str]:
    if isinstance(value, dict):
        return problems(value, ranges, where)
    if isinstance(value, bool):
        return [] if "Boolean" in ranges else [f"{where}: a boolean, expected {ranges}"]
    if isinstance(value, int | float):
        return [] if {"Number", "Integer", "Float"} & set(ranges) else [f"{where}: a number, expected {ranges}"]
    if not isinstance(value, str):
        return [f"{where}: {value!r} is not JSON-LD"]
    if value.startswith(SCHEMA) and value.removeprefix(SCHEMA) in MEMBERS:  # e.g. https://schema.org/OnlineEventAttendanceMode
        enumerations = MEMBERS[value.removeprefix(SCHEMA)]
        return [] if set(enumerations) & set(ranges) else [f"{where}: {value} belongs to {enumerations}, expected {ranges}"]
    if "Text" in ranges:
        return []
    if "URL" in ranges and urlsplit(value).scheme in ("http", "https", "mailto"):
        return []
    if "DateTime" in ranges and _parses(datetime.datetime.fromisoformat, value) and "T" in value:
        return []
    if "Date" in ranges and _parses(datetime.date.fromisoformat, value):
        return []
    if {"Thing", "Place", "Organization", "Person"} & set(ranges) and urlsplit(value).scheme == "https":
        return []  # a reference by URL
    return [f"{where}: {value!r} is none of {ranges}"]


def _parses(parse, text: str) -> bool:
    try:
        parse(text)
    except ValueError:
        return False
    return True
