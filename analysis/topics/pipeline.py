"""The one topic pipeline every back-end shares: argument checks, preprocessor, vocabulary, features, models.

:func:`~analysis.topics.fit.fit_topics` has three back-ends — in memory
(:mod:`analysis.topics.in_memory`), streamed (:mod:`analysis.topics.streaming`) and on a
Dask cluster (:mod:`analysis.scale.distributed`). They differ in where the work runs, not
in what it is, because each takes from here:

- :func:`check_fit_args`: ``n_topics``, ``method`` and seed words, checked alike;
- :func:`topic_preprocessor`: the preprocessor given, else one for the corpus's language, or
  each document in its own language on a mixed corpus
  (:func:`analysis.text.preprocessor.corpus_preprocessor`; never German by default);
- the vocabulary settings: terms in at least :func:`auto_min_df` and at most
  :data:`MAX_DF` of the documents, at most :data:`MAX_TERMS` of them (those in the most
  documents, as gensim's ``filter_extremes(keep_n=100000)``); sublinear tf-idf for NMF, counts for LDA
  (:func:`make_vectorizer` in memory, :class:`FeatureSpace` over chunks — the same rows);
- the decomposition: :func:`make_model` (batch) and :func:`make_online_model` (mini-batch);
- :func:`fit_vocabulary`: the document-term matrix, or :class:`TooFewTermsError` when a
  corpus is too uniform (e.g. near-identical documents) to leave terms for ``n_topics`` topics;
  :func:`vectorise`: the same as :class:`DocumentTerms`, computed once and shared by the search
  for k and the final fit of one corpus (the report does so).

Defaults chosen by measurement (``benchmarks/topics.py``): sublinear tf-idf (``1 + log tf``)
with ``max_df=0.5`` and NNDSVDa-initialised NMF gave higher NPMI coherence and agreement
with 10kGNAD's sections than plain tf-idf + NMF and than LDA on the same tokens.

>>> import pandas as pd
>>> english = pd.DataFrame({"doc_id": ["a", "b"], "text": ["Troops crossed the border.", "Talks resumed."]})
>>> topic_preprocessor(None, english).lang
'en'
>>> topic_preprocessor(None, pd.concat([english, pd.DataFrame({"doc_id": ["c"], "text": ["Die Gespräche laufen."]})])).lang
'auto'
>>> frequencies = pd.Series({"krieg": 3, "panzer": 1, "frieden": 2})
>>> space = FeatureSpace.from_frequencies(frequencies, n_docs=4, method="lda")
>>> space.vocabulary.tolist()  # in 1 to 50 % of the 4 documents
['frieden', 'panzer']
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from itertools import repeat

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.decomposition import NMF, LatentDirichletAllocation
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.preprocessing import normalize

from analysis.text.preprocessor import corpus_preprocessor
from analysis.topics.online_nmf import OnlineNMF

METHODS = ("nmf", "lda")
MAX_DF = 0.5  # terms in more than half of the documents are dropped
BATCH_SIZE = 1_024  # documents per partial_fit step of the online models
# The terms a model keeps at most: those in the most documents (ties: alphabetical). Each online NMF step
# updates every term's weights, so its cost grows with the vocabulary: the 1M-article benchmark archive
# has 425,836 terms in 5 documents to half of them; a step of 1,024 of its documents took 0.21 s with
# all of them, 0.047 s with the 100,000 in 41 or more (k = 12). Only terms in under 0.005 % of its documents go.
MAX_TERMS = 100_000


class TooFewTermsError(ValueError):
    """Too few terms survive the vocabulary settings for the topics asked for: the documents are
    too few or too alike (e.g. the same text with one number changed)."""


def check_vocabulary(n_terms: int, n_topics: int, n_docs: int) -> None:
    """Raise :class:`TooFewTermsError` unless ``n_terms`` terms can carry ``n_topics`` topics.

    >>> check_vocabulary(3, 4, n_docs=40)
    Traceback (most recent call last):
    ...
    analysis.topics.pipeline.TooFewTermsError: only 3 terms occur in 2 to 50% of the 40 documents, too few for 4 topics: the documents are too alike for a topic model. Fit fewer topics, or add more varied documents.
    """
    if n_terms < n_topics:
        raise TooFewTermsError(_too_few(n_terms, n_topics, n_docs))


def fit_vocabulary(vectorizer, tokens, *, n_topics: int):
    """``vectorizer.fit_transform(tokens)`` (one token list per document), or :class:`TooFewTermsError`
    when fewer than ``n_topics`` terms remain (scikit-learn's "no terms remain" included)."""
    tokens = list(tokens)
    try:
        X = vectorizer.fit_transform(tokens)
    except ValueError as err:  # scikit-learn: "After pruning, no terms remain" or "empty vocabulary"
        raise TooFewTermsError(_too_few(0, n_topics, len(tokens))) from err
    if X.shape[1] > MAX_TERMS:  # again on the terms in the most documents (a fixed vocabulary: same idf)
        terms = vectorizer.get_feature_names_out()
        frequencies = np.bincount(X.tocsr().indices, minlength=len(terms))  # documents per term
        X = vectorizer.set_params(vocabulary=most_common_terms(terms, frequencies)).fit_transform(tokens)
    check_vocabulary(X.shape[1], n_topics, X.shape[0])
    return X


def most_common_terms(terms: np.ndarray, document_frequencies: np.ndarray) -> np.ndarray:
    """The :data:`MAX_TERMS` ``terms`` in the most documents (ties: the alphabetically first), sorted; all when fewer.

    >>> most_common_terms(np.array(["krieg", "panzer", "frieden"]), np.array([3, 1, 3])).tolist()
    ['frieden', 'krieg', 'panzer']
    """
    terms = np.asarray(terms, dtype=object)
    if len(terms) <= MAX_TERMS:
        return np.sort(terms)
    return np.sort(terms[np.lexsort((terms, -np.asarray(document_frequencies)))[:MAX_TERMS]])


@dataclass
class DocumentTerms:
    """A corpus vectorised once (:func:`vectorise`): ``vectorizer`` (fitted, fed token lists), its
    document-term matrix ``X`` (CSR: tf-idf for NMF, counts for LDA; documents in corpus order) and the ``method`` whose
    features these are. :func:`~analysis.topics.search.compare_n_topics` and
    :func:`~analysis.topics.in_memory.fit_topics_in_memory` take it as ``features`` instead of vectorising
    the corpus each: the same matrix, once."""

    vectorizer: TfidfVectorizer | CountVectorizer
    X: sp.csr_matrix
    method: str

    def check(self, n_docs: int, method: str, n_topics: int) -> None:
        """Raise unless these are ``method``'s features of ``n_docs`` documents with terms for ``n_topics`` topics."""
        if self.method != method:
            raise ValueError(f"features were vectorised for method={self.method!r}, not {method!r}.")
        if self.X.shape[0] != n_docs:
            raise ValueError(f"features have {self.X.shape[0]} rows for {n_docs} documents; vectorise this corpus.")
        check_vocabulary(self.X.shape[1], n_topics, n_docs)


def vectorise(tokens, method: str, *, n_topics: int) -> DocumentTerms:
    """Each document's tokens (one list per document) as :class:`DocumentTerms`: the vocabulary settings
    of :func:`make_vectorizer` for this many documents, checked by :func:`fit_vocabulary` for ``n_topics``.

    >>> tokens = [["krieg", "panzer"], ["krieg", "frieden"], ["frieden"], ["panzer", "front"]]
    >>> features = vectorise(tokens, "lda", n_topics=2)
    >>> features.vectorizer.get_feature_names_out().tolist(), features.X.shape
    (['frieden', 'front', 'krieg', 'panzer'], (4, 4))
    """
    tokens = list(tokens)
    vectorizer = make_vectorizer(method, min_df=auto_min_df(len(tokens)))
    return DocumentTerms(vectorizer, fit_vocabulary(vectorizer, tokens, n_topics=n_topics).tocsr(), method)


def _too_few(n_terms: int, n_topics: int, n_docs: int) -> str:
    return (f"only {n_terms} terms occur in {auto_min_df(n_docs)} to {MAX_DF:.0%} of the {n_docs} documents, too few "
            f"for {n_topics} topics: the documents are too alike for a topic model. Fit fewer topics, or add more "
            "varied documents.")


def check_fit_args(n_topics, method: str, seed_words: dict | None = None) -> dict:
    """Check a fit's arguments; return the seed words as a dict (empty without seeds).

    >>> check_fit_args(5, "lda", {"X": ["war"]})
    Traceback (most recent call last):
    ...
    ValueError: seed_words are supported with method='nmf' (the default).
    """
    if not isinstance(n_topics, (int, np.integer)) or isinstance(n_topics, bool) or n_topics < 1:
        raise ValueError(f"n_topics must be a positive integer, not {n_topics!r}.")
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, not {method!r}.")
    seed_words = dict(seed_words or {})
    if len(seed_words) > n_topics:
        raise ValueError(f"{len(seed_words)} seeded topics do not fit into n_topics={n_topics}.")
    if seed_words and method != "nmf":
        raise ValueError("seed_words are supported with method='nmf' (the default).")
    return seed_words


def check_n_docs(n_docs: int) -> None:
    """A topic model needs at least two documents."""
    if n_docs < 2:
        raise ValueError(f"a topic model needs at least 2 documents; the corpus has {n_docs}.")


def topic_preprocessor(preprocessor, corpus: pd.DataFrame | None):
    """``preprocessor`` if given, else :func:`~analysis.text.preprocessor.corpus_preprocessor`:
    the corpus's one language, or ``lang="auto"`` (each document in its own language, one
    vocabulary) when its ``lang`` column (detected from ``text`` where missing) holds several.
    ``corpus`` None (a stream, whose later chunks are unseen) gives ``lang="auto"``.
    """
    return preprocessor if preprocessor is not None else corpus_preprocessor(corpus)


def auto_min_df(n_docs: int) -> int:
    """Drop terms in fewer than 5 documents for corpora of 500+, fewer for small ones."""
    return 5 if n_docs >= 500 else 2 if n_docs >= 20 else 1


def identity(tokens):
    """The analyzer of a vectorizer fed token lists (picklable, unlike a lambda)."""
    return tokens


def make_vectorizer(method: str, *, analyzer=identity, min_df: int = 5, max_df: float = MAX_DF):
    """Sublinear tf-idf for NMF, raw counts for LDA (LDA models counts)."""
    if method == "nmf":
        return TfidfVectorizer(analyzer=analyzer, min_df=min_df, max_df=max_df, sublinear_tf=True)
    return CountVectorizer(analyzer=analyzer, min_df=min_df, max_df=max_df)


def make_model(method: str, n_topics: int, *, random_state=0, max_iter=None, tol=None):
    """The decomposition step: ``NMF`` (NNDSVDa init) or batch ``LatentDirichletAllocation``.
    ``tol``: NMF's stopping tolerance (None: scikit-learn's 1e-4; LDA runs ``max_iter`` passes)."""
    if method == "nmf":
        return NMF(n_components=n_topics, init="nndsvda", max_iter=max_iter or 1000, tol=tol or 1e-4,
                   random_state=random_state)
    if method == "lda":
        return LatentDirichletAllocation(n_components=n_topics, learning_method="batch",
                                         max_iter=max_iter or 50, random_state=random_state)
    raise ValueError(f"method must be one of {METHODS}, not {method!r}.")


def make_online_model(method: str, n_topics: int, *, n_docs: int, random_state=0):
    """``MiniBatchNMF`` (NNDSVDa start on the first batch; as :class:`OnlineNMF`, which gives its results
    faster) or online LDA for ``n_docs`` documents."""
    if method == "nmf":
        return OnlineNMF(n_components=n_topics, init="nndsvda", batch_size=BATCH_SIZE, random_state=random_state)
    if method == "lda":
        return LatentDirichletAllocation(n_components=n_topics, learning_method="online", batch_size=BATCH_SIZE,
                                         total_samples=n_docs, random_state=random_state)
    raise ValueError(f"method must be one of {METHODS}, not {method!r}.")


@dataclass
class FeatureSpace:
    """The fixed vocabulary (sorted) and, for NMF, the corpus-wide smoothed idf, built from
    document frequencies summed over chunks: what :func:`make_vectorizer` learns in memory."""

    vocabulary: np.ndarray
    idf: np.ndarray | None

    @classmethod
    def from_frequencies(cls, frequencies: pd.Series, n_docs: int, method: str) -> FeatureSpace:
        """Keep terms in ``auto_min_df(n_docs)`` to ``MAX_DF · n_docs`` documents, at most
        :data:`MAX_TERMS` of them, as :func:`fit_vocabulary` does in memory."""
        min_df = auto_min_df(n_docs)
        kept = frequencies[(frequencies >= min_df) & (frequencies <= MAX_DF * n_docs)]
        kept = kept.loc[most_common_terms(kept.index.to_numpy(dtype=object), kept.to_numpy())]
        if kept.empty:
            raise TooFewTermsError(f"no term occurs in {min_df} to {MAX_DF:.0%} of the {n_docs} documents; "
                                   "the corpus is too small or too uniform for a topic model.")
        idf = np.log((1 + n_docs) / (1 + kept.to_numpy(dtype=float))) + 1 if method == "nmf" else None
        return cls(kept.index.to_numpy(dtype=object), idf)

    def features(self, counted) -> sp.csr_matrix:
        """A counted chunk (:class:`~analysis.topics.streaming.CountedChunk`: documents ×
        its own ``terms`` ``counts``) as the in-memory vectorizer would give it (tf-idf for
        NMF, counts for LDA) over this vocabulary."""
        terms, counts = counted.terms, counted.counts
        columns = np.fromiter(map(self._columns.get, terms, repeat(-1)), dtype=np.int64, count=len(terms))
        if self.idf is None:
            keep = np.flatnonzero(columns >= 0)
            projection = sp.csr_matrix((np.ones(len(keep)), (keep, columns[keep])),
                                       shape=(len(terms), len(self.vocabulary)))
            return sp.csr_matrix(counts @ projection, dtype=np.float64)
        # each count to its vocabulary column, in the order the counts hold them (the order the
        # products count @ projection @ diag(idf) gave: the row norms are summed in it)
        mapped = columns[counts.indices]
        kept = mapped >= 0
        rows = np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr))
        indptr = np.concatenate([[0], np.cumsum(np.bincount(rows[kept], minlength=counts.shape[0]))])
        data = 1 + np.log(counts.data[kept].astype(np.float64))
        data *= self.idf[mapped[kept]]
        X = sp.csr_matrix((data, mapped[kept], indptr), shape=(counts.shape[0], len(self.vocabulary)))
        return normalize(X, copy=False)

    @cached_property
    def _columns(self) -> dict:
        """``term -> column`` of the vocabulary (built once, not for every chunk)."""
        return dict(zip(self.vocabulary.tolist(), range(len(self.vocabulary))))

    def vectorizer(self, preprocessor):
        """A vectorizer with this vocabulary (and idf) that turns raw text into the same features."""
        if self.idf is None:
            return CountVectorizer(analyzer=preprocessor, vocabulary=list(self.vocabulary))
        vectorizer = TfidfVectorizer(analyzer=preprocessor, vocabulary=list(self.vocabulary), sublinear_tf=True)
        vectorizer.idf_ = self.idf
        return vectorizer
