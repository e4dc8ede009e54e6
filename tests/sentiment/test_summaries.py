"""A text's score, words and sentiment words summed at once for many texts equal its analysis's.

``LexiconSentiment.score_details`` and ``decision_function`` (actor sentiment scores each mention
through them) read ``rules.summaries_many``; the reference is each text's own
:func:`analysis.sentiment.rules.analyse`, whose polarity sums the text's per-token array. They
must agree to the last bit, so that labels at a threshold do not flip.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.sentiment import LexiconSentiment
from analysis.sentiment.lexicons import load_lexicon, load_modifiers
from analysis.sentiment.rules import analyse, summaries_many

MANY = ("Kaum. Die Soldat*innen hatten z.B. in Kursk keine Chance: ein brutales, grausames, furchtbares "
        "Verbrechen, eine schreckliche Katastrophe und ein äußerst schlimmer, tödlicher Angriff, sehr traurig.")
TEXTS = {
    "de": [MANY, "Putin droht, doch Kiew hofft auf Frieden.", "Das ist nicht gut. Gut war es trotzdem!",
           "„Große Koalition“ lobt Freie Wähler – kaum eine Chance, aber grausam.", "Überragend!", "", "   "],
    "en": ["Putin threatens, but Kyiv hopes for peace.", "This is not good at all; a terrible, brutal, cruel war.", ""],
}


def _items(texts: list[str]) -> list[tuple[str, tuple[int, int] | None]]:
    """Each text without a target, with each of its words as the target, and with a span between two tokens."""
    items = []
    for text in texts:
        items.append((text, None))
        at = 0
        for word in text.split():
            start = text.index(word, at)
            items.append((text, (start, start + len(word))))
            at = start + len(word)
        if " " in text:
            items.append((text, (text.index(" "), text.index(" ") + 1)))
    return items


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("context, window", [("clause", 10), ("sentence", 10), ("window", 0), ("window", 3), ("text", 10)])
@pytest.mark.parametrize("outside_weight", [0.0, 0.5])
def test_each_text_sums_as_its_own_analysis_to_the_last_bit(lang, context, window, outside_weight):
    rules = dict(lang=lang, lexicon=load_lexicon(lang), modifiers=load_modifiers(lang), context=context,
                 window=window, outside_weight=outside_weight)
    items = _items(TEXTS[lang])
    polarity, n_words, n_matched = summaries_many(items, **rules)
    alone = [analyse(text, span, **rules) for text, span in items]
    assert polarity.tolist() == [a.polarity for a in alone]
    assert n_words.tolist() == [a.n_words for a in alone]
    assert n_matched.tolist() == [a.n_matched for a in alone]
    assert max(n_matched) >= 3  # the texts sum three or more words, not only pairs


def test_score_details_and_decision_function_read_the_same_sums():
    items = _items(TEXTS["de"])
    X = pd.DataFrame({"text": [text for text, _ in items],
                      "target_start": [span[0] if span else np.nan for _, span in items],
                      "target_end": [span[1] if span else np.nan for _, span in items]})
    X["target"] = [text[span[0]:span[1]] if span else None for text, span in items]
    scorer = LexiconSentiment("de", outside_weight=0.25)
    details = scorer.score_details(X)
    alone = [analyse(text, span, lang="de", lexicon=load_lexicon("de"), modifiers=load_modifiers("de"),
                     outside_weight=0.25) for text, span in items]
    assert details["score"].tolist() == [a.polarity for a in alone]
    assert details["n_tokens"].tolist() == [a.n_words for a in alone]
    assert details["n_matched"].tolist() == [a.n_matched for a in alone]
    assert scorer.decision_function(X).tolist() == details["score"].tolist()
    assert details["label"].tolist() == scorer.predict(X).tolist()
    assert scorer.score_spans([text for text, _ in items], [span for _, span in items]).equals(details)


def test_score_spans_refuses_a_span_outside_its_text_or_a_span_list_of_another_length():
    scorer = LexiconSentiment("de")
    with pytest.raises(ValueError, match=r"row 1: target span \(3, 12\) does not lie inside the text of length 11"):
        scorer.score_spans(["Kiew hofft.", "Kiew hofft."], [None, (3, 12)])
    with pytest.raises(ValueError, match="spans has 1 values for 2 texts"):
        scorer.score_spans(["Kiew hofft.", "Putin droht."], [None])


@given(st.lists(st.tuples(st.integers(0, 300), st.lists(st.floats(-2, 2, allow_nan=False).filter(bool), max_size=12)),
                min_size=1, max_size=6), st.randoms())
@settings(max_examples=300, deadline=None)
def test_sums_by_group_are_numpys_sums_of_each_groups_array_to_the_last_bit(groups, random):
    from analysis.sentiment.array_sums import array_sums

    lengths, group, position, values, expected = [], [], [], [], []
    for k, (length, weights) in enumerate(groups):
        weights = weights[:length]
        at = sorted(random.sample(range(length), len(weights)))
        dense = np.zeros(length)
        dense[at] = weights
        lengths.append(length)
        expected.append(dense.sum())
        group += [k] * len(at)
        position += at
        values += weights
    sums = array_sums(np.array(group, dtype=np.int64), np.array(position, dtype=np.int64), np.array(lengths),
                       np.array(values, dtype=float))
    assert sums.tolist() == expected


def test_a_sum_of_values_all_after_the_eight_running_sums_is_theirs():
    from analysis.sentiment.array_sums import array_sums

    # a real sentence of 22 tokens whose three sentiment words are its 17th, 18th and 20th: numpy adds them
    # one by one after the running sums of the first 16 tokens (all 0)
    sums = array_sums(np.zeros(3, dtype=np.int64), np.array([16, 17, 19]), np.array([22]), np.array([0.25, -0.25, 0.75]))
    assert sums.tolist() == [0.75]
