"""Row checks: which input rows a load keeps, and why it rejects the others.

A row check looks at one chunk's rows and gives each row a reason string, ``""`` for a row it
keeps and ``"reason\\tdetail"`` for one it rejects; :func:`reject` splits the rejected rows off
as records (``row``, ``doc_id``, ``reason``, ``detail``) and :func:`rejected_frame` lists them
with the rows the reader could not parse, in input order (:data:`REJECTED_COLUMNS`).
The reasons and their details:

- :func:`text_reasons`: ``missing text``; ``empty text`` with ``empty``, ``whitespace only``
  or ``nothing left after cleaning`` (:func:`empty_detail`).
- :func:`id_reasons`: ``missing doc_id``; ``duplicate doc_id`` with ``first at row N``.
- :func:`duplicate_text_reasons`: ``duplicate text`` with ``duplicate text of ID`` (the first
  kept text equal to it, compared by :func:`~analysis.corpus.seen.duplicate_key`).

A kept text that was not a string (a list, a number) is converted (:func:`as_text`) and listed
as a ``text converted to string`` problem (:func:`text_problems`). Ids are strings
(:func:`id_string`), or ``doc0…`` from row positions without an id column (:func:`doc_ids`).

>>> import pandas as pd
>>> from analysis.corpus.seen import SeenIds
>>> records = pd.DataFrame({"id": [1, 1, 2, 3, None], "text": ["Krieg.", "Frieden.", "  ", "KRIEG.", "Waffen."]})
>>> frame = pd.DataFrame({"doc_id": doc_ids(records, "id", 1), "text": records["text"].map(lambda t: cleaned_text(t, "auto"))})
>>> frame, by_text = reject(frame, text_reasons(records, "text", frame["text"]))
>>> frame, by_id = reject(frame, id_reasons(frame["doc_id"], SeenIds()))
>>> frame, by_duplicate = reject(frame, duplicate_text_reasons(frame, SeenIds()))
>>> [(r["row"], r["reason"], r["detail"]) for r in by_text + by_id + by_duplicate]
[(2, 'empty text', 'whitespace only'), (1, 'duplicate doc_id', 'first at row 0'), (4, 'missing doc_id', ''), (3, 'duplicate text', 'duplicate text of 1')]
>>> frame.to_dict("records")
[{'doc_id': '1', 'text': 'Krieg.'}]
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.corpus.readers import RawTable
from analysis.corpus.records import excerpt
from analysis.corpus.seen import SeenIds, text_hashes
from analysis.text.normalize import clean_text

REJECTED_COLUMNS = ("row", "line", "doc_id", "reason", "detail", "excerpt", "source")


def rejected_frame(rejected: list[dict], raw: RawTable, texts: pd.Series) -> pd.DataFrame:
    """The rejected rows in input order, each with its file line (line-based files) and an excerpt."""
    lines = raw.lines or {}
    rows = [{**r, "line": r.get("line", lines.get(r["row"])), "source": raw.source,
             "excerpt": r.get("excerpt") if "excerpt" in r else excerpt(as_text(texts.get(r["row"])) or "")}
            for r in rejected]
    frame = pd.DataFrame(rows, columns=list(REJECTED_COLUMNS)).sort_values("row", kind="stable")
    return frame.reset_index(drop=True).astype(
        {"row": "int64", "line": "Int64", **dict.fromkeys(("doc_id", "reason", "detail", "excerpt", "source"), "str")})


def as_text(value) -> str | None:
    """A text cell as a string: lists/arrays of strings joined by blank lines, numbers written out; missing -> None."""
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple, np.ndarray)):
        return "\n\n".join(str(v) for v in value if v is not None and not (isinstance(v, float) and v != v))
    if value is None or pd.isna(value):
        return None
    return str(value)


def non_string_type(value) -> str | None:
    """The type name of a text cell that is neither a string nor missing."""
    if isinstance(value, str) or value is None or (isinstance(value, float) and value != value):
        return None
    return type(value).__name__


@dataclass
class PreparedTexts:
    """The per-row part of loading a chunk's texts, which needs no other row (so worker processes can
    do it for a large input): ``cleaned`` (:func:`cleaned_text` by row) and ``hashes`` (by row, the
    :func:`~analysis.corpus.seen.text_hashes` of the non-empty cleaned texts; None when not asked)."""

    cleaned: pd.Series
    hashes: pd.Series | None

    @classmethod
    def joined(cls, parts: list["PreparedTexts"]) -> "PreparedTexts":
        """The parts of one chunk's texts (consecutive rows) as one."""
        hashes = None if parts[0].hashes is None else pd.concat([part.hashes for part in parts])
        return cls(pd.concat([part.cleaned for part in parts]), hashes)


def prepared_texts(texts: pd.Series, html_markup: str, *, hash_keys: bool = True) -> PreparedTexts:
    """:class:`PreparedTexts` of a chunk's raw text column.

    >>> prepared = prepared_texts(pd.Series(["<p>Angriff  auf Kursk</p>", None, "angriff auf kursk"]), "auto")
    >>> prepared.cleaned[0], prepared.hashes.index.tolist(), bool(prepared.hashes[0] == prepared.hashes[2])
    ('Angriff auf Kursk', [0, 2], True)
    """
    cleaned = texts.map(lambda text: cleaned_text(text, html_markup))
    if not hash_keys:
        return PreparedTexts(cleaned, None)
    present = cleaned[[isinstance(text, str) and text != "" for text in cleaned]]
    return PreparedTexts(cleaned, pd.Series(text_hashes(present.tolist()), index=present.index, dtype=np.uint64))


def cleaned_text(value, html_markup: str):
    """The kept text: :func:`clean_text`, then NFC (cleaning can leave a combining mark next to its letter)."""
    text = as_text(value)
    return None if text is None else unicodedata.normalize("NFC", clean_text(text, html_markup=html_markup))


def text_problems(frame: pd.DataFrame, converted: pd.Series, text_col, problems: pd.DataFrame) -> pd.DataFrame:
    """Kept rows whose text was not a string (a list, a number) add a ``text converted to string`` problem."""
    kept = converted.reindex(frame.index).dropna()
    if kept.empty:
        return problems
    rows = pd.DataFrame({"row": kept.index, "doc_id": frame.loc[kept.index, "doc_id"].to_numpy(), "column": str(text_col),
                         "value": kept.to_numpy(), "problem": "text converted to string"})
    return pd.concat([problems, rows], ignore_index=True)


def text_reasons(records: pd.DataFrame, text_col, cleaned: pd.Series) -> pd.Series:
    """``missing text`` or ``empty text`` (with :func:`empty_detail`) per row whose cleaned text is missing or empty."""
    original = records[text_col] if text_col in records else pd.Series(index=records.index, dtype=object)
    reasons = pd.Series("", index=cleaned.index, dtype=object)
    reasons[cleaned.isna()] = "missing text"
    reasons[cleaned.notna() & (cleaned == "")] = "empty text"
    bad = reasons.index[reasons != ""]  # only their original texts are read (a long text's read is a copy)
    if len(bad):
        reasons[bad] = reasons[bad] + "\t" + original.reindex(bad).map(empty_detail).fillna("").to_numpy(dtype=object)
    return reasons


def empty_detail(value) -> str:
    """Why a text came out empty: the field was ``empty``, held ``whitespace only``, or cleaning removed all."""
    if not isinstance(value, str):
        return ""
    return "empty" if not value else "whitespace only" if not value.strip() else "nothing left after cleaning"


def doc_ids(records: pd.DataFrame, id_col, width: int) -> pd.Series:
    """Per row: :func:`id_string` of ``id_col``, or ``doc`` and the row position padded to ``width`` without one."""
    if id_col is None:
        return pd.Series([f"doc{p:0{width}d}" for p in records.index], index=records.index, dtype=object)
    return records[id_col].map(id_string).astype(object)


def id_string(value):
    """Numeric ids become clean strings: ``7`` and ``7.0`` -> ``"7"``; missing stays None."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip() or None


def id_reasons(ids: pd.Series, seen: SeenIds) -> pd.Series:
    """``missing doc_id``, or ``duplicate doc_id`` for an id ``seen`` earlier in this load (naming its first row)."""
    reasons = pd.Series("", index=ids.index, dtype=object)
    reasons[ids.isna()] = "missing doc_id\t"
    first_at = seen.first_rows(ids.dropna())
    duplicated = first_at[first_at >= 0]
    reasons[duplicated.index] = [f"duplicate doc_id\tfirst at row {row}" for row in duplicated]
    return reasons


def duplicate_text_reasons(frame: pd.DataFrame, seen: SeenIds, hashes: pd.Series | None = None) -> pd.Series:
    """``duplicate text`` for a text equal (:func:`~analysis.corpus.seen.duplicate_key`) to one kept earlier in
    this load. ``hashes``: the texts' :func:`~analysis.corpus.seen.text_hashes` by row, when made already
    (:func:`prepared_texts`)."""
    reasons = pd.Series("", index=frame.index, dtype=object)
    if frame.empty:
        return reasons
    hashes = text_hashes(frame["text"].tolist()) if hashes is None else hashes.reindex(frame.index).to_numpy()
    first = seen.first_labels(pd.Series(hashes, index=frame.index), frame["doc_id"], hashed=True)
    for row, doc_id in first.dropna().items():
        reasons[row] = f"duplicate text\tduplicate text of {doc_id}"
    return reasons


def reject(frame: pd.DataFrame, reasons: pd.Series) -> tuple[pd.DataFrame, list[dict]]:
    """Split off rows with a reason (``"reason\\tdetail"``) as rejected records."""
    bad = reasons != ""
    rows = []
    for row, value in reasons[bad].items():
        reason, _, detail = value.partition("\t")
        rows.append({"row": row, "doc_id": frame.at[row, "doc_id"], "reason": reason, "detail": detail})
    return frame[~bad], rows
