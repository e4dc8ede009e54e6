"""The report's figure files (PNG and SVG), drawn in a forked process while the stages go on.

Drawing figures is the slowest thing matplotlib does for the report: about a fifth of the bundled
report's time goes into laying out and rasterising its 13 figures twice (PNG and SVG), and nothing
after a figure needs its files. :class:`FigureFiles` forks the process for each figure: the child
already holds the figure and the rc settings as they are, writes both files and exits, and the
stage that made the figure goes on. Given a function that makes the figure instead of the figure,
the child also makes it: building the figures (their axes, and ``tight_layout``, which measures
every label) cost the bundled report's process about another second (26.9 → 25.9 s, one run after
the other). Nothing is serialised or read back; the files are the same
bytes as :func:`write_figure` makes in this process (tests/report/test_figure_files.py), and
:func:`analysis.report.stages.run_stages` stores a stage once its figures are on disk. Where a
process cannot be forked (only Linux forks here: macOS and Windows spawn, which would re-run a
user's script) or a child fails, the figure is written in this process.

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

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # the report renders files; it never needs a screen
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.layout_engine import PlaceHolderLayoutEngine  # noqa: E402

from analysis.plotting.layout import frozen_ticks  # noqa: E402
from analysis.scale.workers import FORKS, start_forked  # noqa: E402

DPI = 130
_DETERMINISTIC_SVG = {"svg.hashsalt": "framing-kit", "svg.fonttype": "path"}


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


def made(figure) -> Figure:
    """``figure`` itself or, for a function of no arguments, the figure of what it returns (a
    figure, an Axes or an array of Axes, as the plotting functions return them)."""
    if not callable(figure):
        return figure
    drawn = figure()
    if isinstance(drawn, Figure):
        return drawn
    return (drawn if isinstance(drawn, Axes) else np.ravel(drawn)[0]).figure


def _write_in_child(figure, png: Path, svg: Path) -> None:
    """In the forked child (which ignores Ctrl-C, so the stages done before an interrupt are stored
    whole with their figures)."""
    try:
        write_figure(made(figure), png, svg)
    except Exception:  # noqa: BLE001 — no traceback here: PendingFigure.wait makes it again and raises the error
        sys.exit(1)


class PendingFigure:
    """A figure being written; :meth:`wait` returns once both files are on disk (or raises why not)."""

    def __init__(self, process=None, fig=None, png: Path | None = None, svg: Path | None = None):
        self._process, self._fig, self._png, self._svg = process, fig, png, svg

    def done(self) -> bool:
        return self._process is None or not self._process.is_alive()

    def wait(self) -> None:
        if self._process is None:
            return
        process, figure, self._process, self._fig = self._process, self._fig, None, None  # waited for once
        process.join()
        failed = process.exitcode != 0
        process.close()
        if failed:  # the child failed or was killed: write it here (raises if it cannot)
            write_figure(made(figure), self._png, self._svg)


class FigureFiles:
    """Writes each figure in a forked child (``background=True``, on Linux) or in this process.

    At most :attr:`MAX_CHILDREN` children draw at a time. Use it as a context manager: leaving it
    waits for every figure given to it.
    """

    MAX_CHILDREN = 2

    def __init__(self, *, background: bool = True):
        self.background = background and FORKS
        self._running: list[PendingFigure] = []

    def __enter__(self) -> FigureFiles:
        return self

    def __exit__(self, *exc) -> None:
        for pending in self._running:
            pending.wait()
        self._running = []

    def write(self, fig, png: Path, svg: Path) -> PendingFigure:
        """Start writing ``fig`` to ``png`` and ``svg``; ``fig`` is closed in this process either way.
        ``fig`` may be a function of no arguments that makes the figure: in the background it is
        called in the child only (an error there is raised by :meth:`PendingFigure.wait`, which
        makes the figure here once more)."""
        if not self.background:
            write_figure(made(fig), png, svg)
            return PendingFigure()
        self._running = [p for p in self._running if not p.done()]
        while len(self._running) >= self.MAX_CHILDREN:
            self._running.pop(0).wait()
        process = start_forked(_write_in_child, fig, png, svg)
        if not callable(fig):
            plt.close(fig)  # out of pyplot's figures here (the next plot must not draw on it); still drawable
        pending = PendingFigure(process, fig, png, svg)
        self._running.append(pending)
        return pending
