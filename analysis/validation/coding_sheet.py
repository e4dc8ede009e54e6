"""Coding sheets: a blinded sample of documents for manual coding, as CSV and XLSX.

The coder's sheet holds a neutral unit id, the text (and title) and one empty column
per variable; everything else — ``doc_id``, outlet, date, stratum and any model scores
in the corpus — goes to a separate key, so coders judge the text alone. Units appear in
random order, so neither the order nor the id gives the stratum away.

For a corpus too large for memory, draw on its metadata alone and pass ``texts=``: only
the drawn documents' texts are then fetched (e.g. from Parquet partitions).
"""

from __future__ import annotations

import html
import json
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.compare.groups import OTHER, largest_groups
from analysis.corpus.schema import require_columns
from analysis.validation.excel import write_coding_workbook
from analysis.validation.spreadsheet import write_coders_csv

EXCEL_CELL_CHARS = 32_000  # Excel holds at most 32,767 characters per cell
SHOWN_COLUMNS = ("title", "text")
NOTE_COLUMN = "note"
_MAX_STRATA = 50


@dataclass
class CodingSheet:
    """``sheet``: what the coder sees, one row per unit — ``unit``, ``title`` (if the corpus
    has one), ``text``, one empty column per variable, ``note``. ``key``: one row per unit —
    ``unit, doc_id, stratum, sampling_weight`` and the corpus's other columns (model
    scores stay here; ``text`` never). ``variables``: name → allowed values (``None`` for
    free text). A missing text or title shows as ``""``; a text longer than an Excel cell
    is cut to ``EXCEL_CELL_CHARS`` characters followed by `` […]``."""

    sheet: pd.DataFrame
    key: pd.DataFrame
    variables: dict
    random_state: object = 0

    def codebook(self) -> pd.DataFrame:
        """One row per variable × allowed value (``value`` empty for free-text variables)."""
        rows = [(name, value) for name, values in self.variables.items() for value in (values or [None])]
        return pd.DataFrame(rows, columns=["variable", "value"])

    def to_csv(self, path) -> Path:
        """The coder's sheet as UTF-8 CSV with a byte-order mark, so Excel shows umlauts; text a
        spreadsheet would run as a formula gets a leading ``'`` (:mod:`analysis.validation.spreadsheet`)."""
        return write_coders_csv(self.sheet, path, encoding="utf-8-sig")

    def to_excel(self, path) -> Path:
        """The coder's sheet as XLSX: frozen header, wrapped text, drop-down lists of the
        allowed codes, and the codebook on a hidden sheet that :func:`read_codes` uses.
        Every text is a string cell, never a formula."""
        return write_coding_workbook(self, Path(path))

    def write(self, folder, *, name: str = "coding_sheet") -> dict[str, Path]:
        """Write ``<name>.csv`` and ``<name>.xlsx`` for coders, ``<name>-key.csv`` and
        ``<name>-codebook.json`` for the researcher (keep the key from the coders). The key is a
        data export: its cells are written as they are, not escaped for spreadsheets."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        key = folder / f"{name}-key.csv"
        self.key.to_csv(key, index=False, encoding="utf-8")
        codebook = folder / f"{name}-codebook.json"
        codebook.write_text(json.dumps({"variables": self.variables, "random_state": self.random_state},
                                       ensure_ascii=False, indent=1, default=str) + "\n", encoding="utf-8")
        return {"csv": self.to_csv(folder / f"{name}.csv"), "xlsx": self.to_excel(folder / f"{name}.xlsx"),
                "key": key, "codebook": codebook}

    def _repr_html_(self) -> str:
        strata = self.key["stratum"].value_counts(sort=False).to_dict() if self.key["stratum"].notna().any() else {}
        about = (f"Coding sheet: {len(self.sheet)} units, variables {', '.join(self.variables)}"
                 + (f"; per stratum {strata}" if strata else "")
                 + ". Write it with .write(folder); the key stays with you.")
        preview = self.sheet.assign(text=self.sheet["text"].str.slice(0, 200)).head(10)
        return f"<p><b>{html.escape(about)}</b></p>" + preview.to_html(index=False)


def coding_sheet(corpus: pd.DataFrame, *, n: int = 100, stratify_by=None, variables: dict,
                 random_state=0, texts=None) -> CodingSheet:
    """Draw ``n`` documents (or units from :func:`analysis.split_units`) for manual coding.

    ``variables`` maps each variable to its allowed codes, e.g. ``{"frame_military":
    ["yes", "no"], "sentiment": ["negative", "neutral", "positive"]}`` (``None`` for a
    free-text column). ``stratify_by`` (a column or list of columns, e.g. ``"outlet"``)
    draws equally from each stratum — all of a stratum that has too few, the rest spread
    over the others; beyond 50 strata the 49 largest are kept and the rest merged into one
    ``"(other)"`` stratum, with a warning — and ``sampling_weight`` in the key (stratum size / units drawn from
    it) lets estimates be weighted back to the corpus. The same ``random_state`` gives
    the same sheet.

    ``texts`` serves a corpus held without its ``text`` column (only metadata, for corpora
    larger than memory): a function ``texts(doc_ids: list) -> pandas.Series`` (index
    ``doc_id``, values the texts), called once with the drawn ids in sheet order. The draw
    uses the metadata only, so the result equals that of the full corpus with the same
    ``random_state``. A corpus that has a ``text`` column is used as it is and ``texts``
    is not called. Returns a :class:`CodingSheet` (``sheet``, ``key``, ``variables``).

    >>> from analysis.validation.examples import tiny_corpus
    >>> sheet = coding_sheet(tiny_corpus(), n=6, stratify_by="outlet", variables={"frame_military": ["ja", "nein"]})
    >>> list(sheet.sheet.columns)
    ['unit', 'text', 'frame_military', 'note']
    >>> sheet.key["stratum"].value_counts().sort_index().to_dict()
    {'Der Standard': 3, 'Kurier': 3}

    The same sheet from the metadata, fetching only the six drawn texts:

    >>> full = tiny_corpus().set_index("doc_id")["text"]
    >>> fetch = lambda doc_ids: full.loc[doc_ids]  # e.g. read the ids from Parquet
    >>> lean = coding_sheet(tiny_corpus().drop(columns="text"), n=6, stratify_by="outlet",
    ...                     variables={"frame_military": ["ja", "nein"]}, texts=fetch)
    >>> lean.sheet.equals(sheet.sheet) and lean.key.equals(sheet.key)
    True
    """
    corpus = _checked_corpus(corpus, texts)
    variables = _checked_variables(variables, corpus.columns)
    if not isinstance(n, (int, np.integer)) or not 1 <= n <= len(corpus):
        raise ValueError(f"n must be an integer from 1 to the corpus size ({len(corpus)}), not {n!r}.")
    rng = np.random.default_rng(random_state)
    strata = _strata(corpus, stratify_by)
    chosen = _allocate(strata, int(n), rng)
    labels = strata.to_numpy()
    picked = np.concatenate([rng.choice(np.flatnonzero(labels == s), size=k, replace=False)
                             for s, k in chosen.items() if k])
    picked = rng.permutation(picked)  # interleave strata so that order tells the coder nothing
    units = [f"U{i:0{len(str(n))}d}" for i in range(1, len(picked) + 1)]
    docs = corpus.iloc[picked].reset_index(drop=True)
    raw_text = docs["text"] if "text" in docs.columns else _fetched_texts(texts, docs["doc_id"].tolist())
    docs = docs.assign(text=raw_text.fillna("").astype(str).to_numpy())
    shown = [c for c in SHOWN_COLUMNS if c in docs.columns]
    sheet = docs[shown].astype(object).where(docs[shown].notna(), "")
    sheet["text"] = sheet["text"].map(lambda t: t if len(t) <= EXCEL_CELL_CHARS else t[:EXCEL_CELL_CHARS] + " […]")
    sheet.insert(0, "unit", units)
    for name in [*variables, NOTE_COLUMN]:
        sheet[name] = ""
    stratum = strata.iloc[picked].reset_index(drop=True)
    sizes, drawn = strata.value_counts(), pd.Series(chosen)
    key = pd.DataFrame({"unit": units, "doc_id": docs["doc_id"].to_numpy(),
                        "stratum": stratum.to_numpy() if stratify_by is not None else np.nan,
                        "sampling_weight": (sizes[stratum] / drawn[stratum]).to_numpy()})
    key = pd.concat([key, docs.drop(columns=["doc_id", "text"])], axis=1)
    return CodingSheet(sheet, key, variables, random_state)


def _checked_corpus(corpus, texts) -> pd.DataFrame:
    require_columns(corpus, "doc_id")
    if "text" not in corpus.columns:
        if texts is None:
            require_columns(corpus, "text", hint=(
                "Pass a corpus with its texts, or pass texts= a function doc_ids -> pandas.Series of texts indexed "
                "by doc_id (e.g. reading the corpus's Parquet partitions) to fetch only the drawn documents' texts."))
        if not callable(texts):
            raise TypeError(f"texts must be a function doc_ids -> pandas.Series of texts indexed by doc_id, "
                            f"not {type(texts).__name__}.")
    duplicated = corpus["doc_id"].duplicated()
    if duplicated.any():
        examples = corpus.loc[duplicated, "doc_id"].head(3).tolist()
        raise ValueError(f"corpus has duplicate doc_id values (e.g. {examples}); "
                         "units must be unique — deduplicate first (analysis.corpus.dedupe).")
    return corpus.reset_index(drop=True)


def _fetched_texts(texts, doc_ids: list) -> pd.Series:
    """The drawn documents' texts from ``texts(doc_ids)``, in the order of ``doc_ids``."""
    fetched = texts(doc_ids)
    if not isinstance(fetched, pd.Series):
        raise TypeError(f"texts(doc_ids) must return a pandas.Series of texts indexed by doc_id, "
                        f"not {type(fetched).__name__}.")
    repeated = fetched.index[fetched.index.duplicated()]
    if len(repeated):
        raise ValueError(f"texts(doc_ids) returned several texts for doc_id {repeated[:3].tolist()}; "
                         "return one text per doc_id.")
    missing = [doc_id for doc_id in doc_ids if doc_id not in fetched.index]
    if missing:
        raise ValueError(f"texts(doc_ids) returned no text for {len(missing)} of the {len(doc_ids)} drawn "
                         f"documents, e.g. doc_id {missing[:5]}; it must return a Series indexed by doc_id "
                         "holding every requested id (check that the metadata and the texts come from the "
                         "same corpus and that doc_id has the same type in both).")
    return fetched.reindex(doc_ids).reset_index(drop=True)


def _checked_variables(variables, columns) -> dict:
    if not isinstance(variables, dict) or not variables:
        raise TypeError("variables must be a dict of variable -> allowed codes, e.g. "
                        "{'frame_military': ['yes', 'no']}.")
    checked = {}
    for name, values in variables.items():
        name = str(name).strip()
        if name in ("unit", *SHOWN_COLUMNS, NOTE_COLUMN) or name in columns:
            raise ValueError(f"variable {name!r} clashes with a column of the sheet or corpus; rename it "
                             "(e.g. 'code_' + name) so model scores and codes cannot be confused.")
        if values is not None:
            if isinstance(values, str) or not len(values):
                raise ValueError(f"variables[{name!r}] must be a non-empty list of codes (or None for free text).")
            values = [str(v).strip() for v in values]
            if len({v.casefold() for v in values}) < len(values):
                raise ValueError(f"variables[{name!r}] repeats a code (ignoring case): {values}.")
        checked[name] = values
    return checked


def _strata(corpus: pd.DataFrame, stratify_by) -> pd.Series:
    """Each document's stratum label (one stratum ``"all"`` without stratification)."""
    if stratify_by is None:
        return pd.Series("all", index=corpus.index)
    columns = [stratify_by] if isinstance(stratify_by, str) else list(stratify_by)
    require_columns(corpus, *columns, hint="Pass stratify_by= one of these columns, or None.")
    parts = corpus[columns].astype(str).where(corpus[columns].notna(), "(missing)")
    labels = parts.iloc[:, 0].rename(None)
    for column in range(1, len(columns)):  # joined column-wise, not row-wise: fast on a million documents
        labels = labels + " | " + parts.iloc[:, column]
    n_strata = labels.nunique()
    if n_strata > _MAX_STRATA:
        labels = largest_groups(labels, keep=_MAX_STRATA)
        merged = int((labels == OTHER).sum())
        warnings.warn(f"stratify_by gives {n_strata} strata: the {_MAX_STRATA - 1} largest are kept and the other "
                      f"{n_strata - _MAX_STRATA + 1} ({merged} documents) merged into one stratum {OTHER!r}; "
                      "sampling_weight in the key accounts for it. To choose the strata yourself, bin numeric "
                      "columns first, e.g. corpus.assign(score_bin=pd.qcut(corpus['score'], 4)).",
                      UserWarning, stacklevel=3)
    return labels


def _allocate(strata: pd.Series, n: int, rng) -> dict:
    """Equal allocation: units per stratum, capped at its size, leftovers spread over the rest."""
    sizes = strata.value_counts().sort_index()
    take = pd.Series(0, index=sizes.index)
    while take.sum() < n:
        open_ = sizes.index[take < sizes]
        share, extra = divmod(n - int(take.sum()), len(open_))
        bonus = set(rng.choice(open_, size=extra, replace=False)) if extra else set()
        for s in open_:
            take[s] = min(sizes[s], take[s] + share + (s in bonus))
    return take.to_dict()
