"""Turn a corpus source (file, folder, DataFrame, DuckDB) into raw tables of input rows.

Each reader yields :class:`RawTable` chunks: the records it could parse, indexed by their
position in the *whole* input, and the rows it could not parse with a reason. Nothing
else is decided here: column mapping and validation live in :mod:`analysis.corpus.load`.
:func:`iter_source` reads CSV/TSV, JSON Lines, Parquet, DuckDB and folders of ``.txt``
files chunk by chunk with bounded memory; :func:`read_source` is the same reader with
the whole input as one chunk, so both agree by construction.

>>> import pandas as pd
>>> chunks = list(iter_source(pd.DataFrame({"text": ["a", "b", "c"]}), chunksize=2))
>>> [(chunk.records.index.tolist(), chunk.n_input) for chunk in chunks]
[([0, 1], 2), ([2], 1)]
"""

from __future__ import annotations

import csv
import itertools
import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.corpus.duckdb_source import DUCKDB_PREFIX, count_duckdb, open_duckdb
from analysis.corpus.encodings import decode_bytes, detect_encoding, open_text
from analysis.errors import CorpusReadError

TEXT_SUFFIXES = (".txt",)
CSV_SUFFIXES = {".csv": None, ".tsv": "\t", ".tab": "\t"}
JSON_SUFFIXES = (".json",)
JSONL_SUFFIXES = (".jsonl", ".ndjson")
PARQUET_SUFFIXES = (".parquet", ".pq")
SUPPORTED = (*CSV_SUFFIXES, *JSON_SUFFIXES, *JSONL_SUFFIXES, *PARQUET_SUFFIXES, *TEXT_SUFFIXES)
_DELIMITERS = ",;\t|"
_CSV_OPTIONS = {"delimiter", "quotechar", "header", "encoding"}

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # 10 MB articles exceed the 128 kB default


@dataclass
class RawTable:
    """Parsed input rows (index = position in the input) plus the unparseable ones."""

    records: pd.DataFrame
    n_input: int
    source: str
    rejected: list[dict] = field(default_factory=list)
    encoding: str | None = None
    delimiter: str | None = None


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
        return _iter_delimited(target, chunksize=chunksize, **_csv_options_for(target, csv_options))
    if kind == "jsonl":
        return _iter_jsonl(target, chunksize=chunksize)
    if kind == "parquet":
        return _iter_parquet(target, chunksize=chunksize)
    whole = read_json(target) if kind == "json" else read_text_file(target)
    return _slices(whole, chunksize)


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
        return _scan_delimited(target, **options)[0] - bool(options.get("header", True))
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
    return list(next(iter_source(source, chunksize=1000, csv_options=csv_options, query=query)).records.columns)


def _csv_options_for(path: Path, csv_options: dict | None) -> dict:
    """The CSV reader options for ``path``: its suffix's delimiter overridden by ``csv_options``."""
    options = {"delimiter": CSV_SUFFIXES.get(path.suffix.lower()), **(csv_options or {})}
    unknown = set(options) - _CSV_OPTIONS
    if unknown:
        raise TypeError(f"unknown csv_options {sorted(unknown)}; allowed: {sorted(_CSV_OPTIONS)}.")
    return options


def _classify(source, csv_options, query) -> tuple[str, object]:
    """Check ``source`` and name its kind: duckdb, frame, folder, csv, json, jsonl, parquet, txt."""
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
             **dict.fromkeys(PARQUET_SUFFIXES, "parquet")}
    return kinds.get(suffix, "txt"), path


def _batches(items: Iterable, size: int | None) -> Iterator[tuple[int, list]]:
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

def sniff_dialect(sample: str, delimiter: str | None) -> tuple[str, str]:
    """Guess delimiter and quote character from the first lines of a delimited file."""
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=delimiter or _DELIMITERS)
        found, quote = dialect.delimiter, dialect.quotechar or '"'
    except csv.Error:
        found, quote = None, '"'
    if delimiter is None:
        first_line = sample.split("\n", 1)[0]
        counts = {d: first_line.count(d) for d in _DELIMITERS}
        best = max(counts, key=counts.get)
        if found is None or (counts[best] > 0 and counts.get(found, 0) == 0):
            found = best if counts[best] > 0 else ","
    return delimiter or found, quote if quote in "\"'" else '"'


def _iter_delimited(path: Path, *, chunksize=None, delimiter=None, quotechar=None, header=True,
                   encoding=None) -> Iterator[RawTable]:
    """Read CSV/TSV with Python's csv module so that ragged rows can be reported by position.

    Encoding and dialect are detected once for the whole file, and the file is opened once
    for reading: the dialect is sniffed from its start, and a headerless file is scanned for
    its widest row (the number of positional columns) before the handle is rewound.
    """
    used = encoding or detect_encoding(path)
    with open_text(path, used) as handle:
        dialect = _sniff(handle, delimiter, quotechar)
        width = None if header else _scan_rows(handle, dialect)[1]
        rows = (row for row in csv.reader(handle, **dialect) if row)  # [] only for empty lines
        if header:
            first = next(rows, None)
            if first is None:
                raise CorpusReadError(f"'{path}' has no header row.")
            columns = _unique_names([c.strip() for c in first])
        else:
            columns = list(range(width))
        for start, body in _batches(rows, chunksize):
            keep, positions, rejected = [], [], []
            for position, row in enumerate(body, start):
                if len(row) == len(columns):
                    keep.append(row)
                    positions.append(position)
                elif not header and len(row) < len(columns):
                    keep.append(row + [None] * (len(columns) - len(row)))
                    positions.append(position)
                else:
                    rejected.append({"row": position, "reason": "ragged row",
                                     "detail": f"{len(row)} fields, header has {len(columns)}"})
            records = pd.DataFrame(keep, columns=columns, index=positions, dtype=object)
            yield RawTable(records, len(body), str(path), rejected, used, dialect["delimiter"])


def _sniff(handle, delimiter, quotechar) -> dict:
    """The csv dialect of an open text file, sniffed from its first 20,000 characters; the handle is rewound."""
    found, quote = sniff_dialect(handle.read(20000), delimiter)
    handle.seek(0)
    return {"delimiter": found, "quotechar": quotechar or quote, "doublequote": True}


def _scan_rows(handle, dialect: dict) -> tuple[int, int]:
    """Number of non-empty rows (header included) and the widest row's number of fields; the handle is rewound."""
    n_rows = width = 0
    for row in csv.reader(handle, **dialect):
        if row:
            n_rows += 1
            width = max(width, len(row))
    handle.seek(0)
    return n_rows, width


def _scan_delimited(path: Path, *, delimiter=None, quotechar=None, header=True, encoding=None) -> tuple[int, int]:
    """Number of non-empty rows (header included) and the widest row's number of fields."""
    with open_text(path, encoding or detect_encoding(path)) as handle:
        return _scan_rows(handle, _sniff(handle, delimiter, quotechar))


def _unique_names(names: list[str]) -> list[str]:
    """Make header names unique (``name``, ``name.1``) and name blank headers."""
    seen: dict[str, int] = {}
    out = []
    for i, name in enumerate(names):
        name = name or f"column_{i}"
        if name in seen:
            seen[name] += 1
            name = f"{name}.{seen[name]}"
        else:
            seen[name] = 0
        out.append(name)
    return out


# --- JSON, JSON Lines -----------------------------------------------------------------------

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
    for start, lines in _batches(_jsonl_lines(path, used), chunksize):
        records, positions, rejected = [], [], []
        for position, line in enumerate(lines, start):
            if not line.strip():
                rejected.append({"row": position, "reason": "blank line", "detail": ""})
                continue
            try:
                records.append(json.loads(line))
                positions.append(position)
            except json.JSONDecodeError as err:
                rejected.append({"row": position, "reason": "malformed JSON", "detail": str(err)})
        table = _records_table(records, str(path), used, positions)
        table.rejected = rejected + table.rejected
        table.n_input = len(lines)
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


# --- Arrow sources (Parquet, DuckDB) --------------------------------------------------------

def _iter_parquet(path: Path, *, chunksize: int | None = None) -> Iterator[RawTable]:
    """Row batches of a Parquet file (``ParquetFile.iter_batches``), as pandas frames."""
    import pyarrow.parquet as pq

    parquet = pq.ParquetFile(path)
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
    return (_text_files(folder, chunk, start) for start, chunk in _batches(files, chunksize))


def _text_files(folder: Path, files: list[Path], start: int) -> RawTable:
    ids = [path.relative_to(folder).with_suffix("").as_posix() for path in files]
    texts = [decode_bytes(path.read_bytes())[0] for path in files]
    frame = pd.DataFrame({"doc_id": ids, "text": texts, "path": [str(p) for p in files]},
                         index=pd.RangeIndex(start, start + len(files)))
    return RawTable(frame, len(files), str(folder))
