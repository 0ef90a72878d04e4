"""Stemmed search-as-you-type for Material's search, in the site's language.

Material appends a wildcard to each typed word and lunr never stems wildcard
terms, so with a stemmed index a whole word such as "Fragebögen" finds
nothing. A small worker in front of Material's stems the typed words first
(see assets/search-worker.js); pages are pointed at it instead of Material's.
"""

from __future__ import annotations

import json
from pathlib import Path

WORKERS = "assets/javascripts/workers/"
WRAPPER = "casebook-search.js"
_TEMPLATE = Path(__file__).parent / "assets" / "search-worker.js"


def material_worker(theme_dirs: list[str]) -> str | None:
    """File name of Material's search worker (it carries a content hash), or None for other themes."""
    for directory in theme_dirs:
        found = sorted((Path(directory) / WORKERS).glob("search.*.min.js"))
        if found:
            return found[0].name
    return None


def wrapper_script(material_worker_name: str, language: str) -> str:
    # The wrapper lives beside Material's worker, which finds its lunr languages relative to itself.
    return (_TEMPLATE.read_text(encoding="utf-8")
            .replace("LANGUAGE", json.dumps(language))
            .replace("MATERIAL_WORKER", json.dumps(material_worker_name)))


def use_wrapper(html: str, material_worker_name: str) -> str:
    """Points a page's Material config at the wrapper instead of Material's worker."""
    return html.replace(f'{WORKERS}{material_worker_name}"', f'{WORKERS}{WRAPPER}"', 1)
