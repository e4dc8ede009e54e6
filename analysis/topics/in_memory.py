"""The in-memory back-end of :func:`~analysis.topics.fit.fit_topics`: the whole document-term matrix at once.

Builds ``Pipeline(vectorizer, model)`` from :mod:`analysis.topics.pipeline` — tf-idf + NMF by
default, counts + LDA with ``method="lda"`` — fits it, and returns a
:class:`~analysis.topics.model.TopicModel`. The only back-end for seeded topics.

>>> import analysis
>>> corpus = analysis.corpus.datasets.load_conflict_corpus().corpus
>>> model = fit_topics_in_memory(corpus, 5)
>>> model.terms(n=3).query("topic == 'T1'")["term"].tolist()
['war', 'city', 'ukrainian']
"""

from __future__ import annotations

import copy
import fnmatch
import warnings

import numpy as np
import pandas as pd
from sklearn.pipeline import Pipeline
from threadpoolctl import threadpool_limits

from analysis.corpus.schema import require_columns
from analysis.text.preprocessor import corpus_tokens
from analysis.topics.model import TopicModel, labels_for, nmf_proportions, normalise_rows
from analysis.topics.pipeline import (DocumentTerms, check_fit_args, check_n_docs, make_model, topic_preprocessor,
                                      vectorise)
from analysis.topics.seeded import fit_seeded_nmf


def fit_topics_in_memory(corpus: pd.DataFrame, n_topics: int, *, method: str = "nmf", preprocessor=None,
                         random_state=0, seed_words: dict | None = None, n_jobs: int = 1,
                         features: DocumentTerms | None = None) -> TopicModel:
    """Fit NMF or batch LDA on the whole corpus (arguments as :func:`~analysis.topics.fit.fit_topics`).

    ``features``: the corpus's tokens (``preprocessor``'s output) vectorised already
    (:func:`~analysis.topics.pipeline.vectorise`, e.g. shared with
    :func:`~analysis.topics.search.compare_n_topics`): the same model, without preprocessing and
    vectorising the corpus again. The fitted pipeline's vectorizer is a copy of theirs that reads raw text.
    """
    require_columns(corpus, "doc_id", "text")
    seed_words = check_fit_args(n_topics, method, seed_words)
    check_n_docs(len(corpus))
    preprocessor = topic_preprocessor(preprocessor, corpus)
    if features is None:
        features = vectorise(corpus_tokens(preprocessor, corpus, n_jobs=n_jobs), method, n_topics=n_topics)
        vectorizer = features.vectorizer
    else:
        features.check(len(corpus), method, n_topics)
        vectorizer = copy.deepcopy(features.vectorizer)  # theirs stays as it is
    vectorizer.set_params(analyzer=preprocessor)  # the pipeline transforms raw text
    model = make_model(method, n_topics, random_state=random_state)
    X = features.X
    with threadpool_limits(limits=1):  # single-threaded BLAS: the same bits on any number of cores
        if seed_words:
            seeds = resolve_seed_words(seed_words, vectorizer.get_feature_names_out())
            W = fit_seeded_nmf(X, model, list(seeds.values()))
            _warn_lost_seeds(model.components_, seeds)
        else:
            W = model.fit_transform(X)
    proportions = nmf_proportions(W, model.components_) if method == "nmf" else normalise_rows(W)
    pipeline = Pipeline([("vectorizer", vectorizer), ("model", model)])
    return TopicModel(pipeline, corpus.reset_index(drop=True), proportions, labels_for(n_topics, seed_words), method)


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
        warnings.warn(f"seed words not in the vocabulary: {', '.join(missing)}", UserWarning, stacklevel=4)  # the caller of fit_topics
    return resolved


def _warn_lost_seeds(components: np.ndarray, seeds: dict[str, list[int]], n: int = 10) -> None:
    """Warn when a seeded topic has none of its seed words among its top ``n`` terms."""
    lost = [name for row, (name, indices) in enumerate(seeds.items())
            if not set(np.argsort(-components[row])[:n]) & set(indices)]
    if lost:
        warnings.warn(f"seeded topics without a seed word among their top {n} terms: {lost}; "
                      "the data do not support them as seeded (try other seed words or fewer topics).",
                      UserWarning, stacklevel=4)  # the caller of fit_topics
