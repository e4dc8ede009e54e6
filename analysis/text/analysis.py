"""One analysis per document, read by every measure: tokens with offsets, lemmas, sentences, negation.

A document is analysed once per (text, language, lemmatiser): :func:`analyze` returns a
:class:`TextAnalysis` from a bounded in-process cache, so frames, sentiment, actors, KWIC,
collocations and :class:`~analysis.text.Preprocessor` share the work and agree on what a
token, a lemma, a sentence and a negation scope are. Lemmas come from one cache per
lemmatiser (:func:`analysis.text.lemmatize.lemma`), so ``Preprocessor(lemmatizer="hanta")`` and a measure run with
``lemmatizer="hanta"`` see the same lemmas.

Languages are ``"de"`` and ``"en"``; anything else is an error
(:func:`analysis.text.language.check_lang`), and a document without a language is detected
(:func:`analysis.text.language.document_langs`) — never silently German.

>>> a = analyze("Die Soldaten kämpfen nicht. Kim schickt keine Truppen.", lang="de")
>>> [t.text for t in a.tokens][:4], a.lemmas[:3]
(['Die', 'Soldaten', 'kämpfen', 'nicht'], ('der', 'Soldat', 'kämpfen'))
>>> [t.text for t, neg in zip(a.tokens, a.negated) if neg]
['Truppen']
>>> len(a.sentences), a.sentence_of(5)
(2, 1)
>>> analyze("Die Soldaten kämpfen nicht. Kim schickt keine Truppen.", lang="de") is a  # cached
True
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from collections import OrderedDict
from contextlib import contextmanager
from contextvars import ContextVar
from functools import partial
from itertools import chain
from operator import itemgetter

import numpy as np

from analysis.text.language import check_lang
from analysis.text.lemmatize import LEMMA_CACHE_SIZE, check_lemmatizer, lemma, lemmatizer
from analysis.text.negation import negation_scope
from analysis.text.recent_cache import RecentCache
from analysis.text.segment import sentence_spans
from analysis.text.tokenize import Token, holds_letter, plain_shape, text_pieces, tokenize_chunk

WORD_KINDS = frozenset({"word", "abbreviation", "negated", "tag"})
CACHE_SIZE = 4096  # analyses kept in memory (most recently used)
# Tokens from which a measure looks a text's words up through its vocabulary (each distinct word
# once) rather than token by token: making the vocabulary costs more than it saves on shorter texts.
VOCABULARY_FROM = 2_000


class TextAnalysis:
    """One document's analysis, column by column: one entry per token in ``words`` (as written),
    ``kinds`` (word, number, punct … as :func:`~analysis.text.tokenize.tokenize_spans` says),
    ``lemmas`` (lemma of word tokens, other tokens as written), ``starts``/``ends`` (character
    offsets) and ``negated`` (in the scope of a preceding negator); ``sentences`` are (start,
    end) character spans; ``tokens`` the same as :class:`~analysis.text.tokenize.Token` tuples.

    Words, kinds and lemmas are made with the analysis; offsets, tokens, negation scopes and
    sentences on first use: frames and document sentiment never pay for offsets, actors and
    KWIC never for negation.

    ``token_rows``: where :func:`analysis.text.many.analyze_many` made the analysis, each token's
    row and each chunk's number in its chunk vocabulary (``(vocabulary, turn, rows, chunks)``;
    ``chunks`` None in an :func:`~analysis.text.spans.excerpt`), through which a measure reads a value per word or
    chunk that it keeps there (:func:`analysis.text.coded_columns.token_codes`); None otherwise.
    """

    __slots__ = ("text", "lang", "lemmatizer", "words", "kinds", "lemmas", "_chunks", "_starts", "_ends",
                 "_tokens", "_negated", "_sentences", "_sentence_starts", "_lower_lemmas", "_vocabulary", "_n_words",
                 "_n_word_tokens", "token_rows")

    def __init__(self, text: str, lang: str, words: tuple, kinds: tuple, lemmas: tuple,
                 lemmatizer: str = "simplemma", *, starts=None, ends=None, chunks=None, n_words=None, negated=None,
                 n_word_tokens=None):
        self.text, self.lang, self.lemmatizer = text, lang, lemmatizer
        self.words, self.kinds, self.lemmas = words, kinds, lemmas
        self._chunks, self._starts, self._ends, self._n_words = chunks, starts, ends, n_words
        self._n_word_tokens = n_word_tokens
        self._negated = negated
        self._tokens = self._sentences = self._sentence_starts = self._lower_lemmas = self._vocabulary = None
        self.token_rows = None

    def __len__(self) -> int:
        return len(self.words)

    @property
    def n_words(self) -> int:
        """The tokens that hold a letter (:func:`~analysis.text.tokenize.holds_letter`): the text's
        words as :func:`~analysis.explore.describe.count_words` counts them.

        >>> analyze("Kim (41) schickt 1.500 Soldat*innen.", lang="de").n_words
        3
        """
        if self._n_words is None:
            self._n_words = sum(map(holds_letter, self.words))
        return self._n_words

    @property
    def n_word_tokens(self) -> int:
        """The tokens of a word's kind (:data:`WORD_KINDS`: words, abbreviations, negated forms, tags): what a
        frame score counts its hits per 1,000 of.

        >>> analyze("Kim (41) schickt 1.500 Soldat*innen, #Krieg.", lang="de").n_word_tokens
        4
        """
        if self._n_word_tokens is None:
            self._n_word_tokens = sum(map(self.kinds.count, WORD_KINDS))
        return self._n_word_tokens

    @property
    def starts(self) -> array:
        """Each token's start offset (sorted: bisect a character position to a token), an
        ``array('q')``: 8 bytes per token, where a list of ints takes 36 (a 50 MB article has 8
        million tokens)."""
        if self._starts is None:
            self._offsets()
        return self._starts

    @property
    def ends(self) -> array:
        """Each token's end offset."""
        if self._ends is None:
            self._offsets()
        return self._ends

    def _offsets(self) -> None:
        # Tokens tile each whitespace-free chunk, so a token starts where the tokens before it
        # end plus the whitespace before its chunk: cumulative sums, no loop over tokens.
        n, chunks = len(self.words), self._chunks
        lengths = np.fromiter(map(len, self.words), dtype=np.int64, count=n)
        per_chunk = np.fromiter(map(len, map(itemgetter(0), chunks)), dtype=np.int64, count=len(chunks))
        if not self.text[:1].isspace() and len(self.text) - int(lengths.sum()) == len(chunks) - 1:
            gaps = np.ones(len(chunks), dtype=np.int64)  # one space (or line break) between chunks
            gaps[:1] = 0
        else:
            gaps = np.fromiter(map(len, _WHITESPACE.findall(self.text)), dtype=np.int64)
            if not self.text[:1].isspace():
                gaps = np.concatenate(([0], gaps))
        before = np.zeros(n, dtype=np.int64)  # whitespace right before each chunk's first token
        before[np.cumsum(per_chunk) - per_chunk] = gaps[:len(chunks)]
        ends = np.cumsum(lengths + before)
        self._starts, self._ends, self._chunks = offset_array(ends - lengths), offset_array(ends), None

    @property
    def tokens(self) -> tuple[Token, ...]:
        if self._tokens is None:
            self._tokens = tuple(map(Token, self.words, self.kinds, self.starts, self.ends))
        return self._tokens

    @property
    def vocabulary(self) -> tuple[tuple[str, ...], np.ndarray, np.ndarray]:
        """``(words, word_ids, first)``: the distinct words in order of first use, each token's
        index into them (``int32``) and each word's first token. A matcher looks up each distinct
        word once and reaches its tokens through ``word_ids`` (a 50 MB article: 8 million tokens,
        some 100,000 words).

        >>> words, ids, first = analyze("Krieg und Frieden und Krieg", lang="de").vocabulary
        >>> words, ids.tolist(), first.tolist()
        (('Krieg', 'und', 'Frieden'), [0, 1, 2, 1, 0], [0, 1, 2])
        """
        if self._vocabulary is None:
            index = dict.fromkeys(self.words)  # insertion order: first use
            for number, word in enumerate(index):
                index[word] = number
            ids = np.fromiter(map(index.__getitem__, self.words), dtype=np.int32, count=len(self.words))
            seen = np.maximum.accumulate(ids) if len(ids) else ids  # a word's id is new where the maximum grows
            first = np.flatnonzero(np.diff(seen, prepend=-1) > 0)
            self._vocabulary = tuple(index), ids, first
        return self._vocabulary

    @property
    def lower_lemmas(self) -> tuple[str, ...]:
        """Each token's lemma, lowercased (one string per distinct lemma, shared by all analyses)."""
        if self._lower_lemmas is None:
            if len(_LOWER) >= LEMMA_CACHE_SIZE:
                _LOWER.clear()
            lowered = list(map(_LOWER.get, self.lemmas))
            if None in lowered:
                lowered = [_LOWER.setdefault(base, base.lower()) if low is None else low
                           for base, low in zip(self.lemmas, lowered)]
            self._lower_lemmas = tuple(lowered)
        return self._lower_lemmas

    @property
    def negated(self) -> tuple[bool, ...]:
        if self._negated is None:
            self._negated = tuple(negation_scope(self.words, lang=self.lang))
        return self._negated

    @property
    def sentences(self) -> tuple[tuple[int, int], ...]:
        if self._sentences is None:
            self._sentences = tuple(sentence_spans(self.text, lang=self.lang))
        return self._sentences

    @property
    def sentence_starts(self) -> list[int]:
        """Where each sentence starts (sorted)."""
        if self._sentence_starts is None:
            self._sentence_starts = [s for s, _ in self.sentences]
        return self._sentence_starts

    def sentence_of(self, index: int) -> int:
        """The sentence (index into :attr:`sentences`) that holds token ``index``."""
        return max(0, bisect_right(self.sentence_starts, self.starts[index]) - 1)

    def sentence_at(self, position: int) -> int | None:
        """The sentence (index into :attr:`sentences`) whose span holds character ``position``, or None."""
        i = bisect_right(self.sentence_starts, position) - 1
        return i if i >= 0 and position < self.sentences[i][1] else None

    def __repr__(self) -> str:
        return f"TextAnalysis({len(self.words)} tokens, lang={self.lang!r}, lemmatizer={self.lemmatizer!r})"


def offset_array(values) -> array:
    """Character offsets as an ``array('q')`` (compact; indexing and bisect give Python ints).

    >>> offset_array(np.array([0, 4, 9]))[1:]
    array('q', [4, 9])
    """
    return array("q", np.ascontiguousarray(values, dtype=np.int64).tobytes())


_LOWER: dict[str, str] = {}  # lemma -> its lowercase form (see TextAnalysis.lower_lemmas)
CHUNK_CACHE_SIZE = 200_000  # distinct whitespace-separated chunks kept with their tokens and lemmas (~80 MB)
_WHITESPACE = re.compile(r"\s+")


_CHUNKS: dict[tuple[str, str], RecentCache] = {}  # (language, lemmatiser) -> chunk -> analyze_chunk(chunk)
# Shared columns of one-word chunks: a chunk costs two or three new tuples, not six (fewer objects
# for the collector to scan while a corpus is analysed).
_ONE_WORD, _AT_START = ("word",), (0,)
_LENGTHS = tuple((n,) for n in range(64))
_COLUMNS = (itemgetter(0), itemgetter(1), itemgetter(4))  # words, kinds, lemmas of an analyze_chunk
_N_WORDS = itemgetter(5)


def analyze_chunk(chunk: str, lang: str, name: str) -> tuple[tuple, tuple, tuple, tuple, tuple, int]:
    """``(words, kinds, starts, ends, lemmas, n_words)`` of one whitespace-free chunk (offsets
    relative to it; ``n_words``: its tokens that hold a letter).

    No token spans whitespace (:mod:`analysis.text.tokenize`), so a text's tokens are its
    chunks' tokens: each distinct chunk ("Ukraine-Krieg:") is tokenised and lemmatised once
    (:func:`_chunks`).
    """
    if chunk.isalpha():  # most chunks are one plain word: skip the tokeniser
        words, base, n = (chunk,), lemma(chunk, lang, name), len(chunk)
        return words, _ONE_WORD, _AT_START, _LENGTHS[n] if n < len(_LENGTHS) else (n,), \
            words if base == chunk else (base,), 1
    shape = plain_shape(chunk)
    if shape is not None:  # a word with a mark before or after it ("Krieg,"): its columns made directly
        return _plain_chunk(chunk, *shape, lemma(chunk[shape[0]:shape[1]], lang, name))
    tokens = tokenize_chunk(chunk)
    lemmas = tuple(lemma(t.text, lang, name) if t.kind in WORD_KINDS else t.text for t in tokens)
    words, kinds, starts, ends = (tuple(column) for column in zip(*tokens)) if tokens else ((),) * 4
    return words, kinds, starts, ends, lemmas, sum(map(holds_letter, words))


def _plain_chunk(chunk: str, first: int, last: int, base: str) -> tuple[tuple, tuple, tuple, tuple, tuple, int]:
    """:func:`analyze_chunk` of a chunk of :func:`~analysis.text.tokenize.plain_shape` ``(first, last)``
    whose word's lemma is ``base``: the word, and one punctuation mark before or after it or both."""
    n, word = len(chunk), chunk[first:last]
    if first and last < n:
        lead, trail = chunk[0], chunk[-1]
        return (lead, word, trail), _MARK_WORD_MARK, (0, first, last), (first, last, n), (lead, base, trail), 1
    if first:
        return (chunk[0], word), _MARK_WORD, _AT_START_AND_ONE, (1, n), (chunk[0], base), 1
    if last < n:
        return (word, chunk[-1]), _WORD_MARK, (0, last), (last, n), (base, chunk[-1]), 1
    return (word,), _ONE_WORD, _AT_START, (n,), (base,), 1


_MARK_WORD_MARK, _MARK_WORD, _WORD_MARK = ("punct", "word", "punct"), ("punct", "word"), ("word", "punct")
_AT_START_AND_ONE = (0, 1)


def _chunks(text: str, lang: str, name: str) -> list[tuple]:
    """:func:`analyze_chunk` of each whitespace-separated chunk of ``text``, from a cache per language and
    lemmatiser of at most :data:`CHUNK_CACHE_SIZE` chunks (a :class:`RecentCache`: the chunks in use stay)."""
    cache = _CHUNKS.get((lang, name))
    if cache is None:
        cache = _CHUNKS.setdefault((lang, name), RecentCache(CHUNK_CACHE_SIZE // 2))
    make = partial(analyze_chunk, lang=lang, name=name)
    chunks: list[tuple] = []
    for piece in text_pieces(text):
        chunks += cache.lookup(piece.split(), make)
    return chunks


def _analyze(text: str, lang: str, name: str) -> TextAnalysis:
    chunks = _chunks(text, lang, name)
    if not chunks:
        return TextAnalysis(text, lang, (), (), (), name, chunks=chunks)
    words, kinds, lemmas = (tuple(chain.from_iterable(map(column, chunks))) for column in _COLUMNS)
    return TextAnalysis(text, lang, words, kinds, lemmas, name, chunks=chunks, n_words=sum(map(_N_WORDS, chunks)))


_CACHE: OrderedDict = OrderedDict()
_SCRATCH: ContextVar[dict | None] = ContextVar("analysis_scratch", default=None)


def analyze(text: str, *, lang: str, lemmatizer: str = "simplemma") -> TextAnalysis:
    """The analysis of ``text`` in ``lang`` with ``lemmatizer`` (bounded LRU cache of :data:`CACHE_SIZE`)."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}; drop or fill missing texts first.")
    key = (text, check_lang(lang), check_lemmatizer(lemmatizer))
    found = _kept(key)
    return found if found is not None else _keep(key, _analyze(text, lang, lemmatizer))


def keep(analysis: TextAnalysis) -> TextAnalysis:
    """Put ``analysis`` (made elsewhere, e.g. by :func:`analysis.text.many.analyze_many`) where
    :func:`analyze` finds it; the analysis already kept for its text, if any, is returned instead."""
    key = (analysis.text, analysis.lang, analysis.lemmatizer)
    found = _kept(key)
    return found if found is not None else _keep(key, analysis)


def kept(text: str, *, lang: str, lemmatizer: str = "simplemma") -> TextAnalysis | None:
    """The analysis :func:`analyze` holds for ``text``, or None: nothing is made."""
    return _kept((text, lang, lemmatizer))


def _kept(key: tuple) -> TextAnalysis | None:
    """The analysis kept for ``key`` (the shared cache's, else the scratch's), or None."""
    found = _CACHE.get(key)
    if found is not None:
        _CACHE.move_to_end(key)
        return found
    scratch = _SCRATCH.get()
    return scratch.get(key) if scratch is not None else None


def _keep(key: tuple, analysis: TextAnalysis) -> TextAnalysis:
    scratch = _SCRATCH.get()
    if scratch is not None:  # inside scratch(): kept only until it ends
        scratch[key] = analysis
        return analysis
    _CACHE[key] = analysis
    while len(_CACHE) > CACHE_SIZE:
        _CACHE.popitem(last=False)
    return analysis


@contextmanager
def scratch(excerpts=()):
    """Analyses made inside the block are not kept in the shared cache, so thousands of short
    texts (each actor mention's sentence) do not push whole documents out of it. ``excerpts``:
    analyses already made (e.g. by :func:`~analysis.text.spans.excerpt`) that :func:`analyze` returns for their text."""
    kept = {(a.text, a.lang, a.lemmatizer): a for a in excerpts}
    token = _SCRATCH.set(kept)
    try:
        yield kept
    finally:
        _SCRATCH.reset(token)


def forget_documents() -> None:
    """Drop the cached document analyses (not the lemma and chunk caches): a worker calls it
    after each chunk of a large corpus, whose documents it will not see again."""
    _CACHE.clear()


CHUNK_STORES: list[dict] = [_CHUNKS]  # every store of analysed chunks (analysis.text.vocabulary adds its vocabularies)


def clear_cache() -> None:
    """Forget every cached analysis, lemma and lemmatiser (e.g. after changing a lemmatiser's data)."""
    _CACHE.clear()
    _LOWER.clear()
    for store in CHUNK_STORES:
        store.clear()
    lemma.cache_clear()
    lemmatizer.cache_clear()
