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
from itertools import compress, repeat
from operator import is_

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

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


_NEGATED_ENDS = ("n't", "n’t")  # English "don't", "isn’t"


def is_negator(token: str, lang: str = "de") -> bool:
    """True for ``nicht``, ``kein*``, ``nie``, ``ohne`` … and English ``not``, ``n't``."""
    low = token.lower()
    return low in NEGATORS.get(lang, frozenset()) or low.endswith(_NEGATED_ENDS)


_WORD, _TRANSPARENT_WORD, _BREAK, NEGATOR, _BLOCKS = range(5)  # what a token is to a negation
_CODES: dict[str, dict[str, int]] = {}  # lang -> token -> code
_CODES_SIZE = 500_000


def _codes(tokens, lang: str) -> list[int]:
    """The code of each of ``tokens``, classified in one pass (a fresh process meets ~50,000 new ones
    in the first thousand articles): most are words of letters and digits outside the small word
    sets, told by two tests (:func:`_code` classifies the rest)."""
    listed = _LISTED.get(lang, _LISTED[None])
    return [_WORD if low.isalnum() and low not in listed else _code(low, lang) for low in map(str.lower, tokens)]


def _code(low: str, lang: str) -> int:
    """The code of a lowercased token; a token that is all letters and digits holds one (``_ALNUM``)."""
    if is_negator(low, lang):
        return NEGATOR
    if low in SCOPE_BREAKERS or not (low.isalnum() or _ALNUM.search(low)):
        return _BREAK
    if low in _TRANSPARENT:
        return _TRANSPARENT_WORD
    return _BLOCKS if low in _NOT_NEGATING_NEXT else _WORD


# lang (None: any other) -> every word of the sets that give a code other than _WORD
_LISTED = {lang: words | SCOPE_BREAKERS | _TRANSPARENT | _NOT_NEGATING_NEXT
           for lang, words in {**NEGATORS, None: frozenset()}.items()}
_LISTED_ARRAYS = {lang: pa.array(sorted(words), type=pa.large_string()) for lang, words in _LISTED.items()}


def negation_scope(tokens: list[str], *, lang: str = "de", window: int = 3) -> list[bool]:
    """For each token, True if it stands in the scope of a preceding negator.

    Each distinct token is classified once (negator, scope breaker, transparent, word) and
    only the stretches after negators are walked: most sentences have no negator.
    """
    return scope_of_codes(negation_codes(tokens, lang), window=window)


def negation_codes(tokens: list[str], lang: str = "de") -> list[int]:
    """What each token is to a negation (:data:`NEGATOR`, a scope breaker, a transparent word …),
    each distinct token classified once; :func:`scope_of_codes` walks them.

    >>> negation_codes(["nicht", "sehr", "gut", "."]) == [NEGATOR, _TRANSPARENT_WORD, _WORD, _BREAK]
    True
    """
    codes_of = _CODES.setdefault(lang, {})
    codes = list(map(codes_of.get, tokens))
    if None in codes:
        if len(codes_of) >= _CODES_SIZE:
            codes_of.clear()
            codes = [None] * len(codes)  # the tokens known before are gone too
        new = list(set(compress(tokens, map(is_, codes, repeat(None)))))  # each new token once, not each occurrence
        codes_of.update(zip(new, _codes(new, lang)))
        codes = list(map(codes_of.__getitem__, tokens))
    return codes


def negation_code_column(tokens: pa.Array, lang: str = "de") -> np.ndarray:
    """:func:`negation_codes` of a column of tokens (Arrow strings, or dictionary-encoded ones), as ``int8``:
    each distinct token classified once, and those of ASCII letters and digits outside the word sets (most) by
    Arrow's kernels, which case and test ASCII as ``str`` does; the others as :func:`negation_codes` classifies them.

    >>> negation_code_column(pa.array(["nicht", "sehr", "gut", ".", "gut", "Öl"])).tolist()
    [3, 1, 0, 2, 0, 0]
    """
    encoded = tokens if pa.types.is_dictionary(tokens.type) else pc.dictionary_encode(tokens)
    distinct = encoded.dictionary
    listed = _LISTED_ARRAYS.get(lang, _LISTED_ARRAYS[None])
    plain = pc.and_(pc.and_(pc.string_is_ascii(distinct), pc.ascii_is_alnum(distinct)),
                    pc.invert(pc.is_in(pc.ascii_lower(distinct), value_set=listed)))
    codes = np.full(len(distinct), _WORD, dtype=np.int8)
    rest = np.flatnonzero(~plain.to_numpy(zero_copy_only=False))
    if len(rest):
        codes[rest] = _codes(distinct.take(pa.array(rest)).to_pylist(), lang)
    return codes[encoded.indices.to_numpy()]


def scope_of_codes(codes: list[int], *, window: int = 3) -> list[bool]:
    """:func:`negation_scope` of tokens whose :func:`negation_codes` are ``codes``."""
    n = len(codes)
    flags = [False] * n
    start = _next_negator(codes, 0)
    while start < n:
        remaining, i = 0, start
        while i < n:
            code = codes[i]
            if code == NEGATOR and (i + 1 == n or codes[i + 1] != _BLOCKS):
                remaining = window
            elif code == _BREAK:
                remaining = 0
            elif remaining:
                flags[i] = True
                if code != _TRANSPARENT_WORD:
                    remaining -= 1
            if not remaining:
                break
            i += 1
        start = _next_negator(codes, i + 1)
    return flags


def _next_negator(codes: list[int], start: int) -> int:
    try:
        return codes.index(NEGATOR, start)
    except ValueError:
        return len(codes)
