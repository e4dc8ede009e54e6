"""The kit's worker processes: one joblib ``Parallel`` setting for every parallel step.

Idle workers exit after :data:`IDLE_WORKER_SECONDS`. joblib's default (300 s) kept each
of them resident (~0.6 GB after a chunk of a large corpus) while the main process went
on alone, fitting a topic model or building prevalence tables after a pass.
:func:`stop_workers` ends them at once, for a step whose workers hold caches no later step reads.

>>> from joblib import delayed
>>> list(worker_pool(1)(delayed(len)(s) for s in ["Kyjiw", "Kursk"]))
[5, 5]
"""

from __future__ import annotations

import multiprocessing
import signal
import sys
from collections.abc import Callable, Iterable, Iterator

from joblib import Parallel, delayed

IDLE_WORKER_SECONDS = 10
FORKS = sys.platform.startswith("linux")  # only Linux forks here: macOS and Windows spawn, which re-runs a user's script


def worker_pool(n_jobs: int, **options) -> Parallel:
    """``joblib.Parallel(n_jobs, **options)`` whose workers exit after :data:`IDLE_WORKER_SECONDS` idle."""
    return Parallel(n_jobs=n_jobs, idle_worker_timeout=IDLE_WORKER_SECONDS, **options)


def map_in_order(function: Callable, items: Iterable, n_jobs: int, **params) -> Iterator:
    """``function(item, **params)`` for each item, in input order, in ``n_jobs`` worker processes;
    items are drawn as workers free up (at most ``2 × n_jobs`` in flight), so a long stream of
    large items is never held whole.

    >>> list(map_in_order(round, [3.14159, 2.71828, 1.41421], 2, ndigits=2))
    [3.14, 2.72, 1.41]
    """
    parallel = worker_pool(n_jobs, return_as="generator", pre_dispatch="2*n_jobs", batch_size=1)
    return parallel(delayed(function)(item, **params) for item in items)


def stop_workers() -> None:
    """End the worker processes now, not after :data:`IDLE_WORKER_SECONDS` idle; the next parallel
    step starts fresh ones (~2 s). The report's pass leaves each worker ~0.8 GB of word caches
    (lemmas, chunks, lexicon entries, matchers) that no later step reads: kept, they sat beside the
    term counting that follows at once, and a 1M-article report peaked at 4.2 GiB instead of ~2.6.
    The term counting ends its workers too before it sorts the counts (its peak).

    >>> from joblib import delayed
    >>> import os
    >>> before = set(worker_pool(2)(delayed(os.getpid)() for _ in range(4)))
    >>> stop_workers()
    >>> before.isdisjoint(worker_pool(2)(delayed(os.getpid)() for _ in range(4)))
    True
    """
    from joblib.externals.loky import get_reusable_executor

    # the documented way to end loky's reusable workers: asked with other arguments than joblib's, it
    # shuts the current executor down (its workers exit) and returns a new one, idle, which is shut too
    get_reusable_executor().shutdown(wait=True)


def start_forked(target: Callable, *args) -> multiprocessing.Process:
    """``target(*args)`` in a forked child (a daemon, started; only where :data:`FORKS`): it already
    holds what this process holds, nothing is sent. The child ignores Ctrl-C, which a terminal sends
    to the whole process group: the parent decides what becomes of its work."""
    process = multiprocessing.get_context("fork").Process(target=_ignoring_ctrl_c, args=(target, *args), daemon=True)
    process.start()
    return process


def _ignoring_ctrl_c(target: Callable, *args) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    target(*args)
