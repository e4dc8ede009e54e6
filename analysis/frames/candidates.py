"""Each token's candidate patterns (those whose first word it matches), as a matcher reads them:
from a column of the token's chunk vocabulary, else from the matcher's cache of words; only the
words that may start a pattern are looked up one by one (see
:meth:`~analysis.frames.matcher.PatternMatcher.find`)."""

from __future__ import annotations

from functools import partial
from itertools import compress

import numpy as np

from analysis.text.analysis import VOCABULARY_FROM, TextAnalysis
from analysis.text.token_batch import TokenBatch
from analysis.text.coded_columns import token_codes

CACHE_SIZE = 200_000  # distinct tokens remembered per matcher (then the cache starts afresh)


def token_candidates(cache: dict, analysis: TextAnalysis, make, maybe) -> "TokenCandidates":
    """``cache[word]`` (a word's candidate patterns) for each token of ``analysis``; the missing
    ones made by ``make(text, kind, lemma)`` from each missing word's first token (the cache
    starts afresh when full), or ``()`` where ``maybe(tokens)`` (the indices of the words of a
    :class:`~analysis.text.token_batch.TokenBatch` that may have any) says it has none. Only
    candidates are kept: most words have none and share ``()``.

    A text analysed with its slice (:func:`~analysis.text.many.analyze_many`) reads its tokens'
    candidates from a column of its chunk vocabulary instead, gathered by its token rows
    (:func:`~analysis.text.coded_columns.token_codes`): no dict look-up per token.

    A token's kind and lemma follow from its text (one tokeniser; one cache per language and
    lemmatiser), so the text is the key. A long text's distinct words
    (:attr:`~analysis.text.analysis.TextAnalysis.vocabulary`) are looked up once each, however
    often it repeats them, and its tokens reach the result through the word ids; a text shorter
    than :data:`~analysis.text.analysis.VOCABULARY_FROM` tokens is looked up token by token,
    which costs less than making its vocabulary.
    """
    coded = token_codes(analysis, ("candidates", id(cache)), cache, partial(_new_candidates, cache, make, maybe))
    if coded is not None:
        codes, table = coded
        return TokenCandidates(table, codes, coded=True)
    if len(analysis) < VOCABULARY_FROM:
        words, word_ids, first = analysis.words, None, None
    else:
        words, word_ids, first = analysis.vocabulary
    found = list(map(cache.get, words))
    if None in found:
        missing = [k for k, candidates in enumerate(found) if candidates is None]
        if first is None:  # each new word once, at its first token
            at = list({words[k]: k for k in reversed(missing)}.values())
        else:
            at = first[missing].tolist()
        tokens = TokenBatch(*([column[p] for p in at] for column in (analysis.words, analysis.kinds, analysis.lemmas)))
        new = dict(zip(tokens.words.tolist(), _new_candidates(cache, make, maybe, tokens)))
        for k in missing:
            found[k] = new[words[k]]
    return TokenCandidates(found, word_ids)


def _new_candidates(cache: dict, make, maybe, tokens: TokenBatch) -> list:
    """Each token's candidates: ``()`` unless ``maybe`` lists it, else through ``cache`` (made by
    ``make`` for a word it does not hold)."""
    words, kinds, lemmas = tokens.words, tokens.kinds, tokens.lemmas
    found: list = [()] * len(words)
    for k in maybe(tokens):
        text = words[k]
        candidates = cache.get(text)
        if candidates is None:
            if len(cache) >= CACHE_SIZE:
                cache.clear()
            candidates = cache[text] = make(text, kinds[k], lemmas[k])
        found[k] = candidates
    return found


class TokenCandidates:
    """Each token's candidates as a read-only sequence: ``by_word`` per token, or per distinct
    word reached through ``word_ids`` (nothing stored per token); ``coded``: ``word_ids`` are
    the codes of a :class:`~analysis.text.coded_columns.CodedColumn`, whose code 0 alone has none."""

    __slots__ = ("by_word", "word_ids", "coded")

    def __init__(self, by_word: list, word_ids: np.ndarray | None, coded: bool = False):
        self.by_word, self.word_ids, self.coded = by_word, word_ids, coded

    def __getitem__(self, index: int):
        return self.by_word[index if self.word_ids is None else self.word_ids[index]]

    def hits(self) -> list[int]:
        """The tokens that have candidate patterns, in text order."""
        if self.word_ids is None:
            return list(compress(range(len(self.by_word)), self.by_word))
        if self.coded:
            return np.flatnonzero(self.word_ids).tolist()
        has = np.fromiter(map(bool, self.by_word), dtype=bool, count=len(self.by_word))
        return np.flatnonzero(has[self.word_ids]).tolist() if has.any() else []
