"""Corpus overview tables: documents per group and period, lengths, top lemmas per group.

Each function takes a corpus frame and returns a tidy frame for :mod:`analysis.plotting`.

>>> import pandas as pd
>>> corpus = pd.DataFrame({"doc_id": ["a", "b", "c"], "outlet": ["taz", "taz", "Zeit"],
...     "published": pd.to_datetime(["2022-01-05", "2022-03-01", "2022-01-09"], utc=True),
...     "text": ["Soldaten kämpfen.", "Die Soldaten fliehen.", "Diplomaten verhandeln."], "lang": "de"})
>>> count_documents(corpus, by="outlet", period="M")[["outlet", "period", "n_docs"]].values.tolist()
[['Zeit', '2022-01', 1], ['Zeit', '2022-02', 0], ['Zeit', '2022-03', 0], ['taz', '2022-01', 1], ['taz', '2022-02', 0], ['taz', '2022-03', 1]]
>>> top_terms(corpus, by="outlet", n=1)[["outlet", "term", "count"]].values.tolist()
[['Zeit', 'diplomat', 1], ['taz', 'soldat', 2]]
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import CountVectorizer

from analysis.errors import MissingColumnError
from analysis.text.preprocessor import Preprocessor


def _require(corpus: pd.DataFrame, *columns) -> None:
    missing = [c for c in columns if c is not None and c not in corpus.columns]
    if missing:
        raise MissingColumnError(f"corpus has no column {missing[0]!r}; columns are {list(corpus.columns)}.")


def _groups(corpus: pd.DataFrame, by) -> pd.Series:
    """Group labels as strings, ``"(none)"`` where missing; a single group when ``by`` is None."""
    if by is None:
        return pd.Series("all", index=corpus.index)
    return corpus[by].astype(object).where(corpus[by].notna(), "(none)").astype(str)


def _already_tokens(tokens: list[str]) -> list[str]:
    return tokens


def corpus_language(corpus: pd.DataFrame) -> str:
    """The corpus's most frequent ``lang`` (``"de"`` when unknown)."""
    if "lang" in corpus.columns and corpus["lang"].notna().any():
        lang = corpus["lang"].mode().iloc[0]
        return lang if lang in ("de", "en") else "de"
    return "de"


def count_documents(corpus: pd.DataFrame, *, by: str | None = "outlet", period: str = "M") -> pd.DataFrame:
    """Documents per group and calendar period, with empty periods as zero rows.

    One row per group × period from the first to the last dated document.
    Columns: ``<by>`` (or ``group``), ``period`` (label such as ``2022-02``),
    ``period_start`` (UTC timestamp), ``n_docs``. Undated documents are not counted;
    ``corpus["published"].isna().sum()`` tells how many.
    """
    _require(corpus, "published", by)
    name = by or "group"
    dated = corpus[corpus["published"].notna()]
    groups = _groups(dated, by)
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


def document_lengths(corpus: pd.DataFrame, *, by: str | None = "outlet", preprocessor=None) -> pd.DataFrame:
    """Length of each document. Columns: ``doc_id``, ``<by>``, ``n_chars``, ``n_words``
    (all word tokens) and ``n_terms`` (tokens left after preprocessing)."""
    _require(corpus, "doc_id", "text", by)
    preprocessor = preprocessor or Preprocessor(lang=corpus_language(corpus))
    from analysis.text.tokenize import tokenize
    n_words = corpus["text"].map(lambda t: sum(any(ch.isalpha() for ch in tok) for tok in tokenize(t)))
    frame = pd.DataFrame({"doc_id": corpus["doc_id"], (by or "group"): _groups(corpus, by),
                          "n_chars": corpus["text"].str.len(), "n_words": n_words,
                          "n_terms": [len(tokens) for tokens in preprocessor.process_many(corpus["text"])]})
    return frame.reset_index(drop=True)


def top_terms(corpus: pd.DataFrame, *, by: str | None = "outlet", n: int = 15, preprocessor=None) -> pd.DataFrame:
    """The ``n`` most frequent terms (lemmas by default) of each group.

    One row per group × rank. Columns: ``<by>``, ``rank`` (1 = most frequent), ``term``,
    ``count``, ``share`` (of the group's terms), ``doc_share`` (share of the group's
    documents containing the term). Ties are broken alphabetically.
    """
    _require(corpus, "text", by)
    preprocessor = preprocessor or Preprocessor(lang=corpus_language(corpus))
    vectorizer = CountVectorizer(analyzer=_already_tokens)
    matrix = vectorizer.fit_transform(preprocessor.process_many(corpus["text"]))
    vocabulary = vectorizer.get_feature_names_out()
    groups = _groups(corpus, by).to_numpy()
    rows = []
    for group in sorted(set(groups)):
        sub = matrix[groups == group]
        counts = np.asarray(sub.sum(axis=0)).ravel()
        docs = np.asarray((sub > 0).sum(axis=0)).ravel()
        order = np.lexsort((vocabulary, -counts))[:n]
        total = counts.sum()
        for rank, j in enumerate(order, start=1):
            if counts[j] == 0:
                break
            rows.append((group, rank, vocabulary[j], int(counts[j]), counts[j] / total, docs[j] / sub.shape[0]))
    return pd.DataFrame(rows, columns=[by or "group", "rank", "term", "count", "share", "doc_share"])
