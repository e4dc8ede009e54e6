"""The report's corpus when it is larger than memory: Parquet partitions plus metadata.

Above :data:`LARGE_BYTES` of input (or :data:`LARGE_DOCS` rows of a DataFrame or DuckDB
source), or when asked with ``large=True``, the report streams the input once into a
Parquet dataset under ``<out>/.corpus/`` (:func:`~analysis.corpus.parquet_dataset.write_parquet_dataset`,
:data:`PARTITION_ROWS` input rows per partition) and keeps only the metadata — every
column but ``text`` — in memory. Stages read the texts partition by partition, or those
of the few documents they show. A rerun on the same input with the same columns reuses
the dataset (keyed by the input's SHA-256 and the load options). The input is hashed once
(:func:`content_sha256`); the report passes that hash on to the run manifest.

>>> import pandas as pd, tempfile
>>> frame = pd.DataFrame({"id": ["a", "b", "c"], "text": ["Kyjiw meldet Angriffe.", "Gespräche in Genf.", "Waffenruhe?"]})
>>> stored = load_large(frame, {"id_col": "id", "lang": "de"}, tempfile.mkdtemp(), rows=2, progress=False)
>>> list(metadata(stored).columns)
['doc_id', 'outlet', 'published', 'lang']
>>> read_documents(stored, ["c", "a"])["text"].tolist()
['Kyjiw meldet Angriffe.', 'Waffenruhe?']
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.corpus.duckdb_source import DUCKDB_PREFIX, count_duckdb
from analysis.corpus.load import LoadOptions
from analysis.reproducibility.hashing import frame_sha256, params_sha256
from analysis.reproducibility.manifest import source_content_sha256
from analysis.corpus.parquet_dataset import REPORT_FILE, open_parquet_dataset, write_parquet_dataset
from analysis.corpus.stream import ParquetCorpus
from analysis.scale.workers import stop_workers

LARGE_BYTES = 256 * 2**20  # ~100,000 news articles of CSV or JSON Lines
LARGE_DOCS = 100_000
PARTITION_ROWS = 20_000
_KEY_FILE = "_report_input.json"


def is_large(source) -> bool:
    """Whether ``source`` is big enough for the report to stream it instead of loading it whole."""
    if isinstance(source, pd.DataFrame):
        return len(source) > LARGE_DOCS
    if isinstance(source, str) and source.startswith(DUCKDB_PREFIX):
        return count_duckdb(source) > LARGE_DOCS
    path = Path(source) if isinstance(source, (str, Path)) else None
    return bool(path and path.is_file() and path.stat().st_size > LARGE_BYTES)


def content_sha256(source) -> str:
    """SHA-256 of the input's content: a frame's cells, or the bytes of a file, a folder's files
    or a DuckDB database (the hash the run manifest records, so it is computed once and passed on)."""
    if isinstance(source, pd.DataFrame):
        return frame_sha256(source)
    return source_content_sha256(source) or str(source)


def input_key(source, options: LoadOptions | dict, *, content: str | None = None) -> str:
    """SHA-256 of the input's content (``content`` if already computed, see :func:`content_sha256`)
    and the load options (a :class:`~analysis.corpus.load.LoadOptions` or ``load_corpus``'s keywords)."""
    options = options if isinstance(options, LoadOptions) else LoadOptions.from_keywords(**options)
    return params_sha256({"content": content or content_sha256(source),
                          "source": "frame" if isinstance(source, pd.DataFrame) else str(source),
                          "options": {k: str(v) for k, v in sorted(options.as_keywords().items())}})


def load_large(source, options: LoadOptions | dict, folder, *, rows: int | None = None,
               progress: bool | None = None, content: str | None = None, n_jobs: int = 1) -> ParquetCorpus:
    """``source`` as a Parquet dataset in ``folder`` (``rows`` input rows per partition, default
    :data:`PARTITION_ROWS`): written now, or reused when the input, ``options`` (a
    :class:`~analysis.corpus.load.LoadOptions` or ``load_corpus``'s keywords) and ``rows`` are those it
    was written from. ``content``: the input's :func:`content_sha256`, when the caller has it. ``n_jobs``:
    processes that clean the texts (:func:`~analysis.corpus.stream.iter_corpus`; the same dataset for any),
    ended with the load: the report's pass starts its own, without the load's freed pages."""
    folder = Path(folder)
    rows = rows or PARTITION_ROWS
    options = options if isinstance(options, LoadOptions) else LoadOptions.from_keywords(**options)
    key = params_sha256({"input": input_key(source, options, content=content), "rows": rows})
    marker = folder / _KEY_FILE
    if (folder / REPORT_FILE).is_file() and marker.is_file() and json.loads(marker.read_text())["key"] == key:
        return open_parquet_dataset(folder)
    marker.unlink(missing_ok=True)
    stored = write_parquet_dataset(source, folder, chunksize=rows, overwrite=True, progress=progress,
                                   n_jobs=n_jobs, **options.as_keywords())
    if n_jobs != 1:
        stop_workers()
    marker.write_text(json.dumps({"key": key}), encoding="utf-8")
    return stored


def dataset_key(stored: ParquetCorpus) -> str:
    """The key :func:`load_large` wrote for this dataset (its input's content hash)."""
    return json.loads((stored.path / _KEY_FILE).read_text(encoding="utf-8"))["key"]


def metadata(stored: ParquetCorpus) -> pd.DataFrame:
    """Every column but ``text``, all partitions in order (outlet categories merged)."""
    import pyarrow.parquet as pq

    names = [n for n in pq.read_schema(stored.partitions[0]).names if n != "text"] if stored.partitions else []
    frames = list(stored.iter_partitions(columns=names))
    if not frames:
        return pd.DataFrame(columns=names)
    meta = pd.concat(frames, ignore_index=True)
    if "outlet" in meta and all(isinstance(f["outlet"].dtype, pd.CategoricalDtype) for f in frames):
        meta["outlet"] = pd.Categorical(pd.api.types.union_categoricals([f["outlet"] for f in frames],
                                                                        sort_categories=True))
    return meta


def read_documents(stored: ParquetCorpus, doc_ids) -> pd.DataFrame:
    """``doc_id`` and ``text`` of the given documents, in corpus order.

    Each partition's ids are read first (a few MB for a million documents); texts are read only
    from the row groups that hold a wanted document (the report writes partitions in row groups of
    :data:`~analysis.corpus.parquet_dataset.ROW_GROUP_ROWS`), so showing twenty documents of a million does
    not decompress a million texts.
    """
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    wanted = pd.Index(pd.unique(pd.Series(list(doc_ids), dtype=object)))
    found = []
    for partition in stored.partitions:
        source = pq.ParquetFile(partition)
        ids = source.read(columns=["doc_id"])["doc_id"]
        value_set = _arrow_values(wanted, ids.type)
        rows = np.flatnonzero(np.asarray(pc.is_in(ids, value_set=value_set)))
        if len(rows):
            ends = np.cumsum([source.metadata.row_group(g).num_rows for g in range(source.num_row_groups)])
            table = source.read_row_groups(np.unique(np.searchsorted(ends, rows, side="right")).tolist(),
                                           columns=["doc_id", "text"])
            found.append(table.filter(pc.is_in(table["doc_id"], value_set=value_set)).to_pandas())
    if not found and stored.partitions:  # none: an empty table, its columns typed as the partitions'
        found.append(pq.read_schema(stored.partitions[0]).empty_table().select(["doc_id", "text"]).to_pandas())
    return pd.concat(found, ignore_index=True) if found else pd.DataFrame(columns=["doc_id", "text"])


def _arrow_values(values: pd.Index, id_type):
    import pyarrow as pa

    return pa.array(values.astype(str).tolist(), type=id_type)
