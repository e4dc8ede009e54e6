"""The one check of the kit's frames: the right type, the columns a step needs, unique ids, real texts.

Every public function that takes a corpus frame (or a table of scores, codes, mentions)
validates it here, once, at its boundary, so every error reads alike and names what to do.

>>> import pandas as pd
>>> corpus = pd.DataFrame({"doc_id": ["a", "a"], "inhalt": ["Krieg", "Frieden"]})
>>> check_corpus(corpus)
Traceback (most recent call last):
...
analysis.errors.MissingColumnError: corpus has no column 'text'; columns are ['doc_id', 'inhalt']. Pass text_col='inhalt' or rename the column.
>>> check_corpus(corpus, text_col="inhalt")
Traceback (most recent call last):
...
ValueError: corpus has duplicate doc_id values, e.g. ['a']; doc_id must be unique (load_corpus reports and drops duplicates).
"""

from __future__ import annotations

import pandas as pd

from analysis.corpus.columns import guess_columns
from analysis.errors import MissingColumnError


def require_columns(frame, *columns, what: str = "corpus", hint: str = "") -> None:
    """Raise unless ``frame`` is a DataFrame with every column in ``columns`` (``None`` entries are skipped).

    The error names the first missing column, the columns there are, and ``hint`` (what to
    pass instead); for a missing text column it suggests a likely one.
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"{what} must be a pandas DataFrame, not {type(frame).__name__}.")
    missing = [c for c in columns if c is not None and c not in frame.columns]
    if not missing:
        return
    if not hint and missing[0] == "text":
        likely = guess_columns(frame.columns).get("text")
        hint = f"Pass text_col={likely!r} or rename the column." if likely is not None else "Pass text_col=… to name it."
    raise MissingColumnError(f"{what} has no column {missing[0]!r}; columns are {list(frame.columns)}."
                             + (f" {hint}" if hint else ""))


def require_unique(frame: pd.DataFrame, column: str = "doc_id", *, what: str = "corpus") -> None:
    """Raise unless ``frame[column]`` has no repeated value (the first three repeats are named)."""
    values = frame[column]
    repeated = values[values.duplicated()]
    if len(repeated):
        raise ValueError(f"{what} has duplicate {column} values, e.g. {repeated.unique()[:3].tolist()}; "
                         f"{column} must be unique (load_corpus reports and drops duplicates).")


def check_corpus(corpus, *, text_col: str | None = "text", id_col: str | None = "doc_id",
                 unique_ids: bool = True, what: str = "corpus") -> None:
    """The corpus-frame schema check: a DataFrame with ``id_col`` and ``text_col``, ids unique, texts str.

    Pass ``None`` for a column the step does not need. A missing text (NaN, None) is an
    error naming the documents: load the corpus with :func:`analysis.load_corpus`, which
    rejects them with a reason.
    """
    require_columns(corpus, id_col, text_col, what=what)
    if id_col is not None and unique_ids:
        require_unique(corpus, id_col, what=what)
    if text_col is not None:
        texts = corpus[text_col]
        if isinstance(texts.dtype, pd.StringDtype):  # holds str or missing: no copy of every text to look at it
            bad = texts.isna()
        else:
            bad = ~texts.map(lambda t: isinstance(t, str)).astype(bool)
        if bad.any():
            where = corpus.loc[bad, id_col].tolist()[:3] if id_col is not None else texts.index[bad].tolist()[:3]
            raise ValueError(f"{what} has {int(bad.sum())} missing or non-text value(s) in {text_col!r} "
                             f"(e.g. documents {where}); drop or fill them, or load the corpus with load_corpus, "
                             "which rejects empty texts with a reason.")
