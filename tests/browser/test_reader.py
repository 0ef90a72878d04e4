"""The reader's side of the real site in headless Chromium: finder, network, search, accessibility, phones."""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from casebook.core.knowledge import KnowledgeBase, Settings
from casebook.core.loading import Paths, load
from casebook.core.model import DEFAULT_TAXONOMIES
from casebook.core.similarity import SimilarityIndex

from .conftest import ROOT

pytestmark = pytest.mark.browser

PAGE_TYPES = {
    "home": "",
    "profile": "organisations/abendsonne-seniorenberatung-nuernberg/",
    "case": "cases/befragung-willkommensangebote-nrw-hessen/",
    "term": "zielgruppen/senior-innen/",
    "taxonomy": "software/",
    "finder": "partner-finden/?target_groups=senior-innen&software=civicrm",
    "network": "netzwerk/",
    "events": "termine/",
    "event": "termine/vernetzungstreffen-berlin-dezember-2026/",
    "regions": "regionen/",  # the tile map
    "exchange": "kooperationsboerse/",
}


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    paths = Paths(ROOT, {"organisation": ROOT / "docs" / "organisations", "case": ROOT / "cases"}, ROOT / "docs" / "vokabular.yml")
    return load(paths, Settings(DEFAULT_TAXONOMIES, 5, 0.05))  # mkdocs.yml declares the default taxonomies


def expected_ranking(kb: KnowledgeBase, features: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(slug, explanation) per organisation, as SimilarityIndex ranks and explains them."""
    index = SimilarityIndex({slug: e.features for slug, e in kb.organisations.items()}, {t.key: t.weight for t in kb.taxonomies})
    matches = index.similar_to(features, k=len(kb.organisations), min_score=kb.settings.similar_min_score)
    return [(m.key, f"Übereinstimmung {round(m.score * 100)} % · Gemeinsam: " + reason(kb, m.shared)) for m in matches]


def reason(kb: KnowledgeBase, shared: tuple[tuple[str, str], ...]) -> str:
    """The shared terms grouped by taxonomy, in the order of each group's strongest term."""
    groups: dict[str, list[str]] = {}
    for key, slug in shared:
        groups.setdefault(key, []).append(kb.term((key, slug)).label)
    return " · ".join(f"{kb.taxonomy(key).singular if len(labels) == 1 else kb.taxonomy(key).title} {', '.join(labels)}"
                      for key, labels in groups.items())


def shown_ranking(page) -> list[tuple[str, str]]:
    items = page.locator(".casebook-finder__results li")
    return [(item.get_attribute("data-slug"), item.locator(".casebook-reason").inner_text()) for item in items.all()]


@pytest.mark.parametrize("query, features", [
    ("target_groups=senior-innen&software=civicrm", [("target_groups", "senior-innen"), ("software", "civicrm")]),
    ("software=excel", [("software", "excel")]),
    ("target_groups=gefluechtete-aus-der-ukraine,migrant-innen&topics=beratung&region=sachsen",
     [("target_groups", "gefluechtete-aus-der-ukraine"), ("target_groups", "migrant-innen"), ("topics", "beratung"), ("region", "sachsen")]),
])
def test_finder_restores_from_url_and_ranks_like_similarity_index(visit, kb: KnowledgeBase, query: str, features) -> None:
    seen = visit(f"partner-finden/?{query}")
    page = seen.page
    expected = expected_ranking(kb, features)
    assert expected, "the selection should match some organisation"
    page.wait_for_selector(".casebook-finder__results li")
    for key, slug in features:
        assert page.locator(f"input[name={key}][value={slug}]").is_checked()
    shown = shown_ranking(page)
    assert shown == expected[: len(shown)] and len(shown) == min(20, len(expected))
    assert str(len(expected)) in page.locator(".casebook-finder__count").inner_text()


def test_finder_ticking_updates_results_and_url(visit, kb: KnowledgeBase) -> None:
    page = visit("partner-finden/").page
    assert page.locator(".casebook-finder__results li").count() == 0
    page.get_by_label("Software filtern").fill("civi")
    assert page.locator("input[name=software][value=excel]").is_hidden()
    page.get_by_role("checkbox", name=re.compile("CiviCRM")).check()
    page.get_by_role("checkbox", name=re.compile("Pflegende Angehörige")).check()
    page.wait_for_function("() => location.search.includes('target_groups')")
    assert "software=civicrm" in page.url and "target_groups=pflegende-angehoerige" in page.url
    assert shown_ranking(page) == expected_ranking(kb, [("software", "civicrm"), ("target_groups", "pflegende-angehoerige")])[:20]
    assert page.locator("[role=status][aria-live=polite]").inner_text().endswith("die ähnlichsten zuerst.")


def test_finder_narrows_by_offer_and_region_widens_to_neighbours_and_keeps_it_in_the_url(visit, kb: KnowledgeBase) -> None:
    def offering(slug: str) -> set[str]:
        return {key for key, e in kb.organisations.items() if slug in {t.slug for t in e.terms["offers"]}}

    def region(key: str):
        return kb.organisations[key].terms["region"][0]

    page = visit("partner-finden/?nur-offers=daten-teilen").page
    page.wait_for_selector(".casebook-finder__results li")
    assert page.locator("select[name=nur-offers]").input_value() == "daten-teilen"
    assert [slug for slug, _ in shown_ranking(page)] == sorted(offering("daten-teilen"))
    assert all(reason == "Bietet: Daten teilen" for _, reason in shown_ranking(page))

    page.select_option("select[name=nur-region]", "niedersachsen")
    page.wait_for_function("() => location.search.includes('nur-region=niedersachsen')")
    assert [slug for slug, _ in shown_ranking(page)] == sorted(k for k in offering("daten-teilen") if region(k).slug == "niedersachsen")
    page.get_by_label("in unserer Nähe").check()
    page.wait_for_function("() => location.search.includes('nah=region')")
    niedersachsen = kb.terms["region"]["niedersachsen"]
    near = sorted(k for k in offering("daten-teilen") if niedersachsen.near(region(k)))
    assert [slug for slug, _ in shown_ranking(page)] == near and len(near) > 1

    page.get_by_role("checkbox", name=re.compile("Menschen in Armut")).check()  # ranks what the filters let through
    page.wait_for_function("() => location.search.includes('target_groups')")
    ranked = [slug for slug, _ in expected_ranking(kb, [("target_groups", "menschen-in-armut")]) if slug in near]
    assert [slug for slug, _ in shown_ranking(page)] == ranked


def test_a_tile_of_the_map_is_a_link_to_its_region(visit, base_url: str) -> None:
    page = visit("regionen/").page
    tile = page.get_by_role("link", name=re.compile(r"^Bayern: \d+ Organisation"))
    tile.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(base_url + "regionen/bayern/")
    page.go_back()
    page.get_by_role("link", name=re.compile(r"^Sachsen: ")).click()
    page.wait_for_url(base_url + "regionen/sachsen/")


def test_network_renders_filters_and_click_opens_profile(visit, base_url: str) -> None:
    page = visit("netzwerk/", settle="networkidle").page  # the layout has settled where the click lands
    page.wait_for_function("() => window.casebookNetwork && window.casebookNetwork.nodes().length > 0")
    terms = page.evaluate("window.casebookNetwork.nodes(\"[kind = 'term']:visible\").length")
    page.get_by_role("checkbox", name="Themen").check()
    more_terms = page.evaluate("window.casebookNetwork.nodes(\"[kind = 'term']:visible\").length")
    assert 0 < terms < more_terms
    # The force layout starts from random positions: click an organisation that lies in the visible part of the
    # canvas and under no other node, so the click can only land on it. (No scrolling: Cytoscape keeps the canvas's
    # position from before a scroll for a while and would map the click elsewhere.)
    target = page.evaluate("""() => {
        const cy = window.casebookNetwork;
        const box = document.querySelector('.casebook-network__canvas').getBoundingClientRect();
        const visible = (x, y) => x > 10 && y > 10 && x < Math.min(box.width, innerWidth - box.left) - 10 && y < Math.min(box.height, innerHeight - box.top) - 10;
        const alone = (node, at) => cy.nodes(':visible').every(other => {
            if (other.same(node)) return true;
            const b = other.renderedBoundingBox();
            return at.x < b.x1 - 2 || at.x > b.x2 + 2 || at.y < b.y1 - 2 || at.y > b.y2 + 2;
        });
        const node = cy.nodes("[kind = 'organisation']").filter(n => visible(n.renderedPosition().x, n.renderedPosition().y)
                                                              && alone(n, n.renderedPosition())).first();
        const at = node.renderedPosition();
        return {x: box.left + at.x, y: box.top + at.y, url: node.data('url')};
    }""")
    page.mouse.click(target["x"], target["y"])
    page.wait_for_url(base_url + target["url"])  # not expect_navigation: Material's own history updates count as navigations


def test_search_finds_an_inflected_word_from_a_case_body(visit) -> None:
    page = visit("").page
    search = page.locator("input.md-search__input")
    search.click()
    search.press_sequentially("Fragebögen")  # the case bodies only say "Fragebogen"
    page.wait_for_selector(".md-search-result__item")
    hrefs = page.locator(".md-search-result__item a").evaluate_all("links => links.map(a => a.href)")
    assert any("/cases/befragung-willkommensangebote-nrw-hessen/" in href for href in hrefs), hrefs


@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_page_type_is_clean_accessible_in_both_palettes_local_and_fits_a_phone(visit, base_url: str, kind: str) -> None:
    """A visit per page type that then shrinks to a phone's screen, and a visit in the system's dark palette."""
    seen = visit(PAGE_TYPES[kind], settle="networkidle")  # every request the page makes, third-party ones included
    page = seen.page
    assert seen.run_axe() == []
    foreign = [url for url in seen.requests if not url.startswith(base_url) and urlsplit(url).scheme not in ("data", "blob")]
    assert foreign == []

    page.set_viewport_size({"width": 375, "height": 740})  # as a phone turned upright: the page reflows, without a reload
    page.wait_for_function("() => document.documentElement.scrollWidth <= 375", timeout=3000)
    assert seen.console_errors == [] and seen.policy_violations() == []

    dark = visit(PAGE_TYPES[kind], color_scheme="dark")  # Material reads the system's palette when a page loads
    assert dark.page.evaluate("document.body.dataset.mdColorScheme") == "slate"
    assert dark.run_axe() == []
    assert dark.console_errors == [] and dark.policy_violations() == []


def test_screenshots_of_the_main_page_types(visit, tmp_path: Path) -> None:
    """Screenshots go to a temporary folder; CASEBOOK_SCREENSHOTS=docs/assets/screenshots refreshes the README's."""
    screenshots = Path(os.environ.get("CASEBOOK_SCREENSHOTS", tmp_path))
    screenshots.mkdir(parents=True, exist_ok=True)
    shots = {"startseite": "", "profil": PAGE_TYPES["profile"] + "#organisationen-wie-ihr",
             "partner-finden": PAGE_TYPES["finder"], "netzwerk": PAGE_TYPES["network"],
             "passt-zu-eurem-bedarf": PAGE_TYPES["profile"] + "#passt-zu-eurem-bedarf", "kooperationsboerse": PAGE_TYPES["exchange"],
             "regionen": PAGE_TYPES["regions"]}
    for name, url_path in shots.items():
        page = visit(url_path).page
        if name == "netzwerk":
            page.wait_for_function("() => window.casebookNetwork && window.casebookNetwork.nodes().length > 0")
        page.wait_for_timeout(300)
        path = screenshots / f"{name}.png"
        page.screenshot(path=str(path))
        assert path.stat().st_size > 10_000


def test_open_search_with_results_passes_axe(visit) -> None:
    seen = visit("")
    page = seen.page
    page.locator("input.md-search__input").click()
    page.locator("input.md-search__input").press_sequentially("CiviCRM")
    page.wait_for_selector(".md-search-result__item mark")
    page.wait_for_timeout(300)
    assert seen.run_axe() == []
    assert seen.policy_violations() == []


def test_palette_toggle_switches_and_the_open_search_passes_axe_in_dark(visit) -> None:
    seen = visit("")
    page = seen.page
    assert page.evaluate("document.body.dataset.mdColorScheme") == "default"
    page.locator("label[title='Dunkle Darstellung einschalten']").click()
    page.wait_for_function("() => document.body.dataset.mdColorScheme === 'slate'")
    page.locator("input.md-search__input").click()
    page.locator("input.md-search__input").press_sequentially("CiviCRM")
    page.wait_for_selector(".md-search-result__item mark")
    page.wait_for_timeout(300)
    assert seen.run_axe() == []
    page.keyboard.press("Escape")
    page.locator("label[title='Helle Darstellung einschalten']").click()
    page.wait_for_function("() => document.body.dataset.mdColorScheme === 'default'")


def test_print_leaves_out_navigation_and_search_and_keeps_organisations_like_you(visit) -> None:
    page = visit(PAGE_TYPES["profile"]).page
    page.emulate_media(media="print")
    hidden = page.evaluate("""() => ['.md-header', '.md-sidebar--primary', '.md-search', '.md-footer']
        .map(s => document.querySelector(s)).filter(e => e && getComputedStyle(e).display !== 'none').map(e => e.className)""")
    assert hidden == []
    assert page.locator(".casebook-similar").is_visible() and page.locator("h2#organisationen-wie-ihr").is_visible()
    # Instant navigation makes every href absolute, so links to other pages are written out too; chips and permalinks are not.
    written = page.evaluate("""() => [...document.querySelectorAll('article a:not(.headerlink):not(.casebook-term)')]
        .map(a => getComputedStyle(a, '::after').content)""")
    assert len(written) > 3 and all(content.startswith(('" (http', '" (mailto:')) for content in written), written
