"""The controlled vocabulary: canonical terms per taxonomy and how spellings resolve to them."""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field, replace

from .fields import is_https_url
from .model import Problem, Taxonomy, Term
from .slugs import match_key, slugify
from .yamlsource import YamlDocument, YamlSyntaxError, load_yaml

TERM_FIELDS = ("label", "description", "aliases", "website", "neighbours", "tile")
EVERYWHERE = "alle"  # neighbours: alle -- next to every term of the list ("bundesweit", "online")


@dataclass
class Vocabulary:
    path: str = "vokabular.yml"  # where contributors propose new terms
    usable: bool = True  # False: missing or unreadable, reported once; terms are then not checked against it
    # taxonomy key -> term slug -> term, in the order of the vocabulary file
    terms: dict[str, dict[str, Term]] = field(default_factory=dict)
    # taxonomy key -> match key of every label and alias -> term slug
    _lookup: dict[str, dict[str, str]] = field(default_factory=dict)
    # taxonomy key -> every label and alias, for did-you-mean suggestions
    _spellings: dict[str, dict[str, str]] = field(default_factory=dict)

    def add(self, term: Term) -> None:
        self.terms.setdefault(term.taxonomy, {})[term.slug] = term
        for spelling in (term.label, *term.aliases):
            self._lookup.setdefault(term.taxonomy, {})[match_key(spelling)] = term.slug
            self._spellings.setdefault(term.taxonomy, {})[spelling.casefold()] = term.label

    def owner(self, taxonomy: str, spelling: str) -> Term | None:
        slug = self._lookup.get(taxonomy, {}).get(match_key(spelling))
        return None if slug is None else self.terms[taxonomy][slug]

    def resolve(self, taxonomy: str, spelling: str) -> Term:
        """The canonical term for a spelling; an unknown spelling becomes a term of its own."""
        known = self.owner(taxonomy, spelling)
        if known is not None:
            return known
        label = " ".join(spelling.split())
        return Term(taxonomy, slugify(label), label, known=False)

    def suggest(self, taxonomy: str, spelling: str) -> str | None:
        spellings = self._spellings.get(taxonomy, {})
        close = difflib.get_close_matches(spelling.casefold(), list(spellings), n=1, cutoff=0.6)
        return spellings[close[0]] if close else None

    def labels(self, taxonomy: str) -> list[str]:
        return [term.label for term in self.terms.get(taxonomy, {}).values()]


def parse_vocabulary(text: str, path: str, taxonomies: Iterable[Taxonomy], resting: Collection[str] = ()) -> tuple[Vocabulary, list[Problem]]:
    """Read the vocabulary file; every problem is reported, every valid term kept."""
    vocabulary = Vocabulary(path)
    problems: list[Problem] = []
    try:
        document = load_yaml(text)
    except YamlSyntaxError as error:
        vocabulary.usable = False
        return vocabulary, [Problem(path, error.message, error.line, hint=error.hint)]
    if document.data is None:
        return vocabulary, problems
    if not isinstance(document.data, Mapping):
        vocabulary.usable = False
        return vocabulary, [Problem(path, "Das Vokabular muss je Taxonomie eine Liste von Begriffen enthalten.", 1,
                                    hint="Beginnt mit einer Zeile wie 'target_groups:'.")]
    known_keys = list(dict.fromkeys(taxonomy.vocabulary_key for taxonomy in taxonomies))
    for key_path, line in document.duplicate_keys:
        problems.append(Problem(path, "Diese Taxonomie steht zweimal im Vokabular.", line, str(key_path[0]),
                                "Führt beide Listen zu einer zusammen."))
    for key, entries in document.data.items():
        if key in resting:  # the list of a taxonomy whose kind the site does not use yet
            continue
        if key not in known_keys:
            close = difflib.get_close_matches(str(key), known_keys, n=1)
            problems.append(Problem(path, "Diese Taxonomie ist in mkdocs.yml nicht deklariert.", document.line(key), str(key),
                                    f"Meintet ihr '{close[0]}'?" if close else f"Erlaubt sind: {', '.join(known_keys)}.",
                                    severity="warning"))
            continue
        if not isinstance(entries, list):
            problems.append(Problem(path, "Hier wird eine Liste von Begriffen erwartet.", document.line(key), key,
                                    "Schreibt jeden Begriff als Zeile '- label: ...' darunter."))
            continue
        for index, entry in enumerate(entries):
            term, term_problems = _parse_term(key, entry, (key, index), document, path)
            problems.extend(term_problems)
            if term is None:
                continue
            clash = next((vocabulary.owner(key, s) for s in (term.label, *term.aliases) if vocabulary.owner(key, s)), None)
            if clash is not None or term.slug in vocabulary.terms.get(key, {}):
                other = clash.label if clash is not None else vocabulary.terms[key][term.slug].label
                problems.append(Problem(path, f"'{term.label}' kollidiert mit dem Begriff '{other}' (gleiche Schreibweise oder gleiche Adresse).",
                                        document.line(key, index), f"{key}[{index + 1}]",
                                        "Führt beide Begriffe zusammen oder macht einen zum Alias des anderen."))
                continue
            vocabulary.add(term)
        problems.extend(_link_neighbours(vocabulary, key, entries, document, path))
        problems.extend(_shared_tiles(vocabulary, key, entries, document, path))
    return vocabulary, problems


def _link_neighbours(vocabulary: Vocabulary, key: str, entries: list[object], document: YamlDocument, path: str) -> list[Problem]:
    """Neighbours are written as labels on either side; each term gets the slugs of both sides."""
    problems: list[Problem] = []
    neighbours: dict[str, set[str]] = defaultdict(set)
    everywhere: set[str] = set()
    for index, entry in enumerate(entries):
        if not isinstance(entry, Mapping) or "neighbours" not in entry or not isinstance(entry.get("label"), str):
            continue
        term = vocabulary.owner(key, entry["label"])
        if term is None:
            continue
        named = entry["neighbours"]
        if named == EVERYWHERE:
            everywhere.add(term.slug)
            continue
        if not isinstance(named, list) or not all(isinstance(n, str) for n in named):
            problems.append(Problem(path, f"'neighbours' ist eine Liste von Begriffen oder das Wort '{EVERYWHERE}'.",
                                    document.line(key, index, "neighbours"), f"{key}[{index + 1}]", 'Schreibt z. B. neighbours: ["Hessen", "Bayern"].'))
            continue
        for position, label in enumerate(named):
            other = vocabulary.owner(key, label)
            line = document.line(key, index, "neighbours", position) or document.line(key, index, "neighbours")
            if other is None:
                suggestion = vocabulary.suggest(key, label)
                problems.append(Problem(path, f"Den Nachbarn '{label}' gibt es in dieser Liste nicht.", line, f"{key}[{index + 1}]",
                                        f"Meintet ihr '{suggestion}'?" if suggestion else "Tragt die Bezeichnung eines anderen Begriffs der Liste ein."))
            elif other.slug == term.slug:
                problems.append(Problem(path, f"'{label}' ist hier als Nachbar seiner selbst eingetragen.", line, f"{key}[{index + 1}]",
                                        "Löscht den Eintrag; Nachbarn sind die anderen Begriffe daneben.", "warning"))
            else:
                neighbours[term.slug].add(other.slug)
                neighbours[other.slug].add(term.slug)
    for slug, term in list(vocabulary.terms.get(key, {}).items()):
        if slug in neighbours or slug in everywhere:
            vocabulary.terms[key][slug] = replace(term, neighbours=tuple(sorted(neighbours[slug])), everywhere=slug in everywhere)
    return problems


def _shared_tiles(vocabulary: Vocabulary, key: str, entries: list[object], document: YamlDocument, path: str) -> list[Problem]:
    """Two terms on one tile of the map would hide one of them."""
    problems: list[Problem] = []
    placed: dict[tuple[int, int], str] = {}
    for index, entry in enumerate(entries):
        term = vocabulary.owner(key, entry["label"]) if isinstance(entry, Mapping) and isinstance(entry.get("label"), str) else None
        if term is None or term.tile is None:
            continue
        if term.tile in placed:
            problems.append(Problem(path, f"Die Kachel {list(term.tile)} hat schon '{placed[term.tile]}'; auf der Karte wäre nur einer zu sehen.",
                                    document.line(key, index, "tile"), f"{key}[{index + 1}]", "Wählt eine freie Stelle [Spalte, Zeile].", "warning"))
        placed.setdefault(term.tile, term.label)
    return problems


def _parse_term(taxonomy: str, entry: object, at: tuple[str, int], document: YamlDocument, path: str) -> tuple[Term | None, list[Problem]]:
    field_name = f"{taxonomy}[{at[1] + 1}]"
    line = document.line(*at)
    if isinstance(entry, str):  # shorthand: a bare label
        entry = {"label": entry}
    if not isinstance(entry, Mapping) or not isinstance(entry.get("label"), str) or not entry["label"].strip():
        return None, [Problem(path, "Jeder Begriff braucht ein 'label' mit Text.", line, field_name,
                              "Schreibt z. B. '- label: Senior*innen'.")]
    problems = [
        Problem(path, f"Unbekanntes Feld '{name}' bei einem Begriff.", document.line(*at, name), field_name,
                f"Erlaubt sind: {', '.join(TERM_FIELDS)}.", "warning")
        for name in entry if name not in TERM_FIELDS
    ]
    label = " ".join(entry["label"].split())
    aliases = entry.get("aliases") or []
    if isinstance(aliases, str):
        aliases = [aliases]
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        problems.append(Problem(path, "'aliases' muss eine Liste von Texten sein.", document.line(*at, "aliases"), field_name,
                                'Schreibt z. B. aliases: ["ältere Menschen", "Senioren"].'))
        aliases = []
    website = entry.get("website")
    if website is not None and not is_https_url(website):
        problems.append(Problem(path, "'website' muss eine vollständige https-Adresse sein.", document.line(*at, "website"), field_name,
                                "Schreibt z. B. https://civicrm.org."))
        website = None
    description = entry.get("description") or ""
    if not isinstance(description, str):
        problems.append(Problem(path, "'description' muss Text sein.", document.line(*at, "description"), field_name,
                                "Setzt die Beschreibung in Anführungszeichen."))
        description = ""
    tile = entry.get("tile")
    if tile is not None and not (isinstance(tile, list) and len(tile) == 2 and all(isinstance(n, int) and 0 <= n < 20 for n in tile)):
        problems.append(Problem(path, "'tile' ist die Stelle auf der Kachelkarte: [Spalte, Zeile], zwei Zahlen von 0 bis 19.",
                                document.line(*at, "tile"), field_name, "Schreibt z. B. tile: [2, 0]."))
        tile = None
    slug = slugify(label)
    if not slug:
        problems.append(Problem(path, f"Aus '{label}' lässt sich keine Adresse bilden.", line, field_name,
                                "Verwendet Buchstaben oder Ziffern im Label."))
        return None, problems
    return Term(taxonomy, slug, label, description.strip(), website, tuple(" ".join(a.split()) for a in aliases),
                tile=(tile[0], tile[1]) if tile else None), problems

