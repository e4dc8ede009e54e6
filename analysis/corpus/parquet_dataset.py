"""A corpus kept on disk as Parquet partitions, with its load report: written once, opened again.

:func:`write_parquet_dataset` streams any source :func:`~analysis.corpus.stream.iter_corpus` reads
into partitions that the report, streaming topic models and Dask
(``dask.dataframe.read_parquet(path)``) read partition by partition
(:func:`~analysis.corpus.stream.corpus_chunks`); :func:`open_parquet_dataset` opens one again.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd

from analysis.corpus.stream import ParquetCorpus, iter_corpus, stack_reports
from analysis.progress import progress_bar
from analysis.scale.memory import release_memory

PARTITION = "part-{:05d}.parquet"
# Rows per Parquet row group of a partition: a reader that wants a few documents decompresses the texts of
# their row groups only (analysis.report.corpus_access.read_documents), not of the whole partition.
ROW_GROUP_ROWS = 500
REPORT_FILE = "_load.json"
_REPORT_TABLES = ("_rejected.parquet", "_problems.parquet")


def write_parquet_dataset(source, path, *, chunksize: int = 50_000, overwrite: bool = False,
                          progress: bool | None = None, n_jobs: int = 1, **options) -> ParquetCorpus:
    """Stream ``source`` into ``path/part-00000.parquet`` … (≤ ``chunksize`` input rows each, in row
    groups of :data:`ROW_GROUP_ROWS`).

    ``options`` as for :func:`~analysis.corpus.load.load_corpus`; ``n_jobs`` as for :func:`iter_corpus`.
    The load report is written beside the partitions (``_load.json``, ``_rejected.parquet``,
    ``_problems.parquet``, ignored by Parquet readers) last, so an interrupted run is recognisable. A column
    whose type differs between chunks (JSON Lines) is unified at the end (nulls where a
    chunk lacks it, ints widened to floats, otherwise text).

    >>> import pandas as pd, tempfile
    >>> frame = pd.DataFrame({"text": ["Angriff auf Kursk.", "", "Verhandlungen in Riad."]})
    >>> stored = write_parquet_dataset(frame, tempfile.mkdtemp(), chunksize=2, progress=False)
    >>> [p.name for p in stored.partitions], stored.n_kept, stored.rejected["reason"].tolist()
    (['part-00000.parquet', 'part-00001.parquet'], 2, ['empty text'])
    >>> [len(part) for part in open_parquet_dataset(stored.path).iter_partitions(columns=["doc_id"])]
    [1, 1]
    """
    import pyarrow.parquet as pq

    folder = _prepare_folder(Path(path), overwrite)
    chunks = iter_corpus(source, chunksize=chunksize, n_jobs=n_jobs, **options)
    partitions, rejected, problems, n_input, n_kept, first = [], [], [], 0, 0, None
    bar = progress_bar(None, desc="writing Parquet dataset", unit="row", enabled=progress)
    for number, load in enumerate(chunks):
        first = first or (load.source, load.columns)  # not the chunk itself: it would stay in memory
        partition = folder / PARTITION.format(number)
        pq.write_table(_to_arrow(load.corpus), partition, row_group_size=ROW_GROUP_ROWS)
        partitions.append(partition)
        rejected.append(load.rejected)
        problems.append(load.problems)
        n_input += load.n_input
        n_kept += len(load.corpus)
        bar.update(load.n_input)
        del load
        release_memory()  # else freed chunks stay resident: ~1.5 GB after a million articles
    bar.close()
    _unify_partitions(partitions)
    stored = ParquetCorpus(folder, partitions, first[0], n_input, n_kept, stack_reports(rejected), stack_reports(problems),
                           first[1])
    _write_report(stored)
    return stored


def open_parquet_dataset(path) -> ParquetCorpus:
    """Open a dataset written by :func:`write_parquet_dataset`, with its load report."""
    folder = Path(path)
    if not (folder / REPORT_FILE).is_file():
        state = "is incomplete (interrupted?)" if any(folder.glob("part-*.parquet")) else "is not a corpus dataset"
        raise FileNotFoundError(f"'{folder}' {state}: no {REPORT_FILE}. Write it with "
                                "write_parquet_dataset(source, path, overwrite=True).")
    report = json.loads((folder / REPORT_FILE).read_text(encoding="utf-8"))
    rejected, problems = (pd.read_parquet(folder / name) for name in _REPORT_TABLES)
    return ParquetCorpus(folder, [folder / name for name in report["partitions"]], report["source"],
                         report["n_input"], report["n_kept"], rejected, problems, report["columns"])


def _prepare_folder(folder: Path, overwrite: bool) -> Path:
    ours = [*folder.glob("part-*.parquet"), *(folder / n for n in (REPORT_FILE, *_REPORT_TABLES))]
    ours = [p for p in ours if p.exists()]
    if folder.exists() and any(folder.iterdir()):
        others = set(folder.iterdir()) - set(ours)
        if others or not overwrite:
            raise FileExistsError(
                f"'{folder}' is not empty" + (f" (it holds {sorted(p.name for p in others)[:3]} …)" if others else "")
                + (". Choose an empty folder." if others else ". Pass overwrite=True to replace the dataset."))
        for stale in ours:
            stale.unlink()
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _to_arrow(frame: pd.DataFrame):
    """Arrow table without pandas metadata; object columns of mixed types are stored as text."""
    import pyarrow as pa

    columns = {}
    for name in frame.columns:
        try:
            columns[str(name)] = pa.array(frame[name], from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            columns[str(name)] = pa.array(frame[name].map(lambda v: None if _missing(v) else str(v)),
                                          type=pa.large_string())
    return pa.table(columns)


def _missing(value) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _unify_partitions(partitions: list[Path]) -> None:
    """Rewrite the partitions whose schema differs from the union of all schemas."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schemas = [pq.read_schema(p) for p in partitions]
    target = _union_schema(schemas)
    for partition, schema in zip(partitions, schemas):
        if schema.equals(target):
            continue
        table = pq.read_table(partition)
        arrays = [table[f.name].cast(f.type) if f.name in table.column_names else pa.nulls(len(table), f.type)
                  for f in target]
        temporary = partition.with_suffix(".tmp")
        pq.write_table(pa.Table.from_arrays(arrays, schema=target), temporary, row_group_size=ROW_GROUP_ROWS)
        os.replace(temporary, partition)


def _union_schema(schemas):
    import pyarrow as pa

    try:
        return pa.unify_schemas(schemas, promote_options="permissive")
    except (pa.ArrowInvalid, pa.ArrowTypeError, NotImplementedError):
        fields = {}
        for schema in schemas:
            for f in schema:
                known = fields.get(f.name)
                fields[f.name] = f if known is None or known.type == f.type else pa.field(f.name, pa.large_string())
        return pa.schema(list(fields.values()))


def _write_report(stored: ParquetCorpus) -> None:
    import pyarrow.parquet as pq

    for frame, name in zip((stored.rejected, stored.problems), _REPORT_TABLES):
        pq.write_table(_to_arrow(frame), stored.path / name)
    report = {"source": stored.source, "n_input": stored.n_input, "n_kept": stored.n_kept,
              "columns": {k: str(v) for k, v in stored.columns.items()},
              "partitions": [p.name for p in stored.partitions]}
    (stored.path / REPORT_FILE).write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
