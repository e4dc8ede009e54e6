"""How common each code is in a corpus, corrected for the coder's errors: :func:`estimate_prevalence`.

Counting a classifier's codes ("classify and count") is biased whenever the classifier errs:
a coder that calls 20 % of neutral sentences negative inflates the negative share. Adjusted
classify-and-count (Forman 2008, "Quantifying counts and costs via classification", Data
Min. Knowl. Disc. 17) undoes this with the coder's confusion rates, estimated out of fold
on the coded units (:meth:`~analysis.coding.Coder.cross_validate`): the predicted shares
``q`` are ``M p`` for the true shares ``p`` and the rates ``M[j, i] = P(predicted j | coded i)``,
so ``p = M⁻¹ q`` (pseudo-inverse), clipped to [0, 1] and renormalised to sum 1. With several
codes per unit each label is corrected on its own: ``p = (q - fpr) / (tpr - fpr)``, clipped.

The assumption: the coder errs on the corpus as it erred on the coded units, class by
class. That holds when the coded units are a random sample of the corpus (or of its
strata) — not for units picked by uncertainty sampling, which are the hard cases and make
the rates look worse than they are. Code a random batch (``next_to_code(...,
strategy="random")``) for the correction, as you would for reporting quality.

>>> from analysis.coding.coder import train_coder
>>> from analysis.coding.examples import coded_units
>>> units = coded_units()
>>> coder = train_coder(units, label_col="frame")
>>> shares = estimate_prevalence(coder, units, by="outlet")
>>> shares.columns.tolist()
['outlet', 'period', 'period_start', 'label', 'estimate', 'ci_lower', 'ci_upper', 'naive', 'n_docs']
>>> shares.groupby("outlet", observed=True)["estimate"].sum().round(6).tolist()
[1.0, 1.0]
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.utils.validation import check_is_fitted

from analysis.compare.prevalence import prevalence
from analysis.compare.scores import check_ci
from analysis.corpus.schema import check_corpus

N_BOOT = 1000  # bootstrap draws of the coded units and of each cell's documents


def estimate_prevalence(coder, corpus: pd.DataFrame, *, by=None, period=None, ci: float = 0.95,
                        random_state=0) -> pd.DataFrame:
    """Share of the corpus's documents in each code, corrected for the coder's misclassification.

    ``corpus``: a corpus frame (``doc_id``, ``text``, plus the ``by`` columns and, with
    ``period``, ``published``). ``by``: a column, a list of columns, or None; ``period``: a
    pandas period alias (``"M"``, ``"Q"`` …) or None — as in :func:`analysis.compare.prevalence`,
    whose cells, empty periods and warnings this follows.

    One row per group × period × label; columns ``[*by, "period", "period_start", "label",
    "estimate", "ci_lower", "ci_upper", "naive", "n_docs"]``. ``estimate`` is adjusted
    classify-and-count (module docstring), ``naive`` the plain share of documents the coder
    gives the label. The percentile interval comes from ``N_BOOT`` draws that each resample
    the coded units (new confusion rates, from the 5-fold out-of-fold codes) *and* the
    cell's documents (new predicted shares), so it carries the coded sample's error and
    the corpus sampling. Cells of one document get no interval; empty ones NaN. Feeds
    :func:`analysis.plotting.plot_prevalence` (``item="..."``); for regressions use
    :func:`corrected_scores` with :func:`analysis.compare.estimate_effect`.
    """
    check_is_fitted(coder)
    check_ci(ci)
    check_corpus(corpus)
    classes, k = coder.classes_, len(coder.classes_)
    indicators = _indicators(coder, corpus)
    scores = pd.DataFrame({"doc_id": np.repeat(corpus["doc_id"].to_numpy(), k), "label": np.tile(classes, len(corpus)),
                           "share": indicators.ravel().astype(float)})
    table = prevalence(scores, by=by, period=period, ci=ci, n_boot=1, random_state=random_state,
                       metadata=corpus.drop(columns="text"))
    naive = table["estimate"].to_numpy().reshape(-1, k)
    n_docs = table["n_docs"].to_numpy().reshape(-1, k)[:, 0]
    cv = coder.cross_validate()
    rng = np.random.default_rng(random_state)
    rates, rate_draws = _rates(cv.coded, cv.predicted, coder.multilabel), _rate_draws(cv, coder.multilabel, rng)
    estimate, lower, upper = (np.full_like(naive, np.nan) for _ in range(3))
    for cell in np.flatnonzero(n_docs > 0):
        estimate[cell] = _correct(naive[cell][None], rates[None], coder.multilabel)[0]
        if n_docs[cell] > 1:
            draws = _correct(_share_draws(naive[cell], n_docs[cell], coder.multilabel, rng), rate_draws,
                             coder.multilabel)
            low, high = np.quantile(draws, [(1 - ci) / 2, (1 + ci) / 2], axis=0)
            lower[cell], upper[cell] = np.minimum(low, estimate[cell]), np.maximum(high, estimate[cell])
    by_cols = list(table.columns[:table.columns.get_loc("period")])
    out = table.assign(naive=table["estimate"], estimate=estimate.ravel(), ci_lower=lower.ravel(),
                       ci_upper=upper.ravel())
    return out[[*by_cols, "period", "period_start", "label", "estimate", "ci_lower", "ci_upper", "naive", "n_docs"]]


def corrected_scores(coder, corpus: pd.DataFrame) -> pd.DataFrame:
    """Per-document code indicators corrected for misclassification, for :func:`analysis.compare.estimate_effect`.

    One row per document × label: ``doc_id``, ``label``, ``score`` — the row of ``M⁻¹``
    (one code per unit) or ``(y - fpr) / (tpr - fpr)`` (several) of the document's
    predicted code(s). Scores can lie outside [0, 1]; their mean over any set of documents
    is the corrected share before clipping, so a regression on them estimates effects on
    the true shares (under the assumption in the module docstring). Its intervals carry
    the corpus sampling, not the coder's error: report :func:`estimate_prevalence` alongside.

    >>> from analysis.coding.coder import train_coder
    >>> from analysis.coding.examples import coded_units
    >>> units = coded_units()
    >>> scores = corrected_scores(train_coder(units, label_col="frame"), units)
    >>> scores.columns.tolist(), len(scores) == 2 * len(units)
    (['doc_id', 'label', 'score'], True)
    """
    check_is_fitted(coder)
    check_corpus(corpus)
    cv = coder.cross_validate()
    rates = _rates(cv.coded, cv.predicted, coder.multilabel)
    indicators = _indicators(coder, corpus).astype(float)
    if coder.multilabel:
        fpr, gain = rates[1], rates[0] - rates[1]
        values = np.where(gain > 0, (indicators - fpr) / np.where(gain > 0, gain, 1), indicators)
    else:
        values = indicators @ np.linalg.pinv(rates).T
    k = len(coder.classes_)
    return pd.DataFrame({"doc_id": np.repeat(corpus["doc_id"].to_numpy(), k),
                         "label": np.tile(coder.classes_, len(corpus)), "score": values.ravel()})


def _indicators(coder, corpus: pd.DataFrame) -> np.ndarray:
    """Documents × labels 0/1 of the coder's codes."""
    predicted = coder.predict(corpus)
    if coder.multilabel:
        return np.asarray(predicted, dtype=np.int64)
    return (predicted[:, None] == coder.classes_[None, :]).astype(np.int64)


def _rates(coded: np.ndarray, predicted: np.ndarray, multilabel: bool) -> np.ndarray:
    """``M`` (predicted × coded; columns sum to 1), or ``[tpr, fpr]`` per label with several codes."""
    if multilabel:
        positives, negatives = coded.sum(axis=0), (1 - coded).sum(axis=0)
        return np.vstack([(coded * predicted).sum(axis=0) / np.maximum(positives, 1),
                          ((1 - coded) * predicted).sum(axis=0) / np.maximum(negatives, 1)])
    counts = (coded.T @ predicted).astype(float)  # coded × predicted
    return (counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)).T


def _rate_draws(cv, multilabel: bool, rng) -> np.ndarray:
    """``N_BOOT`` rate estimates from coded units resampled with replacement."""
    n = len(cv.coded)
    index = rng.integers(0, n, size=(N_BOOT, n)) + n * np.arange(N_BOOT)[:, None]
    weights = np.bincount(index.ravel(), minlength=N_BOOT * n).reshape(N_BOOT, n).astype(float)
    if multilabel:
        tp, pos = weights @ (cv.coded * cv.predicted), weights @ cv.coded
        fp, neg = weights @ ((1 - cv.coded) * cv.predicted), weights @ (1 - cv.coded)
        fallback = _rates(cv.coded, cv.predicted, True)  # a label absent from a resample keeps its rate
        tpr = np.where(pos > 0, tp / np.maximum(pos, 1), fallback[0])
        fpr = np.where(neg > 0, fp / np.maximum(neg, 1), fallback[1])
        return np.stack([tpr, fpr], axis=1)
    k = cv.coded.shape[1]
    cells = (cv.coded[:, :, None] * cv.predicted[:, None, :]).reshape(n, k * k)  # one-hot coded × predicted
    counts = (weights @ cells).reshape(N_BOOT, k, k)
    totals = counts.sum(axis=2, keepdims=True)
    fallback = _rates(cv.coded, cv.predicted, False).T[None]
    rates = np.where(totals > 0, counts / np.maximum(totals, 1), fallback)
    return np.transpose(rates, (0, 2, 1))


def _share_draws(shares: np.ndarray, n: int, multilabel: bool, rng) -> np.ndarray:
    """Predicted shares of ``N_BOOT`` resamples of a cell's ``n`` documents (exact: multinomial/binomial)."""
    if multilabel:
        return rng.binomial(n, np.clip(shares, 0, 1), size=(N_BOOT, len(shares))) / n
    return rng.multinomial(n, shares / shares.sum(), size=N_BOOT) / n


def _correct(shares: np.ndarray, rates: np.ndarray, multilabel: bool) -> np.ndarray:
    """Adjusted classify-and-count of predicted ``shares`` (draws × labels) with ``rates`` (draws × …)."""
    if multilabel:
        tpr, fpr = rates[:, 0], rates[:, 1]
        gain = tpr - fpr
        corrected = np.where(gain > 0, (shares - fpr) / np.where(gain > 0, gain, 1), shares)
        return np.clip(corrected, 0, 1)
    corrected = np.clip(np.einsum("bij,bj->bi", np.linalg.pinv(rates), shares), 0, None)
    totals = corrected.sum(axis=1, keepdims=True)
    return np.where(totals > 0, corrected / np.where(totals > 0, totals, 1), shares)
