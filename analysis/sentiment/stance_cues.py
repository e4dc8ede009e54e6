"""What the stance model reads of one mention in its sentence: cue tokens and lexicon numbers.

Read from one pass of the lexicon rules (:func:`analysis.sentiment.rules.analyse_mentions`):
lemmas of the sentence, of the mention's clause and of the words next to it, negated lemmas,
lexicon hits by sign, region, side and negation, where the mention stands, and six numbers
(:data:`DENSE_FEATURES`). :class:`~analysis.sentiment.stance.StanceModel` turns them into its
feature blocks.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right

import numpy as np

from analysis.sentiment.lexicons import load_lexicon, load_modifiers  # noqa: F401 (the doctest's)
from analysis.sentiment.rules import analyse_mentions, squash  # noqa: F401 (analyse_mentions: the doctest's)

NEAR = 3  # words on each side of the mention that count as "near"
DENSE_FEATURES = ("polarity", "clause_polarity", "positive_mass", "negative_mass", "clause_positive",
                  "clause_negative")
QUOTES = frozenset('"„“”»«')


def mention_tokens(source, span) -> tuple[int, int]:
    """The first and last token of ``source`` (a text analysis) that overlap ``span``; (-1, -1) for none."""
    if not span:
        return -1, -1
    first, last = bisect_right(source.ends, span[0]), bisect_left(source.starts, span[1]) - 1
    return (first, last) if first <= last else (-1, -1)


def mention_cues(analysis, span) -> tuple[str, np.ndarray]:
    """One mention's cue tokens (space-separated, in no particular order) and its
    :data:`DENSE_FEATURES`, from the lexicon rules' ``analysis`` of its sentence and the target
    ``span`` (or None)."""
    (cues, numbers), = sentence_cues([analysis], [span])
    return cues, np.array(numbers)


def sentence_cues(analyses, spans) -> list[tuple[str, list]]:
    """:func:`mention_cues` of several mentions of one sentence (``analyses`` from one
    :func:`~analysis.sentiment.rules.analyse_mentions` call, ``spans`` its spans), the numbers as
    a list: what the mentions share (words, lemmas, negation, lexicon hits) is read once. Plain
    lists and comprehensions, not per-element numpy indexing: a long document has tens of
    thousands of mentions, each paying the rest once.

    >>> text, spans = "Scholz lobt Merkel.", [(0, 6), (12, 18)]
    >>> analyses = analyse_mentions(text, spans, lang="de", lexicon=load_lexicon("de"), modifiers=load_modifiers("de"))
    >>> [cues.split()[:3] for cues, _ in sentence_cues(analyses, spans)]
    [['w:loben', 'w:merkel', 'c:loben'], ['w:scholz', 'w:loben', 'c:scholz']]
    """
    source, lemmas = analyses[0].source, analyses[0].lemmas
    words, kinds, negated = source.words, source.kinds, analyses[0].negated.tolist()
    positions = [i for i, kind in enumerate(kinds) if kind == "word"]
    lemma = {i: "_".join(lemmas[i].split()) if " " in lemmas[i] else lemmas[i] for i in positions}
    hits = np.flatnonzero(analyses[0].prior)
    hit_list, quote = hits.tolist(), not QUOTES.isdisjoint(words)
    out = []
    for analysis, span in zip(analyses, spans):
        first, last = mention_tokens(source, span)
        kept = positions if first < 0 else [i for i in positions if not first <= i <= last]
        clause_flags = (analysis.context >= 1.0).tolist()
        cues = ["w:" + lemma[i] for i in kept]
        cues += ["c:" + lemma[i] for i in kept if clause_flags[i]]
        cues += ["n:" + lemma[i] for i in kept if negated[i]]
        if first >= 0:
            cues += ["l:" + lemma[i] for i in range(max(first - NEAR, 0), first) if i in lemma]
            cues += ["r:" + lemma[i] for i in range(last + 1, last + 1 + NEAR) if i in lemma]
            cues += [f"{side}1:{lemma[i]}" for side, i in (("l", first - 1), ("r", last + 1)) if i in lemma]
        values = analysis.contribution[hits].tolist() if hit_list else []
        for i, value in zip(hit_list, values):
            if i not in lemma or first <= i <= last:  # a sentiment word of the mention itself is no cue
                continue
            sign = "+" if value > 0 else "-"
            side = "t" if first < 0 else "l" if i < first else "r"
            cues += [f"lex{sign}", f"lex{sign}{'c' if clause_flags[i] else 'o'}", f"lex{sign}{side}"]
            cues += [f"lex{sign}near"] if side != "t" and (first - i if i < first else i - last) <= NEAR else []
            cues += [f"lex{sign}neg"] if negated[i] else []
        if first >= 0:
            cues.append(f"pos{4 * first // max(len(words), 1)}")
            if first == 0 or words[first - 1] in ".!?:" or words[first - 1] in QUOTES:
                cues.append("pos:start")
        if quote:
            cues.append("quote")
        out.append((" ".join(cues), _lexicon_numbers(values, [clause_flags[i] for i in hit_list])))
    return out


def _lexicon_numbers(values: list, in_clause: list) -> list:
    """:data:`DENSE_FEATURES` from the lexicon words' contributions and whether each is in the
    mention's clause: the polarity (:func:`~analysis.sentiment.rules.squash` of the sum), then
    tanh of the clause sum and of the positive and negative masses of the sentence and the clause.
    Plain Python over the few lexicon words: numpy's per-call overhead would dominate."""
    if not values:  # what the sums below give for no lexicon word
        return [0.0] * len(DENSE_FEATURES)
    clause = [v for v, inside in zip(values, in_clause) if inside]
    masses = (sum(clause), sum(v for v in values if v > 0), -sum(v for v in values if v < 0),
              sum(v for v in clause if v > 0), -sum(v for v in clause if v < 0))
    return [squash(sum(values)), *map(math.tanh, masses)]
