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

__all__ = ["assign_periods", "prevalence", "wide_prevalence"]

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
    by = _check_options(by, ci, n_boot)
    item, value = score_roles(doc_scores)
    docs = document_metadata(doc_scores, metadata, by + (["published"] if period is not None else []))
    return _cells(doc_item_grid(doc_scores, item, value), docs, item, by, period, ci, n_boot, random_state)


def wide_prevalence(grid: pd.DataFrame, *, item: str, by="outlet", period="M", ci: float = 0.95, n_boot: int = 1000,
                    random_state=0, metadata: pd.DataFrame) -> pd.DataFrame:
    """:func:`prevalence` of scores in WIDE format: ``grid`` has one row per document (index
    ``doc_id``) and one numeric column per item (e.g. ``TopicModel.doc_topics(wide=True).set_index("doc_id")``);
    ``item`` names the output's item column. Groups and dates come from ``metadata`` (joined on
    ``doc_id``). The same rows as :func:`prevalence` of the long table, without building it: a
    million documents × 20 topics in long format are ~1 GB of repeated ids.

    >>> grid = pd.DataFrame({"military": [0.5, 0.1, 0.3], "humanitarian": [0.2, 0.0, 0.0]},
    ...                     index=pd.Index(["a", "b", "c"], name="doc_id"))
    >>> corpus = pd.DataFrame({"doc_id": ["a", "b", "c"], "outlet": ["taz", "taz", "Zeit"]})
    >>> prev = wide_prevalence(grid, item="frame", by="outlet", period=None, metadata=corpus, n_boot=200)
    >>> prev[["outlet", "frame", "estimate", "n_docs"]].values.tolist()[:2]
    [['Zeit', 'military', 0.3, 1], ['Zeit', 'humanitarian', 0.0, 1]]
    """
    by = _check_options(by, ci, n_boot)
    if not isinstance(grid, pd.DataFrame) or grid.index.name != "doc_id":
        raise TypeError("grid must be a DataFrame indexed by doc_id (one row per document, one column per item); "
                        "e.g. frame.set_index('doc_id').")
    if not grid.index.is_unique:
        raise ValueError(f"grid has several rows for doc_id {grid.index[grid.index.duplicated()][:3].tolist()}.")
    not_numeric = [c for c in grid.columns if not pd.api.types.is_numeric_dtype(grid[c])]
    if not_numeric:
        raise TypeError(f"grid's item columns must be numeric; {not_numeric} are not (move metadata to metadata=).")
    ids = pd.DataFrame({"doc_id": grid.index.to_numpy()})
    docs = document_metadata(ids, metadata, by + (["published"] if period is not None else []))
    items = grid.rename_axis(columns=item)
    if items.isna().to_numpy().any():  # no value counts as 0, as a missing row of the long table does
        items = items.fillna(0.0)
    return _cells(items, docs, item, by, period, ci, n_boot, random_state)


def _check_options(by, ci: float, n_boot: int) -> list:
    """``by`` as a list, after checking it and the interval options."""
    by = [] if by is None else [by] if isinstance(by, str) else list(by)
    if "period" in by:
        raise ValueError("'period' is the name of prevalence's own output column; rename your grouping "
                         "column (e.g. to 'phase') and pass that in by=.")
    check_ci(ci)
    if int(n_boot) < 1:
        raise ValueError(f"n_boot must be at least 1 (1000 is usual), not {n_boot!r}.")
    return by


def _cells(grid: pd.DataFrame, docs: pd.DataFrame, item: str, by: list, period, ci: float, n_boot: int,
           random_state) -> pd.DataFrame:
    """Bootstrap the documents × items ``grid`` within each group × period of ``docs`` (index ``doc_id``)."""
    docs, span = assign_periods(docs, period)
    rng = np.random.default_rng(random_state)
    # each document's grid row, looked up once (not per cell: a million string ids per period)
    grid_rows = grid.index.get_indexer(docs.index)
    if (grid_rows < 0).any():
        raise ValueError(f"{int((grid_rows < 0).sum())} documents have no row in the scores' grid.")
    docs = docs.assign(**{_GRID_ROW: grid_rows})
    groups = docs.groupby(by, dropna=False, observed=True, sort=True) if by else [((), docs)]
    values = grid.to_numpy(dtype=float)
    cells, empty = [], (np.full(grid.shape[1], np.nan),) * 3
    for key, members in groups:
        per_period, rows = members.groupby("period", sort=False).indices, members[_GRID_ROW].to_numpy()
        for when in span:
            cell = rows[per_period.get(when, [])]
            # column-major, as a DataFrame's block is: the means then sum in the same order, to the last bit
            stats = bootstrap_means(np.asfortranarray(values[cell]), rng, int(n_boot), ci) if len(cell) else empty
            if len(cell) == 1:  # an estimate, but no interval
                stats = (stats[0], empty[1], empty[2])
            cells.append((key, when, len(cell), *stats))
    return _prevalence_frame(cells, by, docs, grid.columns, item)


_GRID_ROW = "\x00grid_row"  # a column of the documents' frame no grouping column is named


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
