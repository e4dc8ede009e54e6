"""One preprocessing pass over the corpus for the overview, top lemmas and keyness.

Each chunk's texts are preprocessed once, chunks in ``ctx.jobs`` processes; the pass keeps
each document's length and the term counts per group and per phase (before/after the
run's first event inside the corpus's dates, when there is one) — memory grows with the vocabulary, not with the corpus. The result is kept
in ``ctx.models`` for the other stages of the same run.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.scale.batch import map_chunks
from analysis.explore.describe import TermCounts, document_lengths
from analysis.progress import progress_bar
from analysis.report.events import Event, phase_of
from analysis.text.preprocessor import corpus_tokens


@dataclass
class TermPass:
    """``lengths``: one row per document (:func:`~analysis.explore.describe.document_lengths`);
    ``by_group`` and ``by_phase``: :class:`~analysis.explore.describe.TermCounts` by the report's
    grouping column and by phase (dated documents only; empty without an event to split at)."""

    lengths: pd.DataFrame
    by_group: TermCounts
    by_phase: TermCounts


def term_pass(ctx) -> TermPass:
    """The pass for this run (computed on first use)."""
    if "term_pass" not in ctx.models:
        ctx.models["term_pass"] = _count(ctx)
    return ctx.models["term_pass"]


def count_chunk(chunk: pd.DataFrame, *, by: str, preprocessor, split: Event | None = None) -> TermPass:
    """Lengths and term counts of one chunk (columns ``doc_id``, ``text``, ``published``, ``by``);
    counts by phase before/after ``split`` when given."""
    tokens = corpus_tokens(preprocessor, chunk)  # each document in its language (lang="auto")
    by_group, by_phase = TermCounts(by=by), TermCounts(by="phase")
    by_group.add(tokens, chunk[by].to_numpy())
    if split is not None:
        phase = phase_of(chunk["published"], split).to_numpy()
        dated = np.flatnonzero(pd.notna(phase))
        by_phase.add([tokens[i] for i in dated], phase[dated].astype(str))
    lengths = document_lengths(chunk, by=by, preprocessor=preprocessor, tokens=tokens)
    return TermPass(lengths, by_group, by_phase)


def _count(ctx) -> TermPass:
    """Count the chunks in ``ctx.jobs`` processes and add them up in corpus order."""
    by_group, by_phase, lengths = TermCounts(by=ctx.by), TermCounts(by="phase"), []
    chunks = progress_bar(ctx.chunks(), desc="counting terms", total=ctx.n_chunks(), unit="chunk")
    for part in map_chunks(count_chunk, chunks, n_jobs=ctx.jobs, by=ctx.by, preprocessor=ctx.preprocessor,
                           split=ctx.split_event):
        lengths.append(part.lengths)
        by_group.update(part.by_group)
        by_phase.update(part.by_phase)
    if not lengths:  # no documents
        lengths.append(document_lengths(ctx.corpus.assign(text=""), by=ctx.by, preprocessor=ctx.preprocessor))
    return TermPass(pd.concat(lengths, ignore_index=True), by_group, by_phase)
