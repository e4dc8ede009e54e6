"""Delimited text files (CSV, TSV, German Excel ``;`` exports): dialect, header and rows, read in one pass.

>>> sniff_dialect("id;text\\n1;Krieg in der Ukraine\\n", None)
(';', '"')
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from analysis.corpus.encodings import detect_encoding, open_text
from analysis.corpus.raw import RawTable, batches
from analysis.errors import CorpusReadError

_DELIMITERS = ",;\t|"

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # 10 MB articles exceed the 128 kB default


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


def iter_delimited(path: Path, *, chunksize=None, delimiter=None, quotechar=None, header=True,
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
        for start, body in batches(rows, chunksize):
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


def scan_delimited(path: Path, *, delimiter=None, quotechar=None, header=True, encoding=None) -> tuple[int, int]:
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
