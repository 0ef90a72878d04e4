"""The content security policy every page carries, as a meta element (static hosts cannot set headers).

Scripts may only come from the site itself, plus the inline scripts the
theme writes into each page, allowed one by one through their SHA-256 hashes
computed from the finished page. Under `mkdocs serve` the live-reload script
changes on every request, so there, and only there, inline scripts are allowed
as such.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Mapping, Sequence

# Our own word in the theme block; replaced in the finished page, so nothing of the theme's output is parsed for it.
PLACEHOLDER = "casebook-content-security-policy"
DEFAULT_SOURCES: dict[str, tuple[str, ...]] = {
    "default-src": ("'self'",),
    "script-src": ("'self'",),
    # Contributors' style attributes are removed by the sanitiser (text-align aside), so inline
    # styles only come from the theme and its scripts; CSS cannot run code in current browsers.
    "style-src": ("'self'", "'unsafe-inline'"),
    "img-src": ("'self'", "data:"),  # the theme's icons are data: URLs in its stylesheet
    "font-src": ("'self'", "data:"),
    "object-src": ("'none'",),
    "base-uri": ("'self'",),
    "form-action": ("'self'",),
}
# Inline <script> elements the browser runs: no src, and no type or a JavaScript one (JSON-LD and the theme's config are data).
_INLINE_SCRIPT = re.compile(r"<script(?P<attributes>(?:\s[^>]*)?)>(?P<code>.*?)</script>", re.DOTALL | re.IGNORECASE)
_SRC = re.compile(r"\ssrc\s*=", re.IGNORECASE)
_TYPE = re.compile(r"\stype\s*=\s*[\"']?([^\"'\s>]*)", re.IGNORECASE)
_RUNNING_TYPES = frozenset({"", "module", "text/javascript", "application/javascript", "text/ecmascript", "application/ecmascript"})


def meta_placeholder() -> str:
    return f'<meta http-equiv="Content-Security-Policy" content="{PLACEHOLDER}">'


def inline_script_hashes(page: str) -> list[str]:
    """CSP source expressions for every inline script of a finished page, in order of appearance, without repeats."""
    hashes: dict[str, None] = {}
    for match in _INLINE_SCRIPT.finditer(page):
        script_type = _TYPE.search(match["attributes"])
        if _SRC.search(match["attributes"]) or (script_type and script_type[1].lower() not in _RUNNING_TYPES):
            continue
        digest = hashlib.sha256(match["code"].encode("utf-8")).digest()
        hashes[f"'sha256-{base64.b64encode(digest).decode('ascii')}'"] = None
    return list(hashes)


def policy(page: str, extra: Mapping[str, Sequence[str]] | None = None, allow_inline_scripts: bool = False) -> str:
    """The policy for one finished page; ``extra`` adds sources per directive (from mkdocs.yml)."""
    directives = {name: list(sources) for name, sources in DEFAULT_SOURCES.items()}
    directives["script-src"].extend(["'unsafe-inline'"] if allow_inline_scripts else inline_script_hashes(page))
    for name, sources in (extra or {}).items():
        directives.setdefault(name, list(DEFAULT_SOURCES["default-src"]))
        directives[name].extend(source for source in sources if source not in directives[name])
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())
