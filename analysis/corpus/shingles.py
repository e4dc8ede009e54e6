"""Word n-gram shingles of texts as a binary text × shingle matrix, hashed in numpy.

A word is a run of letters and digits (``[^\\W_]+``) of the lowercased text. A text's shingles
are its runs of ``size`` consecutive words, or all its words when it has fewer (none when it has
no word); each counts once per text. Words and shingles are 64-bit hashes computed on arrays of
code points with fixed constants (the same in every process and run), so a 50 MB text costs a
few arrays, not millions of Python strings. Two different shingles share a hash with probability
about 2⁻⁶⁴ per pair; the text of a shingle is never built.

>>> matrix = shingle_matrix(["Kim schickt Soldaten nach Kursk an die Front.",
...                          "KIM schickt Soldaten nach Kursk!", "Größe", ""], size=5)
>>> np.diff(matrix.indptr).tolist()  # shingles per text: 4, 1, the one word, none
[4, 1, 1, 0]
>>> (matrix[0] @ matrix[1].T).toarray().tolist()  # "kim schickt soldaten nach kursk" in both
[[1.0]]
"""

from __future__ import annotations

import functools
import re

import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix

WORD = re.compile(r"[^\W_]+")
_CHUNK = 1 << 20  # characters hashed at once: bounds the arrays (~40 MB) whatever a text's length
_GOLDEN, _MIX1, _MIX2 = np.uint64(0x9E3779B97F4A7C15), np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)
_BASE = np.uint64(0x100000001B3)  # odd (FNV's prime): multiplying by it is a bijection mod 2**64


def shingle_matrix(texts, size: int = 5) -> csr_matrix:
    """One row per text, one column per distinct shingle (in order of first use), 1.0 where the text has it."""
    texts = list(texts)
    words, owners = word_hashes(texts)
    rows, hashes = _shingle_hashes(words, owners, len(texts), size)
    columns, distinct = pd.factorize(hashes)
    cells = pd.unique(rows * max(len(distinct), 1) + columns)  # a text's shingles as a set
    rows, columns = np.divmod(cells, max(len(distinct), 1))
    order = np.argsort(rows, kind="stable")  # texts of `size` words or more, then shorter ones: two sorted runs
    indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=len(texts)))])
    return csr_matrix((np.ones(len(cells), np.float32), columns[order], indptr), shape=(len(texts), len(distinct)))


def word_hashes(texts) -> tuple[np.ndarray, np.ndarray]:
    """The 64-bit hash of every word of ``texts`` (lowercased), text after text, and each word's text number.

    >>> hashes, owners = word_hashes(["Krieg und Frieden", "KRIEG!"])
    >>> owners.tolist(), bool(hashes[0] == hashes[3]), len(set(hashes.tolist()))
    ([0, 0, 0, 1], True, 3)
    """
    hashes, owners = [np.empty(0, np.uint64)], [np.empty(0, np.int64)]
    for pieces, numbers in _batches(texts):
        joined = " ".join(pieces)  # a space between pieces: no word spans two
        starts = np.cumsum([0] + [len(piece) + 1 for piece in pieces[:-1]])
        first, batch_hashes = _hash_words(_codes(joined))
        hashes.append(batch_hashes)
        owners.append(np.asarray(numbers, np.int64)[np.searchsorted(starts, first, side="right") - 1])
    return np.concatenate(hashes), np.concatenate(owners)


def _batches(texts):
    """Lists of lowercased pieces of about ``_CHUNK`` characters in all, with each piece's text number:
    short texts together, long ones cut at a space (so between words)."""
    pieces, numbers, length = [], [], 0
    for number, text in enumerate(texts):
        low, start = text.lower(), 0
        while start < len(low):
            cut = low.find(" ", start + _CHUNK) if len(low) - start > _CHUNK else -1
            end = len(low) if cut < 0 else cut
            pieces.append(low[start:end])
            numbers.append(number)
            length += end - start
            start = end
            if length >= _CHUNK:
                yield pieces, numbers
                pieces, numbers, length = [], [], 0
    if pieces:
        yield pieces, numbers


def _codes(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


@functools.cache
def _word_chars() -> np.ndarray:
    """Per code point: is it a word character (``WORD`` matches it)."""
    table = np.zeros(0x110000, dtype=bool)
    table[_codes("".join(WORD.findall("".join(map(chr, range(0x110000))))))] = True
    return table


def _hash_words(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each word of ``codes`` starts and its hash: the sum of a mixed (character, position) per character."""
    word = _word_chars()[codes]
    changes = np.flatnonzero(np.diff(word, prepend=False, append=False))  # a word's first and after-last
    first, lengths = changes[0::2], changes[1::2] - changes[0::2]
    if not len(first):
        return first, np.empty(0, np.uint64)
    at = np.cumsum(lengths) - lengths  # each word's first character among the word characters
    keys = np.arange(lengths.sum(), dtype=np.uint64)
    keys -= np.repeat(at.astype(np.uint64), lengths)  # the character's position in its word
    keys <<= np.uint64(21)
    keys |= codes[word]  # code points are < 2**21
    return first, np.add.reduceat(_mix(keys), at)


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64 of every value (in place): consecutive inputs give unrelated 64-bit outputs."""
    x += _GOLDEN
    x ^= x >> np.uint64(30)
    x *= _MIX1
    x ^= x >> np.uint64(27)
    x *= _MIX2
    x ^= x >> np.uint64(31)
    return x


def _shingle_hashes(words: np.ndarray, owners: np.ndarray, n_texts: int, size: int):
    """(text number, hash) of every shingle: ``sum(word_k * BASE**(n - 1 - k))`` over its ``n`` words;
    the ``size``-grams of each text in order, then one shingle per text with fewer words."""
    counts = np.bincount(owners, minlength=n_texts)
    n = max(len(words) - size + 1, 0)
    grams = words[:n].copy()
    for k in range(1, size):
        grams *= _BASE
        grams += words[k:k + n]
    inside = owners[:n] == owners[size - 1:size - 1 + n]  # not across two texts
    short = counts[owners] < size
    short_words, short_owners = words[short], owners[short]
    at = np.flatnonzero(np.diff(short_owners, prepend=-1))  # each short text's first word
    lengths = np.diff(np.append(at, len(short_owners)))
    power = np.cumprod(np.concatenate([[np.uint64(1)], np.full(size - 1, _BASE)]))  # BASE**0 … BASE**(size-1)
    exponent = np.repeat(lengths + at - 1, lengths) - np.arange(len(short_owners))
    whole = np.add.reduceat(short_words * power[exponent], at) if len(at) else np.empty(0, np.uint64)
    return np.concatenate([owners[:n][inside], short_owners[at]]), np.concatenate([grams[inside], whole])
