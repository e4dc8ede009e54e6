"""Regression effects on per-document shares, as stm's ``estimateEffect``.

:func:`estimate_effect` regresses an item's share (a topic proportion, a frame score)
on document covariates with the method of composition; :func:`dirichlet_draws`
supplies plausible alternative shares so that the intervals carry the uncertainty of
the shares themselves. Both are also available from :mod:`analysis.compare.prevalence`.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from analysis.compare.scores import DroppedDocumentsWarning, check_ci, doc_item_grid, document_metadata, score_roles

_COEF_DRAWS = 100  # coefficient draws per simulated fit in estimate_effect
_EPSILON = 1e-3  # added to every Dirichlet parameter so that zero shares stay drawable


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
    item, value = score_roles(doc_scores)
    if "draw" in doc_scores.columns:
        raise ValueError("doc_scores already has a 'draw' column; pass point shares (one row per document × item).")
    if int(n_draws) < 1:
        raise ValueError(f"n_draws must be at least 1, not {n_draws!r}.")
    grid = doc_item_grid(doc_scores, item, value)
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
        grid = doc_item_grid(doc_scores, item, value).reindex(docs)
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
    check_ci(ci)
    if int(n_sims) < 1:
        raise ValueError(f"n_sims must be at least 1 (25 is usual), not {n_sims!r}.")
    item_col, value = score_roles(doc_scores)
    extras = [c for c in doc_scores.columns if c not in ("doc_id", item_col, value, "draw")]
    wanted = extras + [c for c in (metadata.columns if metadata is not None else []) if c not in extras + ["doc_id"]]
    docs = document_metadata(doc_scores, metadata, wanted)
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
