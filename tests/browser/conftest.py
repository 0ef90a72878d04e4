"""The real site (mkdocs.yml at the repository root) built once, served locally, driven by headless Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import Build, serve_directory

ROOT = Path(__file__).parent.parent.parent
AXE = Path(__file__).parent / "vendor" / "axe.min.js"


@pytest.fixture(scope="session")
def real_site(example_site: Build) -> Path:
    return example_site.site


@pytest.fixture(scope="session")
def base_url(real_site: Path) -> Iterator[str]:
    with serve_directory(real_site) as url:
        yield url


@dataclass
class Visit:
    """A browser page with everything it asked for and complained about."""

    page: object
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def policy_violations(self) -> list[str]:
        """What the page's Content-Security-Policy refused so far (collected by the init script of ``visit``)."""
        return self.page.evaluate("window.casebookViolations")  # type: ignore[attr-defined]

    def run_axe(self) -> list[str]:
        """Serious and critical axe-core violations. Evaluated through the driver, which the page's policy does not govern."""
        self.page.evaluate(AXE.read_text(encoding="utf-8"))  # type: ignore[attr-defined]
        return self.page.evaluate("""async () => {
            const result = await axe.run(document, {resultTypes: ['violations']});
            return result.violations.filter(v => ['serious', 'critical'].includes(v.impact))
                .map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '));
        }""")  # type: ignore[attr-defined]


@pytest.fixture
def visit(browser, base_url: str) -> Iterator[callable]:
    contexts = []

    def open_page(url_path: str, width: int = 1280, height: int = 900, color_scheme: str = "light", settle: str = "load") -> Visit:
        """Opens a page in a fresh context; `settle="networkidle"` also waits until nothing has been fetched for 0.5 s."""
        context = browser.new_context(viewport={"width": width, "height": height}, locale="de-DE", color_scheme=color_scheme)
        contexts.append(context)
        page = context.new_page()
        seen = Visit(page)
        page.add_init_script("window.casebookViolations = [];"
                             "document.addEventListener('securitypolicyviolation',"
                             " e => window.casebookViolations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sample));")
        page.on("request", lambda request: seen.requests.append(request.url))
        page.on("console", lambda message: seen.console_errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: seen.console_errors.append(str(error)))
        page.goto(base_url + url_path, wait_until=settle)
        return seen

    yield open_page
    for context in contexts:
        context.close()
