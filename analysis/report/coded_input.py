"""The coded units behind the report's supervised measure (``--codes FILE --variable NAME``).

Two kinds of file are read, CSV/TSV or XLSX (:func:`analysis.validation.codes.read_code_table`):
a table with a ``doc_id`` column and the variable's column (other columns are ignored), or a
coding sheet of the kit (``unit`` and the variable, with its key ``<name>-key.csv`` next to it
giving each unit's ``doc_id``; :func:`analysis.validation.read_codes`). Codes are compared as
stripped NFC text, so ``"humanitär "`` and a decomposed ``"humanitär"`` are one code.

Every row is kept or reported with its reason, in ``outcome``: ``used``; ``no code`` (blank
cell); ``no doc_id``; ``same code again`` (a document coded twice alike: used once);
``conflicting codes`` (a document coded differently in several rows: left out, the kit cannot
tell which is right); ``doc_id not in the corpus``; ``not in the coder's language``.

>>> import tempfile
>>> path = Path(tempfile.mkdtemp()) / "codes.csv"
>>> _ = path.write_text("doc_id;frame\\na;militärisch\\nb;humanitär\\nb;humanitär \\nc;\\nd;x\\nd;y\\n", encoding="utf-8")
>>> read_coded(path, "frame")[["where", "doc_id", "code", "outcome"]].values.tolist()  # doctest: +NORMALIZE_WHITESPACE
[['row 2', 'a', 'militärisch', 'used'], ['row 3', 'b', 'humanitär', 'used'],
 ['row 4', 'b', 'humanitär', 'same code again'], ['row 5', 'c', nan, 'no code'],
 ['row 6', 'd', 'x', 'conflicting codes'], ['row 7', 'd', 'y', 'conflicting codes']]
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.coding.labels import as_code, missing
from analysis.reproducibility.hashing import frame_sha256
from analysis.validation.codes import read_code_table, read_codes

USED = "used"
MIN_UNITS = 20  # coded units a classifier and its 5-fold cross-validation need at the very least
MIN_PER_CODE = 5  # units of each code: one in each of Coder.cross_validate's 5 folds
COLUMNS = ["where", "doc_id", "code", "outcome"]


class CodesError(ValueError):
    """The codes file or the variable cannot give a supervised measure; the message says what to pass."""


def check_codes(codes, variable) -> str | None:
    """Check ``--codes``/``--variable`` before any work; the SHA-256 of the codes read (None without codes).

    Raises :class:`CodesError` for a variable without codes, a missing or unreadable file, a
    variable that is not one of its columns, or too few coded units or codes.
    """
    if codes is None:
        if variable is not None:
            raise CodesError(f"--variable {variable} (API: variable=) names a column of coded units, so it needs "
                             "--codes FILE (API: codes=) with the file that holds them.")
        return None
    rows = read_coded(codes, variable)
    problem = coded_problem(rows)
    if problem:
        raise CodesError(f"{Path(codes).name}: {problem}")
    return frame_sha256(rows)


def read_coded(path, variable) -> pd.DataFrame:
    """One row per row of the codes file: ``where`` (its row, or its unit in a coding sheet),
    ``doc_id``, ``code`` (NaN when blank) and ``outcome`` (see the module docstring)."""
    path = Path(path)
    if not path.is_file():
        raise CodesError(f"the codes file '{path}' does not exist; pass --codes (API: codes=) the CSV or XLSX "
                         "file of coded units.")
    try:
        table = read_code_table(path)
    except (ValueError, UnicodeDecodeError, OSError) as err:
        raise CodesError(f"cannot read the codes file '{path.name}': {err}") from err
    table.columns = [str(c).strip() for c in table.columns]
    column = _column(table, variable, path)
    lowered = {c.casefold(): c for c in table.columns}
    if "doc_id" in lowered:
        rows = pd.DataFrame({"where": [f"row {i + 2}" for i in range(len(table))],  # the header is row 1
                             "doc_id": table[lowered["doc_id"]].map(_cell), "code": table[column].map(_cell)})
    else:
        rows = _from_sheet(path, column)
    return _with_outcomes(rows)


def _column(table: pd.DataFrame, variable, path: Path) -> str:
    """The variable's column (matched ignoring case), or an error that lists the candidates."""
    ids = {"doc_id", "unit"}
    candidates = [c for c in table.columns if c.casefold() not in ids]
    if not {c.casefold() for c in table.columns} & ids:
        raise CodesError(f"'{path.name}' has no doc_id column (a table of codes) and no unit column (a coding sheet "
                         f"of the kit); its columns are {list(table.columns)}. Add a doc_id column with the "
                         "corpus's document ids.")
    if variable is None:
        raise CodesError(f"--codes needs --variable NAME (API: variable=): the column of '{path.name}' that holds "
                         f"the codes, one of {candidates}.")
    found = [c for c in table.columns if c.casefold() == str(variable).strip().casefold()]
    if not found or found[0].casefold() in ids:
        raise CodesError(f"'{path.name}' has no column {variable!r}; its columns are {list(table.columns)}. Pass "
                         f"--variable (API: variable=) one of {candidates}.")
    return found[0]


def _from_sheet(path: Path, column: str) -> pd.DataFrame:
    try:
        sheet = read_codes(path, variables={column: None})
    except (KeyError, ValueError) as err:
        raise CodesError(f"cannot read the coding sheet '{path.name}': {err}") from err
    if "doc_id" not in sheet.columns:
        raise CodesError(f"'{path.name}' is a coding sheet (it has a unit column) without its key: keep "
                         f"'{path.stem}-key.csv' (unit → doc_id, written with the sheet) next to it, or add a "
                         "doc_id column.")
    return pd.DataFrame({"where": "unit " + sheet["unit"].astype(str), "doc_id": sheet["doc_id"].map(_cell),
                         "code": sheet[column].map(_cell)})


def _cell(value):
    """A cell as stripped NFC text; blank → NaN."""
    if missing(value):
        return np.nan
    text = unicodedata.normalize("NFC", as_code(value))
    return text or np.nan


def _with_outcomes(rows: pd.DataFrame) -> pd.DataFrame:
    outcome = pd.Series(USED, index=rows.index, dtype=object)
    outcome[rows["code"].isna()] = "no code"
    outcome[rows["code"].notna() & rows["doc_id"].isna()] = "no doc_id"
    coded = rows[outcome == USED]
    n_codes = coded.groupby("doc_id")["code"].nunique()
    conflicting = coded["doc_id"].isin(n_codes.index[n_codes > 1])
    outcome[conflicting[conflicting].index] = "conflicting codes"
    again = coded[~conflicting]["doc_id"].duplicated()
    outcome[again[again].index] = "same code again"
    return rows.assign(outcome=outcome)[COLUMNS].reset_index(drop=True)


def match_corpus(rows: pd.DataFrame, corpus: pd.DataFrame) -> pd.DataFrame:
    """``rows`` with ``outcome`` ``doc_id not in the corpus`` for used rows whose document the corpus lacks."""
    unknown = (rows["outcome"] == USED) & ~rows["doc_id"].isin(corpus["doc_id"])
    return rows.assign(outcome=rows["outcome"].where(~unknown, "doc_id not in the corpus"))


def coded_problem(rows: pd.DataFrame) -> str | None:
    """Why the used rows cannot train and cross-validate a coder (too few units, one code, a rare
    code), or None."""
    codes = rows.loc[rows["outcome"] == USED, "code"].value_counts()
    left_out = outcome_summary(rows)
    if codes.sum() < MIN_UNITS:
        return (f"{codes.sum()} coded units can be used ({left_out}); a classifier and its cross-validation need at "
                f"least {MIN_UNITS}. Code more documents of the corpus.")
    if len(codes) < 2:
        return (f"every usable unit has the code {codes.index[0]!r} ({left_out}); a classifier needs at least two "
                "different codes.")
    rare = codes[codes < MIN_PER_CODE]
    if len(rare):
        shown = ", ".join(f"{code!r} ({n})" for code, n in rare.items())
        return (f"codes with fewer than {MIN_PER_CODE} usable units: {shown}; each code needs at least "
                f"{MIN_PER_CODE} for a 5-fold cross-validation. Code more units of them, or merge them into another "
                "code.")
    return None


def outcome_summary(rows: pd.DataFrame) -> str:
    """``"127 rows: 117 used, 3 doc_id not in the corpus, …"``."""
    counts = rows["outcome"].value_counts()
    parts = [f"{counts.get(USED, 0)} used"] + [f"{n} {outcome}" for outcome, n in counts.items() if outcome != USED]
    return f"{len(rows)} rows: " + ", ".join(parts)
