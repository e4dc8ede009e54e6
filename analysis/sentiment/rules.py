"""The lexicon rules: which words count, how much, and where the target's context is.

For each word token of a text: look up its lowercased surface form and its lemma in the
lexicon (so ``schlechten`` scores like ``schlecht``; of two entries with the same sign the
stronger counts, of two with different signs the surface form's); flip it inside a negation's scope
(:func:`analysis.text.negation_scope`: ``nicht gut``, ``kein Erfolg``, ``ohne Hoffnung``);
multiply it by the intensifier or diminisher right before it (``sehr gut``, ``kaum
Hoffnung``); and weigh it by the target's context. A non-noun entry does not match a
capitalised word inside a sentence unless an article precedes it and no capitalised word
follows (*Große Koalition* and *Freie Wähler* are names; *das Schlimmste* is an evaluation);
acronyms (``BUND``) and size or age adjectives (``groß``, ``hoch``, ``alt``) never count.
The polarity is the weighted sum squashed into (-1, 1): ``total / sqrt(total**2 + 1)``, so
one plain sentiment word gives ±0.71, two give ±0.89. The tests around a lexicon word read its
neighbours' flags (a word, capitalised, an article …; :mod:`analysis.sentiment.token_columns`), for
all the words of a slice of texts at once (:func:`sentence_scores_many`, :func:`analyse_many`,
:func:`summaries_many`).

Context (only with a target span): ``"sentence"`` weighs words in the target's sentence 1
and all others ``outside_weight``; ``"clause"`` does the same for the target's clause
(between commas, colons, dashes, brackets and contrastive conjunctions); ``"window"`` for
words at most ``window`` tokens from the target; ``"text"`` weighs every word 1.

>>> from analysis.sentiment.lexicons import load_lexicon, load_modifiers
>>> lexicon, modifiers = load_lexicon("de"), load_modifiers("de")
>>> [round(analyse(t, None, lang="de", lexicon=lexicon, modifiers=modifiers).polarity, 2)
...  for t in ["Das ist gut.", "Das ist nicht gut.", "Das ist sehr gut.", "Das ist kaum gut."]]
[0.71, -0.71, 0.81, 0.29]
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from typing import NamedTuple

import numpy as np

from analysis.sentiment.token_columns import (ARTICLE, CAPITAL, MODIFIER, STOP, WORD, TokenColumns,
                                              token_columns)
from analysis.sentiment.array_sums import array_sums
from analysis.text.analysis import TextAnalysis, analyze
from analysis.text.spans import token_ranges_many
from analysis.text.tokenize import Token

CONTEXTS = ("sentence", "clause", "window", "text")
NEGATION_FACTOR = -1.0
_CLAUSE_BREAKS = frozenset(",;:()[]–—\"„“”»«") | frozenset(
    {"aber", "sondern", "jedoch", "während", "obwohl", "weil", "but", "while", "although", "because", "whereas"})


class Analysis(NamedTuple):
    """One text's scoring: per-token lexicon prior, modifier, negation, context weight.

    ``source`` is the text's :func:`analysis.text.analysis.analyze`; ``tokens`` and ``lemmas``
    (lowercased) are read from it.
    """

    source: TextAnalysis
    prior: np.ndarray  # lexicon weight of each token, 0 where none
    modifier: np.ndarray  # intensifier/diminisher factor
    negated: np.ndarray  # bool
    context: np.ndarray  # context weight (1 without a target)
    n_words: int  # word tokens in the weighted context

    @property
    def tokens(self) -> tuple[Token, ...]:
        return self.source.tokens

    @property
    def lemmas(self) -> tuple[str, ...]:
        """The lowercased lemma of each token."""
        return self.source.lower_lemmas

    @property
    def contribution(self) -> np.ndarray:
        """Each token's signed contribution to the total."""
        sign = np.where(self.negated, NEGATION_FACTOR, 1.0)
        return self.prior * self.modifier * sign * self.context

    @property
    def total(self) -> float:
        return float(self.contribution.sum())

    @property
    def polarity(self) -> float:
        return squash(self.total)

    @property
    def n_matched(self) -> int:
        """Sentiment words counted (context weight above 0)."""
        return int(np.count_nonzero((self.prior != 0) & (self.context > 0)))


def squash(total):
    """Map a sum of word polarities (a float or an array of them) into (-1, 1): ``total / sqrt(total**2 + 1)``."""
    if isinstance(total, np.ndarray):
        return total / np.sqrt(total * total + 1.0)
    return total / math.sqrt(total * total + 1.0)


def analyse(text: str, span, *, lang: str, lexicon: dict, modifiers: dict, context: str = "clause",
            window: int = 10, outside_weight: float = 0.5, lemmatizer: str = "simplemma") -> Analysis:
    """Apply the lexicon rules to one text; ``span`` is the target's (start, end) or None.

    Tokens, lemmas (of ``lemmatizer``), negation scopes and sentences are the text's
    :func:`~analysis.text.analysis.analyze`.
    """
    return analyse_mentions(text, [span], lang=lang, lexicon=lexicon, modifiers=modifiers, context=context,
                            window=window, outside_weight=outside_weight, lemmatizer=lemmatizer)[0]


def analyse_mentions(text: str, spans, *, lang: str, lexicon: dict, modifiers: dict, context: str = "clause",
                     window: int = 10, outside_weight: float = 0.5, lemmatizer: str = "simplemma") -> list[Analysis]:
    """:func:`analyse` of ``text`` for each target span in ``spans`` (or None): the lexicon weights,
    modifiers and negation of its tokens are read once and shared by the analyses (do not modify them).

    >>> from analysis.sentiment.lexicons import load_lexicon, load_modifiers
    >>> text = "Putin droht, doch Kiew hofft."
    >>> [a.polarity for a in analyse_mentions(text, [(0, 5), (18, 22)], lang="de", lexicon=load_lexicon("de"),
    ...                                       modifiers=load_modifiers("de"))] == [
    ...     analyse(text, span, lang="de", lexicon=load_lexicon("de"), modifiers=load_modifiers("de")).polarity
    ...     for span in [(0, 5), (18, 22)]]
    True
    """
    return analyse_many([(text, spans)], lang=lang, lexicon=lexicon, modifiers=modifiers, context=context,
                        window=window, outside_weight=outside_weight, lemmatizer=lemmatizer)[0]


def analyse_many(items, *, lang: str, lexicon: dict, modifiers: dict, context: str = "clause", window: int = 10,
                 outside_weight: float = 0.5, lemmatizer: str = "simplemma") -> list[list[Analysis]]:
    """:func:`analyse_mentions` of each ``(text, spans)`` of ``items``; the words of all the texts are
    weighed at once (:func:`word_weights` of each, the texts read as one).

    >>> from analysis.sentiment.lexicons import load_lexicon, load_modifiers
    >>> made = analyse_many([("Kiew hofft.", [None]), ("Putin droht, doch Kiew hofft.", [(0, 5), (18, 22)])],
    ...                     lang="de", lexicon=load_lexicon("de"), modifiers=load_modifiers("de"))
    >>> [[round(a.polarity, 2) for a in analyses] for analyses in made]  # the clause around the target counts fully
    [[0.71], [-0.45, 0.45]]
    """
    text_analyses = [analyze(text, lang=lang, lemmatizer=lemmatizer) for text, _ in items]
    if not text_analyses:
        return []
    offsets = _token_offsets(text_analyses)
    index, weights, factors = _counted(token_columns(text_analyses, lexicon, modifiers), (offsets[:-1], offsets[1:]))
    cuts = np.searchsorted(index, offsets).tolist()
    made = []
    for k, (text_analysis, (_, spans)) in enumerate(zip(text_analyses, items)):
        kinds = text_analysis.kinds
        n = len(kinds)
        prior, modifier = np.zeros(n), np.ones(n)
        counted = index[cuts[k]:cuts[k + 1]] - offsets[k]
        prior[counted], modifier[counted] = weights[cuts[k]:cuts[k + 1]], factors[cuts[k]:cuts[k + 1]]
        negated = np.fromiter(text_analysis.negated, dtype=bool, count=n)
        analyses, n_all = [], None
        for span in spans:
            context_weights = _context_weights(text_analysis, span, context, window, outside_weight)
            if outside_weight > 0 or span is None or context == "text":
                n_all = kinds.count("word") if n_all is None else n_all
                n_words = n_all
            else:
                n_words = sum(1 for kind, w in zip(kinds, context_weights) if kind == "word" and w > 0)
            analyses.append(Analysis(text_analysis, prior, modifier, negated, context_weights, n_words))
        made.append(analyses)
    return made


def summaries_many(items, *, lang: str, lexicon: dict, modifiers: dict, context: str = "clause", window: int = 10,
                   outside_weight: float = 0.5, lemmatizer: str = "simplemma") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(polarity, n_words, n_matched)`` arrays, one entry per ``(text, span)`` of ``items``: the
    :class:`Analysis` of :func:`analyse` summed, equal to it, without the arrays each analysis holds.
    The words of all the texts are weighed at once, and each counted word's context weight is read
    from its text's context range: a text costs its range and no numpy calls of its own.

    >>> from analysis.sentiment.lexicons import load_lexicon, load_modifiers
    >>> polarity, n_words, n_matched = summaries_many(
    ...     [("Kiew hofft.", None), ("Putin droht, doch Kiew hofft.", (0, 5))], lang="de",
    ...     lexicon=load_lexicon("de"), modifiers=load_modifiers("de"))
    >>> polarity.round(2).tolist(), n_words.tolist(), n_matched.tolist()
    ([0.71, -0.45], [2, 5], [1, 2])
    """
    text_analyses = [analyze(text, lang=lang, lemmatizer=lemmatizer) for text, _ in items]
    m = len(text_analyses)
    offsets = _token_offsets(text_analyses)
    if not m or not offsets[-1]:
        return squash(np.zeros(m)), np.zeros(m, dtype=np.int64), np.zeros(m, dtype=np.int64)
    index, weights, factors = _counted(token_columns(text_analyses, lexicon, modifiers), (offsets[:-1], offsets[1:]))
    # each text's range [begin, end) weighs 1 and the rest `outside` (1 where there is no range)
    begin, end = np.zeros(m, dtype=np.int64), offsets[1:] - offsets[:-1]
    outside, n_words = np.ones(m), np.zeros(m, dtype=np.int64)
    for k, (text_analysis, (_, span)) in enumerate(zip(text_analyses, items)):
        bounds = _context_range(text_analysis, span, context, window)
        if bounds is not None:
            begin[k], end[k], outside[k] = bounds[0], bounds[1], outside_weight
        kinds = text_analysis.kinds
        n_words[k] = kinds.count("word") if outside[k] > 0 else kinds[bounds[0]:bounds[1]].count("word")
    text = np.searchsorted(offsets, index, side="right") - 1
    at = index - offsets[text]
    inside = (begin[text] <= at) & (at < end[text])
    negated = _negated(text_analyses)
    context_weight = np.where(inside, 1.0, outside[text])
    contribution = weights * factors * np.where(negated[index], NEGATION_FACTOR, 1.0) * context_weight
    totals = array_sums(text, at, offsets[1:] - offsets[:-1], contribution)  # as analyse sums a text's array
    matched = (weights != 0) & (context_weight > 0)
    return squash(totals), n_words, np.bincount(text[matched], minlength=m)


def word_weights(text_analysis: TextAnalysis, lexicon: dict, modifiers: dict, bounds=None):
    """The words the lexicon rules count: ``(index, prior, modifier)`` arrays of their token
    indices, lexicon weights and intensifier factors.

    ``bounds``: ``(begins, ends)``, sorted token index ranges that do not overlap (a document's
    sentences); a word's neighbours and modifiers are read only inside its range, and words
    outside every range do not count. None reads the whole text as one range.

    >>> from analysis.sentiment.lexicons import load_lexicon, load_modifiers
    >>> text = analyze("Sehr gut. Gut", lang="de")
    >>> index, prior, modifier = word_weights(text, load_lexicon("de"), load_modifiers("de"), ([0, 3], [3, 4]))
    >>> index.tolist(), prior.tolist(), modifier.tolist()
    ([1, 3], [1.0, 1.0], [1.4, 1.0])
    """
    tokens = token_columns([text_analysis], lexicon, modifiers)
    return _counted(tokens, (0, len(text_analysis)) if bounds is None else bounds)


def sentence_scores(text_analysis: TextAnalysis, lexicon: dict, modifiers: dict):
    """``(polarity, n_words, n_matched)`` arrays, one entry per sentence of the text: what
    :func:`analyse` gives each sentence on its own (no target), read in one pass over the text.

    >>> from analysis.sentiment.lexicons import load_lexicon, load_modifiers
    >>> text = analyze("Das ist nicht gut. Ein Erfolg! Die Sitzung beginnt.", lang="de")
    >>> polarity, n_words, n_matched = sentence_scores(text, load_lexicon("de"), load_modifiers("de"))
    >>> polarity.round(2).tolist(), n_words.tolist(), n_matched.tolist()
    ([-0.71, 0.71, 0.0], [4, 2, 3], [1, 1, 0])
    """
    return sentence_scores_many([text_analysis], lexicon, modifiers)[0]


def sentence_scores_many(text_analyses: list[TextAnalysis], lexicon: dict, modifiers: dict) -> list[tuple]:
    """:func:`sentence_scores` of each text, the texts read as one: their tokens' lexicon entries and
    flags are gathered at once (from their chunk vocabulary when they were analysed with their
    slice) and the rules run once over all their sentences, so a text costs no fixed numpy calls
    of its own.

    >>> from analysis.sentiment.lexicons import load_lexicon, load_modifiers
    >>> texts = [analyze(t, lang="de") for t in ["Kein Erfolg. Ein Erfolg!", "", "Gut."]]
    >>> [p.round(2).tolist() for p, _, _ in sentence_scores_many(texts, load_lexicon("de"), load_modifiers("de"))]
    [[-0.71, 0.71], [], [0.71]]
    """
    if not text_analyses:
        return []
    sentences = [a.sentences for a in text_analyses]
    n_sentences = np.array([len(spans) for spans in sentences], dtype=np.int64)
    firsts, lasts = token_ranges_many(text_analyses, sentences)
    tokens = token_columns(text_analyses, lexicon, modifiers)
    index, prior, modifier = _counted(tokens, (firsts, lasts))
    negated = _negated(text_analyses)
    contribution = prior * modifier * np.where(negated[index], NEGATION_FACTOR, 1.0)  # context weight 1
    sentence = np.searchsorted(firsts, index, side="right") - 1
    totals = array_sums(sentence, index - firsts[sentence], lasts - firsts, contribution)  # as analyse sums them
    words_before = np.concatenate(([0], np.cumsum(tokens.flags & WORD != 0)))
    n_words = words_before[lasts] - words_before[firsts]
    n_matched = np.bincount(sentence[prior != 0], minlength=len(firsts))
    polarity, at = squash(totals), np.concatenate(([0], np.cumsum(n_sentences))).tolist()
    return [(polarity[a:b], n_words[a:b], n_matched[a:b]) for a, b in zip(at[:-1], at[1:])]


def _token_offsets(text_analyses: list[TextAnalysis]) -> np.ndarray:
    """Where each text's tokens start among the texts' tokens one after another, and their number in all."""
    return np.concatenate(([0], np.cumsum([len(a) for a in text_analyses]))).astype(np.int64)


def _negated(text_analyses: list[TextAnalysis]) -> np.ndarray:
    """Each token's negation flag, the texts' tokens one after another (each text's tuple of bools
    read as bytes: three times faster than a value at a time)."""
    return np.frombuffer(b"".join([bytes(a.negated) for a in text_analyses]), dtype=bool)


def _counted(tokens: TokenColumns, bounds) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(index, prior, modifier)`` of the words the rules count (:func:`word_weights`); ``bounds``:
    sorted token ranges that do not overlap, as ``(begins, ends)`` arrays or one ``(begin, end)``.

    A lexicon word's neighbours are tested by their flags, not their strings, for all the words at once."""
    flags, n = tokens.flags, len(tokens.flags)
    index = np.flatnonzero(tokens.listed & (flags & WORD != 0))
    if np.ndim(bounds[0]) == 0:
        begin, end = np.full(len(index), bounds[0]), np.full(len(index), bounds[1])
    elif len(bounds[0]) == 0:
        begin = end = np.full(len(index), n)  # no range: no word counts
    else:  # the range each word falls in or follows; a word before every range gets begin n: not counted
        starts, stops = np.asarray(bounds[0], dtype=np.int64), np.asarray(bounds[1], dtype=np.int64)
        at = np.searchsorted(starts, index, side="right") - 1
        begin, end = np.where(at >= 0, starts[at], n), stops[at]
    inside = (begin <= index) & (index < end)
    index, begin, end = index[inside], begin[inside], end[inside]
    # the neighbours inside the range: none before reads as a full stop, none after as nothing
    before = np.where(index > begin, flags[np.maximum(index - 1, 0)], STOP)
    following = np.minimum(index + 1, max(n - 1, 0))
    has_next = index + 1 < end
    after = np.where(has_next, flags[following], 0)
    own = flags[index]
    # a capitalised adjective inside a name (Große Koalition), not "das Schlimmste"
    in_name = (~tokens.noun[index] & (own & CAPITAL != 0) & (before & STOP == 0)
               & ((before & ARTICLE == 0) | (after & CAPITAL != 0)))
    # the word modifies the next one ("richtig gut") instead of counting itself
    modifies = (own & MODIFIER != 0) & has_next & tokens.listed[following]
    counted = ~(in_name | modifies)
    index, begin, before = index[counted], begin[counted], before[counted]
    # up to two intensifiers/diminishers right before the word, past one article: "kaum eine Chance"
    first = index - 1 - (before & ARTICLE != 0)
    one = (first >= begin) & (flags[np.maximum(first, 0)] & MODIFIER != 0)
    two = one & (first - 1 >= begin) & (flags[np.maximum(first - 1, 0)] & MODIFIER != 0)
    factor = (np.where(one, tokens.factor[np.maximum(first, 0)], 1.0)
              * np.where(two, tokens.factor[np.maximum(first - 1, 0)], 1.0))
    return index, tokens.weight[index], factor


def _context_weights(text_analysis: TextAnalysis, span, context, window, outside_weight) -> np.ndarray:
    weights = np.ones(len(text_analysis.words))
    bounds = _context_range(text_analysis, span, context, window)
    if bounds is not None:
        weights[:] = outside_weight
        weights[bounds[0]:bounds[1]] = 1.0
    return weights


def _context_range(text_analysis: TextAnalysis, span, context, window) -> tuple[int, int] | None:
    """The tokens ``[begin, end)`` that weigh 1 around the target ``span`` (the others weigh
    ``outside_weight``), or None where every token weighs 1 (no target, ``context="text"``, no token)."""
    n = len(text_analysis.words)
    if span is None or context == "text" or not n:
        return None
    starts, ends = text_analysis.starts, text_analysis.ends
    first, last = bisect_right(ends, span[0]), bisect_left(starts, span[1]) - 1  # tokens overlapping the span
    if first > last:  # a span between tokens: take the nearest token
        first = last = int(np.argmin([abs(start - span[0]) for start in starts]))
    if context == "window":
        return max(first - window, 0), last + window + 1
    begin, end = _sentence_of(text_analysis, span[0])
    if context == "clause":
        begin, end = _clause_of(text_analysis.words, first, last, begin, end)
    return begin, end


def _sentence_of(text_analysis: TextAnalysis, position: int) -> tuple[int, int]:
    """Token index range of the sentence containing character ``position``."""
    n = len(text_analysis.words)
    for start, end in text_analysis.sentences:
        if start <= position < end:
            first, last = bisect_left(text_analysis.starts, start), bisect_right(text_analysis.ends, end)
            return (first, last) if first < last else (0, n)
    return 0, n


def _clause_of(words, first, last, begin, end) -> tuple[int, int]:
    """Token range of the clause around the target inside the sentence ``[begin, end)``."""
    left = first
    while left > begin and words[left - 1].lower() not in _CLAUSE_BREAKS:
        left -= 1
    right = last + 1
    while right < end and words[right].lower() not in _CLAUSE_BREAKS:
        right += 1
    return left, right
