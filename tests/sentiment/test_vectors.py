"""Lemma vectors from unlabelled news: what they learn, how they sit around a mention, how they are stored."""

import numpy as np
import pandas as pd
import pytest

from analysis.sentiment.stance import StanceModel, load_stance_model, training_data
from analysis.sentiment.stance_cues import DENSE_FEATURES, mention_tokens
from analysis.sentiment.vectors import (LemmaVectors, fit_lemma_vectors, lemma_vectors, load_lemma_vectors,
                                        mention_vector, save_lemma_vectors)
from analysis.text.analysis import analyze


def similarity(vectors, a, b):
    return float(vectors.table[vectors.index[a]] @ vectors.table[vectors.index[b]])


def test_bundled_english_vectors_put_words_of_one_use_together():
    vectors = lemma_vectors("en")
    assert similarity(vectors, "war", "invasion") > similarity(vectors, "war", "music") + 0.3
    assert similarity(vectors, "criticize", "denounce") > similarity(vectors, "criticize", "weather") + 0.3
    np.testing.assert_allclose(np.linalg.norm(vectors.table, axis=1), 1.0, atol=1e-2)  # float16 storage


def test_german_has_no_bundled_vectors_and_the_error_says_how_to_fit_them():
    with pytest.raises(ValueError, match="fit_lemma_vectors"):
        lemma_vectors("de")


def test_mention_vector_reads_each_side_of_the_mention():
    text = "Critics accused Johnson of lying, and the senator praised the brave firefighters."
    start = text.index("Johnson")
    source = analyze(text, lang="en")
    first, last = mention_tokens(source, (start, start + len("Johnson")))
    vectors = lemma_vectors("en")
    left, right, weighted, clause = mention_vector(source.lower_lemmas, first, last, vectors).reshape(4, vectors.dim)
    expected_left = vectors.table[[vectors.index["critic"], vectors.index["accuse"]]].sum(axis=0)
    np.testing.assert_allclose(left, expected_left / np.linalg.norm(expected_left), atol=1e-6)
    assert not np.allclose(left, right) and np.linalg.norm(weighted) == pytest.approx(1.0)
    only_unknown = mention_vector(["qwxzz", "X", "zzqwx"], 1, 1, vectors)
    assert not only_unknown.any()  # no known lemma: zeros, not NaN


def test_fitted_vectors_round_trip_as_plain_data(tmp_path):
    texts = ["Die Regierung kritisiert den Krieg scharf.", "Die Opposition verurteilt den Krieg.",
             "Die Regierung lobt die Helfer.", "Die Opposition lobt die mutigen Helfer."] * 4
    lemmas, table = fit_lemma_vectors(texts, lang="de", dim=3, min_count=4)
    assert "krieg" in lemmas and table.shape == (len(lemmas), 3)
    loaded = load_lemma_vectors(save_lemma_vectors(tmp_path / "vectors.npz", lemmas, table))
    assert loaded.lemmas == lemmas and loaded.index["krieg"] == lemmas.index("krieg")
    np.testing.assert_allclose(loaded.table, table, atol=1e-3)
    with pytest.raises(ValueError, match="too few"):
        fit_lemma_vectors(texts, lang="de", dim=50, min_count=4)
    with pytest.raises(ValueError, match="match one to one"):
        LemmaVectors(["a", "a"], np.eye(2))


def test_english_stance_model_stores_the_vector_block_and_round_trips(tmp_path):
    X, y, _ = training_data("en")
    X, y = X.iloc[::25].reset_index(drop=True), y[::25]
    with_vectors = StanceModel("en", random_state=0).fit(X, y)
    without = StanceModel("en", random_state=0, vectors=0).fit(X, y)
    assert with_vectors.coef_.shape[1] - without.coef_.shape[1] == 4 * lemma_vectors("en").dim
    assert without.coef_.shape[1] == sum(len(v) for v in without.vocabularies_.values()) + len(DENSE_FEATURES)
    with_vectors.save(tmp_path / "model")
    loaded = load_stance_model(tmp_path / "model")
    new = pd.DataFrame({"text": ["Rebels shelled the town, and the mayor condemned the brutal assault."],
                        "target": ["mayor"]})
    np.testing.assert_allclose(loaded.predict_proba(new), with_vectors.predict_proba(new), atol=1e-5)
