"""The frame section's one read of the frame scores, part by part: each part is written to
``tables/frame_scores`` and summed into what the section shows, so a million documents' scores
(eight million rows of document × frame) are never held whole.

>>> scores = pd.DataFrame({"doc_id": ["a", "a", "b", "b"], "frame": ["war", "aid"] * 2, "hits": [2, 0, 0, 1],
...                        "negated_hits": [1, 0, 0, 0], "score": [2.0, 0.0, 0.0, 1.0]})
>>> summary = FrameScores.of([scores[:2], scores[2:]], sample_ids=["b"])
>>> summary.grid.values.tolist(), summary.totals.to_dict(), summary.sample["doc_id"].tolist()
([[0.0, 2.0], [1.0, 0.0]], {'hits': 3, 'negated_hits': 1}, ['b', 'b'])
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

import pandas as pd

from analysis.compare.scores import doc_item_grid
from analysis.corpus.id_sets import is_in
from analysis.frames.coverage import coverage_counts


@dataclass
class FrameScores:
    """``grid``: documents (in the scores' order) × frames (sorted) of scores; ``coverage``:
    :func:`~analysis.frames.coverage.coverage_counts` of all documents; ``totals``: ``hits`` and
    ``negated_hits`` summed; ``sample``: the rows of the documents in ``sample_ids``."""

    grid: pd.DataFrame
    coverage: pd.DataFrame
    totals: pd.Series
    sample: pd.DataFrame

    @classmethod
    def of(cls, parts: Iterable[pd.DataFrame], *, sample_ids=(), table=None) -> "FrameScores":
        """Sum score parts that share no document (each also added to ``table``, a
        :class:`~analysis.report.writer.PartTable`, when given)."""
        grids, counts, totals, sample = [], [], [], []
        for part in parts:
            if table is not None:
                table.add(part)
            grids.append(doc_item_grid(part, "frame", "score", sort_docs=False))
            counts.append(coverage_counts(part))
            totals.append(part[["hits", "negated_hits"]].sum())
            sample.append(part[is_in(part["doc_id"], sample_ids)])
        if not grids:
            raise ValueError("no part of frame scores was given; pass at least one (an empty frame for no documents).")
        grid = pd.concat(grids).fillna(0.0)
        if grid.index.has_duplicates:
            raise ValueError(f"doc_id {grid.index[grid.index.duplicated()][0]!r} is in several parts of the frame "
                             "scores; each document must be scored once.")
        return cls(grid=grid.sort_index(axis=1),
                   coverage=pd.concat(counts).groupby(level=0, sort=False).sum(),
                   totals=pd.concat(totals, axis=1).sum(axis=1), sample=pd.concat(sample, ignore_index=True))
