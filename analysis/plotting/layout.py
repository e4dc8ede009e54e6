"""Laying out a finished figure without asking every axis for its ticks again and again.

``tight_layout``, a bounding box and each saved file measure a figure by drawing it, and each
such pass asks every axis of every panel for its ticks and formats their labels again: a date
axis steps through its calendar rule every time, for the same ticks. :func:`frozen_ticks`
computes them once for the passes made inside it.

>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import matplotlib.pyplot as plt, pandas as pd
>>> fig, ax = plt.subplots()
>>> _ = ax.plot(pd.date_range("2022-01-01", periods=90, tz="UTC"), range(90))
>>> before = [t.get_text() for t in ax.get_xticklabels()]
>>> with frozen_ticks(fig):
...     fig.tight_layout()
...     fixed = type(ax.xaxis.get_major_locator()).__name__
>>> fixed, type(ax.xaxis.get_major_locator()).__name__, [t.get_text() for t in ax.get_xticklabels()] == before
('FixedLocator', 'AutoDateLocator', True)
"""

from __future__ import annotations

from contextlib import contextmanager

from matplotlib.ticker import FixedFormatter, FixedLocator, NullLocator


@contextmanager
def frozen_ticks(fig):
    """Within the block, every axis of ``fig`` keeps the ticks and tick labels its locator and
    formatter give on entry; on exit the locators and formatters are put back.

    For passes that change no data limits and no axes size between them: ``tight_layout`` (it
    measures before it moves the panels) or writing a laid-out figure to files (tick spacing is
    set in points, the same at any dpi). Axes that set their own limits while drawing (a fixed
    aspect adjusted through the data limits) are left alone.
    """
    saved = []
    for ax in fig.axes:
        if ax.get_aspect() != "auto" and ax.get_adjustable() == "datalim":
            continue
        for axis in (ax.xaxis, ax.yaxis):
            for ticker in (axis.major, axis.minor):  # shared by the panels of a shared axis: frozen once
                if any(ticker is t for t, _, _ in saved) or isinstance(ticker.locator, NullLocator) or (
                        isinstance(ticker.locator, FixedLocator) and isinstance(ticker.formatter, FixedFormatter)):
                    continue
                saved.append((ticker, ticker.locator, ticker.formatter))
                locations = ticker.locator()
                formatter = FixedFormatter(ticker.formatter.format_ticks(locations))
                formatter.set_offset_string(ticker.formatter.get_offset())  # e.g. "1e-5" beside the axis
                ticker.locator, ticker.formatter = FixedLocator(locations), formatter
    try:
        yield fig
    finally:
        for ticker, locator, formatter in saved:
            ticker.locator, ticker.formatter = locator, formatter
