"""The plugin's options, described from the typed config: a reference page and the mkdocs.yml `casebook init` writes."""

from __future__ import annotations

import json
from typing import Any

import yaml
from mkdocs.config import config_options as c

from ..core.model import DEFAULT_TAXONOMIES
from ..mkdocs.config import OPTION_DOCS, TAXONOMY_OPTION_DOCS, CasebookConfig, TaxonomyConfig

START, END = "<!-- options:start -->", "<!-- options:end -->"


def type_name(option: Any) -> str:
    """A short, readable name of an option's type, e.g. 'Liste von Text'."""
    if isinstance(option, c.ListOfItems):
        return f"Liste von {type_name(option.option_type)}"
    if isinstance(option, c.DictOfItems):
        return f"Zuordnung zu {type_name(option.option_type)}"
    if isinstance(option, c.SubConfig):
        return "Abschnitt"
    if isinstance(option, c.Choice):
        return " | ".join(option.choices)
    kinds = option._type if isinstance(getattr(option, "_type", None), tuple) else (getattr(option, "_type", str),)
    names = {str: "Text", int: "Zahl", float: "Zahl", bool: "true/false"}
    return " oder ".join(dict.fromkeys(names.get(kind, kind.__name__) for kind in kinds))


def options_markdown() -> str:
    """The reference tables: every option with type, default and its German and English description."""
    return _table(CasebookConfig, OPTION_DOCS) + "\nJede Taxonomie unter `taxonomies:` hat diese Angaben:\n\n" + _table(TaxonomyConfig, TAXONOMY_OPTION_DOCS)


def _table(config: type, docs: dict[str, tuple[str, str]]) -> str:
    rows = ["| Option | Typ | Voreinstellung | Bedeutung | Meaning |", "|---|---|---|---|---|"]
    for name, option in config._schema:  # type: ignore[attr-defined]
        german, english = docs[name]
        default = "–" if option.default is None else f"`{json.dumps(option.default, ensure_ascii=False)}`"
        cells = [f"`{name}`", type_name(option), default, german, english]
        rows.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(rows) + "\n"


def commented_settings(indent: str = "      ") -> str:
    """Every option with its default, each under a German comment: the casebook entry of a new mkdocs.yml."""
    lines = []
    for name, option in CasebookConfig._schema:
        lines.append(f"{indent}# {OPTION_DOCS[name][0]}")
        if name == "taxonomies":
            dumped = yaml.safe_dump(_default_taxonomies(), allow_unicode=True, sort_keys=False, default_flow_style=None)
            lines += [f"{indent}{name}:", *(f"{indent}  {line}" for line in dumped.rstrip("\n").split("\n"))]
        else:  # JSON is YAML too, and quotes what YAML would read differently
            lines.append(f"{indent}{name}: {json.dumps(option.default, ensure_ascii=False)}")
    return "\n".join(lines) + "\n"


def _default_taxonomies() -> list[dict[str, object]]:
    """Written out, so that a new site sees what it can change."""
    return [{"key": t.key, "title": t.title, "singular": t.singular, "url": t.url, "weight": t.weight, "multiple": t.multiple,
             "required_for": list(t.required_for)} for t in DEFAULT_TAXONOMIES]
