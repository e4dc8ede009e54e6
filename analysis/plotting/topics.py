"""Figures for topic models: terms per topic, and the evidence for choosing k.

>>> import matplotlib; matplotlib.use("Agg")
>>> import pandas as pd
>>> table = pd.DataFrame({"k": [4, 8], "npmi": [0.30, 0.32], "npmi_sd": [0.01, 0.02], "umass": [-0.9, -1.0],
...     "diversity": [0.96, 0.90], "exclusivity": [0.91, 0.95], "heldout": [0.94, 0.93],
...     "heldout_measure": "relative reconstruction error", "stability": [0.99, 0.91]})
>>> len(plot_n_topics(table))
6
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from analysis.plotting.layout import frozen_ticks

_METRICS = (
    ("npmi", "NPMI coherence ↑"),
    ("umass", "UMass coherence ↑"),
    ("diversity", "topic diversity ↑"),
    ("exclusivity", "exclusivity (FREX) ↑"),
    ("heldout", "held-out fit ↓"),
    ("stability", "stability across runs ↑"),
)


def plot_n_topics(table: pd.DataFrame, *, chosen: int | None = None, axes=None) -> np.ndarray:
    """One small panel per metric of :func:`analysis.topics.fit.compare_n_topics` against k.

    ``chosen`` marks the selected k in every panel. Returns the array of six Axes.
    """
    if axes is None:
        _, axes = plt.subplots(2, 3, figsize=(11, 5.5), sharex=True)
    axes = np.asarray(axes).ravel()
    for ax, (column, label) in zip(axes, _METRICS):
        ax.plot(table["k"], table[column], marker="o", color="#1b6ca8")
        if column == "npmi" and "npmi_sd" in table:
            ax.fill_between(table["k"], table["npmi"] - table["npmi_sd"], table["npmi"] + table["npmi_sd"],
                            color="#1b6ca8", alpha=0.2, linewidth=0)
        if column == "heldout" and "heldout_measure" in table:
            label = f"held-out {table['heldout_measure'].iloc[0]} ↓"
        if chosen is not None:
            ax.axvline(chosen, color="#d1495b", linestyle="--", linewidth=1)
        ax.set_title(label, fontsize=10)
        ax.set_xticks(table["k"])
    for ax in axes[-3:]:
        ax.set_xlabel("number of topics k")
    with frozen_ticks(axes[0].figure):
        axes[0].figure.tight_layout()
    return axes


def plot_topic_terms(terms: pd.DataFrame, *, topics=None, n_cols: int = 4, labels: dict | None = None) -> np.ndarray:
    """Horizontal bars of each topic's top terms (from ``TopicModel.terms``).

    ``labels`` maps topic ids to readable names for the panel titles. Returns the Axes array.
    """
    topics = list(dict.fromkeys(terms["topic"])) if topics is None else list(topics)
    n_cols = max(1, min(n_cols, len(topics)))
    n_rows = -(-len(topics) // n_cols)
    n_terms = int(terms.groupby("topic").size().max())
    fig, axes = plt.subplots(n_rows, n_cols, figsize=(3.2 * n_cols, 0.26 * n_terms * n_rows + 0.9 * n_rows),
                             squeeze=False)
    colors = plt.get_cmap("tab20")
    for i, (ax, topic) in enumerate(zip(axes.flat, topics)):
        sub = terms[terms["topic"] == topic].sort_values("rank", ascending=False)
        ax.barh(np.arange(len(sub)), sub["weight"] * 100, color=colors(i % 20))
        ax.set_yticks(np.arange(len(sub)), sub["term"], fontsize=9)
        ax.set_title(str((labels or {}).get(topic, topic)), fontsize=10)
        ax.tick_params(axis="x", labelsize=8)
    for ax in axes[-1]:
        ax.set_xlabel("% of topic's term weight", fontsize=8)
    for ax in list(axes.flat)[len(topics):]:
        ax.set_visible(False)
    with frozen_ticks(fig):
        fig.tight_layout()
    return axes
