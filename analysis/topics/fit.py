"""``fit_topics``: one topic pipeline, fitted in memory or streamed by the corpus's size.

``fit_topics`` checks its arguments (:mod:`analysis.topics.pipeline`) and hands the corpus
to a back-end: :func:`~analysis.topics.in_memory.fit_topics_in_memory` (sublinear tf-idf +
NMF or counts + LDA on the whole matrix; the only one for seed words) or, from
:data:`STREAMING_MIN_DOCS` documents on, :func:`~analysis.topics.streaming.fit_topics_streaming`
(mini-batches over chunks, bounded memory, the same outputs). The Dask back-end,
:func:`analysis.scale.distributed.fit_topics_distributed`, shares the streamed one's steps.
Every back-end returns a :class:`~analysis.topics.model.TopicModel` for interpretation:
``terms`` (with LDAvis relevance), ``doc_topics`` (proportions summing to 1),
``top_documents`` and ``transform`` for new documents.

>>> import analysis
>>> corpus = analysis.corpus.datasets.load_conflict_corpus().corpus
>>> model = fit_topics(corpus, 5)
>>> model.terms(n=3).query("topic == 'T1'")["term"].tolist()
['war', 'city', 'ukrainian']
>>> bool(model.doc_topics().groupby("doc_id")["weight"].sum().round(6).eq(1).all())
True
"""

from __future__ import annotations

import pandas as pd

from analysis.corpus.schema import require_columns
from analysis.topics.in_memory import fit_topics_in_memory
from analysis.topics.model import TopicModel
from analysis.topics.pipeline import check_fit_args
from analysis.topics.streaming import fit_topics_streaming

STREAMING_MIN_DOCS = 100_000  # fit_topics streams from this many documents on


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
    on a fixed vocabulary, same outputs) from :data:`STREAMING_MIN_DOCS` (100,000)
    documents on, when no ``seed_words`` are given; ``True``/``False`` force either path.
    Returns a :class:`~analysis.topics.model.TopicModel` (a result; the fitted scikit-learn
    pipeline is its ``pipeline``).
    """
    require_columns(corpus, "doc_id", "text")
    seed_words = check_fit_args(n_topics, method, seed_words)
    if streaming and seed_words:
        raise ValueError("seed_words need the in-memory fit; pass streaming=False (or None).")
    use_streaming = len(corpus) >= STREAMING_MIN_DOCS and not seed_words if streaming is None else streaming
    if use_streaming:
        return fit_topics_streaming(corpus, n_topics, method=method, preprocessor=preprocessor,
                                    random_state=random_state, n_jobs=n_jobs)
    return fit_topics_in_memory(corpus, n_topics, method=method, preprocessor=preprocessor,
                                random_state=random_state, seed_words=seed_words, n_jobs=n_jobs)
