"""Read filled coding sheets back, and score model predictions against the human codes.

Filled sheets come back messy: blank rows, ``"Yes "`` for ``yes``, numbers Excel turned
into ``1.0``, a German Excel's semicolons. :func:`read_codes` accepts all of that and
stops, naming the spreadsheet row, at a code that is not in the codebook.
"""

from __future__ import annotations

import json
import numbers
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.compare.scores import check_ci
from analysis.sentiment.evaluate import report_rows
from analysis.validation.coding_sheet import NOTE_COLUMN, SHOWN_COLUMNS
from analysis.validation.excel import CODEBOOK_SHEET
from analysis.validation.spreadsheet import read_coders_csv

CODE_SCORE_COLUMNS = ["variable", "category", "metric", "estimate", "ci_lower", "ci_upper", "n"]
_METRICS = ("precision", "recall", "f1")


def read_codes(path, *, variables: dict | None = None, key=None) -> pd.DataFrame:
    """A filled coding sheet (CSV or XLSX) as one row per coded unit.

    Columns: ``unit``, ``doc_id`` (when a key is found), one column per variable
    (categorical over the allowed codes, NaN where the coder left it blank), ``note``.
    The allowed codes come from ``variables``, else from the workbook's hidden codebook,
    else from ``<name>-codebook.json`` next to the file; the key (unit → doc_id) from
    ``key`` (a frame or path), else from ``<name>-key.csv`` next to the file.
    Codes match ignoring case, surrounding and repeated spaces and Unicode form.

    >>> import tempfile
    >>> from analysis.validation.examples import tiny_corpus
    >>> from analysis.validation.coding_sheet import coding_sheet
    >>> sheet = coding_sheet(tiny_corpus(), n=3, variables={"frame_military": ["ja", "nein"]}, random_state=1)
    >>> paths = sheet.write(tempfile.mkdtemp())
    >>> filled = sheet.sheet.assign(frame_military=["Ja ", "", "NEIN"])
    >>> _ = filled.to_csv(paths["csv"], index=False)
    >>> read_codes(paths["csv"])[["unit", "doc_id", "frame_military"]].values.tolist()
    [['U1', 'd06', 'ja'], ['U2', 'd07', nan], ['U3', 'd12', 'nein']]
    """
    path = Path(path)
    table, book = _read_table(path)
    table.columns = [str(c).strip() for c in table.columns]
    variables = _codebook(path, variables, book)
    lowered = {c.casefold(): c for c in table.columns}
    missing = [v for v in ["unit", *variables] if v.casefold() not in lowered]
    if missing:
        raise KeyError(f"'{path.name}' has no column {missing[0]!r}; columns are {list(table.columns)}.")
    table = table.rename(columns={lowered[v.casefold()]: v for v in ["unit", *variables]})
    table.index = table.index + 2  # spreadsheet row numbers: header is row 1
    cells = table[["unit", *variables]].map(_clean)
    table = table[cells.notna().any(axis=1)]  # blank rows
    cells = cells.loc[table.index]
    if cells["unit"].isna().any():
        row = cells.index[cells["unit"].isna()][0]
        raise ValueError(f"'{path.name}' row {row}: codes without a unit id; restore the unit or clear the row.")
    out = pd.DataFrame({"unit": cells["unit"].to_numpy()})
    for name, allowed in variables.items():
        out[name] = _checked_codes(cells[name], allowed, name, path.name, cells["unit"])
    if NOTE_COLUMN in table.columns:
        out[NOTE_COLUMN] = table[NOTE_COLUMN].map(_clean).to_numpy()
    duplicated = out["unit"].duplicated()
    if duplicated.any():
        unit = out.loc[duplicated, "unit"].iloc[0]
        raise ValueError(f"'{path.name}' has unit {unit!r} twice; keep one row per unit.")
    return _join_key(out, path, key)


def read_code_table(path) -> pd.DataFrame:
    """The first sheet of a CSV/TSV or XLSX file of codes as it stands (cells as text, blank
    cells empty), read as :func:`read_codes` reads a coding sheet: any delimiter, a BOM, cells
    the kit wrote as text restored. For tables that are not a coding sheet, e.g. ``doc_id`` and
    one column per coded variable.

    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "codes.csv"
    >>> _ = path.write_text("doc_id;frame\\nd1;humanitär\\nd2;\\n", encoding="utf-8-sig")
    >>> read_code_table(path).values.tolist()
    [['d1', 'humanitär'], ['d2', '']]
    """
    return _read_table(Path(path))[0]


def _read_table(path: Path) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    if not path.is_file():
        raise FileNotFoundError(f"no coding sheet at '{path}'.")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        sheets = pd.read_excel(path, sheet_name=None, dtype=object)
        return next(iter(sheets.values())), sheets.get(CODEBOOK_SHEET)
    if path.suffix.lower() in (".csv", ".tsv", ".txt"):
        return read_coders_csv(path, dtype=str, sep=None, engine="python", encoding="utf-8-sig",
                               keep_default_na=False), None
    raise ValueError(f"cannot read '{path.name}': give a .csv or .xlsx coding sheet.")


def _codebook(path: Path, variables, book) -> dict:
    if variables is not None:
        return {str(k).strip(): (None if v is None else [str(x).strip() for x in v]) for k, v in variables.items()}
    if book is not None:
        return {name: (None if group["value"].isna().all() else [_clean(v) for v in group["value"]])
                for name, group in book.groupby("variable", sort=False)}
    sidecar = path.with_name(f"{path.stem}-codebook.json")
    if sidecar.is_file():
        return json.loads(sidecar.read_text(encoding="utf-8"))["variables"]
    raise ValueError(f"no codebook for '{path.name}': pass variables={{'frame_military': ['yes', 'no'], ...}} "
                     f"or keep '{sidecar.name}' next to it.")


def _clean(value):
    """A cell as stripped NFC text; blank → NaN; 1.0 → "1" (Excel turns codes into numbers)."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return np.nan
    if isinstance(value, numbers.Real) and not isinstance(value, bool) and float(value).is_integer():
        value = int(value)
    text = " ".join(unicodedata.normalize("NFC", str(value)).split())
    if text.endswith(".0") and text[:-2].lstrip("-").isdigit():
        text = text[:-2]
    return text or np.nan


def _checked_codes(cells: pd.Series, allowed, name: str, file: str, units: pd.Series):
    if allowed is None:
        return cells.to_numpy()
    canonical = {str(v).casefold(): str(v) for v in allowed}
    for row, value in cells.items():
        if pd.notna(value) and value.casefold() not in canonical:
            raise ValueError(f"'{file}' row {row} (unit {units[row]}): {value!r} is not an allowed code for "
                             f"{name!r}; allowed: {', '.join(map(str, allowed))}. Correct the cell or the codebook.")
    codes = [canonical[v.casefold()] if pd.notna(v) else np.nan for v in cells]
    return pd.Categorical(codes, categories=[str(v) for v in allowed])


def _join_key(codes: pd.DataFrame, path: Path, key) -> pd.DataFrame:
    if key is None:
        sidecar = path.with_name(f"{path.stem}-key.csv")
        if not sidecar.is_file():
            return codes
        key = sidecar
    if not isinstance(key, pd.DataFrame):
        key = pd.read_csv(key, dtype={"unit": str, "doc_id": str}, encoding="utf-8")
    unknown = ~codes["unit"].isin(key["unit"])
    if unknown.any():
        raise ValueError(f"units {codes.loc[unknown, 'unit'].head(3).tolist()} of '{path.name}' are not in the key; "
                         "is it the key of another sheet?")
    doc_ids = key.set_index("unit")["doc_id"]
    codes.insert(1, "doc_id", doc_ids.loc[codes["unit"]].to_numpy())
    return codes


def score_codes(codes: pd.DataFrame, predictions: pd.DataFrame, *, ci: float = 0.95, n_boot: int = 1000,
                random_state=0) -> pd.DataFrame:
    """Precision, recall and F1 of ``predictions`` against human ``codes``, per category and overall.

    Both frames have an id column (``doc_id``, else ``unit``) and one column per
    variable; every variable present in both is scored on the units the coder coded.
    One row per variable × category × metric, then ``macro`` (unweighted mean over the
    categories) and ``micro`` (pooled counts; equals accuracy for one code per unit)
    rows: ``variable, category, metric, estimate, ci_lower, ci_upper, n``. ``n`` counts
    the units behind the estimate (predicted in the category for precision, coded in it
    for recall and F1, all scored units for macro and micro). Intervals: percentile
    bootstrap over units (``n_boot`` resamples, ``numpy.random.default_rng(random_state)``).

    >>> codes = pd.DataFrame({"doc_id": ["a", "b", "c", "d"], "frame_military": ["ja", "ja", "nein", "nein"]})
    >>> predictions = pd.DataFrame({"doc_id": ["d", "c", "b", "a"], "frame_military": ["ja", "nein", "ja", "ja"]})
    >>> scores = score_codes(codes, predictions, n_boot=100)
    >>> scores.query("category == 'ja'")[["metric", "estimate", "n"]].round(3).values.tolist()
    [['precision', 0.667, 3], ['recall', 1.0, 2], ['f1', 0.8, 2]]
    """
    check_ci(ci)
    id_column, variables = _scored_columns(codes, predictions)
    rng = np.random.default_rng(random_state)
    frames = [_score_variable(name, *_aligned(codes, predictions, id_column, name), ci, int(n_boot), rng)
              for name in variables]
    return pd.concat(frames, ignore_index=True)[CODE_SCORE_COLUMNS]


def _scored_columns(codes, predictions) -> tuple[str, list[str]]:
    for name, frame in (("codes", codes), ("predictions", predictions)):
        if not isinstance(frame, pd.DataFrame):
            raise TypeError(f"{name} must be a DataFrame with doc_id (or unit) and one column per variable, "
                            f"not {type(frame).__name__}.")
    id_column = next((c for c in ("doc_id", "unit") if c in codes.columns and c in predictions.columns), None)
    if id_column is None:
        raise KeyError("codes and predictions need a shared id column, doc_id or unit; read the codes with "
                       "their key (read_codes(path, key=...)) to get doc_id.")
    skip = {"doc_id", "unit", NOTE_COLUMN, *SHOWN_COLUMNS}
    variables = [c for c in codes.columns if c in predictions.columns and c not in skip]
    if not variables:
        raise KeyError(f"no variable column is in both codes {list(codes.columns)} and predictions "
                       f"{list(predictions.columns)}; name the prediction columns like the coded variables.")
    return id_column, variables


def _aligned(codes, predictions, id_column: str, name: str) -> tuple[np.ndarray, np.ndarray, list]:
    """Codes and predictions of ``name`` for the coded units, as strings, plus the category order."""
    coded = codes.loc[codes[name].notna(), [id_column, name]]
    if predictions[id_column].duplicated().any():
        raise ValueError(f"predictions repeat {id_column} values; keep one prediction per unit.")
    predicted = predictions.set_index(id_column)[name]
    missing = ~coded[id_column].isin(predicted.index)
    if missing.any():
        raise ValueError(f"{int(missing.sum())} coded units have no prediction for {name!r} "
                         f"(e.g. {coded.loc[missing, id_column].head(3).tolist()}).")
    predicted = predicted.loc[coded[id_column]]
    if predicted.isna().any():
        raise ValueError(f"predictions for {name!r} are missing for {int(predicted.isna().sum())} coded units; "
                         "fill them (e.g. with the 'no' category) first.")
    truth, guess = coded[name].map(_clean).astype(str).to_numpy(), predicted.map(_clean).astype(str).to_numpy()
    categorical = isinstance(codes[name].dtype, pd.CategoricalDtype)
    categories = list(codes[name].cat.categories) if categorical else sorted(set(truth))
    extra = sorted(set(guess) - set(categories))
    if extra and not set(guess) & set(categories):
        raise ValueError(f"predictions for {name!r} use codes {extra}, the human codes {categories}; map them first.")
    return truth, guess, categories + extra


def _score_variable(name: str, truth, guess, categories: list, ci: float, n_boot: int, rng) -> pd.DataFrame:
    if not len(truth):
        raise ValueError(f"no unit has a code for {name!r}; nothing to score.")
    index = {c: i for i, c in enumerate(categories)}
    k, t, p = len(categories), np.array([index[v] for v in truth]), np.array([index[v] for v in guess])
    cells = t * k + p
    estimate = _metrics(np.bincount(cells, minlength=k * k).reshape(k, k))
    draws = np.stack([_metrics(np.bincount(cells[rng.integers(0, len(cells), len(cells))], minlength=k * k)
                               .reshape(k, k)) for _ in range(n_boot)]) if n_boot else estimate[None]
    lower, upper = np.quantile(draws, [(1 - ci) / 2, (1 + ci) / 2], axis=0)
    predicted, coded = np.bincount(p, minlength=k), np.bincount(t, minlength=k)
    n = [[predicted[j], coded[j], coded[j]] for j in range(k)] + [[len(t)] * 3] * 2
    labels = [*categories, "macro", "micro"]
    return pd.DataFrame({
        "variable": name, "category": np.repeat(labels, 3), "metric": list(_METRICS) * len(labels),
        "estimate": estimate.ravel(), "ci_lower": np.minimum(lower, estimate).ravel(),
        "ci_upper": np.maximum(upper, estimate).ravel(), "n": np.ravel(n).astype("int64")})


def _metrics(counts: np.ndarray) -> np.ndarray:
    """(categories + macro + micro) × (precision, recall, F1) of a confusion matrix."""
    rows = report_rows(counts)  # per category, macro, weighted, accuracy
    k = len(counts)
    return np.vstack([rows[:k + 1, :3], rows[[k + 2], :3]])
