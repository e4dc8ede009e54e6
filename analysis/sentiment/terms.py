"""Term counts over a fixed vocabulary: the matrix ``CountVectorizer(vocabulary=…).transform`` gives, faster.

scikit-learn's transform joins every n-gram into a string and looks up and counts each
feature in a Python loop. :class:`TermCounter` tokenises with the vectorizer's own
preprocessor and tokenizer, looks n-grams up as tuples of tokens (the vocabulary's n-grams
split once, when it is built) with ``map`` and counts with numpy. The result is the same
matrix, entry for entry (float64 counts, column indices sorted within each row), so whatever
is computed from it is unchanged. The stance model scores tens of thousands of mentions per
report this way (:mod:`analysis.sentiment.stance`).

>>> counter = TermCounter({"krieg": 0, "der krieg": 1, "frieden": 2}, ngram_range=(1, 2))
>>> counter.transform(["Der Krieg, der Krieg!", "Frieden?"]).toarray().tolist()
[[2.0, 2.0, 0.0], [0.0, 0.0, 1.0]]
"""

from __future__ import annotations

from itertools import repeat

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer


class TermCounter:
    """``CountVectorizer(vocabulary=vocabulary, dtype=np.float64, **params)`` for ``transform`` only.

    ``vocabulary``: ``{term: column}`` with columns 0…n-1; ``params``: the vectorizer's
    word-analyzer options (``lowercase``, ``token_pattern``, ``ngram_range`` …; no stop words).
    """

    def __init__(self, vocabulary: dict, **params):
        vectorizer = CountVectorizer(vocabulary=vocabulary, **params)
        if vectorizer.analyzer != "word" or vectorizer.stop_words is not None:
            raise ValueError("TermCounter counts word n-grams without stop words; use CountVectorizer for "
                             f"analyzer={vectorizer.analyzer!r}, stop_words={vectorizer.stop_words!r}.")
        self.vocabulary = vocabulary
        self.preprocess, self.tokenize = vectorizer.build_preprocessor(), vectorizer.build_tokenizer()
        if vectorizer.token_pattern == r"\S+" and vectorizer.tokenizer is None:
            self.tokenize = str.split  # the same tokens (both split at str.isspace characters), faster
        self.low, self.high = vectorizer.ngram_range
        # scikit-learn joins an n-gram's tokens by one space, and no token holds a space (the
        # tokenizer's pattern excludes it, or the n-grams could not be split back): tuple keys
        # find exactly the n-grams the joined strings would
        self.ngrams = {tuple(term.split(" ")): column for term, column in vocabulary.items() if " " in term}

    def transform(self, docs) -> sp.csr_matrix:
        """The count matrix of ``docs`` (a list of strings): one row per document."""
        if isinstance(docs, str):
            raise TypeError("docs must be a list of strings, not a single string; wrap it: [doc].")
        get, get_ngram, columns, lengths = self.vocabulary.get, self.ngrams.get, [], []
        for doc in docs:
            tokens, before = self.tokenize(self.preprocess(doc)), len(columns)
            if self.low == 1:
                columns += map(get, tokens, repeat(-1))
            for n in range(max(self.low, 2), self.high + 1):
                columns += map(get_ngram, zip(*(tokens[i:] for i in range(n))), repeat(-1))
            lengths.append(len(columns) - before)
        columns = np.array(columns, dtype=np.int64)
        rows = np.repeat(np.arange(len(lengths), dtype=np.int64), lengths)
        known, width = columns >= 0, max(len(self.vocabulary), 1)
        cells, counts = np.unique(rows[known] * width + columns[known], return_counts=True)  # by row, then column
        indptr = np.zeros(len(lengths) + 1, dtype=np.int64)
        np.cumsum(np.bincount(cells // width, minlength=len(lengths)), out=indptr[1:])
        return sp.csr_matrix((counts.astype(np.float64), cells % width, indptr), shape=(len(lengths), len(self.vocabulary)))
