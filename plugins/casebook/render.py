"""Rendering pages of the knowledge base through Jinja templates a site can override.

Templates produce Markdown with HTML blocks: headings stay Markdown so they
reach the table of contents and search, everything from front matter goes
through Jinja's autoescaping inside HTML blocks, where Markdown leaves it alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import jinja2

from .graph import star_layout
from .knowledge import Broken, KnowledgeBase
from .model import Entry, Taxonomy, Term
from .similarity import Match

Link = Callable[[str], str]  # target page's source URI -> href relative to the current page


@dataclass(frozen=True)
class Layout:
    """Where each page of the knowledge base lives, as source URIs."""

    organisations: str = "organisations"
    cases: str = "cases"

    def entry(self, kind: str, slug: str) -> str:
        return f"{self.organisations if kind == 'organisation' else self.cases}/{slug}.md"

    def overview(self, kind: str) -> str:
        return f"{self.organisations if kind == 'organisation' else self.cases}/index.md"

    def taxonomy(self, taxonomy: Taxonomy) -> str:
        return f"{taxonomy.url}/index.md"

    def term(self, taxonomy: Taxonomy, slug: str) -> str:
        return f"{taxonomy.url}/{slug}.md"


@dataclass(frozen=True)
class Rendered:
    title: str
    markdown: str
    description: str | None = None


def environment(custom_dir: str | None = None) -> jinja2.Environment:
    """Templates from the site's ``custom_dir`` (e.g. overrides/casebook/term.md) win over ours."""
    loaders: list[jinja2.BaseLoader] = [jinja2.FileSystemLoader(custom_dir)] if custom_dir else []
    loaders.append(jinja2.FileSystemLoader(Path(__file__).parent / "templates"))
    return jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )


class Renderer:
    """Renders the pages of one build.

    What every template needs is an environment global, so that macros are
    imported without context, which lets Jinja import them once instead of
    once per page; ``link`` resolves against the page being rendered.
    """

    def __init__(self, kb: KnowledgeBase, layout: Layout, env: jinja2.Environment) -> None:
        self.kb, self.layout, self.env = kb, layout, env
        self._link: Link = lambda uri: uri
        env.globals.update(kb=kb, layout=layout, explain=self.explain, star_layout=star_layout,
                           link=lambda uri: self._link(uri))

    def _render(self, template: str, link: Link, **context: object) -> str:
        self._link = link
        return self.env.get_template(f"casebook/{template}").render(**context)

    def explain(self, match: Match) -> list[tuple[Taxonomy, Term]]:
        """Why an organisation is similar: the shared terms, strongest first."""
        return [(self.kb.taxonomy(key), self.kb.term((key, slug))) for key, slug in match.shared]

    def entry(self, entry: Entry, link: Link) -> Rendered:
        similar = [(self.kb.organisations[m.key], m) for m in self.kb.similar.get((entry.kind, entry.slug), [])]
        cases = [self.kb.cases[slug] for slug in self.kb.cases_by_organisation.get(entry.slug, [])] if entry.kind == "organisation" else []
        markdown = self._render(f"{entry.kind}.md", link, entry=entry, similar=similar, cases=cases)
        return Rendered(entry.title, markdown, entry.summary)

    def broken(self, broken: Broken, link: Link) -> Rendered:
        return Rendered(broken.slug, self._render("broken.md", link, broken=broken))

    def term(self, taxonomy: Taxonomy, term: Term, link: Link) -> Rendered:
        feature = (taxonomy.key, term.slug)
        organisations = [self.kb.organisations[s] for s in self.kb.organisations_by_term.get(feature, [])]
        cases = [self.kb.cases[s] for s in self.kb.cases_by_term.get(feature, [])]
        markdown = self._render("term.md", link, taxonomy=taxonomy, term=term, organisations=organisations,
                                cases=cases, cooccurring=self.kb.cooccurring(feature))
        return Rendered(term.label, markdown, term.description or None)

    def taxonomy(self, taxonomy: Taxonomy, link: Link) -> Rendered:
        return Rendered(taxonomy.title, self._render("taxonomy.md", link, taxonomy=taxonomy))

    def overview(self, kind: str, link: Link) -> Rendered:
        title = "Organisationen" if kind == "organisation" else "Fallstudien"
        return Rendered(title, self._render(f"{kind}s.md", link))

    # ------------------------------------------------------------ reader pages

    def finder(self, link: Link, data_uri: str) -> Rendered:
        return Rendered("Partner finden", self._render("finder.md", link, data_uri=data_uri),
                        "Organisationen finden, die mit denselben Menschen, derselben Software oder zu denselben Themen arbeiten wie ihr.")

    def network(self, link: Link, data_uri: str, script_uri: str) -> Rendered:
        return Rendered("Netzwerk", self._render("network.md", link, data_uri=data_uri, script_uri=script_uri),
                        "Organisationen und ihre Gemeinsamkeiten als Netz.")

    def home(self, link: Link, finder_uri: str, network_uri: str, top: int = 8, newest: int = 3) -> str:
        """The generated part of the home page: counts, the most used terms per taxonomy, the newest cases."""
        top_terms = {
            t.key: sorted(((term, len(self.kb.organisations_by_term.get((t.key, slug), ()))) for slug, term in self.kb.terms[t.key].items()),
                          key=lambda pair: (-pair[1], pair[0].label.casefold()))[:top]
            for t in self.kb.taxonomies
        }
        return self._render("home.md", link, finder_uri=finder_uri, network_uri=network_uri, top_terms=top_terms,
                            newest_cases=self.kb.newest_cases()[:newest])
