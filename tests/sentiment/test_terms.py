"""TermCounter gives scikit-learn's count matrix entry for entry, on messy text."""

import numpy as np
import pytest
from sklearn.feature_extraction.text import CountVectorizer

from analysis.sentiment.stance import _BLOCKS, stance_model, training_data
from analysis.sentiment.terms import TermCounter

DOCS = [
    "Die Bürgerinnen in Köln kritisieren den Ukraine-Krieg; die Bürgerinnen in Köln hoffen.",
    "ÄRZTE OHNE GRENZEN: „Straße gesperrt“ – Maß und Mitte?",
    "İstanbul'da ΟΔΥΣΣΕΥΣ said: the war, the war, the WAR!",  # lowercasing changes length, final sigma
    "",
    "…!? — 42 % / 7",
    "tabs\tand\u00a0no-break\u2009spaces\nand lines",
    "w:krieg c:krieg w:krieg lex- lex-c pos0 l1:kanzler w:straße",
    "Die Bürgerinnen in Köln kritisieren den Ukraine-Krieg; die Bürgerinnen in Köln hoffen.",  # a duplicate
]


@pytest.mark.parametrize("params", [{"ngram_range": (1, 2)}, {"ngram_range": (1, 3), "lowercase": False},
                                    {"ngram_range": (2, 3)}, dict(_BLOCKS["cues"]), {"token_pattern": r"(?u)\b\w+\b"}])
def test_counts_equal_countvectorizer(params):
    vocabulary = CountVectorizer(**params).fit(DOCS[:3] + DOCS[5:7]).vocabulary_  # the rest is out of vocabulary
    expected = CountVectorizer(vocabulary=vocabulary, dtype=np.float64, **params).transform(DOCS)
    counts = TermCounter(vocabulary, **params).transform(DOCS)
    assert counts.shape == expected.shape and counts.nnz == expected.nnz > 0
    for part in ("data", "indices", "indptr"):
        np.testing.assert_array_equal(getattr(counts, part), getattr(expected, part))
    assert TermCounter(vocabulary, **params).transform([]).shape == (0, len(vocabulary))


def test_counts_of_the_bundled_model_equal_countvectorizer_on_its_gold():
    model = stance_model("de")
    blocks, _, _ = model._inputs(training_data("de")[0].iloc[:300])
    for name, docs in blocks.items():
        expected = CountVectorizer(vocabulary=model.vocabularies_[name], dtype=np.float64, **_BLOCKS[name]).transform(docs)
        counts = model._counter(name).transform(docs)
        assert counts.nnz == expected.nnz > 1000
        for part in ("data", "indices", "indptr"):
            np.testing.assert_array_equal(getattr(counts, part), getattr(expected, part))


def test_unsupported_options_and_a_single_string_are_refused():
    with pytest.raises(ValueError, match="CountVectorizer"):
        TermCounter({"ab": 0}, analyzer="char")
    with pytest.raises(ValueError, match="stop words"):
        TermCounter({"krieg": 0}, stop_words=["der"])
    with pytest.raises(TypeError, match="wrap it"):
        TermCounter({"krieg": 0}).transform("Der Krieg")
