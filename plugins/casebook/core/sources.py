"""Reading one contributed Markdown file: bytes -> front matter with line numbers + body.

Nothing here knows the vocabulary or other files, so a parsed file can be
cached by modification time and size across rebuilds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from frontmatter.default_handlers import YAMLHandler

from .model import Problem
from .slugs import slugify
from .yamlsource import YamlDocument, YamlSyntaxError, load_yaml

_BOUNDARY = YAMLHandler.FM_BOUNDARY  # python-frontmatter's definition of '---' lines
_TEMPLATE_HINT = "Beginnt die Datei mit einer Zeile '---', dann die Felder wie in der Vorlage, dann wieder '---'."


@dataclass
class Source:
    path: str  # as contributors see it, e.g. "cases/foo.md"
    slug: str
    meta: dict[Any, Any] = field(default_factory=dict)
    document: YamlDocument | None = None
    body: str = ""
    body_line: int = 1  # file line on which the body starts
    problems: list[Problem] = field(default_factory=list)

    def line(self, *path: object) -> int | None:
        return self.document.line(*path) if self.document else None


def decode(path: str, raw: bytes) -> tuple[str, Problem | None]:
    """UTF-8 text with BOM and CR line ends removed; undecodable bytes are replaced and reported."""
    problem = None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        problem = Problem(path, f"Die Datei ist nicht als UTF-8 gespeichert (ungültiges Byte 0x{raw[error.start]:02x}).", line, None,
                          "Speichert die Datei im Editor mit der Kodierung UTF-8.")
        text = raw.decode("utf-8", errors="replace")
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n"), problem


def parse_source(path: str, raw: bytes) -> Source:
    """Parse a file; every problem is recorded on the result instead of raised."""
    source = Source(path, slugify(PurePosixPath(path).stem))
    stem = PurePosixPath(path).stem
    if source.slug != stem:
        source.problems.append(Problem(
            path, "Der Dateiname ist nicht als Adresse geeignet.", None, "Dateiname",
            f"Benennt die Datei in '{source.slug or 'name'}.md' um: nur Kleinbuchstaben, Ziffern und Bindestriche, ä als ae usw."))
    text, problem = decode(path, raw)
    source.problems.extend([problem] if problem else [])
    if not text.strip():
        source.problems.append(Problem(path, "Die Datei ist leer.", 1, None, _TEMPLATE_HINT))
        return source
    opening = _BOUNDARY.match(text)
    closing = _BOUNDARY.search(text, opening.end()) if opening else None
    if opening is None:
        source.problems.append(Problem(path, "Der Kopfbereich (Front Matter) fehlt.", 1, None, _TEMPLATE_HINT))
        source.body = text
        return source
    if closing is None:
        source.problems.append(Problem(path, "Der Kopfbereich wird nicht mit einer Zeile '---' beendet.", 1, None,
                                       "Setzt nach dem letzten Feld eine Zeile mit genau '---'."))
        source.body = text
        return source
    source.body = text[closing.end():].lstrip("\n")
    source.body_line = text.count("\n", 0, len(text) - len(source.body)) + 1
    try:
        source.document = load_yaml(text[opening.end():closing.start()], first_line=text.count("\n", 0, opening.end()) + 1)
    except YamlSyntaxError as error:
        source.problems.append(Problem(path, error.message, error.line, None, error.hint))
        return source
    data = source.document.data
    if data is None or data == {}:  # "{}" is as empty as nothing at all
        source.problems.append(Problem(path, "Der Kopfbereich ist leer.", 2, None, _TEMPLATE_HINT))
    elif not isinstance(data, dict):
        source.problems.append(Problem(path, "Der Kopfbereich muss aus Zeilen 'feld: wert' bestehen.", 2, None, _TEMPLATE_HINT))
    else:
        source.meta = data
        for key_path, line in source.document.duplicate_keys:
            source.problems.append(Problem(path, "Das Feld steht zweimal im Kopfbereich; nur der letzte Wert würde gelten.",
                                           line, str(key_path[-1]), "Löscht eine der beiden Zeilen."))
    return source
