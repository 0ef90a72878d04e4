"""Brokering collaborations end to end: offers and needs, complements on profiles, the Kooperationsbörse and its feed,
challenges, regions with neighbours and the tile map, data-pool suggestions, their JSON-LD and open data, and how
contributors write offers and needs (checker, scaffolder, issue form)."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import feedparser
import yaml

from casebook.core.kinds import DEFAULT_KINDS, kind_named
from casebook.core.model import Entry, Taxonomy, Term
from casebook.core.pools import MIN_POOL, data_pools
from casebook.core.vocabulary import parse_vocabulary
from conftest import Build, build_site, issue_body, run
from schemaorg import problems as schema_problems

REGION = Taxonomy("region", "Regionen", "Region", "regionen", 1.0, multiple=False)


def section(html: str, heading_id: str) -> str:
    """The HTML from a heading to the next h2."""
    start = html.index(f'id="{heading_id}"')
    end = html.find("<h2", start)
    return html[start:end if end > 0 else None]


def linked_slugs(html: str, folder: str = "organisations") -> list[str]:
    return re.findall(rf'href="[./]*{folder}/([a-z0-9-]+)/"', html)


# ---------------------------------------------------------------- profiles


def test_an_organisation_sharing_no_term_but_offering_what_is_needed_is_on_the_profile(fixture_build: Build) -> None:
    alpha = fixture_build.html("organisations/alpha-verein/")
    needed = section(alpha, "passt-zu-eurem-bedarf")
    assert linked_slugs(needed) == ["delta-kreis"]  # Bildung for Kinder und Jugendliche in Sachsen; Alpha: Senior*innen in Berlin
    assert "bietet: " in needed and "Gemeinsam auswerten" in needed and "auch gemeinsam" not in needed
    assert "Gemeinsame Beratungsstatistik." in section(alpha, "was-wir-brauchen")  # the note
    delta = fixture_build.html("organisations/delta-kreis/")
    assert linked_slugs(section(delta, "wer-sucht-was-ihr-bietet")) == ["alpha-verein"]
    assert "sucht: " in section(delta, "wer-sucht-was-ihr-bietet")
    assert "Tragt unter needs ein" in section(delta, "passt-zu-eurem-bedarf")  # what to do to get such a list


def test_complements_are_explained_with_their_note_what_else_is_shared_and_proximity(example_site: Build) -> None:
    page = example_site.html("organisations/familienlotsen-saarbruecken-ost/")
    needed = section(page, "passt-zu-eurem-bedarf")
    items = re.findall(r"<li>.*?</li>", needed, re.DOTALL)
    assert len(items) == 5
    first = items[0]
    assert "abendsonne-seniorenberatung-nuernberg" in first and "Unser Metabase-Dashboard für Beratungsstatistiken aus CiviCRM." in first
    assert "auch gemeinsam: Software" in first
    # Nothing in common but the need and the border: Rheinland-Pfalz neighbours the Saarland.
    assert "inklusionswerkstatt-rheinhessen" in items[-1] and "in Rheinland-Pfalz, eurem Nachbarland" in items[-1]
    assert "auch gemeinsam" not in items[-1]
    leipzig = section(example_site.html("organisations/netzwerk-brueckenschlag-leipzig/"), "passt-zu-eurem-bedarf")
    first = re.findall(r"<li>.*?</li>", leipzig, re.DOTALL)[0]  # Dresden offers the numbers Leipzig needs, in the same Land
    assert "ankerpunkt-ukrainehilfe-dresden" in first and "in eurer Region (Sachsen)" in first


def test_every_example_organisation_has_challenges_offers_and_needs_and_three_pairs_complement_without_a_shared_group(
        example_site: Build) -> None:
    data = json.loads((example_site.site / "daten" / "wissensbasis.json").read_text(encoding="utf-8"))
    organisations = {o["slug"]: o for o in data["organisations"]}
    assert all(o["terms"]["challenges"] and o["terms"]["offers"] and o["terms"]["needs"] for o in organisations.values())
    pairs = {(a, b) for a, o in organisations.items() for b, p in organisations.items()
             if a != b and set(o["terms"]["offers"]) & set(p["terms"]["needs"])
             and not set(o["terms"]["target_groups"]) & set(p["terms"]["target_groups"])}
    assert len(pairs) >= 3
    for giver, taker in pairs:  # each is listed on the profile of the one that needs it (top 5 of those that offer it)
        needed = linked_slugs(section(example_site.html(f"organisations/{taker}/"), "passt-zu-eurem-bedarf"))
        offering = [slug for slug, o in organisations.items() if slug != taker and set(o["terms"]["offers"]) & set(organisations[taker]["terms"]["needs"])]
        assert giver in needed or len(offering) > 5


# ---------------------------------------------------------------- Kooperationsbörse and feed


def test_the_exchange_lists_every_offer_and_need_by_kind_of_collaboration(example_site: Build) -> None:
    page = example_site.html("kooperationsboerse/")
    data = json.loads((example_site.site / "daten" / "wissensbasis.json").read_text(encoding="utf-8"))
    rows = re.findall(r"<tr><td><a href=\"[./]*organisations/([a-z0-9-]+)/\">", page)
    assert len(rows) == sum(len(o["terms"]["offers"]) + len(o["terms"]["needs"]) for o in data["organisations"])
    daten_teilen = section(page, "daten-teilen")
    offering = sorted(o["slug"] for o in data["organisations"] if "daten-teilen" in o["terms"]["offers"])
    assert f"Angeboten von ({len(offering)})" in daten_teilen
    assert "Öffnungszeiten und Plätze unserer Angebote in Hannover." in daten_teilen and "<td>Niedersachsen</td>" in daten_teilen
    assert 'href="../partner-finden/"' in page and 'href="../feeds/bedarfe.xml"' in page
    assert 'href="../partner-finden/?nur-offers=daten-teilen"' in daten_teilen and 'href="../partner-finden/?nur-needs=daten-teilen"' in daten_teilen


def test_the_feed_of_needs_parses_and_names_each_need_with_its_note(example_site: Build) -> None:
    feed = feedparser.parse((example_site.site / "feeds" / "bedarfe.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.title == "Daten fürs Gemeinwohl: Neue Bedarfe" and feed.feed.language == "de"
    by_link = {entry.link.rstrip("/").rsplit("/", 1)[-1]: entry for entry in feed.entries}
    assert len(by_link) == 18
    assert by_link["neustart-neckar"].summary == "Gemeinsam auswerten: Wartezeiten mit anderen Trägern vergleichen und gemeinsam darstellen."
    dates = [entry.updated for entry in feed.entries]
    assert dates == sorted(dates, reverse=True)


# ---------------------------------------------------------------- regions and the map


def test_neighbours_are_symmetric_everywhere_is_near_all_and_mistakes_are_named() -> None:
    text = """region:
  - label: Hessen
    neighbours: [Bayern, Hesen]
  - label: Bayern
    tile: [1, 0]
  - label: bundesweit
    neighbours: alle
  - label: Saarland
    tile: [1, 2, 3]
  - label: Berlin
    neighbours: [Berlin]
    tile: [1, 0]
"""
    vocabulary, problems = parse_vocabulary(text, "vokabular.yml", [REGION])
    terms = vocabulary.terms["region"]
    assert terms["bayern"].neighbours == ("hessen",) and terms["hessen"].neighbours == ("bayern",)
    assert terms["bundesweit"].everywhere and terms["bundesweit"].near(terms["saarland"]) and terms["saarland"].near(terms["bundesweit"])
    assert not terms["saarland"].near(terms["bayern"]) and terms["bayern"].tile == (1, 0) and terms["saarland"].tile is None
    assert sorted((p.line, p.field, p.message) for p in problems) == [
        (3, "region[1]", "Den Nachbarn 'Hesen' gibt es in dieser Liste nicht."),
        (9, "region[4]", "'tile' ist die Stelle auf der Kachelkarte: [Spalte, Zeile], zwei Zahlen von 0 bis 19."),
        (11, "region[5]", "'Berlin' ist hier als Nachbar seiner selbst eingetragen."),
        (12, "region[5]", "Die Kachel [1, 0] hat schon 'Bayern'; auf der Karte wäre nur einer zu sehen.")]
    assert next(p for p in problems if p.line == 3).hint == "Meintet ihr 'Hessen'?"


def test_the_example_vocabulary_carries_the_real_land_borders(example_site: Build) -> None:
    terms = {t["slug"]: t for t in json.loads((example_site.site / "daten" / "wissensbasis.json").read_text(encoding="utf-8"))["terms"]
             if t["taxonomy"] == "region"}
    borders = {"baden-wuerttemberg": 3, "bayern": 4, "berlin": 1, "brandenburg": 5, "bremen": 1, "hamburg": 2, "hessen": 6,
               "mecklenburg-vorpommern": 3, "niedersachsen": 9, "nordrhein-westfalen": 3, "rheinland-pfalz": 4, "saarland": 1,
               "sachsen": 4, "sachsen-anhalt": 4, "schleswig-holstein": 3, "thueringen": 5}
    assert {slug: len(terms[slug]["neighbours"]) for slug in borders} == borders
    assert "saarland" in terms["rheinland-pfalz"]["neighbours"] and "berlin" in terms["brandenburg"]["neighbours"]
    assert terms["bundesweit"]["everywhere"] and terms["online"]["everywhere"]
    assert len({tuple(t["tile"]) for t in terms.values() if t["tile"]}) == 16  # one tile each, none on another


def test_the_region_overview_shows_a_tile_map_whose_tiles_link_and_count_like_the_table(example_site: Build) -> None:
    page = example_site.html("regionen/")
    figure = page[page.index('<figure class="casebook-tilemap"'):page.index("</figure>")]
    tiles = re.findall(r'<a xlink:href="\.\./regionen/([a-z-]+)/" role="link" aria-label="([^"]+)">', figure)
    assert len(tiles) == 16
    table = dict(re.findall(r'<tr><td><a href="\.\./regionen/([a-z-]+)/">[^<]+</a></td><td>(\d+)</td>', page))
    for slug, label in tiles:
        organisations = int(re.search(r": (\d+) Organisation", label).group(1))
        assert organisations == int(table[slug]), slug
        assert (example_site.site / "regionen" / slug / "index.html").is_file()
    assert "Nicht auf der Karte" in figure and "../regionen/bundesweit/" in figure


# ---------------------------------------------------------------- data pools


def organisation(slug: str, groups: list[str], data: list[str]) -> Entry:
    terms = {"target_groups": tuple(Term("target_groups", g, g) for g in groups), "data": tuple(Term("data", d, d) for d in data)}
    return Entry("organisation", slug, f"{slug}.md", slug, "", terms, "")


def test_a_pool_needs_three_organisations_with_the_same_data_about_the_same_group() -> None:
    taxonomies = [Taxonomy("target_groups", "Zielgruppen", "Zielgruppe", "zielgruppen"), Taxonomy("data", "Daten", "Daten", "daten", pools="target_groups")]
    organisations = {"a": organisation("a", ["senioren", "kinder"], ["statistik"]), "b": organisation("b", ["senioren"], ["statistik", "umfrage"]),
                     "c": organisation("c", ["senioren"], ["statistik"]), "d": organisation("d", ["kinder"], ["umfrage"])}
    pools = data_pools(organisations, taxonomies)
    assert MIN_POOL == 3
    assert [(p.data, p.about, p.members) for p in pools[("data", "statistik")]] == [
        (("data", "statistik"), ("target_groups", "senioren"), ("a", "b", "c"))]
    assert pools[("data", "statistik")] == pools[("target_groups", "senioren")]
    assert ("data", "umfrage") not in pools and ("target_groups", "kinder") not in pools


def test_target_group_and_data_pages_suggest_pooling_with_a_reason_and_the_guide(example_site: Build) -> None:
    page = example_site.html("zielgruppen/gefluechtete-aus-der-ukraine/")
    pools = section(page, "daten-gemeinsam-auswerten")
    item = next(li for li in re.findall(r"<li>.*?</li>", pools, re.DOTALL) if "beratungsstatistik" in li)
    assert re.search(r"<strong>3 Organisationen erheben .*Beratungsstatistik.* über .*Geflüchtete aus der Ukraine.*</strong>", item)
    assert sorted(linked_slugs(item)) == ["ankerpunkt-ukrainehilfe-dresden", "kuestenkompass-rostock", "netzwerk-brueckenschlag-leipzig"]
    assert "(Mecklenburg-Vorpommern, Sachsen)" in item
    assert 'href="../../leitfaden/datenkooperation/"' in pools
    assert "Daten gemeinsam auswerten" in example_site.html("daten/beratungsstatistik/")
    assert "Daten gemeinsam auswerten" not in example_site.html("software/civicrm/")


# ---------------------------------------------------------------- challenges, structured data, open data


def test_challenges_have_term_pages_count_in_similarity_and_are_finder_facets(example_site: Build) -> None:
    page = example_site.html("herausforderungen/verstreute-daten/")
    assert "kommentarwache-hamburg" in linked_slugs(page) and "hassmeldungen-gemeinsam-zaehlen" in linked_slugs(page, "cases")
    finder = example_site.html("partner-finden/")
    assert 'data-taxonomy="challenges"' in finder and 'name="nur-offers"' in finder and 'name="nur-needs"' in finder
    assert 'name="nah" value="region"' in finder
    similarity = json.loads((example_site.site / "daten" / "wissensbasis.json").read_text(encoding="utf-8"))["similarity"]
    assert any(["challenges", "verstreute-daten"] in edge["shared"] for edge in similarity)


def test_term_pages_home_and_profiles_carry_valid_schema_org(example_site: Build) -> None:
    def ld(url: str) -> dict:
        return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', example_site.html(url)).group(1))

    term = ld("herausforderungen/verstreute-daten/")
    assert term["@type"] == "DefinedTerm" and term["inDefinedTermSet"]["name"] == "Herausforderungen"
    assert term["url"] == "https://example.org/casebook/herausforderungen/verstreute-daten/"
    home = ld("")
    assert home["@type"] == "WebSite" and home["url"] == "https://example.org/casebook/"
    profile = ld("organisations/neustart-neckar/")
    assert profile["makesOffer"] == [{"@type": "Offer", "itemOffered": {"@type": "Service", "name": "Daten teilen"},
                                      "description": "Wartezeiten auf Beratung und Plätze, monatlich zusammengefasst."}]
    assert profile["seeks"][0]["@type"] == "Demand"
    for node in (term, home, profile):
        assert schema_problems(node) == []


def test_open_data_carries_notes_and_neighbours(example_site: Build) -> None:
    rows = list(csv.DictReader(io.StringIO((example_site.site / "daten" / "organisationen.csv").read_text(encoding="utf-8"))))
    neustart = next(row for row in rows if row["slug"] == "neustart-neckar")
    assert neustart["offers"] == "daten-teilen" and neustart["challenges"] == "wirkung-belegen;keine-zeit-fuer-auswertungen"
    assert neustart["needs_notes"] == "gemeinsam-auswerten: Wartezeiten mit anderen Trägern vergleichen und gemeinsam darstellen."
    terms = list(csv.DictReader(io.StringIO((example_site.site / "daten" / "begriffe.csv").read_text(encoding="utf-8"))))
    assert next(t for t in terms if t["slug"] == "saarland")["neighbours"] == "rheinland-pfalz"
    assert next(t for t in terms if t["slug"] == "online")["neighbours"] == "alle"


# ---------------------------------------------------------------- contributors


def test_offers_with_notes_from_flags_pass_the_checker(site_copy: Path) -> None:
    made = run(site_copy, "new", "organisation", "--yes", "--name", "Eta-Treff (fiktiv)", "--summary", "Ein Treffpunkt.",
               "--target-group", "Senior*innen", "--offer", "Gemeinsam auswerten: Wir haben ein Dashboard.", "--offer", "Daten teilen",
               "--need", "2")
    assert made.returncode == 0, made.stderr
    front = yaml.safe_load((site_copy / "docs/organisations/eta-treff-fiktiv.md").read_text(encoding="utf-8").split("---")[1])
    assert front["offers"] == [{"term": "Gemeinsam auswerten", "note": "Wir haben ein Dashboard."}, "Daten teilen"]
    assert "seeking" not in front
    assert run(site_copy, "check").returncode == 0


def test_an_issue_form_answer_with_notes_becomes_noted_terms(site_copy: Path) -> None:
    body = issue_body({"Name der Organisation": "Theta-Werk (fiktiv)", "Kurzbeschreibung": "Wir testen.", "Zielgruppen": "Senior*innen",
                       "Angebote": "- gemeinsam auswerten: Wir werten mit euch aus, auch: am Wochenende.\n- Daten teilen",
                       "Bedarfe": "Gemeinsam Auswertn"})
    made = run(site_copy, "from-issue", "--kind", "organisation", "-", stdin=body)
    assert made.returncode == 0, made.stderr
    front = yaml.safe_load((site_copy / made.stdout.strip()).read_text(encoding="utf-8").split("---")[1])
    assert front["offers"] == [{"term": "Gemeinsam auswerten", "note": "Wir werten mit euch aus, auch: am Wochenende."}, "Daten teilen"]
    checked = run(site_copy, "check")
    assert "'Gemeinsam Auswertn' steht nicht im Vokabular (Bedarfe). (Hinweis: Meintet ihr 'Gemeinsam auswerten'?" in checked.stdout


def test_an_old_profile_with_seeking_still_builds_shows_it_and_hears_how_to_convert_it(site_copy: Path) -> None:
    profile = site_copy / "docs/organisations/gamma-hilfe.md"
    profile.write_text(profile.read_text(encoding="utf-8").replace("region: Sachsen\n", "region: Sachsen\nseeking: Partner für eine Statistik.\n"),
                       encoding="utf-8")
    built = build_site(site_copy, strict=False)
    assert built.returncode == 0
    assert "seeking: Das Feld 'seeking' ist veraltet" in built.output
    # The example comes from the site's own vocabulary, in the shape the replacement takes (a term with a note).
    assert '''Schreibt es als 'needs' mit Notiz, z. B. needs: [{term: "Gemeinsam auswerten", note: "…"}], und löscht die Zeile.''' in built.output
    assert "Partner für eine Statistik." in section(built.html("organisations/gamma-hilfe/"), "was-wir-brauchen")
    data = json.loads((built.site / "daten" / "wissensbasis.json").read_text(encoding="utf-8"))
    assert next(o for o in data["organisations"] if o["slug"] == "gamma-hilfe")["seeking"] == "Partner für eine Statistik."


def test_a_site_with_its_own_nav_builds_strictly_and_hears_of_the_new_overview_pages(fixture_build: Build) -> None:
    assert "nennt eure nav in mkdocs.yml nicht" in fixture_build.output and "angebote/index.md" in fixture_build.output
    assert (fixture_build.site / "angebote" / "index.html").is_file()


def test_the_declaration_names_offers_and_needs_as_noted_terms_of_one_vocabulary_list() -> None:
    own = {t.key: t for t in kind_named(DEFAULT_KINDS, "organisation").own_taxonomies}
    assert own["offers"].vocabulary_key == own["needs"].vocabulary_key == "collaboration"
    assert own["offers"].answers == "needs" and own["offers"].notes and own["needs"].notes
    assert own["offers"].weight == own["needs"].weight == 0


ROOMS = """      kinds:
        organisation:
          own_taxonomies:
            - {key: offers, title: Angebote, singular: Angebot, url: angebote, vocabulary: collaboration, notes: true, answers: needs}
            - {key: needs, title: Bedarfe, singular: Bedarf, url: bedarfe, vocabulary: collaboration, notes: true}
            - {key: rooms, title: Räume, singular: Raum, url: raeume, vocabulary: rooms, answers: room_needs}
            - {key: room_needs, title: Raumbedarfe, singular: Raumbedarf, url: raumbedarfe, vocabulary: rooms}
"""


def test_a_second_pair_of_offers_and_needs_gets_its_own_kooperationsboerse(site_copy: Path) -> None:
    """A site that adds rooms to lend and to borrow must not lose their exchange behind the first one's fixed address."""
    config = site_copy / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  - casebook:\n", "  - casebook:\n" + ROOMS, 1), encoding="utf-8")
    vocabulary = site_copy / "docs/vokabular.yml"
    vocabulary.write_text(vocabulary.read_text(encoding="utf-8") + "rooms:\n  - label: Seminarraum\n", encoding="utf-8")
    for slug, key in (("alpha-verein", "rooms"), ("beta-netzwerk", "room_needs")):
        profile = site_copy / f"docs/organisations/{slug}.md"
        profile.write_text(profile.read_text(encoding="utf-8").replace("---\n", f"---\n{key}: [Seminarraum]\n", 1), encoding="utf-8")
    (site_copy / "docs/index.md").write_text("# Testseite\n\n<!-- casebook:home -->\n", encoding="utf-8")
    build = build_site(site_copy)
    assert build.returncode == 0, build.output
    assert ('<a class="md-button" href="kooperationsboerse/">Kooperationsbörse</a> '
            '<a class="md-button" href="kooperationsboerse-raeume/">Kooperationsbörse: Räume</a>') in build.html("")
    first, second = build.html("kooperationsboerse/"), build.html("kooperationsboerse-raeume/")
    assert "<title>Kooperationsbörse - Testseite</title>" in first and "Seminarraum" not in first
    assert "<title>Kooperationsbörse: Räume - Testseite</title>" in second
    assert re.search(r'Angeboten von \(1\).*alpha-verein.*Gesucht von \(1\).*beta-netzwerk', second, re.DOTALL)
    room = build.html("raeume/seminarraum/")
    assert '<a href="../../kooperationsboerse-raeume/">Alle Räume und Raumbedarfe in der Kooperationsbörse: Räume</a>' in room
    assert '<a href="../../kooperationsboerse/">Alle Angebote und Bedarfe in der Kooperationsbörse</a>' in build.html("angebote/daten-teilen/")
