"""A report table computed in another process: ahead, in a forked one, while the stages before it
run (:class:`Ahead`); or beside this process's work, in a fresh one (:class:`Beside`).

A small corpus held in memory is worked on in one process (:attr:`ReportContext.jobs
<analysis.report.context.ReportContext.jobs>`), so the second core waits while, e.g., the
bundled report fits its topic models; the actor stance is the slowest of its measures (~5.5 s
of its ~26). :class:`Ahead` forks the process when the stages begin: the child already holds
the corpus, computes the measure and sends the table (and the warnings it raised) through a
pipe only the two processes hold, then exits; the stage that needs the measure takes it from
there, or computes it in its own process if the child failed (nothing is read from a file).
The table is the one the stage would compute (the measures do not depend on what a process has
cached), the warnings are raised again where the stage runs, so they reach its section's notes. Only Linux forks here (macOS and Windows spawn, which would
re-run a user's script); elsewhere nothing is computed ahead.

A large corpus's process holds gigabytes, which a forked child would count again in its RSS;
:class:`Beside` starts a fresh process that holds only what it is sent.

>>> import pandas as pd
>>> ahead = Ahead(lambda: pd.DataFrame({"doc_id": ["a"], "score": [0.5]}))
>>> ahead.result().to_dict("list") if ahead.started else {"doc_id": ["a"], "score": [0.5]}
{'doc_id': ['a'], 'score': [0.5]}
>>> scores = pd.DataFrame({"doc_id": ["a", "b"], "score": [0.5, -0.25]})
>>> Beside(lambda: scores.assign(score=scores["score"] * 2)).result()["score"].tolist()
[1.0, -0.5]
"""

from __future__ import annotations

import multiprocessing
import warnings
from typing import Callable

import pandas as pd

from analysis.progress import quiet
from analysis.scale.workers import FORKS, start_forked


class _Elsewhere:
    """A table computed in another process: :meth:`result` takes it (subclasses start the process)."""

    def result(self) -> pd.DataFrame | None:
        """The table, with the warnings raised computing it raised again here; None if nothing was
        started or the process failed (the caller computes the table itself). Waits; call it once."""
        if not self._running():
            return None
        try:
            table, caught = self._received()
        except Exception:  # noqa: BLE001 — the process failed, was killed, or compute raised
            table, caught = None, []
        finally:
            self.stop()
        for category, message in caught:
            warnings.warn(message, category, stacklevel=2)
        return table

    def _running(self) -> bool:
        raise NotImplementedError

    def _received(self) -> tuple[pd.DataFrame, list]:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError


class Ahead(_Elsewhere):
    """``compute()`` (a DataFrame) started in a forked child; :meth:`result` waits for it."""

    def __init__(self, compute: Callable[[], pd.DataFrame]):
        self.started = FORKS
        self._process = self._reader = None
        if self.started:
            self._reader, writer = multiprocessing.get_context("fork").Pipe(duplex=False)
            self._process = start_forked(_compute_in_child, compute, writer)
            writer.close()  # the child's end only: a child that ends without sending is an end of file here

    def _running(self) -> bool:
        return self._process is not None

    def _received(self) -> tuple[pd.DataFrame, list]:
        return self._reader.recv()  # EOFError: the child failed or was killed

    def stop(self) -> None:
        """End the child (if it still runs) and close the pipe."""
        if self._process is not None:
            if self._process.is_alive():
                self._process.kill()
            self._process.join()
            self._process.close()
            self._process = None
        if self._reader is not None:
            self._reader.close()
            self._reader = None


class Beside(_Elsewhere):
    """``compute()`` started in a fresh (spawned) process that holds only what ``compute`` carries;
    :meth:`result` and :meth:`stop` as :class:`Ahead`'s.

    For the second prevalence table of a large corpus (:meth:`ReportContext.prevalence_tables
    <analysis.report.context.ReportContext.prevalence_tables>`): a forked child's RSS counts every
    page it shares with this process, so with a million documents the processes' RSS summed to 3.6 GiB
    while they took 2.3 (PSS). ``compute`` is sent with cloudpickle (a lambda may be sent; what it
    refers to is sent with it, so it should hold its data, not the report's context); the process
    (loky's, as the workers': a user's script is not run again) starts in ~2 s and ends with
    :meth:`result`.
    """

    def __init__(self, compute: Callable[[], pd.DataFrame]):
        from joblib.externals.loky import ProcessPoolExecutor

        self._executor = ProcessPoolExecutor(max_workers=1)
        self._future = self._executor.submit(_computed_quietly, compute)

    def _running(self) -> bool:
        return self._future is not None

    def _received(self) -> tuple[pd.DataFrame, list]:
        return self._future.result()  # raises what compute raised, or that the process died

    def stop(self) -> None:
        """End the process (if it still runs)."""
        if self._executor is not None:
            self._executor.shutdown(wait=True, kill_workers=True)
            self._executor = self._future = None


def _computed_quietly(compute: Callable[[], pd.DataFrame]) -> tuple[pd.DataFrame, list]:
    """``compute()`` without progress bars (none beside the parent's), and the warnings it raised as
    ``(category, message)`` pairs; an error is raised."""
    with quiet(), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        table = compute()
    return table, [(w.category, str(w.message)) for w in caught]


def _compute_in_child(compute: Callable[[], pd.DataFrame], writer) -> None:
    """In the forked child: :func:`_computed_quietly`, the result sent through ``writer``. An error
    sends nothing (the stage computes the measure itself and raises it there)."""
    try:
        result = _computed_quietly(compute)
    except Exception:  # noqa: BLE001 — see above
        return
    writer.send(result)
