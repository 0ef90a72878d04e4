"""Contributed bodies, made safe for readers: an allowlist sanitiser and the German report of what it removed.

Bodies are written by strangers and reviewed in GitHub's rendered preview,
which hides scripts, so their HTML (after Markdown) goes through nh3 (the
Python binding of the Rust sanitiser ammonia) with one allowlist. ``clean``
applies it; ``removals`` says what ``clean`` takes away, so the checker and
``mkdocs build --strict`` can name it. Both read the same allowlist, and URL
schemes are judged by nh3 itself, so the report cannot disagree with what is
published.

Hand-written site pages under docs/ (guides, home) are the maintainers' and
are not sanitised.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html.parser import HTMLParser

import nh3

from .model import Problem

# What Markdown and the usual extensions produce for ordinary writing: ammonia's default
# tags (headings, lists, tables, code, details/summary, abbr, …) plus nothing that runs.
ALLOWED_TAGS: frozenset[str] = frozenset(nh3.ALLOWED_TAGS)
# Removed with everything inside: their content is code or styling, never text for readers.
DROPPED_WITH_CONTENT = frozenset({"script", "style"})
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    **{tag: set(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items()},
    # Headings' ids for the table of contents and permalinks, classes of admonitions, footnotes, code.
    "*": {"id", "class", "title", "lang", "dir"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading"},
    "details": {"open"},
    "ol": {"start", "reversed"},
    "time": {"datetime"},
    # Python-Markdown aligns table columns with style="text-align: …"; only that property is kept.
    "th": {*nh3.ALLOWED_ATTRIBUTES["th"], "style"},
    "td": {*nh3.ALLOWED_ATTRIBUTES["td"], "style"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})  # and relative paths
URL_ATTRIBUTES = frozenset({"href", "src", "cite"})
STYLE_PROPERTIES = frozenset({"text-align"})
# Ids the theme's own script looks up (__config, __search, …): a body must not shadow them.
_THEME_ID = re.compile(r"__")
_PLAIN_URL = re.compile(r"(?:https?://|mailto:|[#./]|[\w-]+(?:[/?#]|$))[\x21-\x7e]*$")


def _keep_attribute(tag: str, name: str, value: str) -> str | None:
    return None if name == "id" and _THEME_ID.match(value) else value


def clean(fragment: str) -> str:
    """The fragment with everything outside the allowlist removed and all harmless text kept."""
    return nh3.clean(
        fragment,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_keep_attribute,
        url_schemes=set(URL_SCHEMES),
        filter_style_properties=set(STYLE_PROPERTIES),
        link_rel=None,  # ordinary links stay as Markdown wrote them
        strip_comments=True,
    )


@dataclass(frozen=True)
class Removal:
    """One thing ``clean`` takes away: an element, an attribute, or an attribute's URL."""

    what: str  # "element" | "attribute" | "url" | "style"
    tag: str
    name: str = ""  # the attribute
    value: str = ""  # the attribute's value, as the browser would read it

    def message(self) -> str:
        if self.what == "element":
            reason = "Skripte sind in Beiträgen nicht erlaubt" if self.tag == "script" else "dieses Element ist in Beiträgen nicht erlaubt"
            return f"Das Element <{self.tag}> wird entfernt – {reason}."
        if self.what == "url":
            return f"Die Adresse '{_shorten(self.value)}' im Attribut {self.name} wird entfernt – erlaubt sind nur http-, https- und mailto-Adressen oder Pfade auf dieser Seite."
        if self.what == "style":
            return f"Das Attribut style an <{self.tag}> wird gekürzt – in Beiträgen ist nur text-align erlaubt."
        if self.name.startswith("on"):
            return f"Das Attribut {self.name} wird entfernt – Skripte sind in Beiträgen nicht erlaubt."
        if self.name == "id":
            return f"Die id '{self.value}' wird entfernt – Namen mit '__' am Anfang gehören dem Layout der Seite."
        return f"Das Attribut {self.name} an <{self.tag}> wird entfernt – es ist in Beiträgen nicht erlaubt."

    def needles(self) -> list[str]:
        """Texts to look for in the Markdown source to find the line this came from."""
        if self.what == "element":
            return [f"<{self.tag}"]
        if self.what == "url":
            tail = self.value.strip()[-12:]
            return [self.value, tail, f"{self.name}="] if tail else [f"{self.name}="]
        return [f"{self.name}="] if self.what == "attribute" else ["style="]


def _shorten(text: str, limit: int = 60) -> str:
    shown = text.encode("unicode_escape").decode("ascii")
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


class _Inspector(HTMLParser):
    """Walks the HTML like ``clean`` and notes what it would remove."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)  # values as the browser reads them, entities decoded
        self.removals: list[Removal] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.removals.append(Removal("element", tag))
            return
        allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | ALLOWED_ATTRIBUTES["*"]
        for name, value in attrs:
            value = value or ""
            if name not in allowed or _keep_attribute(tag, name, value) is None:
                self.removals.append(Removal("attribute", tag, name, value))
            elif name in URL_ATTRIBUTES and not _url_kept(tag, name, value):
                self.removals.append(Removal("url", tag, name, value))
            elif name == "style" and not _only_allowed_style(value):
                self.removals.append(Removal("style", tag, name, value))

    handle_startendtag = handle_starttag


def _url_kept(tag: str, name: str, value: str) -> bool:
    """nh3 decides, so the report and the published page agree on every obfuscated scheme.

    Plain relative paths, anchors and web addresses, most links on a page,
    are kept without asking it: they cannot carry a scheme nh3 would refuse.
    """
    if _PLAIN_URL.match(value):
        return True
    probe = f'<{tag} {name}="{html.escape(value)}">'
    return f"{name}=" in clean(probe)


def _only_allowed_style(value: str) -> bool:
    properties = {part.split(":", 1)[0].strip().lower() for part in value.split(";") if part.strip()}
    return properties <= STYLE_PROPERTIES


# A start tag of the allowlist whose attributes are all allowed, quoted, and neither a URL that
# nh3 would have to judge nor a theme id. HTMLParser reads such a tag as written, so it removes nothing.
_HARMLESS_TAG = re.compile(
    r"<(?:" + "|".join(sorted(ALLOWED_TAGS, key=len, reverse=True)) + r")(?:\s+(?:(?:id|class|title|lang|alt|width|height|colspan|rowspan|start|open)=\"(?!__)[^\"<>&]*\""
    r"|(?:href|src)=\"(?:https?://|mailto:|[#./]|[\w-]+(?:[/?#]|(?=\")))[^\"<>\s]*\"|open))*\s*/?>")
_START_TAG = re.compile(r"<(?!/)")


def _only_harmless_tags(fragment: str) -> bool:
    """True when every '<' that is not an end tag opens a harmless tag: the common case, found at C speed."""
    return len(_HARMLESS_TAG.findall(fragment)) == len(_START_TAG.findall(fragment))


def removals(fragment: str) -> list[Removal]:
    """Everything ``clean`` would remove from ``fragment``, in document order."""
    if _only_harmless_tags(fragment):
        return []
    inspector = _Inspector()
    inspector.feed(fragment)
    inspector.close()
    return inspector.removals


def body_problems(path: str, body: str, body_line: int, fragment: str) -> list[Problem]:
    """German errors for what ``clean`` removes from ``fragment``, the HTML made from ``body``.

    Markdown keeps no line numbers, so each removal is placed on the first
    line of the body that shows it (from the last placed line on, so repeated
    payloads land on their own lines), else on the body's first line.
    """
    lines = body.split("\n")
    problems, start = [], 0
    for removal in removals(fragment):
        index = _find_line(lines, removal.needles(), start)
        if index is not None:
            start = index
        problems.append(Problem(path, removal.message(), body_line + (index if index is not None else 0), "Textteil",
                                "Entfernt den markierten Teil. Links brauchen eine https-Adresse, Formatierungen schreibt ihr in Markdown."))
    return problems


def bodies_problems(bodies: Iterable[tuple[str, str, int]], to_html: Callable[[str], str]) -> list[Problem]:
    """``body_problems`` of each (path, body, body line), converting the bodies as the build does."""
    return [problem for path, body, line in bodies for problem in body_problems(path, body, line, to_html(body))]


def _find_line(lines: list[str], needles: list[str], start: int) -> int | None:
    for needle in needles:
        folded = needle.casefold()
        order: list[int] = [*range(start, len(lines)), *range(start)]
        for index in order:
            if folded in lines[index].casefold():
                return index
    return None
