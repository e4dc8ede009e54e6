"""Choose the number of topics with evidence, as stm's ``searchK`` does — in Python.

For each candidate k, ``compare_n_topics`` fits ``n_seeds`` models, each on a different
random 80 % of the documents (seeded), and reports coherence, diversity, exclusivity,
held-out fit and stability across those runs (Greene, O'Callaghan & Cunningham 2014 use
the same subsample-and-match design). The text is preprocessed and vectorised once.

>>> import analysis
>>> corpus = analysis.corpus.datasets.load_conflict_corpus().corpus.sample(400, random_state=0)
>>> table = compare_n_topics(corpus, [3, 6], n_seeds=2)
>>> table.columns.tolist()
['k', 'npmi', 'npmi_sd', 'umass', 'diversity', 'exclusivity', 'heldout', 'heldout_measure', 'stability', 'seconds']
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
from joblib import delayed
from threadpoolctl import threadpool_info, threadpool_limits

from analysis.corpus.schema import require_columns
from analysis.topics.metrics import exclusivity, npmi_coherence, topic_diversity, topic_stability, umass_coherence
from analysis.progress import progress_bar
from analysis.topics.pipeline import (DocumentTerms, check_fit_args, check_n_docs, make_model, topic_preprocessor,
                                      vectorise)
from analysis.scale.workers import worker_pool
from analysis.text.preprocessor import corpus_tokens

HELDOUT_MEASURE = {"nmf": "relative reconstruction error", "lda": "perplexity"}


def _fit_one(X, k: int, method: str, seed: int, train: np.ndarray, test: np.ndarray, tol=None) -> dict:
    """Fit on the training rows, score held-out rows; returns the run's raw results.

    BLAS runs single-threaded so that a run gives the same bits in any process.
    """
    with threadpool_limits(limits=1):
        return _fit_one_unlimited(X, k, method, seed, train, test, tol)


def _fit_one_unlimited(X, k, method, seed, train, test, tol=None) -> dict:
    start = time.perf_counter()
    model = make_model(method, k, random_state=seed, tol=tol)
    model.fit(X[train])
    if method == "nmf":
        held = X[test]
        W, H = (np.asarray(m, dtype=np.float64) for m in (model.transform(held), model.components_))
        heldout = relative_reconstruction_error(held.astype(np.float64), W, H)
    else:
        heldout = float(model.perplexity(X[test]))
    return {"k": k, "seed": seed, "components": np.asarray(model.components_, dtype=np.float64), "heldout": heldout,
            "seconds": time.perf_counter() - start}


def relative_reconstruction_error(X, W: np.ndarray, H: np.ndarray) -> float:
    """‖X − WH‖_F / ‖X‖_F for a sparse ``X``, without forming the dense documents × terms residual:
    ‖X − WH‖² = ‖X‖² − 2·Σ(XHᵀ ∘ W) + Σ((WᵀW) ∘ (HHᵀ)).

    >>> import scipy.sparse as sp
    >>> X, W, H = sp.csr_matrix([[1.0, 0.0], [0.0, 2.0]]), np.array([[1.0], [0.0]]), np.array([[1.0, 0.0]])
    >>> round(relative_reconstruction_error(X, W, H), 6)  # the residual is [[0, 0], [0, 2]]: 2 / √5
    0.894427
    """
    norm = float(X.multiply(X).sum())
    squared = norm - 2 * float(np.sum(np.asarray(X @ H.T) * W)) + float(np.sum((W.T @ W) * (H @ H.T)))
    return float(np.sqrt(max(squared, 0.0)) / max(np.sqrt(norm), 1e-12))


def _summarise(runs: list[dict], reference, vocabulary: np.ndarray, n_terms: int) -> dict:
    columns = [[np.argsort(-row, kind="stable")[:max(n_terms, 25)] for row in run["components"]] for run in runs]
    tops = [[list(vocabulary[c]) for c in top] for top in columns]
    # coherence reads the document counts of the top terms only: the reference cut to them once, for every run
    scored = np.unique(np.concatenate([c[:n_terms] for top in columns for c in top]))
    reference, vocabulary = reference[:, scored], vocabulary[scored]
    npmi = [npmi_coherence([t[:n_terms] for t in top], reference, vocabulary) for top in tops]
    return {
        "k": runs[0]["k"],
        "npmi": float(np.mean(npmi)),
        "npmi_sd": float(np.std(npmi)),
        "umass": float(np.mean([umass_coherence([t[:n_terms] for t in top], reference, vocabulary) for top in tops])),
        "diversity": float(np.mean([topic_diversity(top, n=25) for top in tops])),
        "exclusivity": float(np.mean([exclusivity(run["components"], n=n_terms) for run in runs])),
        "heldout": float(np.mean([run["heldout"] for run in runs])),
        "stability": topic_stability([run["components"] for run in runs]) if len(runs) > 1 else np.nan,
        "seconds": float(sum(run["seconds"] for run in runs)),
    }


def compare_n_topics(corpus: pd.DataFrame, candidates, *, method: str = "nmf", n_seeds: int = 3,
                     preprocessor=None, random_state=0, n_jobs: int = 1, extend=(), choose=None,
                     tol: float | None = None, tokens=None, features: DocumentTerms | None = None) -> pd.DataFrame:
    """One row per candidate k with the evidence for choosing it.

    Columns: ``k``; ``npmi`` (mean NPMI of the top-10 terms, document co-occurrence in the
    whole corpus; higher is better) and ``npmi_sd`` across runs; ``umass`` (Mimno et al.
    2011; closer to 0 is better); ``diversity`` (unique share of all top-25 terms; Dieng et
    al. 2020); ``exclusivity`` (mean FREX of top-10 terms; stm); ``heldout`` (on each run's
    held-out 20 %: relative reconstruction error for NMF, perplexity for LDA; lower is
    better) and ``heldout_measure``; ``stability`` (mean cosine similarity of topics matched
    one-to-one with the Hungarian algorithm across the runs; 1 = identical topics);
    ``seconds`` (fit time of all runs). Runs are independent tasks: ``n_jobs`` changes
    nothing but the wall time (``n_jobs=1``: this process, one fit per core BLAS would use, each fit
    single-threaded — :func:`_blas_threads`).

    ``extend``: larger k tried one at a time, each only while ``choose(table)`` (a function of
    the table so far returning the chosen k; default: the highest NPMI) is the largest k
    searched: a choice at the edge of the grid grows the grid, up to the last k of ``extend``.
    The text is vectorised once for all of them. ``tol``: NMF's stopping tolerance for every
    fit of the search (None: 1e-4, as :func:`~analysis.topics.fit.fit_topics`); 1e-3 stops
    the bundled corpus's fits after about 40 % fewer iterations with the same topics
    (matched cosine ≥ 0.999). ``tokens``: each document's tokens when they are known already (the
    output of ``preprocessor``, e.g. from a pass over a large corpus): then ``corpus`` needs no ``text``.
    ``features``: the corpus vectorised already (:func:`~analysis.topics.pipeline.vectorise`, e.g. to share
    it with the final fit, :func:`~analysis.topics.in_memory.fit_topics_in_memory`): the same table, and
    ``corpus`` needs no ``text`` either.
    NMF search fits run on the tf-idf matrix in float32 (about 20 % faster; each metric equal to
    about 1e-4 on the bundled corpus); the metrics are computed in float64.

    >>> from analysis.corpus import datasets
    >>> corpus = datasets.load_conflict_corpus().corpus.sample(300, random_state=0)
    >>> compare_n_topics(corpus, [2, 3], n_seeds=2, extend=[5, 7], choose=lambda t: t["k"].max())["k"].tolist()
    [2, 3, 5, 7]
    """
    candidates = sorted({int(k) for k in candidates})
    extend = sorted({int(k) for k in extend if int(k) > max(candidates, default=0)})
    if not candidates or candidates[0] < 2:
        raise ValueError(f"candidates must be integers ≥ 2, got {candidates}.")
    if n_seeds < 1:
        raise ValueError(f"n_seeds must be at least 1, not {n_seeds}.")
    require_columns(corpus, "doc_id", *(("text",) if tokens is None and features is None else ()))
    if tokens is not None and features is not None:
        raise ValueError("pass tokens or features (the tokens vectorised), not both.")
    if tokens is not None and len(tokens) != len(corpus):
        raise ValueError(f"tokens has {len(tokens)} lists for {len(corpus)} documents; pass one list per document.")
    check_fit_args(candidates[0], method)
    check_n_docs(len(corpus))
    choose = choose or (lambda table: int(table.sort_values(["npmi", "k"], ascending=[False, True])["k"].iloc[0]))
    space = _SearchSpace.build(corpus, preprocessor, method=method, n_seeds=n_seeds, random_state=random_state,
                               n_jobs=n_jobs, smallest_k=candidates[0], tokens=tokens, features=features)
    options = {"method": method, "random_state": random_state, "n_jobs": n_jobs, "tol": tol}
    table = space.compare(candidates, **options)
    for k in extend:
        if choose(table) != table["k"].max():
            break
        table = pd.concat([table, space.compare([k], **options)], ignore_index=True)
    return table


class _SearchSpace:
    """The vectorised corpus, its vocabulary, the co-occurrence reference and the seeded 80/20 splits."""

    def __init__(self, X, vocabulary, splits):
        self.X, self.vocabulary, self.splits = X, vocabulary, splits
        self.reference = (X > 0).astype(np.int64)

    @classmethod
    def build(cls, corpus, preprocessor, *, method: str, n_seeds: int, random_state, n_jobs: int,
              smallest_k: int, tokens=None, features: DocumentTerms | None = None) -> "_SearchSpace":
        if features is None:
            if tokens is None:
                preprocessor = topic_preprocessor(preprocessor, corpus)
                tokens = corpus_tokens(preprocessor, corpus, n_jobs=n_jobs)  # each document in its language (lang="auto")
            features = vectorise(tokens, method, n_topics=smallest_k)
        features.check(len(corpus), method, smallest_k)
        X = features.X
        if method == "nmf":  # NMF keeps float32 input in float32: ~20 % faster fits, metrics equal to ~1e-4
            X = X.astype(np.float32)
        rng = np.random.default_rng(random_state)
        splits = []
        for _ in range(n_seeds):
            order = rng.permutation(X.shape[0])
            cut = int(round(0.8 * len(order)))
            splits.append((np.sort(order[:cut]), np.sort(order[cut:])))
        return cls(X, features.vectorizer.get_feature_names_out(), splits)

    def compare(self, candidates: list[int], *, method: str, random_state, n_jobs: int, tol=None) -> pd.DataFrame:
        """Fit every candidate on every split; one summary row per candidate."""
        tasks = [(k, s) for k in candidates for s in range(len(self.splits))]
        if n_jobs == 1:
            runs = self._fit_in_threads(tasks, method=method, random_state=random_state, tol=tol)
        else:
            bar = progress_bar(tasks, desc="fitting k × seeds", unit="fit")
            runs = worker_pool(n_jobs)(delayed(_fit_one)(self.X, k, method, random_state + s, *self.splits[s], tol)
                                       for k, s in bar)
        rows = [_summarise([r for r in runs if r["k"] == k], self.reference, self.vocabulary, n_terms=10)
                for k in candidates]
        table = pd.DataFrame(rows)
        table.insert(table.columns.get_loc("stability"), "heldout_measure", HELDOUT_MEASURE[method])
        return table

    def _fit_in_threads(self, tasks: list, *, method: str, random_state, tol) -> list[dict]:
        """The fits in this process, one per thread on as many threads as BLAS would use here (the cores,
        unless limited), each fit's BLAS single-threaded: the same bits as one fit after another; the
        solver and the sparse products release the GIL, so the fits run side by side."""
        def fit(task):
            k, s = task
            return _fit_one_unlimited(self.X, k, method, random_state + s, *self.splits[s], tol)

        threads = min(len(tasks), _blas_threads())
        with threadpool_limits(limits=1), ThreadPoolExecutor(threads) as pool:  # limits set once: they are global
            return list(progress_bar(pool.map(fit, tasks), desc="fitting k × seeds", total=len(tasks), unit="fit"))


def _blas_threads() -> int:
    """The threads BLAS uses in this process (the cores, unless limited, e.g. inside a joblib worker).

    >>> from threadpoolctl import threadpool_limits
    >>> with threadpool_limits(limits=1):
    ...     _blas_threads()
    1
    """
    counts = [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]
    return max(1, min(counts, default=1))
