"""Rendering without MkDocs: HTML blocks bypass Markdown and come back unchanged."""

from __future__ import annotations

import shutil
from pathlib import Path

import jinja2
import markdown
from conftest import FIXTURE_SITE

from casebook.knowledge import Settings
from casebook.loading import Paths, load
from casebook.model import DEFAULT_TAXONOMIES
from casebook.render import Layout, Rendered, Renderer, environment, stash_html
from casebook.similarity import Match


def test_html_blocks_are_swapped_out_and_restored() -> None:
    source = '## Titel\n\n<ul class="x">\n<li>Eins *nicht kursiv*</li>\n</ul>\n\nText mit *Betonung*.\n\n<p>Zwei</p>\n'
    stashed, blocks = stash_html(source)
    assert blocks == ('<ul class="x">\n<li>Eins *nicht kursiv*</li>\n</ul>', "<p>Zwei</p>\n")
    assert "<" not in stashed
    html = Rendered("T", stashed, html_blocks=blocks).restore(markdown.markdown(stashed))
    # The same page Python-Markdown makes (up to blank lines), without it parsing the HTML.
    assert html.split() == markdown.markdown(source).split()


def test_an_interpolated_value_cannot_end_its_html_block() -> None:
    env = environment()
    env.loader = jinja2.ChoiceLoader([jinja2.DictLoader({"casebook/t.md": "<p>{{ text }}</p>\n"}), env.loader])
    text = env.get_template("casebook/t.md").render(text="Absatz\n\n[klick](javascript:alert(1))")
    stashed, blocks = stash_html(text)
    html = Rendered("T", stashed, html_blocks=blocks).restore(markdown.markdown(stashed))
    assert "<a" not in html and "[klick](javascript:alert(1))" in html


def test_reasons_group_shared_terms_by_taxonomy(tmp_path: Path) -> None:
    root = tmp_path / "site"
    shutil.copytree(FIXTURE_SITE, root)
    kb = load(Paths(root, root / "docs/organisations", root / "cases", root / "docs/vokabular.yml"), Settings(DEFAULT_TAXONOMIES))
    match = Match("x", 0.5, (("software", "excel"), ("topics", "beratung"), ("software", "civicrm")))
    reasons = [(label, taxonomy.key, [t.label for t in terms]) for label, taxonomy, terms in Renderer(kb, Layout(), environment()).explain(match)]
    assert reasons == [("Software", "software", ["Excel", "CiviCRM"]), ("Thema", "topics", ["Beratung"])]
