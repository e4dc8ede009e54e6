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
one plain sentiment word gives ±0.71, two give ±0.89.

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
from functools import partial
from itertools import compress
from typing import NamedTuple

import numpy as np

from analysis.text.analysis import VOCABULARY_FROM, TextAnalysis, analyze, token_ranges
from analysis.text.many import token_codes
from analysis.text.tokenize import Token

CONTEXTS = ("sentence", "clause", "window", "text")
NEGATION_FACTOR = -1.0
_SENTENCE_START = frozenset('.!?:;"„“”»«‚‘’\'(–—-')
_ARTICLES = {
    "de": frozenset({"das", "die", "der", "den", "dem", "des", "ein", "eine", "einen", "einem", "eines",
                     "nichts", "etwas", "viel", "alles", "am", "im", "zum", "aufs", "ins", "beim", "vom"}),
    "en": frozenset({"the", "a", "an"}),
}
_CLAUSE_BREAKS = frozenset(",;:()[]–—\"„“”»«") | frozenset(
    {"aber", "sondern", "jedoch", "während", "obwohl", "weil", "but", "while", "although", "because", "whereas"})
# Size and age adjectives describe, they do not evaluate ("große Koalition", "hohe Zahl"),
# though the lexicons list them; matched on the lemma, so every inflected form is covered.
NOT_EVALUATIVE = {
    "de": frozenset({"groß", "klein", "hoch", "niedrig", "lang", "kurz", "weit", "alt", "neu", "jung", "gering"}),
    "en": frozenset({"big", "small", "large", "high", "low", "long", "short", "old", "new", "young"}),
}


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
    text_analysis = analyze(text, lang=lang, lemmatizer=lemmatizer)
    kinds = text_analysis.kinds
    n = len(kinds)
    prior, modifier = np.zeros(n), np.ones(n)
    index, weights, factors = word_weights(text_analysis, lexicon, modifiers)
    prior[index], modifier[index] = weights, factors
    negated = np.fromiter(text_analysis.negated, dtype=bool, count=n)
    analyses, n_all = [], None
    for span in spans:
        weights = _context_weights(text_analysis, span, context, window, outside_weight)
        if outside_weight > 0 or span is None or context == "text":
            n_all = kinds.count("word") if n_all is None else n_all
            n_words = n_all
        else:
            n_words = sum(1 for kind, w in zip(kinds, weights) if kind == "word" and w > 0)
        analyses.append(Analysis(text_analysis, prior, modifier, negated, weights, n_words))
    return analyses


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
    words, kinds, lang = text_analysis.words, text_analysis.kinds, text_analysis.lang
    candidates, found = _entries(text_analysis, lexicon)
    n = len(words)
    if bounds is None:
        begins, ends = [0] * len(found), [n] * len(found)
    elif len(bounds[0]) == 0:
        begins = ends = [n] * len(found)  # no range: no word counts
    else:  # the range each candidate falls in or follows
        starts, stops = np.asarray(bounds[0], dtype=np.int64), np.asarray(bounds[1], dtype=np.int64)
        at = np.searchsorted(starts, np.asarray(candidates, dtype=np.int64), side="right") - 1
        begins = np.where(at >= 0, starts[at], n).tolist()  # a word before every range: begin > i, skipped
        ends = stops[at].tolist()
    articles = _ARTICLES[lang]
    index, prior, modifier = [], [], []
    for i, (weight, noun), begin, end in zip(candidates, found, begins, ends):
        if kinds[i] != "word" or not begin <= i < end:
            continue
        word = words[i]
        previous = words[i - 1] if i > begin else "."
        following = words[i + 1] if i + 1 < end else ""
        if not noun and word[:1].isupper() and previous not in _SENTENCE_START and (
                previous.lower() not in articles or following[:1].isupper()):
            continue  # a capitalised adjective inside a name (Große Koalition), not "das Schlimmste"
        if word.lower() in modifiers and i + 1 < end and \
                _lookup(following, text_analysis.lemmas[i + 1].lower(), lang, lexicon) is not None:
            continue  # the word modifies the next one ("richtig gut") instead of counting itself
        index.append(i)
        prior.append(weight)
        modifier.append(_modifier(words, i, begin, modifiers, articles))
    return np.array(index, dtype=np.int64), np.array(prior, dtype=float), np.array(modifier, dtype=float)


def sentence_scores(text_analysis: TextAnalysis, lexicon: dict, modifiers: dict):
    """``(polarity, n_words, n_matched)`` arrays, one entry per sentence of the text: what
    :func:`analyse` gives each sentence on its own (no target), read in one pass over the text.

    >>> from analysis.sentiment.lexicons import load_lexicon, load_modifiers
    >>> text = analyze("Das ist nicht gut. Ein Erfolg! Die Sitzung beginnt.", lang="de")
    >>> polarity, n_words, n_matched = sentence_scores(text, load_lexicon("de"), load_modifiers("de"))
    >>> polarity.round(2).tolist(), n_words.tolist(), n_matched.tolist()
    ([-0.71, 0.71, 0.0], [4, 2, 3], [1, 1, 0])
    """
    firsts, lasts = token_ranges(text_analysis, text_analysis.sentences)
    index, prior, modifier = word_weights(text_analysis, lexicon, modifiers, (firsts, lasts))
    negated = text_analysis.negated
    sign = np.where(np.array([negated[i] for i in index.tolist()], dtype=bool), NEGATION_FACTOR, 1.0)
    contribution = prior * modifier * sign  # as Analysis.contribution, the context weight being 1
    sentence = np.searchsorted(firsts, index, side="right") - 1
    n_sentences = len(firsts)
    totals = np.bincount(sentence, weights=contribution, minlength=n_sentences)
    # bincount adds in token order; numpy sums an array pairwise, which can differ in the last
    # bit once three or more words count: those sentences are summed as analyse sums them.
    cuts = np.searchsorted(sentence, np.arange(n_sentences + 1))
    for k in np.flatnonzero(np.diff(cuts) > 2).tolist():
        dense = np.zeros(lasts[k] - firsts[k])
        dense[index[cuts[k]:cuts[k + 1]] - firsts[k]] = contribution[cuts[k]:cuts[k + 1]]
        totals[k] = dense.sum()
    kinds = text_analysis.kinds
    n_words = np.array([kinds[first:last].count("word") for first, last in zip(firsts.tolist(), lasts.tolist())],
                       dtype=np.int64)
    n_matched = np.bincount(sentence[prior != 0], minlength=n_sentences)
    return squash(totals), n_words, n_matched


_ENTRIES: dict = {}  # (id of a lexicon, lang, lemmatizer) -> (the lexicon, {token: entry or False})
_ENTRIES_SIZE = 500_000
_VOCABULARY_FROM = VOCABULARY_FROM  # tokens from which a text's lexicon entries are found word by word


def _entries(text_analysis: TextAnalysis, lexicon: dict) -> tuple[list[int], list[tuple[float, bool]]]:
    """The indices of the tokens that have a lexicon entry, and their entries; each distinct
    word is looked up once per lexicon (its lemma is fixed by the language and lemmatiser).

    A long text's words reach their tokens through the analysis's vocabulary (no loop over its
    tokens); a sentence's tokens are looked up directly, where numpy's fixed cost per call
    would outweigh the loop (a mention's sentence: 2 µs against 13 µs).
    """
    key = (id(lexicon), text_analysis.lang, text_analysis.lemmatizer)
    held = _ENTRIES.get(key)
    if held is None:  # the cache holds the lexicon: its id cannot be reused while the entry lives
        held = _ENTRIES[key] = (lexicon, {})
    known = held[1]
    coded = token_codes(text_analysis, ("lexicon entries", id(lexicon)), lexicon,
                        partial(_new_entries, known, text_analysis.lang, lexicon))
    if coded is not None:  # analysed with its slice: each token's entry read from its chunk vocabulary
        codes, table = coded
        candidates = np.flatnonzero(codes)
        return candidates.tolist(), [table[code] for code in codes[candidates].tolist()]
    if len(text_analysis) < _VOCABULARY_FROM:
        words, ids = text_analysis.words, None
    else:
        words, ids, _ = text_analysis.vocabulary
    entries = list(map(known.get, words))
    if None in entries:  # look up each new word once (a word's lemma follows from its text)
        missing = [k for k, entry in enumerate(entries) if entry is None]
        lemmas, first = text_analysis.lemmas, range(len(words)) if ids is None else text_analysis.vocabulary[2]
        new = _new_entries(known, text_analysis.lang, lexicon, [words[k] for k in missing], None,
                           [lemmas[first[k]] for k in missing])
        for k, entry in zip(missing, new):
            entries[k] = entry
    if ids is None:
        return list(compress(range(len(entries)), entries)), list(compress(entries, entries))
    listed = np.fromiter(map(bool, entries), dtype=bool, count=len(entries))
    candidates = np.flatnonzero(listed[ids])
    return candidates.tolist(), [entries[k] for k in ids[candidates].tolist()]


def _new_entries(known: dict, lang: str, lexicon: dict, words, kinds, lemmas) -> list:
    """The lexicon entry (or False) of each word, through ``known`` (the words' entries found before)."""
    entries = []
    for word, base in zip(words, lemmas):
        entry = known.get(word)
        if entry is None:
            if len(known) >= _ENTRIES_SIZE:
                known.clear()
            entry = known[word] = _lookup(word, base.lower(), lang, lexicon) or False
        entries.append(entry)
    return entries


def _lookup(word: str, base: str, lang: str, lexicon: dict):
    """The lexicon entry of ``word`` (whose lowercased lemma is ``base``), or None."""
    if not word or (word.isupper() and len(word) > 1):
        return None  # acronyms (BUND, NATO) are names, not words
    if base in NOT_EVALUATIVE[lang]:
        return None
    surface, entry = lexicon.get(word.lower()), lexicon.get(base)
    if surface is None or entry is None:
        return surface if entry is None else entry
    # Both listed: sources that list only base forms (the Polarity Lexicon) still vote for
    # the inflected form, so the lemma's stronger entry wins unless the signs disagree.
    same_sign = (surface[0] > 0) == (entry[0] > 0)
    return entry if same_sign and abs(entry[0]) > abs(surface[0]) else surface


def _modifier(words: list[str], i: int, begin: int, modifiers: dict, articles: frozenset) -> float:
    """Product of the intensifiers/diminishers right before word ``i`` (at most two, not before
    token ``begin``), looking past one article: ``kaum eine Chance``, ``hardly a success``."""
    j = i - 1 if i == begin or words[i - 1].lower() not in articles else i - 2
    factor = 1.0
    for k in (j, j - 1):
        if k < begin or words[k].lower() not in modifiers:
            break
        factor *= modifiers[words[k].lower()]
    return factor


def _context_weights(text_analysis: TextAnalysis, span, context, window, outside_weight) -> np.ndarray:
    n = len(text_analysis.words)
    weights = np.ones(n)
    if span is None or context == "text" or not n:
        return weights
    starts, ends = text_analysis.starts, text_analysis.ends
    first, last = bisect_right(ends, span[0]), bisect_left(starts, span[1]) - 1  # tokens overlapping the span
    if first > last:  # a span between tokens: take the nearest token
        first = last = int(np.argmin([abs(start - span[0]) for start in starts]))
    if context == "window":
        index = np.arange(n)
        near = (index >= first - window) & (index <= last + window)
        return np.where(near, 1.0, outside_weight)
    begin, end = _sentence_of(text_analysis, span[0])
    if context == "clause":
        begin, end = _clause_of(text_analysis.words, first, last, begin, end)
    weights[:] = outside_weight
    weights[begin:end] = 1.0
    return weights


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
