"""Topic-model quality: coherence, diversity, exclusivity and seed stability.

Small pure functions on plain inputs, so they work for any topic model: ``top_terms`` is
one list of term strings per topic, best first; ``topic_term`` is a topics × vocabulary
matrix of non-negative weights (``model.components_``); a reference corpus is a documents
× vocabulary matrix ``X`` with its ``vocabulary`` (only presence is used) or a list of
token lists. Clustering agreement is :func:`sklearn.metrics.normalized_mutual_info_score`;
coder agreement lives in :mod:`analysis.validation.agreement`.

>>> topics = [["krieg", "soldat"], ["frieden", "krieg"]]
>>> docs = [["krieg", "soldat"], ["krieg", "soldat", "front"], ["frieden", "front"]]
>>> npmi_coherence(topics, docs, per_topic=True).tolist(), topic_diversity(topics, n=2)
([1.0, -1.0], 0.75)
"""

from __future__ import annotations

import itertools
import warnings
from collections import Counter
from collections.abc import Iterable

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linear_sum_assignment


def _is_list_like(x) -> bool:
    return isinstance(x, Iterable) and not isinstance(x, str)


def _check_top_terms(top_terms, name="top_terms") -> list[list[str]]:
    if not _is_list_like(top_terms):
        raise TypeError(f"{name} must be a list of topics, each a list of term strings; got {type(top_terms).__name__}")
    topics = list(top_terms)
    if not topics:
        raise ValueError(f"{name} is empty; pass one list of terms per topic.")
    for k, topic in enumerate(topics):
        if not _is_list_like(topic):
            raise TypeError(f"{name}[{k}] is {type(topic).__name__}, not a list of terms; wrap a single topic as [terms].")
        topics[k] = topic = list(topic)
        if not topic or not all(isinstance(t, str) for t in topic):
            raise ValueError(f"{name}[{k}] must be a non-empty list of term strings; got {topic[:3]!r}.")
        dup = [t for t, count in Counter(topic).items() if count > 1]
        if dup:
            raise ValueError(f"{name}[{k}] lists {dup[0]!r} more than once; a topic's terms must be distinct.")
    return topics


def _top_n(topics, n, name="top_terms") -> list[list[str]]:
    if not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be a positive integer; got {n!r}.")
    for k, topic in enumerate(topics):
        if len(topic) < n:
            raise ValueError(f"n={n} but {name}[{k}] has only {len(topic)} terms; pass n={len(topic)} or longer lists.")
    return [topic[:n] for topic in topics]


def _check_vocabulary(vocabulary) -> list:
    vocabulary = list(vocabulary)
    dup = [t for t, count in Counter(vocabulary).items() if count > 1]
    if dup:
        raise ValueError(f"vocabulary lists {dup[0]!r} more than once; it must name each column of X once.")
    return vocabulary


def binary_doc_term(token_lists, vocabulary=None):
    """Documents × vocabulary presence matrix (CSR, 0/1 int64) and its vocabulary list.

    Row ``i`` is ``token_lists[i]``. ``vocabulary=None`` uses the sorted set of all
    tokens; tokens outside a given vocabulary are ignored.

    >>> X, vocab = binary_doc_term([["krieg", "soldat", "krieg"], ["frieden"]])
    >>> vocab, X.toarray().tolist()
    (['frieden', 'krieg', 'soldat'], [[0, 1, 1], [1, 0, 0]])
    """
    docs = []
    for i, doc in enumerate(token_lists):
        if not _is_list_like(doc):
            raise TypeError(f"document {i} is {type(doc).__name__}, not a list of tokens; tokenize the texts first.")
        docs.append(set(doc))
    vocabulary = _check_vocabulary(sorted(set().union(*docs)) if vocabulary is None else vocabulary)
    index = {term: j for j, term in enumerate(vocabulary)}
    cols = [sorted(index[t] for t in doc if t in index) for doc in docs]
    indptr = np.cumsum([0] + [len(c) for c in cols])
    indices = np.fromiter(itertools.chain.from_iterable(cols), dtype=np.int64, count=indptr[-1])
    X = sp.csr_matrix((np.ones(len(indices), dtype=np.int64), indices, indptr), shape=(len(docs), len(vocabulary)))
    return X, vocabulary


def _reference(X, vocabulary):
    """The reference corpus as (documents × terms matrix, vocabulary list)."""
    if not (sp.issparse(X) or getattr(X, "ndim", None) == 2):  # token lists, also a pandas Series of them
        return binary_doc_term(X, vocabulary)
    if vocabulary is None:
        raise ValueError("X is a document-term matrix but vocabulary is None; pass its column terms, "
                         "e.g. vectorizer.get_feature_names_out().")
    X = X if sp.issparse(X) else np.asarray(X)
    vocabulary = _check_vocabulary(vocabulary)
    if X.ndim != 2 or X.shape[1] != len(vocabulary):
        raise ValueError(f"X has shape {X.shape} (documents × terms) but vocabulary has shape ({len(vocabulary)},); "
                         "X.shape[1] must equal len(vocabulary).")
    if X.shape[0] == 0:
        raise ValueError("X has no documents; coherence needs a non-empty reference corpus.")
    return X, vocabulary


def _cooccurrence(top_terms, X, vocabulary):
    """Per topic, the positions of its terms found in X; their co-document counts; n documents."""
    topics = _check_top_terms(top_terms)
    X, vocabulary = _reference(X, vocabulary)
    index = {term: j for j, term in enumerate(vocabulary)}
    terms = sorted({t for topic in topics for t in topic if t in index}, key=index.get)
    sub = X[:, [index[t] for t in terms]].astype(bool).astype(np.float64)
    co = sub.T @ sub  # counts stay exact in float64
    co = co.toarray() if sp.issparse(co) else np.asarray(co)
    position = {t: p for p, t in enumerate(terms) if co[p, p] > 0}
    missing = [t for topic in topics for t in topic if t not in position]
    if missing:
        warnings.warn(f"{len(missing)} top terms occur in no document of the reference corpus and were skipped: "
                      f"{missing[:5]}; topics left with fewer than 2 terms score NaN.", UserWarning, stacklevel=3)
    kept = [np.array([position[t] for t in topic if t in position], dtype=np.int64) for topic in topics]
    return kept, co, X.shape[0]


def _aggregate(scores, per_topic):
    if per_topic:
        return scores
    return float("nan") if np.isnan(scores).all() else float(np.nanmean(scores))


def npmi_coherence(top_terms, X, vocabulary=None, *, eps=1e-12, per_topic=False):
    """Mean normalised PMI of each topic's top-term pairs, from document co-occurrence.

    NPMI(w_i, w_j) = log(P(w_i, w_j) / (P(w_i) P(w_j))) / -log P(w_i, w_j), P(·) = D(·)/N,
    D counting the documents containing the word(s), N the documents (Bouma 2009; Lau,
    Newman & Baldwin 2014; Röder et al. 2015's C_NPMI with boolean-document windows,
    unlike gensim's ``c_npmi`` with 10-token sliding windows). Topic: mean over all
    unordered pairs of its top terms; model: mean over topics. A pair never in one
    document scores -1; one with -log P(w_i, w_j) <= ``eps`` (both in every document) 1.
    Terms in no document of the reference corpus (not in ``vocabulary``, or an all-zero
    column) are skipped with a warning; a topic left with < 2 terms scores NaN, which
    the model mean ignores. ``X``: documents × terms matrix (scipy sparse or numpy;
    non-zero = present) with ``vocabulary`` naming its columns, or a list of token lists
    (``vocabulary`` optional). Returns a float; ``per_topic=True``: one score per topic.

    >>> docs = [["krieg", "soldat"], ["krieg"], ["soldat", "front"], ["front"]]
    >>> npmi_coherence([["krieg", "soldat"]], docs)  # log((1/4) / (2/4 · 2/4)) / -log(1/4)
    0.0
    """
    if eps < 0:
        raise ValueError(f"eps must be >= 0; got {eps!r}.")
    topics, co, n_docs = _cooccurrence(top_terms, X, vocabulary)
    scores = np.full(len(topics), np.nan)
    for k, ids in enumerate(topics):
        if len(ids) < 2:
            continue
        i, j = np.triu_indices(len(ids), 1)
        d_ij, d_i, d_j = co[ids[i], ids[j]], co[ids[i], ids[i]], co[ids[j], ids[j]]
        with np.errstate(divide="ignore", invalid="ignore"):  # ratios of exact integer products
            denominator = np.log(n_docs / d_ij)
            npmi = np.log(d_ij * n_docs / (d_i * d_j)) / denominator
        npmi = np.where(d_ij == 0, -1.0, np.where(denominator <= eps, 1.0, npmi))
        scores[k] = np.clip(npmi, -1.0, 1.0).mean()
    return _aggregate(scores, per_topic)


def umass_coherence(top_terms, X, vocabulary=None, *, eps=1.0, per_topic=False):
    """UMass coherence (Mimno, Wallach, Talley, Leenders & McCallum 2011), as a mean over pairs.

    Top terms w_1, …, w_M ranked best first; each pair i > j (w_j ranked higher) scores
    log((D(w_i, w_j) + eps) / D(w_j)), D = document (co-)frequency. Mimno et al. sum the
    pairs; like gensim's ``u_mass`` we report the MEAN (no growth with M), then the mean
    over topics. ``eps=1`` is Mimno's smoothing; gensim adds 1e-12 to the probability
    instead, so ``eps=1e-12 * n_documents`` reproduces gensim's ``u_mass`` exactly.
    Higher is more coherent. Inputs, skipped terms, NaN as in :func:`npmi_coherence`.

    >>> docs = [["krieg", "soldat"], ["krieg"], ["krieg", "front"]]
    >>> round(umass_coherence([["krieg", "soldat"]], docs), 4)  # log((1 + 1) / 3)
    -0.4055
    """
    if not eps > 0:
        raise ValueError(f"eps must be > 0 (Mimno et al. use 1); got {eps!r}.")
    topics, co, _ = _cooccurrence(top_terms, X, vocabulary)
    scores = np.full(len(topics), np.nan)
    for k, ids in enumerate(topics):
        if len(ids) < 2:
            continue
        i, j = np.tril_indices(len(ids), -1)
        later, earlier = ids[i], ids[j]
        scores[k] = np.log((co[later, earlier] + eps) / co[earlier, earlier]).mean()
    return _aggregate(scores, per_topic)


def topic_diversity(top_terms, *, n=25):
    """Share of unique terms among the top-``n`` terms of all topics (Dieng, Ruiz & Blei 2020).

    TD = |∪_k top_n(k)| / (K · n): 1 when no two topics share a top term, 1/K when all K
    topics have the same ones. Raises if a topic has fewer than ``n`` terms, so a
    reported TD@n really used n terms per topic.

    >>> topic_diversity([["krieg", "soldat"], ["krieg", "frieden"]], n=2)
    0.75
    """
    topics = _top_n(_check_top_terms(top_terms), n)
    return len({t for topic in topics for t in topic}) / (len(topics) * n)


def _topic_probs(topic_term, name="topic_term"):
    beta = topic_term.toarray() if sp.issparse(topic_term) else np.asarray(topic_term, dtype=float)
    if beta.ndim != 2 or 0 in beta.shape:
        raise ValueError(f"{name} must be a non-empty topics × vocabulary matrix; got shape {beta.shape}.")
    if not np.isfinite(beta).all() or (beta < 0).any():
        raise ValueError(f"{name} must hold finite non-negative weights (e.g. NMF/LDA components_).")
    sums = beta.sum(axis=1, keepdims=True)
    if (sums == 0).any():
        raise ValueError(f"{name} row {int(np.flatnonzero(sums == 0)[0])} is all zeros; every topic needs weight.")
    return beta / sums


def _frex(beta, weight, columns=None):
    """FREX from row-normalised beta; ``weight=None`` gives the plain exclusivity instead.
    ``columns`` (column indices per row): only those entries, each ranked within its whole row."""
    totals = beta.sum(axis=0)
    excl = np.divide(beta, totals, out=np.full_like(beta, 1 / len(beta)), where=totals > 0)
    if columns is None:
        columns = np.broadcast_to(np.arange(beta.shape[1]), beta.shape)
    if weight is None:
        return np.take_along_axis(excl, columns, axis=1)
    if not 0 <= weight <= 1:
        raise ValueError(f"weight must be in [0, 1] (the share given to exclusivity) or None; got {weight!r}.")
    ex, fr = _average_ranks(excl, columns) / beta.shape[1], _average_ranks(beta, columns) / beta.shape[1]
    return 1.0 / (weight / ex + (1 - weight) / fr)


def _average_ranks(matrix, columns):
    """``scipy.stats.rankdata(matrix, axis=1)`` (ties averaged) at ``columns`` only, the same numbers,
    from each row sorted once: the exclusivity of a few top terms needs no ranking of the whole vocabulary.

    >>> from scipy.stats import rankdata
    >>> m = np.array([[0.2, 0.5, 0.2, 0.1]])
    >>> _average_ranks(m, np.array([[1, 0]])).tolist(), rankdata(m, axis=1).tolist()
    ([[4.0, 2.5]], [[2.5, 4.0, 2.5, 1.0]])
    """
    ordered = np.sort(matrix, axis=1)
    picked = np.take_along_axis(matrix, columns, axis=1)
    below = np.array([np.searchsorted(row, values, side="left") for row, values in zip(ordered, picked)])
    upto = np.array([np.searchsorted(row, values, side="right") for row, values in zip(ordered, picked)])
    return 0.5 * (upto + below + 1)  # the mean of the tied positions below + 1 … upto, exact in float64


def frex(topic_term, *, weight=0.5):
    """FREX score of every term in every topic: a topics × vocabulary array in (0, 1].

    Rows of ``topic_term`` are normalised to probabilities β_k; exclusivity
    excl(k, v) = β_kv / Σ_k' β_k'v (1/K for a term without weight anywhere) and
    FREX(k, v) = (weight / F_k(excl(k, v)) + (1 - weight) / F_k(β_kv))^-1, a weighted
    harmonic mean of within-topic empirical CDFs F_k (rank over the vocabulary / V,
    ties averaged). Bischof & Airoldi (2012), as stm's ``calcfrex`` (Roberts et al.
    2014). ``weight`` is the share of exclusivity (stm's ``calcfrex(w=)`` weights
    frequency; equal at 0.5). Label a topic with its highest-FREX terms.

    >>> frex([[2, 1, 1], [0, 1, 3]]).round(2).tolist()
    [[1.0, 0.57, 0.4], [0.33, 0.67, 1.0]]
    """
    return _frex(_topic_probs(topic_term), weight)


def exclusivity(topic_term, *, n=10, weight=0.5):
    """Mean FREX-style exclusivity of each topic's top-``n`` terms (by β), averaged over topics.

    As stm's ``exclusivity`` (Roberts et al. 2014; Bischof & Airoldi 2012): take each
    topic's ``n`` terms of highest β_kv (ties: lower column first) and average their
    :func:`frex` scores; stm sums them (default weight 0.7), so stm's value / n is ours
    per topic. ``weight=None`` averages the plain exclusivity β_kv / Σ_k' β_k'v instead:
    1 when no other topic uses a topic's top terms, 1/K when all K topics share them
    equally. Both lie in (0, 1]; higher means more distinct topics.

    >>> exclusivity([[2, 1, 1], [0, 1, 3]], n=1, weight=None)  # (2/4)/(2/4), (3/4)/(1/4 + 3/4)
    0.875
    """
    beta = _topic_probs(topic_term)
    if not isinstance(n, (int, np.integer)) or not 1 <= n <= beta.shape[1]:
        raise ValueError(f"n must be an integer in [1, {beta.shape[1]}] (the vocabulary size); got {n!r}.")
    top = np.argsort(-beta, axis=1, kind="stable")[:, :n]
    return float(_frex(beta, weight, top).mean())


def _is_matrix(run) -> bool:
    return sp.issparse(run) or (isinstance(run, np.ndarray) and run.dtype.kind in "biuf")


def _unit_rows(run, name):
    run = run.toarray() if sp.issparse(run) else np.asarray(run, dtype=float)
    if run.ndim != 2 or 0 in run.shape:
        raise ValueError(f"{name} must be a non-empty topics × vocabulary matrix; got shape {run.shape}.")
    norms = np.linalg.norm(run, axis=1, keepdims=True)
    return np.divide(run, norms, out=np.zeros_like(run), where=norms > 0)


def _similarity(a, b, n):
    """Topics × topics similarity: cosine of weight rows, or Jaccard of top-n term sets."""
    if _is_matrix(a) != _is_matrix(b):
        raise TypeError("a and b must both be topic-term matrices (numpy/scipy) or both be top-term lists.")
    if not _is_matrix(a):
        sets_a, sets_b = ([set(t) for t in _top_n(_check_top_terms(x, nm), n, nm)] for x, nm in ((a, "a"), (b, "b")))
        return np.array([[len(x & y) / len(x | y) for y in sets_b] for x in sets_a])
    rows_a, rows_b = _unit_rows(a, "a"), _unit_rows(b, "b")
    if rows_a.shape[1] != rows_b.shape[1]:
        raise ValueError(f"a has shape {rows_a.shape} and b {rows_b.shape}; topic-term matrices "
                         "must share the vocabulary (same columns in the same order).")
    return rows_a @ rows_b.T


def match_topics(a, b, *, n=10):
    """One-to-one topic matching that maximises total similarity (Hungarian method, Kuhn 1955).

    ``a`` and ``b`` are two runs: both topics × vocabulary weight matrices (same columns;
    similarity = cosine of rows, ``n`` unused) or both top-term lists (similarity =
    Jaccard of top-``n`` sets). Returns ``(row_ind, col_ind, similarities)``: topic
    ``row_ind[i]`` of ``a`` matches ``col_ind[i]`` of ``b``, ``row_ind`` ascending; with
    unequal topic counts only min(K_a, K_b) pairs are matched.

    >>> rows, cols, sims = match_topics([["krieg", "soldat"], ["frieden", "verhandlung"]],
    ...                                 [["frieden", "waffenruhe"], ["soldat", "krieg"]], n=2)
    >>> cols.tolist(), sims.round(3).tolist()
    ([1, 0], [1.0, 0.333])
    """
    similarity = _similarity(a, b, n)
    row_ind, col_ind = linear_sum_assignment(similarity, maximize=True)
    return row_ind, col_ind, similarity[row_ind, col_ind]


def topic_stability(models_terms, *, n=10):
    """Seed stability: mean similarity of matched topics, averaged over all pairs of runs.

    ``models_terms``: one run per random seed, all topics × vocabulary weight matrices
    (same columns) or all top-term lists, with equal numbers of topics. Each pair of runs
    is aligned by :func:`match_topics` and scores its mean matched similarity; we return
    the mean over the R(R-1)/2 pairs, in [0, 1] for non-negative weights (1: all seeds
    find the same topics). After Greene, O'Callaghan & Cunningham (2014), who align runs
    to one reference run and compare ranked lists by average Jaccard over depths 1..n;
    we compare all pairs by Jaccard of top-``n`` sets or cosine of rows (``n`` unused).

    >>> run = [["krieg", "soldat"], ["frieden", "verhandlung"]]
    >>> topic_stability([run, run[::-1]], n=2)
    1.0
    """
    runs = list(models_terms) if _is_list_like(models_terms) else []
    if len(runs) < 2:
        raise ValueError(f"topic_stability needs a list of at least two runs (one per random seed); got {len(runs)}.")
    kinds = [_is_matrix(run) for run in runs]
    if len(set(kinds)) > 1:
        raise TypeError(f"runs {[i for i, m in enumerate(kinds) if m]} are matrices but the others are not; "
                        "pass all runs as topic-term matrices or all as top-term lists.")
    sizes = [run.shape[0] if kinds[0] else len(run) for run in runs]
    if len(set(sizes)) > 1:
        raise ValueError(f"runs have different numbers of topics {sizes}; seed stability compares runs of equal K.")
    return float(np.mean([match_topics(a, b, n=n)[2].mean() for a, b in itertools.combinations(runs, 2)]))
