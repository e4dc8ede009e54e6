"""Code units in the notebook, every answer saved as it is given: :func:`code_units`.

The codes live in one CSV at ``path`` (``doc_id``, ``text``, one column per variable,
``coded_at``), rewritten atomically after each answer (a temporary file replaces it, so a
crash never leaves half a file) and read back on the next call, which resumes at the first
unit not fully coded. Cells a spreadsheet would run as formulas are escaped
(:mod:`analysis.validation.spreadsheet`). :meth:`CodingForm.codes` gives the coded units
for :func:`~analysis.coding.train_coder`. In JupyterLab the form shows an ipywidgets form
(:mod:`analysis.coding.widget`, with keyboard shortcuts); elsewhere it shows a plain table:
fill it (:meth:`CodingForm.table`) and read it back with :meth:`CodingForm.read_table`, or
call :meth:`CodingForm.answer`.
"""

from __future__ import annotations

import html
import os
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.corpus.schema import check_corpus
from analysis.validation.spreadsheet import read_coders_csv, write_coders_csv

STAMP_COLUMN = "coded_at"


class CodingForm:
    """Units, variables and the answers given so far, kept in sync with ``path``.

    ``units``: a corpus frame (``doc_id``, ``text``); ``variables``: name → allowed codes.
    ``answers``: a frame indexed by ``doc_id`` with one column per variable (NaN = not yet
    coded) and ``coded_at`` (UTC time of the unit's last answer). ``position``: the unit
    the form shows (on opening: the first not fully coded).
    """

    def __init__(self, units: pd.DataFrame, variables: dict, path):
        check_corpus(units, what="units")
        self.units = units[["doc_id", "text"]].assign(doc_id=units["doc_id"].astype(str)).reset_index(drop=True)
        self.variables = _checked_variables(variables)
        self.path = Path(path)
        self.answers = pd.DataFrame(np.nan, index=pd.Index(self.units["doc_id"], name="doc_id"),
                                    columns=[*self.variables, STAMP_COLUMN], dtype=object)
        if self.path.is_file():
            self._resume()
        self.position = self.next_uncoded() or 0
        self._widget = None

    def __len__(self) -> int:
        return len(self.units)

    def __repr__(self) -> str:
        return f"CodingForm({len(self)} units, {self.n_coded} coded, saved to '{self.path}')"

    @property
    def n_coded(self) -> int:
        """Units with a code for every variable."""
        return int(self.answers[list(self.variables)].notna().all(axis=1).sum())

    def next_uncoded(self) -> int | None:
        """Position of the first unit that lacks a code (None when all are coded)."""
        open_ = np.flatnonzero(self.answers[list(self.variables)].isna().any(axis=1).to_numpy())
        return int(open_[0]) if len(open_) else None

    def answer(self, unit, variable: str, code) -> None:
        """Record ``code`` (an allowed code, any case and spacing, or None to clear) for ``variable``
        of ``unit`` (its ``doc_id``, or its position as an int) and save at once."""
        doc_id = self._doc_id(unit)
        if variable not in self.variables:
            raise KeyError(f"no variable {variable!r}; variables are {list(self.variables)}.")
        self.answers.loc[doc_id, variable] = None if code is None else self._allowed(variable, code, doc_id)
        self.answers.loc[doc_id, STAMP_COLUMN] = datetime.now(timezone.utc).isoformat(timespec="seconds")
        self.save()

    def code(self, unit, variable: str):
        """The recorded code of ``variable`` for ``unit`` (None when not coded)."""
        value = self.answers.loc[self._doc_id(unit), variable]
        return None if pd.isna(value) else value

    def codes(self) -> pd.DataFrame:
        """Units with at least one code: ``doc_id``, ``text``, one column per variable, ``coded_at``."""
        coded = self.answers[self.answers[list(self.variables)].notna().any(axis=1)]
        return self.units.set_index("doc_id").loc[coded.index].join(coded).reset_index()

    def save(self) -> Path:
        """Write :meth:`codes` to ``path`` atomically (also done after every answer)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(self.path.name + ".part")
        write_coders_csv(self.codes(), temporary, encoding="utf-8")
        os.replace(temporary, self.path)
        return self.path

    def table(self) -> pd.DataFrame:
        """Every unit with its codes so far (empty where none): the plain table to fill."""
        filled = self.answers[list(self.variables)].fillna("")
        return self.units.set_index("doc_id").join(filled).reset_index()

    def read_table(self, table) -> CodingForm:
        """Record the codes of a filled :meth:`table` (a frame, or a CSV/XLSX path); blanks are skipped."""
        if not isinstance(table, pd.DataFrame):
            path = Path(table)
            table = pd.read_excel(path, dtype=str) if path.suffix.lower() in (".xlsx", ".xlsm") else \
                read_coders_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        missing = [c for c in ("doc_id", *self.variables) if c not in table.columns]
        if missing:
            raise KeyError(f"the table has no column {missing[0]!r}; fill form.table() and read that back.")
        for doc_id, row in table.set_index(table["doc_id"].astype(str)).iterrows():
            for variable in self.variables:
                if isinstance(row[variable], str) and row[variable].strip():
                    self.answer(doc_id, variable, row[variable])
        return self

    def form(self):
        """The ipywidgets form (needs ipywidgets; shown by the notebook when the form is displayed)."""
        if self._widget is None:
            from analysis.coding.widget import CodingWidget

            self._widget = CodingWidget(self)
        return self._widget

    def _repr_mimebundle_(self, **kwargs):
        if _in_notebook():
            return self.form().widget._repr_mimebundle_(**kwargs)
        return {"text/plain": repr(self), "text/html": self._repr_html_()}

    def _repr_html_(self) -> str:
        about = (f"{len(self)} units, {self.n_coded} coded, saved to {self.path}. Outside JupyterLab: fill "
                 "form.table() (e.g. as a spreadsheet) and read it back with form.read_table(...).")
        return f"<p><b>{html.escape(about)}</b></p>" + self.table().head(20).to_html(index=False)

    def _doc_id(self, unit) -> str:
        if isinstance(unit, (int, np.integer)) and not isinstance(unit, bool):
            if not 0 <= unit < len(self):
                raise IndexError(f"no unit {unit}; positions run from 0 to {len(self) - 1}.")
            return self.units["doc_id"].iloc[int(unit)]
        if str(unit) not in self.answers.index:
            raise KeyError(f"no unit with doc_id {unit!r} in this form.")
        return str(unit)

    def _allowed(self, variable: str, code, where) -> str:
        allowed = {c.casefold(): c for c in self.variables[variable]}
        text = " ".join(str(code).split()).casefold()
        if text not in allowed:
            raise ValueError(f"unit {where}: {code!r} is not a code of {variable!r}; allowed: "
                             f"{', '.join(self.variables[variable])}.")
        return allowed[text]

    def _resume(self) -> None:
        saved = read_coders_csv(self.path, dtype=str, keep_default_na=False, encoding="utf-8")
        missing = [c for c in ("doc_id", *self.variables) if c not in saved.columns]
        if missing:
            raise ValueError(f"'{self.path}' has no column {missing[0]!r}: it holds other codes. Pass a new path.")
        unknown = ~saved["doc_id"].isin(self.answers.index)
        if unknown.any():
            raise ValueError(f"'{self.path}' holds codes for units not in units (e.g. "
                             f"{saved.loc[unknown, 'doc_id'].head(3).tolist()}); pass the same units or a new path.")
        for _, row in saved.iterrows():
            for variable in self.variables:
                if row[variable].strip():
                    self.answers.loc[row["doc_id"], variable] = self._allowed(variable, row[variable], row["doc_id"])
            self.answers.loc[row["doc_id"], STAMP_COLUMN] = row.get(STAMP_COLUMN) or None

def _checked_variables(variables) -> dict:
    if not isinstance(variables, dict) or not variables:
        raise TypeError("variables must be a dict of name -> allowed codes, e.g. {'frame': ['military', 'other']}.")
    checked = {}
    for name, codes in variables.items():
        if isinstance(codes, str) or codes is None or len(list(codes)) < 2:
            raise ValueError(f"variable {name!r} needs a list of at least two codes, not {codes!r}.")
        checked[str(name)] = [" ".join(str(c).split()) for c in codes]
    reserved = {"doc_id", "text", STAMP_COLUMN} & set(checked)
    if reserved:
        raise ValueError(f"a variable may not be called {sorted(reserved)[0]!r}; rename it.")
    return checked


def _in_notebook() -> bool:
    """Whether a Jupyter kernel runs this code (where widgets can be shown)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and hasattr(shell, "kernel")


def code_units(units: pd.DataFrame, variables: dict, path) -> CodingForm:
    """Code ``units`` on ``variables`` in the notebook, each answer saved to ``path`` at once.

    Returns a :class:`CodingForm`; display it (last line of a cell) for the widget form in
    JupyterLab — one unit at a time, a button row per variable, back/next, and keys (type
    into the shortcut box: ``1``–``9`` picks a code of the highlighted variable and moves on,
    ``n``/``b`` next/back unit, ``0`` clears). Outside Jupyter it shows the plain table. An
    existing ``path`` is resumed; it must hold codes of the same units and variables.

    >>> import os, tempfile
    >>> from analysis.coding.examples import coded_units
    >>> units = coded_units().head(3)
    >>> path = os.path.join(tempfile.mkdtemp(), "codes.csv")
    >>> form = code_units(units, {"frame": ["military", "humanitarian"]}, path)
    >>> form.answer("u00", "frame", "Military ")
    >>> code_units(units, {"frame": ["military", "humanitarian"]}, path).position  # resumes at the second unit
    1
    """
    return CodingForm(units, variables, path)
