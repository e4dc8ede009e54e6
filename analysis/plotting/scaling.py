"""Figures for Latent Semantic Scaling (:class:`analysis.coding.LatentSemanticScaling`).

>>> import matplotlib
>>> matplotlib.use("Agg")
>>> polarity = pd.DataFrame({"term": ["waffenruhe", "einigung", "treffen", "angriff", "beschuß"],
...                          "polarity": [0.4, 0.3, 0.0, -0.2, -0.5], "n_units": [12, 30, 50, 40, 8]})
>>> ax = plot_term_polarity(polarity, n=2)
>>> [t.get_text() for t in ax.get_yticklabels()]
['beschuß (8)', 'angriff (40)', 'einigung (30)', 'waffenruhe (12)']
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from analysis.corpus.schema import require_columns

POLE_COLORS = ("#b2182b", "#2166ac")  # negative, positive


def plot_term_polarity(term_polarity: pd.DataFrame, *, n: int = 15, min_units: int = 1,
                       poles: tuple[str, str] = ("negative", "positive"), ax=None):
    """The ``n`` most negative and ``n`` most positive lemmas of ``term_polarity_`` (columns
    ``term``, ``polarity``, ``n_units``) as horizontal bars, each labelled with the number of
    units that hold it; lemmas in fewer than ``min_units`` units are left out (their polarity
    rests on few contexts). ``poles`` names the two ends on the x axis."""
    require_columns(term_polarity, "term", "polarity", "n_units", what="term_polarity")
    kept = term_polarity[term_polarity["n_units"] >= min_units].sort_values("polarity")
    shown = pd.concat([kept.head(n), kept.tail(n)]).drop_duplicates("term")
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 0.25 * len(shown) + 1.2))
    colors = [POLE_COLORS[value > 0] for value in shown["polarity"]]
    ax.barh(range(len(shown)), shown["polarity"], color=colors)
    ax.set_yticks(range(len(shown)), [f"{t} ({u})" for t, u in zip(shown["term"], shown["n_units"])])
    ax.axvline(0, color="0.3", linewidth=0.8)
    ax.set_xlabel(f"polarity (← {poles[0]} · {poles[1]} →)")
    ax.set_title(f"Most {poles[1]} and most {poles[0]} lemmas\n(in brackets: units holding each)", fontsize=10)
    return ax
