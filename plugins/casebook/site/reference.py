"""The field reference for contributors (CONTRIBUTING.md and the guide), generated from the content kinds' declarations."""

from __future__ import annotations

import json
from collections.abc import Sequence

from ..core.fields import FieldSpec, field_label
from ..core.kinds import ContentKind
from ..core.model import Taxonomy

START, END = "<!-- fields:start -->", "<!-- fields:end -->"


def heading(kind: ContentKind) -> str:
    """E.g. "Fallstudie (`cases/<name>.md`)"; the folder as seen from mkdocs.yml."""
    return f"{kind.singular} (`{kind.shown_folder}/<name>.md`)"


def fields_markdown(kinds: Sequence[ContentKind], taxonomies: Sequence[Taxonomy]) -> str:
    return "\n".join(_table(kind, taxonomies) for kind in kinds)


def fields_text(kinds: Sequence[ContentKind], taxonomies: Sequence[Taxonomy]) -> str:
    lines = []
    for kind in kinds:
        lines.append(heading(kind).replace("`", ""))
        lines += [f"  {spec.name}{' (Pflicht)' if spec.required else ''}: {spec.help}" for spec in kind.fields(taxonomies)]
    return "\n".join(lines) + "\n"


def replace_generated(text: str, generated: str, start: str = START, end: str = END) -> str:
    """The text with everything between the markers (by default the field markers) replaced."""
    before, rest = text.split(start, 1)
    _, after = rest.split(end, 1)
    return f"{before}{start}\n{generated}{end}{after}"


def _table(kind: ContentKind, taxonomies: Sequence[Taxonomy]) -> str:
    rows = [f"#### {heading(kind)}", "", "| Feld | Bezeichnung | Pflicht? | Bedeutung | Beispiel |", "|---|---|---|---|---|"]
    rows += [_row(spec) for spec in kind.fields(taxonomies)]
    return "\n".join(rows) + "\n"


def _row(spec: FieldSpec) -> str:
    shown = "" if spec.taxonomy else f"`{spec.name}: {json.dumps(spec.plain_example, ensure_ascii=False)}`"
    cells = [f"`{spec.name}`", field_label(spec), "ja" if spec.required else "nein", spec.help, shown]
    return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"
