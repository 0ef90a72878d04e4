"""The body sanitiser without MkDocs: payloads are removed and reported, ordinary writing passes untouched."""

from __future__ import annotations

import markdown
import pytest

from casebook.core import sanitize
from payloads import ORDINARY_BODY, PAYLOADS, hostile_body, unsafe_parts

EXTENSIONS = ["admonition", "attr_list", "tables", "footnotes", "abbr", "pymdownx.details", "toc", "fenced_code"]


def to_html(body: str) -> str:
    return markdown.Markdown(extensions=EXTENSIONS, extension_configs={"toc": {"permalink": True}}).convert(body)


@pytest.mark.parametrize("number, payload", list(enumerate(PAYLOADS, 1)))
def test_each_payload_is_removed_reported_and_its_neighbour_kept(number: int, payload: str) -> None:
    html = to_html(f"Wort{number}\n\n{payload}\n")
    assert unsafe_parts(html), "the payload should reach the HTML unsanitised, else this case tests nothing"
    cleaned = sanitize.clean(html)
    assert unsafe_parts(cleaned) == []
    assert f"Wort{number}" in cleaned
    assert sanitize.removals(html), "what is removed must be reported"
    assert sanitize.removals(cleaned) == []  # the report and the sanitiser agree on what is unsafe


def test_problems_name_the_line_of_each_payload_in_german() -> None:
    body = hostile_body()
    problems = sanitize.body_problems("cases/fall.md", body, 7, to_html(body))
    lines = body.split("\n")
    for problem in problems:
        assert problem.path == "cases/fall.md" and problem.field == "Textteil" and problem.severity == "error"
        assert "wird entfernt" in problem.message or "wird gekürzt" in problem.message
    by_text = {p.message: p.line for p in problems}
    onclick = by_text["Das Attribut onclick wird entfernt – Skripte sind in Beiträgen nicht erlaubt."]
    assert "onclick" in lines[onclick - 7]
    tab = next(p for p in problems if "jav\\tascript" in p.message)
    assert "&#x09;" in lines[tab.line - 7]  # the obfuscated link is placed on its own line
    script = next(p for p in problems if p.message.startswith("Das Element <script>"))
    assert "Skripte sind in Beiträgen nicht erlaubt" in script.message and "<script>alert(1)" in lines[script.line - 7]


def test_ordinary_writing_passes_untouched() -> None:
    html = to_html(ORDINARY_BODY)
    assert sanitize.removals(html) == []
    cleaned = sanitize.clean(html)
    for kept in ('class="admonition note"', 'class="admonition-title"', "<details", 'id="fnref:1"', 'class="footnote-backref"',
                 '<abbr title="Hypertext Markup Language">', 'class="headerlink"', 'id="was-wir-gemacht-haben"',
                 'style="text-align:right"', 'href="mailto:kontakt@example.org"', 'href="../beta-netzwerk.md"',
                 '<img alt="Ein Bild" loading="lazy" src="bild.png" width="300">', "<blockquote>", "<pre><code>"):
        assert kept in cleaned, kept
    assert 'rel="' not in cleaned  # links stay as Markdown wrote them


def test_only_text_align_survives_in_a_style_attribute() -> None:
    html = '<table><tr><td style="text-align: left; background: url(x)">a</td></tr></table>'
    assert sanitize.clean(html).count("style=") == 1 and "background" not in sanitize.clean(html)
    assert [r.what for r in sanitize.removals(html)] == ["style"]
