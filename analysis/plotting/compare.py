"""Figures for :mod:`analysis.compare.prevalence`: prevalence over time and regression effects.

Each function takes the tidy frame of :func:`~analysis.compare.prevalence.prevalence` or
:func:`~analysis.compare.prevalence.estimate_effect`, draws on ``ax`` (a new figure when None) and
returns the Axes. Groups keep the colours of :func:`analysis.plotting.corpus.group_colors`.
No function calls ``plt.show`` or ``savefig`` or changes ``rcParams``.

>>> import matplotlib
>>> matplotlib.use("Agg")
>>> prev = pd.DataFrame({"outlet": ["taz"] * 3, "period": ["2022-01", "2022-02", "2022-03"],
...     "period_start": pd.to_datetime(["2022-01-01", "2022-02-01", "2022-03-01"], utc=True),
...     "frame": "military", "estimate": [0.2, None, 0.4], "ci_lower": [0.1, None, 0.3],
...     "ci_upper": [0.3, None, 0.5], "n_docs": [4, 0, 5]})
>>> ax = plot_prevalence(prev, events={"Invasion": "2022-02-24"})
>>> ax.get_title(), ax.get_legend().get_texts()[0].get_text()
('frame: military', 'taz (n=9)')
"""

from __future__ import annotations

import re

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from analysis.compare.scores import ITEM_COLUMNS
from analysis.errors import MissingColumnError
from analysis.plotting.corpus import mark_events, group_colors
from analysis.plotting.layout import frozen_ticks

FEW_DOCS = 20  # estimates from fewer documents are drawn hollow
_Y_LABELS = {"topic": "mean topic proportion per document", "frame": "mean frame score per document",
             "actor": "mean actor score per document"}


def _item_column(frame: pd.DataFrame) -> str:
    column = next((c for c in ITEM_COLUMNS if c in frame.columns), None)
    if column is None:
        raise MissingColumnError(f"frame has no item column (one of {list(ITEM_COLUMNS)}); "
                                 f"columns are {list(frame.columns)}.")
    return column


def _one_item(frame: pd.DataFrame, item, grid_hint: str) -> tuple[str, object, pd.DataFrame]:
    """The item column, the item drawn and its rows; an error when the choice is ambiguous."""
    column = _item_column(frame)
    items = list(pd.unique(frame[column]))
    if item is None and len(items) > 1:
        shown = items[:8] + (["…"] if len(items) > 8 else [])
        raise ValueError(f"the frame holds {len(items)} {column}s {shown}; pass item=… to draw one, "
                         f"or use {grid_hint} for one panel per {column}.")
    item = items[0] if item is None and items else item
    if item not in items:
        raise ValueError(f"no {column} {item!r} in the frame; {column}s are {items}.")
    return column, item, frame[frame[column] == item]


def plot_prevalence(prevalence: pd.DataFrame, *, item=None, x: str = "period_start", hue: str | None = "outlet",
                    events: dict | None = None, ax=None, **line_kws):
    """Estimate over time per ``hue`` group with a shaded interval band (``ci_lower``–``ci_upper``).

    Empty periods (NaN estimate) leave gaps. ``events`` such as ``{"Invasion": "2022-02-24"}``
    add dashed vertical lines. With several items, name one in ``item`` (or use
    :func:`plot_prevalence_grid`). Legend labels give each group's number of documents.
    """
    ax = _prevalence_panel(prevalence, item=item, x=x, hue=hue, events=events, ax=ax, **line_kws)
    if pd.api.types.is_datetime64_any_dtype(prevalence[x]):
        ax.figure.autofmt_xdate()
    return ax


def _prevalence_panel(prevalence: pd.DataFrame, *, item, x: str, hue: str | None, events: dict | None, ax,
                      **line_kws):
    """:func:`plot_prevalence` without rotating the dates (``autofmt_xdate`` formats every Axes of the
    figure, so a grid calls it once, not once per panel)."""
    column, item, data = _one_item(prevalence, item, "plot_prevalence_grid")
    if hue is not None and hue not in data.columns:
        raise MissingColumnError(f"prevalence has no column {hue!r}; columns are {list(data.columns)}. "
                                 "Pass hue=None for one line, or the grouping column used in prevalence(by=…).")
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4))
    groups = [("all", data)] if hue is None else data.groupby(hue, observed=True, sort=True, dropna=False)
    colors = group_colors(["all"] if hue is None else data[hue])
    kws = {"marker": "o", "markersize": 3, "linewidth": 1.5, **line_kws}
    for group, sub in groups:
        sub = sub.sort_values(x)
        color = colors.get(str(group), "0.3")
        ax.plot(sub[x], sub["estimate"], color=color, label=f"{group} (n={int(sub['n_docs'].sum()):,})", **kws)
        ax.fill_between(sub[x], sub["ci_lower"], sub["ci_upper"], where=sub["estimate"].notna().to_numpy(),
                        color=color, alpha=0.2, linewidth=0)
        few = _few(sub)
        if few.any():
            ax.scatter(sub.loc[few, x], sub.loc[few, "estimate"], s=22, facecolor="white", edgecolor=color, zorder=4)
    mark_events(ax, events)
    ax.set_title(f"{column}: {item}")
    ax.set_xlabel("period start" if x == "period_start" else x)
    ax.set_ylabel(_Y_LABELS.get(column, f"mean {column} value per document"))
    if (data["ci_lower"].dropna() >= 0).all():
        ax.set_ylim(bottom=0)
    handles, _ = ax.get_legend_handles_labels()
    band = Patch(facecolor="0.5", alpha=0.2, label="interval (ci_lower–ci_upper)")
    ax.legend(handles=[*handles, band, *_few_handle(data)], title=hue, frameon=False, fontsize=9)
    return ax


def plot_prevalence_grid(prevalence: pd.DataFrame, *, items=None, hue: str | None = "outlet",
                         events: dict | None = None, n_cols: int = 3):
    """One :func:`plot_prevalence` panel per item (all items when None); returns the 2-D array of Axes.

    Panels share the time axis, not the y axis; one legend above the panels.
    """
    column = _item_column(prevalence)
    items = list(pd.unique(prevalence[column])) if items is None else list(items)
    n_cols = max(1, min(n_cols, len(items)))
    n_rows = max(1, -(-len(items) // n_cols))
    fig, axes = plt.subplots(n_rows, n_cols, figsize=(4.6 * n_cols, 3.2 * n_rows), sharex=True, squeeze=False)
    for i, (ax, item) in enumerate(zip(axes.flat, items)):
        _prevalence_panel(prevalence, item=item, x="period_start", hue=hue, events=events, ax=ax)
        legend = ax.get_legend()
        handles = legend.legend_handles
        legend.remove()
        if i % n_cols:
            ax.set_ylabel("")
    for ax in list(axes.flat)[len(items):]:
        ax.set_visible(False)
    if pd.api.types.is_datetime64_any_dtype(prevalence["period_start"]):
        fig.autofmt_xdate()
    top = 1 - 0.45 / fig.get_figheight()
    fig.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 1), ncols=len(handles), frameon=False,
               title=None if hue is None else f"{hue}:", alignment="left")
    with frozen_ticks(fig):  # 2 × 20 panels measured twice: their ticks computed once
        fig.tight_layout(rect=(0, 0, 1, top))
    return axes


def _term_label(term: str) -> str:
    """``outlet[T.B]:after[T.True]`` -> ``outlet = B × after = True``; ``C(period)`` -> ``period``."""
    parts = re.split(r":(?![^\[]*\])", term)
    parts = [re.sub(r"^C\((\w+)[^)]*\)", r"\1", p) for p in parts]
    return " × ".join(re.sub(r"\[T\.(.*)\]$", r" = \1", p) for p in parts)


def plot_effects(effects: pd.DataFrame, *, item=None, ax=None, include_intercept: bool = False):
    """Dot-and-whisker plot of one item's coefficients (from :func:`~analysis.compare.prevalence.estimate_effect`).

    One row per term, first term on top, whiskers from ``ci_lower`` to ``ci_upper`` and
    a dotted zero line. The intercept (the baseline share) is left out unless
    ``include_intercept``.
    """
    column, item, data = _one_item(effects, item, "item=… per figure")
    intercept = data["term"].isin(["Intercept", "const"])
    title = f"{column}: {item}"
    if not include_intercept:
        if intercept.any():
            title += f" (intercept {data.loc[intercept, 'estimate'].iloc[0]:.3g})"
        data = data[~intercept]
    if data.empty:
        raise ValueError("no terms to draw besides the intercept; pass include_intercept=True.")
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 0.45 * len(data) + 1.4))
    y = np.arange(len(data))[::-1]
    errors = [data["estimate"] - data["ci_lower"], data["ci_upper"] - data["estimate"]]
    ax.errorbar(data["estimate"], y, xerr=np.asarray(errors, dtype=float), fmt="o", color=group_colors(["x"])["x"],
                ecolor="0.3", capsize=3, markersize=5)
    ax.axvline(0, color="0.5", linestyle=":", linewidth=1)
    ax.set_yticks(y, [_term_label(t) for t in data["term"]])
    ax.set_ylim(-0.6, len(data) - 0.4)
    ax.set_xlabel("effect on the per-document value: difference from the baseline, with interval")
    ax.set_title(title)
    return ax


def plot_profile(prevalence: pd.DataFrame, *, hue: str = "outlet", ax=None, naive: str | None = None):
    """Profile of items (frames, topics) by group: a dot with its interval per item × group.

    Takes :func:`~analysis.compare.prevalence.prevalence` with ``period=None`` (one period). Items run
    down the y axis, groups are side by side in their colours. With an ``n_docs`` column each
    point is labelled with its number of documents, and points from fewer than
    :data:`FEW_DOCS` documents are hollow (one document: no interval). ``naive``: a column drawn
    as a × beside each point, in the group's colour (e.g. the ``naive`` classify-and-count share of
    :func:`analysis.coding.estimate_prevalence`, next to its corrected ``estimate``).

    >>> import matplotlib; matplotlib.use("Agg")
    >>> prev = pd.DataFrame({"outlet": ["A", "A", "B", "B"], "frame": ["war", "aid"] * 2,
    ...     "estimate": [3.0, 1.0, 2.0, 2.5], "ci_lower": [2.5, 0.5, 1.5, 2.0], "ci_upper": [3.5, 1.5, 2.5, 3.0]})
    >>> [t.get_text() for t in plot_profile(prev).get_yticklabels()]
    ['war', 'aid']
    """
    item = _item_column(prevalence)
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 0.45 * prevalence[item].nunique() + 1.5))
    items = list(dict.fromkeys(prevalence[item]))
    groups = [g for g in dict.fromkeys(prevalence[hue].astype(str))]
    colors = group_colors(groups)
    offsets = np.linspace(-0.25, 0.25, len(groups)) if len(groups) > 1 else [0.0]
    for offset, group in zip(offsets, groups):
        sub = prevalence[prevalence[hue].astype(str) == group].set_index(item).reindex(items)
        y = np.arange(len(items)) + offset
        ax.hlines(y, sub["ci_lower"], sub["ci_upper"], color=colors[group], linewidth=2, alpha=0.7)
        few = _few(sub).to_numpy()
        ax.scatter(sub["estimate"][~few], y[~few], color=colors[group], zorder=3, s=25,
                   label=group if (~few).any() else None)
        ax.scatter(sub["estimate"][few], y[few], facecolor="white", edgecolor=colors[group], zorder=3, s=25,
                   label=None if (~few).any() else group)
        if naive is not None:
            ax.scatter(sub[naive], y, marker="x", color=colors[group], zorder=3, s=30, linewidths=1.2)
        if "n_docs" in sub.columns:
            right = sub["ci_upper"].fillna(sub["estimate"])
            right = right if naive is None else pd.concat([right, sub[naive]], axis=1).max(axis=1)
            for xpos, ypos, n in zip(right, y, sub["n_docs"]):
                if pd.notna(xpos):
                    ax.annotate(f"n={int(n):,}", (xpos, ypos), xytext=(4, 0), textcoords="offset points",
                                va="center", fontsize=7, color="0.35")
    if "n_docs" in prevalence.columns:  # room on the right for the n labels, clear of the legend
        low, high = ax.get_xlim()
        ax.set_xlim(low, high + 0.12 * (high - low))
    ax.set_yticks(np.arange(len(items)), items)
    ax.invert_yaxis()
    ax.set_xlabel(_Y_LABELS.get(item, "mean score per document") + " (with interval)")
    handles, _ = ax.get_legend_handles_labels()
    marks = [Line2D([], [], marker="x", linestyle="", color="0.3", label=naive)] if naive is not None else []
    ax.legend(handles=[*handles, *marks, *_few_handle(prevalence)], title=hue, frameon=False, loc="upper left",
              bbox_to_anchor=(1.0, 1.0))
    ax.grid(axis="x", alpha=0.3)
    return ax


def _few(rows: pd.DataFrame) -> pd.Series:
    """Rows whose estimate rests on fewer than :data:`FEW_DOCS` documents (all False without ``n_docs``)."""
    if "n_docs" not in rows.columns:
        return pd.Series(False, index=rows.index)
    return rows["estimate"].notna() & (rows["n_docs"].fillna(0) < FEW_DOCS)


def _few_handle(rows: pd.DataFrame) -> list:
    """A legend entry for hollow points, when some are drawn."""
    if not _few(rows).any():
        return []
    return [Line2D([], [], marker="o", linestyle="", markerfacecolor="white", markeredgecolor="0.3",
                   label=f"hollow: fewer than {FEW_DOCS} documents")]
