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
  ``estimateEffect``), with uncertainty from :func:`dirichlet_draws` if wanted.

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

from analysis.errors import MissingColumnError

ITEM_COLUMNS = ("topic", "frame", "actor", "label", "item")
VALUE_COLUMNS = ("weight", "score", "share", "value")
_COEF_DRAWS = 100  # coefficient draws per simulated fit in estimate_effect
_EPSILON = 1e-3  # added to every Dirichlet parameter so that zero shares stay drawable


class DroppedDocumentsWarning(UserWarning):
    """Documents were left out of a comparison; the message says how many and why."""


# --- shared: input roles, metadata, validation -------------------------------------------

def _roles(doc_scores) -> tuple[str, str]:
    """The item and value column names of a long score frame (validated)."""
    if not isinstance(doc_scores, pd.DataFrame):
        raise TypeError("doc_scores must be a DataFrame (one row per document × item), "
                        f"not {type(doc_scores).__name__}.")
    columns = list(doc_scores.columns)
    item = next((c for c in ITEM_COLUMNS if c in columns), None)
    value = next((c for c in VALUE_COLUMNS if c in columns), None)
    for role, name, options in (("id", "doc_id" if "doc_id" in columns else None, ("doc_id",)),
                                ("item", item, ITEM_COLUMNS), ("value", value, VALUE_COLUMNS)):
        if name is None:
            raise MissingColumnError(f"doc_scores has no {role} column; expected one of {list(options)}, columns "
                                     f"are {columns}. Rename yours, e.g. .rename(columns={{'x': {options[0]!r}}}).")
    if not pd.api.types.is_numeric_dtype(doc_scores[value]):
        raise TypeError(f"doc_scores[{value!r}] must be numeric, not {doc_scores[value].dtype}.")
    if doc_scores[value].isna().any():
        bad = doc_scores.loc[doc_scores[value].isna(), "doc_id"].unique()[:3].tolist()
        raise ValueError(f"doc_scores[{value!r}] has {int(doc_scores[value].isna().sum())} missing values "
                         f"(e.g. doc_id {bad}); fill them (0 = no hit) or drop those rows.")
    return item, value


def _check_ci(ci) -> None:
    if not 0 < ci < 1:
        raise ValueError(f"ci must be a coverage between 0 and 1 (e.g. 0.95), not {ci!r}.")


def _documents(doc_scores: pd.DataFrame, metadata, columns) -> pd.DataFrame:
    """One row per scored document (index ``doc_id``) with ``columns`` from the scores or ``metadata``."""
    own = [c for c in columns if c in doc_scores.columns]
    docs = doc_scores.drop_duplicates("doc_id").set_index("doc_id")[own]
    need = [c for c in columns if c not in own]
    if not need:
        return docs
    if metadata is None:
        raise MissingColumnError(f"doc_scores has no column {need[0]!r}; columns are {list(doc_scores.columns)}. "
                                 "Pass metadata=corpus (joined on doc_id) or add the column.")
    missing = [c for c in ["doc_id", *need] if c not in metadata.columns]
    if missing:
        raise MissingColumnError(f"metadata has no column {missing[0]!r}; columns are {list(metadata.columns)}.")
    if metadata["doc_id"].duplicated().any():
        dupes = metadata.loc[metadata["doc_id"].duplicated(), "doc_id"].unique()[:3].tolist()
        raise ValueError(f"metadata has duplicate doc_id values (e.g. {dupes}); it must be one row per document.")
    meta = metadata.set_index("doc_id")
    unknown = docs.index.difference(meta.index)
    if len(unknown):
        raise ValueError(f"{len(unknown)} doc_id values of doc_scores are not in metadata, "
                         f"e.g. {unknown[:3].tolist()}.")
    unscored = meta.index.difference(docs.index)
    if len(unscored):
        warnings.warn(f"{len(unscored)} of {len(meta)} metadata documents have no row in doc_scores and are not "
                      f"counted (e.g. {unscored[:3].tolist()}); add rows with value 0 if they simply had no hit.",
                      DroppedDocumentsWarning, stacklevel=3)
    return docs.join(meta[need])


def _doc_item_grid(doc_scores: pd.DataFrame, item: str, value: str) -> pd.DataFrame:
    """Documents × items of values, 0 where a document has no row; the mean over ``draw`` if present."""
    keys = doc_scores[["doc_id", item]]
    if "draw" in doc_scores.columns:
        sums = doc_scores.groupby(["doc_id", item], observed=True, sort=True)[value].sum()
        return (sums / doc_scores["draw"].nunique()).unstack(fill_value=0.0)
    if keys.duplicated().any():
        dupes = keys[keys.duplicated()].head(3).values.tolist()
        raise ValueError(f"doc_scores has several rows per doc_id × {item} (e.g. {dupes}); aggregate them first, "
                         "or name the repeats in a 'draw' column if they are posterior draws.")
    return doc_scores.pivot(index="doc_id", columns=item, values=value).fillna(0.0).sort_index(axis=1)


# --- prevalence -----------------------------------------------------------------------------

def _assign_periods(docs: pd.DataFrame, period) -> tuple[pd.DataFrame, list]:
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


def _bootstrap(values: np.ndarray, rng, n_boot: int, ci: float):
    """Column means of ``values`` (documents × items) and their percentile-bootstrap interval."""
    n = len(values)
    estimate = values.mean(axis=0)
    index = rng.integers(0, n, size=(n_boot, n)) + n * np.arange(n_boot)[:, None]
    counts = np.bincount(index.ravel(), minlength=n_boot * n).reshape(n_boot, n)
    means = counts @ values / n
    lower, upper = np.quantile(means, [(1 - ci) / 2, (1 + ci) / 2], axis=0)
    return estimate, np.minimum(lower, estimate), np.maximum(upper, estimate)


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
    so the same ``random_state`` gives the same frame. A cell of one document has
    ``ci_lower == estimate == ci_upper``. Every period from the first to the last dated
    document appears for every group: an empty one has ``n_docs == 0`` and NaN
    estimate and interval, so that lines break instead of bridging the gap. ``period``
    is a label such as ``"2022-02"`` (``"all"`` and NaT ``period_start`` when ``period``
    is None); ``period_start`` is a UTC timestamp. Undated documents are left out with a
    :class:`DroppedDocumentsWarning` unless ``period`` is None. With a ``draw`` column
    (several draws per document), each document's value is its mean over the draws.
    """
    by = [] if by is None else [by] if isinstance(by, str) else list(by)
    _check_ci(ci)
    if int(n_boot) < 1:
        raise ValueError(f"n_boot must be at least 1 (1000 is usual), not {n_boot!r}.")
    item, value = _roles(doc_scores)
    docs = _documents(doc_scores, metadata, by + (["published"] if period is not None else []))
    docs, span = _assign_periods(docs, period)
    grid = _doc_item_grid(doc_scores, item, value)
    rng = np.random.default_rng(random_state)
    groups = docs.groupby(by, dropna=False, observed=True, sort=True) if by else [((), docs)]
    cells, empty = [], (np.full(grid.shape[1], np.nan),) * 3
    for key, members in groups:
        per_period = members.groupby("period", sort=False).indices
        for when in span:
            ids = members.index[per_period.get(when, [])]
            stats = _bootstrap(grid.loc[ids].to_numpy(dtype=float), rng, int(n_boot), ci) if len(ids) else empty
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


# --- regression effects (stm's estimateEffect) -----------------------------------------------

def dirichlet_draws(doc_scores: pd.DataFrame, *, n_draws: int = 25, concentration=100,
                    random_state=0) -> pd.DataFrame:
    """Plausible alternative shares per document, for :func:`estimate_effect`.

    Each document's shares ``p`` (items of one document, in [0, 1], summing to at most 1;
    a remainder ``1 - sum(p)`` is an implicit "everything else") are redrawn ``n_draws``
    times from Dirichlet(``concentration`` · p + 0.001). ``concentration`` is a number or a
    Series indexed by ``doc_id`` and should reflect how much evidence a document's shares
    rest on, e.g. its number of tokens: short documents get wide draws. This approximates
    the posterior uncertainty of the shares; it is not stm's variational posterior.

    Returns the input's columns plus ``draw`` (0 … n_draws-1): one row per draw ×
    document × item, per-document columns (metadata) repeated.

    >>> shares = pd.DataFrame({"doc_id": ["a", "b"], "topic": 0, "share": [0.2, 0.6]})
    >>> draws = dirichlet_draws(shares, n_draws=3, concentration=50)
    >>> draws.shape, sorted(draws["draw"].unique().tolist())
    ((6, 4), [0, 1, 2])
    """
    item, value = _roles(doc_scores)
    if "draw" in doc_scores.columns:
        raise ValueError("doc_scores already has a 'draw' column; pass point shares (one row per document × item).")
    if int(n_draws) < 1:
        raise ValueError(f"n_draws must be at least 1, not {n_draws!r}.")
    grid = _doc_item_grid(doc_scores, item, value)
    shares = grid.to_numpy(dtype=float)
    rest = 1 - shares.sum(axis=1)
    if (shares < 0).any() or (shares > 1).any() or (rest < -1e-6).any():
        bad = grid.index[(shares < 0).any(axis=1) | (shares > 1).any(axis=1) | (rest < -1e-6)][:3].tolist()
        raise ValueError(f"dirichlet_draws needs proportions: values in [0, 1] summing to at most 1 per document "
                         f"(not so for doc_id {bad}).")
    conc = _per_document(concentration, grid.index, "concentration")
    alpha = conc[:, None] * np.column_stack([shares, rest.clip(0, None)]) + _EPSILON
    rng = np.random.default_rng(random_state)
    gammas = rng.standard_gamma(alpha, size=(int(n_draws), *alpha.shape))
    draws = (gammas / np.maximum(gammas.sum(axis=2, keepdims=True), np.finfo(float).tiny))[:, :, :-1]
    n_docs, k = shares.shape
    out = pd.DataFrame({"doc_id": np.tile(np.repeat(grid.index.to_numpy(), k), int(n_draws)),
                        item: np.tile(grid.columns.to_numpy(), int(n_draws) * n_docs),
                        value: draws.ravel(), "draw": np.repeat(np.arange(int(n_draws)), n_docs * k)})
    extras = [c for c in doc_scores.columns if c not in ("doc_id", item, value)]
    per_doc = doc_scores.drop_duplicates("doc_id")[["doc_id", *extras]]
    return out.merge(per_doc, on="doc_id", how="left")[[*doc_scores.columns, "draw"]]


def _per_document(values, ids: pd.Index, name: str) -> np.ndarray:
    """A positive number per document from a scalar or a Series indexed by ``doc_id``."""
    if isinstance(values, pd.Series):
        missing = ids.difference(values.index)
        if len(missing):
            raise ValueError(f"{name} has no value for {len(missing)} documents, e.g. {missing[:3].tolist()}; "
                             "index it by doc_id.")
        values = values.reindex(ids).to_numpy(dtype=float)
    values = np.broadcast_to(np.asarray(values, dtype=float), (len(ids),))
    if not (np.isfinite(values) & (values > 0)).all():
        raise ValueError(f"{name} must be positive and finite for every document.")
    return values


def _design(docs: pd.DataFrame, formula: str):
    """Design matrix of ``formula`` (a right-hand side) for ``docs``; rows with missing covariates reported."""
    import statsmodels.formula.api as smf

    rhs = formula.strip()
    rhs = rhs[1:] if rhs.startswith("~") else rhs
    if "~" in rhs:
        raise ValueError(f"formula is a right-hand side such as '~ outlet * after_invasion', not {formula!r}.")
    data = docs.assign(_y=0.0)
    for col in data.select_dtypes("category").columns:
        data[col] = data[col].cat.remove_unused_categories()
    try:
        model = smf.ols("_y ~ " + rhs, data=data, missing="drop")
    except Exception as err:  # patsy reports unknown names and syntax errors as PatsyError
        raise ValueError(f"cannot build covariates from {formula!r}: {err}\n"
                         f"columns are {list(docs.columns)}.") from err
    used = pd.Index(model.data.row_labels)
    if len(used) < len(docs):
        warnings.warn(f"{len(docs) - len(used)} of {len(docs)} documents have missing covariates in {formula!r} "
                      f"and are not used (e.g. {docs.index.difference(used)[:3].tolist()}).",
                      DroppedDocumentsWarning, stacklevel=3)
    if np.linalg.matrix_rank(model.exog) < model.exog.shape[1]:
        raise ValueError(f"the covariates of {formula!r} are collinear ({model.exog_names}); a combination of "
                         "categories may have no documents. Simplify the formula.")
    return model.exog, list(model.exog_names), used


def _share_array(doc_scores: pd.DataFrame, item: str, value: str, docs: pd.Index) -> tuple[np.ndarray, pd.Index]:
    """Shares as draws × documents × items (one draw without a ``draw`` column), 0 where no row."""
    if "draw" not in doc_scores.columns:
        grid = _doc_item_grid(doc_scores, item, value).reindex(docs)
        return grid.to_numpy(dtype=float)[None], grid.columns
    full = doc_scores.pivot_table(index=["draw", "doc_id"], columns=item, values=value, aggfunc="sum",
                                  fill_value=0.0, observed=True)
    draws = full.index.get_level_values("draw").unique().sort_values()
    index = pd.MultiIndex.from_product([draws, docs], names=["draw", "doc_id"])
    absent = index.difference(full.index)
    if len(absent):
        raise ValueError(f"every document needs every draw; {len(absent)} draw × doc_id pairs have no rows, "
                         f"e.g. {absent[:3].tolist()}.")
    return full.reindex(index).to_numpy(dtype=float).reshape(len(draws), len(docs), -1), full.columns


def _compose(shares: np.ndarray, exog: np.ndarray, weights, rng, n_sims: int) -> np.ndarray:
    """Method of composition: pooled coefficient draws, shape (draws, items, terms)."""
    import statsmodels.api as sm

    n_draws, n_docs, k = shares.shape
    n_fits = n_sims if n_draws > 1 else 1  # one fixed share per document: one fit is enough
    per_fit = _COEF_DRAWS * n_sims // n_fits
    pooled = []
    for _ in range(n_fits):
        outcome = shares[rng.integers(0, n_draws, size=n_docs), np.arange(n_docs)]
        fits = [sm.WLS(outcome[:, j], exog, weights=1.0 if weights is None else weights).fit() for j in range(k)]
        pooled.append(np.stack([rng.multivariate_normal(fit.params, fit.cov_params(), size=per_fit,
                                                        check_valid="ignore") for fit in fits], axis=1))
    return np.concatenate(pooled, axis=0)


def estimate_effect(doc_scores: pd.DataFrame, formula: str, metadata: pd.DataFrame | None = None, *, item=None,
                    n_sims: int = 25, doc_weights=None, random_state=0, ci: float = 0.95) -> pd.DataFrame:
    """Effects of document covariates on an item's per-document share, as stm's ``estimateEffect``.

    ``formula`` is a right-hand side such as ``"~ outlet * after_invasion"`` or
    ``"~ outlet + C(period)"`` over columns of ``doc_scores`` or ``metadata`` (joined on
    ``doc_id``). For each item (or just ``item``) the share is regressed on the covariates
    by OLS (WLS with ``doc_weights``, a Series indexed by ``doc_id``). Uncertainty by the
    method of composition: with a ``draw`` column (e.g. from :func:`dirichlet_draws`),
    each of ``n_sims`` simulations picks one draw per document, fits, and samples 100
    coefficient vectors from the fit's normal sampling distribution; all samples are
    pooled. Without ``draw`` the shares are taken as exact: one fit, ``100 * n_sims``
    samples — plain OLS with a normal-theory interval, computed by simulation.

    One row per item × term; columns ``[<item column>, "term", "estimate", "std_error",
    "ci_lower", "ci_upper", "n_docs"]``: mean, standard deviation and percentile interval
    of the pooled samples; ``n_docs`` documents entered the fit. Terms are named as in
    statsmodels (``Intercept``, ``outlet[T.B]``, ``outlet[T.B]:after[T.True]``).

    >>> scores = pd.DataFrame({"doc_id": list("abcdef"), "topic": "war", "share": [.1, .2, .3, .5, .6, .7],
    ...                        "outlet": list("AAABBB")})
    >>> effect = estimate_effect(scores, "~ outlet")
    >>> effect[["topic", "term", "n_docs"]].values.tolist()
    [['war', 'Intercept', 6], ['war', 'outlet[T.B]', 6]]
    >>> round(float(effect["estimate"].iloc[1]), 1)
    0.4
    """
    _check_ci(ci)
    if int(n_sims) < 1:
        raise ValueError(f"n_sims must be at least 1 (25 is usual), not {n_sims!r}.")
    item_col, value = _roles(doc_scores)
    extras = [c for c in doc_scores.columns if c not in ("doc_id", item_col, value, "draw")]
    wanted = extras + [c for c in (metadata.columns if metadata is not None else []) if c not in extras + ["doc_id"]]
    docs = _documents(doc_scores, metadata, wanted)
    exog, terms, used = _design(docs, formula)
    shares, items = _share_array(doc_scores, item_col, value, used)
    if item is not None:
        if item not in items:
            raise ValueError(f"no {item_col} {item!r} in doc_scores; {item_col}s are {items.tolist()}.")
        shares, items = shares[:, :, [items.get_loc(item)]], items[[items.get_loc(item)]]
    weights = None if doc_weights is None else _per_document(doc_weights, used, "doc_weights")
    pooled = _compose(shares, exog, weights, np.random.default_rng(random_state), int(n_sims))
    lower, upper = np.quantile(pooled, [(1 - ci) / 2, (1 + ci) / 2], axis=0)
    k, p = len(items), len(terms)
    return pd.DataFrame({item_col: np.repeat(items.to_numpy(), p), "term": np.tile(terms, k),
                         "estimate": pooled.mean(axis=0).ravel(), "std_error": pooled.std(axis=0, ddof=1).ravel(),
                         "ci_lower": lower.ravel(), "ci_upper": upper.ravel(), "n_docs": len(used)})
