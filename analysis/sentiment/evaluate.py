"""Validate sentiment labels against gold codes: a tidy report with intervals, and a confusion plot.

>>> gold = ["negative", "neutral", "positive", "neutral", "positive", "negative"]
>>> predicted = ["negative", "neutral", "neutral", "neutral", "positive", "positive"]
>>> report = evaluate(gold, predicted, n_boot=200)
>>> for row in report[["label", "precision", "recall", "f1", "support"]].round(3).values.tolist()[:4]:
...     print(row)
['negative', 1.0, 0.5, 0.667, 2]
['neutral', 0.667, 1.0, 0.8, 2]
['positive', 0.5, 0.5, 0.5, 2]
['macro avg', 0.722, 0.667, 0.656, 6]
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.metrics import confusion_matrix

from analysis.sentiment.inputs import LABELS

REPORT_COLUMNS = ("label", "precision", "recall", "f1", "support", "f1_ci_lower", "f1_ci_upper")


def evaluate(y_true, y_pred, *, labels=None, ci: float = 0.95, n_boot: int = 1000, random_state=0) -> pd.DataFrame:
    """Precision, recall, F1 and support per class, then ``macro avg``, ``weighted avg`` and
    ``accuracy`` rows (the numbers of :func:`sklearn.metrics.classification_report`, with
    ``zero_division=0``; the accuracy row holds accuracy in ``precision``, ``recall`` and ``f1``).

    ``f1_ci_lower``/``f1_ci_upper``: percentile-bootstrap interval of each row's F1 (accuracy
    for the accuracy row), resampling the labelled items ``n_boot`` times with
    ``numpy.random.default_rng(random_state)``. ``labels`` defaults to the three sentiment
    labels (or, for other label sets, the sorted labels present).
    """
    truth, predicted = _as_labels(y_true, "y_true"), _as_labels(y_pred, "y_pred")
    if len(truth) != len(predicted):
        raise ValueError(f"y_true has {len(truth)} labels but y_pred has {len(predicted)}; they must align.")
    if len(truth) == 0:
        raise ValueError("y_true is empty; nothing to evaluate.")
    if not 0 < ci < 1:
        raise ValueError(f"ci must lie between 0 and 1 (e.g. 0.95), not {ci!r}.")
    present = set(truth) | set(predicted)
    labels = list(labels) if labels is not None else (
        list(LABELS) if present <= set(LABELS) else sorted(present))
    counts = confusion_matrix(truth, predicted, labels=labels)
    rows = report_rows(counts)
    rng = np.random.default_rng(random_state)
    codes = {label: i for i, label in enumerate(labels)}
    t = np.array([codes.get(v, -1) for v in truth])
    p = np.array([codes.get(v, -1) for v in predicted])
    keep = (t >= 0) & (p >= 0)
    draws = _bootstrap_f1(t[keep], p[keep], len(labels), rng, int(n_boot))
    lower, upper = np.quantile(draws, [(1 - ci) / 2, (1 + ci) / 2], axis=0) if len(draws) else (rows[:, 2],) * 2
    names = [*labels, "macro avg", "weighted avg", "accuracy"]
    report = pd.DataFrame(rows, columns=["precision", "recall", "f1", "support"])
    report.insert(0, "label", names)
    report["support"] = report["support"].astype("int64")
    report["f1_ci_lower"], report["f1_ci_upper"] = np.minimum(lower, report["f1"]), np.maximum(upper, report["f1"])
    return report[list(REPORT_COLUMNS)]


def _as_labels(values, name: str) -> np.ndarray:
    if isinstance(values, str):
        raise TypeError(f"{name} must be a sequence of labels, not a single string.")
    array = np.asarray(list(values), dtype=object)
    if pd.isna(array).any():
        raise ValueError(f"{name} has {int(pd.isna(array).sum())} missing labels; fill or drop them first.")
    return array.astype(str)


def report_rows(counts: np.ndarray) -> np.ndarray:
    """Per class, macro, weighted and accuracy rows of (precision, recall, f1, support)."""
    tp = np.diag(counts).astype(float)
    predicted, support = counts.sum(axis=0).astype(float), counts.sum(axis=1).astype(float)
    precision = np.divide(tp, predicted, out=np.zeros_like(tp), where=predicted > 0)
    recall = np.divide(tp, support, out=np.zeros_like(tp), where=support > 0)
    total = precision + recall
    f1 = np.divide(2 * precision * recall, total, out=np.zeros_like(tp), where=total > 0)
    n = support.sum()
    per_class = np.column_stack([precision, recall, f1, support])
    macro = [precision.mean(), recall.mean(), f1.mean(), n]
    weights = support / n if n else np.zeros_like(support)
    weighted = [precision @ weights, recall @ weights, f1 @ weights, n]
    accuracy = tp.sum() / n if n else 0.0
    return np.vstack([per_class, macro, weighted, [accuracy, accuracy, accuracy, n]])


def _bootstrap_f1(truth: np.ndarray, predicted: np.ndarray, k: int, rng, n_boot: int) -> np.ndarray:
    """F1 of each row of the report (classes, macro, weighted, accuracy) in ``n_boot`` resamples."""
    n = len(truth)
    if n == 0 or n_boot < 1:
        return np.empty((0, k + 3))
    cells = truth * k + predicted
    index = rng.integers(0, n, size=(n_boot, n))
    out = np.empty((n_boot, k + 3))
    for b in range(n_boot):
        counts = np.bincount(cells[index[b]], minlength=k * k).reshape(k, k)
        out[b] = report_rows(counts)[:, 2]
    return out


def plot_confusion(y_true, y_pred, *, labels=None, normalize=True, ax=None):
    """Confusion matrix as a heat map: gold labels in rows, predictions in columns.

    ``normalize=True`` shows row shares (recall per gold class) with the counts beneath;
    ``False`` shows counts. Returns the Axes.
    """
    truth, predicted = _as_labels(y_true, "y_true"), _as_labels(y_pred, "y_pred")
    if len(truth) != len(predicted):
        raise ValueError(f"y_true has {len(truth)} labels but y_pred has {len(predicted)}; they must align.")
    present = set(truth) | set(predicted)
    labels = list(labels) if labels is not None else (list(LABELS) if present <= set(LABELS) else sorted(present))
    counts = confusion_matrix(truth, predicted, labels=labels)
    rows = counts.sum(axis=1, keepdims=True)
    shares = np.divide(counts, rows, out=np.zeros(counts.shape), where=rows > 0)
    values = shares if normalize else counts
    if ax is None:
        _, ax = plt.subplots(figsize=(5.6, 4.4), layout="constrained")
    image = ax.imshow(values, cmap="Blues", vmin=0, vmax=1 if normalize else max(int(counts.max()), 1))
    for i in range(len(labels)):
        for j in range(len(labels)):
            dark = values[i, j] > (0.6 if normalize else 0.6 * counts.max())
            text = f"{shares[i, j]:.0%}\n(n={counts[i, j]})" if normalize else f"{counts[i, j]}"
            ax.text(j, i, text, ha="center", va="center", fontsize=9, color="white" if dark else "black")
    ax.set_xticks(range(len(labels)), labels)
    ax.set_yticks(range(len(labels)), [f"{label}\n(n={int(r)})" for label, r in zip(labels, rows[:, 0])])
    ax.set_xlabel("predicted label")
    ax.set_ylabel("gold label")
    ax.figure.colorbar(image, ax=ax, fraction=0.046, pad=0.04,
                       label="share of the gold class" if normalize else "items")
    return ax
