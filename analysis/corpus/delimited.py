"""Delimited text files (CSV, TSV, German Excel ``;`` exports): dialect, header and rows, read in one pass.

>>> sniff_dialect("id;text\\n1;Krieg in der Ukraine\\n", None)
(';', '"')
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from analysis.corpus.encodings import detect_encoding, open_text
from analysis.corpus.raw import RawTable, batches
from analysis.corpus.records import iter_records
from analysis.errors import CorpusReadError

_DELIMITERS = ",;\t|"

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # 10 MB articles exceed the 128 kB default


def sniff_dialect(sample: str, delimiter: str | None) -> tuple[str, str]:
    """Guess delimiter and quote character from the first lines of a delimited file.

    The quote is ``"`` unless the sample reads into rows of one width with ``'`` and not
    with ``"`` (a title written ``'Sonderoperation'`` does not make a file ``'``-quoted).
    """
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
    found = delimiter or found
    if quote == "'" and _n_even_rows(sample, found, "'") <= _n_even_rows(sample, found, '"'):
        quote = '"'
    return found, quote if quote in "\"'" else '"'


def _n_even_rows(sample: str, delimiter: str, quote: str) -> int:
    """How many complete rows of the sample have as many fields as its first row."""
    rows = [row for row in csv.reader(io.StringIO(sample), delimiter=delimiter, quotechar=quote) if row][:-1]
    return sum(len(row) == len(rows[0]) for row in rows) if rows else 0


def iter_delimited(path: Path, *, chunksize=None, delimiter=None, quotechar=None, header=True,
                   encoding=None) -> Iterator[RawTable]:
    """Read CSV/TSV with Python's csv module so that damaged rows can be reported by file line.

    Encoding and dialect are detected once for the whole file, and the file is opened once
    for reading: the dialect is sniffed from its start, and a headerless file is scanned for
    its widest row (the number of positional columns) before the handle is rewound. Records
    come from :func:`iter_records`: a field that swallowed later records is rejected and the
    records are read. Rejected rows carry ``line`` (file line), ``excerpt`` and ``values``.
    """
    used = encoding or detect_encoding(path)
    with open_text(path, used) as handle:
        dialect = _sniff(handle, delimiter, quotechar)
        width = None if header else _scan_rows(handle, dialect)[1]
        rows = iter_records(handle, dialect, width)
        if header:
            first = next(rows, None)
            if first is None or first.fields is None:
                raise CorpusReadError(f"'{path}' has no header row.")
            columns = _unique_names([c.strip() for c in first.fields])
        else:
            columns = list(range(width))
        for start, body in batches(rows, chunksize):
            keep, positions, lines, rejected = [], [], {}, []
            for position, record in enumerate(body, start):
                row = record.fields
                if row is not None and (len(row) == len(columns) or not header and len(row) < len(columns)):
                    keep.append(row + [None] * (len(columns) - len(row)))
                    positions.append(position)
                    lines[position] = record.line
                    continue
                reason, detail = ("ragged row", f"{len(row)} fields, header has {len(columns)}") if row is not None \
                    else ("swallowed records", "an unclosed quote ran into the next records, which were read")
                rejected.append({"row": position, "reason": reason, "detail": detail, "line": record.line,
                                 "excerpt": record.excerpt, "values": dict(zip(columns, record.first_fields))})
            records = pd.DataFrame(keep, columns=columns, index=positions, dtype=object)
            yield RawTable(records, len(body), str(path), rejected, used, dialect["delimiter"], lines)


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


def scan_delimited(path: Path, *, delimiter=None, quotechar=None, header=True, encoding=None) -> tuple[int, int]:
    """Number of records (header included, as :func:`iter_records` reads them) and the widest row's number of fields."""
    with open_text(path, encoding or detect_encoding(path)) as handle:
        dialect = _sniff(handle, delimiter, quotechar)
        width = _scan_rows(handle, dialect)[1]
        return sum(1 for _ in iter_records(handle, dialect, None if header else width)), width


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

