"""Percentile-bootstrap intervals of column means, in bounded memory.

>>> import numpy as np
>>> estimate, lower, upper = bootstrap_means(np.array([[0.0], [1.0], [1.0], [0.0]]), np.random.default_rng(0), 200, 0.9)
>>> float(estimate[0]), bool(lower[0] <= 0.5 <= upper[0])
(0.5, True)
"""

from __future__ import annotations

import numpy as np
from threadpoolctl import threadpool_limits

BOOTSTRAP_BLOCK = 4_000_000  # resample-count entries per block: ~32 MB per int64 array, whatever the cell size


def bootstrap_means(values: np.ndarray, rng, n_boot: int, ci: float):
    """Column means of ``values`` (documents × items) and their percentile-bootstrap interval.

    Replicates are drawn in blocks of at most ``BOOTSTRAP_BLOCK // n`` rows (at least one),
    so memory stays bounded for cells of a million documents. Consecutive draws from a
    ``Generator`` equal one big draw, so the resamples do not depend on the block size. A
    cell that fits in one block is one matrix product; a larger one can differ from it in
    the last bits only, as BLAS sums in a shape-dependent order.

    BLAS runs single-threaded here: its threads sum in an order that depends on their number
    (the bits would differ between a 2-core and an 8-core machine), and they did not make it
    faster: the products wait on memory (a million documents × 12 items, 1,000 replicates:
    12.3 s with two threads using 22.5 s of CPU, 12.1 s with one). The second core is free to
    compute another table beside it (:meth:`~analysis.report.context.ReportContext.prevalence_tables`).
    """
    n = len(values)
    estimate = values.mean(axis=0)
    rows = max(1, BOOTSTRAP_BLOCK // n)
    means = np.empty((n_boot, values.shape[1]))
    with threadpool_limits(limits=1):
        for start in range(0, n_boot, rows):
            size = min(rows, n_boot - start)
            index = rng.integers(0, n, size=(size, n))
            index += n * np.arange(size)[:, None]  # row r's draws count in bins r·n … r·n + n − 1
            counts = np.bincount(index.ravel(), minlength=size * n).reshape(size, n)
            del index
            means[start:start + size] = counts @ values / n
    lower, upper = np.quantile(means, [(1 - ci) / 2, (1 + ci) / 2], axis=0)
    return estimate, np.minimum(lower, estimate), np.maximum(upper, estimate)
