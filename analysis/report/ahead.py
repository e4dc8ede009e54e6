"""A report measure computed ahead, in a forked process, while the stages before it run.

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

>>> import pandas as pd
>>> ahead = Ahead(lambda: pd.DataFrame({"doc_id": ["a"], "score": [0.5]}))
>>> ahead.result().to_dict("list") if ahead.started else {"doc_id": ["a"], "score": [0.5]}
{'doc_id': ['a'], 'score': [0.5]}
"""

from __future__ import annotations

import multiprocessing
import warnings
from typing import Callable

import pandas as pd

from analysis.progress import quiet
from analysis.scale.workers import FORKS, start_forked


class Ahead:
    """``compute()`` (a DataFrame) started in a forked child; :meth:`result` waits for it."""

    def __init__(self, compute: Callable[[], pd.DataFrame]):
        self.started = FORKS
        self._process = self._reader = None
        if self.started:
            self._reader, writer = multiprocessing.get_context("fork").Pipe(duplex=False)
            self._process = start_forked(_compute_in_child, compute, writer)
            writer.close()  # the child's end only: a child that ends without sending is an end of file here

    def result(self) -> pd.DataFrame | None:
        """The child's table, with its warnings raised again here; None if nothing was started or the
        child failed (the caller computes the measure itself). Waits for the child; call it once."""
        if self._process is None:
            return None
        try:
            table, caught = self._reader.recv()
        except EOFError:  # the child failed or was killed
            table, caught = None, []
        finally:
            self.stop()
        for category, message in caught:
            warnings.warn(message, category, stacklevel=2)
        return table

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


def _compute_in_child(compute: Callable[[], pd.DataFrame], writer) -> None:
    """In the forked child: compute quietly (no progress bars beside the parent's) and send the
    table with the warnings raised, as ``(category, message)`` pairs. An error sends nothing (the
    stage computes the measure itself and raises it there)."""
    try:
        with quiet(), warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            table = compute()
    except Exception:  # noqa: BLE001 — see above
        return
    writer.send((table, [(w.category, str(w.message)) for w in caught]))
