"""What a topic fit returns: :class:`TopicModel` (and :class:`StreamedTopicModel` for the streamed back-ends).

Every back-end of :func:`analysis.topics.fit.fit_topics` (in memory, streamed, Dask) returns
one of these result objects; interpretation reads off them, the fitted scikit-learn
pipeline is their ``pipeline``.

>>> import numpy as np
>>> normalise_rows(np.array([[1.0, 3.0], [0.0, 0.0]])).tolist()
[[0.25, 0.75], [0.5, 0.5]]
>>> tidy_topic_frame(["a"], np.array([[0.25, 0.75]]), ["T1", "T2"], wide=False).values.tolist()
[['a', 'T1', 0.25], ['a', 'T2', 0.75]]
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd
from sklearn.pipeline import Pipeline

from analysis.corpus.schema import require_columns


class TopicModel:
    """The result of a topic fit: the fitted pipeline, the corpus and its topic proportions.

    A result object, not an estimator: :func:`~analysis.topics.fit.fit_topics` (or a
    streaming or Dask back-end) fits and returns it; it has no ``fit`` and never changes
    after it is made. Its methods read the fit off as tidy frames. The estimator is
    ``pipeline``, a fitted scikit-learn ``Pipeline([("vectorizer", ...), ("model", NMF or
    LDA)])`` that takes raw texts: reuse it, pickle it, or ``sklearn.base.clone`` it to
    refit elsewhere.

    Attributes: ``pipeline``; ``corpus`` (the corpus fitted on, index reset; without
    ``text`` when streamed); ``labels`` (topic names: seed names first, then ``T1``,
    ``T2`` …); ``method`` (``"nmf"`` or ``"lda"``).
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

    def proportions_of(self, doc_ids) -> np.ndarray | None:
        """The topic proportions of these documents of the fitted corpus, in the order given: a
        documents × topics float64 array (columns in :attr:`labels` order, the values of
        :meth:`doc_topics`), without making the table of every document; None if any ``doc_id`` is
        not in the fitted corpus.
        """
        positions = pd.Index(self.corpus["doc_id"]).get_indexer(pd.Index(doc_ids))
        if (positions < 0).any():
            return None
        return np.asarray(self._doc_topic[positions], dtype=np.float64)

    def iter_doc_topics(self, *, block: int = 100_000) -> Iterator[pd.DataFrame]:
        """The long :meth:`doc_topics` table in parts of ``block`` documents (stacked, they are that
        table): for writing it out when a million documents × k topics would be too large to hold."""
        if not isinstance(block, (int, np.integer)) or block < 1:
            raise ValueError(f"block must be a positive number of documents, not {block!r}.")
        doc_ids = self.corpus["doc_id"].to_numpy()
        for start in range(0, len(doc_ids), block):
            proportions = np.asarray(self._doc_topic[start:start + block], dtype=np.float64)
            yield tidy_topic_frame(doc_ids[start:start + block], proportions, self.labels, wide=False)

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
        """Topic proportions of new documents under the fitted ``pipeline`` (nothing is refitted;
        same schema as ``doc_topics``)."""
        require_columns(corpus, "doc_id", "text")
        return tidy_topic_frame(corpus["doc_id"], pipeline_proportions(self.pipeline, corpus["text"], self.method),
                                self.labels, wide=wide)


def normalise_rows(weights: np.ndarray) -> np.ndarray:
    """Rows scaled to sum to 1; an all-zero row (no known term) gets equal weights."""
    totals = weights.sum(axis=1, keepdims=True)
    uniform = np.full_like(weights, 1.0 / weights.shape[1])
    return np.where(totals > 0, weights / np.where(totals > 0, totals, 1), uniform)


def nmf_proportions(W: np.ndarray, components: np.ndarray) -> np.ndarray:
    """NMF document weights as proportions: each topic's share of the document's
    reconstructed tf-idf mass (W·diag(row sums of H)), rows summing to 1."""
    return normalise_rows(W * components.sum(axis=1)[None, :])


def pipeline_proportions(pipeline: Pipeline, texts, method: str) -> np.ndarray:
    """Topic proportions (rows sum to 1) of raw ``texts`` under a fitted topic ``pipeline``."""
    raw = pipeline.transform(texts)
    return nmf_proportions(raw, pipeline[-1].components_) if method == "nmf" else normalise_rows(raw)


def tidy_topic_frame(doc_ids, proportions: np.ndarray, labels: list[str], *, wide: bool) -> pd.DataFrame:
    """Long ``doc_id, topic, weight`` (document-major) or wide (one column per topic) proportions."""
    doc_ids = np.asarray(doc_ids)
    if wide:
        frame = pd.DataFrame(proportions, columns=labels)
        frame.insert(0, "doc_id", doc_ids)
        return frame
    return pd.DataFrame({"doc_id": np.repeat(doc_ids, len(labels)),  # document-major order
                         "topic": np.tile(np.asarray(labels, dtype=object), len(doc_ids)),
                         "weight": proportions.ravel()})


def labels_for(n_topics: int, seeded=()) -> list[str]:
    """Topic labels: the seeded topics' names, then ``T1``, ``T2`` … for the rest."""
    seeded = list(seeded)
    return seeded + [f"T{i}" for i in range(1, n_topics - len(seeded) + 1)]


class StreamedTopicModel(TopicModel):
    """A :class:`TopicModel` from a streaming or Dask fit, with the same outputs.

    It holds the proportions as float32 (reported as float64, like the in-memory model) and,
    when the corpus was streamed, ``corpus`` without ``text`` plus the texts of the
    ``n_texts`` best documents of each topic.
    """

    def __init__(self, pipeline, corpus, doc_topic, labels, method, *, texts: dict | None = None, n_texts: int = 0):
        super().__init__(pipeline, corpus, doc_topic, labels, method)
        self._texts = texts or {}
        self._n_texts = n_texts

    def doc_topics(self, *, wide: bool = False) -> pd.DataFrame:
        return tidy_topic_frame(self.corpus["doc_id"], self._doc_topic.astype(np.float64), self.labels, wide=wide)

    doc_topics.__doc__ = TopicModel.doc_topics.__doc__

    def top_documents(self, topic, n: int = 5) -> pd.DataFrame:
        streamed = "text" not in self.corpus.columns
        if streamed and n > self._n_texts:
            raise ValueError(f"the streaming fit kept the texts of the {self._n_texts} best documents per topic, "
                             f"not {n}; join doc_topics() with your corpus for more.")
        top = super().top_documents(topic, n).astype({"weight": np.float64})
        if streamed:
            top["text"] = top["doc_id"].map(self._texts)
        return top

    top_documents.__doc__ = TopicModel.top_documents.__doc__
