"""Content kinds as declarations: what a kind of entry is, read from YAML rather than written as code.

A kind (organisation profile, case study, or one a site adds in mkdocs.yml)
names its folder and URL, its German names, its fields, the kinds it refers
to, its templates and whether it takes part in "Organisationen wie ihr".
The checker, the JSON Schemas, the issue forms, the scaffolder, the field
reference, the pages and the exports all read these declarations; nothing
else branches on the kind.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Literal, cast, get_args

import yaml

from .fields import FieldSpec, ValueKind
from .model import Taxonomy

Similar = Literal["peers", "others", "none"]
# peers: the kind "Organisationen wie ihr" lists (exactly one kind); others: its entries get a list of
# similar peers they do not already name; none: no list.
TAXONOMIES_HERE = "taxonomies"  # in a field list: where the taxonomy fields go
DECLARATIONS = Path(__file__).with_name("kinds.yml")


class KindError(ValueError):
    """A declaration that cannot work; the message is German, for maintainers editing mkdocs.yml."""


@dataclass(frozen=True)
class Form:
    """The GitHub issue form that proposes a new entry of a kind."""

    file: str  # e.g. "case.yml" in .github/ISSUE_TEMPLATE/
    name: str
    description: str
    title: str  # prefix of the issue title
    label: str


@dataclass(frozen=True)
class Feed:
    file: str  # inside the site, e.g. "feeds/fallstudien.xml"
    title: str


@dataclass(frozen=True)
class ContentKind:
    name: str  # identifier, e.g. "case"; also the name of its JSON Schema and of `casebook new <name>`
    singular: str  # German, e.g. "Fallstudie"
    plural: str  # German, e.g. "Fallstudien": overview title, navigation, headings of lists
    one: str  # German with its article, for messages, e.g. "eine Fallstudie"
    folder: str  # where its files are: relative to mkdocs.yml, or to docs_dir when in_docs_dir
    url: str  # URL segment of its pages
    in_docs_dir: bool
    title_field: str
    head: tuple[FieldSpec, ...]  # fields before the taxonomy fields
    tail: tuple[FieldSpec, ...]  # after them, the common fields last
    taxonomies: tuple[str, ...] | None  # taxonomy keys it carries; None: all
    similar: Similar
    page_template: str  # in templates/casebook/
    overview_template: str
    schema_type: str  # schema.org type of its JSON-LD
    data_key: str  # its list in the open data (daten/wissensbasis.json) and its count column in begriffe.csv
    csv_file: str  # its table in daten/
    fictitious_note: str
    duplicate_hint: str
    body: str  # the body skeleton of a new file
    form: Form
    feed: Feed | None
    calendar: str | None = None  # an iCalendar file of all its entries (they need a `start`); each entry gets one too
    # Built in, but a site uses it only once its folder exists (events): existing sites keep building unchanged.
    optional: bool = False
    # Taxonomies only this kind carries (the formats of events), with their part of the vocabulary; they exist
    # while the kind is in use.
    own_taxonomies: tuple[Taxonomy, ...] = ()

    def fields(self, taxonomies: Sequence[Taxonomy]) -> list[FieldSpec]:
        """Every front-matter field in order, the taxonomy fields built from the site's taxonomies."""
        return [*self.head, *(_taxonomy_field(self.name, t) for t in self.taxonomies_of(taxonomies)), *self.tail]

    def taxonomies_of(self, taxonomies: Sequence[Taxonomy]) -> list[Taxonomy]:
        return [t for t in taxonomies if t.carried_by(self.name) and (self.taxonomies is None or t.key in self.taxonomies)]

    @property
    def shown_folder(self) -> str:
        """Its folder as contributors see it from the repository root (with MkDocs' default docs_dir)."""
        return f"docs/{self.folder}" if self.in_docs_dir else self.folder

    @property
    def own_fields(self) -> list[FieldSpec]:
        """Its declared fields besides the title, the summary and the common ones (date, fictitious); old fields
        still read (seeking) are among them, so the open data keeps what old files say."""
        return [spec for spec in (*self.head, *self.tail) if (spec.asked or spec.replaced_by) and spec.name not in (self.title_field, "summary")]

    @property
    def references(self) -> list[FieldSpec]:
        """Fields naming entries of another kind (a case names its organisations)."""
        return [spec for spec in (*self.head, *self.tail) if spec.refers_to]


def _taxonomy_field(kind: str, taxonomy: Taxonomy) -> FieldSpec:
    return FieldSpec(taxonomy.key, "terms" if taxonomy.multiple else "term", kind in taxonomy.required_for,
                     taxonomy.help or f"{taxonomy.title} aus dem Vokabular" + (" (Liste)." if taxonomy.multiple else " (ein Wert)."),
                     ("…",) if taxonomy.multiple else "…", label=taxonomy.title if taxonomy.multiple else taxonomy.singular,
                     taxonomy=taxonomy)


def load_kinds(overrides: Mapping[str, Any] | None = None) -> tuple[ContentKind, ...]:
    """The built-in kinds, each updated key by key from ``overrides`` (mkdocs.yml), plus the kinds it adds."""
    declared = yaml.safe_load(DECLARATIONS.read_text(encoding="utf-8"))
    common = declared.pop("common")
    for name, changes in (overrides or {}).items():
        if not isinstance(changes, Mapping):
            raise KindError(f"kinds.{name}: erwartet werden Schlüssel wie singular, plural, folder und fields.")
        declared[name] = {**declared.get(name, {}), **changes}
    kinds = tuple(_kind(str(name), data, common) for name, data in declared.items())
    peers = [kind.name for kind in kinds if kind.similar == "peers"]
    if len(peers) != 1:
        raise KindError(f"Genau eine Art braucht similar: peers (die Organisationen); gefunden: {', '.join(peers) or 'keine'}.")
    return kinds


_KIND_KEYS = {f.name for f in fields(ContentKind)} - {"name", "head", "tail"} | {"fields"}
_FIELD_KEYS = {f.name for f in fields(FieldSpec)} - {"kind", "taxonomy"} | {"type"}


def _kind(name: str, data: Mapping[str, Any], common: Sequence[Mapping[str, Any]]) -> ContentKind:
    unknown = sorted(set(data) - _KIND_KEYS)
    if unknown:
        raise KindError(f"kinds.{name}: unbekannte Schlüssel {', '.join(unknown)}; erlaubt sind {', '.join(sorted(_KIND_KEYS))}.")
    try:
        items = list(data["fields"])
        specs = [item if item == TAXONOMIES_HERE else _field(name, item) for item in [*items, *common]]
        at = specs.index(TAXONOMIES_HERE) if TAXONOMIES_HERE in specs else len(items)
        kind = ContentKind(
            name=name, singular=str(data["singular"]), plural=str(data["plural"]), one=str(data.get("one", f"ein Eintrag ({data['singular']})")), folder=str(data["folder"]).strip("/"),
            url=str(data.get("url", data["folder"])).strip("/"), in_docs_dir=bool(data.get("in_docs_dir", False)),
            title_field=str(data["title_field"]),
            head=tuple(cast(FieldSpec, s) for s in specs[:at]), tail=tuple(cast(FieldSpec, s) for s in specs[at:] if s != TAXONOMIES_HERE),
            taxonomies=tuple(data["taxonomies"]) if data.get("taxonomies") is not None else None,
            similar=data.get("similar", "none"), page_template=str(data.get("page_template", "entry.md")),
            overview_template=str(data.get("overview_template", "overview.md")), schema_type=str(data.get("schema_type", "CreativeWork")),
            data_key=str(data.get("data_key", data.get("url", data["folder"]))), csv_file=str(data.get("csv_file", f"{name}.csv")),
            fictitious_note=str(data.get("fictitious_note", f"Dieser Eintrag ({data['singular']}) ist erfunden.")),
            duplicate_hint=str(data.get("duplicate_hint", "Wählt einen Namen, der den Eintrag unterscheidet.")),
            body=str(data.get("body", "")), form=Form(**{"file": f"{name}.yml", "title": f"{data['singular']}: ", "label": f"neu-{name}",
                                                        "name": f"{data['singular']} eintragen", "description": "", **data.get("form", {})}),
            feed=Feed(**data["feed"]) if data.get("feed") else None, calendar=data.get("calendar"), optional=bool(data.get("optional", False)),
            own_taxonomies=tuple(_own_taxonomy(name, t) for t in data.get("own_taxonomies", ())),
        )
    except KeyError as missing:
        raise KindError(f"kinds.{name}: der Schlüssel {missing} fehlt.") from None
    except TypeError as error:
        raise KindError(f"kinds.{name}: {error}") from None
    names = [spec.name for spec in kind.fields([])]
    if kind.title_field not in names or "summary" not in names:
        raise KindError(f"kinds.{name}: die Felder brauchen den Titel '{kind.title_field}' (title_field) und 'summary'.")
    if kind.calendar and "start" not in names:
        raise KindError(f"kinds.{name}: ein Kalender (calendar) braucht ein Feld 'start' vom Typ datetime.")
    if kind.similar not in get_args(Similar):
        raise KindError(f"kinds.{name}: similar ist peers, others oder none, nicht '{kind.similar}'.")
    return kind


def _own_taxonomy(kind: str, data: Mapping[str, Any]) -> Taxonomy:
    required = bool(data.get("required", False))
    return Taxonomy(str(data["key"]), str(data["title"]), str(data["singular"]), str(data["url"]), float(data.get("weight", 0)),
                    bool(data.get("multiple", True)), (kind,) if required else (), (kind,), str(data.get("vocabulary", "")),
                    bool(data.get("notes", False)), str(data.get("help", "")), str(data.get("answers", "")))


def _field(kind: str, data: Mapping[str, Any]) -> FieldSpec:
    if not isinstance(data, Mapping) or "name" not in data or "type" not in data:
        raise KindError(f"kinds.{kind}.fields: jedes Feld braucht name und type (oder ist das Wort {TAXONOMIES_HERE}).")
    unknown = sorted(set(data) - _FIELD_KEYS)
    if unknown or data["type"] not in get_args(ValueKind):
        raise KindError(f"kinds.{kind}.fields.{data['name']}: unbekannt: {', '.join(unknown) or data['type']}; "
                        f"Typen sind {', '.join(get_args(ValueKind))}.")
    values = {key: value for key, value in data.items() if key != "type"}
    for key in ("choices", "example"):  # tuples keep a declaration hashable, so it can key caches
        if isinstance(values.get(key), list):
            values[key] = tuple(values[key])
    return FieldSpec(kind=data["type"], **{"required": False, "help": "", "example": None, **values})


def kind_named(kinds: Sequence[ContentKind], name: str) -> ContentKind:
    return next(kind for kind in kinds if kind.name == name)


def peer_kind(kinds: Sequence[ContentKind]) -> ContentKind:
    """The kind "Organisationen wie ihr" lists: the organisations."""
    return next(kind for kind in kinds if kind.similar == "peers")


DEFAULT_KINDS = load_kinds()
