"""Rendering without MkDocs: HTML blocks bypass Markdown and come back unchanged."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import jinja2
import markdown

from casebook.core.complements import pairings
from casebook.core.knowledge import KnowledgeBase, Settings
from casebook.core.loading import Paths, load
from casebook.core.model import DEFAULT_TAXONOMIES
from casebook.core.similarity import Match
from casebook.site.render import Rendered, Renderer, environment, stash_html
from conftest import FIXTURE_SITE, directory_urls


def test_html_blocks_are_swapped_out_and_restored() -> None:
    source = '## Titel\n\n<ul class="x">\n<li>Eins *nicht kursiv*</li>\n</ul>\n\nText mit *Betonung*.\n\n<p>Zwei</p>\n'
    stashed, blocks = stash_html(source)
    assert blocks == ('<ul class="x">\n<li>Eins *nicht kursiv*</li>\n</ul>', "<p>Zwei</p>\n")
    assert "<" not in stashed
    html = Rendered("T", stashed, html_blocks=blocks).restore(markdown.markdown(stashed))
    # The same page Python-Markdown makes (up to blank lines), without it parsing the HTML.
    assert html.split() == markdown.markdown(source).split()


def test_a_page_written_out_has_its_html_blocks_back_in_the_markdown() -> None:
    """What the benchmark builds without the plugin: the same page as one Markdown text."""
    source = '## Titel\n\n<ul class="x">\n<li>Eins</li>\n</ul>\n\nText mit *Betonung*.\n\n<p>Zwei</p>\n'
    stashed, blocks = stash_html(source)
    assert Rendered("T", stashed, html_blocks=blocks).written_out(stashed) == source


def test_an_interpolated_value_cannot_end_its_html_block() -> None:
    env = environment()
    env.loader = jinja2.ChoiceLoader([jinja2.DictLoader({"casebook/t.md": "<p>{{ text }}</p>\n"}), env.loader])
    text = env.get_template("casebook/t.md").render(text="Absatz\n\n[klick](javascript:alert(1))")
    stashed, blocks = stash_html(text)
    html = Rendered("T", stashed, html_blocks=blocks).restore(markdown.markdown(stashed))
    assert "<a" not in html and "[klick](javascript:alert(1))" in html


def fixture_kb(tmp_path: Path) -> KnowledgeBase:
    root = tmp_path / "site"
    shutil.copytree(FIXTURE_SITE, root)
    return load(Paths(root, {"organisation": root / "docs/organisations", "case": root / "cases"}, root / "docs/vokabular.yml"), Settings(DEFAULT_TAXONOMIES))


def test_reasons_group_shared_terms_by_taxonomy(tmp_path: Path) -> None:
    kb = fixture_kb(tmp_path)
    match = Match("x", 0.5, (("software", "excel"), ("topics", "beratung"), ("software", "civicrm")))
    reasons = [(label, taxonomy.key, [t.label for t in terms]) for label, taxonomy, terms in Renderer(kb, directory_urls(kb), environment()).explain(match)]
    assert reasons == [("Software", "software", ["Excel", "CiviCRM"]), ("Thema", "topics", ["Beratung"])]


def test_links_depend_on_depth_only_and_cached_fragments_still_count_as_links(tmp_path: Path) -> None:
    kb = fixture_kb(tmp_path)
    env = environment()
    # A site's own chip template wins; it is rendered once per page depth, not once per page.
    renders = []
    env.loader = jinja2.ChoiceLoader([jinja2.DictLoader({"casebook/term_link.html": "{{ record(term.slug) }}<b>{{ link(layout.term(taxonomy, term.slug)) }}</b>"}),
                                      env.loader])
    env.globals["record"] = lambda slug: renders.append(slug) or ""
    renderer = Renderer(kb, directory_urls(kb), env)
    alpha, beta = kb.organisations["alpha-verein"], kb.organisations["beta-netzwerk"]
    first = renderer.entry(alpha, "organisations/alpha-verein/", alpha.body)
    chips_after_first = len(renders)
    second = renderer.entry(beta, "organisations/beta-netzwerk/", beta.body)
    assert "<b>../../zielgruppen/senior-innen/</b>" in "".join(first.html_blocks)
    shared = {t.slug for t in alpha.terms["target_groups"]} & {t.slug for t in beta.terms["target_groups"]}
    assert shared and not shared & set(renders[chips_after_first:])  # the second page reused the first page's chips
    for rendered, entry in ((first, alpha), (second, beta)):
        assert {f"zielgruppen/{t.slug}.md" for t in entry.terms["target_groups"]} <= rendered.links
    top = renderer.overview(kb.kind("organisation"), "organisations/")
    assert 'href="../organisations/alpha-verein/"' in "".join(top.html_blocks)
    assert renderer.link("index.md") == "../"  # from organisations/ up one level to the home page
    renderer.entry(alpha, "", alpha.body)  # a page at the root links to itself as "./", never by an empty href
    assert renderer.link("index.md") == "./"


def test_a_large_data_pool_names_eight_and_links_the_rest_to_the_finder_with_both_terms(tmp_path: Path) -> None:
    root = tmp_path / "site"
    shutil.copytree(FIXTURE_SITE, root)
    for number in range(10):
        (root / "docs/organisations" / f"pool-{number}.md").write_text(
            f"---\nname: Pool {number} (fiktiv)\nsummary: S\ntarget_groups: [Senior*innen]\ndata: [Beratungsstatistik]\n---\n", encoding="utf-8")
    kb = load(Paths(root, {"organisation": root / "docs/organisations", "case": root / "cases"}, root / "docs/vokabular.yml"), Settings(DEFAULT_TAXONOMIES))
    renderer = Renderer(kb, directory_urls(kb), environment(), finder_uri="partner-finden.md")
    data = kb.taxonomy("data")
    page = renderer.term(data, kb.terms["data"]["beratungsstatistik"], "daten/beratungsstatistik/")
    pools = next(block for block in page.html_blocks if "casebook-pools" in block)
    # Alpha-Verein and the ten Pool organisations collect the statistics about seniors: eight named, three in the finder.
    assert "11 Organisationen erheben" in pools and pools.count('href="../../organisations/') == 8
    assert re.search(r'<a href="\.\./\.\./partner-finden[^"?]*\?data=beratungsstatistik&amp;target_groups=senior-innen">3 weitere im Partner-Finder</a>', pools)


def test_the_exchange_shows_the_newest_25_of_a_long_side_and_links_to_all_on_the_term_page(tmp_path: Path) -> None:
    root = tmp_path / "site"
    shutil.copytree(FIXTURE_SITE, root)
    for day in range(1, 31):  # 30 organisations offering to share data, one a day in November
        (root / "docs/organisations" / f"teilt-{day:02}.md").write_text(
            f"---\nname: Teilt {day:02} (fiktiv)\nsummary: S\ntarget_groups: [Senior*innen]\ndate: 2026-11-{day:02}\n"
            f"offers: [{{term: Daten teilen, note: Notiz {day:02}}}]\n---\n", encoding="utf-8")
    kb = load(Paths(root, {"organisation": root / "docs/organisations", "case": root / "cases"}, root / "docs/vokabular.yml"), Settings(DEFAULT_TAXONOMIES))
    pairing = pairings(kb.taxonomies)[0]
    page = Renderer(kb, directory_urls(kb), environment()).exchange("kooperationsboerse/", pairing, "partner-finden.md", "feeds/bedarfe.xml")
    html = "".join(page.html_blocks)
    offered = re.findall(r'<tr><td><a href="\.\./organisations/(teilt-\d\d)/">', html)
    assert offered == [f"teilt-{day:02}" for day in range(30, 5, -1)]  # the 25 newest, newest first
    assert "Angeboten von (30)" in html
    assert '<a href="../angebote/daten-teilen/">Alle 30 ansehen</a> (hier die 25 neuesten)' in html


def test_the_exchange_has_no_empty_region_column_where_no_region_knows_its_neighbours(tmp_path: Path) -> None:
    kb = fixture_kb(tmp_path)  # the fixture's regions have no neighbours, so there is no place to show
    page = Renderer(kb, directory_urls(kb), environment()).exchange("kooperationsboerse/", pairings(kb.taxonomies)[0], "partner-finden.md", "x.xml")
    html = "".join(page.html_blocks)
    assert '<th scope="col">Notiz</th></tr>' in html and "<th scope=\"col\"></th>" not in html
    rows = re.findall(r"<tr><td>.*?</tr>", html)
    assert rows and all(row.count("<td>") == 2 for row in rows)
