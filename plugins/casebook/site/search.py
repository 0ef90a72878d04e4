"""Stemmed search-as-you-type for Material's search, in the site's language.

Material appends a wildcard to each typed word and lunr never stems wildcard
terms, so with a stemmed index a whole word such as "Fragebögen" finds
nothing. A small worker in front of Material's stems the typed words first
(see assets/search-worker.js). The theme's documented `config` block points
Material at it (templates/theme/main.html) and tells it Material's own worker,
so nothing in Material's output is rewritten and no file name of its is looked up.
"""

from __future__ import annotations

import json
from pathlib import Path

# Beside Material's worker, which loads its lunr languages relative to the worker script.
WRAPPER = "assets/javascripts/workers/casebook-search.js"
_TEMPLATE = Path(__file__).parent / "assets" / "search-worker.js"


def wrapper_script(language: str) -> str:
    return _TEMPLATE.read_text(encoding="utf-8").replace("LANGUAGE", json.dumps(language))


def stemmed_language(theme_name: str | None, search_options: dict) -> str | None:
    """The language whose stems the wrapper types, when the site's search stems exactly one; None otherwise."""
    languages, pipeline = search_options.get("lang") or [], search_options.get("pipeline") or []
    if theme_name != "material" or len(languages) != 1 or "stemmer" not in pipeline:
        return None
    return str(languages[0])
