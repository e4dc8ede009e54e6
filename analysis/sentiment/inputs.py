"""The sentiment estimators' input convention, validated once at the boundary.

``X`` is a list/array/Series of texts, or a DataFrame with a ``text`` column and optionally
``target`` (the actor or entity whose evaluation is wanted) and ``target_start``/
``target_end`` (character offsets of the target in the text). Without offsets the target
is looked up in the text (first occurrence, case-insensitive as a fallback); a target that
cannot be found is reported with a :class:`TargetNotFoundWarning` and that row is scored
as a whole text. Labels are the strings ``"negative"``, ``"neutral"``, ``"positive"``.

>>> rows = as_rows(pd.DataFrame({"text": ["Putin droht, Kiew hofft."], "target": ["Kiew"]}))
>>> rows.texts, rows.spans
(['Putin droht, Kiew hofft.'], [(13, 17)])
"""

from __future__ import annotations

import warnings
from typing import NamedTuple

import numpy as np
import pandas as pd

from analysis.corpus.columns import guess_columns
from analysis.errors import MissingColumnError

LABELS = ("negative", "neutral", "positive")


class TargetNotFoundWarning(UserWarning):
    """A row's ``target`` does not occur in its text; the row is scored as a whole text."""


class Rows(NamedTuple):
    """Validated input: the texts and, per text, the target span or None."""

    texts: list[str]
    spans: list[tuple[int, int] | None]


def as_rows(X) -> Rows:
    """Validate ``X`` (texts, or a frame with ``text`` [+ ``target``, offsets]) into :class:`Rows`."""
    if isinstance(X, str):
        raise TypeError("X must be a list or Series of texts (or a DataFrame with a 'text' column), "
                        "not a single string; wrap it: [text].")
    if isinstance(X, pd.DataFrame):
        return _from_frame(X)
    try:
        texts = list(X)
    except TypeError as err:
        raise TypeError(f"X must be a list/Series of texts or a DataFrame, not {type(X).__name__}.") from err
    _check_texts(texts, where="X")
    return Rows(texts, [None] * len(texts))


def _from_frame(frame: pd.DataFrame) -> Rows:
    if "text" not in frame.columns:
        guess = guess_columns(frame.columns).get("text")
        hint = f" Rename it: X.rename(columns={{{guess!r}: 'text'}})." if guess else ""
        raise MissingColumnError(f"X has no column 'text'; columns are {list(frame.columns)}.{hint}")
    texts = frame["text"].tolist()
    _check_texts(texts, where="X['text']")
    if "target" not in frame.columns:
        return Rows(texts, [None] * len(texts))
    targets = frame["target"].tolist()
    has_offsets = {"target_start", "target_end"} <= set(frame.columns)
    starts = frame["target_start"].tolist() if has_offsets else [None] * len(texts)
    ends = frame["target_end"].tolist() if has_offsets else [None] * len(texts)
    spans, missing = [], []
    for row, (text, target, start, end) in enumerate(zip(texts, targets, starts, ends)):
        span = _span(text, target, start, end, row)
        if span is None and _present(target):
            missing.append(row)
        spans.append(span)
    if missing:
        warnings.warn(f"{len(missing)} of {len(texts)} targets do not occur in their text (rows {missing[:5]}); "
                      "those rows are scored as whole texts. Check the 'target' column or pass "
                      "target_start/target_end.", TargetNotFoundWarning, stacklevel=4)
    return Rows(texts, spans)


def _present(value) -> bool:
    return value is not None and not (pd.api.types.is_scalar(value) and pd.isna(value)) and str(value).strip() != ""


def check_span(text: str, span: tuple[int, int], row: int) -> tuple[int, int]:
    """``span``, a target's ``(start, end)`` character offsets into ``text`` (row ``row`` of the input),
    if it lies inside the text; a ValueError otherwise.

    >>> check_span("Kiew hofft.", (0, 4), 0)
    (0, 4)
    """
    start, end = span
    if not 0 <= start < end <= len(text):
        raise ValueError(f"row {row}: target span ({start}, {end}) does not lie inside the text of length "
                         f"{len(text)}; offsets are 0-based character positions with start < end.")
    return span


def _span(text: str, target, start, end, row: int) -> tuple[int, int] | None:
    """The target's ``(start, end)``: from the offsets when given, else found in the text."""
    if _present(start) and _present(end):
        try:
            start, end = int(start), int(end)
        except (TypeError, ValueError) as err:
            raise TypeError(f"row {row}: target_start/target_end must be integers, got {start!r}, {end!r}.") from err
        return check_span(text, (start, end), row)
    if not _present(target):
        return None
    target = str(target).strip()
    found = text.find(target)
    if found < 0:
        found = text.lower().find(target.lower())
    return (found, found + len(target)) if found >= 0 else None


def _check_texts(texts: list, *, where: str) -> None:
    bad = [i for i, t in enumerate(texts) if not isinstance(t, str)]
    if bad:
        raise TypeError(f"{where} must hold strings; {len(bad)} row(s) do not (positions {bad[:5]}, e.g. "
                        f"{texts[bad[0]]!r}). Fill missing texts with '' or drop those rows first.")


def check_labels(y, n: int) -> np.ndarray:
    """``y`` as an array of the label strings, of length ``n``; errors name the bad values."""
    if y is None:
        raise ValueError("y is required: one label per text ('negative', 'neutral' or 'positive').")
    labels = np.asarray(list(y), dtype=object)
    if len(labels) != n:
        raise ValueError(f"X has {n} rows but y has {len(labels)} labels; pass one label per text.")
    unknown = sorted({str(v) for v in labels} - set(LABELS))
    if unknown:
        raise ValueError(f"y holds unknown labels {unknown[:5]}; use {list(LABELS)} "
                         "(map yours first, e.g. y.map({'neg': 'negative', ...})).")
    return labels.astype(str)
