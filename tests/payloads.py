"""Body payloads for the sanitiser tests, most from the OWASP XSS filter-evasion cheat sheet.

Each payload stands on its own line after a harmless word ``WortN`` that must
survive sanitising; every payload that runs calls ``alert(N)``.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

PAYLOADS: list[str] = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    "<details open ontoggle=alert(3)><summary>Mehr</summary>Text</details>",
    "[klick](javascript:alert(4))",
    '[klick](https://example.org){ onclick="alert(5)" }',
    '<a href="jav&#x09;ascript:alert(6)">Tab</a>',
    '<a href="jav&#x0A;ascript:alert(7)">Zeilenumbruch</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(8)">Entitäten</a>',
    '<IMG SRC="javascript:alert(9);">',
    "<svg onload=alert(10)>",
    "<body onload=alert(11)>",
    '<iframe src="javascript:alert(12)"></iframe>',
    '<object data="javascript:alert(13)"></object>',
    '<embed src="data:text/html;base64,PHNjcmlwdD5hbGVydCgxNCk8L3NjcmlwdD4=">',
    '<form action="javascript:alert(15)"><input type=submit value=Los></form>',
    '<a href="vbscript:msgbox(16)">VB</a>',
    '<a href="data:text/html,&lt;script&gt;alert(17)&lt;/script&gt;">Daten</a>',
    '<div style="background:url(javascript:alert(18))">Stil</div>',
    "<style>@import'javascript:alert(19)';</style>",
    "<x onclick=alert(20)>Klick</x>",
    "<scr<script>ipt>alert(21)</script>",
    '<a href=" javascript:alert(22)">Leerzeichen</a>',
    "<input autofocus onfocus=alert(23)>",
    "<video><source onerror=alert(24)></video>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(25)">',
    '<base href="javascript:alert(26)//">',
    '<a href="JaVaScRiPt:alert(27)">Groß</a>',
    "<img src=x:alert(28) onerror=eval(src)>",
    "![Bild](javascript:alert(29))",
    '<a href="#" onmouseover="alert(30)">Maus</a>',
    '<p>Absatz</p>\n<div id="__config">Layout</div>',
    # Never closed: Markdown would read the rest of the page as part of this HTML block.
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(32)>",
]


def hostile_body() -> str:
    """A Markdown body with every payload, each in a paragraph of its own after its harmless word."""
    return "Ein Textteil mit Beispielen aus der OWASP-Liste.\n\n" + "".join(
        f"Wort{number}\n\n{payload}\n\n" for number, payload in enumerate(PAYLOADS, 1))


# Ordinary writing: everything Markdown and the enabled extensions make of it must pass untouched.
ORDINARY_BODY = """\
## Was wir gemacht haben

Ein Absatz mit *Betonung*, **Fettdruck**, `Code` und einem [Link](https://example.org) sowie einem
[Link auf eine andere Seite](../beta-netzwerk.md) und [einer Mail](mailto:kontakt@example.org).

- eins
- zwei

1. erstens
2. zweitens

| Links | Mitte | Rechts |
|:------|:-----:|-------:|
| a     | b     | c      |

> Ein Zitat.

!!! note "Gut zu wissen"
    Ein Hinweis.

??? info "Mehr lesen"
    Aufgeklappt.

Ein Satz mit Fußnote.[^1] Die HTML-Seite ist schnell.

*[HTML]: Hypertext Markup Language

[^1]: Die Fußnote.

![Ein Bild](bild.png){ width="300" loading=lazy }

```
code block
```
"""


# What a browser would run or load: the test of every sanitised page.
UNSAFE_ELEMENTS = {"script", "style", "iframe", "object", "embed", "form", "input", "svg", "math", "meta", "base", "body", "video", "source"}
UNSAFE_SCHEMES = re.compile(r"^\s*(javascript|vbscript|data):", re.IGNORECASE)


class Elements(HTMLParser):
    """Every element and attribute as a browser's parser sees them (entities decoded)."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str]]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, {name: value or "" for name, value in attrs}))


def unsafe_parts(html: str) -> list[str]:
    parts = []
    for tag, attributes in Elements(html).found:
        if tag in UNSAFE_ELEMENTS:
            parts.append(f"<{tag}>")
        for name, value in attributes.items():
            cleaned = "".join(c for c in value if c.isprintable() and not c.isspace())
            if name.startswith("on") or (name == "style" and "text-align" not in value) \
                    or (name in ("href", "src", "action", "data") and UNSAFE_SCHEMES.match(cleaned)) \
                    or (name == "id" and value.startswith("__")):
                parts.append(f"{tag} {name}={value!r}")
    return parts
