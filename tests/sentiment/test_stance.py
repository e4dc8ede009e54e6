"""The stance model: target-aware, stored as plain data, rebuilt exactly from the bundled gold."""

import json

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from analysis.sentiment.stance import FORMAT, StanceModel, load_stance_model, stance_model, training_data
from analysis.sentiment.stance_cues import mention_cues
from analysis.sentiment.lexicons import load_lexicon, load_modifiers
from analysis.sentiment.rules import analyse

TWO_SIDES = "Die Ukraine feiert einen klaren Erfolg, während Russland eine bittere Niederlage erleidet."


@pytest.fixture(scope="module")
def gerntsa_sample():
    X, y, _ = training_data("de")
    return X.iloc[::15].reset_index(drop=True), y[::15]


def test_the_same_sentence_reads_differently_for_each_target():
    X = pd.DataFrame({"text": [TWO_SIDES, TWO_SIDES], "target": ["Ukraine", "Russland"]})
    ukraine, russia = stance_model("de").decision_function(X)
    assert ukraine > russia + 0.1


@pytest.mark.parametrize("lang, text, target, label", [
    ("de", "Kritiker werfen Scholz Versagen in der Krise vor.", "Scholz", "negative"),
    ("de", "Der Kanzler lobte die mutigen Helfer.", "Helfer", "positive"),
    ("de", "Die Sitzung mit Bürgermeisterin Müller beginnt um neun Uhr.", "Müller", "neutral"),
    ("en", "Critics accused Johnson of lying to parliament and failing the country.", "Johnson", "negative"),
    ("en", "The senator praised the brave firefighters for saving dozens of lives.", "firefighters", "positive"),
])
def test_bundled_models_label_clear_cases(lang, text, target, label):
    X = pd.DataFrame({"text": [text], "target": [target]})
    assert stance_model(lang).predict(X).tolist() == [label]


def test_saved_model_is_plain_data_and_round_trips(tmp_path, gerntsa_sample):
    X, y = gerntsa_sample
    model = StanceModel("de", random_state=0).fit(X, y)
    json_path, npz_path = model.save(tmp_path / "model")
    meta = json.loads(json_path.read_text(encoding="utf-8"))
    assert meta["format"] == FORMAT and meta["classes"] == ["negative", "neutral", "positive"]
    with np.load(npz_path, allow_pickle=False) as arrays:
        assert arrays["coef"].shape == (3, sum(len(v) for v in model.vocabularies_.values()) + 6)
    loaded = load_stance_model(tmp_path / "model")
    np.testing.assert_allclose(loaded.predict_proba(X), model.predict_proba(X), atol=1e-5)
    assert loaded.predict(X).tolist() == model.predict(X).tolist()


def test_probabilities_are_those_of_the_logistic_regression(gerntsa_sample):
    X, y = gerntsa_sample
    proba = StanceModel("de", random_state=0).fit(X, y).predict_proba(X)
    assert proba.shape == (len(X), 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert (proba > 0).all()


def test_sample_weight_reaches_the_regression(gerntsa_sample):
    X, y = gerntsa_sample
    plain = StanceModel("de", random_state=0).fit(X, y)
    np.testing.assert_allclose(StanceModel("de", random_state=0).fit(X, y, sample_weight=np.ones(len(y))).coef_,
                               plain.coef_)
    ignored = np.arange(len(y)) >= len(y) // 2  # weight 0.01: the model all but ignores their labels
    lighter = StanceModel("de", random_state=0).fit(X, y, sample_weight=np.where(ignored, 0.01, 1.0))
    assert (lighter.predict(X)[ignored] == y[ignored]).mean() < (plain.predict(X)[ignored] == y[ignored]).mean() - 0.2


def test_another_format_is_refused_with_the_rebuild_command(tmp_path, gerntsa_sample):
    X, y = gerntsa_sample
    json_path, _ = StanceModel("de", random_state=0).fit(X, y).save(tmp_path / "old")
    meta = json.loads(json_path.read_text(encoding="utf-8"))
    json_path.write_text(json.dumps({**meta, "format": FORMAT + 1}), encoding="utf-8")
    with pytest.raises(ValueError, match="--rebuild"):
        load_stance_model(tmp_path / "old")


def test_estimator_contract(gerntsa_sample):
    model = StanceModel("en", C=0.5, min_df=3)
    assert clone(model).get_params() == model.get_params()
    with pytest.raises(NotFittedError):
        model.predict(["A sentence."])
    with pytest.raises(ValueError, match="no bundled stance model|for 'de' and 'en'"):
        stance_model("fr")


def test_cues_mark_the_side_clause_and_negation_of_the_mention():
    text = "Die Regierung kritisiert Müller nicht, aber die Opposition lobt ihn."
    start = text.index("Müller")
    analysis = analyse(text, (start, start + 6), lang="de", lexicon=load_lexicon("de"), modifiers=load_modifiers("de"))
    cues, dense = mention_cues(analysis, (start, start + 6))
    cues = cues.split()
    assert "l1:kritisieren" in cues and "r1:nicht" in cues and "c:regierung" in cues
    assert "c:opposition" not in cues and "w:opposition" in cues  # after "aber": another clause
    assert "w:müller" not in cues  # the mention itself is not a feature
    assert dense.shape == (6,) and -1 <= dense[0] <= 1


@pytest.mark.parametrize("target", ["Selenskyj", "Katastrophe", None])
def test_lexicon_numbers_are_the_rules_own_sums(target):
    # the mention may itself be a lexicon word ("Katastrophe"): it still counts in the sums, as in the rules
    text = "Der mutige Selenskyj lobt die Helfer in Kiew, doch der Krieg bleibt für die Ukraine eine Katastrophe."
    span = (text.index(target), text.index(target) + len(target)) if target else None
    analysis = analyse(text, span, lang="de", lexicon=load_lexicon("de"), modifiers=load_modifiers("de"))
    _, dense = mention_cues(analysis, span)
    contribution = analysis.contribution
    clause = contribution * (analysis.context >= 1.0)
    expected = [analysis.polarity, np.tanh(clause.sum()), np.tanh(contribution[contribution > 0].sum()),
                np.tanh(-contribution[contribution < 0].sum()), np.tanh(clause[clause > 0].sum()),
                np.tanh(-clause[clause < 0].sum())]
    np.testing.assert_allclose(dense, expected)
    assert dense[2] > 0 and dense[3] > 0  # "mutig", "loben" and "Katastrophe", "Krieg" are both in the sentence


def test_texts_without_a_target_are_scored_whole():
    model = stance_model("de")
    assert model.predict(["Ein schwerer Fehler der Regierung, eine Katastrophe."]).tolist() == ["negative"]


@pytest.mark.slow
def test_bundled_model_is_the_rebuild_of_the_bundled_data():
    X, y, _ = training_data("de")
    rebuilt = StanceModel("de", random_state=0).fit(X, y)
    bundled = stance_model("de")
    assert rebuilt.vocabularies_ == bundled.vocabularies_
    np.testing.assert_allclose(rebuilt.coef_, bundled.coef_, atol=1e-5)
