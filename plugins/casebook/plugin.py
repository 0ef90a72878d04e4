"""The MkDocs adapter: wires the casebook core into MkDocs' build events."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from markupsafe import escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from .config import CasebookConfig, taxonomies_from
from .knowledge import Settings
from .loading import Paths, SourceCache, load
from .render import Layout, Link, Rendered, Renderer, environment

log = get_plugin_logger(__name__)
ASSETS = Path(__file__).parent / "assets"
STYLESHEET = "assets/casebook/casebook.css"


class CasebookPlugin(BasePlugin[CasebookConfig]):
    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup keeps this instance across `mkdocs serve` rebuilds, and with it the cache.
        self.cache = SourceCache()

    def on_config(self, config: MkDocsConfig) -> None:
        root = Path(config.config_file_path).resolve().parent
        self.docs_dir = Path(config.docs_dir).resolve()
        self.paths = Paths(root, self.docs_dir / self.config.organisations_dir,
                           root / self.config.cases_dir, root / self.config.vocabulary)
        self.settings = Settings(taxonomies_from(self.config), self.config.similar_count, float(self.config.similar_min_score))
        self.layout = Layout(self.config.organisations_dir.strip("/"), self.config.cases_url.strip("/"))
        self.env = environment(config.theme.custom_dir)
        config.extra_css.append(STYLESHEET)

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        kb = load(self.paths, self.settings, getattr(self, "cache", None))
        for problem in kb.problems:
            (log.error if problem.severity == "error" else log.warning)(problem.format())
        self.kb, self.renderer = kb, Renderer(kb, self.layout, self.env)
        self.pages: dict[str, Callable[[Link], Rendered]] = {}
        self.bodies: dict[str, str] = {}

        files.append(File.generated(config, STYLESHEET, abs_src_path=str(ASSETS / "casebook.css")))
        vocabulary = files.get_file_from_path(self._docs_uri(self.paths.vocabulary))
        if vocabulary is not None:
            files.remove(vocabulary)  # maintainers' data, not a page for readers
        for entry in [*kb.organisations.values(), *kb.cases.values()]:
            self._source_page(files, config, entry.kind, entry.slug, entry.body,
                              lambda link, entry=entry: self.renderer.entry(entry, link))
        for broken in kb.broken:
            self._source_page(files, config, broken.kind, broken.slug, broken.body,
                              lambda link, broken=broken: self.renderer.broken(broken, link))
        for kind in ("organisation", "case"):
            self._generated_page(files, config, self.layout.overview(kind), lambda link, kind=kind: self.renderer.overview(kind, link),
                                 in_nav=True)
        vocabulary_edit_uri = os.path.relpath(self.paths.vocabulary, self.docs_dir)
        for taxonomy in kb.taxonomies:
            self._generated_page(files, config, self.layout.taxonomy(taxonomy), lambda link, t=taxonomy: self.renderer.taxonomy(t, link),
                                 in_nav=True, edit_uri=vocabulary_edit_uri)
            for term in kb.terms[taxonomy.key].values():
                self._generated_page(files, config, self.layout.term(taxonomy, term.slug),
                                     lambda link, t=taxonomy, term=term: self.renderer.term(t, term, link),
                                     edit_uri=vocabulary_edit_uri)
        return files

    def _source_page(self, files: Files, config: MkDocsConfig, kind: str, slug: str, body: str,
                     render: Callable[[Link], Rendered]) -> None:
        uri = self.layout.entry(kind, slug)
        file = files.get_file_from_path(uri)
        if file is None:  # case studies live outside docs_dir
            path = self.paths.cases / f"{slug}.md"
            file = File.generated(config, uri, abs_src_path=str(path))
            file.edit_uri = os.path.relpath(path, self.docs_dir)
            files.append(file)
        file.inclusion = InclusionLevel.NOT_IN_NAV
        self.pages[uri], self.bodies[uri] = render, body

    def _generated_page(self, files: Files, config: MkDocsConfig, uri: str, render: Callable[[Link], Rendered],
                        in_nav: bool = False, edit_uri: str | None = None) -> None:
        if files.get_file_from_path(uri) is not None:
            return  # the site wrote this page itself
        file = File.generated(config, uri, content="", inclusion=InclusionLevel.UNDEFINED if in_nav else InclusionLevel.NOT_IN_NAV)
        file.edit_uri = edit_uri
        files.append(file)
        self.pages[uri] = render

    def on_page_read_source(self, *, page: Page, config: MkDocsConfig) -> str | None:
        # The body without front matter: MkDocs need not parse the YAML a second time.
        return self.bodies.get(page.file.src_uri)

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        render = self.pages.get(page.file.src_uri)
        if render is None:
            return None

        def link(uri: str) -> str:
            target = files.get_file_from_path(uri)
            return get_relative_url(target.url if target else uri, page.url)

        rendered = render(link)
        # Material prints page.meta.title unescaped, so what came from front matter is escaped here.
        page.meta["title"] = str(escape(rendered.title))
        if rendered.description:
            page.meta["description"] = str(escape(rendered.description))
        return rendered.markdown

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Callable) -> LiveReloadServer:
        for path in (self.paths.cases, self.paths.vocabulary):
            if path.exists() and not path.resolve().is_relative_to(self.docs_dir):
                server.watch(str(path))
        return server

    def _docs_uri(self, path: Path) -> str:
        return os.path.relpath(path, self.docs_dir).replace(os.sep, "/")
