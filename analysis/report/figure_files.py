"""The report's figure files (PNG and SVG), drawn in a second process while the stages go on.

Drawing figures is the slowest thing matplotlib does for the report: about a fifth of the bundled
report's time goes into laying out and rasterising its 13 figures twice (PNG and SVG), and nothing
after a figure needs its files. :class:`FigureFiles` sends each figure, pickled with the rc
settings of the moment, to one forked process that writes both files, and the stage that made it
goes on; :func:`analysis.report.stages.run_stages` stores a stage once its figures are on disk. The
files are the same bytes as :func:`write_figure` makes in this process (tests/report/test_figure_files.py).
Where a process cannot be forked (only Linux forks here: macOS and Windows spawn, which would
re-run a user's script), where a figure does not pickle, or once the process has died, figures are
written in this process.

>>> import tempfile, matplotlib.pyplot as plt
>>> folder = Path(tempfile.mkdtemp())
>>> with FigureFiles() as files:
...     fig, ax = plt.subplots()
...     _ = ax.plot([1, 2, 3])
...     pending = files.write(fig, folder / "line.png", folder / "line.svg")
...     pending.wait()
>>> sorted(p.name for p in folder.iterdir())
['line.png', 'line.svg']
"""

from __future__ import annotations

import multiprocessing
import pickle
import signal
import sys
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # the report renders files; it never needs a screen
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.layout_engine import PlaceHolderLayoutEngine  # noqa: E402

from analysis.plotting.layout import frozen_ticks  # noqa: E402

DPI = 130
_DETERMINISTIC_SVG = {"svg.hashsalt": "framing-kit", "svg.fonttype": "path"}
_NOT_SENT = ("backend", "backend_fallback", "interactive")  # settings of this process, not of a drawing


def write_figure(fig, png: Path, svg: Path) -> None:
    """Write ``fig`` to ``png`` and ``svg`` (both deterministic: no date, no software version) and close it."""
    with plt.rc_context(_DETERMINISTIC_SVG):
        _settle_layout(fig)
        with frozen_ticks(fig):  # ticks computed once for the bounding box and both files
            box = fig.get_tightbbox().padded(0.1)  # laid out once for both files (bbox_inches="tight" twice)
            fig.savefig(png, dpi=DPI, bbox_inches=box, metadata={"Software": None})
            fig.savefig(svg, bbox_inches=box, metadata={"Date": None})
    plt.close(fig)


def _settle_layout(fig) -> None:
    """Lay ``fig`` out once and drop its layout engine. ``savefig`` draws a figure that has an engine
    one extra time per file just to run it, and ``tight_layout`` leaves a placeholder engine that
    does nothing on that draw: a third of the cost of writing such a figure, for the same PNG (an SVG
    coordinate may differ in its sixth decimal of a point)."""
    engine = fig.get_layout_engine()
    if engine is None:
        return
    if not isinstance(engine, PlaceHolderLayoutEngine):
        fig.draw_without_rendering()  # runs the engine (constrained layout) once, for both files
    with plt.rc_context({"figure.autolayout": False, "figure.constrained_layout.use": False}):
        fig.set_layout_engine(None)  # None under these settings: no engine at all


def _write_pickled(data: bytes, png: str, svg: str) -> None:
    """In the figure process (or here, as a fallback): unpickle ``(rc settings, figure)`` and write it."""
    rc, fig = pickle.loads(data)
    with plt.rc_context(rc):
        write_figure(fig, Path(png), Path(svg))


def _ignore_interrupt() -> None:
    """Ctrl-C in a terminal reaches the whole process group: the figure process finishes the
    figures it was given, so the stages done before the interrupt are stored whole."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class PendingFigure:
    """A figure being written; :meth:`wait` returns once both files are on disk (or raises why not)."""

    def __init__(self, future: Future, data: bytes | None = None, png: Path | None = None, svg: Path | None = None):
        self._future, self._data, self._png, self._svg = future, data, png, svg

    def done(self) -> bool:
        return self._future.done()

    def wait(self) -> None:
        try:
            self._future.result()
        except BrokenProcessPool:  # the figure process died (e.g. killed): write it here instead
            _write_pickled(self._data, str(self._png), str(self._svg))
        self._data = None


class FigureFiles:
    """Writes figures in one forked process (``background=True``, on Linux) or in this one.

    Use it as a context manager: leaving it waits for every figure given to it.
    """

    def __init__(self, *, background: bool = True):
        self.background = background and sys.platform.startswith("linux")
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> FigureFiles:
        if self.background:
            # forked now, before the stages start threads (a fork copies no other thread)
            self._pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"),
                                             initializer=_ignore_interrupt)
        return self

    def __exit__(self, *exc) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None

    def write(self, fig, png: Path, svg: Path) -> PendingFigure:
        """Start writing ``fig`` to ``png`` and ``svg``; ``fig`` is closed here either way."""
        data = self._pickled(fig) if self._pool is not None else None
        if data is None:
            write_figure(fig, png, svg)
            done: Future = Future()
            done.set_result(None)
            return PendingFigure(done)
        plt.close(fig)
        try:
            future = self._pool.submit(_write_pickled, data, str(png), str(svg))
        except BrokenProcessPool:
            self._pool = None  # gone: this figure and the next are written here
            _write_pickled(data, str(png), str(svg))
            future = Future()
            future.set_result(None)
        return PendingFigure(future, data, png, svg)

    @staticmethod
    def _pickled(fig) -> bytes | None:
        rc = {key: value for key, value in plt.rcParams.items() if key not in _NOT_SENT}
        try:
            return pickle.dumps((rc, fig), protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, TypeError, AttributeError):  # e.g. a lambda tick formatter
            return None
