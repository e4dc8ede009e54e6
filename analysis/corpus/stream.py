"""Corpora larger than memory, chunk by chunk: loaded, and read back from where they are kept.

:func:`iter_corpus` reads any source :func:`~analysis.corpus.load.load_corpus` reads (CSV/TSV,
JSON Lines, Parquet and DuckDB truly streamed; JSON arrays and DataFrames sliced) and
yields one :class:`~analysis.corpus.load.CorpusLoad` per chunk of input rows. Memory holds one
chunk plus, per document, 16 bytes for finding duplicate ids and 24 bytes and a reference to
its id for finding duplicate texts across chunks (a hash of each kept text, not the text).
:func:`~analysis.corpus.parquet_dataset.write_parquet_dataset` stores the stream as Parquet partitions
(a :class:`ParquetCorpus`).

>>> import pandas as pd
>>> frame = pd.DataFrame({"id": ["a", "b", "a", "c"],
...                       "text": ["Kiew meldet Angriffe.", "Gespräche in Genf.", "Doppelt.", "Waffenruhe?"]})
>>> chunks = list(iter_corpus(frame, chunksize=2, id_col="id", lang="de"))
>>> [chunk.corpus["doc_id"].tolist() for chunk in chunks]
[['a', 'b'], ['c']]
>>> chunks[1].rejected[["row", "doc_id", "reason", "detail"]].values.tolist()
[[2, 'a', 'duplicate doc_id', 'first at row 0']]
>>> collect(chunks).corpus["doc_id"].tolist()
['a', 'b', 'c']

:func:`corpus_chunks` is the one iterator over corpus frames that are already loaded or
stored (a DataFrame, a Parquet file or dataset, an iterable of frames): chunked scoring,
the streaming and Dask topic fits and the report read their chunks through it.

>>> [chunk["doc_id"].tolist() for chunk in corpus_chunks(collect(chunks).corpus, chunk_size=2)]
[['a', 'b'], ['c']]
"""

from __future__ import annotations

import inspect
import os
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.corpus.schema import require_columns
from analysis.corpus.load import CorpusBuilder, CorpusLoad, load_corpus, load_summary
from analysis.scale.memory import release_memory
from analysis.corpus.readers import count_input_rows, iter_source
from analysis.corpus.row_checks import PreparedTexts, prepared_texts
from analysis.scale.workers import map_in_order

_LOAD_OPTIONS = tuple(inspect.signature(load_corpus).parameters)[1:]
_READER_OPTIONS = ("csv_options", "query")


def iter_corpus(source, *, chunksize: int = 50_000, n_jobs: int = 1, **options) -> Iterator[CorpusLoad]:
    """Yield the corpus of ``source`` as :class:`CorpusLoad` chunks of at most ``chunksize`` input rows.

    ``options`` are :func:`~analysis.corpus.load.load_corpus`'s (``text_col``, ``id_col``,
    ``date_col``, ``query`` …). Each chunk carries its own ``rejected`` and ``problems``
    rows, numbered by position in the whole input; a duplicate id is found across
    chunks and names the row of its first occurrence, a duplicate text names the id of its first. ``collect(iter_corpus(s, **o))``
    equals ``load_corpus(s, **o)``. The source is checked now, rows are read as you
    iterate. Without an id column, ids are generated from row positions padded to the
    input's size, so CSV and JSON Lines files are then counted in a first, quick pass.
    ``n_jobs``: processes that clean the texts and hash them for the duplicate check, the work on a row
    that needs no other row (~half of loading a large archive); the chunks are the same for any ``n_jobs``.
    A worker is given :data:`WORKER_ROWS` texts at a time and gives its freed pages back after each:
    streaming the 1M-article benchmark archive (report run at `0d25e21`), the two workers held 0.75 GiB together.
    """
    unknown = set(options) - set(_LOAD_OPTIONS)
    if unknown:
        raise TypeError(f"unknown option(s) {sorted(unknown)}; iter_corpus takes load_corpus's: {list(_LOAD_OPTIONS)}.")
    reader_options = {name: options.pop(name) for name in _READER_OPTIONS if name in options}
    raw_chunks = iter_source(source, chunksize=chunksize, **reader_options)
    builder = CorpusBuilder(**options)

    def count_input() -> int:
        return count_input_rows(source, **reader_options)

    if n_jobs == 1:
        return (builder.build(raw, count_input=count_input) for raw in raw_chunks)
    return _built_in_parallel(builder, raw_chunks, count_input, n_jobs)


def _built_in_parallel(builder: CorpusBuilder, raw_chunks, count_input, n_jobs: int) -> Iterator[CorpusLoad]:
    """:meth:`CorpusBuilder.build` of each raw chunk, its texts prepared in ``n_jobs`` worker processes
    while this one builds the chunks before it (ids, duplicates and metadata need the chunks in order).
    A worker is given at most :data:`WORKER_ROWS` texts at a time: a task's texts are held there three times
    over (as sent, cleaned, folded for the hash)."""
    waiting: deque = deque()  # (raw chunk, number of pieces) whose texts are out in the workers, in order

    def pieces():
        for raw in raw_chunks:
            texts = builder.texts(raw)
            starts = range(0, len(texts), WORKER_ROWS) if len(texts) else [0]
            waiting.append((raw, len(starts)))
            yield from (texts.iloc[start:start + WORKER_ROWS] for start in starts)

    prepared = map_in_order(_prepared_in_worker, pieces(), n_jobs, **builder.preparing())
    while True:
        first = next(prepared, None)  # the pieces are drawn, so a chunk is waiting, once one came back
        if first is None:
            return
        raw, n_pieces = waiting.popleft()
        parts = [first, *(next(prepared) for _ in range(n_pieces - 1))]
        yield builder.build(raw, count_input=count_input, prepared=PreparedTexts.joined(parts))


WORKER_ROWS = 5_000


def _prepared_in_worker(texts: pd.Series, *args, **options) -> PreparedTexts:
    """:func:`prepared_texts` in a load worker, which then gives back the pages its earlier chunks freed:
    without it each worker kept ~0.8 GB resident after its first few chunks of a large archive."""
    prepared = prepared_texts(texts, *args, **options)
    release_memory(collect=False)
    return prepared


def collect(loads: Iterable[CorpusLoad]) -> CorpusLoad:
    """One :class:`CorpusLoad` from the chunks of one input (``outlet`` categories merged, sorted)."""
    loads = list(loads)
    if not loads:
        raise ValueError("collect() needs at least one CorpusLoad chunk.")
    corpora = [load.corpus for load in loads if len(load.corpus)] or [loads[0].corpus]
    corpus = pd.concat(corpora, ignore_index=True)
    if "outlet" in corpus:
        outlets = pd.api.types.union_categoricals([c["outlet"] for c in corpora], sort_categories=True)
        corpus["outlet"] = pd.Categorical(outlets)
    return CorpusLoad(corpus, stack_reports([load.rejected for load in loads]), stack_reports([load.problems for load in loads]),
                      loads[0].source, sum(load.n_input for load in loads),
                      next((load.columns for load in loads if load.columns), {}),
                      next((load.why for load in loads if load.why), []))


@dataclass
class ParquetCorpus:
    """A corpus stored by :func:`~analysis.corpus.parquet_dataset.write_parquet_dataset`: its partitions and its load report.

    ``partitions`` are the Parquet files (one row per document, the corpus-frame columns;
    strings read back as ``str``, ``outlet`` as category); ``rejected`` and ``problems``
    have the schema of :class:`CorpusLoad`'s.
    """

    path: Path
    partitions: list[Path]
    source: str
    n_input: int
    n_kept: int
    rejected: pd.DataFrame
    problems: pd.DataFrame
    columns: dict = field(default_factory=dict)

    def summary(self) -> pd.DataFrame:
        """One row per outcome: ``outcome`` (kept/rejected/kept with problem), ``reason``, ``n``."""
        return load_summary(self.n_kept, self.rejected, self.problems)

    def iter_partitions(self, *, columns: list[str] | None = None) -> Iterator[pd.DataFrame]:
        """The corpus one partition at a time (``columns`` to read only some): :func:`corpus_chunks`."""
        return corpus_chunks(self, columns=columns)

    def __str__(self) -> str:
        return (f"{self.source}: {self.n_input} input rows, {self.n_kept} kept, {len(self.rejected)} rejected, "
                f"{len(self.problems)} kept with problems; {len(self.partitions)} partitions in {self.path}")


def corpus_chunks(source, *, chunk_size: int | None = None,
                  columns: Sequence[str] | None = None) -> Iterator[pd.DataFrame]:
    """Corpus-frame chunks of ``source``, in corpus order.

    ``source`` is one of

    - a DataFrame: sliced into ``chunk_size`` rows (``None``: the whole frame, one chunk);
    - a Parquet file, a Parquet dataset folder (its data files, :func:`parquet_data_files`),
      a :class:`ParquetCorpus` or a ``pyarrow.dataset.Dataset``: one chunk per data file, or
      batches of at most ``chunk_size`` rows (a batch never spans two files or row groups);
    - any other iterable of corpus frames: passed through as it is (read once when it is
      a generator).

    ``columns`` selects columns (read only those from Parquet). The source and the columns
    are checked now; rows are read as you iterate. Nothing is validated beyond that: the
    step that reads the chunks checks the columns it needs
    (:func:`analysis.corpus.schema.require_columns`).

    >>> import pandas as pd, tempfile
    >>> frame = pd.DataFrame({"doc_id": ["a", "b", "c"], "text": ["Kiew.", "Genf.", "Riad."]})
    >>> [len(chunk) for chunk in corpus_chunks(frame, chunk_size=2)]
    [2, 1]
    >>> folder = Path(tempfile.mkdtemp())
    >>> frame.iloc[:2].to_parquet(folder / "part-0.parquet"); frame.iloc[2:].to_parquet(folder / "part-1.parquet")
    >>> [chunk.columns.tolist() + chunk["doc_id"].tolist() for chunk in corpus_chunks(folder, columns=["doc_id"])]
    [['doc_id', 'a', 'b'], ['doc_id', 'c']]
    """
    if chunk_size is not None and (not isinstance(chunk_size, int) or chunk_size < 1):
        raise ValueError(f"chunk_size must be a positive int or None, not {chunk_size!r}.")
    columns = None if columns is None else list(columns)
    if isinstance(source, pd.DataFrame):
        require_columns(source, *(columns or []), what="the corpus frame")
        return _frame_chunks(source, chunk_size, columns)
    dataset = _parquet_dataset(source)
    if dataset is not None:
        require_columns(dataset.schema.empty_table().to_pandas(), *(columns or []), what="the Parquet corpus")
        return _parquet_chunks(dataset, chunk_size, columns)
    if isinstance(source, Iterable):
        return iter(source) if columns is None else (chunk[columns] for chunk in source)
    raise TypeError(f"source must be a corpus DataFrame, a Parquet path or dataset, or an iterable of corpus "
                    f"frames, not {type(source).__name__}.")


def parquet_data_files(source) -> list[Path]:
    """The data files of a Parquet file or dataset folder, sorted by name.

    ``_load.json``, ``_rejected.parquet`` and other ``_``- or ``.``-prefixed files are
    metadata, as for pyarrow and Dask.
    """
    path = Path(source)
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise FileNotFoundError(f"no Parquet file or folder at '{path}'.")
    files = sorted(p for p in path.glob("*.parquet") if not p.name.startswith(("_", ".")))
    if not files:
        raise FileNotFoundError(f"no .parquet files in {path}; write the corpus with write_parquet_dataset first.")
    return files


def _frame_chunks(frame: pd.DataFrame, chunk_size: int | None, columns) -> Iterator[pd.DataFrame]:
    frame = frame if columns is None else frame[columns]
    size = chunk_size or max(len(frame), 1)
    return (frame.iloc[i:i + size] for i in range(0, len(frame), size))


def _parquet_dataset(source):
    """``source`` as a ``pyarrow.dataset.Dataset`` over its data files, or ``None`` if it is no Parquet source."""
    import pyarrow.dataset as ds

    if isinstance(source, ds.Dataset):
        return source
    if isinstance(source, ParquetCorpus):
        files = source.partitions
    elif isinstance(source, (str, os.PathLike)):
        files = parquet_data_files(source)
    else:
        return None
    return ds.dataset([str(f) for f in files], format="parquet")


def _parquet_chunks(dataset, chunk_size: int | None, columns) -> Iterator[pd.DataFrame]:
    if chunk_size is None:
        for fragment in dataset.get_fragments():
            yield fragment.to_table(columns=columns).to_pandas()  # each file as written, like pd.read_parquet
        return
    for batch in dataset.to_batches(batch_size=chunk_size, columns=columns):
        if batch.num_rows:
            yield batch.to_pandas()


def stack_reports(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate report frames, skipping empty ones (their object dtypes would win)."""
    filled = [f for f in frames if len(f)] or frames[:1]
    return pd.concat(filled, ignore_index=True)
