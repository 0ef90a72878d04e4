"""Synthetic knowledge bases in the real file format, for the benchmark and for tests.

Everything is drawn from one seeded random generator, so the same arguments
always give byte-identical files.  Terms follow a Zipf-like distribution: a few
target groups and programs are named by very many organisations, most terms by
few.  ``write_site`` writes a casebook site; ``write_baseline`` writes the same
content as hand-written Markdown pages for a site without the plugin.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from casebook.core.kinds import DEFAULT_KINDS
from casebook.core.model import DEFAULT_TAXONOMIES, Entry, Taxonomy, Term, newest_first
from casebook.core.slugs import slugify
from casebook.site.render import EXCHANGE_SHOWN

Feature = tuple[str, str]  # (taxonomy key, term label)

# Number of terms per taxonomy and how many of them one organisation names (min, max).
TERM_COUNTS = {"target_groups": 40, "software": 60, "topics": 80, "data": 60, "challenges": 13, "region": 17}
PER_ORGANISATION = {"target_groups": (1, 4), "software": (0, 4), "topics": (1, 5), "data": (0, 4), "challenges": (0, 3), "region": (1, 1)}
PER_CASE = {"target_groups": (1, 3), "software": (0, 2), "topics": (1, 3), "data": (1, 2), "challenges": (0, 2), "region": (1, 1)}
PER_EVENT = {"target_groups": (0, 2), "software": (0, 2), "topics": (1, 2), "data": (0, 1), "challenges": (0, 1), "region": (1, 1)}
EVENTS_PER_CASE = 0.1  # a community announces about one event for every ten case studies it documents
FORMATS = ("Vernetzungstreffen", "Workshop", "Praxisformat „Gemeinsam machen!“", "Sprechstunde", "Webinar")
# The taxonomies kinds bring with them (core/kinds.yml): the formats of events, with a page and a calendar each, and
# what organisations offer and need, terms of one vocabulary list of kinds of collaboration, each with a note.
OWN = {t.key: t for kind in DEFAULT_KINDS for t in kind.own_taxonomies}
FORMAT, OFFERS, NEEDS = OWN["format"], OWN["offers"], OWN["needs"]
COLLABORATION = ("Daten teilen", "Gemeinsam auswerten", "Erfahrungen mit Software teilen", "Gemeinsame Befragung", "Schulung geben",
                 "Vorlagen und Werkzeuge leihen", "Gemeinsam Förderung beantragen", "Technische Hilfe")
PER_ORGANISATION_NOTED = (0, 2)  # offers, and needs, of one organisation
EXCHANGE = "kooperationsboerse.md"  # the page listing offers and needs
ZIPF_EXPONENT = 1.1

SYLLABLES = ("ka", "lo", "mi", "ren", "sta", "ber", "lin", "do", "fa", "gel", "hau", "sen", "tor", "wal", "den", "nor",
             "ri", "ve", "bach", "feld", "mar", "quel", "tan", "zu")
WORDS = ("Daten", "Verein", "Beratung", "gemeinsam", "Menschen", "wir", "die", "und", "mit", "für", "unsere", "Stadt",
         "Ehrenamt", "Auswertung", "Projekt", "Tabelle", "Zahlen", "jedes", "Jahr", "werden", "Angebote", "vor", "Ort",
         "Nachbarschaft", "Familien", "helfen", "sammeln", "Fragen", "Antworten", "besser", "Wirkung", "zeigen",
         "Förderung", "Bericht", "Team", "Freiwillige", "Kooperation", "im", "Landkreis", "digital", "Termine",
         "Kurse", "offen", "Statistik", "Austausch", "lernen", "aus", "Erfahrung", "neue", "Wege")
NAV = """\
nav:
  - Start: index.md
  - Wissensbasis:
      - organisations/index.md
      - cases/index.md
      - termine/index.md
  - Stichwörter:
{taxonomy_nav}
"""
SITE_URL = "https://example.org/synthetisch/"
CONFIG_HEAD = f"""\
site_name: Synthetische Wissensbasis
site_url: {SITE_URL}
theme:
  name: material
  language: de
  font: false
markdown_extensions:
  - admonition
  - attr_list
  - tables
  - toc:
      permalink: true
validation:
  omitted_files: warn
  unrecognized_links: warn
  anchors: warn
"""


@dataclass(frozen=True)
class Record:
    slug: str
    title: str
    summary: str
    terms: dict[str, list[str]]  # taxonomy key -> term labels
    body: str
    date: datetime.date
    organisations: tuple[str, ...] = ()  # for cases: the organisations involved; for events: the hosts
    start: datetime.datetime | None = None  # for events
    notes: dict[tuple[str, str], str] | None = None  # for organisations: (taxonomy key, label) -> the note on an offer or need


@dataclass(frozen=True)
class Corpus:
    terms: dict[str, list[str]]  # taxonomy key -> labels, most common first
    organisations: list[Record]
    cases: list[Record]
    events: list[Record]

    @property
    def page_count(self) -> int:
        """Pages of the built site: entries, term pages, overviews and the start page."""
        return len(self.organisations) + len(self.cases) + len(self.events) + sum(map(len, self.terms.values())) + len(self.terms) + 5


def generate(organisations: int, cases: int, seed: int = 0, taxonomies: tuple[Taxonomy, ...] = DEFAULT_TAXONOMIES) -> Corpus:
    rng = random.Random(seed)
    terms = {t.key: _labels(rng, t, TERM_COUNTS[t.key]) for t in taxonomies}
    samplers = {key: _zipf_weights(len(labels)) for key, labels in terms.items()}

    def pick(shape: dict[str, tuple[int, int]]) -> dict[str, list[str]]:
        return {key: _sample(rng, terms[key], samplers[key], rng.randint(*shape[key])) for key in terms}

    def pick_event(i: int) -> dict[str, list[str]]:
        return {**pick(PER_EVENT), FORMAT.key: [FORMATS[i % len(FORMATS)]]}

    def pick_noted() -> tuple[dict[str, list[str]], dict[tuple[str, str], str]]:
        noted = {key: rng.sample(COLLABORATION, rng.randint(*PER_ORGANISATION_NOTED)) for key in (OFFERS.key, NEEDS.key)}
        return noted, {(key, label): _sentence(rng, 5, 12) for key, labels in noted.items() for label in labels}

    orgs = []
    for i in range(organisations):
        name = f"{_word(rng).capitalize()}werk {_word(rng).capitalize()} {i + 1}"
        noted, notes = pick_noted()
        orgs.append(Record(slugify(name), name, _sentence(rng, 12, 24), {**pick(PER_ORGANISATION), **noted}, _body(rng), _date(rng),
                           notes=notes))
    org_slugs = [o.slug for o in orgs]
    case_records = []
    for i in range(cases):
        title = f"Gemeinsam {_word(rng)} {_word(rng)} {i + 1}"
        involved = tuple(sorted(rng.sample(org_slugs, min(len(org_slugs), rng.randint(1, 3)))))
        case_records.append(Record(slugify(title), title, _sentence(rng, 12, 24), pick(PER_CASE), _body(rng), _date(rng), involved))
    events = []
    for i in range(round(cases * EVENTS_PER_CASE)):
        title = f"{FORMATS[i % len(FORMATS)]} {_word(rng)} {i + 1}"
        hosts = tuple(sorted(rng.sample(org_slugs, min(len(org_slugs), rng.randint(1, 2)))))
        start = datetime.datetime.combine(_date(rng), datetime.time(rng.choice((10, 14, 17, 18))))
        events.append(Record(slugify(title), title, _sentence(rng, 10, 20), pick_event(i), _body(rng), _date(rng), hosts, start))
    return Corpus({**terms, FORMAT.key: list(FORMATS), OFFERS.key: list(COLLABORATION), NEEDS.key: list(COLLABORATION)}, orgs, case_records, events)


# Shapes of the similarity benchmark. "zipf": the site's vocabulary sizes. "small": a real, small vocabulary,
# where many organisations share the same terms. "ties": every organisation shares one target group and has a
# software of its own, so every score ties: the worst realistic shape for pruning by bounds.
SHAPES = ("zipf", "small", "ties")
SMALL_TERM_COUNTS = {"target_groups": 20, "software": 15, "topics": 30, "data": 20, "challenges": 12, "region": 16}


def synthetic_features(count: int, seed: int = 0, taxonomies: tuple[Taxonomy, ...] = DEFAULT_TAXONOMIES,
                       shape: str = "zipf") -> dict[str, list[Feature]]:
    """Only the features of ``count`` organisations, for timing the similarity engine without files."""
    if shape == "ties":
        return {f"org-{i:06d}": [("target_groups", "alle"), ("software", f"software-{i}")] for i in range(count)}
    rng = random.Random(seed)
    counts = SMALL_TERM_COUNTS if shape == "small" else TERM_COUNTS
    terms = {t.key: [f"{t.url}-{i}" for i in range(counts[t.key])] for t in taxonomies}
    samplers = {key: _zipf_weights(len(labels)) for key, labels in terms.items()}
    return {
        f"org-{i:06d}": [(key, term) for key in terms
                         for term in _sample(rng, terms[key], samplers[key], rng.randint(*PER_ORGANISATION[key]))]
        for i in range(count)
    }


def complement_organisations(count: int, seed: int = 0, shape: str = "zipf") -> tuple[dict[str, Entry], dict[str, Term]]:
    """Organisations for timing complements without files: the features of ``synthetic_features`` as entries, a
    region each (16 in a row, each next to the one before and after, and one everywhere), and up to two offers
    and needs of the collaboration list; in the "ties" shape every organisation offers and needs the same one."""
    rng = random.Random(seed)
    regions = {f"land-{i}": Term("region", f"land-{i}", f"Land {i}", neighbours=tuple(f"land-{j}" for j in (i - 1, i + 1) if 0 <= j < 16))
               for i in range(16)}
    regions["bundesweit"] = Term("region", "bundesweit", "bundesweit", everywhere=True)
    kinds = [Term("collaboration", slugify(label), label) for label in COLLABORATION]
    entries = {}
    for slug, features in synthetic_features(count, seed, shape=shape).items():
        terms: dict[str, list[Term]] = {}
        for key, term in features:
            if key != "region":
                terms.setdefault(key, []).append(Term(key, term, term))
        if shape == "ties":
            region, offers, needs = regions["land-0"], kinds[:1], kinds[:1]
        else:
            region = rng.choice(list(regions.values()))
            offers, needs = rng.sample(kinds, rng.randint(*PER_ORGANISATION_NOTED)), rng.sample(kinds, rng.randint(*PER_ORGANISATION_NOTED))
        entry_terms = {key: tuple(value) for key, value in terms.items()} | {"region": (region,), OFFERS.key: tuple(offers), NEEDS.key: tuple(needs)}
        entries[slug] = Entry("organisation", slug, f"{slug}.md", slug, "", entry_terms, "")
    return entries, regions


def write_site(root: Path, corpus: Corpus, taxonomies: tuple[Taxonomy, ...] = DEFAULT_TAXONOMIES) -> None:
    """A casebook site: profiles in docs/organisations, cases in cases/, a vocabulary and mkdocs.yml."""
    docs = root / "docs"
    (docs / "organisations").mkdir(parents=True, exist_ok=True)
    (root / "cases").mkdir(parents=True, exist_ok=True)
    write_file(root / "mkdocs.yml", CONFIG_HEAD + _plugin_config(taxonomies) + _nav((*taxonomies, *OWN.values())))
    write_file(docs / "index.md", "# Synthetische Wissensbasis\n\nErfundene Einträge für Leistungsmessungen.\n")
    vocabulary_key = {key: OWN[key].vocabulary_key if key in OWN else key for key in corpus.terms}
    lists = {vocabulary_key[key]: labels for key, labels in corpus.terms.items()}  # offers and needs share one list
    write_file(docs / "vokabular.yml", "".join(
        f"{key}:\n" + "".join(f'  - label: "{label}"\n' for label in labels) for key, labels in lists.items()))
    multiple = {t.key: t.multiple for t in (*taxonomies, *OWN.values())}
    for org in corpus.organisations:
        head = [f'name: "{org.title}"', f'summary: "{org.summary}"', *_term_lines(org, multiple),
                f"website: https://example.org/{org.slug}", "contact: kontakt@example.org",
                f"date: {org.date.isoformat()}", "fictitious: true"]
        write_file(docs / "organisations" / f"{org.slug}.md", _front_matter(head) + org.body)
    for case in corpus.cases:
        head = [f'title: "{case.title}"', f'summary: "{case.summary}"', f"organisations: [{', '.join(case.organisations)}]",
                *_term_lines(case, multiple), "status: laufend", f"year: {case.date.year}",
                f'learnings: ["{case.summary}"]', f"date: {case.date.isoformat()}", "fictitious: true"]
        write_file(root / "cases" / f"{case.slug}.md", _front_matter(head) + case.body)
    (docs / "termine").mkdir(parents=True, exist_ok=True)
    for event in corpus.events:
        assert event.start is not None
        head = [f'title: "{event.title}"', f'summary: "{event.summary}"', f"start: {event.start:%Y-%m-%d %H:%M}",
                f"end: {event.start + datetime.timedelta(hours=2):%Y-%m-%d %H:%M}", 'place: "Musterstadt, Beispielweg 1"',
                f"organisations: [{', '.join(event.organisations)}]",
                *_term_lines(event, multiple), f"date: {event.date.isoformat()}", "fictitious: true"]
        write_file(docs / "termine" / f"{event.slug}.md", _front_matter(head) + event.body)


def write_baseline(root: Path, corpus: Corpus, taxonomies: tuple[Taxonomy, ...] = DEFAULT_TAXONOMIES) -> None:
    """The same pages, written by hand: same theme and nav, no casebook plugin, the same links as plain Markdown."""
    docs = root / "docs"
    entries = [("organisations", r) for r in corpus.organisations] + [("cases", r) for r in corpus.cases] + [("termine", r) for r in corpus.events]
    url_of = {t.key: t.url for t in (*taxonomies, *OWN.values())}
    not_in_nav = "".join(f"  /{folder}/*.md\n" for folder in ("organisations", "cases", "termine", *url_of.values())) + f"  /{EXCHANGE}\n"
    write_file(root / "mkdocs.yml", CONFIG_HEAD + "plugins:\n  - search:\n      lang: de\nnot_in_nav: |\n" + not_in_nav + _nav((*taxonomies, *OWN.values())))
    write_file(docs / "index.md", "# Synthetische Wissensbasis\n\nErfundene Einträge für Leistungsmessungen.\n")
    tagged: dict[tuple[str, str], list[tuple[str, Record]]] = {}
    for folder, record in entries:
        facts = "".join(f"- {key}: " + ", ".join(f"[{label}](../{url_of[key]}/{slugify(label)}.md)" + _note(record, key, label)
                                                 for label in labels) + "\n"
                        for key, labels in record.terms.items() if labels)
        write_file(docs / folder / f"{record.slug}.md", f"# {record.title}\n\n{record.summary}\n\n{facts}\n{record.body}")
        for key, labels in record.terms.items():
            for label in labels:
                tagged.setdefault((key, label), []).append((folder, record))
    for folder, records in (("organisations", corpus.organisations), ("cases", corpus.cases), ("termine", corpus.events)):
        write_file(docs / folder / "index.md", f"# {folder}\n\n" + _link_list(("", r) for r in records))
    for key, labels in corpus.terms.items():
        write_file(docs / url_of[key] / "index.md", f"# {key}\n\n" + "".join(f"- [{label}]({slugify(label)}.md)\n" for label in labels))
        for label in labels:
            lines = _link_list((f"../{folder}/", r) for folder, r in tagged.get((key, label), []))
            write_file(docs / url_of[key] / f"{slugify(label)}.md", f"# {label}\n\n{lines}")
    exchange = "".join(f"## {label}\n\n" + "".join(
        f"### {key}\n\n" + "".join(f"- [{r.title}](organisations/{r.slug}.md){_note(r, key, label)} {', '.join(r.terms['region'])}\n"
                                    for r in newest_first(r for _, r in tagged.get((key, label), []))[:EXCHANGE_SHOWN])  # records sort like entries
        + f"- [Alle]({url_of[key]}/{slugify(label)}.md)\n\n" for key in (OFFERS.key, NEEDS.key))
        for label in COLLABORATION)
    write_file(docs / EXCHANGE, f"# Kooperationsbörse\n\n{exchange}")


def _note(record: Record, key: str, label: str) -> str:
    note = (record.notes or {}).get((key, label))
    return f" ({note})" if note else ""


def _plugin_config(taxonomies: tuple[Taxonomy, ...]) -> str:
    lines = ["plugins:", "  - search:", "      lang: de", "  - casebook:", "      taxonomies:"]
    for t in taxonomies:
        lines += [f"        - key: {t.key}", f"          title: {t.title}", f"          singular: {t.singular}",
                  f"          url: {t.url}", f"          weight: {t.weight}", f"          multiple: {str(t.multiple).lower()}"]
        if t.required_for:
            lines.append(f"          required_for: [{', '.join(t.required_for)}]")
        if t.pools:
            lines.append(f"          pools: {t.pools}")
    return "\n".join(lines) + "\n"


def _nav(taxonomies: tuple[Taxonomy, ...]) -> str:
    return NAV.format(taxonomy_nav="".join(f"      - {t.url}/index.md\n" for t in taxonomies))


def _term_lines(record: Record, multiple: dict[str, bool]) -> list[str]:
    lines = []
    for key, labels in record.terms.items():
        if record.notes is not None and key in (OFFERS.key, NEEDS.key):
            lines.append(f"{key}: [{', '.join(f'{{term: {chr(34)}{label}{chr(34)}, note: {chr(34)}{record.notes[(key, label)]}{chr(34)}}}' for label in labels)}]")
        elif multiple[key]:
            lines.append(f"{key}: [{', '.join(f'{chr(34)}{label}{chr(34)}' for label in labels)}]")
        elif labels:
            lines.append(f'{key}: "{labels[0]}"')
    return lines


def _link_list(links: Iterable[tuple[str, Record]]) -> str:
    """A list of links with summaries, like the plugin's; each record with its relative folder prefix."""
    return "".join(f"- [{r.title}]({prefix}{r.slug}.md)  \n  {r.summary}\n" for prefix, r in links)


def _front_matter(lines: list[str]) -> str:
    return "---\n" + "\n".join(lines) + "\n---\n\n"


def _labels(rng: random.Random, taxonomy: Taxonomy, count: int) -> list[str]:
    labels: list[str] = []
    while len(labels) < count:
        label = f"{taxonomy.singular} {_word(rng).capitalize()}"
        if slugify(label) not in map(slugify, labels):
            labels.append(label)
    return labels


def _zipf_weights(count: int) -> list[float]:
    """Cumulative weights: the term of rank r is drawn with probability proportional to 1 / r^s."""
    total, cumulative = 0.0, []
    for rank in range(1, count + 1):
        total += rank ** -ZIPF_EXPONENT
        cumulative.append(total)
    return cumulative


def _sample(rng: random.Random, labels: list[str], cumulative: list[float], count: int) -> list[str]:
    chosen: list[str] = []
    while len(chosen) < count:
        label = rng.choices(labels, cum_weights=cumulative)[0]
        if label not in chosen:
            chosen.append(label)
    return chosen


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3)))


def _sentence(rng: random.Random, shortest: int, longest: int) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(shortest, longest))]
    return " ".join(words).capitalize() + "."


def _body(rng: random.Random) -> str:
    """Two to three sections, 150-300 words in all."""
    headings = ["Wer wir sind", "Unsere Daten", "Unsere Idee für eine Zusammenarbeit"][: rng.randint(2, 3)]
    words_left = rng.randint(150, 300)
    sections = []
    for index, heading in enumerate(headings):
        budget = words_left // (len(headings) - index)
        sentences, used = [], 0
        while used < budget:
            sentence = _sentence(rng, 8, 16)
            sentences.append(sentence)
            used += sentence.count(" ") + 1
        words_left -= used
        sections.append(f"## {heading}\n\n" + " ".join(sentences) + "\n")
    return "\n".join(sections)


def _date(rng: random.Random) -> datetime.date:
    return datetime.date(2020, 1, 1) + datetime.timedelta(days=rng.randrange(5 * 365))


def write_file(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
