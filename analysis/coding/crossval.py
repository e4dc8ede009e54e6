"""How well a :class:`~analysis.coding.Coder` codes units it has not seen: grouped k-fold cross-validation.

Each fold trains a clone of the coder on the other folds' coded units and codes its own;
units of one group (identical texts unless the coder was given ``groups``) stay in one
fold, and folds keep the codes' mix (``StratifiedGroupKFold``, shuffled with the coder's
``random_state``). The out-of-fold codes are scored against the hand codes with
:func:`analysis.validation.score_codes` (percentile bootstrap over units), and their
probabilities are what :func:`~analysis.coding.estimate_prevalence` calibrates on.

>>> from analysis.coding.coder import train_coder
>>> from analysis.coding.examples import coded_units
>>> cv = train_coder(coded_units(), label_col="frame").cross_validate(n_splits=3, n_boot=200)
>>> cv.confusion.index.name, cv.confusion.columns.name, int(cv.confusion.to_numpy().sum())
('coded', 'predicted', 24)
>>> cv.scores.columns.tolist()
['label', 'metric', 'estimate', 'ci_lower', 'ci_upper', 'n']
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.model_selection import StratifiedGroupKFold

from analysis.validation.codes import score_codes

SCORE_COLUMNS = ["label", "metric", "estimate", "ci_lower", "ci_upper", "n"]


@dataclass
class CrossValidation:
    """Out-of-fold results of a coder on its coded units.

    ``scores``: one row per label × metric (``precision``, ``recall``, ``f1``), then ``macro``
    and ``micro`` rows for one code per unit — columns ``label, metric, estimate, ci_lower,
    ci_upper, n`` as in :func:`~analysis.validation.score_codes` (with several codes per
    unit, each label's rows score its "yes"). ``confusion``: counts, coded codes (rows) ×
    out-of-fold predictions (columns); with several codes per unit one row per label and
    columns ``tn, fp, fn, tp``. ``labels``, ``coded`` and ``predicted`` (units × labels 0/1)
    hold what the tables are made from, ``proba`` the out-of-fold probabilities (units ×
    labels; :func:`~analysis.coding.estimate_prevalence` calibrates on them); ``n_splits`` the
    number of folds.
    """

    scores: pd.DataFrame
    confusion: pd.DataFrame
    labels: np.ndarray
    coded: np.ndarray
    predicted: np.ndarray
    proba: np.ndarray
    n_splits: int

    def _repr_html_(self) -> str:
        head = f"<p><b>Cross-validation</b>, {self.n_splits} grouped folds, {len(self.coded)} coded units</p>"
        return head + self.scores.round(3).to_html(index=False) + self.confusion.to_html()


def cross_validate(coder, n_splits: int = 5, *, ci: float = 0.95, n_boot: int = 1000) -> CrossValidation:
    """Cross-validate a fitted coder on its own coded units (also :meth:`Coder.cross_validate`)."""
    units, labels, classes = coder.coded_, coder.coded_labels_, coder.classes_
    folds = _folds(units, labels, classes, int(n_splits), coder.multilabel, coder.random_state)
    y = pd.DataFrame(labels, columns=classes) if coder.multilabel else labels
    proba = np.zeros((len(units), len(classes)))
    for train, test in folds:
        fold_y = y.iloc[train] if coder.multilabel else y[train]
        fold_coder = clone(coder).fit(units.iloc[train], fold_y, groups=units["group"].iloc[train])
        proba[test] = fold_coder.predict_proba(units.iloc[test])
    predicted = coder.decide(proba)
    coded, predicted_01 = (labels, predicted) if coder.multilabel else (_one_hot(labels, classes),
                                                                        _one_hot(predicted, classes))
    scores = _scores(labels, predicted, classes, coder.multilabel, ci, n_boot, coder.random_state)
    return CrossValidation(scores, _confusion(coded, predicted_01, classes, coder.multilabel), classes,
                           coded, predicted_01, proba, int(n_splits))


def _one_hot(codes: np.ndarray, classes: np.ndarray) -> np.ndarray:
    return (np.asarray(codes)[:, None] == classes[None, :]).astype(np.int64)


def _folds(units: pd.DataFrame, labels, classes, n_splits: int, multilabel: bool, random_state) -> list:
    n_groups = units["group"].nunique()
    if n_splits < 2 or n_splits > n_groups:
        raise ValueError(f"n_splits must be at least 2 and at most the number of distinct coded texts or groups "
                         f"({n_groups}), not {n_splits}.")
    strata = np.array(["".join(map(str, row)) for row in labels]) if multilabel else labels
    splitter = StratifiedGroupKFold(n_splits=n_splits, shuffle=True,
                                    random_state=0 if random_state is None else random_state)
    with warnings.catch_warnings():  # a rare stratum in fewer units than folds is fine here
        warnings.simplefilter("ignore", UserWarning)
        folds = list(splitter.split(units, strata, units["group"]))
    for train, _ in folds:
        fold = labels[train]
        whole = (fold.min(axis=0) == fold.max(axis=0)).any() if multilabel else len(set(fold)) < len(classes)
        if whole:
            raise ValueError(f"a {n_splits}-fold split leaves a label out of training; every code needs units in "
                             "several folds. Code more units of the rare codes, or lower n_splits.")
    return folds


def _scores(labels, predicted, classes, multilabel: bool, ci: float, n_boot: int, random_state) -> pd.DataFrame:
    ids = [str(i) for i in range(len(labels))]
    if not multilabel:
        scores = score_codes(pd.DataFrame({"unit": ids, "code": labels}),
                             pd.DataFrame({"unit": ids, "code": predicted}),
                             ci=ci, n_boot=n_boot, random_state=random_state or 0)
        return scores.rename(columns={"category": "label"})[SCORE_COLUMNS]
    names = [f"label_{j}" for j in range(len(classes))]  # never a column name score_codes skips
    as_yes_no = lambda matrix: pd.DataFrame(np.where(matrix == 1, "yes", "no"), columns=names).assign(unit=ids)
    scores = score_codes(as_yes_no(labels), as_yes_no(predicted), ci=ci, n_boot=n_boot,
                         random_state=random_state or 0)
    scores = scores[scores["category"] == "yes"]
    return scores.assign(label=scores["variable"].map(dict(zip(names, classes))))[SCORE_COLUMNS].reset_index(drop=True)


def _confusion(coded: np.ndarray, predicted: np.ndarray, classes, multilabel: bool) -> pd.DataFrame:
    if multilabel:
        cells = {"tn": (0, 0), "fp": (0, 1), "fn": (1, 0), "tp": (1, 1)}
        table = pd.DataFrame({name: ((coded == t) & (predicted == p)).sum(axis=0) for name, (t, p) in cells.items()},
                             index=pd.Index(classes, name="label"))
        return table.astype("int64")
    counts = coded.T @ predicted
    return pd.DataFrame(counts.astype("int64"), index=pd.Index(classes, name="coded"),
                        columns=pd.Index(classes, name="predicted"))

