"""Topic models as scikit-learn pipelines, and what a researcher reads off them.

``fit_topics`` builds a ``Pipeline(vectorizer, model)`` — tf-idf + NMF by default,
counts + LDA with ``method="lda"`` — on the kit's German-first preprocessing, fits it,
and wraps the result in :class:`TopicModel` for interpretation: ``terms`` (with LDAvis
relevance), ``doc_topics`` (proportions summing to 1), ``top_documents`` and
``transform`` for new documents.

Defaults chosen by measurement (``benchmarks/topics.py``): sublinear tf-idf (``1 + log tf``)
with ``max_df=0.5`` and NNDSVDa-initialised NMF gave higher NPMI coherence and agreement
with 10kGNAD's sections than plain tf-idf + NMF and than LDA on the same tokens.

>>> import analysis
>>> corpus = analysis.corpus.datasets.load_conflict_corpus().corpus
>>> model = fit_topics(corpus, 5)
>>> model.terms(n=3).query("topic == 'T1'")["term"].tolist()
['war', 'city', 'ukrainian']
>>> bool(model.doc_topics().groupby("doc_id")["weight"].sum().round(6).eq(1).all())
True
"""

from __future__ import annotations

import fnmatch
import warnings

import numpy as np
import pandas as pd
from sklearn.decomposition import NMF, LatentDirichletAllocation
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.pipeline import Pipeline

from analysis.text.analysis import corpus_language
from analysis.errors import MissingColumnError
from analysis.topics.seeded import fit_seeded_nmf
from analysis.text.preprocessor import Preprocessor
from analysis.corpus.schema import require_columns

METHODS = ("nmf", "lda")


def _identity(tokens):
    return tokens


def auto_min_df(n_docs: int) -> int:
    """Drop terms in fewer than 5 documents for corpora of 500+, fewer for small ones."""
    return 5 if n_docs >= 500 else 2 if n_docs >= 20 else 1


def make_vectorizer(method: str, *, analyzer=_identity, min_df: int = 5, max_df: float = 0.5):
    """Sublinear tf-idf for NMF, raw counts for LDA (LDA models counts)."""
    if method == "nmf":
        return TfidfVectorizer(analyzer=analyzer, min_df=min_df, max_df=max_df, sublinear_tf=True)
    return CountVectorizer(analyzer=analyzer, min_df=min_df, max_df=max_df)


def make_model(method: str, n_topics: int, *, random_state=0, max_iter=None):
    """The decomposition step: ``NMF`` (NNDSVDa init) or batch ``LatentDirichletAllocation``."""
    if method == "nmf":
        return NMF(n_components=n_topics, init="nndsvda", max_iter=max_iter or 1000, random_state=random_state)
    if method == "lda":
        return LatentDirichletAllocation(n_components=n_topics, learning_method="batch",
                                         max_iter=max_iter or 50, random_state=random_state)
    raise ValueError(f"method must be one of {METHODS}, not {method!r}.")


def resolve_seed_words(seed_words: dict, vocabulary) -> dict[str, list[int]]:
    """Map each named topic's seed patterns (globs like ``soldat*``) to vocabulary indices."""
    vocabulary = list(vocabulary)
    resolved, missing = {}, []
    for name, patterns in seed_words.items():
        if isinstance(patterns, str):
            raise ValueError(f"seed_words[{name!r}] must be a list of words or globs, not a string.")
        found = sorted({i for p in patterns for i, term in enumerate(vocabulary) if fnmatch.fnmatchcase(term, p.lower())})
        missing += [f"{name}: {p}" for p in patterns if not any(fnmatch.fnmatchcase(t, p.lower()) for t in vocabulary)]
        if not found:
            raise ValueError(f"no seed word of topic {name!r} is in the vocabulary ({patterns}); "
                             "seed words are matched against lowercased lemmas, e.g. 'soldat*'.")
        resolved[name] = found
    if missing:
        warnings.warn(f"seed words not in the vocabulary: {', '.join(missing)}", UserWarning, stacklevel=3)
    return resolved


class TopicModel:
    """A fitted topic model with the corpus it was fitted on.

    Attributes: ``pipeline`` (vectorizer + model, reusable), ``labels`` (topic names:
    seed names first, then ``T1``, ``T2`` …), ``method``.
    """

    def __init__(self, pipeline: Pipeline, corpus: pd.DataFrame, doc_topic: np.ndarray, labels: list[str], method: str):
        self.pipeline = pipeline
        self.corpus = corpus
        self.labels = labels
        self.method = method
        self._doc_topic = doc_topic

    def __repr__(self) -> str:
        return f"TopicModel(method={self.method!r}, n_topics={len(self.labels)}, n_docs={len(self.corpus)})"

    @property
    def vocabulary(self) -> np.ndarray:
        return self.pipeline[0].get_feature_names_out()

    @property
    def topic_term(self) -> np.ndarray:
        """Topics × vocabulary, rows normalised to sum to 1 (φ)."""
        components = self.pipeline[-1].components_
        return components / np.maximum(components.sum(axis=1, keepdims=True), 1e-300)

    def terms(self, n: int = 10, *, relevance: float | None = None) -> pd.DataFrame:
        """Top terms per topic: one row per topic × rank, columns ``topic, rank, term, weight``.

        ``weight`` is φ (the topic's term probability). With ``relevance=λ`` terms are
        ranked by LDAvis relevance λ·log φ + (1−λ)·log(φ / p(term)) (Sievert & Shirley
        2014); λ≈0.6 favours terms distinctive for the topic.
        """
        phi = self.topic_term
        if relevance is None:
            score = phi
        else:
            if not 0 <= relevance <= 1:
                raise ValueError(f"relevance (λ) must be in [0, 1], not {relevance}.")
            marginal = self._term_marginal()
            with np.errstate(divide="ignore"):
                score = relevance * np.log(phi) + (1 - relevance) * np.log(phi / marginal)
        vocabulary = self.vocabulary
        rows = []
        for k, label in enumerate(self.labels):
            order = np.lexsort((vocabulary, -score[k]))[:n]
            rows += [(label, rank, vocabulary[j], float(phi[k, j])) for rank, j in enumerate(order, start=1)]
        return pd.DataFrame(rows, columns=["topic", "rank", "term", "weight"])

    def _term_marginal(self) -> np.ndarray:
        sizes = self._doc_topic.sum(axis=0)
        marginal = (sizes[:, None] * self.topic_term).sum(axis=0)
        return marginal / marginal.sum()

    def doc_topics(self, *, wide: bool = False) -> pd.DataFrame:
        """Topic proportions per document (each document's weights sum to 1).

        Long (default): one row per document × topic, ``doc_id, topic, weight``.
        ``wide=True``: one row per document, one column per topic. A document with no
        term in the vocabulary gets equal weights (see ``n_terms`` of
        :func:`analysis.explore.describe.document_lengths`).
        """
        return tidy_topic_frame(self.corpus["doc_id"], self._doc_topic, self.labels, wide=wide)

    def top_documents(self, topic, n: int = 5) -> pd.DataFrame:
        """The ``n`` documents with the highest proportion of ``topic`` (label or position),
        with their metadata and text: ``doc_id, topic, weight, title?, outlet, published, text``."""
        k = self._topic_index(topic)
        order = np.argsort(-self._doc_topic[:, k], kind="stable")[:n]
        docs = self.corpus.iloc[order]
        front = pd.DataFrame({"doc_id": docs["doc_id"].to_numpy(), "topic": self.labels[k],
                              "weight": self._doc_topic[order, k]})
        extra = [c for c in ("title", "outlet", "published", "text") if c in docs.columns]
        return pd.concat([front, docs[extra].reset_index(drop=True)], axis=1)

    def _topic_index(self, topic) -> int:
        if isinstance(topic, (int, np.integer)) and 0 <= topic < len(self.labels):
            return int(topic)
        if topic in self.labels:
            return self.labels.index(topic)
        raise KeyError(f"no topic {topic!r}; topics are {self.labels}.")

    def transform(self, corpus: pd.DataFrame, *, wide: bool = False) -> pd.DataFrame:
        """Topic proportions of new documents under the fitted model (same schema as ``doc_topics``)."""
        require_text(corpus)
        return tidy_topic_frame(corpus["doc_id"], _proportions(self.pipeline, corpus["text"], self.method), self.labels, wide=wide)


def require_text(corpus) -> None:
    require_columns(corpus, "doc_id", "text")


def normalise_rows(weights: np.ndarray) -> np.ndarray:
    totals = weights.sum(axis=1, keepdims=True)
    uniform = np.full_like(weights, 1.0 / weights.shape[1])
    return np.where(totals > 0, weights / np.where(totals > 0, totals, 1), uniform)


def nmf_proportions(W: np.ndarray, components: np.ndarray) -> np.ndarray:
    """NMF document weights as proportions: each topic's share of the document's
    reconstructed tf-idf mass (W·diag(row sums of H)), rows summing to 1."""
    return normalise_rows(W * components.sum(axis=1)[None, :])


def _proportions(pipeline: Pipeline, texts, method: str) -> np.ndarray:
    raw = pipeline.transform(texts)
    return nmf_proportions(raw, pipeline[-1].components_) if method == "nmf" else normalise_rows(raw)


def tidy_topic_frame(doc_ids, proportions: np.ndarray, labels: list[str], *, wide: bool) -> pd.DataFrame:
    doc_ids = np.asarray(doc_ids)
    if wide:
        frame = pd.DataFrame(proportions, columns=labels)
        frame.insert(0, "doc_id", doc_ids)
        return frame
    return pd.DataFrame({"doc_id": np.repeat(doc_ids, len(labels)),  # document-major order
                         "topic": np.tile(np.asarray(labels, dtype=object), len(doc_ids)),
                         "weight": proportions.ravel()})


def fit_topics(corpus: pd.DataFrame, n_topics: int, *, method: str = "nmf", preprocessor=None,
               random_state=0, seed_words: dict | None = None, n_jobs: int = 1,
               streaming: bool | None = None) -> TopicModel:
    """Fit a topic model to ``corpus`` (a corpus frame with ``doc_id`` and ``text``).

    ``preprocessor`` defaults to ``Preprocessor(lang=<corpus language>)``. ``seed_words``
    (NMF only) names topics and steers them with word lists or globs resolved against
    the lemmas, e.g. ``{"Militär": ["soldat*", "truppe*", "armee"]}`` (semi-supervised
    NMF, see :mod:`analysis.topics.seeded`); unseeded topics fill the rest (``T1`` …).
    NMF starts from NNDSVDa, which is deterministic: ``random_state`` hardly changes an NMF
    fit, so check robustness on subsamples (:func:`analysis.topics.search.compare_n_topics`).
    ``n_jobs`` parallelises preprocessing over processes; the model itself is fitted
    single-threaded, so results are bit-identical for any ``n_jobs`` and a given
    ``random_state``.

    ``streaming``: ``None`` (default) fits chunk by chunk with bounded memory
    (:func:`analysis.topics.streaming.fit_topics_streaming`: ``MiniBatchNMF`` or online LDA
    on a fixed vocabulary, same outputs) from
    :data:`~analysis.topics.streaming.STREAMING_MIN_DOCS` (100,000) documents on, when no
    ``seed_words`` are given; ``True``/``False`` force either path.
    """
    require_text(corpus)
    if not isinstance(n_topics, (int, np.integer)) or n_topics < 1:
        raise ValueError(f"n_topics must be a positive integer, not {n_topics!r}.")
    if len(corpus) < 2:
        raise ValueError(f"a topic model needs at least 2 documents; the corpus has {len(corpus)}.")
    seed_words = dict(seed_words or {})
    if len(seed_words) > n_topics:
        raise ValueError(f"{len(seed_words)} seeded topics do not fit into n_topics={n_topics}.")
    if seed_words and method != "nmf":
        raise ValueError("seed_words are supported with method='nmf' (the default).")
    if _use_streaming(streaming, len(corpus), seed_words):
        from analysis.topics.streaming import fit_topics_streaming

        return fit_topics_streaming(corpus, n_topics, method=method, preprocessor=preprocessor, random_state=random_state,
                                    n_jobs=n_jobs)
    preprocessor = preprocessor or Preprocessor(lang=corpus_language(corpus))
    vectorizer = make_vectorizer(method, analyzer=preprocessor, min_df=auto_min_df(len(corpus)))
    model = make_model(method, n_topics, random_state=random_state)
    X = _vectorize(vectorizer, preprocessor, corpus["text"], n_jobs=n_jobs)
    if seed_words:
        seeds = resolve_seed_words(seed_words, vectorizer.get_feature_names_out())
        W = fit_seeded_nmf(X, model, list(seeds.values()))
        _warn_lost_seeds(model.components_, seeds)
    else:
        W = model.fit_transform(X)
    proportions = nmf_proportions(W, model.components_) if method == "nmf" else normalise_rows(W)
    labels = list(seed_words) + [f"T{i}" for i in range(1, n_topics - len(seed_words) + 1)]
    pipeline = Pipeline([("vectorizer", vectorizer), ("model", model)])
    return TopicModel(pipeline, corpus.reset_index(drop=True), proportions, labels, method)


def _use_streaming(streaming: bool | None, n_docs: int, seed_words: dict) -> bool:
    from analysis.topics.streaming import STREAMING_MIN_DOCS

    if streaming and seed_words:
        raise ValueError("seed_words need the in-memory fit; pass streaming=False (or None).")
    return bool(streaming) if streaming is not None else n_docs >= STREAMING_MIN_DOCS and not seed_words


def _warn_lost_seeds(components: np.ndarray, seeds: dict[str, list[int]], n: int = 10) -> None:
    """Warn when a seeded topic has none of its seed words among its top ``n`` terms."""
    lost = [name for row, (name, indices) in enumerate(seeds.items())
            if not set(np.argsort(-components[row])[:n]) & set(indices)]
    if lost:
        warnings.warn(f"seeded topics without a seed word among their top {n} terms: {lost}; "
                      "the data do not support them as seeded (try other seed words or fewer topics).",
                      UserWarning, stacklevel=3)


def _vectorize(vectorizer, preprocessor, texts, *, n_jobs: int = 1):
    """Fit the vectorizer on the preprocessed texts (with a progress bar), keeping the
    preprocessor as its analyzer so that the pipeline transforms raw text later."""
    tokens = preprocessor.process_many(texts, n_jobs=n_jobs)
    vectorizer.set_params(analyzer=_identity)
    X = vectorizer.fit_transform(tokens)
    vectorizer.set_params(analyzer=preprocessor)
    return X
