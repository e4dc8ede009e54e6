"""A report measure computed ahead, in a forked process, while the stages before it run.

A small corpus held in memory is worked on in one process (:attr:`ReportContext.jobs
<analysis.report.context.ReportContext.jobs>`), so the second core waits while, e.g., the
bundled report fits its topic models; the actor stance is the slowest of its measures (~5.5 s
of its ~26). :class:`Ahead` forks the process when the stages begin: the child already holds
the corpus, computes the measure, writes the table (and the warnings it raised) to a file and
exits; the stage that needs the measure takes it from there, or computes it in its own
process if the child failed. The table is the one the stage would compute (the measures do not
depend on what a process has cached), the warnings are raised again where the stage runs, so
they reach its section's notes. Only Linux forks here (macOS and Windows spawn, which would
re-run a user's script); elsewhere nothing is computed ahead.

>>> import pandas as pd
>>> ahead = Ahead(lambda: pd.DataFrame({"doc_id": ["a"], "score": [0.5]}))
>>> ahead.result().to_dict("list") if ahead.started else {"doc_id": ["a"], "score": [0.5]}
{'doc_id': ['a'], 'score': [0.5]}
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import signal
import sys
import tempfile
import warnings
from pathlib import Path
from typing import Callable

import pandas as pd

from analysis.progress import quiet


class Ahead:
    """``compute()`` (a DataFrame) started in a forked child; :meth:`result` waits for it."""

    def __init__(self, compute: Callable[[], pd.DataFrame]):
        self.started = sys.platform.startswith("linux")
        self._process, self._path = None, None
        if self.started:
            handle, name = tempfile.mkstemp(prefix="framing-kit-ahead-", suffix=".pickle")
            os.close(handle)
            self._path = Path(name)
            self._process = multiprocessing.get_context("fork").Process(target=_compute_in_child,
                                                                        args=(compute, self._path), daemon=True)
            self._process.start()

    def result(self) -> pd.DataFrame | None:
        """The child's table, with its warnings raised again here; None if nothing was started or the
        child failed (the caller computes the measure itself). Waits for the child; call it once."""
        if self._process is None:
            return None
        self._process.join()
        done = self._process.exitcode == 0
        try:
            table, caught = pickle.loads(self._path.read_bytes()) if done else (None, [])
        finally:
            self.stop()
        for category, message in caught:
            warnings.warn(message, category, stacklevel=2)
        return table

    def stop(self) -> None:
        """End the child (if it still runs) and remove its file."""
        if self._process is not None:
            if self._process.is_alive():
                self._process.kill()
            self._process.join()
            self._process.close()
            self._process = None
        if self._path is not None:
            self._path.unlink(missing_ok=True)
            self._path = None


def _compute_in_child(compute: Callable[[], pd.DataFrame], path: Path) -> None:
    """In the forked child: compute quietly (no progress bars beside the parent's) and write the
    table with the warnings raised, as ``(category, message)`` pairs. Ctrl-C ends the parent's run,
    which ends this child; an error leaves the file empty and the exit code non-zero."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        with quiet(), warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            table = compute()
        path.write_bytes(pickle.dumps((table, [(w.category, str(w.message)) for w in caught]),
                                      protocol=pickle.HIGHEST_PROTOCOL))
    except Exception:  # noqa: BLE001 — the stage computes the measure itself and raises its error there
        sys.exit(1)
