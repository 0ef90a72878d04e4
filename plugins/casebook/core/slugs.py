"""Stable URL slugs and matching keys for German labels."""

from __future__ import annotations

import functools
import re
import unicodedata

_TRANSLITERATION = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss", "ẞ": "SS"}
)
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


@functools.lru_cache(maxsize=1 << 14)  # the same labels come up in thousands of files
def slugify(text: str) -> str:
    """'Senior*innen' -> 'senior-innen', 'Thüringen' -> 'thueringen'.

    German umlauts are transliterated before other accents are stripped so that
    'Müller' becomes 'mueller', not 'muller'. The result may be empty.
    """
    ascii_text = unicodedata.normalize("NFKD", text.translate(_TRANSLITERATION))
    ascii_text = ascii_text.encode("ascii", "ignore").decode("ascii").lower()
    return _NON_ALNUM.sub("-", ascii_text).strip("-")


def match_key(text: str) -> str:
    """Key under which spellings count as the same term.

    Case, whitespace, punctuation and gender-star variants are ignored:
    'Senior*innen', 'Senior:innen', 'SeniorInnen' and 'seniorinnen' agree.
    """
    return slugify(text).replace("-", "")
