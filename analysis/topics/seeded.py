"""Seeded (semi-supervised) NMF: named topics steered by keyword lists.

Minimises ``||X − WH||² + α·Σ_k∈seeded ||H_k − R_k||²`` (UTOPIAN, Choo, Lee, Reddy &
Park 2013, IEEE TVCG 19(12)), where ``R_k`` puts topic *k*'s mass on its seed terms;
unseeded topics are free. Multiplicative updates (Lee & Seung 2001) keep W, H ≥ 0:

    H ← H ⊙ (WᵀX + αR) / (WᵀWH + αMH)        W ← W ⊙ (XHᵀ) / (WHHᵀ)

with ``M`` the 0/1 mask of seeded rows. The seeds pull a topic towards their words;
the data decide which other words join them. Fitted into a regular scikit-learn
``NMF`` estimator, so ``transform`` works as for any NMF.
"""

from __future__ import annotations

import warnings

import numpy as np
from sklearn.decomposition import NMF
from sklearn.exceptions import ConvergenceWarning

_EPS = 1e-10


def reference_rows(seeds: list[list[int]], n_terms: int, scale: float) -> np.ndarray:
    """One row per seeded topic with ``scale`` spread evenly over its seed terms."""
    reference = np.zeros((len(seeds), n_terms))
    for row, indices in enumerate(seeds):
        reference[row, indices] = scale / np.sqrt(len(indices))
    return reference


def fit_seeded_nmf(X, model: NMF, seeds: list[list[int]], *, strength: float = 1.0,
                   max_iter: int = 400, tol: float = 1e-5):
    """Fit ``model`` (an unfitted NMF) with its first ``len(seeds)`` topics seeded.

    ``seeds``: vocabulary indices per seeded topic. ``strength`` scales α relative to the
    data's energy (1.0 = seeds about as strong as the data of an average topic).
    Returns W; ``model`` is fitted afterwards (``components_`` = the seeded H).
    """
    transform_iter = model.max_iter
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        W = model.set_params(max_iter=5).fit_transform(X)  # NNDSVDa start, sets the fitted attributes
    model.set_params(max_iter=transform_iter)  # transform() solves for W with the full budget
    H = model.components_.copy()
    n_seeded = len(seeds)
    reference = np.zeros_like(H)
    reference[:n_seeded] = reference_rows(seeds, H.shape[1], scale=np.linalg.norm(H, axis=1).mean())
    H[:n_seeded] = reference[:n_seeded] + 1e-6  # seeded topics start from their seeds alone
    W[:, :n_seeded] = np.asarray(X.dot(H[:n_seeded].T)) / np.maximum((H[:n_seeded] ** 2).sum(axis=1), _EPS)
    mask = np.zeros((H.shape[0], 1))
    mask[:n_seeded] = 1.0
    alpha = strength * W.T.dot(W).trace() / H.shape[0]
    previous = np.inf
    for _ in range(max_iter):
        H *= (X.T.dot(W).T + alpha * reference) / (W.T @ W @ H + alpha * mask * H + _EPS)
        W *= X.dot(H.T) / (W @ (H @ H.T) + _EPS)
        error = _objective(X, W, H, reference, mask, alpha)
        if previous - error < tol * previous:
            break
        previous = error
    model.components_ = H
    model.reconstruction_err_ = float(np.sqrt(max(_objective(X, W, H, 0 * reference, mask, 0.0), 0.0)))
    return W


def _objective(X, W, H, reference, mask, alpha) -> float:
    """||X − WH||² (computed without densifying X) + α·||M(H − R)||²."""
    data = X.multiply(X).sum() if hasattr(X, "multiply") else float((X * X).sum())
    cross = float((X.dot(H.T) * W).sum())
    model = float(((W.T @ W) * (H @ H.T)).sum())
    return float(data - 2 * cross + model + alpha * ((mask * (H - reference)) ** 2).sum())
