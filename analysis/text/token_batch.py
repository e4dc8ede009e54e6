"""Distinct tokens handed to a measure that keeps a value per word, with their Arrow forms made once.

A measure's column beside the chunk vocabulary (:func:`~analysis.text.coded_columns.coded_column`) is
made for the tokens new to it, which the measure is handed as a :class:`TokenBatch`. Frames, actors and the
sentiment lexicon all test the same new tokens a column at a time with Arrow's kernels, so the batch
converts its words and lemmas to Arrow strings (and lowercases them) once for all of them.

Arrow lowercases by Unicode's simple case mapping, ``str.lower`` by the full one, and the two
disagree on a few characters beyond Latin-1 (``İ``, a final ``Σ``); on the 256 characters of
Latin-1 they agree, one by one. :meth:`TokenBatch.lower` therefore says which forms it lowered
as ``str.lower`` would: a measure looks the others up one by one.

>>> batch = TokenBatch(["Krieg", "İstanbul", "Straße"], ["word"] * 3, ["Krieg", "İstanbul", "Straße"])
>>> forms, exact = batch.lower("words")
>>> forms.to_pylist()[0], exact.tolist()
('krieg', [True, False, True])
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

_BEYOND_LATIN1 = "[^\\x00-\\xff]"


class TokenBatch:
    """``words``, ``kinds`` and ``lemmas`` of distinct tokens (numpy object arrays), and their Arrow forms
    on first use (:meth:`strings`, :meth:`lower`)."""

    __slots__ = ("words", "kinds", "lemmas", "_made")

    def __init__(self, words, kinds, lemmas, *, arrow_words: pa.Array | None = None):
        self.words, self.kinds, self.lemmas = (np.asarray(column, dtype=object) if not isinstance(column, np.ndarray)
                                               else column for column in (words, kinds, lemmas))
        self._made: dict = {} if arrow_words is None else {"words": arrow_words}

    def __len__(self) -> int:
        return len(self.words)

    def strings(self, column: str) -> pa.Array:
        """The ``"words"`` or ``"lemmas"`` as Arrow strings."""
        found = self._made.get(column)
        if found is None:
            found = self._made[column] = pa.array(getattr(self, column), type=pa.large_string())
        return found

    def lower(self, column: str) -> tuple[pa.Array, np.ndarray]:
        """The ``"words"`` or ``"lemmas"`` lowercased by Arrow, and where that is what ``str.lower`` gives
        (forms of Latin-1 characters only)."""
        key = ("lower", column)
        found = self._made.get(key)
        if found is None:
            strings = self.strings(column)
            exact = pc.string_is_ascii(strings).to_numpy(zero_copy_only=False)  # most are: no regex for them
            rest = np.flatnonzero(~exact)
            if len(rest):
                beyond = pc.match_substring_regex(strings.take(pa.array(rest)), _BEYOND_LATIN1)
                exact[rest] = ~beyond.to_numpy(zero_copy_only=False)
            found = self._made[key] = (pc.utf8_lower(strings), exact)
        return found
