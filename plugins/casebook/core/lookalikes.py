"""Names that look the same but are spelled with other scripts' letters (Cyrillic 'а' for Latin 'a')."""

from __future__ import annotations

import re
import unicodedata

from .slugs import match_key

# Cyrillic and Greek lower-case letters that are indistinguishable from Latin ones in common fonts.
# Upper-case look-alikes are covered because names are case-folded first.
_CONFUSABLES = str.maketrans({
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c",
    "т": "t", "у": "y", "х": "x", "і": "i", "ї": "i", "ј": "j", "ѕ": "s", "ԁ": "d", "ӏ": "l", "һ": "h", "ԛ": "q", "ԝ": "w",
    "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "μ": "u", "ν": "v", "ο": "o", "ρ": "p", "τ": "t",
    "υ": "u", "χ": "x", "ϲ": "c", "ϳ": "j",
})
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def lookalike_key(text: str) -> str:
    """Key under which names count as visually the same: compatibility forms and look-alike letters folded.

    Empty when letters of other scripts remain: a genuinely Cyrillic or Greek
    name is no disguised Latin one, and its partial key would be meaningless.
    """
    folded = unicodedata.normalize("NFKC", text).casefold()
    if not folded.isascii():  # look-alikes and other scripts' letters are all outside ASCII
        folded = folded.translate(_CONFUSABLES)
        if any(char.isalpha() and not unicodedata.name(char, "").startswith("LATIN") for char in _NON_ASCII.findall(folded)):
            return ""
    return match_key(folded)


def foreign_letters(text: str) -> list[str]:
    """The look-alike letters from other scripts in ``text``, for a precise message."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return sorted({char for char in folded if char.translate(_CONFUSABLES) != char})
