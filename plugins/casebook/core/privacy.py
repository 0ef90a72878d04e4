"""The privacy guard: e-mail addresses and phone numbers that may belong to a person.

The knowledge base is public, so personal contact data must not end up in it.
Role addresses such as kontakt@… are fine anywhere; a site can widen that with
``privacy_allowlist``. The ``contact`` field is meant for such an address, so a
person's address there is an error; elsewhere (the body, other fields) findings
are warnings, since a number in a text may be something else.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any

from .model import Problem
from .sources import Source

# Role addresses of an organisation, not of a person. Matched against the found text with re.search.
DEFAULT_ALLOWLIST: tuple[str, ...] = (
    r"^(kontakt|info|post|hallo|hello|office|team|mail|service|beratung|presse|verein|buero|anfrage|support|datenschutz|noreply|no-reply)@",
)
CONTACT_FIELD = "contact"  # the one place meant for the organisation's address

EMAIL = re.compile(r"(?<![\w.%+-])[\w.%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")
# International (+49 30 1234567, 0049 …) or German national numbers (030 1234567, 0170-1234567, 030/123456).
PHONE = re.compile(r"(?<![\w+])(?:(?:\+|00)[1-9]\d{0,2}[ /.-]?(?:\(0\) ?)?\d{1,5}|\(?0[1-9]\d{1,4}\)?)(?:[ /-]?\d{2,}){1,4}(?![\w])")
_MIN_PHONE_DIGITS, _MAX_PHONE_DIGITS = 7, 15
# Every match of EMAIL has an '@' and every match of PHONE starts with one of '+(0'. These C-speed
# tests skip the full patterns, whose lookbehinds are tried at each position, on most texts.
_PHONE_START = re.compile(r"[+(0]")

HINT = "Persönliche Kontaktdaten gehören nicht in die Wissensbasis; nennt eine allgemeine Adresse wie kontakt@… im Feld 'contact'."


def personal_data(source: Source, allowlist: Sequence[str] = DEFAULT_ALLOWLIST) -> list[Problem]:
    """Problems for personal contact data in the body and in every field (errors in ``contact``)."""
    allowed = [re.compile(pattern, re.IGNORECASE) for pattern in allowlist]
    problems = [_problem(source.path, what, match.group(), line, field)
                for field, line, text in _field_texts(source, source.meta, ())
                for what, match in _findings(text, allowed)]
    body = source.body  # searched whole; lines are counted only for findings
    problems.extend(_problem(source.path, what, match.group(), source.body_line + body.count("\n", 0, match.start()), None)
                    for what, match in _findings(body, allowed))
    return problems


def find_contact_data(text: str) -> Iterator[tuple[str, str]]:
    """("E-Mail-Adresse" | "Telefonnummer", found text) for everything that looks like contact data."""
    return ((what, match.group()) for what, match in _findings(text, []))


def _findings(text: str, allowed: list[re.Pattern[str]]) -> Iterator[tuple[str, re.Match[str]]]:
    for what, pattern, possible in (("E-Mail-Adresse", EMAIL, "@" in text), ("Telefonnummer", PHONE, _PHONE_START.search(text))):
        if not possible:
            continue
        for match in pattern.finditer(text):
            found = match.group()
            if what == "Telefonnummer" and not _MIN_PHONE_DIGITS <= sum(c.isdigit() for c in found) <= _MAX_PHONE_DIGITS:
                continue
            if not any(role.search(found) for role in allowed):
                yield what, match


def _problem(path: str, what: str, found: str, line: int | None, field: str | None) -> Problem:
    return Problem(path, f"Hier steht vermutlich eine persönliche {what} ('{found}').", line, field, HINT,
                   "error" if field == CONTACT_FIELD else "warning")


def _field_texts(source: Source, value: Any, path: tuple[Any, ...]) -> Iterator[tuple[str, int | None, str]]:
    """(field name, line, text) of every string in the front matter outside the exempt fields."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _field_texts(source, item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _field_texts(source, item, (*path, index))
    elif isinstance(value, str) and path:
        yield str(path[0]), source.line(*path), value
