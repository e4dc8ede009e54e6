"""Turn a corpus source (file, folder, DataFrame) into a raw table of input rows.

Each reader returns a :class:`RawTable`: the records it could parse, indexed by their
position in the input, and the rows it could not parse with a reason. Nothing else is
decided here: column mapping and validation live in :mod:`analysis.corpus`.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.errors import CorpusReadError

TEXT_SUFFIXES = (".txt",)
CSV_SUFFIXES = {".csv": None, ".tsv": "\t", ".tab": "\t"}
JSON_SUFFIXES = (".json",)
JSONL_SUFFIXES = (".jsonl", ".ndjson")
PARQUET_SUFFIXES = (".parquet", ".pq")
SUPPORTED = (*CSV_SUFFIXES, *JSON_SUFFIXES, *JSONL_SUFFIXES, *PARQUET_SUFFIXES, *TEXT_SUFFIXES)
_DELIMITERS = ",;\t|"
_CSV_OPTIONS = {"delimiter", "quotechar", "header", "encoding"}
_ENCODINGS = ("utf-8", "cp1252", "latin-1")  # latin-1 decodes any byte: the last resort

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


def read_source(source, *, csv_options: dict | None = None) -> RawTable:
    """Dispatch on the kind of ``source``: DataFrame, folder, or file by suffix."""
    if isinstance(source, pd.DataFrame):
        records = source.reset_index(drop=True).copy()
        return RawTable(records, len(records), source="DataFrame")
    if not isinstance(source, (str, Path)):
        raise TypeError(
            f"cannot read a corpus from {type(source).__name__}; pass a file path, "
            "a folder of .txt files or a pandas DataFrame."
        )
    path = Path(source).expanduser()
    if not path.exists():
        raise FileNotFoundError(f"no corpus at '{path}': the path does not exist.")
    if path.is_dir():
        return read_text_folder(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise CorpusReadError(
            f"cannot read '{path.name}': unsupported file type '{suffix or '(none)'}'. "
            f"Supported: {', '.join(SUPPORTED)}, a folder of .txt files, or a DataFrame."
        )
    if path.stat().st_size == 0:
        raise CorpusReadError(f"'{path}' is empty (0 bytes): there is no corpus to read.")
    if suffix in CSV_SUFFIXES:
        options = {"delimiter": CSV_SUFFIXES[suffix], **(csv_options or {})}
        unknown = set(options) - _CSV_OPTIONS
        if unknown:
            raise TypeError(f"unknown csv_options {sorted(unknown)}; allowed: {sorted(_CSV_OPTIONS)}.")
        return read_delimited(path, **options)
    if suffix in JSON_SUFFIXES:
        return read_json(path)
    if suffix in JSONL_SUFFIXES:
        return read_jsonl(path)
    if suffix in PARQUET_SUFFIXES:
        records = pd.read_parquet(path)
        return RawTable(records.reset_index(drop=True), len(records), source=str(path))
    return read_text_file(path)


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode with a BOM if present, else the first of UTF-8, cp1252, latin-1 that fits."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    for encoding in _ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes every byte")  # pragma: no cover


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


def read_delimited(path: Path, *, delimiter=None, quotechar=None, header=True, encoding=None) -> RawTable:
    """Read CSV/TSV with Python's csv module so that ragged rows can be reported by position."""
    raw = path.read_bytes()
    text, used = (raw.decode(encoding), encoding) if encoding else decode_bytes(raw)
    sniffed_delim, sniffed_quote = sniff_dialect(text[:20000], delimiter)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=sniffed_delim,
                           quotechar=quotechar or sniffed_quote, doublequote=True))
    rows = [r for r in rows if r]  # csv yields [] only for completely empty lines
    if header:
        if not rows:
            raise CorpusReadError(f"'{path}' has no header row.")
        columns = _unique_names([c.strip() for c in rows[0]])
        body = rows[1:]
    else:
        width = max((len(r) for r in rows), default=0)
        columns = list(range(width))
        body = rows
    keep, positions, rejected = [], [], []
    for position, row in enumerate(body):
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
    return RawTable(records, len(body), str(path), rejected, used, sniffed_delim)


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


def read_jsonl(path: Path) -> RawTable:
    """One JSON object per line; malformed and blank lines are reported by line position."""
    text, used = decode_bytes(path.read_bytes())
    lines = [line.removesuffix("\r") for line in text.split("\n")]  # not splitlines(): \f is data
    while lines and not lines[-1].strip():
        lines.pop()  # a trailing newline is not a record
    records, positions, rejected = [], [], []
    for position, line in enumerate(lines):
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
    return table


def _records_table(records: list, source: str, encoding: str, positions=None) -> RawTable:
    positions = list(range(len(records))) if positions is None else positions
    good = [(p, r) for p, r in zip(positions, records) if isinstance(r, dict)]
    rejected = [{"row": p, "reason": "not a JSON object", "detail": type(r).__name__}
                for p, r in zip(positions, records) if not isinstance(r, dict)]
    frame = pd.json_normalize([r for _, r in good]) if good else pd.DataFrame()
    frame.index = [p for p, _ in good]
    return RawTable(frame, len(records), source, rejected, encoding)


def read_text_file(path: Path) -> RawTable:
    """A single .txt file is one document; its id is the file name without suffix."""
    text, used = decode_bytes(path.read_bytes())
    frame = pd.DataFrame({"doc_id": [path.stem], "text": [text], "path": [str(path)]})
    return RawTable(frame, 1, str(path), encoding=used)


def read_text_folder(folder: Path) -> RawTable:
    """Every .txt file below ``folder`` (sorted) is one document; ids are relative paths."""
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES)
    if not files:
        raise CorpusReadError(f"folder '{folder}' contains no .txt files.")
    ids, texts = [], []
    for path in files:
        ids.append(path.relative_to(folder).with_suffix("").as_posix())
        texts.append(decode_bytes(path.read_bytes())[0])
    frame = pd.DataFrame({"doc_id": ids, "text": texts, "path": [str(p) for p in files]})
    return RawTable(frame, len(files), str(folder))
