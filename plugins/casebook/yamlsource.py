"""YAML with line numbers: every value knows where it stands in the file."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

try:  # the C loader is several times faster; fall back where libyaml is missing
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]


class _Loader(_SafeLoader):  # type: ignore[misc,valid-type]
    """Keeps an impossible date like 2025-02-30 as text, so the field check reports it with its line."""

    def construct_yaml_timestamp(self, node: yaml.Node) -> Any:
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
        "Rücke im Kopfbereich nur mit Leerzeichen ein, nie mit Tabulatoren.",
    ),
    (
        "mapping values are not allowed",
        "Ein Doppelpunkt steht an einer Stelle, an der YAML keinen erwartet.",
        'Setze Text, der selbst einen Doppelpunkt enthält, in Anführungszeichen, z. B. summary: "Ziel: mehr Daten".',
    ),
    (
        "could not find expected ':'",
        "Einer Zeile fehlt der Doppelpunkt zwischen Feldname und Wert.",
        "Schreibe jede Angabe als 'feld: wert'.",
    ),
    (
        "found unexpected end of stream",
        "Ein Anführungszeichen oder eine Klammer wird nicht geschlossen.",
        "Prüfe, ob jedes öffnende Anführungszeichen und jede Klammer [ auch wieder geschlossen wird.",
    ),
    (
        "did not find expected",
        "Eine Liste oder Einrückung ist nicht vollständig.",
        'Schreibe Listen als [Eins, Zwei] oder als Zeilen mit "- " darunter, gleich weit eingerückt.',
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
    try:
        node = loader.get_single_node()
        if node is not None:
            _refuse_aliases(node, set(), first_line)
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as error:
        raise _syntax_error(error, first_line, text) from None
    except (ValueError, TypeError, LookupError) as error:  # an explicit tag such as '!!int abc' that PyYAML cannot construct
        raise YamlSyntaxError(f"Ein Wert im Kopfbereich lässt sich nicht lesen ({error}).", None,
                              "Lass Angaben wie '!!int' weg und setze den Wert in Anführungszeichen.") from None
    except yaml.YAMLError as error:  # e.g. a reader error without a mark
        raise YamlSyntaxError(f"Der Kopfbereich ist kein gültiges YAML ({error}).", None, "Vergleiche mit der Vorlage.") from None
    finally:
        loader.dispose()
    document = YamlDocument(data)
    if node is not None:
        _record_lines(node, (), document, first_line)
    return document


def _refuse_aliases(node: yaml.Node, seen: set[int], first_line: int) -> None:
    # Anchors (&) and aliases (*) can make a few lines expand to gigabytes or loop forever; front matter never needs them.
    if id(node) in seen:
        raise YamlSyntaxError("Anker und Verweise (& und *) sind hier nicht erlaubt.", node.start_mark.line + first_line,
                              "Schreibe jeden Wert aus; setze Text mit & oder * am Anfang in Anführungszeichen.")
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            _refuse_aliases(key_node, seen, first_line)
            _refuse_aliases(value_node, seen, first_line)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _refuse_aliases(item, seen, first_line)


def _syntax_error(error: yaml.MarkedYAMLError, first_line: int, text: str) -> YamlSyntaxError:
    mark = error.problem_mark or error.context_mark
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
        "Vergleiche die Zeile mit der Vorlage: 'feld: wert', Listen in [ ] oder mit '- '.",
    )


def _record_lines(node: yaml.Node, path: Path, document: YamlDocument, first_line: int) -> None:
    document.lines[path] = node.start_mark.line + first_line
    if isinstance(node, yaml.MappingNode):
        seen: set[Any] = set()
        for key_node, value_node in node.value:
            key = key_node.value
            child = (*path, key)
            if key in seen:  # PyYAML silently keeps the last value; contributors must hear of it
                document.duplicate_keys.append((child, key_node.start_mark.line + first_line))
            seen.add(key)
            document.key_lines[child] = key_node.start_mark.line + first_line
            _record_lines(value_node, child, document, first_line)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record_lines(item, (*path, index), document, first_line)
