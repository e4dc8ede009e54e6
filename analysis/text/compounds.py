"""Split German compounds into modifier and head using the lemmatiser's dictionary.

Hyphenated compounds split at the hyphen (``Ukraine-Krieg`` -> ``Ukraine``, ``Krieg``).
Closed compounds split once, at the first point (so the longest head) where both parts
are known words of at least ``min_part`` letters; a linking element (``s``, ``es``,
``n``, ``en``, ``e``, ``er``) is cut from the modifier only when the modifier is not a
word by itself. Parts come back as they stand (``Kanonenfutter`` -> ``Kanonen``,
``Futter``); the Preprocessor lemmatises them. Unknown or short words are returned whole.

>>> split_compound("Waffenlieferungen")
['Waffen', 'Lieferungen']
>>> split_compound("Geheimdienstmitarbeiter")
['Geheimdienst', 'Mitarbeiter']
>>> split_compound("Frieden")
['Frieden']
"""

from __future__ import annotations

import re
from functools import lru_cache

from analysis.text.dictionaries import is_known

_HYPHEN = re.compile("[-\u2010\u2011]")
_LINKING = ("", "s", "es", "n", "en", "e", "er", "ens")
# Heads that are suffixes or country-name endings, not nouns of their own here.
_NOT_HEADS = frozenset({"Schaft", "Schaften", "Land", "Lands", "Heit", "Keit", "Ung", "Tum", "Nis"})


@lru_cache(maxsize=200_000)
def split_compound(word: str, *, min_part: int = 4) -> list[str]:
    """Modifier and head of a German compound, or ``[word]`` when it does not split."""
    parts = [p for p in _HYPHEN.split(word) if p]
    if len(parts) > 1:
        return parts
    if len(word) < 2 * min_part or not word[:1].isupper():
        return [word]
    for cut in range(min_part, len(word) - min_part + 1):
        head = word[cut:].capitalize()
        if head in _NOT_HEADS or not is_known(head, "de"):
            continue
        modifier = word[:cut]
        for link in _LINKING:
            stem = modifier[: len(modifier) - len(link)] if link else modifier
            if len(stem) >= min_part - 1 and modifier.endswith(link) and is_known(stem, "de"):
                return [stem, head]
    return [word]
