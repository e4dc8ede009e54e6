"""Raw tables: the input rows a reader could parse, and the ones it could not, with their positions."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import pandas as pd


@dataclass
class RawTable:
    """Parsed input rows (index = position in the input) plus the unparseable ones.

    ``rejected``: dicts with ``row``, ``reason``, ``detail`` and, where known, ``line``
    (file line), ``excerpt`` and ``values`` (column -> value, to name the row's id);
    ``lines``: row position -> file line of the kept rows of a line-based file.
    """

    records: pd.DataFrame
    n_input: int
    source: str
    rejected: list[dict] = field(default_factory=list)
    encoding: str | None = None
    delimiter: str | None = None
    lines: dict | None = None


def batches(items: Iterable, size: int | None) -> Iterator[tuple[int, list]]:
    """``(start, items)`` lists of at most ``size`` items (all for ``None``); at least one, maybe empty."""
    iterator = iter(items)
    start = 0
    while True:
        batch = list(iterator if size is None else itertools.islice(iterator, size))
        if batch or start == 0:
            yield start, batch
        if size is None or len(batch) < size:
            return
        start += len(batch)
