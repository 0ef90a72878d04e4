"""End to end: the fixture site built with real MkDocs, checked on the HTML readers get."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

from conftest import Build, build_site

ORGANISATIONS = ["alpha-verein", "beta-netzwerk", "gamma-hilfe", "delta-kreis"]
CASES = ["gemeinsame-statistik", "lernpatenschaften"]
# Hosts from which a browser would load fonts or scripts; the built site must never name them. Material's
# JavaScript bundle itself names unpkg.com, for a mermaid loader and a ResizeObserver polyfill that only run on
# pages with diagrams or in browsers from before 2020; the browser tests watch the requests actually made.
FONT_HOSTS = ("fonts.googleapis.com", "fonts.gstatic.com")
CDN_HOSTS = (*FONT_HOSTS, "cdn.jsdelivr.net", "cdnjs.cloudflare.com", "unpkg.com")


class Outline(HTMLParser):
    """Text of headings, links inside the primary navigation, and list items by CSS class."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[str] = []
        self.nav_links: list[str] = []
        self.items: dict[str, list[str]] = {}  # class of the <ul>/<ol> -> text of each <li>
        self._nav_depth = 0
        self._heading: list[str] | None = None
        self._list: list[str] = []
        self._item: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "nav" and (self._nav_depth or "md-nav--primary" in (attributes.get("class") or "")):
            self._nav_depth += 1
        if tag == "a" and self._nav_depth:
            self.nav_links.append(attributes.get("href") or "")
        if tag in ("h1", "h2"):
            self._heading = []
        if tag in ("ul", "ol"):
            self._list.append(attributes.get("class") or "")
        if tag == "li" and self._list and self._list[-1].startswith("casebook-"):
            self._item = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav" and self._nav_depth:
            self._nav_depth -= 1
        if tag in ("h1", "h2") and self._heading is not None:
            self.headings.append("".join(self._heading).replace("¶", "").strip())
            self._heading = None
        if tag == "li" and self._item is not None:
            self.items.setdefault(self._list[-1], []).append(" ".join("".join(self._item).split()))
            self._item = None
        if tag in ("ul", "ol") and self._list:
            self._list.pop()

    def handle_data(self, data: str) -> None:
        for collected in (self._heading, self._item):
            if collected is not None:
                collected.append(data)


def outline(build: Build, url: str) -> Outline:
    parser = Outline()
    parser.feed(build.html(url))
    return parser


def test_term_pages_list_organisations_and_cases_with_counts(fixture_build: Build) -> None:
    page = outline(fixture_build, "zielgruppen/senior-innen/")
    assert page.headings[:3] == ["Senior*innen", "Organisationen (2)", "Fallstudien (1)"]
    entries = page.items["casebook-list"]
    assert [item.split(" (fiktiv)")[0] for item in entries] == ["Alpha-Verein", "Beta-Netzwerk", "Gemeinsame Statistik"]
    assert "Ältere Menschen." in fixture_build.html("zielgruppen/senior-innen/")  # the description from the vocabulary
    for url in ("software/excel/", "themen/beratung/", "daten/beratungsstatistik/", "regionen/bundesweit/"):
        assert "Organisationen (" in fixture_build.html(url)


def test_unused_vocabulary_terms_get_an_empty_page(fixture_build: Build) -> None:
    assert "Organisationen (0)" in fixture_build.html("regionen/bundesweit/")


def test_profiles_link_back_to_their_cases_and_cases_to_their_organisations(fixture_build: Build) -> None:
    alpha = fixture_build.html("organisations/alpha-verein/")
    assert 'href="../../cases/gemeinsame-statistik/">Gemeinsame Statistik (fiktiv)</a>' in alpha
    case = fixture_build.html("cases/gemeinsame-statistik/")
    assert '<a href="../../organisations/alpha-verein/">Alpha-Verein (fiktiv)</a>, <a href="../../organisations/gamma-hilfe/">' in case
    assert "Diese Organisation ist noch an keiner Fallstudie beteiligt." in fixture_build.html("organisations/beta-netzwerk/")


def test_similar_organisations_with_reasons(fixture_build: Build) -> None:
    alpha = outline(fixture_build, "organisations/alpha-verein/")
    assert "Organisationen wie ihr" in alpha.headings
    similar = alpha.items["casebook-similar"]
    assert "Beta-Netzwerk (fiktiv) Gemeinsam: Zielgruppe Senior*innen · Software CiviCRM · Region Berlin" in similar
    assert "Gamma-Hilfe (fiktiv) Gemeinsam: Software Excel · Thema Beratung · Daten Beratungsstatistik" in similar
    assert all("Alpha-Verein" not in item for item in similar)  # never similar to itself
    for slug in ORGANISATIONS:
        assert "Organisationen wie ihr" in outline(fixture_build, f"organisations/{slug}/").headings


def test_cases_suggest_organisations_that_are_not_involved_yet(fixture_build: Build) -> None:
    case = outline(fixture_build, "cases/gemeinsame-statistik/")
    assert "Organisationen wie ihr" in case.headings
    suggested = case.items["casebook-similar"]
    assert suggested and not any(name in item for item in suggested for name in ("Alpha-Verein", "Gamma-Hilfe"))
    assert any(item.startswith("Beta-Netzwerk (fiktiv) Gemeinsam: Zielgruppe Senior*innen") for item in suggested)


def test_overview_pages(fixture_build: Build) -> None:
    organisations = outline(fixture_build, "organisations/")
    assert organisations.headings[0] == "Organisationen"
    html = fixture_build.html("organisations/")
    # Generated links go up to the site root and down again, so they read the same on every page of a depth.
    assert [html.index(f'href="../organisations/{slug}/"') for slug in ("alpha-verein", "beta-netzwerk", "delta-kreis", "gamma-hilfe")] == sorted(
        html.index(f'href="../organisations/{slug}/"') for slug in ("alpha-verein", "beta-netzwerk", "delta-kreis", "gamma-hilfe"))
    cases = outline(fixture_build, "cases/").items["casebook-list"]
    assert [item.split(" (fiktiv)")[0] for item in cases] == ["Gemeinsame Statistik", "Lernpatenschaften"]  # newest first
    taxonomy = fixture_build.html("zielgruppen/")
    assert re.search(r'href="\.\./zielgruppen/senior-innen/">Senior\*innen</a></td><td>2</td><td>1</td>', taxonomy)


def test_navigation_lists_overviews_but_no_individual_pages(fixture_build: Build) -> None:
    links = outline(fixture_build, "").nav_links
    assert {"organisations/", "cases/", "zielgruppen/", "software/", "regionen/"} <= set(links)
    individual = [link for link in links if any(slug in link for slug in ORGANISATIONS + CASES + ["senior-innen", "civicrm"])]
    assert individual == []


def test_every_entry_has_exactly_one_page(fixture_build: Build) -> None:
    for slug in ORGANISATIONS:
        assert outline(fixture_build, f"organisations/{slug}/").headings[0].endswith("(fiktiv)")
    for slug in CASES:
        assert outline(fixture_build, f"cases/{slug}/").headings[0].endswith("(fiktiv)")
    assert sorted(p.parent.name for p in (fixture_build.site / "organisations").glob("*/index.html")) == sorted(ORGANISATIONS)


def test_vocabulary_file_is_not_published(fixture_build: Build) -> None:
    assert not list(fixture_build.site.rglob("vokabular*"))
    index = json.loads((fixture_build.site / "search/search_index.json").read_text(encoding="utf-8"))
    assert not [doc["location"] for doc in index["docs"] if "vokabular" in doc["location"]]


def test_pages_are_german(fixture_build: Build) -> None:
    pages = sorted(fixture_build.site.rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        assert '<html lang="de"' in page.read_text(encoding="utf-8"), page


def test_no_external_host_in_html_css_or_js(fixture_build: Build) -> None:
    """Readers' browsers talk only to this site: no fonts, scripts or styles from elsewhere."""
    for path in sorted(fixture_build.site.rglob("*")):
        if path.suffix not in (".html", ".css", ".js", ".json", ".xml") or path.name.endswith(".map"):
            continue
        text = path.read_text(encoding="utf-8")
        assert not [host for host in (FONT_HOSTS if path.suffix == ".js" else CDN_HOSTS) if host in text], path
        if path.suffix == ".css":
            assert not re.search(r"(url\(|@import)\s*['\"]?\s*(https?:)?//", text), path
        if path.suffix == ".html":
            resources = re.findall(r"<(?:script|img|iframe|source|video|audio)\b[^>]*\bsrc=\"((?:https?:)?//[^\"]+)\"", text)
            resources += [href for rel, href in re.findall(r"<link\b[^>]*\brel=\"([^\"]+)\"[^>]*\bhref=\"((?:https?:)?//[^\"]+)\"", text)
                          if rel not in ("canonical", "alternate")]
            assert resources == [], path


def test_search_index_is_written(fixture_build: Build) -> None:
    index = json.loads((fixture_build.site / "search/search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == ["de"]
    locations = {doc["location"] for doc in index["docs"]}
    assert {"organisations/alpha-verein/", "cases/lernpatenschaften/", "zielgruppen/senior-innen/"} <= locations


def test_search_finds_an_entry_on_its_own_page_not_on_pages_listing_it(fixture_build: Build) -> None:
    index = json.loads((fixture_build.site / "search/search_index.json").read_text(encoding="utf-8"))

    def pages_with(text: str) -> set[str]:
        return {doc["location"].split("#")[0] for doc in index["docs"] if text in doc["text"] or text in doc["title"]}

    # Term pages, overviews and the "Organisationen wie ihr" lists of other profiles repeat Alpha's name and summary.
    assert "Beratung für ältere Menschen in Berlin." in fixture_build.html("zielgruppen/senior-innen/")
    assert pages_with("Beratung für ältere Menschen in Berlin.") == {"organisations/alpha-verein/"}
    assert pages_with("Gemeinsam:") == set()
    assert "zielgruppen/senior-innen/" in pages_with("Senior*innen")  # the term page itself is still found


def test_sections_listing_other_pages_are_no_search_results(fixture_build: Build) -> None:
    """Readers searching "Organisationen" or "Fallstudie" would otherwise get every profile, for its heading
    "Organisationen wie ihr" or its line "noch an keiner Fallstudie beteiligt"; the fixture site has no attr_list,
    which the plugin turns on for the headings' { data-search-exclude }."""
    index = json.loads((fixture_build.site / "search/search_index.json").read_text(encoding="utf-8"))
    titles = {doc["title"] for doc in index["docs"] if "#" in doc["location"]}  # sections, not whole pages like cases/
    listing = {"Organisationen wie ihr", "Passt zu eurem Bedarf", "Wer sucht, was ihr bietet", "Fallstudien", "Kommende Termine",
               "Vergangene Termine", "Daten gemeinsam auswerten", "Erfahrungen aus der Praxis", "Häufig gemeinsam genannt"}
    assert titles & listing == set()
    assert [title for title in titles if re.fullmatch(r"\w+ \(\d+\)", title)] == []  # "Organisationen (3)" on term pages
    assert [doc["location"] for doc in index["docs"] if "an keiner Fallstudie" in doc["text"]] == []
    # Nor the notes every fictitious entry and every term page repeat ("Fiktives Beispiel", "Organisation mit … eintragen").
    texts = " ".join(doc["text"] for doc in index["docs"])
    assert "So sieht ein Eintrag" not in texts and "Organisation mit Zielgruppe" not in texts
    assert [doc for doc in index["docs"] if doc["location"].startswith("zielgruppen/senior-innen/") and "Alle Zielgruppen" in doc["text"]] == []
    assert "So sieht ein Eintrag" in fixture_build.html("organisations/alpha-verein/")  # still on the page
    assert "Organisation mit Zielgruppe „Senior*innen“ eintragen" in fixture_build.html("zielgruppen/senior-innen/")
    assert {"Was wir anbieten", "Was wir brauchen", "Was wir gelernt haben"} <= titles  # what entries say about themselves
    profile = fixture_build.html("organisations/alpha-verein/")
    assert 'href="#organisationen-wie-ihr"' in profile and "data-search-exclude }" not in profile  # still in the table of contents


def test_site_dir_contains_no_sources(fixture_build: Build) -> None:
    assert sorted(fixture_build.site.rglob("*.md")) == []


def test_a_term_template_that_drops_entries_fails_the_build(site_copy) -> None:
    """The completeness check: a site's template override must not make entries vanish from term pages."""
    config = site_copy / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  font: false\n", "  font: false\n  custom_dir: overrides\n"), encoding="utf-8")
    (site_copy / "overrides/casebook").mkdir(parents=True)
    (site_copy / "overrides/casebook/term.md").write_text("<p>{{ term.label }}</p>\n", encoding="utf-8")
    build = build_site(site_copy)
    assert build.returncode != 0
    assert ("ERROR   -  casebook: docs/organisations/alpha-verein.md: target_groups: Der Eintrag fehlt auf der Seite des Begriffs "
            "'Senior*innen' (zielgruppen/senior-innen.md).") in build.output


def test_privacy_guard_and_its_allowlist_in_mkdocs_yml(site_copy) -> None:
    profile = site_copy / "docs/organisations/beta-netzwerk.md"
    profile.write_text(profile.read_text(encoding="utf-8") + "\nFragen an max.muster@example.org.\n", encoding="utf-8")
    build = build_site(site_copy)
    assert build.returncode != 0
    assert ("WARNING -  casebook: docs/organisations/beta-netzwerk.md:13: Hier steht vermutlich eine persönliche E-Mail-Adresse "
            "('max.muster@example.org').") in build.output
    config = site_copy / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    # The allowlist replaces the defaults, so the fixture's kontakt@ address is listed again.
    config.write_text(text.replace("      similar_count: 3\n", "      similar_count: 3\n      privacy_allowlist: ['^max\\.muster@', '^kontakt@']\n"),
                      encoding="utf-8")
    assert build_site(site_copy).returncode == 0
    config.write_text(text.replace("      similar_count: 3\n", "      similar_count: 3\n      privacy_allowlist: ['(']\n"), encoding="utf-8")
    broken = build_site(site_copy)
    assert broken.returncode != 0 and "Kein gültiger regulärer Ausdruck: '('" in broken.output


def test_a_persons_address_in_contact_fails_strict_and_the_checker_but_role_addresses_and_pages_pass(site_copy) -> None:
    profile = site_copy / "docs/organisations/alpha-verein.md"
    original = profile.read_text(encoding="utf-8")
    profile.write_text(original.replace("contact: kontakt@example.org", "contact: anna.mueller@example.org"), encoding="utf-8")
    build = build_site(site_copy)
    assert build.returncode != 0
    expected = ("docs/organisations/alpha-verein.md:10: contact: Hier steht vermutlich eine persönliche E-Mail-Adresse "
                "('anna.mueller@example.org'). (Hinweis: Persönliche Kontaktdaten")
    assert f"ERROR   -  casebook: {expected}" in build.output
    checker = subprocess.run([str(Path(sys.executable).parent / "casebook"), "check"], cwd=site_copy, capture_output=True, text=True)
    assert checker.returncode == 1 and f"Fehler: {expected}" in checker.stdout
    for contact in ("info@example.org", "https://example.org/kontakt"):
        profile.write_text(original.replace("contact: kontakt@example.org", f"contact: {contact}"), encoding="utf-8")
        assert build_site(site_copy).returncode == 0, contact


def test_without_an_explicit_nav_sections_have_german_titles(site_copy) -> None:
    config = site_copy / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.split("nav:\n", 1)[0], encoding="utf-8")
    build = build_site(site_copy)
    assert build.returncode == 0, build.output
    titles = re.findall(r'<label class="md-nav__link"[^>]*>\s*<span class="md-ellipsis">\s*([^<]*?)\s*</span>', build.html(""))
    assert {"Organisationen", "Fallstudien", "Zielgruppen", "Regionen"} <= set(titles), titles
    assert "Organisations" not in titles and "Cases" not in titles
