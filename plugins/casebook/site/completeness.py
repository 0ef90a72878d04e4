"""The build-level promise that nothing is lost: every contributed file has a page, every term lists its entries.

It checks what the build actually rendered, so a site template that drops
entries from term pages, or two files competing for one address, fail the build.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet

from ..core.knowledge import Broken, KnowledgeBase
from ..core.model import Entry, Problem
from .urls import Layout

_HINT = "Das ist ein Fehler der Wissensbasis oder einer angepassten Vorlage, nicht der Datei; bitte meldet ihn."


def check_completeness(kb: KnowledgeBase, layout: Layout, source_paths: Iterable[str],
                       rendered: Mapping[str, AbstractSet[str]]) -> list[Problem]:
    """Problems for files without a page, pages claimed by several files, and entries missing from their term pages.

    ``source_paths`` are all contributed files found on disk (as shown to
    contributors); ``rendered`` maps the source URI of every rendered page to
    the source URIs it links to.
    """
    items: list[Entry | Broken] = [*kb.all_entries(), *kb.broken]
    reported = {p.path for p in kb.problems}
    published = {item.path for item in items}
    problems = []
    for path in sorted(set(source_paths)):
        if path not in published and path not in reported:
            problems.append(Problem(path, "Die Datei wurde weder veröffentlicht noch als fehlerhaft gemeldet.", hint=_HINT))
    claimants: dict[str, list[str]] = {}
    for item in items:
        claimants.setdefault(layout.entry(item.kind, item.slug), []).append(item.path)
    for uri, paths in sorted(claimants.items()):
        if len(paths) > 1:
            problems.append(Problem(paths[-1], f"Mehrere Dateien ergeben dieselbe Seite {uri}: {', '.join(paths)}; nur eine wird gezeigt.",
                                    None, "Dateiname", "Benennt eine der Dateien um."))
        elif uri not in rendered:
            problems.append(Problem(paths[0], f"Für die Datei wurde keine Seite {uri} erzeugt.", hint=_HINT))
    for entry in kb.all_entries():
        for taxonomy in kb.taxonomies:
            for term in entry.terms.get(taxonomy.key, ()):
                term_uri = layout.term(taxonomy, term.slug)
                if layout.entry(entry.kind, entry.slug) not in rendered.get(term_uri, ()):
                    problems.append(Problem(entry.path, f"Der Eintrag fehlt auf der Seite des Begriffs '{term.label}' ({term_uri}).",
                                            None, taxonomy.key, _HINT))
    return problems
