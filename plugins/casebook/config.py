"""The plugin's settings in mkdocs.yml, checked by MkDocs' own config machinery."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c

from .model import DEFAULT_TAXONOMIES, Taxonomy


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
    # Empty means the defaults of model.DEFAULT_TAXONOMIES.
    taxonomies = c.ListOfItems(c.SubConfig(TaxonomyConfig), default=[])


def taxonomies_from(config: CasebookConfig) -> tuple[Taxonomy, ...]:
    if not config.taxonomies:
        return DEFAULT_TAXONOMIES
    return tuple(
        Taxonomy(t.key, t.title, t.singular, t.url, float(t.weight), t.multiple, tuple(t.required_for))
        for t in config.taxonomies
    )
