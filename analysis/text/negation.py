"""Mark the scope of negations (``nicht gut``, ``kein Erfolg``, ``ohne Hoffnung``).

A negator opens a scope over the next ``window`` content words; the scope closes early at
punctuation or a contrasting conjunction (``aber``, ``sondern``, ``but``). Sentiment and
frame scoring read the flags; :class:`~analysis.text.Preprocessor` can prefix scoped
tokens with ``NEG_``.

>>> tokens = ["Das", "ist", "nicht", "gut", ",", "aber", "kein", "Erfolg", "."]
>>> [t for t, neg in zip(tokens, negation_scope(tokens)) if neg]
['gut', 'Erfolg']
"""

from __future__ import annotations

import re

NEGATORS = {
    "de": frozenset({"nicht", "kein", "keine", "keinen", "keinem", "keiner", "keines", "nie",
                     "niemals", "ohne", "weder", "noch nie", "nichts", "niemand", "nirgends"}),
    "en": frozenset({"not", "no", "never", "without", "neither", "nor", "nothing", "nobody",
                     "none", "cannot"}),
}
SCOPE_BREAKERS = frozenset({"aber", "sondern", "doch", "jedoch", "allerdings", "trotzdem",
                            "but", "however", "although", "yet"})
# "nicht nur … sondern auch", "not only": a negator followed by these does not negate.
_NOT_NEGATING_NEXT = frozenset({"nur", "only", "einmal", "zuletzt", "umsonst", "least"})
# Words a negation passes over without using up its window (articles, intensifiers).
_TRANSPARENT = frozenset({"sehr", "so", "zu", "ganz", "besonders", "mehr", "der", "die", "das",
                          "ein", "eine", "einen", "very", "so", "too", "the", "a", "an", "more"})
_ALNUM = re.compile(r"[^\W_]")  # a letter or digit: tokens without one are punctuation


def is_negator(token: str, lang: str = "de") -> bool:
    """True for ``nicht``, ``kein*``, ``nie``, ``ohne`` … and English ``not``, ``n't``."""
    low = token.lower()
    return low in NEGATORS.get(lang, frozenset()) or low.endswith(("n't", "n’t"))


def negation_scope(tokens: list[str], *, lang: str = "de", window: int = 3) -> list[bool]:
    """For each token, True if it stands in the scope of a preceding negator."""
    lows = [token.lower() for token in tokens]
    negators = NEGATORS.get(lang, frozenset())
    flags = [False] * len(tokens)
    remaining = 0
    for i, low in enumerate(lows):
        following = lows[i + 1] if i + 1 < len(lows) else ""
        if (low in negators or low.endswith(("n't", "n’t"))) and following not in _NOT_NEGATING_NEXT:
            remaining = window
        elif low in SCOPE_BREAKERS or _ALNUM.search(low) is None:
            remaining = 0
        elif remaining:
            flags[i] = True
            if low not in _TRANSPARENT:
                remaining -= 1
    return flags
