"""estimate_prevalence: shares corrected for a coder's errors, with intervals that hold the truth."""

import matplotlib
import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator

from analysis.coding import CrossValidation, corrected_scores, estimate_prevalence, train_coder
from analysis.coding.examples import coded_units
from analysis.compare import DroppedDocumentsWarning, estimate_effect
from analysis.plotting.compare import plot_prevalence

matplotlib.use("Agg")
CLASSES = np.array(["negativ", "neutral", "positiv"], dtype=object)
SHARES = [0.15, 0.55, 0.30]  # the true mix, of the corpus and of the coded random sample
# P(predicted row | true column): the coder calls a quarter of neutral units negative
RATES = np.array([[0.70, 0.25, 0.10],
                  [0.20, 0.70, 0.25],
                  [0.10, 0.05, 0.65]])


class KnownConfusionCoder(BaseEstimator):
    """A coder whose errors follow ``RATES``: it reads each unit's true code (column ``truth``),
    draws its prediction from that code's column of ``RATES`` and is overconfident about it
    (probability 0.8 for the predicted code)."""

    multilabel = False

    def fit(self, n_coded=1500, random_state=1):
        rng = np.random.default_rng(random_state)
        truth = rng.choice(CLASSES, size=n_coded, p=SHARES)
        proba = self._proba(truth, rng)
        one_hot = lambda codes: (codes[:, None] == CLASSES[None, :]).astype(np.int64)  # noqa: E731
        self.classes_ = CLASSES
        self.cv_ = CrossValidation(pd.DataFrame(), pd.DataFrame(), CLASSES, one_hot(truth),
                                   one_hot(self.decide(proba)), proba, 5)
        return self

    def _proba(self, truth, rng):
        cumulative = RATES.cumsum(axis=0)[:, np.searchsorted(CLASSES, truth)].T
        predicted = (rng.random(len(truth))[:, None] > cumulative).sum(axis=1)
        proba = np.full((len(truth), 3), 0.1)
        proba[np.arange(len(truth)), predicted] = 0.8
        return proba

    def decide(self, proba):
        return CLASSES[proba.argmax(axis=1)]

    def cross_validate(self):
        return self.cv_

    def predict_proba(self, corpus):
        return self._proba(corpus["truth"].to_numpy(), np.random.default_rng(7))


def _corpus(shares_by_outlet: dict, n_per_outlet: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    parts = [pd.DataFrame({"truth": rng.choice(CLASSES, size=n_per_outlet, p=shares), "outlet": outlet})
             for outlet, shares in shares_by_outlet.items()]
    corpus = pd.concat(parts, ignore_index=True)
    corpus["doc_id"] = [f"dok-{i}" for i in range(len(corpus))]
    corpus["text"] = "Bericht über die Lage in Kyjiw"
    corpus["published"] = pd.Timestamp("2024-03-01", tz="UTC") + pd.to_timedelta(rng.integers(0, 90, len(corpus)), "D")
    return corpus


def test_corrected_shares_recover_known_truth_where_counting_is_biased():
    corpus = _corpus({"Kurier": SHARES}, 20000)
    rows = estimate_prevalence(KnownConfusionCoder().fit(), corpus).set_index("label").loc[CLASSES]
    actual = corpus["truth"].value_counts(normalize=True).loc[CLASSES].to_numpy()
    np.testing.assert_allclose(rows["estimate"], actual, atol=0.03)
    assert rows["naive"]["negativ"] > actual[0] + 0.1  # classify-and-count: neutral units called negative
    assert ((rows["ci_lower"] <= actual) & (actual <= rows["ci_upper"])).all()
    assert (rows["ci_upper"] - rows["ci_lower"] < 0.15).all()
    assert rows["estimate"].sum() == pytest.approx(1.0)
    assert rows["n_docs"].eq(20000).all()


def test_intervals_widen_when_the_coded_sample_is_small():
    corpus = _corpus({"Kurier": SHARES}, 5000)
    width = lambda coder: (lambda s: (s["ci_upper"] - s["ci_lower"]).mean())(estimate_prevalence(coder, corpus))  # noqa: E731
    assert width(KnownConfusionCoder().fit(n_coded=150)) > 1.5 * width(KnownConfusionCoder().fit(n_coded=3000))


def test_periods_follow_prevalence_undated_documents_are_reported_and_the_result_plots():
    corpus = _corpus({"Kurier": [0.2, 0.5, 0.3], "Der Standard": [0.4, 0.4, 0.2]}, 600)
    corpus.loc[[5, 17, 900], "published"] = pd.NaT
    corpus["outlet"] = corpus["outlet"].astype("category")
    with pytest.warns(DroppedDocumentsWarning, match="3 of 1200"):
        shares = estimate_prevalence(KnownConfusionCoder().fit(), corpus, by="outlet", period="M")
    assert shares.columns.tolist() == ["outlet", "period", "period_start", "label", "estimate", "ci_lower", "ci_upper",
                                       "naive", "n_docs"]
    assert isinstance(shares["outlet"].dtype, pd.CategoricalDtype)
    assert sorted(shares["period"].unique()) == ["2024-03", "2024-04", "2024-05"]
    assert shares.groupby("label")["n_docs"].sum().eq(1197).all()
    ax = plot_prevalence(shares, item="negativ")
    assert ax.get_title() == "label: negativ" and len(ax.get_legend().get_texts()) >= 2


def test_corrected_scores_average_to_the_estimate_and_feed_estimate_effect():
    corpus = _corpus({"Kurier": [0.10, 0.55, 0.35], "Der Standard": [0.30, 0.50, 0.20]}, 3000)
    coder = KnownConfusionCoder().fit()
    scores = corrected_scores(coder, corpus)
    shares = estimate_prevalence(coder, corpus, by="outlet")
    means = scores.merge(corpus[["doc_id", "outlet"]]).groupby(["outlet", "label"])["score"].mean()
    np.testing.assert_allclose(means.loc[list(zip(shares["outlet"], shares["label"]))], shares["estimate"], atol=1e-9)
    effect = estimate_effect(scores, "~ outlet", metadata=corpus[["doc_id", "outlet"]])
    kurier = effect.query("label == 'negativ' and term == 'outlet[T.Kurier]'")
    assert kurier["ci_upper"].item() < 0  # fewer negative units in Kurier (true difference -0.2)


def test_a_trained_coder_on_messy_units_gives_shares_that_sum_to_one():
    units = coded_units()
    units.loc[2, "published"] = pd.NaT
    units = pd.concat([units, units.head(2).assign(doc_id=["dup-a", "dup-b"])], ignore_index=True)  # repeated texts
    coder = train_coder(units, label_col="frame")
    shares = estimate_prevalence(coder, units.drop(columns="frame"), by="outlet")
    assert shares.groupby("outlet", observed=True)["estimate"].sum().round(9).eq(1.0).all()
    assert shares.groupby("outlet", observed=True)["naive"].sum().round(9).eq(1.0).all()
    with pytest.raises(ValueError, match="coverage"):
        estimate_prevalence(coder, units, ci=95)


class KnownRatesMultilabelCoder(BaseEstimator):
    """Several frames per unit: each label found with rate ``TPR`` when present, ``FPR`` when
    absent, and then given probability 0.9 (else 0.2)."""

    multilabel = True
    TPR, FPR, PREVALENCE = np.array([0.8, 0.6]), np.array([0.1, 0.2]), np.array([0.1, 0.6])

    def fit(self, n_coded=2000):
        rng = np.random.default_rng(2)
        coded = (rng.random((n_coded, 2)) < self.PREVALENCE).astype(np.int64)
        proba = self._proba(coded, rng)
        self.classes_ = np.array(["economic", "military"], dtype=object)
        self.cv_ = CrossValidation(pd.DataFrame(), pd.DataFrame(), self.classes_, coded, self.decide(proba), proba, 5)
        return self

    def _proba(self, truth, rng):
        found = rng.random(truth.shape) < np.where(truth == 1, self.TPR, self.FPR)
        return np.where(found, 0.9, 0.2)

    def decide(self, proba):
        return (proba >= 0.5).astype(np.int64)

    def cross_validate(self):
        return self.cv_

    def predict_proba(self, corpus):
        return self._proba(corpus[["economic", "military"]].to_numpy(), np.random.default_rng(5))


def test_several_frames_per_unit_are_corrected_label_by_label():
    coder, inside = KnownRatesMultilabelCoder().fit(), []
    for seed in range(6):
        rng = np.random.default_rng(seed)
        corpus = pd.DataFrame({"doc_id": [f"d{i}" for i in range(4000)], "text": "Wirtschaft und Krieg",
                               "economic": (rng.random(4000) < 0.1).astype(int),
                               "military": (rng.random(4000) < 0.6).astype(int)})
        shares = estimate_prevalence(coder, corpus, random_state=seed).set_index("label")
        truth = corpus[["economic", "military"]].mean()
        np.testing.assert_allclose(shares.loc[truth.index, "estimate"], truth, atol=0.04)
        assert shares.loc["economic", "naive"] > truth["economic"] + 0.05  # false hits inflate a rare frame
        inside += ((shares["ci_lower"] <= truth) & (truth <= shares["ci_upper"])).tolist()
    assert sum(inside) >= 10  # of 12: 95 % intervals
