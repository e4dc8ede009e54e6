"""The kit's worker processes: one joblib ``Parallel`` setting for every parallel step.

Idle workers exit after :data:`IDLE_WORKER_SECONDS`. joblib's default (300 s) kept each
of them resident (~0.6 GB after a chunk of a large corpus) while the main process went
on alone, fitting a topic model or building prevalence tables after a pass.

>>> from joblib import delayed
>>> list(worker_pool(1)(delayed(len)(s) for s in ["Kyjiw", "Kursk"]))
[5, 5]
"""

from __future__ import annotations

from joblib import Parallel

IDLE_WORKER_SECONDS = 10


def worker_pool(n_jobs: int, **options) -> Parallel:
    """``joblib.Parallel(n_jobs, **options)`` whose workers exit after :data:`IDLE_WORKER_SECONDS` idle."""
    return Parallel(n_jobs=n_jobs, idle_worker_timeout=IDLE_WORKER_SECONDS, **options)
