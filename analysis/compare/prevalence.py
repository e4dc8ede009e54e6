"""Compare outlets and periods: how prevalent an item is, and which covariates move it.

Every function takes per-document scores in LONG format — one row per document × item:
``doc_id``, an item column (the first present of ``topic``, ``frame``, ``actor``,
``label``, ``item``) and a value column (the first present of ``weight``, ``score``,
``share``, ``value``) — so topic proportions, frame scores and actor mentions all fit.
A document without a row for an item counts as 0 for that item. Metadata (``outlet``,
``published``, covariates) are columns of the scores or come from ``metadata``, a corpus
frame joined on ``doc_id``. Documents left out (undated, missing covariates) are reported
with a :class:`DroppedDocumentsWarning`, never dropped silently.

- :func:`prevalence`: mean value per group × period × item with bootstrap intervals.
- :func:`estimate_effect`: regression of an item's share on covariates (as stm's
  ``estimateEffect``), with uncertainty from :func:`dirichlet_draws` if wanted
  (implemented in :mod:`analysis.compare.effects`).

>>> scores = pd.DataFrame({"doc_id": ["a", "a", "b", "c"], "score": [0.5, 0.2, 0.1, 0.3],
...                        "frame": ["military", "humanitarian", "military", "military"]})
>>> corpus = pd.DataFrame({"doc_id": ["a", "b", "c"], "outlet": ["taz", "taz", "Zeit"],
...     "published": pd.to_datetime(["2022-01-05", "2022-01-20", "2022-03-01"], utc=True)})
>>> prev = prevalence(scores, by="outlet", metadata=corpus, n_boot=200)
>>> taz = prev[(prev["outlet"] == "taz") & (prev["frame"] == "military")]
>>> taz[["period", "estimate", "ci_lower", "ci_upper", "n_docs"]].values.tolist()
[['2022-01', 0.3, 0.1, 0.5, 2], ['2022-02', nan, nan, nan, 0], ['2022-03', nan, nan, nan, 0]]
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from analysis.compare.bootstrap import bootstrap_means
from analysis.compare.scores import DroppedDocumentsWarning, check_ci, doc_item_grid, document_metadata, score_roles

__all__ = ["assign_periods", "prevalence"]

def assign_periods(docs: pd.DataFrame, period) -> tuple[pd.DataFrame, list]:
    """Add a ``period`` column (``pd.Period``, or ``"all"``) and return the period span."""
    if period is None:
        return docs.assign(period="all"), ["all"]
    try:
        pd.Period("2022-01-01", freq=period)
    except (ValueError, TypeError) as err:
        raise ValueError(f"period must be a period alias ('D', 'W', 'M', 'Q') or None, not {period!r}.") from err
    published = docs["published"]
    if not pd.api.types.is_datetime64_any_dtype(published):
        raise TypeError(f"'published' must be datetime64, not {published.dtype}; "
                        "parse it with pd.to_datetime(..., utc=True).")
    undated = published.isna()
    if undated.any():
        warnings.warn(f"{int(undated.sum())} of {len(docs)} documents have no 'published' date and are not counted "
                      f"(e.g. {docs.index[undated][:3].tolist()}); pass period=None to include them.",
                      DroppedDocumentsWarning, stacklevel=3)
    docs, published = docs[~undated], published[~undated]
    if published.dt.tz is not None:
        published = published.dt.tz_convert("UTC").dt.tz_localize(None)
    periods = published.dt.to_period(period)
    span = list(pd.period_range(periods.min(), periods.max(), freq=period)) if len(docs) else []
    return docs.assign(period=periods), span


def prevalence(doc_scores: pd.DataFrame, *, by="outlet", period="M", ci: float = 0.95, n_boot: int = 1000,
               random_state=0, metadata: pd.DataFrame | None = None) -> pd.DataFrame:
    """Mean per-document value of each item by group and period, with bootstrap intervals.

    ``by``: a column, a list of columns, or None/[] for no grouping. ``period``: a pandas
    period alias (``"D"``, ``"W"``, ``"M"``, ``"Q"``) or None for no time split. Columns
    for ``by`` and ``published`` come from ``doc_scores`` or from ``metadata`` (joined on
    ``doc_id``; documents of ``metadata`` without scores are reported and not counted).

    One row per group × period × item; columns ``[*by, "period", "period_start", <item
    column>, "estimate", "ci_lower", "ci_upper", "n_docs"]``. ``estimate`` is the mean of
    the item's value over the cell's documents, a document without a row for the item
    counting as 0. The interval is a percentile bootstrap: documents are resampled with
    replacement within each cell ``n_boot`` times (``numpy.random.default_rng(random_state)``),
    so the same ``random_state`` gives the same frame. A cell of one document keeps its
    estimate but has no interval (NaN): resampling one document says nothing about spread. Every period from the first to the last dated
    document appears for every group: an empty one has ``n_docs == 0`` and NaN
    estimate and interval, so that lines break instead of bridging the gap. ``period``
    is a label such as ``"2022-02"`` (``"all"`` and NaT ``period_start`` when ``period``
    is None); ``period_start`` is a UTC timestamp. Undated documents are left out with a
    :class:`DroppedDocumentsWarning` unless ``period`` is None. With a ``draw`` column
    (several draws per document), each document's value is its mean over the draws.
    """
    by = [] if by is None else [by] if isinstance(by, str) else list(by)
    if "period" in by:
        raise ValueError("'period' is the name of prevalence's own output column; rename your grouping "
                         "column (e.g. to 'phase') and pass that in by=.")
    check_ci(ci)
    if int(n_boot) < 1:
        raise ValueError(f"n_boot must be at least 1 (1000 is usual), not {n_boot!r}.")
    item, value = score_roles(doc_scores)
    docs = document_metadata(doc_scores, metadata, by + (["published"] if period is not None else []))
    docs, span = assign_periods(docs, period)
    grid = doc_item_grid(doc_scores, item, value)
    rng = np.random.default_rng(random_state)
    groups = docs.groupby(by, dropna=False, observed=True, sort=True) if by else [((), docs)]
    cells, empty = [], (np.full(grid.shape[1], np.nan),) * 3
    for key, members in groups:
        per_period = members.groupby("period", sort=False).indices
        for when in span:
            ids = members.index[per_period.get(when, [])]
            stats = bootstrap_means(grid.loc[ids].to_numpy(dtype=float), rng, int(n_boot), ci) if len(ids) else empty
            if len(ids) == 1:  # an estimate, but no interval
                stats = (stats[0], empty[1], empty[2])
            cells.append((key, when, len(ids), *stats))
    return _prevalence_frame(cells, by, docs, grid.columns, item)


def _prevalence_frame(cells: list, by: list, docs: pd.DataFrame, items: pd.Index, item: str) -> pd.DataFrame:
    k = len(items)
    out = pd.DataFrame({col: _restore(np.repeat(np.array([c[0][i] for c in cells], dtype=object), k), docs[col])
                        for i, col in enumerate(by)})
    out["period"] = pd.Series(np.repeat(np.array([str(c[1]) for c in cells], dtype=object), k), dtype="str")
    starts = [pd.NaT if c[1] == "all" else c[1].start_time for c in cells]
    out["period_start"] = pd.DatetimeIndex(np.repeat(starts, k)).tz_localize("UTC").astype("datetime64[ns, UTC]")
    out[item] = items.take(np.tile(np.arange(k), len(cells))).to_numpy()
    for j, name in enumerate(("estimate", "ci_lower", "ci_upper")):
        out[name] = np.concatenate([c[3 + j] for c in cells]) if cells else np.array([], dtype=float)
    out["n_docs"] = np.repeat([c[2] for c in cells], k).astype("int64")
    return out


def _restore(values: np.ndarray, original: pd.Series) -> pd.Series:
    """Group labels back in their column's dtype (categories kept), as objects if that fails."""
    try:
        return pd.Series(values, dtype=object).astype(original.dtype)
    except (TypeError, ValueError):
        return pd.Series(values, dtype=object).infer_objects()
