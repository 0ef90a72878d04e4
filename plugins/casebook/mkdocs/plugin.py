"""The MkDocs adapter: wires the casebook core into MkDocs' build events."""

from __future__ import annotations

import os
import time
from collections import defaultdict
from collections.abc import Callable
from functools import partial, wraps
from pathlib import Path
from typing import cast

from jinja2 import Environment
from markupsafe import Markup, escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url
from mkdocs.utils.templates import TemplateContext

from ..core import sanitize
from ..core.complements import pairings
from ..core.kinds import peer_kind
from ..core.loading import SourceCache, entry_files, load
from ..site import csp, jsonld, search
from ..site.completeness import check_completeness
from ..site.feeds import wants_feed
from ..site.issue_form import new_issue_url
from ..site.published import Writer, published_files
from ..site.render import Rendered, Renderer, environment
from ..site.schema import schema_json, schema_url
from ..site.urls import Layout, SiteUrls
from .config import CasebookConfig, missing_extensions, paths_from, settings_from

log = get_plugin_logger(__name__)
SITE = Path(__file__).parent.parent / "site"
ASSETS = SITE / "assets"
THEME_OVERRIDES = SITE / "templates" / "theme"
STYLESHEET = "assets/casebook/casebook.css"
# The reader's side: scripts and styles shipped with the plugin, the pages using them and their data.
READER_ASSETS = ("reader.js", "reader.css", "vendor/cytoscape.min.js", "vendor/cytoscape.LICENSE")
FINDER, NETWORK, EXCHANGE = "partner-finden.md", "netzwerk.md", "kooperationsboerse.md"
FINDER_DATA, CYTOSCAPE = "assets/casebook/organisationen.json", "assets/casebook/vendor/cytoscape.min.js"
HOME_MARKER = "<!-- casebook:home -->"  # where index.md wants counts, entry points and the newest cases


def _named_in(nav: object) -> set[str]:
    """Every file an explicit nav of mkdocs.yml names."""
    if isinstance(nav, str):
        return {nav}
    items = nav.values() if isinstance(nav, dict) else nav if isinstance(nav, list) else ()
    return set().union(*map(_named_in, items))


def _timed(handler: Callable) -> Callable:
    """Adds the handler's run time to the plugin's ``timings`` (seconds per event; read by scripts/bench.py)."""
    @wraps(handler)
    def timed(self: CasebookPlugin, *args, **kwargs):
        start = time.perf_counter()
        try:
            return handler(self, *args, **kwargs)
        finally:
            self.timings[handler.__name__] += time.perf_counter() - start
            if handler.__name__ == "on_post_build":  # the last event of a build
                log.debug("Zeit in den Ereignissen des Plugins: " + ", ".join(f"{name} {seconds:.3f} s" for name, seconds in self.timings.items()))
    return timed


class CasebookPlugin(BasePlugin[CasebookConfig]):
    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup keeps this instance across `mkdocs serve` rebuilds, and with it the cache.
        self.cache = SourceCache()
        self.serving = command == "serve"  # live reload injects an inline script the policy must allow
        self.dirty = dirty  # `serve --dirty` renders only changed pages, so completeness cannot be judged

    @_timed
    def on_config(self, config: MkDocsConfig) -> None:
        self.timings: defaultdict[str, float] = defaultdict(float)  # on_config starts every build, serve's rebuilds too
        root = Path(config.config_file_path).resolve().parent
        self.docs_dir = Path(config.docs_dir).resolve()
        self.settings = settings_from(self.config, root, self.docs_dir)
        self.paths = paths_from(self.config, root, self.docs_dir, self.settings.kinds)
        self.layout = Layout.of(self.settings.kinds)
        # Filled in on_nav, when MkDocs (and the plugins before ours) have placed every file.
        self.urls = SiteUrls(self.layout, config.site_url or "")
        self.env = environment(config.theme.custom_dir)
        # Our theme partials (no GitHub API calls from readers' browsers) come after the site's custom_dir.
        config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(THEME_OVERRIDES))
        self.env.globals["new_organisation_url"] = new_issue_url(config.repo_url, peer_kind(self.settings.kinds))  # term pages invite entries
        config.markdown_extensions.extend(missing_extensions(config.markdown_extensions))
        config.extra_css.append(STYLESHEET)
        config.extra_css.append("assets/casebook/reader.css")
        config.extra_javascript.append("assets/casebook/reader.js")
        search_plugin = config.plugins.get("material/search") or config.plugins.get("search")
        self.search_language = search.stemmed_language(config.theme.name, dict(getattr(search_plugin, "config", {})))
        self.feeds = sorted([*((kind.feed.title, kind.feed.file) for kind in self.settings.kinds if kind.feed),  # linked from every page
                             *(wants_feed(t) for p in pairings(self.settings.taxonomies) for t in self.settings.taxonomies if t.key == p.wants)])

    @_timed
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        kb = load(self.paths, self.settings, getattr(self, "cache", None))
        for problem in kb.problems:
            (log.error if problem.severity == "error" else log.warning)(problem.format())
        guide = self.config.collaboration_guide
        # One Kooperationsbörse per pair of offers and needs; a second pair (a site's own) gets its own page.
        self.exchanges = {pairing.gives: EXCHANGE if pairing.main else f"kooperationsboerse-{kb.taxonomy(pairing.gives).url}.md"
                          for pairing in pairings(kb.taxonomies)}
        self.kb, self.renderer = kb, Renderer(kb, self.urls, self.env, FINDER, self.exchanges, guide if files.get_file_from_path(guide) else None)
        # source URI -> renders the page, given its URL and the Markdown body as earlier plugins left it
        self.pages: dict[str, Callable[[str, str], Rendered]] = {}
        self.published: dict[str, Writer] = {}  # URI -> writes a file of open data, a feed or a calendar
        self.contributed: dict[str, tuple[str, str, int]] = {}  # source URI -> (path, body, body line) of a contributed body
        self.rendered: dict[str, frozenset[str]] = {}  # source URI of each rendered page -> source URIs it links to
        self.html_blocks: dict[str, Rendered] = {}  # pages whose HTML blocks on_page_content puts back
        self.without_policy: list[str] = []  # pages whose theme left out the policy's block
        self.unlisted: list[str] = []  # overview pages an explicit nav does not name
        self.named_in_nav = _named_in(config.nav)

        files.append(File.generated(config, STYLESHEET, abs_src_path=str(ASSETS / "casebook.css")))
        vocabulary = files.get_file_from_path(self._docs_uri(self.paths.vocabulary))
        if vocabulary is not None:
            files.remove(vocabulary)  # maintainers' data, not a page for readers
        for entry in kb.all_entries():
            self._source_page(files, config, entry.kind, entry.slug, (entry.path, entry.body, entry.body_line),
                              partial(self.renderer.entry, entry))
        for broken in kb.broken:
            self._source_page(files, config, broken.kind, broken.slug, (broken.path, broken.body, broken.body_line),
                              partial(self.renderer.broken, broken))
        for kind in kb.kinds:
            self._generated_page(files, config, self.layout.overview(kind.name), partial(self.renderer.overview, kind), in_nav=True)
        vocabulary_edit_uri = os.path.relpath(self.paths.vocabulary, self.docs_dir)
        for taxonomy in kb.taxonomies:
            self._generated_page(files, config, self.layout.taxonomy(taxonomy), partial(self.renderer.taxonomy, taxonomy),
                                 in_nav=True, edit_uri=vocabulary_edit_uri)
            for term in kb.terms[taxonomy.key].values():
                self._generated_page(files, config, self.layout.term(taxonomy, term.slug), partial(self.renderer.term, taxonomy, term),
                                     edit_uri=vocabulary_edit_uri)
        self._reader_side(files, config)
        if self.unlisted:
            log.info(f"Diese Übersichtsseiten nennt eure nav in mkdocs.yml nicht; sie sind über Links erreichbar: {', '.join(self.unlisted)}. "
                     "Tragt sie in die nav ein, wenn sie im Menü stehen sollen.")
        if self.search_language:
            files.append(File.generated(config, search.WRAPPER, content=search.wrapper_script(self.search_language)))
        for kind in kb.kinds:  # for editors: the modeline of every contributed file points here
            files.append(File.generated(config, schema_url("", kind.name),
                                        content=schema_json(kind, kb.taxonomies, kb.vocabulary, config.site_url or "")))
        return files

    def _reader_side(self, files: Files, config: MkDocsConfig) -> None:
        """Partner finder and network pages, their data, open data, feeds and JSON-LD of every entry."""
        kb = self.kb
        for name in READER_ASSETS:
            files.append(File.generated(config, f"assets/casebook/{name}", abs_src_path=str(ASSETS / name)))
        self._generated_page(files, config, FINDER, lambda url: self.renderer.finder(url, FINDER_DATA))
        self._generated_page(files, config, NETWORK, lambda url: self.renderer.network(url, FINDER_DATA, CYTOSCAPE))
        for pairing in pairings(kb.taxonomies):  # offers and needs: the Kooperationsbörse, linking the feed of needs
            feed_uri = wants_feed(kb.taxonomy(pairing.wants))[1]
            self._generated_page(files, config, self.exchanges[pairing.gives], partial(self.renderer.exchange, pairing=pairing, finder_uri=FINDER, feed_uri=feed_uri))
        self.published = published_files(kb, self.urls, config.site_name, FINDER_DATA, get_relative_url)
        for uri in self.published:  # written in on_env, once every page's URL is known
            files.append(File.generated(config, uri, content=""))
        self.structured_data_of = {self.layout.entry(e.kind, e.slug): partial(jsonld.for_entry, kb, e, self.urls)
                                   for e in kb.all_entries()}
        self.structured_data_of.update({self.layout.term(t, term.slug): partial(jsonld.defined_term, t, term, self.urls)
                                        for t in kb.taxonomies for term in kb.terms[t.key].values()})
        self.structured_data_of["index.md"] = partial(jsonld.website, config.site_name, config.site_description, self.urls)

    def _source_page(self, files: Files, config: MkDocsConfig, kind: str, slug: str, contributed: tuple[str, str, int],
                     render: Callable[[str, str], Rendered]) -> None:
        uri = self.layout.entry(kind, slug)
        file = files.get_file_from_path(uri)
        if file is None:  # a kind whose folder is outside docs_dir (case studies)
            path = self.paths.folders[kind] / f"{slug}.md"
            file = File.generated(config, uri, abs_src_path=str(path))
            file.edit_uri = os.path.relpath(path, self.docs_dir)
            files.append(file)
        file.inclusion = InclusionLevel.NOT_IN_NAV
        self.pages[uri], self.contributed[uri] = render, contributed

    def _generated_page(self, files: Files, config: MkDocsConfig, uri: str, render: Callable[[str], Rendered],
                        in_nav: bool = False, edit_uri: str | None = None) -> None:
        if files.get_file_from_path(uri) is not None:
            return  # the site wrote this page itself
        if in_nav and config.nav is not None and uri not in self.named_in_nav:
            # A site with its own nav decides what is in it; a page a newer casebook adds must not fail its strict build.
            self.unlisted.append(uri)
            in_nav = False
        file = File.generated(config, uri, content="", inclusion=InclusionLevel.UNDEFINED if in_nav else InclusionLevel.NOT_IN_NAV)
        file.edit_uri = edit_uri
        files.append(file)
        self.pages[uri] = lambda url, markdown: render(url)

    @_timed
    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> None:
        # Every file and its URL are known from here on; plugins after ours may have moved some.
        self.urls.placed = {file.src_uri: file.url for file in files}
        self._german_section_titles(nav.items)

    def _german_section_titles(self, items: list) -> None:
        """Without an explicit nav, MkDocs names sections after folders ('Organisations'); readers get German titles."""
        titles = {**{kind.url: kind.plural for kind in self.kb.kinds}, **{taxonomy.url: taxonomy.title for taxonomy in self.kb.taxonomies}}
        for item in items:
            if not isinstance(item, Section):
                continue
            folders = {page.file.src_uri.split("/", 1)[0] for page in item.children if isinstance(page, Page)}
            if len(folders) == 1 and (folder := folders.pop()) in titles:
                item.title = titles[folder]
            self._german_section_titles(item.children)

    @_timed
    def on_page_read_source(self, *, page: Page, config: MkDocsConfig) -> str | None:
        # The body without front matter: MkDocs need not parse the YAML a second time.
        contributed = self.contributed.get(page.file.src_uri)
        return contributed[1] if contributed else None

    @_timed
    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        """The page's template around ``markdown``, the body as the plugins before ours left it (e.g. mkdocs-macros)."""
        render = self.pages.get(page.file.src_uri)
        if render is None and HOME_MARKER not in markdown:
            return None

        if render is None:  # a hand-written page (the home page) asking for the generated overview
            home = self.html_blocks[page.file.src_uri] = self.renderer.home(page.url, FINDER, NETWORK)
            self.rendered[page.file.src_uri] = home.links
            return markdown.replace(HOME_MARKER, home.markdown, 1)
        rendered = self.html_blocks[page.file.src_uri] = render(page.url, markdown)
        self.rendered[page.file.src_uri] = rendered.links
        # Material prints page.meta.title unescaped, so what came from front matter is escaped here.
        page.meta["title"] = str(escape(rendered.title))
        if rendered.description:
            page.meta["description"] = str(escape(rendered.description))
        return rendered.markdown

    @event_priority(50)  # early, so that every later plugin sees the finished, sanitised page
    @_timed
    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        rendered = self.html_blocks.pop(page.file.src_uri, None)
        if rendered is None:
            return None
        contributed = self.contributed.get(page.file.src_uri)
        return rendered.restore(html, partial(self._clean_body, *contributed) if contributed else None)

    def _clean_body(self, path: str, body: str, body_line: int, html: str) -> str:
        for problem in sanitize.body_problems(path, body, body_line, html):
            log.error(problem.format())
        return sanitize.clean(html)

    @_timed
    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> None:
        for uri, write in self.published.items():
            file, content = files.get_file_from_path(uri), write()
            if isinstance(content, bytes):
                file.content_bytes = content  # type: ignore[union-attr]
            else:
                file.content_string = content  # type: ignore[union-attr]

    @_timed
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.without_policy:
            log.warning(f"{len(self.without_policy)} Seiten haben keine Sicherheitsrichtlinie (Content-Security-Policy), "
                        f"z. B. {self.without_policy[0]}: Das Theme zeigt partials/casebook-head.html nicht. Eine eigene main.html "
                        "braucht '{% include \"partials/casebook-head.html\" %}' im Block site_meta, oder "
                        "content_security_policy: false in mkdocs.yml.")
        if getattr(self, "dirty", False):
            return
        sources = [self.paths.shown(path) for folder in self.paths.folders.values() for path in entry_files(folder)]
        for problem in check_completeness(self.kb, self.layout, sources, self.rendered):
            log.error(problem.format())

    @_timed
    def on_page_context(self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation) -> TemplateContext:
        """What the theme block of templates/theme/main.html puts into the head: policy, feeds, JSON-LD."""
        head = [csp.meta_placeholder()] if self.config.content_security_policy else []
        head.extend(f'<link rel="alternate" type="application/atom+xml" title="{escape(title)}" href="{get_relative_url(uri, page.url)}">'
                    for title, uri in self.feeds)
        structured_data = self.structured_data_of.get(page.file.src_uri)
        if structured_data is not None:
            head.append(jsonld.script_tag(structured_data()))
        return self._for_theme(context, Markup("\n".join(head)))

    def on_template_context(self, context: TemplateContext, *, template_name: str, config: MkDocsConfig) -> TemplateContext:
        if template_name == "404.html":  # the one page outside the nav
            return self._for_theme(context, Markup(csp.meta_placeholder()) if self.config.content_security_policy else None)
        return context

    def _for_theme(self, context: TemplateContext, head: Markup | None) -> TemplateContext:
        """The values templates/theme/partials/casebook-*.html read; TemplateContext declares only MkDocs' own keys."""
        ours = cast(dict[str, object], context)
        ours["casebook_head"] = head
        ours["casebook_search_wrapper"] = search.WRAPPER.rsplit("/", 1)[1] if self.search_language else None
        return context

    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
        return self._fill_policy(output_content) if csp.PLACEHOLDER in output_content else output_content

    @_timed
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        if self.config.content_security_policy:
            output = self._with_policy(output, page)
        return output

    def _with_policy(self, output: str, page: Page) -> str:
        if csp.PLACEHOLDER not in output:
            self.without_policy.append(page.file.src_uri)  # reported once, in on_post_build
            return output
        return self._fill_policy(output)

    def _fill_policy(self, output: str) -> str:
        """The policy names the hashes of the page's own inline scripts, so it is filled in the finished page."""
        policy = csp.policy(output, self.config.content_security_policy_sources, allow_inline_scripts=self.serving)
        return output.replace(csp.PLACEHOLDER, str(escape(policy)), 1)

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Callable) -> LiveReloadServer:
        for path in (*self.paths.folders.values(), self.paths.vocabulary):
            if path.exists() and not path.resolve().is_relative_to(self.docs_dir):
                server.watch(str(path))
        return server

    def _docs_uri(self, path: Path) -> str:
        return os.path.relpath(path, self.docs_dir).replace(os.sep, "/")
