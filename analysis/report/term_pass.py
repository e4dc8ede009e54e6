"""One preprocessing pass over the corpus for the overview, top lemmas and keyness.

Each chunk's texts are preprocessed once, chunks in ``ctx.jobs`` processes; the pass keeps
each document's length and the term counts per group and per phase (before/after the
run's first event inside the corpus's dates, when there is one) — memory grows with the vocabulary, not with the corpus. The result is kept
in ``ctx.models`` for the other stages of the same run.

On a large corpus the texts are preprocessed in the report's one pass over the partitions
(:meth:`ReportContext.corpus_pass <analysis.report.context.ReportContext.corpus_pass>`), beside
the measures, so each distinct word is lemmatised once per worker for all of them:
:func:`document_terms` keeps each document's lengths and terms, and the counts are added up
from those parts (the topic model counts the same terms, :func:`partition_counts`).

>>> chunk = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["taz", "taz"], "text": ["Soldaten im Krieg.", "42"]})
>>> from analysis.text import Preprocessor
>>> terms = document_terms(chunk, by="outlet", preprocessor=Preprocessor(lang="de"))
>>> terms.drop(columns="terms").values.tolist(), split_terms(terms["terms"])
([['a', 'taz', 18, 3, 2], ['b', 'taz', 2, 0, 0]], [['soldat', 'krieg'], []])
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from analysis.scale.batch import map_chunks
from analysis.scale.workers import stop_workers
from analysis.explore.describe import document_lengths
from analysis.explore.term_counts import TermCounts, count_tokens, token_matrix
from analysis.progress import progress_bar
from analysis.report.events import Event, phase_of
from analysis.text.analysis import analyze
from analysis.text.language import document_langs
from analysis.text.preprocessor import corpus_tokens
from analysis.topics.fit import STREAMING_MIN_DOCS
from analysis.topics.streaming import save_counts, saved_counts, stack_counts


@dataclass
class TermPass:
    """``lengths``: one row per document (:func:`~analysis.explore.describe.document_lengths`);
    ``by_group`` and ``by_phase``: :class:`~analysis.explore.term_counts.TermCounts` by the report's
    grouping column and by phase (dated documents only; empty without an event to split at)."""

    lengths: pd.DataFrame
    by_group: TermCounts
    by_phase: TermCounts
    terms: list | None = None  # an in-memory corpus's tokens per document, joined by TERM_SEPARATOR (for topics)


def term_pass(ctx) -> TermPass:
    """The pass for this run (computed on first use)."""
    if "term_pass" not in ctx.models:
        ctx.models["term_pass"] = _count(ctx)
    return ctx.models["term_pass"]


def count_chunk(chunk: pd.DataFrame, *, by: str, preprocessor, split: Event | None = None,
                keep_terms: bool = False) -> TermPass:
    """Lengths and term counts of one chunk (columns ``doc_id``, ``text``, ``published``, ``by``);
    counts by phase before/after ``split`` when given; each document's tokens too with ``keep_terms``."""
    tokens = corpus_tokens(preprocessor, chunk)  # each document in its language (lang="auto")
    by_group, by_phase = TermCounts(by=by), TermCounts(by="phase")
    _add(by_group, by_phase, count_tokens(tokens), chunk[by], chunk["published"], split)
    lengths = document_lengths(chunk, by=by, preprocessor=preprocessor, tokens=tokens)
    return TermPass(lengths, by_group, by_phase, [TERM_SEPARATOR.join(doc) for doc in tokens] if keep_terms else None)


def _add(by_group: TermCounts, by_phase: TermCounts, counted: tuple, groups: pd.Series, published: pd.Series,
         split: Event | None) -> None:
    """Add one chunk's :func:`~analysis.explore.term_counts.count_tokens` pair by group and, when there is an
    event to ``split`` at, by phase."""
    terms, counts = counted
    by_group.add_counts(terms, counts, groups.to_numpy())
    if split is not None:
        phase = phase_of(published, split).to_numpy()
        dated = np.flatnonzero(pd.notna(phase))
        by_phase.add_counts(terms, counts[dated], phase[dated].astype(str))


TERM_SEPARATOR = "\x1f"  # whitespace to str.split, so never inside a term (terms come from whitespace-free chunks)


def document_terms(chunk: pd.DataFrame, *, by: str, preprocessor) -> pd.DataFrame:
    """One chunk's :func:`~analysis.explore.describe.document_lengths` (columns ``doc_id``, ``by``,
    ``n_chars``, ``n_words``, ``n_terms``) plus ``terms``: each document's tokens joined by
    :data:`TERM_SEPARATOR` (:func:`split_terms` reads them back); a step of the large corpus's pass."""
    tokens = corpus_tokens(preprocessor, chunk, progress=False)
    # words counted by each document's analysis, which the pass's measures made just before (a
    # cache hit: the same text, language and lemmatiser), not by tokenising the text again
    n_words = [analyze(text, lang=lang).n_words for text, lang in zip(chunk["text"], document_langs(chunk))]
    lengths = document_lengths(chunk, by=by, preprocessor=preprocessor, tokens=tokens, n_words=n_words)
    return lengths.assign(terms=[TERM_SEPARATOR.join(doc) for doc in tokens])


def split_terms(terms) -> list[list[str]]:
    """The token lists of :func:`document_terms`' ``terms`` column."""
    return [joined.split(TERM_SEPARATOR) if joined else [] for joined in terms]


def count_joined(terms) -> tuple:
    """``count_tokens(split_terms(terms))`` (:func:`~analysis.explore.term_counts.count_tokens`),
    split and counted in Arrow: no Python string per token (a 5,000-article part holds ~750,000).

    >>> terms, counts = count_joined(["krieg\x1fsoldat\x1fkrieg", "", "frieden"])
    >>> terms.tolist(), counts.toarray().tolist()
    (['krieg', 'soldat', 'frieden'], [[2, 1, 0], [0, 0, 0], [0, 0, 1]])
    """
    joined = terms.combine_chunks() if isinstance(terms, pa.ChunkedArray) else pa.array(terms, type=pa.large_string())
    lists = pc.split_pattern(joined, TERM_SEPARATOR)
    lengths, flat = pc.list_value_length(lists).to_numpy(zero_copy_only=False), lists.flatten()
    empty = pc.equal(joined, "").to_numpy(zero_copy_only=False)
    if empty.any():  # a document without terms is "", which splits into one empty term
        kept = np.ones(len(flat), dtype=bool)
        kept[lists.offsets.to_numpy()[:-1][empty]] = False
        flat, lengths = flat.filter(pa.array(kept)), np.where(empty, 0, lengths)
    encoded = pc.dictionary_encode(flat)
    vocabulary = np.asarray(encoded.dictionary.to_numpy(zero_copy_only=False), dtype=object)
    return vocabulary, token_matrix(encoded.indices.to_numpy().astype(np.intp), lengths, len(vocabulary))


def corpus_terms(ctx) -> list[list[str]]:
    """An in-memory corpus's token lists (the report preprocessor's), in corpus order: read from the
    term pass, so the topic model does not preprocess the corpus a second time."""
    terms = term_pass(ctx).terms
    return split_terms(terms) if terms is not None else corpus_tokens(ctx.preprocessor, ctx.corpus, n_jobs=ctx.jobs)


def partition_counts(ctx) -> Iterator[tuple]:
    """A large corpus's term counts (:func:`~analysis.explore.term_counts.count_tokens` pairs), one per
    Parquet partition in the order of ``ctx.metadata_chunks()``: the corpus pass's terms, part by part
    as the term pass saved their counts (or counted again in ``ctx.n_jobs`` processes, when they are
    not all there), stacked per partition; no partition's token lists are ever held whole."""
    paths = ctx.corpus_pass()["terms"].parts
    counted = saved_counts(term_counts_folder(ctx), len(paths)) or iter(map_chunks(count_part, paths,
                                                                                n_jobs=ctx.n_jobs))
    for n_parts in ctx.chunks_per_partition():
        yield stack_counts([next(counted) for _ in range(n_parts)])


def corpus_document_frequencies(ctx) -> pd.Series:
    """How many documents of the corpus contain each term (index: term), from the term pass's
    counts per group (each document is in one group): what :func:`partition_counts` add up to."""
    return term_pass(ctx).by_group.document_frequencies()


def term_counts_folder(ctx) -> Path:
    """``work/term_counts-<key>``: the counts of the corpus pass's terms, one per part (the term pass
    writes them, the topic model reads them), for this code, corpus and preprocessor."""
    return ctx.work_folder("term_counts", {"by": ctx.by, "preprocessor": ctx.preprocessor})


def count_part(path) -> tuple:
    """The :func:`~analysis.explore.term_counts.count_tokens` pair of one part of the pass's terms."""
    return count_joined(pq.read_table(path, columns=["terms"]).column("terms"))


def terms_at(ctx, positions) -> list[list[str]]:
    """The token lists of a large corpus's documents at these row positions of ``ctx.corpus`` (sorted,
    unique), read from the corpus pass's parts that hold them (only their ``terms`` column)."""
    positions, tokens = np.sort(np.asarray(positions, dtype=np.int64)), []
    for _, path, offset, n_rows in _part_rows(ctx.corpus_pass()["terms"].parts):
        local = positions[(positions >= offset) & (positions < offset + n_rows)] - offset
        if len(local):
            tokens += split_terms(pq.read_table(path, columns=["terms"]).column("terms").take(local).to_pylist())
    return tokens


def _count(ctx) -> TermPass:
    """Count the chunks in ``ctx.jobs`` processes and add them up in corpus order."""
    if ctx.large:
        return _count_large(ctx)
    by_group, by_phase, lengths, terms = TermCounts(by=ctx.by), TermCounts(by="phase"), [], []
    keep_terms = len(ctx.corpus) < STREAMING_MIN_DOCS  # the topic model fits in memory on them
    chunks = progress_bar(ctx.chunks(), desc="counting terms", total=ctx.n_chunks(), unit="chunk")
    for part in map_chunks(count_chunk, chunks, n_jobs=ctx.jobs, by=ctx.by, preprocessor=ctx.preprocessor,
                           split=ctx.split_event, keep_terms=keep_terms):
        lengths.append(part.lengths)
        by_group.update(part.by_group)
        by_phase.update(part.by_phase)
        terms += part.terms or []
    if not lengths:  # no documents
        lengths.append(document_lengths(ctx.corpus.assign(text=""), by=ctx.by, preprocessor=ctx.preprocessor))
    return TermPass(pd.concat(lengths, ignore_index=True), by_group.compact(), by_phase.compact(),
                    terms if keep_terms else None)


PARTS_PER_TASK = 8  # parts of the pass a worker counts and adds up before this process merges them


def _count_large(ctx) -> TermPass:
    """Add up the terms of the large corpus's pass: the parts counted in ``ctx.n_jobs`` processes,
    :data:`PARTS_PER_TASK` at a time and added up there (:func:`count_terms_parts`), so this process
    merges a few large counts instead of one per part (it maps each count's terms into the whole
    vocabulary: the step that kept the workers waiting); the counts merged in corpus order."""
    paths, folder = ctx.corpus_pass()["terms"].parts, term_counts_folder(ctx)
    folder.mkdir(parents=True, exist_ok=True)
    published = ctx.corpus["published"]
    dated = [(i, path, published.iloc[offset:offset + n_rows]) for i, path, offset, n_rows in _part_rows(paths)]
    tasks = [dated[start:start + PARTS_PER_TASK] for start in range(0, len(dated), PARTS_PER_TASK)]
    bar = progress_bar(None, desc="counting terms", total=len(paths), unit="part")

    def counted_tasks():
        for counted in map_chunks(count_terms_parts, tasks, n_jobs=ctx.n_jobs, by=ctx.by, split=ctx.split_event,
                                  folder=folder):
            yield counted
            bar.update(counted.n_parts)

    lengths, by_group, by_phase = _added_up(counted_tasks(), by=ctx.by)
    bar.close()
    if ctx.n_jobs != 1:
        stop_workers()  # idle now (~0.4 GB each): gone before the counts are merged and sorted, the peak of this step
    return TermPass(lengths, by_group.compact(), by_phase.compact())


@dataclass
class _Counted:
    lengths: pd.DataFrame
    by_group: TermCounts
    by_phase: TermCounts
    n_parts: int


def count_terms_parts(dated_parts: list[tuple], *, by: str, split: Event | None, folder: Path) -> _Counted:
    """:func:`count_terms_part` of consecutive parts, added up in order: the same counts as merging
    them part by part (``tests/report/test_term_counts_grouped.py``)."""
    parts = (count_terms_part(dated_part, by=by, split=split, folder=folder) for dated_part in dated_parts)
    return _Counted(*_added_up(parts, by=by), len(dated_parts))


def _added_up(parts, *, by: str) -> tuple[pd.DataFrame, TermCounts, TermCounts]:
    """The lengths and the term counts by group and by phase of ``parts`` (each with ``lengths``,
    ``by_group``, ``by_phase``), added up in order."""
    lengths, by_group, by_phase = [], TermCounts(by=by), TermCounts(by="phase")
    for part in parts:
        lengths.append(part.lengths)
        by_group.update(part.by_group)
        by_phase.update(part.by_phase)
    return pd.concat(lengths, ignore_index=True), by_group, by_phase


def count_terms_part(dated_part: tuple, *, by: str, split: Event | None, folder: Path) -> TermPass:
    """Lengths and term counts (by group and phase) of one part of the corpus pass's terms:
    ``dated_part`` is its number, path and its documents' ``published`` dates. Its
    :func:`~analysis.explore.term_counts.count_tokens` pair is saved in ``folder`` for the topic model."""
    i, path, published = dated_part
    part = pd.read_parquet(path, columns=[c for c in pq.read_schema(path).names if c != "terms"])
    counted = count_joined(pq.read_table(path, columns=["terms"]).column("terms"))
    save_counts(folder, i, *counted)
    by_group, by_phase = TermCounts(by=by), TermCounts(by="phase")
    _add(by_group, by_phase, counted, part[by], published, split)
    return TermPass(part, by_group, by_phase)


def _part_rows(paths) -> Iterator[tuple[int, object, int, int]]:
    """``(number, path, first row, rows)`` of each part of the pass (the parts follow the corpus's order;
    the row counts from the files' footers)."""
    offset = 0
    for i, path in enumerate(paths):
        n_rows = pq.read_metadata(path).num_rows
        yield i, path, offset, n_rows
        offset += n_rows
