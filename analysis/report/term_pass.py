"""One preprocessing pass over the corpus for the overview, top lemmas and keyness.

Each chunk's texts are preprocessed once; the pass keeps each document's length and the
term counts per group and per phase (before/after the invasion) — memory grows with the
vocabulary, not with the corpus. The result is kept in ``ctx.models`` for the other
stages of the same run.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.describe import TermCounts, document_lengths
from analysis.progress import progress_bar


@dataclass
class TermPass:
    """``lengths``: one row per document (:func:`~analysis.describe.document_lengths`);
    ``by_group`` and ``by_phase``: :class:`~analysis.describe.TermCounts` by the report's
    grouping column and by phase (dated documents only)."""

    lengths: pd.DataFrame
    by_group: TermCounts
    by_phase: TermCounts


def term_pass(ctx) -> TermPass:
    """The pass for this run (computed on first use)."""
    if "term_pass" not in ctx.models:
        ctx.models["term_pass"] = _count(ctx)
    return ctx.models["term_pass"]


def _count(ctx) -> TermPass:
    by_group, by_phase, lengths = TermCounts(by=ctx.by), TermCounts(by="phase"), []
    phases = ctx.with_phase()["phase"].to_numpy()
    offset = 0
    for chunk in progress_bar(ctx.chunks(), desc="counting terms", total=ctx.n_chunks(), unit="chunk"):
        tokens = ctx.preprocessor.process_many(chunk["text"])
        lengths.append(document_lengths(chunk, by=ctx.by, preprocessor=ctx.preprocessor, tokens=tokens))
        by_group.add(tokens, chunk[ctx.by].to_numpy())
        phase = phases[offset:offset + len(chunk)]
        offset += len(chunk)
        dated = np.flatnonzero(pd.notna(phase))
        by_phase.add([tokens[i] for i in dated], phase[dated].astype(str))
    if not lengths:  # no documents
        lengths.append(document_lengths(ctx.corpus.assign(text=""), by=ctx.by, preprocessor=ctx.preprocessor))
    return TermPass(pd.concat(lengths, ignore_index=True), by_group, by_phase)
