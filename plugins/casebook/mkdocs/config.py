"""The plugin's settings in mkdocs.yml, checked by MkDocs' own config machinery."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.base import ValidationError

from ..core.kinds import ContentKind, KindError, load_kinds
from ..core.knowledge import Settings
from ..core.loading import Paths
from ..core.model import DEFAULT_TAXONOMIES, Taxonomy
from ..core.privacy import DEFAULT_ALLOWLIST


class Pattern(c.Type[str]):
    """A regular expression, refused at config time when it does not compile."""

    def __init__(self) -> None:
        super().__init__(str)

    def run_validation(self, value: object) -> str:
        text = str(super().run_validation(value))
        try:
            re.compile(text)
        except re.error as error:
            raise ValidationError(f"Kein gültiger regulärer Ausdruck: {text!r} ({error}).") from None
        return text


class TaxonomyConfig(base.Config):
    key = c.Type(str)
    title = c.Type(str)
    singular = c.Type(str)
    url = c.Type(str)
    weight = c.Type((int, float), default=1.0)
    multiple = c.Type(bool, default=True)
    required_for = c.ListOfItems(c.Type(str), default=[])
    pools = c.Type(str, default="")


class KindDeclarations(c.Type[dict]):
    """Content kinds added or changed, in the form of core/kinds.yml; refused at config time when they cannot work."""

    def __init__(self) -> None:
        super().__init__(dict, default={})

    def run_validation(self, value: object) -> dict:
        declared = super().run_validation(value)
        try:
            load_kinds(declared)
        except KindError as error:
            raise ValidationError(str(error)) from None
        return declared


class CasebookConfig(base.Config):
    """The options under `- casebook:` in mkdocs.yml; each is described in OPTION_DOCS."""

    vocabulary = c.Type(str, default="docs/vokabular.yml")
    organisations_dir = c.Type(str, default="organisations")
    cases_dir = c.Type(str, default="cases")
    cases_url = c.Type(str, default="cases")
    similar_count = c.Type(int, default=5)
    similar_min_score = c.Type((int, float), default=0.05)
    privacy_allowlist = c.ListOfItems(Pattern(), default=list(DEFAULT_ALLOWLIST))
    taxonomies = c.ListOfItems(c.SubConfig(TaxonomyConfig), default=[])
    collaboration_guide = c.Type(str, default="leitfaden/datenkooperation.md")
    content_security_policy = c.Type(bool, default=True)
    content_security_policy_sources = c.DictOfItems(c.ListOfItems(c.Type(str)), default={})
    kinds = KindDeclarations()


# (German, English) for every option: the reference page, `casebook init`'s mkdocs.yml and a test read these.
OPTION_DOCS: dict[str, tuple[str, str]] = {
    "vocabulary": ("Die Vokabular-Datei, relativ zur mkdocs.yml.", "The vocabulary file, relative to mkdocs.yml."),
    "organisations_dir": ("Ordner der Organisationsprofile, innerhalb von docs_dir.", "Folder of the organisation profiles, inside docs_dir."),
    "cases_dir": ("Ordner der Fallstudien, relativ zur mkdocs.yml (außerhalb von docs_dir).",
                  "Folder of the case studies, relative to mkdocs.yml (outside docs_dir)."),
    "cases_url": ("Adressteil der Fallstudien-Seiten, z. B. cases für /cases/name-der-fallstudie/.", "URL segment of the case study pages, e.g. cases for /cases/name-of-the-case/."),
    "similar_count": ("Wie viele Organisationen „Organisationen wie ihr“ höchstens zeigt.", "How many organisations 'Organisationen wie ihr' shows at most."),
    "similar_min_score": ("Kleinste Ähnlichkeit (0 bis 1), ab der eine Organisation dort erscheint.",
                          "Minimum similarity score (0 to 1) for an organisation to be listed there."),
    "privacy_allowlist": (("Reguläre Ausdrücke für Kontaktdaten, die veröffentlicht werden dürfen (Rollenadressen wie kontakt@); "
                           "ersetzt die Voreinstellung."),
                          "Regular expressions for contact data that may be published (role addresses such as kontakt@); replaces the default."),
    "taxonomies": ("Die Taxonomien (Zielgruppen, Software, …) mit Titel, Adressteil und Gewicht; leer heißt: die fünf Standard-Taxonomien.",
                   "The taxonomies (target groups, software, ...) with title, URL segment and weight; empty means the five default ones."),
    "collaboration_guide": ("Die Seite (in docs_dir), die erklärt, wie Datenkooperationen gelingen; Datenpool-Vorschläge verlinken sie, "
                            "wenn es sie gibt.", "The page (in docs_dir) explaining how data collaboration works; data-pool suggestions "
                            "link to it if it exists."),
    "content_security_policy": ("Jede Seite bekommt eine Sicherheitsrichtlinie (Content-Security-Policy); false lässt sie weg.",
                                "Every page gets a Content-Security-Policy meta element; false leaves it out."),
    "kinds": ("Weitere Arten von Einträgen, oder Änderungen an den vorhandenen (organisation, case), in der Form von core/kinds.yml.",
              "Further content kinds, or changes to the built-in ones (organisation, case), in the form of core/kinds.yml."),
    "content_security_policy_sources": ("Zusätzliche erlaubte Quellen je Direktive, z. B. img-src: [\"https://bilder.example.org\"].",
                                        "Extra allowed sources per directive, e.g. img-src: [\"https://bilder.example.org\"]."),
}
TAXONOMY_OPTION_DOCS: dict[str, tuple[str, str]] = {
    "key": ("Feldname im Kopfbereich, z. B. target_groups.", "Front-matter key, e.g. target_groups."),
    "title": ("Titel (Mehrzahl), z. B. Zielgruppen.", "Title (plural), e.g. Zielgruppen."),
    "singular": ("Einzahl für Erklärungen, z. B. Zielgruppe.", "Singular used in explanations, e.g. Zielgruppe."),
    "url": ("Adressteil der Begriffsseiten, z. B. zielgruppen.", "URL segment of the term pages, e.g. zielgruppen."),
    "weight": ("Gewicht in der Ähnlichkeit; 0 lässt die Taxonomie außen vor.", "Weight in the similarity score; 0 ignores the taxonomy."),
    "multiple": ("true: eine Liste von Begriffen; false: genau ein Begriff (z. B. Region).",
                 "true: a list of terms; false: a single term (e.g. region)."),
    "required_for": ("Für welche Arten von Einträgen mindestens ein Begriff Pflicht ist (organisation, case).",
                     "Which kinds of entries must name at least one term (organisation, case)."),
    "pools": ("Worüber die Begriffe etwas sagen, z. B. target_groups bei den Daten: Wo mindestens drei Organisationen dieselben Daten "
              "über dieselbe Zielgruppe erheben, schlagen die Begriffsseiten vor, sie gemeinsam auszuwerten.",
              "What the terms are about, e.g. target_groups for the data: where at least three organisations collect the same data "
              "about the same target group, the term pages suggest pooling it."),
}

def taxonomies_from(config: CasebookConfig) -> tuple[Taxonomy, ...]:
    if not config.taxonomies:
        return DEFAULT_TAXONOMIES
    return tuple(
        Taxonomy(t.key, t.title, t.singular, t.url, float(t.weight), t.multiple, tuple(t.required_for), pools=t.pools)
        for t in config.taxonomies
    )


# The options that name the built-in kinds' folders and URLs, kept from before kinds were declarations.
FOLDER_OPTIONS = {"organisation": "organisations_dir", "case": "cases_dir"}


def kinds_from(config: CasebookConfig, root: Path, docs_dir: Path, everything: bool = False) -> tuple[ContentKind, ...]:
    """The declared kinds the site uses: an optional built-in kind (events) only once its folder exists,
    or when mkdocs.yml names it under `kinds:`; ``everything`` includes the optional ones not in use."""
    changes: dict[str, dict[str, object]] = {"organisation": {"folder": config.organisations_dir}, "case": {"folder": config.cases_dir, "url": config.cases_url}}
    for name, declared in config.kinds.items():
        changes[name] = {**changes.get(name, {}), "optional": False, **declared}
    return tuple(kind for kind in load_kinds(changes) if everything or not kind.optional or folder_of(kind, root, docs_dir).is_dir())


def folder_of(kind: ContentKind, root: Path, docs_dir: Path) -> Path:
    return (docs_dir if kind.in_docs_dir else root) / kind.folder


def paths_from(config: CasebookConfig, root: Path, docs_dir: Path, kinds: tuple[ContentKind, ...]) -> Paths:
    """Where the knowledge base lives, for the build and the command-line tools alike; ``root`` holds mkdocs.yml."""
    folders = {kind.name: folder_of(kind, root, docs_dir) for kind in kinds}
    return Paths(root, folders, root / config.vocabulary, {kind.name: FOLDER_OPTIONS.get(kind.name, f"kinds.{kind.name}.folder") for kind in kinds})


def settings_from(config: CasebookConfig, root: Path, docs_dir: Path) -> Settings:
    """The knowledge-base settings, shared by the build and the command-line checker so both apply the same rules."""
    return Settings(taxonomies_from(config), config.similar_count, float(config.similar_min_score), tuple(config.privacy_allowlist),
                    kinds_from(config, root, docs_dir))


# The Markdown extensions the page templates rely on: attr_list for Material's { data-search-exclude } on the
# headings of sections that only list other pages. The plugin adds any a site's mkdocs.yml lacks, the checker too.
TEMPLATE_EXTENSIONS = ("attr_list",)


def missing_extensions(configured: Iterable[str]) -> list[str]:
    """Those of TEMPLATE_EXTENSIONS that ``configured`` lacks, also under their dotted names (markdown.extensions.attr_list)."""
    present = {name.rsplit(".", 1)[-1] for name in configured}
    return [name for name in TEMPLATE_EXTENSIONS if name not in present]
