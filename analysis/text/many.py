"""Many documents analysed at once: their whitespace chunks found with Arrow, their columns gathered with numpy.

:func:`~analysis.text.analysis.analyze` reads a text chunk by chunk (``"Ukraine-Krieg:"``), each
looked up in a Python dict of the chunks it has met: a few hundred look-ups per article and a
join of their tokens, in Python. :func:`analyze_many` does the same for a slice of a corpus at
once: Arrow's compute kernels split every text at whitespace and find each chunk's number in a
:class:`ChunkVocabulary` (C++ loops, no Python string made for a known chunk); a chunk met for
the first time is tokenised and lemmatised by the same function as ``analyze`` uses
(:func:`~analysis.text.analysis.analyze_chunk`); each document's words, kinds and lemmas are then
gathered from the vocabulary's token columns with numpy, its offsets summed from the tokens' lengths
there, and its negation scopes walked only where a token's code says negator. The analyses are equal to
``analyze``'s, column by column, and go into its cache, so the measures that call ``analyze``
next find them made (:func:`analysis.scale.batch.run_steps_in_chunks` does this for each slice
of a large corpus). A measure that loops over a corpus in memory takes its analyses from
:func:`analyses`, which makes them a slice at a time the same way.

The measures read what they keep per word from the same vocabulary: a :class:`CodedColumn` holds a
measure's value for each token row (a lexicon entry, a matcher's candidate patterns) or each chunk
(a :class:`~analysis.text.Preprocessor`'s tokens), made once when the row is new and gathered by a
document's token rows (:func:`token_codes`, :func:`chunk_codes`) instead of one dict look-up per
token. The columns keep their rows when the vocabulary turns; an analysis made before a turn, by
:func:`~analysis.text.analysis.analyze`, or cut by :func:`~analysis.text.analysis.excerpt` (no
chunks) reads nothing from them, and the measure looks its words up as before.

Whitespace is the same for both: Arrow's ``utf8_split_whitespace`` and ``str.split`` split at
the same code points (every one was compared). A text longer than :data:`LONG_TEXT` characters
is left to ``analyze``, which reads it piece by piece.

>>> texts = ["Kim schickt Soldaten.", "Die Soldaten kämpfen nicht.", ""]
>>> made = analyze_many(texts, langs=["de", "de", "de"])
>>> [a.lemmas for a in made][:2]
[('Kim', 'schicken', 'Soldat', '.'), ('der', 'Soldat', 'kämpfen', 'nicht', '.')]
>>> made[1] is analyze("Die Soldaten kämpfen nicht.", lang="de")  # in analyze's cache
True
"""

from __future__ import annotations

import threading
from typing import Iterable, Iterator

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from analysis.text.analysis import (CHUNK_CACHE_SIZE, CHUNK_STORES, TextAnalysis, analyze, analyze_chunk,
                                    keep, kept, offset_array)
from analysis.text.language import check_lang
from analysis.text.lemmatize import check_lemmatizer
from analysis.text.negation import NEGATOR, negation_codes, scope_of_codes

LONG_TEXT = 1 << 20  # characters: a longer text is analysed by analyze, piece by piece
SLICE = 1000  # texts analysed together by analyses() (well inside analyze's cache)
# The vocabularies and their columns are shared by the threads of a process (a Dask worker's threads):
# one thread at a time adds to them, turns them or gathers from them.
_LOCK = threading.RLock()


class _Growing:
    """A numpy column that grows by appending (capacity doubled when full)."""

    __slots__ = ("data", "n")

    def __init__(self, dtype):
        self.data, self.n = np.empty(1024, dtype=dtype), 0

    def extend(self, values) -> None:
        values = np.asarray(values, dtype=self.data.dtype) if self.data.dtype != object else _objects(values)
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
        self.records = _Growing(object)  # chunk number -> analysis.analyze_chunk(...) (offsets and counts)
        self.first, self.count = _Growing(np.int64), _Growing(np.int64)  # its tokens' rows below
        self.n_words = _Growing(np.int64)
        self.used = np.zeros(0, dtype=bool)
        self.words, self.kinds, self.lemmas = _Growing(object), _Growing(object), _Growing(object)
        self.lengths, self.codes = _Growing(np.int64), _Growing(np.int8)  # each token's length, negation code
        self.turns = 0  # a text's token rows hold until the next turn
        self.coded: dict = {}  # a measure's values per token row or per chunk (see coded_column)

    def __len__(self) -> int:
        return len(self.strings)

    def numbers(self, chunks: pa.Array) -> np.ndarray:
        """Each chunk's number, the new ones added (tokenised and lemmatised once each)."""
        found = pc.index_in(chunks, value_set=self.strings)
        numbers = found.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
        known = numbers >= 0
        self.used[numbers[known]] = True
        if known.all():
            return numbers
        unknown = chunks.filter(found.is_null())
        new = pc.unique(unknown)
        if len(self) + len(new) > self.size and len(self):
            numbers = self._turn(numbers)
            self.used[numbers[known]] = True
        base = len(self)
        self._add(new)
        numbers[~known] = base + pc.index_in(unknown, value_set=new).to_numpy()
        return numbers

    def _add(self, new: pa.Array) -> None:
        made = [analyze_chunk(chunk, self.lang, self.lemmatizer) for chunk in new.to_pylist()]
        counts = [len(m[0]) for m in made]
        self.first.extend(self.words.n + np.cumsum([0] + counts[:-1]))
        self.count.extend(counts)
        self.n_words.extend([m[5] for m in made])
        words = [word for m in made for word in m[0]]
        self.words.extend(words)
        self.kinds.extend([kind for m in made for kind in m[1]])
        self.lemmas.extend([base for m in made for base in m[4]])
        self.lengths.extend(list(map(len, words)))
        self.codes.extend(negation_codes(words, self.lang))
        self.records.extend(made)
        self.strings = pa.concat_arrays([self.strings, new])
        self.used = np.concatenate([self.used, np.ones(len(new), dtype=bool)])

    def coded_column(self, name, owner, make, *, per: str = "token") -> "CodedColumn":
        """The column ``name`` of values per token row (``per="token"``) or per chunk
        (``per="chunk"``), kept for ``owner`` (the measure whose values they are: a lexicon, a
        matcher, a preprocessor's settings). ``make`` gives the values of rows it does not hold
        yet: ``make(words, kinds, lemmas)`` of tokens, ``make(chunks)`` of chunks (a list of str).
        At most :data:`CODED_COLUMNS` are kept (the oldest is dropped)."""
        key = (name, per)
        column = self.coded.get(key)
        if column is None or column.owner is not owner:
            if len(self.coded) >= CODED_COLUMNS:
                del self.coded[next(iter(self.coded))]
            column = self.coded[key] = CodedColumn(owner)
        done = column.codes.n
        if per == "token" and done < self.words.n:
            n = self.words.n
            column.extend(make(self.words.data[done:n], self.kinds.data[done:n], self.lemmas.data[done:n]))
        elif per == "chunk" and done < len(self):
            column.extend(make(self.strings[done:].to_pylist()))
        return column

    def _turn(self, numbers: np.ndarray) -> np.ndarray:
        """Keep the chunks used since the last turn (renumbered in order); ``numbers`` renumbered."""
        kept = np.flatnonzero(self.used)
        if len(kept) > self.size // 2:  # most of the vocabulary is in use: keep this slice's chunks only
            kept = np.unique(numbers[numbers >= 0])
        renumber = np.full(len(self), -1, dtype=np.int64)
        renumber[kept] = np.arange(len(kept))
        rows = _expand(self.first.view()[kept], self.count.view()[kept])
        n_rows, n_chunks = self.words.n, len(self)
        for key, coded in list(self.coded.items()):  # a column that holds every row keeps the kept ones
            if coded.codes.n == (n_rows if key[1] == "token" else n_chunks):
                coded.codes.keep(rows if key[1] == "token" else kept)
            else:
                del self.coded[key]
        for column in (self.words, self.kinds, self.lemmas, self.lengths, self.codes):
            column.keep(rows)
        counts = self.count.view()[kept]
        self.first.keep(kept)
        self.first.data[:len(kept)] = np.cumsum(counts) - counts
        for column in (self.count, self.n_words, self.records):
            column.keep(kept)
        self.strings = self.strings.take(pa.array(kept))
        self.used = np.zeros(len(kept), dtype=bool)
        self.turns += 1
        return np.where(numbers >= 0, renumber[np.maximum(numbers, 0)], -1)


CODED_COLUMNS = 16  # coded columns kept per vocabulary


class CodedColumn:
    """A measure's value for each token row (or each chunk) of a :class:`ChunkVocabulary`, as codes
    into ``table``, its distinct values (equal values share a code): code 0 is ``table[0]``, any
    value that is false (no entry, no candidate pattern), so a text's tokens that have one are
    ``np.flatnonzero(codes)``."""

    __slots__ = ("owner", "codes", "table", "_index")

    def __init__(self, owner):
        self.owner, self.codes, self.table, self._index = owner, _Growing(np.int32), [None], {}

    def extend(self, values) -> None:
        index, table = self._index, self.table
        codes = []
        for value in values:
            if not value:
                table[0] = value
                codes.append(0)
                continue
            code = index.get(value)
            if code is None:
                code = index[value] = len(table)
                table.append(value)
            codes.append(code)
        self.codes.extend(codes)


def token_codes(analysis: TextAnalysis, name, owner, make) -> tuple[np.ndarray, list] | None:
    """``(codes, table)``: each token's value, ``table[codes[i]]``, read from the column ``name``
    of the chunk vocabulary that made ``analysis`` (see :meth:`ChunkVocabulary.coded_column`), or
    None when ``analysis`` was not made by :func:`analyze_many` or its vocabulary has turned since.
    ``make(words, kinds, lemmas)`` gives the values of token rows new to the column: it must
    depend on nothing else, as a measure's per-word cache would.

    >>> made = analyze_many(["Kim droht, Kim schweigt."], langs=["de"])[0]
    >>> codes, table = token_codes(made, "capital", None, lambda words, kinds, lemmas: [w[:1].isupper() for w in words])
    >>> codes.tolist(), [table[c] for c in codes.tolist()][:2]
    ([1, 0, 0, 1, 0, 0], [True, False])
    """
    return _gathered(analysis, name, owner, make, "token")


def slice_codes(analyses: list[TextAnalysis], name, owner, make) -> tuple[np.ndarray, list] | None:
    """:func:`token_codes` of several analyses at once: their tokens' codes in one array, in order,
    or None unless every one was made by the same chunk vocabulary since its last turn.

    >>> made = analyze_many(["Kim droht.", "Kim schweigt."], langs=["de", "de"])
    >>> codes, table = slice_codes(made, "capital", None, lambda words, kinds, lemmas: [w[:1].isupper() for w in words])
    >>> [table[c] for c in codes.tolist()]
    [True, False, False, True, False, False]
    """
    held = [analysis.token_rows for analysis in analyses]
    if not held or any(rows is None for rows in held):
        return None
    vocabulary = held[0][0]
    with _LOCK:
        if any(rows[0] is not vocabulary or rows[1] != vocabulary.turns for rows in held):
            return None
        column = vocabulary.coded_column(name, owner, make)
        return column.codes.view()[np.concatenate([rows[2] for rows in held])], column.table


def chunk_codes(analysis: TextAnalysis, name, owner, make) -> tuple[np.ndarray, list] | None:
    """:func:`token_codes` for each whitespace chunk of ``analysis`` (``text.split()``):
    ``make(chunks)`` gives the values of chunks (str) new to the column.

    >>> made = analyze_many(["Kim droht, Kim schweigt."], langs=["de"])[0]
    >>> codes, table = chunk_codes(made, "commas", None, lambda chunks: [chunk.count(",") for chunk in chunks])
    >>> [table[c] for c in codes.tolist()]
    [0, 1, 0, 0]
    """
    return _gathered(analysis, name, owner, make, "chunk")


def _gathered(analysis: TextAnalysis, name, owner, make, per: str) -> tuple[np.ndarray, list] | None:
    with _LOCK:
        held = analysis.token_rows
        if held is None or held[1] != held[0].turns or (per == "chunk" and held[3] is None):
            return None
        vocabulary, _, rows, chunks = held
        column = vocabulary.coded_column(name, owner, make, per=per)
        return column.codes.view()[rows if per == "token" else chunks], column.table


def _expand(firsts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """The rows ``firsts[k] … firsts[k] + counts[k] - 1`` for each k, in order.

    >>> _expand(np.array([5, 0, 9]), np.array([2, 0, 3])).tolist()
    [5, 6, 9, 10, 11]
    """
    total = int(counts.sum())
    ends = np.cumsum(counts)
    return np.arange(total, dtype=np.int64) + np.repeat(firsts - (ends - counts), counts)


_VOCABULARIES: dict[tuple[str, str], ChunkVocabulary] = {}
CHUNK_STORES.append(_VOCABULARIES)  # emptied by analysis.text.analysis.clear_cache


def chunk_vocabulary(lang: str, lemmatizer: str) -> ChunkVocabulary:
    """The process's :class:`ChunkVocabulary` for ``lang`` and ``lemmatizer``."""
    key = (lang, lemmatizer)
    with _LOCK:
        if key not in _VOCABULARIES:
            _VOCABULARIES[key] = ChunkVocabulary(lang, lemmatizer)
        return _VOCABULARIES[key]


def analyze_many(texts, *, langs, lemmatizer: str = "simplemma") -> list[TextAnalysis]:
    """The analysis of each of ``texts`` (strings) in its language ``langs[i]``, equal to
    ``analyze(texts[i], lang=langs[i], lemmatizer=lemmatizer)`` and kept in its cache."""
    texts, langs = list(texts), list(langs)
    if len(langs) != len(texts):
        raise ValueError(f"langs has {len(langs)} values for {len(texts)} texts; pass one language per text.")
    lemmatizer = check_lemmatizer(lemmatizer)
    made: list[TextAnalysis | None] = [None] * len(texts)
    groups: dict[str, list[int]] = {}
    for i, (text, lang) in enumerate(zip(texts, langs)):
        if not isinstance(text, str):
            raise TypeError(f"text {i} is a {type(text).__name__}, not a str; drop or fill missing texts first.")
        if len(text) > LONG_TEXT:
            made[i] = analyze(text, lang=lang, lemmatizer=lemmatizer)
        else:
            groups.setdefault(check_lang(lang), []).append(i)
    for lang, at in groups.items():
        with _LOCK:
            group = _analyze_group([texts[i] for i in at], lang, lemmatizer)
        for i, analysis in zip(at, group):
            made[i] = keep(analysis)
    return made


def analyses(texts: Iterable, langs: Iterable, *, lemmatizer: str = "simplemma") -> Iterator[TextAnalysis]:
    """Each text's analysis, in order, as :func:`analyze` gives it; those not kept yet are made
    :data:`SLICE` texts at a time by :func:`analyze_many`, so that a measure looping over a corpus
    reads its words' values from their chunk vocabulary. A text that is not a str raises
    :func:`analyze`'s error when its turn comes.

    >>> [a.lemmas[1] for a in analyses(["Kim schickt Soldaten.", "Truppen kämpfen."], ["de", "de"])]
    ['schicken', 'kämpfen']
    """
    texts, langs = list(texts), list(langs)
    if len(langs) != len(texts):
        raise ValueError(f"langs has {len(langs)} values for {len(texts)} texts; pass one language per text.")
    return _analyses(texts, langs, lemmatizer)


def _analyses(texts: list, langs: list, lemmatizer: str) -> Iterator[TextAnalysis]:
    for start in range(0, len(texts), SLICE):
        part = range(start, min(start + SLICE, len(texts)))
        new = list(dict.fromkeys((texts[i], langs[i]) for i in part if isinstance(texts[i], str)
                                 and kept(texts[i], lang=langs[i], lemmatizer=lemmatizer) is None))
        if len(new) > 1:  # one text costs less through analyze
            analyze_many([text for text, _ in new], langs=[lang for _, lang in new], lemmatizer=lemmatizer)
        for i in part:
            yield analyze(texts[i], lang=langs[i], lemmatizer=lemmatizer)


def _analyze_group(texts: list[str], lang: str, lemmatizer: str) -> list[TextAnalysis]:
    vocabulary = chunk_vocabulary(lang, lemmatizer)
    split = pc.utf8_split_whitespace(pa.array(texts, type=pa.large_string()))
    chunks = split.flatten()
    nonempty = pc.not_equal(pc.binary_length(chunks), 0)  # Arrow keeps an empty chunk at either end of a text
    kept = np.concatenate(([0], np.cumsum(nonempty.to_numpy(zero_copy_only=False))))
    doc_chunks = kept[split.offsets.to_numpy()]  # each text's chunks: doc_chunks[i] … doc_chunks[i + 1]
    numbers = vocabulary.numbers(chunks.filter(nonempty))
    counts = vocabulary.count.view()[numbers]
    rows = _expand(vocabulary.first.view()[numbers], counts)
    doc_tokens = np.concatenate(([0], np.cumsum(counts)))[doc_chunks]
    n_words = np.concatenate(([0], np.cumsum(vocabulary.n_words.view()[numbers])))[doc_chunks].tolist()
    words, kinds, lemmas = (column.view()[rows] for column in (vocabulary.words, vocabulary.kinds, vocabulary.lemmas))
    records = vocabulary.records.view()[numbers]
    starts, ends, spaced = _offsets(texts, vocabulary.lengths.view()[rows], counts, doc_chunks, doc_tokens)
    codes = vocabulary.codes.view()[rows]
    negators = np.zeros(len(texts), dtype=bool)
    negators[np.searchsorted(doc_tokens, np.flatnonzero(codes == NEGATOR), side="right") - 1] = True
    doc_chunks, doc_tokens, negators = doc_chunks.tolist(), doc_tokens.tolist(), negators.tolist()
    rows, chunk_numbers = rows.astype(np.int32), numbers.astype(np.int32)  # 4 bytes per token kept with each analysis
    made = []
    for i, text in enumerate(texts):
        a, b = doc_tokens[i], doc_tokens[i + 1]
        made.append(TextAnalysis(
            text, lang, tuple(words[a:b].tolist()), tuple(kinds[a:b].tolist()), tuple(lemmas[a:b].tolist()),
            lemmatizer, n_words=n_words[i + 1] - n_words[i],
            negated=tuple(scope_of_codes(codes[a:b].tolist())) if negators[i] else (False,) * (b - a),
            **({"chunks": records[doc_chunks[i]:doc_chunks[i + 1]].tolist()} if spaced[i] else
               {"starts": offset_array(starts[a:b]), "ends": offset_array(ends[a:b])})))
        made[-1].token_rows = (vocabulary, vocabulary.turns, rows[a:b],
                               chunk_numbers[doc_chunks[i]:doc_chunks[i + 1]])
    return made


def _offsets(texts, lengths, counts, doc_chunks, doc_tokens) -> tuple[np.ndarray, np.ndarray, list[bool]]:
    """Each token's start and end offset in its text where the text's chunks are one whitespace
    character apart (most are), as :meth:`TextAnalysis._offsets` finds them; ``spaced``: the texts
    with other whitespace, whose offsets their analysis finds from the text when asked."""
    gaps = np.zeros(len(lengths), dtype=np.int64)
    gaps[np.cumsum(counts) - counts] = 1  # one character before each chunk's first token …
    gaps[doc_tokens[:-1][doc_tokens[:-1] < len(gaps)]] = 0  # … but a text's first
    reach = np.cumsum(lengths + gaps)
    ends = reach - np.repeat(np.concatenate(([0], reach))[doc_tokens[:-1]], np.diff(doc_tokens))
    letters = np.concatenate(([0], np.cumsum(lengths)))[doc_tokens]
    one_apart = (np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)) - np.diff(letters)
                 == np.diff(doc_chunks) - 1)
    spaced = [not apart or text[:1].isspace() for apart, text in zip(one_apart.tolist(), texts)]
    return ends - lengths, ends, spaced
