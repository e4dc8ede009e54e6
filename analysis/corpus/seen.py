"""What one load has met so far: hashed doc ids and texts, for finding duplicates across chunks."""

from __future__ import annotations

import re
from hashlib import blake2b

import numpy as np
import pandas as pd


class SeenIds:
    """The doc ids (or texts) met so far in one load, for finding duplicates across chunks.

    Keys are held as 64-bit hashes (``pandas.util.hash_array``; texts as their :func:`text_hashes`,
    ``hashed=True``) with the row of their first
    occurrence, sorted: 16 bytes per document whatever the key's length (16 MB for a
    million documents), plus the first occurrence's label when one is given (the doc id
    a duplicate text names). Two different keys share a hash with probability ~n²/2⁶⁵
    (3·10⁻⁸ for a million keys); the later one would then be reported as a duplicate.

    >>> seen = SeenIds()
    >>> seen.first_rows(pd.Series(["a", "b", "a"], index=[0, 1, 2])).tolist()
    [-1, -1, 0]
    >>> seen.first_rows(pd.Series(["b", "c"], index=[3, 4])).tolist()
    [1, -1]
    >>> texts = SeenIds()
    >>> texts.first_labels(pd.Series(["Krieg.", "Frieden.", "Krieg."]), pd.Series(["x", "y", "z"])).tolist()
    [None, None, 'x']
    """

    def __init__(self):
        self._hashes = np.empty(0, dtype=np.uint64)
        self._rows = np.empty(0, dtype=np.int64)
        self._labels = np.empty(0, dtype=object)

    def __len__(self) -> int:
        return len(self._hashes)

    def first_rows(self, ids: pd.Series) -> pd.Series:
        """Per id (index = input row): the row of its first occurrence, ``-1`` when this is it."""
        first, _ = self._first(ids, None)
        return pd.Series(first, index=ids.index, dtype=np.int64)

    def first_labels(self, keys: pd.Series, labels: pd.Series, *, hashed: bool = False) -> pd.Series:
        """Per key (index = input row): the label given with its first occurrence, ``None`` when this is it.
        ``hashed``: the keys are their hashes already (:func:`text_hashes`)."""
        first, first_labels = self._first(keys, labels.to_numpy(dtype=object), hashed=hashed)
        return pd.Series(np.where(first >= 0, first_labels, None), index=keys.index, dtype=object)

    def _first(self, keys: pd.Series, labels, *, hashed: bool = False):
        hashes = keys.to_numpy(dtype=np.uint64) if hashed else pd.util.hash_array(keys.to_numpy(dtype=object))
        rows = keys.index.to_numpy(dtype=np.int64)
        labels = np.full(len(rows), None, dtype=object) if labels is None else labels
        at = np.minimum(np.searchsorted(self._hashes, hashes), max(len(self._hashes) - 1, 0))
        earlier = (self._hashes[at] == hashes) if len(self._hashes) else np.zeros(len(hashes), bool)
        first = np.where(earlier, self._rows[at] if len(self._rows) else -1, -1)
        first_labels = np.where(earlier, self._labels[at] if len(self._labels) else None, None)
        in_chunk = pd.Series(np.arange(len(rows))).groupby(hashes, sort=False).transform("first").to_numpy()
        repeated = ~earlier & (in_chunk != np.arange(len(rows)))
        first[repeated] = rows[in_chunk[repeated]]
        first_labels[repeated] = labels[in_chunk[repeated]]
        new = ~earlier & ~repeated
        hashes_all = np.concatenate([self._hashes, hashes[new]])
        order = np.argsort(hashes_all, kind="stable")
        self._hashes, self._rows = hashes_all[order], np.concatenate([self._rows, rows[new]])[order]
        self._labels = np.concatenate([self._labels, labels[new]])[order]
        return first, first_labels


def text_hashes(texts) -> np.ndarray:
    """The 64-bit hash of each text's :func:`duplicate_key` (BLAKE2b of its UTF-8, 8 bytes): what
    :class:`SeenIds` holds of a text. The same in every process (the load's workers hash, this
    process compares), and a quarter of ``pandas.util.hash_array``'s time on a news article.

    >>> a, b, c = text_hashes(["Krieg in der  Ukraine.", "krieg in der ukraine.", "Frieden."]).tolist()
    >>> a == b, a == c
    (True, False)
    """
    digests = b"".join(blake2b(duplicate_key(text).encode("utf-8"), digest_size=8).digest() for text in texts)
    return np.frombuffer(digests, dtype="<u8").astype(np.uint64)


def duplicate_key(text: str) -> str:
    """What two texts must share to be duplicates: the text with case and runs of whitespace folded.

    >>> duplicate_key(" Krieg in der  UKRAINE. ")
    'krieg in der ukraine.'

    Equal to ``" ".join(text.casefold().split())``, without a string per word (a 50 MB text in a
    third of the time): every other whitespace character becomes a space, then runs of spaces one.
    """
    key = text.casefold()
    for space in _OTHER_WHITESPACE:
        key = key.replace(space, " ")  # a scan; the same string back when it has none
    return _SPACES.sub(" ", key).strip(" ")


_OTHER_WHITESPACE = tuple(c for c in map(chr, range(0x110000)) if c.isspace() and c != " ")  # what str.split() splits at
_SPACES = re.compile("  +")
