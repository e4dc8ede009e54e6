"""Which units to code next (active learning): :func:`next_to_code`.

Uncertainty sampling (Lewis & Gale 1994; Settles 2012, "Active Learning") codes the units
the coder is least sure about, so each coded unit teaches it more than a random one. The
uncertainty of a unit is 1 minus the margin between its two most probable codes (one code
per unit), or 1 - |2p - 1| of the label closest to p = 0.5 (several codes per unit): 1 is a
coin toss, 0 a sure call. ``"diverse"`` spreads the picks over the most uncertain units'
clusters, so one batch does not spend itself on near-duplicates; ``"random"`` is the
baseline (and gives a random sample, which estimates of prevalence need, see
:func:`~analysis.coding.estimate_prevalence`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.utils.validation import check_is_fitted

from analysis.corpus.schema import require_columns, require_unique

STRATEGIES = ("uncertainty", "random", "diverse")
DIVERSE_CANDIDATES = 10  # "diverse" clusters the n × this most uncertain units


def uncertainty(coder, proba: np.ndarray) -> np.ndarray:
    """How unsure ``coder`` is about each unit, from its :meth:`~analysis.coding.Coder.predict_proba` (0–1)."""
    proba = np.asarray(proba, dtype=float)
    if coder.multilabel:
        return (1 - np.abs(2 * proba - 1)).max(axis=1)
    top = np.sort(proba, axis=1)[:, -2:]
    return 1 - (top[:, 1] - top[:, 0])


def next_to_code(coder, pool: pd.DataFrame, *, n: int = 50, strategy: str = "uncertainty",
                 random_state=0) -> pd.DataFrame:
    """The ``n`` units of ``pool`` most worth coding next, most informative first.

    ``pool``: a corpus frame (``doc_id``, ``text``, other columns kept). Units the coder was
    trained on (same ``doc_id``; same text if it was trained without ids) are never
    returned. ``strategy``: ``"uncertainty"`` (the least sure), ``"diverse"`` (the least
    sure of each of ``n`` clusters of the ``10 n`` least sure) or ``"random"``. Ties are
    broken at random; the same ``random_state`` gives the same units.

    Returns the chosen rows of ``pool`` (its index and columns) plus ``uncertainty`` (see
    the module docstring), ordered by it for ``"uncertainty"`` and ``"diverse"``, in draw
    order for ``"random"``; fewer than ``n`` rows when fewer uncoded units are left.

    >>> from analysis.coding.coder import train_coder
    >>> from analysis.coding.examples import coded_units
    >>> units = coded_units()
    >>> coder = train_coder(units.iloc[::2], label_col="frame")
    >>> picked = next_to_code(coder, units, n=3)
    >>> len(picked), bool(picked["doc_id"].isin(units["doc_id"].iloc[::2]).any())
    (3, False)
    >>> picked["uncertainty"].is_monotonic_decreasing
    True
    """
    check_is_fitted(coder)
    if strategy not in STRATEGIES:
        raise ValueError(f"strategy must be one of {list(STRATEGIES)}, not {strategy!r}.")
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be a positive whole number of units, not {n!r}.")
    require_columns(pool, "doc_id", "text", what="pool")
    require_unique(pool, "doc_id", what="pool")
    candidates = pool[~_already_coded(coder, pool)]
    rng = np.random.default_rng(random_state)
    order = rng.permutation(len(candidates))  # random order first: ties and "random" follow it
    candidates = candidates.iloc[order]
    if not len(candidates):
        return candidates.assign(uncertainty=pd.Series(dtype=float))
    if strategy == "random":
        candidates = candidates.iloc[:n]
    unsure = uncertainty(coder, coder.predict_proba(candidates))
    ranked = np.argsort(-unsure, kind="stable")
    chosen = {"random": np.arange(len(candidates)), "uncertainty": ranked[:n]}.get(strategy)
    if chosen is None:
        chosen = _diverse(coder, candidates, ranked, unsure, n, rng)
    return candidates.iloc[chosen].assign(uncertainty=unsure[chosen])


def _already_coded(coder, pool: pd.DataFrame) -> pd.Series:
    coded = coder.coded_
    with_ids = coded["doc_id"].notna()
    return pool["doc_id"].astype(str).isin(coded.loc[with_ids, "doc_id"]) | \
        pool["text"].isin(coded.loc[~with_ids, "text"])


def _diverse(coder, candidates: pd.DataFrame, ranked: np.ndarray, unsure: np.ndarray, n: int, rng) -> np.ndarray:
    """The most uncertain unit of each of ``n`` clusters among the ``DIVERSE_CANDIDATES * n`` most uncertain."""
    top = ranked[:DIVERSE_CANDIDATES * n]
    if len(top) <= n:
        return top
    features = coder.model_.named_steps["features"].transform(candidates["text"].iloc[top].tolist())
    seed = int(rng.integers(2**31 - 1))
    points = TruncatedSVD(n_components=min(50, len(top) - 1, features.shape[1] - 1), random_state=seed) \
        .fit_transform(features)
    clusters = KMeans(n_clusters=n, n_init=1, random_state=seed).fit_predict(points)
    best = {}
    for cluster, position in zip(clusters, top):  # ``top`` runs from the most uncertain: first seen is best
        best.setdefault(cluster, position)
    return np.array(sorted(best.values(), key=lambda p: -unsure[p]))
