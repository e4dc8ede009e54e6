"""The estimator contract of every public scikit-learn estimator in the kit.

Two layers, as STYLE.md §1 asks:
- scikit-learn's own checks (``parametrize_with_checks``). The kit's estimators take text,
  not numbers, and say so in their tags (``input_tags.string``, no 2-D arrays). Every
  check of scikit-learn's suite feeds numeric matrices, so for string input it runs only
  ``check_estimator_cloneable`` and skips the rest with a ``SkipTestWarning`` (that is the
  expected failure of text input: a check that would pass a float matrix to a tokenizer).
  Should a check that runs fail, :data:`EXPECTED_FAILURES` lists it with the reason.
- Our contract on text, which covers what those numeric checks would: clone drops fitted
  state, ``get_params``/``set_params`` round trip where the new parameter takes effect,
  ``fit`` returns self, a not-fitted error, the same result twice, empty input, pandas output.
"""

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.utils.estimator_checks import parametrize_with_checks

from analysis.coding import Coder
from analysis.frames import FrameScorer
from analysis.sentiment import LexiconSentiment, SentimentClassifier, StanceModel
from analysis.sentiment.classifier import LexiconFeatures
from analysis.text import Preprocessor
from analysis.topics import OnlineNMF

ESTIMATORS = [Preprocessor(), FrameScorer(), LexiconSentiment(), SentimentClassifier(), LexiconFeatures(),
              StanceModel(min_df=1), Coder()]

# check name -> why a text estimator cannot pass it (filled from a run; keep each reason true)
EXPECTED_FAILURES: dict[str, dict[str, str]] = {}  # none at present


def _expected(estimator) -> dict[str, str]:
    return EXPECTED_FAILURES.get(type(estimator).__name__, {})


@parametrize_with_checks(ESTIMATORS, expected_failed_checks=_expected)
def test_scikit_learn_checks(estimator, check):
    check(estimator)


TEXTS = ["Nordkoreanische Soldat*innen kämpfen im Ukraine-Krieg.", "Keine Waffenruhe in Kursk, sagt Selenskyj.",
         "Die Hilfe für die Flüchtlinge ist großartig.", "Putin droht mit Krieg."]
TRAIN = pd.DataFrame([  # distinct texts, four per class (the classifier's grouped CV needs them)
    ("Die Hilfe für die Flüchtlinge ist großartig.", "positive"), ("Ein wunderbarer Erfolg für die Diplomatie.", "positive"),
    ("Die Einigung ist ein gutes Zeichen.", "positive"), ("Große Freude über die Freilassung der Geiseln.", "positive"),
    ("Putin droht mit Krieg.", "negative"), ("Schreckliche Angriffe zerstören Wohnhäuser in Charkiw.", "negative"),
    ("Die Lage ist katastrophal und gefährlich.", "negative"), ("Brutale Gewalt gegen Zivilisten in Kursk.", "negative"),
    ("Der Ausschuss tagt am Montag in Berlin.", "neutral"), ("Nordkoreanische Soldat*innen sind in Kursk.", "neutral"),
    ("Das Treffen beginnt um neun Uhr.", "neutral"), ("Die Delegation reist nach Genf.", "neutral"),
], columns=["text", "label"])
TRAIN = pd.concat([TRAIN.assign(text=TRAIN["text"] + f" ({place})") for place in ("dpa", "Kyjiw", "Wien")],
                  ignore_index=True)  # twelve distinct texts per class


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=lambda e: type(e).__name__)
def test_clone_keeps_parameters_and_drops_fitted_state(estimator):
    fitted = clone(estimator)
    assert fitted.fit(TRAIN["text"].tolist(), TRAIN["label"].tolist()) is fitted
    copy = clone(fitted)
    assert copy.get_params() == estimator.get_params()
    assert not [k for k in vars(copy) if k.endswith("_") and not k.startswith("_")]


def test_preprocessor_set_params_takes_effect():
    pre = Preprocessor(lang="de")
    before = pre("Keine Waffenruhe in Kursk")
    pre.set_params(negation=True)
    assert before != pre("Keine Waffenruhe in Kursk")
    assert "negation=True" in repr(pre) and "lemmatize" not in repr(pre)


def test_frame_scorer_set_params_takes_effect_and_is_not_fitted_at_first():
    scorer = FrameScorer(dictionary="conflict")
    with pytest.raises(NotFittedError):
        scorer.transform(TEXTS)
    counts = scorer.set_params(normalize=None).fit(TEXTS).transform(TEXTS)
    shares = scorer.set_params(normalize="share").fit(TEXTS).transform(TEXTS)
    assert not (pd.DataFrame(counts) == pd.DataFrame(shares)).all().all()


def test_frame_scorer_gives_pandas_output_with_frame_names():
    scorer = FrameScorer(dictionary="conflict").set_output(transform="pandas").fit(TEXTS)
    out = scorer.transform(pd.Series(TEXTS))
    assert isinstance(out, pd.DataFrame) and list(out.columns) == list(scorer.get_feature_names_out())
    assert len(out) == len(TEXTS)


@pytest.mark.parametrize("estimator", [FrameScorer(), SentimentClassifier(), LexiconFeatures(), StanceModel(), Coder()],
                         ids=lambda e: type(e).__name__)
def test_estimators_that_learn_say_when_they_are_not_fitted(estimator):
    method = getattr(estimator, "transform", None) or estimator.predict
    with pytest.raises(NotFittedError):
        method(TEXTS)


def _values(out) -> list:
    """An estimator's output (frame, array or list of token lists) as plain nested lists."""
    return out.to_numpy().tolist() if isinstance(out, pd.DataFrame) else np.asarray(out, dtype=object).tolist()


@pytest.mark.parametrize("estimator", [Preprocessor(), FrameScorer(), LexiconSentiment(), StanceModel(min_df=1), Coder()],
                         ids=lambda e: type(e).__name__)
def test_the_same_texts_give_the_same_result_twice_and_empty_input_an_empty_one(estimator):
    fitted = clone(estimator).fit(TRAIN["text"].tolist(), TRAIN["label"].tolist())
    method = getattr(fitted, "transform", None) or fitted.predict
    first, second = method(TEXTS), method(list(TEXTS))
    assert len(first) == len(TEXTS)
    assert _values(first) == _values(second)
    assert len(method([])) == 0


@parametrize_with_checks([OnlineNMF(batch_size=10, max_iter=20, fresh_restarts=True)])
def test_online_nmf_passes_every_scikit_learn_check(estimator, check):
    """The streamed topic fit's NMF is numeric: scikit-learn's whole suite runs, nothing expected to fail.
    The settings are those scikit-learn checks ``MiniBatchNMF`` with (fresh restarts, so ``fit_transform``
    and ``transform`` agree); with n_components=2, max_iter=20 and no restarts ``MiniBatchNMF`` itself fails
    the same three checks (``fit_transform`` and ``transform`` not consistent)."""
    check(estimator)
