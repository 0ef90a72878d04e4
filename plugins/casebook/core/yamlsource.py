"""YAML with line numbers: every value knows where it stands in the file."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

try:  # the C loader is several times faster; fall back where libyaml is missing
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]


class _Loader(_SafeLoader):
    """Keeps an impossible date like 2025-02-30 as text, so the field check reports it with its line."""

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, AttributeError):
            return self.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)

Path = tuple[Any, ...]  # ("software", 0) is the first item under "software"

# PyYAML's messages are English and technical; these are the ones contributors meet.
_SYNTAX_MESSAGES = (
    (
        "found character '\\t'",
        "Ein Tabulatorzeichen steht im Kopfbereich.",
        "Rückt im Kopfbereich nur mit Leerzeichen ein, nie mit Tabulatoren.",
    ),
    (
        "mapping values are not allowed",
        "Ein Doppelpunkt steht an einer Stelle, an der YAML keinen erwartet.",
        'Setzt Text, der selbst einen Doppelpunkt enthält, in Anführungszeichen, z. B. summary: "Ziel: mehr Daten".',
    ),
    (
        "could not find expected ':'",
        "Einer Zeile fehlt der Doppelpunkt zwischen Feldname und Wert.",
        "Schreibt jede Angabe als 'feld: wert'.",
    ),
    (
        "found unexpected end of stream",
        "Ein Anführungszeichen oder eine Klammer wird nicht geschlossen.",
        "Prüft, ob jedes öffnende Anführungszeichen und jede Klammer [ auch wieder geschlossen wird.",
    ),
    (
        "found unhashable key",
        "Vor einem Doppelpunkt steht eine Liste oder ein Abschnitt, wo ein einfacher Feldname hingehört.",
        "Schreibt jede Angabe als 'feld: wert'; ein Fragezeichen am Zeilenanfang gehört nicht in den Kopfbereich.",
    ),
    (
        "did not find expected",
        "Eine Liste oder Einrückung ist nicht vollständig.",
        'Schreibt Listen als [Eins, Zwei] oder als Zeilen mit "- " darunter, gleich weit eingerückt.',
    ),
)


class YamlSyntaxError(Exception):
    def __init__(self, message: str, line: int | None, hint: str) -> None:
        super().__init__(message)
        self.message, self.line, self.hint = message, line, hint


@dataclass
class YamlDocument:
    data: Any
    lines: dict[Path, int] = field(default_factory=dict)  # 1-based line of each value
    key_lines: dict[Path, int] = field(default_factory=dict)  # 1-based line of each mapping key
    duplicate_keys: list[tuple[Path, int]] = field(default_factory=list)

    def line(self, *path: Any) -> int | None:
        return self.key_lines.get(path) or self.lines.get(path)


def load_yaml(text: str, first_line: int = 1) -> YamlDocument:
    """Parse one YAML document, remembering the line of every key and value.

    ``first_line`` is the file line on which ``text`` starts, so that front
    matter reports lines of the Markdown file, not of the YAML snippet.
    """
    loader = _Loader(text)
    document = YamlDocument(None)
    try:
        node = loader.get_single_node()
        if node is not None:
            document.data = _construct(loader, node, (), document, first_line, set())
    except yaml.MarkedYAMLError as error:
        raise _syntax_error(error, first_line, text) from None
    except (ValueError, TypeError, LookupError) as error:  # an explicit tag such as '!!int abc' that PyYAML cannot construct
        raise YamlSyntaxError(f"Ein Wert im Kopfbereich lässt sich nicht lesen ({error}).", None,
                              "Lasst Angaben wie '!!int' weg und setzt den Wert in Anführungszeichen.") from None
    except yaml.YAMLError as error:  # e.g. a reader error without a mark
        raise YamlSyntaxError(f"Der Kopfbereich ist kein gültiges YAML ({error}).", None, "Vergleiche mit der Vorlage.") from None
    finally:
        loader.dispose()
    return document


_STR, _SEQ, _MAP = "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"


def _construct(loader: _Loader, node: yaml.Node, path: Path, document: YamlDocument, first_line: int, seen: set[int]) -> Any:
    """The value of ``node``, recording lines and duplicate keys on the way: one pass over the tree.

    Plain lists and mappings are built here; every other node (numbers, dates,
    explicit tags) goes to PyYAML's safe constructor.
    """
    if id(node) in seen:
        # Anchors (&) and aliases (*) can make a few lines expand to gigabytes or loop forever; front matter never needs them.
        raise YamlSyntaxError("Anker und Verweise (& und *) sind hier nicht erlaubt.", node.start_mark.line + first_line,
                              "Schreibt jeden Wert aus; setzt Text mit & oder * am Anfang in Anführungszeichen.")
    seen.add(id(node))
    document.lines[path] = node.start_mark.line + first_line
    if node.tag == _STR:
        return node.value
    if node.tag == _SEQ:
        return [_construct(loader, item, (*path, index), document, first_line, seen) for index, item in enumerate(node.value)]
    if node.tag != _MAP:
        return loader.construct_object(node, deep=True)
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):  # a list or mapping as key
            raise yaml.constructor.ConstructorError("while constructing a mapping", node.start_mark,
                                                    "found unhashable key", key_node.start_mark)
        child = (*path, key_node.value)
        line = key_node.start_mark.line + first_line
        if child in document.key_lines:  # PyYAML silently keeps the last value; contributors must hear of it
            document.duplicate_keys.append((child, line))
        document.key_lines[child] = line
        key = _construct(loader, key_node, child, document, first_line, seen)
        mapping[key] = _construct(loader, value_node, child, document, first_line, seen)
    return mapping


# A value opened with a quote on a line of its own that does not close there. A front-matter value
# never spans lines, so this is the real cause of whatever error the parser meets further down.
_OPEN_QUOTE = re.compile(r"""^\s*(?:-\s+|[^\s:#][^:]*:\s+)(?P<quote>["'])(?P<rest>.*)$""")


def _unclosed_quote(text: str, until: int) -> int | None:
    """The 0-based line, up to ``until``, where a quoted value opens and is not closed on the same line."""
    for index, line in enumerate(text.split("\n")[: until + 1]):
        found = _OPEN_QUOTE.match(line)
        if found and found["quote"] not in found["rest"].replace(found["quote"] * 2, ""):
            return index
    return None


def _syntax_error(error: yaml.MarkedYAMLError, first_line: int, text: str) -> YamlSyntaxError:
    mark = error.problem_mark or error.context_mark
    quote_line = _unclosed_quote(text, mark.line if mark is not None else text.count("\n"))
    if quote_line is not None:
        return YamlSyntaxError("Ein Anführungszeichen wird in dieser Zeile geöffnet, aber nicht geschlossen.", quote_line + first_line,
                               "Setzt am Ende des Werts dasselbe Anführungszeichen, mit dem er beginnt.")
    if error.context and "flow sequence" in error.context and error.context_mark is not None:
        return YamlSyntaxError("Eine eckige Klammer [ wird in dieser Zeile geöffnet, aber nicht geschlossen.",
                               error.context_mark.line + first_line, "Schließt die Liste mit ] am Ende der Zeile.")
    line = mark.line + first_line if mark is not None else None
    problem = f"{error.context or ''} {error.problem or ''}"
    error_line = text.split("\n")[mark.line] if mark is not None and mark.line < text.count("\n") + 1 else ""
    if "\t" in error_line:  # libyaml words tab errors differently from PyYAML
        problem = "found character '\\t'"
    for needle, message, hint in _SYNTAX_MESSAGES:
        if needle in problem:
            return YamlSyntaxError(message, line, hint)
    return YamlSyntaxError(
        f"Der Kopfbereich ist kein gültiges YAML ({(error.problem or '').strip()}).",
        line,
        "Vergleicht die Zeile mit der Vorlage: 'feld: wert', Listen in [ ] oder mit '- '.",
    )
