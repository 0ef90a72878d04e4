"""Where the pages of the knowledge base are: their source URIs, and their URLs once MkDocs has placed every file.

The one URL helper of the site layer: pages, exports, feeds and JSON-LD all ask ``SiteUrls``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import urljoin

from ..core.kinds import ContentKind
from ..core.model import Entry, Taxonomy, Term


@dataclass(frozen=True)
class Layout:
    """Where each page of the knowledge base lives, as source URIs."""

    urls: Mapping[str, str]  # content kind -> URL segment of its pages

    @classmethod
    def of(cls, kinds: Sequence[ContentKind]) -> Layout:
        return cls({kind.name: kind.url for kind in kinds})

    def entry(self, kind: str, slug: str) -> str:
        return f"{self.urls[kind]}/{slug}.md"

    def overview(self, kind: str) -> str:
        return f"{self.urls[kind]}/index.md"

    def taxonomy(self, taxonomy: Taxonomy) -> str:
        return f"{taxonomy.url}/index.md"

    def term(self, taxonomy: Taxonomy, slug: str) -> str:
        return f"{taxonomy.url}/{slug}.md"


@dataclass
class SiteUrls:
    """Page URLs relative to the site root (e.g. "organisations/foo/"), and absolute ones when the site has a site_url."""

    layout: Layout
    site_url: str = ""
    # source URI -> URL; the adapter fills it once MkDocs knows every file (use_directory_urls decides the form)
    placed: Mapping[str, str] = field(default_factory=dict)

    def page(self, uri: str) -> str:
        return self.placed.get(uri, uri)

    def entry(self, entry: Entry) -> str:
        return self.page(self.layout.entry(entry.kind, entry.slug))

    def term(self, taxonomy: Taxonomy, term: Term) -> str:
        return self.page(self.layout.term(taxonomy, term.slug))

    def absolute(self, url: str) -> str | None:
        """Search engines and feed readers need absolute links; None when the site does not say where it is published."""
        return urljoin(self.site_url, url) if self.site_url else None
