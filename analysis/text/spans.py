"""Parts of an analysed text by character span: the analysis of an excerpt, cut from the whole
text's (no second tokenising), and the tokens lying inside spans, for one text or many at once.

>>> from analysis.text.analysis import analyze
>>> whole = analyze("Kim droht. Putin schweigt.", lang="de")
>>> excerpt(whole, 11, 26).words
('Putin', 'schweigt', '.')
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from itertools import chain
from operator import attrgetter

import numpy as np

from analysis.text.analysis import TextAnalysis


def excerpt(analysis: TextAnalysis, start: int, end: int) -> TextAnalysis:
    """The analysis of ``analysis.text[start:end]`` cut from the whole text's (no second tokenising).

    Tokens that lie inside the span keep their lemma and negation flag; offsets become
    relative to ``start``; sentences are the text's sentences clipped to the span.
    """
    starts, ends = analysis.starts, analysis.ends
    first, last = bisect_left(starts, start), bisect_left(starts, end)  # token_ranges of one span, no numpy
    while last > first and ends[last - 1] > end:  # a token that crosses the end is not in the excerpt
        last -= 1
    part = TextAnalysis(analysis.text[start:end], analysis.lang, analysis.words[first:last],
                        analysis.kinds[first:last], analysis.lemmas[first:last], analysis.lemmatizer,
                        starts=array("q", [s - start for s in starts[first:last]]),
                        ends=array("q", [e - start for e in ends[first:last]]))
    part._negated = analysis.negated[first:last]
    if analysis.token_rows is not None:
        vocabulary, turn, rows, _ = analysis.token_rows
        part.token_rows = vocabulary, turn, rows[first:last], None
    sentence_starts = analysis.sentence_starts
    nearby = analysis.sentences[max(0, bisect_right(sentence_starts, start) - 1):bisect_left(sentence_starts, end)]
    if len(nearby) == 1 and nearby[0] == (start, end):  # the excerpt of a sentence (most are)
        part._sentences = ((0, end - start),)
    else:
        part._sentences = tuple((max(s, start) - start, min(e, end) - start) for s, e in nearby
                                if s < end and e > start)
    return part


def token_ranges(analysis: TextAnalysis, spans) -> tuple[np.ndarray, np.ndarray]:
    """``(firsts, lasts)``: the tokens lying inside each ``(start, end)`` character span are
    ``firsts[k]`` up to, not including, ``lasts[k]`` (a token that crosses a span's edge is not in it).

    >>> from analysis.text.analysis import analyze
    >>> a = analyze("Kim droht. Putin schweigt.", lang="de")
    >>> [arr.tolist() for arr in token_ranges(a, a.sentences)]
    [[0, 3], [3, 6]]
    """
    return token_ranges_many([analysis], [spans])


def token_ranges_many(analyses: list[TextAnalysis], spans: list) -> tuple[np.ndarray, np.ndarray]:
    """:func:`token_ranges` of each analysis and its spans (``spans[i]`` of ``analyses[i]``) at once: the
    ranges of all the spans in order, as indices into the analyses' tokens one after another. Each
    text's offsets are shifted past the texts before it, so one search finds every range.

    >>> from analysis.text.analysis import analyze
    >>> made = [analyze(t, lang="de") for t in ["Kim droht. Putin schweigt.", "", "Ja."]]
    >>> [arr.tolist() for arr in token_ranges_many(made, [a.sentences for a in made])]
    [[0, 3, 6], [3, 6, 8]]
    """
    counts = [len(s) for s in spans]
    flat = np.fromiter(chain.from_iterable(chain.from_iterable(spans)), dtype=np.int64,
                       count=2 * sum(counts)).reshape(-1, 2)
    lengths = [len(a) for a in analyses]
    shift = np.concatenate(([0], np.cumsum([len(a.text) for a in analyses[:-1]], dtype=np.int64)))
    starts, ends = (np.concatenate([np.zeros(0, dtype=np.int64)] + [np.frombuffer(column(a), dtype=np.int64)
                                                                    for a in analyses if len(a)])
                    + np.repeat(shift, lengths) for column in (_STARTS, _ENDS))
    begin, end = flat[:, 0] + np.repeat(shift, counts), flat[:, 1] + np.repeat(shift, counts)
    firsts, lasts = np.searchsorted(starts, begin), np.searchsorted(starts, end)
    for k in np.flatnonzero((lasts > firsts) & (ends[np.maximum(lasts - 1, 0)] > end)).tolist():
        while lasts[k] > firsts[k] and ends[lasts[k] - 1] > end[k]:  # drop tokens that cross the end
            lasts[k] -= 1
    return firsts, lasts


_STARTS, _ENDS = attrgetter("starts"), attrgetter("ends")
