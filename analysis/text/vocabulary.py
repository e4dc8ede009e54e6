"""The chunk vocabulary: the whitespace chunks a process has met, numbered, and their tokens in columns.

:func:`~analysis.text.many.analyze_many` finds each chunk of a slice of texts in the
:class:`ChunkVocabulary` of its language and lemmatiser (Arrow's ``index_in``: no Python string
made for a known chunk); a chunk met for the first time is tokenised and lemmatised once, by
:func:`~analysis.text.analysis.analyze_chunk`, and its tokens' words, kinds, lemmas, lengths and
negation codes appended to the vocabulary's columns. Each analysis so made keeps its tokens' rows
there (``TextAnalysis.token_rows``).

The measures keep their values per token row or chunk beside it (:mod:`analysis.text.coded_columns`).

The vocabularies are shared by the threads of a process (a Dask worker's threads): one thread at a
time adds to them, turns them or gathers from them (:data:`VOCABULARY_LOCK`).

>>> from analysis.text import many
>>> made = many.analyze_many(["Kim droht.", "Kim schweigt."], langs=["de", "de"])
>>> vocabulary = chunk_vocabulary("de", "simplemma")
>>> made[1].token_rows[0] is vocabulary, vocabulary.words.view()[made[1].token_rows[2]].tolist()
(True, ['Kim', 'schweigt', '.'])
"""

from __future__ import annotations

import threading
from itertools import chain
from operator import itemgetter

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from analysis.text.analysis import CHUNK_CACHE_SIZE, CHUNK_STORES, WORD_KINDS, analyze_chunk
from analysis.text.negation import negation_code_column
from analysis.text.token_batch import TokenBatch

_WORDS, _KINDS, _LEMMAS, _N_WORDS = map(itemgetter, (0, 1, 4, 5))  # fields of analysis.analyze_chunk's tuple
VOCABULARY_LOCK = threading.RLock()  # held while a thread adds to, turns or gathers from a vocabulary


class GrowingColumn:
    """A numpy column that grows by appending (capacity doubled when full); ``tuples``: its values are
    tuples (kept whole; numpy would read a list of them as rows)."""

    __slots__ = ("data", "n", "tuples")

    def __init__(self, dtype, *, tuples: bool = False):
        self.data, self.n, self.tuples = np.empty(1024, dtype=dtype), 0, tuples

    def extend(self, values) -> None:
        if self.tuples:
            values = _objects(values)
        elif self.data.dtype != object:
            values = np.asarray(values, dtype=self.data.dtype)  # (strings are assigned as they are: 4 × faster)
        end = self.n + len(values)
        if end > len(self.data):
            grown = np.empty(max(end, 2 * len(self.data)), dtype=self.data.dtype)
            grown[:self.n] = self.data[:self.n]
            self.data = grown
        self.data[self.n:end] = values
        self.n = end

    def view(self) -> np.ndarray:
        return self.data[:self.n]

    def keep(self, rows: np.ndarray) -> None:
        kept = self.data[rows]
        self.data, self.n = np.empty(max(1024, 2 * len(kept)), dtype=self.data.dtype), 0
        self.extend(kept)


def _objects(values) -> np.ndarray:
    """``values`` as a 1-d object array (strings and tuples kept whole, not unpacked by numpy)."""
    return np.fromiter(values, dtype=object, count=len(values))


class ChunkVocabulary:
    """The whitespace chunks met in one language with one lemmatiser, numbered, with their
    tokens (words, kinds, lemmas) in columns that numpy gathers from.

    At most ``size`` chunks are held: when a slice would take it past that, only the chunks used
    since the last such turn are kept (those still in use survive, as in
    :class:`~analysis.text.recent_cache.RecentCache`).
    """

    def __init__(self, lang: str, lemmatizer: str, size: int = CHUNK_CACHE_SIZE):
        self.lang, self.lemmatizer, self.size = lang, lemmatizer, size
        self.strings = pa.array([], type=pa.large_string())  # chunk number -> its text
        # chunk number -> analysis.analyze_chunk(...) (offsets and counts)
        self.records = GrowingColumn(object, tuples=True)
        self.first, self.count = GrowingColumn(np.int64), GrowingColumn(np.int64)  # its tokens' rows below
        self.n_words = GrowingColumn(np.int64)
        self.used = np.zeros(0, dtype=bool)
        self.words, self.kinds, self.lemmas = GrowingColumn(object), GrowingColumn(object), GrowingColumn(object)
        self.lengths, self.codes = GrowingColumn(np.int64), GrowingColumn(np.int8)  # each token's length, negation code
        self.word_kind = GrowingColumn(bool)  # the token is of a word's kind (analysis.WORD_KINDS)
        self._word_arrays: list[pa.Array] = []  # the words again, as Arrow strings (see word_range)
        self.turns = 0  # a text's token rows hold until the next turn
        self.coded: dict = {}  # a measure's values per token row or per chunk (coded_columns.coded_column)
        self._distinct: tuple = (None, None)  # the last distinct_tokens: ((start, end, turns), (ids, firsts))
        self._encoded: tuple = (None, None)  # the last encoded_words: ((start, end, turns), its DictionaryArray)
        self._batch: tuple = (None, None)  # the last token_batch: ((start, end, turns), its TokenBatch)

    def __len__(self) -> int:
        return len(self.strings)

    def numbers(self, chunks: pa.Array) -> np.ndarray:
        """Each chunk's number, the new ones added (tokenised and lemmatised once each)."""
        if not len(self):  # a new vocabulary: every chunk is new, none to look up
            encoded = pc.dictionary_encode(chunks)
            self._add(encoded.dictionary)
            return encoded.indices.to_numpy().astype(np.int64)
        found = pc.index_in(chunks, value_set=self.strings)
        numbers = found.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
        known = numbers >= 0
        self.used[numbers[known]] = True
        if known.all():
            return numbers
        unknown = pc.dictionary_encode(chunks.filter(found.is_null()))  # the new chunks, each once, in order
        new = unknown.dictionary
        if len(self) + len(new) > self.size and len(self):
            numbers = self._turn(numbers)
            self.used[numbers[known]] = True
        base = len(self)
        self._add(new)
        numbers[~known] = base + unknown.indices.to_numpy()
        return numbers

    def _add(self, new: pa.Array) -> None:
        made = [analyze_chunk(chunk, self.lang, self.lemmatizer) for chunk in new.to_pylist()]
        counts = list(map(len, map(_WORDS, made)))
        self.first.extend(self.words.n + np.cumsum([0] + counts[:-1]))
        self.count.extend(counts)
        self.n_words.extend(list(map(_N_WORDS, made)))
        words = list(chain.from_iterable(map(_WORDS, made)))
        self.words.extend(words)
        kinds = list(chain.from_iterable(map(_KINDS, made)))
        self.kinds.extend(kinds)
        self.word_kind.extend(list(map(WORD_KINDS.__contains__, kinds)))
        self.lemmas.extend(list(chain.from_iterable(map(_LEMMAS, made))))
        self.lengths.extend(list(map(len, words)))
        self.codes.extend(negation_code_column(self.encoded_words(self.words.n - len(words), self.words.n), self.lang))
        self.records.extend(made)
        self.strings = pa.concat_arrays([self.strings, new])
        self.used = np.concatenate([self.used, np.ones(len(new), dtype=bool)])

    def distinct_tokens(self, start: int, end: int) -> tuple[np.ndarray, np.ndarray]:
        """The token rows ``start … end - 1`` by their token, ``(ids, firsts)``: row ``start + i`` holds
        the word and kind of row ``start + firsts[ids[i]]``, and so its lemma too
        (:func:`~analysis.text.analysis.analyze_chunk` lemmatises a token by its text and kind). A
        measure's column is made once per distinct token (about half the rows of news text); the
        last range's are kept, as every measure asks for the same new rows in turn.

        >>> vocabulary = ChunkVocabulary("de", "simplemma")
        >>> vocabulary.numbers(pa.array(["Kim,", "Kim", "schweigt."], type=pa.large_string())).tolist()
        [0, 1, 2]
        >>> vocabulary.words.view().tolist(), vocabulary.distinct_tokens(0, 5)[0].tolist()
        (['Kim', ',', 'Kim', 'schweigt', '.'], [0, 1, 0, 2, 3])
        """
        key = (start, end, self.turns)
        if self._distinct[0] != key:
            kinds = self.kinds.data[start:end]
            encoded = self.encoded_words(start, end)
            ids = encoded.indices.to_numpy().astype(np.int64)
            firsts = _first_rows(ids, len(encoded.dictionary))
            other = np.flatnonzero(kinds != kinds[firsts[ids]])
            if len(other):  # a word met as another kind before: a token of its own
                ids[other] = len(firsts) + np.arange(len(other))
                firsts = np.concatenate([firsts, other])
            self._distinct = (key, (ids, firsts))
        return self._distinct[1]

    def token_batch(self, start: int, end: int) -> tuple[np.ndarray, TokenBatch]:
        """``(ids, tokens)``: the distinct tokens of rows ``start … end - 1`` (:meth:`distinct_tokens`) as a
        :class:`~analysis.text.token_batch.TokenBatch`, and each row's among them; the last range's
        batch is kept, so the measures that ask for the same new rows in turn share its Arrow forms."""
        ids, firsts = self.distinct_tokens(start, end)
        key = (start, end, self.turns)
        if self._batch[0] != key:
            rows = start + firsts
            self._batch = (key, TokenBatch(self.words.data[rows], self.kinds.data[rows], self.lemmas.data[rows],
                                           arrow_words=self.word_range(start, end).take(pa.array(firsts))))
        return ids, self._batch[1]

    def encoded_words(self, start: int, end: int) -> pa.DictionaryArray:
        """The words of token rows ``start … end - 1``, dictionary-encoded: each distinct word once, in order of
        first use. The last range's are kept: the negation codes of a slice's new rows and the measures'
        distinct tokens (:meth:`distinct_tokens`) ask for the same rows (the first measure after the slice)."""
        key = (start, end, self.turns)
        if self._encoded[0] != key:
            self._encoded = (key, pc.dictionary_encode(self.word_range(start, end)))
        return self._encoded[1]

    def word_range(self, start: int, end: int) -> pa.Array:
        """The words of token rows ``start … end - 1`` as one Arrow array (each row converted once)."""
        held = sum(map(len, self._word_arrays))
        if held < self.words.n:
            self._word_arrays.append(pa.array(self.words.data[held:self.words.n], type=pa.large_string()))
        return pa.chunked_array(self._word_arrays, type=pa.large_string()).slice(start, end - start).combine_chunks()

    def _turn(self, numbers: np.ndarray) -> np.ndarray:
        """Keep the chunks used since the last turn (renumbered in order); ``numbers`` renumbered."""
        kept = np.flatnonzero(self.used)
        if len(kept) > self.size // 2:  # most of the vocabulary is in use: keep this slice's chunks only
            kept = np.unique(numbers[numbers >= 0])
        renumber = np.full(len(self), -1, dtype=np.int64)
        renumber[kept] = np.arange(len(kept))
        rows = expand_rows(self.first.view()[kept], self.count.view()[kept])
        n_rows, n_chunks = self.words.n, len(self)
        for key, coded in list(self.coded.items()):  # a column that holds every row keeps the kept ones
            if coded.codes.n == (n_rows if key[1] == "token" else n_chunks):
                coded.codes.keep(rows if key[1] == "token" else kept)
            else:
                del self.coded[key]
        for column in (self.words, self.kinds, self.lemmas, self.lengths, self.codes, self.word_kind):
            column.keep(rows)
        self._word_arrays = []  # made again from the rows kept
        counts = self.count.view()[kept]
        self.first.keep(kept)
        self.first.data[:len(kept)] = np.cumsum(counts) - counts
        for column in (self.count, self.n_words, self.records):
            column.keep(kept)
        self.strings = self.strings.take(pa.array(kept))
        self.used = np.zeros(len(kept), dtype=bool)
        self.turns += 1
        return np.where(numbers >= 0, renumber[np.maximum(numbers, 0)], -1)


def _first_rows(ids: np.ndarray, n_ids: int) -> np.ndarray:
    """The row where each id ``0 … n_ids - 1`` first appears in ``ids``. Arrow numbers a column's values
    in the order they first appear, so a first appearance is where the running maximum grows (checked:
    sorting finds them otherwise).

    >>> _first_rows(np.array([0, 1, 0, 2, 1]), 3).tolist(), _first_rows(np.array([1, 0, 1]), 2).tolist()
    ([0, 1, 3], [1, 0])
    """
    firsts = np.flatnonzero(np.diff(np.maximum.accumulate(ids), prepend=-1) > 0)
    return firsts if len(firsts) == n_ids else np.unique(ids, return_index=True)[1]


def expand_rows(firsts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """The rows ``firsts[k] … firsts[k] + counts[k] - 1`` for each k, in order.

    >>> expand_rows(np.array([5, 0, 9]), np.array([2, 0, 3])).tolist()
    [5, 6, 9, 10, 11]
    """
    total = int(counts.sum())
    ends = np.cumsum(counts)
    return np.arange(total, dtype=np.int64) + np.repeat(firsts - (ends - counts), counts)


VOCABULARIES: dict[tuple[str, str], ChunkVocabulary] = {}
CHUNK_STORES.append(VOCABULARIES)  # emptied by analysis.text.analysis.clear_cache


def chunk_vocabulary(lang: str, lemmatizer: str) -> ChunkVocabulary:
    """The process's :class:`ChunkVocabulary` for ``lang`` and ``lemmatizer``."""
    key = (lang, lemmatizer)
    with VOCABULARY_LOCK:
        if key not in VOCABULARIES:
            VOCABULARIES[key] = ChunkVocabulary(lang, lemmatizer)
        return VOCABULARIES[key]
