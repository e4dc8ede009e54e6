"""Corpus overview tables: documents per group and period, lengths, long documents.

Each function takes a corpus frame and returns a tidy frame for :mod:`analysis.plotting.corpus`.
Term statistics (top lemmas per group) are in :mod:`analysis.explore.term_counts`.

>>> import pandas as pd
>>> corpus = pd.DataFrame({"doc_id": ["a", "b", "c"], "outlet": ["taz", "taz", "Zeit"],
...     "published": pd.to_datetime(["2022-01-05", "2022-03-01", "2022-01-09"], utc=True),
...     "text": ["Soldaten kämpfen.", "Die Soldaten fliehen.", "Diplomaten verhandeln."], "lang": "de"})
>>> count_documents(corpus, by="outlet", period="M")[["outlet", "period", "n_docs"]].values.tolist()
[['Zeit', '2022-01', 1], ['Zeit', '2022-02', 0], ['Zeit', '2022-03', 0], ['taz', '2022-01', 1], ['taz', '2022-02', 0], ['taz', '2022-03', 1]]
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from analysis.text.preprocessor import corpus_preprocessor, corpus_tokens
from analysis.text.tokenize import holds_letter, text_pieces, tokenize
from analysis.corpus.schema import require_columns


def group_labels(corpus: pd.DataFrame, by) -> pd.Series:
    """Group labels as strings, ``"(none)"`` where missing; a single group when ``by`` is None."""
    if by is None:
        return pd.Series("all", index=corpus.index)
    return as_labels(corpus[by])


def as_labels(values: pd.Series) -> pd.Series:
    """Values as group labels: strings, ``"(none)"`` where missing."""
    return values.astype(object).where(values.notna(), "(none)").astype(str)


def count_documents(corpus: pd.DataFrame, *, by: str | None = "outlet", period: str = "M") -> pd.DataFrame:
    """Documents per group and calendar period, with empty periods as zero rows.

    One row per group × period from the first to the last dated document.
    Columns: ``<by>`` (or ``group``), ``period`` (label such as ``2022-02``),
    ``period_start`` (UTC timestamp), ``n_docs``. Undated documents are not counted;
    ``corpus["published"].isna().sum()`` tells how many.
    """
    require_columns(corpus, "published", by)
    name = by or "group"
    dated = corpus[corpus["published"].notna()]
    groups = group_labels(dated, by)
    columns = [name, "period", "period_start", "n_docs"]
    if dated.empty:
        return pd.DataFrame(columns=columns)
    periods = dated["published"].dt.tz_convert(None).dt.to_period(period)
    span = pd.period_range(periods.min(), periods.max(), freq=period)
    counts = pd.crosstab(groups, periods).reindex(columns=span, fill_value=0)
    long = counts.stack().rename("n_docs").reset_index()
    long.columns = [name, "period", "n_docs"]
    long["period_start"] = long["period"].map(lambda p: p.start_time.tz_localize("UTC"))
    long["period"] = long["period"].astype(str)
    return long[columns].sort_values([name, "period_start"], kind="stable").reset_index(drop=True)


@lru_cache(maxsize=200_000)
def _words_in(chunk: str) -> int:
    """Tokens of a whitespace-free ``chunk`` that hold a letter (each distinct chunk counted once)."""
    return sum(map(holds_letter, tokenize(chunk)))


def count_words(text: str) -> int:
    """Tokens of ``text`` that hold a letter: its words, as :func:`document_lengths` counts them.

    >>> count_words("Kim Jong Un (41) schickt 1.500 Soldat*innen.")
    5
    """
    return sum(sum(map(_words_in, piece.split())) for piece in text_pieces(text))


def document_lengths(corpus: pd.DataFrame, *, by: str | None = "outlet", preprocessor=None,
                     tokens: list[list[str]] | None = None, n_words=None) -> pd.DataFrame:
    """Length of each document. Columns: ``doc_id``, ``<by>``, ``n_chars``, ``n_words``
    (all word tokens) and ``n_terms`` (tokens left after preprocessing).

    ``tokens``: the preprocessor's output for ``corpus["text"]`` (one list per document),
    if the caller has it already; then ``preprocessor`` is not used. ``n_words``: each
    document's :func:`count_words`, if the caller has them (the documents' analyses count them:
    :attr:`~analysis.text.analysis.TextAnalysis.n_words`).

    >>> corpus = pd.DataFrame({"doc_id": ["a"], "outlet": ["taz"], "text": ["Die Soldaten fliehen."]})
    >>> document_lengths(corpus, tokens=[["soldat", "fliehen"]]).values.tolist()
    [['a', 'taz', 21, 3, 2]]
    """
    require_columns(corpus, "doc_id", "text", by)
    if tokens is None:
        tokens = corpus_tokens(preprocessor or corpus_preprocessor(corpus), corpus)
    elif len(tokens) != len(corpus):
        raise ValueError(f"tokens has {len(tokens)} lists for {len(corpus)} documents; pass one list per document.")
    if n_words is not None and len(n_words) != len(corpus):
        raise ValueError(f"n_words has {len(n_words)} counts for {len(corpus)} documents; pass one per document.")
    n_words = corpus["text"].map(count_words) if n_words is None else pd.Series(n_words, index=corpus.index)
    frame = pd.DataFrame({"doc_id": corpus["doc_id"], (by or "group"): group_labels(corpus, by),
                          "n_chars": corpus["text"].str.len(), "n_words": n_words,
                          "n_terms": [len(doc) for doc in tokens]})
    return frame.reset_index(drop=True)


LONG_FACTOR = 50  # a document this many times the median length is flagged


def long_documents(lengths: pd.DataFrame, *, factor: float = LONG_FACTOR, column: str = "n_words") -> pd.DataFrame:
    """Documents longer than ``factor`` × the median length: they can dominate term counts
    (top lemmas, keyness) and are often not articles but dumps (a whole issue, a PDF export).

    ``lengths``: :func:`document_lengths`' table. One row per flagged document, longest
    first; its columns plus ``times_median`` (its length over the median, rounded to 0.1).

    >>> lengths = pd.DataFrame({"doc_id": list("abcd"), "n_words": [100, 120, 90, 9_000]})
    >>> long_documents(lengths).values.tolist()
    [['d', 9000, 81.8]]
    """
    require_columns(lengths, "doc_id", column, what="document lengths")
    median = lengths[column].median()
    if not len(lengths) or not median > 0:
        return lengths.iloc[:0].assign(times_median=pd.Series(dtype=float))
    flagged = lengths[lengths[column] > factor * median]
    flagged = flagged.assign(times_median=(flagged[column] / median).round(1))
    return flagged.sort_values(column, ascending=False, kind="stable").reset_index(drop=True)
