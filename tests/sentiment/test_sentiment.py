"""Behaviour users rely on in ``analysis.sentiment``: the lexicon rules, targets, the
scikit-learn contract of both estimators, the corpus-level frames and the evaluation."""

from __future__ import annotations

import pickle

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from sklearn.base import clone  # noqa: E402
from sklearn.exceptions import NotFittedError  # noqa: E402
from sklearn.metrics import classification_report  # noqa: E402
from sklearn.model_selection import GridSearchCV, GroupKFold, cross_val_predict  # noqa: E402

from analysis.corpus.datasets import load_gerntsa, load_seed_article  # noqa: E402
from analysis.errors import MissingColumnError  # noqa: E402
from analysis.progress import quiet  # noqa: E402
from analysis.sentiment import (LABELS, LexiconSentiment, SentimentClassifier, TargetNotFoundWarning,  # noqa: E402
                                actor_sentiment, evaluate, plot_confusion, score_sentiment,
                                summarize_actor_sentiment)
from analysis.sentiment import load_lexicon  # noqa: E402


def polarity(*texts, **params):
    return LexiconSentiment(**params).decision_function(list(texts))


# --- lexicon rules -------------------------------------------------------------------------
@pytest.mark.parametrize("positive, negated", [
    ("Das ist gut.", "Das ist nicht gut."),
    ("Das war ein Erfolg.", "Das war kein Erfolg."),
    ("Sie blicken mit Hoffnung nach vorn.", "Sie blicken ohne Hoffnung nach vorn."),
    ("It is a good plan.", "It is not a good plan."),
])
def test_negation_flips_the_polarity(positive, negated):
    lang = "en" if positive.startswith("It") else "de"
    pos, neg = polarity(positive, negated, lang=lang)
    assert pos > 0 > neg
    assert LexiconSentiment(lang=lang).predict([positive, negated]).tolist() == ["positive", "negative"]


def test_intensifiers_raise_and_diminishers_lower_the_polarity():
    plain, very, hardly = polarity("Das ist gut.", "Das ist sehr gut.", "Das ist kaum gut.")
    assert very > plain > hardly > 0
    bad, very_bad = polarity("Das ist schlecht.", "Das ist äußerst schlecht.")
    assert very_bad < bad < 0
    chance, hardly_a_chance = polarity("Das ist eine Chance.", "Das ist kaum eine Chance.")
    assert chance > hardly_a_chance  # the diminisher reaches past the article
    success, hardly_a_success = polarity("A success.", "Hardly a success.", lang="en")
    assert success > hardly_a_success


def test_inflected_forms_score_like_their_lemma():
    base, inflected = polarity("schlecht", "schlechten")
    assert base == inflected < 0
    # "scheiterte" is in no lexicon; its lemma "scheitern" is
    assert "scheiterte" not in load_lexicon("de")
    (score,) = polarity("Der Plan scheiterte.")
    assert score < 0
    explained = LexiconSentiment().explain(["Der Plan scheiterte."])
    assert explained[["token", "lemma"]].values.tolist() == [["scheiterte", "scheitern"]]


@pytest.mark.parametrize("text", [  # must not change: names, size words, acronyms and plain facts are neutral
    "Die Große Koalition tagt am Montag.",
    "Die Freien Wähler stellen einen Antrag.",
    "Der BUND legt einen Bericht vor.",
    "Die Zahl der Soldaten ist hoch.",
    "Die Sitzung beginnt um neun Uhr in Berlin.",
    "",
])
def test_names_size_words_and_facts_stay_neutral(text):
    assert polarity(text)[0] == 0.0
    assert LexiconSentiment().predict([text]).tolist() == ["neutral"]


def test_nominalised_evaluation_counts():
    assert polarity("Das Schlimmste kommt noch.")[0] < 0


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(max_size=80), min_size=1, max_size=5))
def test_polarity_is_bounded_and_deterministic(texts):
    model = LexiconSentiment()
    first, second = model.decision_function(texts), model.decision_function(texts)
    assert np.all((first >= -1) & (first <= 1))
    assert np.array_equal(first, second)
    assert set(model.predict(texts)) <= set(LABELS)


# --- targets ---------------------------------------------------------------------------------
SENTENCE = "Die Ukraine feiert einen klaren Erfolg, während Russland eine bittere Niederlage erleidet."


def test_the_target_context_changes_the_score():
    X = pd.DataFrame({"text": [SENTENCE, SENTENCE], "target": ["Ukraine", "Russland"]})
    ukraine, russia = LexiconSentiment().decision_function(X)
    (whole,) = polarity(SENTENCE)
    assert ukraine > 0 > russia
    assert whole not in (ukraine, russia)


def test_offsets_and_target_strings_give_the_same_score():
    start = SENTENCE.index("Russland")
    with_offsets = pd.DataFrame({"text": [SENTENCE], "target": ["Russland"], "target_start": [start],
                                 "target_end": [start + len("Russland")]})
    by_string = pd.DataFrame({"text": [SENTENCE], "target": ["Russland"]})
    model = LexiconSentiment()
    assert model.decision_function(with_offsets)[0] == model.decision_function(by_string)[0]


def test_nullable_offsets_with_missing_values_fall_back_to_the_target_string():
    start = SENTENCE.index("Russland")
    offsets = pd.DataFrame({"text": [SENTENCE, SENTENCE], "target": ["Russland", "Russland"],
                            "target_start": pd.array([start, pd.NA], dtype="Int64"),
                            "target_end": pd.array([start + len("Russland"), pd.NA], dtype="Int64")})
    scores = LexiconSentiment().decision_function(offsets)  # a Parquet export's nullable integers
    assert scores[0] == scores[1] != polarity(SENTENCE)[0]


def test_a_missing_target_is_reported_and_the_text_scored_whole():
    X = pd.DataFrame({"text": [SENTENCE], "target": ["Belarus"]})
    with pytest.warns(TargetNotFoundWarning, match="1 of 1 targets"):
        score = LexiconSentiment().decision_function(X)[0]
    assert score == polarity(SENTENCE)[0]


# --- scikit-learn contract -----------------------------------------------------------------
@pytest.fixture(scope="module")
def gerntsa():
    corpus = load_gerntsa().corpus.iloc[:400].reset_index(drop=True)
    return corpus[["text", "target", "target_start", "target_end"]], corpus["label"].to_numpy()


@pytest.mark.parametrize("estimator", [LexiconSentiment(context="window", thresholds=(-0.4, 0.6)),
                                       SentimentClassifier(C=0.5, char_ngrams=False)])
def test_clone_and_get_params_round_trip(estimator):
    params = estimator.get_params()
    copy = clone(estimator)
    assert copy.get_params() == params
    assert type(estimator)(**params).get_params() == params


def test_lexicon_needs_no_fit_and_fit_only_tunes_thresholds(gerntsa):
    X, y = gerntsa
    model = LexiconSentiment()
    before = model.decision_function(X)
    assert set(model.predict(X)) <= set(LABELS)  # no fit needed
    assert model.fit(X).thresholds_ == (-0.5, 0.5)
    model.fit(X, y)
    lower, upper = model.thresholds_
    assert -1 <= lower <= 0 <= upper <= 1
    assert np.array_equal(model.decision_function(X), before)  # the polarity itself is not learned


def test_classifier_raises_not_fitted_before_fit():
    with pytest.raises(NotFittedError):
        SentimentClassifier().predict(["Das ist gut."])


def test_classifier_probabilities_are_calibrated_rows_that_sum_to_one(gerntsa):
    X, y = gerntsa
    model = SentimentClassifier(char_ngrams=False).fit(X, y)
    proba = model.predict_proba(X.iloc[:50])
    assert proba.shape == (50, 3)
    assert np.allclose(proba.sum(axis=1), 1.0)
    assert model.classes_.tolist() == list(LABELS)
    assert set(model.predict(X.iloc[:50])) <= set(LABELS)
    polarity_ = model.decision_function(X.iloc[:50])
    assert np.allclose(polarity_, proba[:, 2] - proba[:, 0])
    restored = pickle.loads(pickle.dumps(model))
    assert np.array_equal(restored.predict_proba(X.iloc[:50]), proba)


def test_classifier_fit_shows_progress_over_its_steps_unless_switched_off(gerntsa, capsys):
    X, y = gerntsa
    X, y = X.iloc[:120], y[:120]
    SentimentClassifier(char_ngrams=False, cv=2).fit(X, y)
    shown = capsys.readouterr().err
    assert "fitting SentimentClassifier" in shown and "5/5" in shown  # 2 folds + model + lexicon + stacker
    SentimentClassifier(char_ngrams=False, cv=2, progress=False).fit(X, y)
    with quiet():
        SentimentClassifier(char_ngrams=False, cv=2).fit(X, y)
    assert capsys.readouterr().err == ""


def test_classifier_works_in_grid_search_and_cross_val_predict(gerntsa):
    X, y = gerntsa
    groups = pd.factorize(X["text"])[0]
    search = GridSearchCV(SentimentClassifier(char_ngrams=False), {"C": [0.5, 2.0]}, cv=GroupKFold(2),
                          scoring="f1_macro")
    search.fit(X, y, groups=groups)
    assert search.best_params_["C"] in (0.5, 2.0)
    predicted = cross_val_predict(SentimentClassifier(char_ngrams=False), X, y, groups=groups, cv=GroupKFold(2))
    assert len(predicted) == len(y) and set(predicted) <= set(LABELS)
    lexicon = cross_val_predict(LexiconSentiment(), X, y, groups=groups, cv=GroupKFold(2))
    assert set(lexicon) <= set(LABELS)


# --- corpus frames -------------------------------------------------------------------------
CORPUS = pd.DataFrame({"doc_id": ["de1", "en1"], "lang": ["de", "en"],
                       "text": ["Das ist ein großer Erfolg. Der Krieg ist eine Katastrophe.",
                                "This is a terrible war. Talks resume on Monday."]})


@pytest.mark.parametrize("unit, n_rows", [("document", 2), ("sentence", 4)])
def test_score_sentiment_schema(unit, n_rows):
    scores = score_sentiment(CORPUS, unit=unit)
    assert list(scores.columns) == ["doc_id", "unit_id", "score", "label", "n_tokens", "n_matched"]
    assert len(scores) == n_rows
    assert scores["score"].between(-1, 1).all() and set(scores["label"]) <= set(LABELS)
    assert scores["n_tokens"].dtype == "int64" and (scores["n_matched"] <= scores["n_tokens"]).all()
    if unit == "document":
        assert scores["unit_id"].tolist() == ["de1", "en1"]
    else:
        assert scores["unit_id"].tolist() == ["de1#s0", "de1#s1", "en1#s0", "en1#s1"]
        assert scores["label"].tolist() == ["positive", "negative", "negative", "neutral"]


def test_score_sentiment_accepts_a_fitted_estimator(gerntsa):
    X, y = gerntsa
    model = SentimentClassifier(char_ngrams=False).fit(X, y)
    scores = score_sentiment(CORPUS.iloc[:1], unit="sentence", method=model)
    assert len(scores) == 2 and scores["score"].between(-1, 1).all()
    strict = LexiconSentiment(thresholds=(-0.9, 0.9))
    assert score_sentiment(CORPUS.iloc[:1], unit="sentence", method=strict)["label"].tolist() == ["neutral"] * 2


def test_actor_sentiment_finds_putin_and_kim_in_the_seed_article():
    seed = load_seed_article().corpus
    mentions = actor_sentiment(seed)
    assert list(mentions.columns) == ["doc_id", "actor", "mention", "start", "end", "score", "label", "actor_id", "kind"]
    assert {"Putin", "Kim Jong Un"} <= set(mentions["actor"])
    text = seed["text"].iloc[0]
    assert all(text[s:e] == m for s, e, m in zip(mentions["start"], mentions["end"], mentions["mention"]))
    assert mentions["score"].between(-1, 1).all() and set(mentions["label"]) <= set(LABELS)


def test_summarize_actor_sentiment_counts_only_documents_that_mention_the_actor():
    corpus = pd.DataFrame({"doc_id": ["a", "b", "c"], "outlet": ["x", "x", "x"],
                           "text": ["Putin droht mit Krieg.", "Putin lobt den großartigen Erfolg.", "Das Wetter."]})
    mentions = actor_sentiment(corpus)
    summary = summarize_actor_sentiment(mentions, corpus, by="outlet", period=None, n_boot=100)
    row = summary[summary["actor"] == "Putin"].iloc[0]
    assert row["n_docs"] == 2
    assert row["estimate"] == pytest.approx(mentions["score"].mean())
    assert row["ci_lower"] <= row["estimate"] <= row["ci_upper"]


# --- evaluation ----------------------------------------------------------------------------
def test_evaluate_matches_sklearn_classification_report():
    rng = np.random.default_rng(0)
    gold = rng.choice(LABELS, size=300, p=[0.2, 0.55, 0.25])
    predicted = np.where(rng.random(300) < 0.6, gold, rng.choice(LABELS, size=300))
    report = evaluate(gold, predicted, n_boot=200).set_index("label")
    expected = classification_report(gold, predicted, output_dict=True, zero_division=0)
    for label in [*LABELS, "macro avg", "weighted avg"]:
        for ours, theirs in (("precision", "precision"), ("recall", "recall"), ("f1", "f1-score"),
                             ("support", "support")):
            assert report.loc[label, ours] == pytest.approx(expected[label][theirs])
    assert report.loc["accuracy", "f1"] == pytest.approx(expected["accuracy"])
    assert (report["f1_ci_lower"] <= report["f1"]).all() and (report["f1"] <= report["f1_ci_upper"]).all()


def test_plot_confusion_returns_axes_with_row_shares():
    ax = plot_confusion(["negative", "neutral", "positive", "neutral"], ["negative", "neutral", "neutral", "neutral"])
    image = ax.get_images()[0].get_array()
    assert np.allclose(np.asarray(image).sum(axis=1), 1.0)
    assert ax.get_xlabel() == "predicted label" and ax.get_ylabel() == "gold label"
    plt.close(ax.figure)


# --- bad input -----------------------------------------------------------------------------
@pytest.mark.parametrize("X, error, message", [
    ("Das ist gut.", TypeError, "not a single string"),
    (pd.DataFrame({"inhalt": ["gut"]}), MissingColumnError, "columns are \\['inhalt'\\]. Rename it"),
    (["gut", None], TypeError, "positions \\[1\\]"),
    (pd.DataFrame({"text": ["gut"], "target": ["gut"], "target_start": [0], "target_end": [99]}), ValueError,
     "does not lie inside the text"),
])
def test_bad_input_is_named(X, error, message):
    with pytest.raises(error, match=message):
        LexiconSentiment().predict(X)


@pytest.mark.parametrize("params, message", [
    ({"lang": "fr"}, "lang must be 'de' or 'en'"),
    ({"context": "paragraph"}, "context must be one of"),
    ({"thresholds": (0.5, -0.5)}, "lower <= upper"),
    ({"lexicons": ("vader",)}, "unknown lexicon"),
    ({"lemmatizer": "spacy"}, "lemmatizer must be one of"),
])
def test_bad_parameters_are_named_at_use(params, message):
    model = LexiconSentiment(**params)  # __init__ only stores
    with pytest.raises(ValueError, match=message):
        model.predict(["gut"])


def test_bad_labels_and_corpora_are_named():
    with pytest.raises(ValueError, match="unknown labels \\['pos'\\]"):
        LexiconSentiment().fit(["gut", "schlecht"], ["pos", "negative"])
    with pytest.raises(ValueError, match="X has 2 rows but y has 1"):
        SentimentClassifier().fit(["gut", "schlecht"], ["positive"])
    with pytest.raises(MissingColumnError, match="no column 'doc_id'"):
        score_sentiment(pd.DataFrame({"text": ["gut"]}))
    with pytest.raises(ValueError, match="unit must be"):
        score_sentiment(CORPUS, unit="paragraph")
    with pytest.raises(ValueError, match="2 labels but y_pred has 1"):
        evaluate(["positive", "neutral"], ["positive"])


# --- the lemmatiser reaches the lexicon rules ---------------------------------------------------

class _MadeUpLemmas:
    """Stands in for HanTa: 'xyzzy' is a form of 'schlecht', every other token its own lemma."""

    def __init__(self, lang="de"):
        self.lang = lang

    def __call__(self, token):
        return "schlecht" if token.lower() == "xyzzy" else token


@pytest.fixture
def made_up_hanta(monkeypatch):
    import analysis.text.lemmatize
    from analysis.text.analysis import clear_cache

    monkeypatch.setattr(analysis.text.lemmatize, "HanTaLemmatizer", _MadeUpLemmas)
    clear_cache()
    yield "hanta"
    monkeypatch.undo()
    clear_cache()


def test_the_lemmatizer_option_reaches_every_sentiment_entry_point(made_up_hanta):
    from analysis.sentiment.classifier import LexiconFeatures

    text = "Putin war xyzzy."
    corpus = pd.DataFrame({"doc_id": ["a"], "lang": ["de"], "text": [text]})
    assert LexiconSentiment().predict([text]).tolist() == ["neutral"]  # simplemma: no lexicon word
    assert LexiconSentiment(lemmatizer=made_up_hanta).predict([text]).tolist() == ["negative"]
    assert score_sentiment(corpus)["n_matched"].tolist() == [0]
    assert score_sentiment(corpus, lemmatizer=made_up_hanta)["n_matched"].tolist() == [1]
    assert score_sentiment(corpus, unit="sentence", lemmatizer=made_up_hanta)["label"].tolist() == ["negative"]
    assert actor_sentiment(corpus)["label"].tolist() == ["neutral"]
    assert actor_sentiment(corpus, lemmatizer=made_up_hanta)["label"].tolist() == ["negative"]
    plain, hanta = (LexiconFeatures(lemmatizer=name).fit([text]).transform([text]) for name in ("simplemma", made_up_hanta))
    assert plain[0, 0] == 0 and hanta[0, 0] < 0
    assert SentimentClassifier(lemmatizer=made_up_hanta).get_params()["lemmatizer"] == made_up_hanta


def test_hanta_lemmas_are_the_ones_the_preprocessor_sees():
    pytest.importorskip("HanTa")
    from analysis.text import Preprocessor

    model = LexiconSentiment(lemmatizer="hanta")
    details = model.explain(["Die Soldaten erlitten schwere Verluste."])
    tokens = Preprocessor(lemmatizer="hanta", stopwords=False, min_length=1)("Verluste")
    assert details.loc[details["token"] == "Verluste", "lemma"].tolist() == tokens
