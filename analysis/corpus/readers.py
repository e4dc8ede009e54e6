"""Turn a corpus source (file, folder, DataFrame, DuckDB) into raw tables of input rows.

Each reader yields :class:`RawTable` chunks: the records it could parse, indexed by their
position in the *whole* input, and the rows it could not parse with a reason. Nothing
else is decided here: column mapping and validation live in :mod:`analysis.corpus.load`.
:func:`iter_source` reads CSV/TSV, JSON Lines, Parquet, DuckDB and folders of ``.txt``
files chunk by chunk with bounded memory (JSON arrays and Excel workbooks whole);
:func:`read_source` is the same reader with
the whole input as one chunk, so both agree by construction.

>>> import pandas as pd
>>> chunks = list(iter_source(pd.DataFrame({"text": ["a", "b", "c"]}), chunksize=2))
>>> [(chunk.records.index.tolist(), chunk.n_input) for chunk in chunks]
[([0, 1], 2), ([2], 1)]
"""

from __future__ import annotations

import itertools
import json
import warnings
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from analysis.corpus.duckdb_source import DUCKDB_PREFIX, count_duckdb, open_duckdb
from analysis.corpus.delimited import iter_delimited, scan_delimited
from analysis.corpus.encodings import decode_bytes, detect_encoding, open_text
from analysis.corpus.raw import RawTable, batches
from analysis.corpus.records import excerpt
from analysis.errors import CorpusReadError

TEXT_SUFFIXES = (".txt",)
CSV_SUFFIXES = {".csv": None, ".tsv": "\t", ".tab": "\t"}
JSON_SUFFIXES = (".json",)
JSONL_SUFFIXES = (".jsonl", ".ndjson")
PARQUET_SUFFIXES = (".parquet", ".pq")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
SUPPORTED = (*CSV_SUFFIXES, *JSON_SUFFIXES, *JSONL_SUFFIXES, *PARQUET_SUFFIXES, *EXCEL_SUFFIXES, *TEXT_SUFFIXES)
EXCEL_CELL_LIMIT = 32_767  # characters Excel keeps in one cell; it cuts longer texts when it saves
_CSV_OPTIONS = {"delimiter", "quotechar", "header", "encoding"}

def read_source(source, *, csv_options: dict | None = None, query: str | None = None) -> RawTable:
    """Read all of ``source`` as one :class:`RawTable` (see :func:`iter_source`)."""
    return next(iter_source(source, chunksize=None, csv_options=csv_options, query=query))


def iter_source(source, *, chunksize: int | None = 50_000, csv_options: dict | None = None,
                query: str | None = None) -> Iterator[RawTable]:
    """Yield ``source`` in :class:`RawTable` chunks of at most ``chunksize`` input rows.

    ``chunksize=None`` yields the whole input as one chunk. At least one (possibly empty)
    chunk is always yielded. The source is checked now; rows are read lazily. JSON
    arrays, single ``.txt`` files and DataFrames are read whole and then sliced.
    """
    if chunksize is not None and (not isinstance(chunksize, int) or chunksize < 1):
        raise ValueError(f"chunksize must be a positive int or None, not {chunksize!r}.")
    kind, target = _classify(source, csv_options, query)
    if kind == "duckdb":
        record_batches, schema, label = open_duckdb(target, query=query, batch_size=chunksize)
        return _arrow_chunks(record_batches, schema, chunksize, label)
    if kind == "frame":
        return _slices(RawTable(target.reset_index(drop=True).copy(), len(target), "DataFrame"), chunksize)
    if kind == "folder":
        return _iter_text_folder(target, chunksize)
    if kind == "csv":
        return iter_delimited(target, chunksize=chunksize, **_csv_options_for(target, csv_options))
    if kind == "jsonl":
        return _iter_jsonl(target, chunksize=chunksize)
    if kind == "parquet":
        return _iter_parquet(target, chunksize=chunksize)
    readers = {"json": read_json, "excel": read_excel, "txt": read_text_file}
    return _slices(readers[kind](target), chunksize)


def count_input_rows(source, *, csv_options: dict | None = None, query: str | None = None) -> int:
    """How many input rows ``source`` has (the sum of its chunks' ``n_input``), read cheaply.

    >>> count_input_rows(pd.DataFrame({"text": ["Kiew", "Charkiw", ""]}))
    3
    """
    kind, target = _classify(source, csv_options, query)
    if kind == "duckdb":
        return count_duckdb(target, query=query)
    if kind == "csv":
        options = _csv_options_for(target, csv_options)
        return scan_delimited(target, **options)[0] - bool(options.get("header", True))
    if kind == "jsonl":
        return sum(1 for _ in _jsonl_lines(target, detect_encoding(target)))
    if kind == "parquet":
        import pyarrow.parquet as pq
        return pq.ParquetFile(target).metadata.num_rows
    return sum(chunk.n_input for chunk in iter_source(source, chunksize=None, csv_options=csv_options))


def source_columns(source, *, csv_options: dict | None = None, query: str | None = None) -> list:
    """Column names of ``source``, read from its first rows only (for guessing the column mapping).

    >>> source_columns(pd.DataFrame({"Titel": ["Lage in Kursk"], "Inhalt": ["Nordkoreanische Soldaten …"]}))
    ['Titel', 'Inhalt']
    """
    return list(source_sample(source, csv_options=csv_options, query=query).columns)


def source_sample(source, *, csv_options: dict | None = None, query: str | None = None) -> pd.DataFrame:
    """The first 1,000 input rows of ``source`` as parsed records (for guessing columns by content)."""
    return next(iter_source(source, chunksize=1000, csv_options=csv_options, query=query)).records


def _csv_options_for(path: Path, csv_options: dict | None) -> dict:
    """The CSV reader options for ``path``: its suffix's delimiter overridden by ``csv_options``."""
    options = {"delimiter": CSV_SUFFIXES.get(path.suffix.lower()), **(csv_options or {})}
    unknown = set(options) - _CSV_OPTIONS
    if unknown:
        raise TypeError(f"unknown csv_options {sorted(unknown)}; allowed: {sorted(_CSV_OPTIONS)}.")
    return options


def _classify(source, csv_options, query) -> tuple[str, object]:
    """Check ``source`` and name its kind: duckdb, frame, folder, csv, json, jsonl, parquet, excel, txt."""
    if isinstance(source, str) and source.startswith(DUCKDB_PREFIX):
        return "duckdb", source
    if query is not None:
        raise ValueError(f"query= applies to DuckDB sources only ('{DUCKDB_PREFIX}path/to.db'), "
                         f"not to {source!r}.")
    if isinstance(source, pd.DataFrame):
        return "frame", source
    if not isinstance(source, (str, Path)):
        raise TypeError(
            f"cannot read a corpus from {type(source).__name__}; pass a file path, a folder of "
            f".txt files, a DuckDB source ('{DUCKDB_PREFIX}path/to.db?table=articles') or a pandas DataFrame."
        )
    path = Path(source).expanduser()
    if not path.exists():
        raise FileNotFoundError(f"no corpus at '{path}': the path does not exist.")
    if path.is_dir():
        return "folder", path
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise CorpusReadError(
            f"cannot read '{path.name}': unsupported file type '{suffix or '(none)'}'. "
            f"Supported: {', '.join(SUPPORTED)}, a folder of .txt files, a DuckDB source, or a DataFrame."
        )
    if path.stat().st_size == 0:
        raise CorpusReadError(f"'{path}' is empty (0 bytes): there is no corpus to read.")
    if suffix in CSV_SUFFIXES:
        _csv_options_for(path, csv_options)  # fail now on unknown options
        return "csv", path
    kinds = {**dict.fromkeys(JSON_SUFFIXES, "json"), **dict.fromkeys(JSONL_SUFFIXES, "jsonl"),
             **dict.fromkeys(PARQUET_SUFFIXES, "parquet"), **dict.fromkeys(EXCEL_SUFFIXES, "excel")}
    return kinds.get(suffix, "txt"), path


def _slices(table: RawTable, chunksize: int | None) -> Iterator[RawTable]:
    """Slice an in-memory table into chunks; rejected rows go with the chunk of their position."""
    if chunksize is None:
        yield table
        return
    records, positions = table.records, range(table.n_input)
    for start in range(0, max(table.n_input, 1), chunksize):
        stop = start + chunksize
        rows = records[(records.index >= start) & (records.index < stop)]
        rejected = [r for r in table.rejected if start <= r["row"] < stop]
        yield RawTable(rows, len(positions[start:stop]), table.source, rejected, table.encoding, table.delimiter)


# --- delimited text (CSV, TSV) ------------------------------------------------------------

def read_json(path: Path) -> RawTable:
    """A JSON array of objects, or an object holding one such array (e.g. ``{"articles": [...]}``)."""
    text, used = decode_bytes(path.read_bytes())
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise CorpusReadError(
            f"'{path}' is not valid JSON ({err}). For one JSON object per line, "
            "name the file .jsonl."
        ) from err
    if isinstance(data, dict):
        lists = [key for key, value in data.items() if isinstance(value, list)]
        if len(lists) != 1:
            raise CorpusReadError(
                f"'{path}' holds a JSON object; expected an array of records or an object "
                f"with exactly one array of records (found arrays under {lists})."
            )
        data = data[lists[0]]
    if not isinstance(data, list):
        raise CorpusReadError(f"'{path}' holds a JSON {type(data).__name__}, not an array of records.")
    return _records_table(data, str(path), used)


def _iter_jsonl(path: Path, *, chunksize: int | None = None) -> Iterator[RawTable]:
    """One JSON object per line; malformed and blank lines are reported by line position."""
    used = detect_encoding(path)
    for start, lines in batches(_jsonl_lines(path, used), chunksize):
        records, positions, rejected = [], [], []
        for position, line in enumerate(lines, start):
            if not line.strip():
                rejected.append({"row": position, "line": position + 1, "reason": "blank line", "detail": ""})
                continue
            try:
                records.append(json.loads(line))
                positions.append(position)
            except json.JSONDecodeError as err:
                rejected.append({"row": position, "line": position + 1, "reason": "malformed JSON",
                                 "detail": str(err), "excerpt": excerpt(line)})
        table = _records_table(records, str(path), used, positions)
        table.rejected = rejected + [dict(r, line=r["row"] + 1) for r in table.rejected]
        table.n_input = len(lines)
        table.lines = {p: p + 1 for p in positions}
        yield table


def _jsonl_lines(path: Path, encoding: str) -> Iterator[str]:
    """Lines without their ending (only ``\\n`` ends a line: ``\\f`` is data); trailing blank
    lines are not records, so blank lines are held back until a non-blank one follows."""
    held = 0
    with open_text(path, encoding, newline="\n") as handle:
        for line in handle:
            line = line.removesuffix("\n").removesuffix("\r")
            if not line.strip():
                held += 1
                continue
            yield from itertools.repeat("", held)
            held = 0
            yield line


def _records_table(records: list, source: str, encoding: str, positions=None) -> RawTable:
    positions = list(range(len(records))) if positions is None else positions
    good = [(p, r) for p, r in zip(positions, records) if isinstance(r, dict)]
    rejected = [{"row": p, "reason": "not a JSON object", "detail": type(r).__name__}
                for p, r in zip(positions, records) if not isinstance(r, dict)]
    frame = pd.json_normalize([r for _, r in good]) if good else pd.DataFrame()
    frame.index = [p for p, _ in good]
    return RawTable(frame, len(records), source, rejected, encoding)


# --- Excel workbooks -----------------------------------------------------------------------

def read_excel(path: Path) -> RawTable:
    """The first sheet of an Excel workbook, its first row the header; every cell as Excel holds it
    (dates as dates, numbers as numbers). Rejected rows name their sheet row (``line``: header = 1).

    Excel keeps at most 32,767 characters in a cell and cuts longer texts when it saves: cells of
    exactly that length are reported in a warning, since their texts are probably incomplete.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=UserWarning, module="openpyxl")  # styles, data validation
        frame = pd.read_excel(path, sheet_name=0, dtype=object, engine="openpyxl")
    frame.index = pd.RangeIndex(len(frame))
    cut = {column: int(n) for column in frame.columns
           if (n := frame[column].map(lambda v: isinstance(v, str) and len(v) == EXCEL_CELL_LIMIT).sum())}
    if cut:
        where = ", ".join(f"{n:,} in {column!r}" for column, n in cut.items())
        warnings.warn(f"'{path.name}': cells of exactly {EXCEL_CELL_LIMIT:,} characters, Excel's limit for a cell "
                      f"({where}): their texts were probably cut when the workbook was saved; export the "
                      "corpus as CSV instead.", ExcelCellLimitWarning, stacklevel=2)
    return RawTable(frame, len(frame), str(path), lines={k: k + 2 for k in range(len(frame))})


class ExcelCellLimitWarning(UserWarning):
    """Texts in an Excel workbook are as long as a cell can hold: probably cut."""


# --- Arrow sources (Parquet, DuckDB) --------------------------------------------------------

def _iter_parquet(path: Path, *, chunksize: int | None = None) -> Iterator[RawTable]:
    """Row batches of a Parquet file (``ParquetFile.iter_batches``), as pandas frames.

    Read without pre-buffering: with it (pyarrow 26's default) the reader kept every row group it
    had read allocated until the file was closed, so streaming the 1.5 GB benchmark archive grew
    Arrow's pool by ~29 MB per 20,000-row chunk, to 1.3 GB after 40 chunks; without it the pool
    stays at 0.12 GB (``pa.total_allocated_bytes()`` while iterating)."""
    import pyarrow.parquet as pq

    parquet = pq.ParquetFile(path, pre_buffer=False)
    size = chunksize or max(parquet.metadata.num_rows, 1)
    yield from _arrow_chunks(parquet.iter_batches(batch_size=size), parquet.schema_arrow, chunksize, str(path))


def _arrow_chunks(record_batches, schema, chunksize: int | None, source: str) -> Iterator[RawTable]:
    """Regroup Arrow record batches into tables of exactly ``chunksize`` rows (the last fewer)."""
    import pyarrow as pa

    pending, n_pending, start = [], 0, 0
    for batch in record_batches:
        pending.append(batch)
        n_pending += batch.num_rows
        while chunksize is not None and n_pending >= chunksize:
            table = pa.Table.from_batches(pending, schema=schema)
            yield _arrow_table(table.slice(0, chunksize), start, source)
            start += chunksize
            pending, n_pending = table.slice(chunksize).to_batches(), n_pending - chunksize
    if n_pending or start == 0:
        yield _arrow_table(pa.Table.from_batches(pending, schema=schema), start, source)


def _arrow_table(table, start: int, source: str) -> RawTable:
    records = table.to_pandas()
    records.index = pd.RangeIndex(start, start + len(records))
    return RawTable(records, len(records), source)


# --- plain text files ---------------------------------------------------------------------

def read_text_file(path: Path) -> RawTable:
    """A single .txt file is one document; its id is the file name without suffix."""
    text, used = decode_bytes(path.read_bytes())
    frame = pd.DataFrame({"doc_id": [path.stem], "text": [text], "path": [str(path)]})
    return RawTable(frame, 1, str(path), encoding=used)


def _iter_text_folder(folder: Path, chunksize: int | None) -> Iterator[RawTable]:
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES)
    if not files:
        raise CorpusReadError(f"folder '{folder}' contains no .txt files.")
    return (_text_files(folder, chunk, start) for start, chunk in batches(files, chunksize))


def _text_files(folder: Path, files: list[Path], start: int) -> RawTable:
    ids = [path.relative_to(folder).with_suffix("").as_posix() for path in files]
    texts = [decode_bytes(path.read_bytes())[0] for path in files]
    frame = pd.DataFrame({"doc_id": ids, "text": texts, "path": [str(p) for p in files]},
                         index=pd.RangeIndex(start, start + len(files)))
    return RawTable(frame, len(files), str(folder))
