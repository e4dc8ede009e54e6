"""Figures from the kit's tidy frames: ``plot_*(frame, *, ax=None, ...) -> Axes``.

Compute with :mod:`analysis.explore.describe` (and later modules); draw here. No function calls
``plt.show`` or ``savefig`` or changes global ``rcParams``. Groups keep one colour in
every figure: :func:`group_colors` assigns colours by sorted group name.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from analysis.plotting.layout import frozen_ticks

_PALETTE = ("#1b6ca8", "#d1495b", "#edae49", "#00798c", "#66a182", "#8d6a9f", "#30343f", "#e07a5f",
            "#3d405b", "#81b29a")


def group_colors(groups) -> dict[str, str]:
    """A stable colour per group name: same names, same colours, in every figure."""
    names = sorted({str(g) for g in groups})
    return {name: _PALETTE[i % len(_PALETTE)] for i, name in enumerate(names)}


def _axes(ax):
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4))
    return ax


def mark_events(ax, events: dict | None) -> None:
    """A dashed line and the label at each ``{label: date}``; labels step down so close events stay readable."""
    for i, (label, date) in enumerate((events or {}).items()):
        when = pd.Timestamp(date, tz="UTC")
        ax.axvline(when, color="0.3", linestyle="--", linewidth=1)
        ax.annotate(label, xy=(when, 1), xycoords=("data", "axes fraction"), xytext=(3, -12 - 11 * (i % 3)),
                    textcoords="offset points", fontsize=9, color="0.2")


def plot_document_counts(counts: pd.DataFrame, *, by: str = "outlet", events: dict | None = None,
                         ax=None, **line_kws):
    """Documents per period and group (from :func:`analysis.explore.describe.count_documents`),
    with optional dashed event markers, e.g. ``events={"Invasion": "2022-02-24"}``."""
    ax = _axes(ax)
    colors = group_colors(counts[by])
    for group, sub in counts.groupby(by, sort=True, observed=True):
        ax.plot(sub["period_start"], sub["n_docs"], marker="o", markersize=3, label=str(group),
                color=colors[str(group)], **line_kws)
    mark_events(ax, events)
    ax.set_xlabel("period start")
    ax.set_ylabel("documents per period")
    ax.set_ylim(bottom=0)
    if counts[by].nunique() > 1:
        ax.legend(title=by, frameon=False)
    ax.figure.autofmt_xdate()
    return ax


def plot_lengths(lengths: pd.DataFrame, *, by: str = "outlet", column: str = "n_words", ax=None):
    """Distribution of document lengths per group (box plot on a log scale, n in labels)."""
    ax = _axes(ax)
    groups = sorted(lengths[by].astype(str).unique())
    data = [lengths.loc[lengths[by].astype(str) == g, column].clip(lower=1) for g in groups]
    colors = group_colors(groups)
    parts = ax.boxplot(data, orientation="horizontal", patch_artist=True, widths=0.6)
    for patch, group in zip(parts["boxes"], groups):
        patch.set_facecolor(colors[group])
        patch.set_alpha(0.6)
    ax.set_yticks(range(1, len(groups) + 1), [f"{g}\n(n={len(d)})" for g, d in zip(groups, data)])
    ax.set_xscale("log")
    ax.set_xlabel({"n_words": "words per document", "n_terms": "terms per document (after preprocessing)",
                   "n_chars": "characters per document"}.get(column, column) + " (log scale)")
    return ax


def plot_top_terms(terms: pd.DataFrame, *, group=None, by: str = "outlet", value: str = "share", ax=None):
    """Horizontal bars of one group's top terms (from :func:`analysis.explore.term_counts.top_terms`)."""
    ax = _axes(ax)
    sub = terms if group is None else terms[terms[by].astype(str) == str(group)]
    sub = sub.sort_values("rank", ascending=False)
    color = group_colors(terms[by])[str(group)] if group is not None else _PALETTE[0]
    values = sub[value] * (100 if value in ("share", "doc_share") else 1)
    ax.barh(np.arange(len(sub)), values, color=color)
    ax.set_yticks(np.arange(len(sub)), sub["term"])
    ax.set_xlabel({"share": "% of the group's terms", "doc_share": "% of the group's documents",
                   "count": "occurrences"}.get(value, value))
    if group is not None:
        ax.set_title(str(group))
    return ax


def plot_top_terms_grid(terms: pd.DataFrame, *, by: str = "outlet", value: str = "share", n_cols: int = 3):
    """One :func:`plot_top_terms` panel per group; returns the array of Axes."""
    groups = sorted(terms[by].astype(str).unique())
    n_cols = min(n_cols, len(groups)) or 1
    n_rows = -(-len(groups) // n_cols) or 1
    n_terms = terms.groupby(by, observed=True).size().max() if len(terms) else 1
    fig, axes = plt.subplots(n_rows, n_cols, figsize=(4.2 * n_cols, 0.28 * n_terms * n_rows + 1.2), squeeze=False)
    for ax, group in zip(axes.flat, groups):
        plot_top_terms(terms, group=group, by=by, value=value, ax=ax)
    for ax in list(axes.flat)[len(groups):]:
        ax.set_visible(False)
    with frozen_ticks(fig):
        fig.tight_layout()
    return axes
