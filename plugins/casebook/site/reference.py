"""The field reference for contributors (CONTRIBUTING.md), generated from the field contract."""

from __future__ import annotations

import json
from collections.abc import Sequence

from ..core.fields import FieldSpec, Kind, entry_fields, field_label
from ..core.model import Taxonomy

START, END = "<!-- fields:start -->", "<!-- fields:end -->"
HEADINGS = {"organisation": "Organisationsprofil (`docs/organisations/<name>.md`)", "case": "Fallstudie (`cases/<titel>.md`)"}


def fields_markdown(taxonomies: Sequence[Taxonomy]) -> str:
    return "\n".join(_table(kind, taxonomies) for kind in ("organisation", "case"))


def fields_text(taxonomies: Sequence[Taxonomy]) -> str:
    lines = []
    for kind in ("organisation", "case"):
        lines.append(HEADINGS[kind].replace("`", ""))
        lines += [f"  {spec.name}{' (Pflicht)' if spec.required else ''}: {spec.help}" for spec in entry_fields(kind, taxonomies)]
    return "\n".join(lines) + "\n"


def replace_generated(text: str, generated: str, start: str = START, end: str = END) -> str:
    """The text with everything between the markers (by default the field markers) replaced."""
    before, rest = text.split(start, 1)
    _, after = rest.split(end, 1)
    return f"{before}{start}\n{generated}{end}{after}"


def _table(kind: Kind, taxonomies: Sequence[Taxonomy]) -> str:
    rows = [f"#### {HEADINGS[kind]}", "", "| Feld | Bezeichnung | Pflicht? | Bedeutung | Beispiel |", "|---|---|---|---|---|"]
    rows += [_row(spec) for spec in entry_fields(kind, taxonomies)]
    return "\n".join(rows) + "\n"


def _row(spec: FieldSpec) -> str:
    example = "" if spec.taxonomy else f"`{spec.name}: {json.dumps(spec.example, ensure_ascii=False)}`"
    cells = [f"`{spec.name}`", field_label(spec), "ja" if spec.required else "nein", spec.help, example]
    return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"
