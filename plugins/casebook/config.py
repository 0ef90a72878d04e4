"""The plugin's settings in mkdocs.yml, checked by MkDocs' own config machinery."""

from __future__ import annotations

import re
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.base import ValidationError

from .knowledge import Settings
from .loading import Paths
from .model import DEFAULT_TAXONOMIES, Taxonomy
from .privacy import DEFAULT_ALLOWLIST


class Pattern(c.Type):
    """A regular expression, refused at config time when it does not compile."""

    def __init__(self) -> None:
        super().__init__(str)

    def run_validation(self, value: object) -> str:
        value = super().run_validation(value)
        try:
            re.compile(value)
        except re.error as error:
            raise ValidationError(f"Kein gültiger regulärer Ausdruck: {value!r} ({error}).") from None
        return value


class TaxonomyConfig(base.Config):
    key = c.Type(str)
    title = c.Type(str)
    singular = c.Type(str)
    url = c.Type(str)
    weight = c.Type((int, float), default=1.0)
    multiple = c.Type(bool, default=True)
    required_for = c.ListOfItems(c.Choice(("organisation", "case")), default=[])


class CasebookConfig(base.Config):
    vocabulary = c.Type(str, default="docs/vokabular.yml")  # relative to mkdocs.yml
    organisations_dir = c.Type(str, default="organisations")  # inside docs_dir
    cases_dir = c.Type(str, default="cases")  # relative to mkdocs.yml, outside docs_dir
    cases_url = c.Type(str, default="cases")
    similar_count = c.Type(int, default=5)
    similar_min_score = c.Type((int, float), default=0.05)
    # Contact data matching one of these regexes is not reported by the privacy guard; replaces the defaults.
    privacy_allowlist = c.ListOfItems(Pattern(), default=list(DEFAULT_ALLOWLIST))
    # Empty means the defaults of model.DEFAULT_TAXONOMIES.
    taxonomies = c.ListOfItems(c.SubConfig(TaxonomyConfig), default=[])
    # A Content-Security-Policy meta element on every page (see csp.py); false leaves it out.
    content_security_policy = c.Type(bool, default=True)
    # Extra sources per directive, e.g. {img-src: ["https://bilder.example.org"]}.
    content_security_policy_sources = c.DictOfItems(c.ListOfItems(c.Type(str)), default={})


def taxonomies_from(config: CasebookConfig) -> tuple[Taxonomy, ...]:
    if not config.taxonomies:
        return DEFAULT_TAXONOMIES
    return tuple(
        Taxonomy(t.key, t.title, t.singular, t.url, float(t.weight), t.multiple, tuple(t.required_for))
        for t in config.taxonomies
    )


def paths_from(config: CasebookConfig, root: Path, docs_dir: Path) -> Paths:
    """Where the knowledge base lives, for the build and the command-line tools alike; ``root`` holds mkdocs.yml."""
    return Paths(root, docs_dir / config.organisations_dir, root / config.cases_dir, root / config.vocabulary)


def settings_from(config: CasebookConfig) -> Settings:
    """The knowledge-base settings, shared by the build and the command-line checker so both apply the same rules."""
    return Settings(taxonomies_from(config), config.similar_count, float(config.similar_min_score), tuple(config.privacy_allowlist))
