"""The codes of one coded variable as a classifier's targets: one code per unit, or several.

Single-label codes (``"negative"``/``"neutral"``/``"positive"``, a frame) become strings
(Excel's ``1.0`` is ``"1"``). Multi-label codes come in one of three shapes, all turned into
a units × labels 0/1 matrix: yes/no columns (``frame_military: ja/nein`` — one per label, as
a coding sheet has them), one column of ``;``-separated labels (``"military; humanitarian"``,
``""`` for none), or one column of lists/sets.

>>> Y, labels = encode_multilabel(pd.DataFrame({"military": ["ja", "Nein ", 1], "economic": ["no", "x", "0"]}))
>>> Y.tolist(), labels.tolist()
([[0, 1], [1, 0], [0, 1]], ['economic', 'military'])
>>> encode_multilabel(pd.Series(["military; humanitarian", "", ["military"]]))[0].tolist()
[[1, 1], [0, 0], [0, 1]]
"""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd

YES = frozenset({"1", "true", "yes", "ja", "j", "y", "x", "wahr"})
NO = frozenset({"0", "false", "no", "nein", "n", "falsch"})
SEPARATOR = ";"


def missing(value) -> bool:
    """Whether a code cell is empty (None, NaN, NA): the unit was not coded."""
    if isinstance(value, (list, tuple, set, frozenset, np.ndarray)):
        return False
    return value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value))


def as_code(value) -> str:
    """A code as stripped text; integral numbers without ``.0``."""
    if isinstance(value, numbers.Real) and not isinstance(value, bool) and float(value).is_integer():
        value = int(value)
    return " ".join(str(value).split())


def encode_single(y) -> tuple[np.ndarray, np.ndarray]:
    """Codes as a 1-D array of str and the sorted classes; an uncoded unit is an error."""
    values = list(y)
    empty = [i for i, v in enumerate(values) if missing(v)]
    if empty:
        raise ValueError(f"{len(empty)} units have no code (positions {empty[:5]}); drop uncoded units first "
                         "(train_coder does this for you).")
    codes = np.array([as_code(v) for v in values], dtype=object)
    return codes, np.array(sorted(set(codes)), dtype=object)


def encode_multilabel(y) -> tuple[np.ndarray, np.ndarray]:
    """Several codes per unit as a units × labels 0/1 matrix and the sorted label names."""
    if isinstance(y, pd.DataFrame):
        return _from_columns(y)
    array = np.asarray(y, dtype=object) if not isinstance(y, pd.Series) else None
    if array is not None and array.ndim == 2:
        return _from_columns(pd.DataFrame(array, columns=[str(i) for i in range(array.shape[1])]))
    sets = [_label_set(v, i) for i, v in enumerate(list(y))]
    labels = np.array(sorted(set().union(*sets)), dtype=object)
    index = {label: j for j, label in enumerate(labels)}
    Y = np.zeros((len(sets), len(labels)), dtype=np.int64)
    for i, found in enumerate(sets):
        Y[i, [index[label] for label in found]] = 1
    return Y, labels


def _label_set(value, row: int) -> set:
    if missing(value):
        raise ValueError(f"unit at position {row} has no codes (NaN); use '' for a unit with none of the labels, "
                         "or drop uncoded units first.")
    parts = value if isinstance(value, (list, tuple, set, frozenset, np.ndarray)) else str(value).split(SEPARATOR)
    return {as_code(p) for p in parts if not missing(p) and as_code(p)}


def _from_columns(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    order = sorted(frame.columns, key=str)
    Y = np.zeros((len(frame), len(order)), dtype=np.int64)
    for j, column in enumerate(order):
        for i, value in enumerate(frame[column]):
            Y[i, j] = _yes_no(value, column, i)
    return Y, np.array([str(c) for c in order], dtype=object)


def _yes_no(value, column, row: int) -> int:
    if missing(value):
        raise ValueError(f"column {column!r} has no code at position {row}; drop uncoded units first.")
    text = as_code(value).casefold()
    if text in YES:
        return 1
    if text in NO:
        return 0
    raise ValueError(f"column {column!r}, position {row}: {value!r} is neither yes nor no; multi-label columns hold "
                     f"one of {sorted(YES)} or {sorted(NO)}.")
