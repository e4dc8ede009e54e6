"""Sentiment on very long documents: the same scores as on their parts, with work per document, not per mention.

Time is measured in ``benchmarks/document_size.py``; here only what cannot flake: results,
and how often a whole document is looked up.
"""

from __future__ import annotations

import pandas as pd
import pytest

import analysis.sentiment.scoring as scoring
from analysis.corpus.datasets import load_seed_article
from analysis.sentiment import LexiconSentiment, actor_sentiment, score_sentiment

SEED = load_seed_article().corpus["text"].iloc[0]
COPIES = 4


def _copy(mentions: pd.DataFrame, k: int) -> pd.DataFrame:
    """The mentions of the ``k``-th copy of the seed article, offsets relative to that copy."""
    offset = k * (len(SEED) + 2)
    part = mentions[(mentions["start"] >= offset) & (mentions["start"] < offset + len(SEED) + 2)]
    return part.assign(start=part["start"] - offset, end=part["end"] - offset).reset_index(drop=True)


@pytest.mark.parametrize("method", ["lexicon", "stance"])
def test_each_copy_in_a_long_article_scores_like_the_article_alone(method):
    alone = actor_sentiment(pd.DataFrame({"doc_id": ["a"], "text": [SEED]}), method=method)
    long = actor_sentiment(pd.DataFrame({"doc_id": ["a"], "text": ["\n\n".join([SEED] * COPIES)]}), method=method)
    assert len(long) == COPIES * len(alone) > 20
    for k in range(COPIES):
        pd.testing.assert_frame_equal(_copy(long, k), alone)


def test_a_document_is_looked_up_once_however_many_actors_it_names(monkeypatch):
    looked_up = []

    def counting(text, **kwargs):
        looked_up.append(text)
        return analyze(text, **kwargs)

    analyze = scoring.analyze
    monkeypatch.setattr(scoring, "analyze", counting)
    corpus = pd.DataFrame({"doc_id": ["lang", "kurz", "ohne", "zwei"],
                           "text": ["\n\n".join([SEED] * COPIES), "Putin droht Selenskyj.", "Das Wetter.",
                                    "Selenskyj dankt. Ukraine hofft, Russland droht."]})
    mentions = actor_sentiment(corpus, method="lexicon")
    assert mentions["doc_id"].value_counts()["lang"] > 100
    assert looked_up == corpus["text"].iloc[[0, 1, 3]].tolist()  # once per document that names an actor


@pytest.mark.filterwarnings("ignore:.*have no sentence")
@pytest.mark.parametrize("measure", [  # an estimator scores sentences in batches; the lexicon rules read whole documents
    lambda corpus: score_sentiment(corpus, unit="sentence", method="stance"),
    lambda corpus: score_sentiment(corpus, method=LexiconSentiment("de")),
    lambda corpus: actor_sentiment(corpus, method="stance"),
], ids=["sentences", "documents", "actors"])
def test_sentences_are_scored_in_batches_of_bounded_size_with_the_same_results(measure, monkeypatch):
    corpus = pd.DataFrame({"doc_id": ["lang", "leer", "kurz", "dup"],
                           "text": ["\n\n".join([SEED] * COPIES), "   ", "Putin droht. Selenskyj dankt für Hilfe.", SEED]})
    whole = measure(corpus)
    sizes = []

    def recording(X, langs, method, lemmatizer):
        sizes.append(len(X))
        return score(X, langs, method, lemmatizer)

    score = scoring._score
    monkeypatch.setattr(scoring, "_score", recording)
    monkeypatch.setattr(scoring, "SENTENCE_BATCH", 7)
    batched = measure(corpus)
    pd.testing.assert_frame_equal(batched, whole)
    assert max(sizes) <= 7 and sum(sizes) > 100  # the long article's sentences went through in many small batches
