"""Topic-model metrics against values worked out by hand on a six-document German corpus."""

import math
import warnings

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import CountVectorizer

from analysis.topics.metrics import (binary_doc_term, exclusivity, frex, match_topics, npmi_coherence, topic_diversity,
                              topic_stability, umass_coherence)

# Document frequencies (N = 6): krieg 3, soldat 3, frieden 3, front 2, verhandlung 2, panzer 1, waffenruhe 1.
# Co-document frequencies: krieg–soldat 2, soldat–front 2, frieden–verhandlung 2, krieg–front 1,
# krieg–frieden 1, krieg–verhandlung 1, panzer–waffenruhe 0.
DOCS = [
    ["krieg", "soldat", "front"],
    ["krieg", "soldat"],
    ["frieden", "verhandlung"],
    ["krieg", "frieden", "verhandlung"],
    ["soldat", "front", "panzer"],
    ["frieden", "waffenruhe"],
]
TOPICS = [["krieg", "soldat", "front"], ["frieden", "verhandlung", "krieg"], ["panzer", "waffenruhe"]]


def npmi(p_ij, p_i, p_j):
    return math.log(p_ij / (p_i * p_j)) / -math.log(p_ij)


NPMI_BY_HAND = [
    (npmi(2 / 6, 3 / 6, 3 / 6) + npmi(1 / 6, 3 / 6, 2 / 6) + npmi(2 / 6, 3 / 6, 2 / 6)) / 3,  # krieg-soldat, -front, soldat-front
    (npmi(2 / 6, 3 / 6, 2 / 6) + npmi(1 / 6, 3 / 6, 3 / 6) + npmi(1 / 6, 2 / 6, 3 / 6)) / 3,  # frieden-verhandl., -krieg, verh.-krieg
    -1.0,  # panzer and waffenruhe never share a document
]
UMASS_BY_HAND = [  # log((D(later, earlier) + 1) / D(earlier)), mean over the pairs
    (math.log((2 + 1) / 3) + math.log((1 + 1) / 3) + math.log((2 + 1) / 3)) / 3,  # soldat|krieg, front|krieg, front|soldat
    (math.log((2 + 1) / 3) + math.log((1 + 1) / 3) + math.log((1 + 1) / 2)) / 3,  # verh.|frieden, krieg|frieden, krieg|verh.
    math.log((0 + 1) / 1),  # waffenruhe|panzer
]


def test_hand_computed_values():
    assert NPMI_BY_HAND[0] == pytest.approx(0.29760, abs=1e-5)  # guard the arithmetic above
    assert npmi_coherence(TOPICS, DOCS, per_topic=True) == pytest.approx(NPMI_BY_HAND)
    assert npmi_coherence(TOPICS, DOCS) == pytest.approx(sum(NPMI_BY_HAND) / 3)
    assert umass_coherence(TOPICS, DOCS, per_topic=True) == pytest.approx(UMASS_BY_HAND)
    assert umass_coherence(TOPICS, DOCS) == pytest.approx(sum(UMASS_BY_HAND) / 3)
    assert isinstance(npmi_coherence(TOPICS, DOCS), float)


def test_umass_conditions_on_the_higher_ranked_word():
    assert umass_coherence([["krieg", "front"]], DOCS) == pytest.approx(math.log((1 + 1) / 3))
    assert umass_coherence([["front", "krieg"]], DOCS) == pytest.approx(math.log((1 + 1) / 2))
    assert umass_coherence([["krieg", "front"]], DOCS, eps=0.5) == pytest.approx(math.log((1 + 0.5) / 3))


def test_npmi_edge_cases():
    everywhere = [["krieg", "soldat"], ["krieg", "soldat", "front"]]
    assert npmi_coherence([["krieg", "soldat"]], everywhere) == 1.0  # P(wi, wj) = 1: no 0/0
    assert npmi_coherence([["krieg", "soldat"]], everywhere, eps=0.0) == 1.0
    assert npmi_coherence([["panzer", "waffenruhe"], ["frieden", "front"]], DOCS) == -1.0
    assert npmi_coherence([["krieg", "soldat"]], DOCS) == npmi_coherence([["soldat", "krieg"]], DOCS)  # symmetric


@pytest.mark.parametrize("as_matrix", [
    lambda X: X, lambda X: X.tocsc(), lambda X: X.toarray(), lambda X: sp.csr_array(X * 3)], ids=["csr", "csc", "dense", "counts"])
def test_matrix_input_matches_token_lists(as_matrix):
    X, vocabulary = binary_doc_term(DOCS)
    assert npmi_coherence(TOPICS, as_matrix(X), vocabulary, per_topic=True) == pytest.approx(NPMI_BY_HAND)
    assert umass_coherence(TOPICS, as_matrix(X), vocabulary, per_topic=True) == pytest.approx(UMASS_BY_HAND)


def test_count_vectorizer_output_works_directly():
    repeated = [doc * 2 for doc in DOCS]  # counts of 2: only presence may matter
    vectorizer = CountVectorizer(analyzer=lambda tokens: tokens)
    X = vectorizer.fit_transform(repeated)
    vocabulary = vectorizer.get_feature_names_out()
    assert npmi_coherence(TOPICS, X, vocabulary, per_topic=True) == pytest.approx(NPMI_BY_HAND)


def test_token_lists_may_come_as_a_pandas_column():
    tokens = pd.Series(DOCS, index=[f"taz-{i}" for i in range(6)])
    assert npmi_coherence(TOPICS, tokens, per_topic=True) == pytest.approx(NPMI_BY_HAND)


def test_binary_doc_term():
    X, vocabulary = binary_doc_term([["krieg", "krieg", "front"], [], ["ukraine-krieg"]], vocabulary=["krieg", "front"])
    assert vocabulary == ["krieg", "front"]
    assert X.toarray().tolist() == [[1, 1], [0, 0], [0, 0]]
    X, vocabulary = binary_doc_term(DOCS)
    assert vocabulary == sorted(vocabulary) and X.shape == (6, 7) and X.sum() == 15


def test_terms_missing_from_the_reference_corpus_are_skipped_with_a_warning():
    X, vocabulary = binary_doc_term(DOCS, vocabulary=[*sorted({t for d in DOCS for t in d}), "atomwaffe"])
    with pytest.warns(UserWarning, match=r"skipped: \['raumschiff', 'atomwaffe'\]"):
        scores = npmi_coherence([["krieg", "raumschiff", "soldat"], ["atomwaffe", "krieg"]], X, vocabulary, per_topic=True)
    assert scores[0] == pytest.approx(npmi(2 / 6, 3 / 6, 3 / 6))
    assert np.isnan(scores[1])  # one known term left
    with pytest.warns(UserWarning):
        assert umass_coherence([["krieg", "raumschiff", "soldat"], ["raumschiff"]], DOCS) == pytest.approx(math.log(3 / 3))
    with pytest.warns(UserWarning):
        assert math.isnan(npmi_coherence([["raumschiff", "krieg"]], DOCS))


def test_umass_agrees_with_gensim():
    pytest.importorskip("gensim")
    from gensim.corpora import Dictionary
    from gensim.models.coherencemodel import CoherenceModel

    dictionary = Dictionary(DOCS)
    model = CoherenceModel(topics=TOPICS, corpus=[dictionary.doc2bow(d) for d in DOCS], dictionary=dictionary,
                           coherence="u_mass")
    ours = umass_coherence(TOPICS, DOCS, eps=1e-12 * len(DOCS), per_topic=True)  # gensim adds 1e-12 to P(wi, wj)
    assert ours == pytest.approx(model.get_coherence_per_topic(), rel=1e-9)
    assert umass_coherence(TOPICS, DOCS, eps=1e-12 * len(DOCS)) == pytest.approx(model.get_coherence(), rel=1e-9)


words = st.sampled_from(["krieg", "soldat", "front", "frieden", "verhandlung", "panzer", "nato", "flucht"])


@settings(max_examples=60, deadline=None)
@given(docs=st.lists(st.lists(words, max_size=5), min_size=1, max_size=12),
       topics=st.lists(st.lists(words, min_size=2, max_size=5, unique=True), min_size=1, max_size=4))
def test_coherence_bounds(docs, topics):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        npmi_scores = npmi_coherence(topics, docs, per_topic=True)
        umass_scores = umass_coherence(topics, docs, per_topic=True)
    known = ~np.isnan(npmi_scores)
    assert ((npmi_scores[known] >= -1) & (npmi_scores[known] <= 1)).all()
    assert (umass_scores[known] <= math.log(2) + 1e-12).all()  # log((D(wj) + 1) / D(wj)) <= log 2
    assert np.array_equal(known, ~np.isnan(umass_scores))


def test_topic_diversity():
    assert topic_diversity([["krieg", "soldat", "front"], ["krieg", "frieden", "verhandlung"]], n=3) == 5 / 6
    assert topic_diversity([["krieg", "soldat", "front"], ["krieg", "frieden", "verhandlung"]], n=1) == 1 / 2
    assert topic_diversity([["krieg", "soldat"]] * 3, n=2) == 1 / 3  # K identical topics: n / (K n)
    assert topic_diversity(TOPICS, n=2) == 1.0


BETA = [[2, 1, 1], [0, 1, 3]]  # rows → [1/2, 1/4, 1/4] and [0, 1/4, 3/4]; column sums 1/2, 1/2, 1


def test_frex_by_hand():
    # topic 0: F(beta) = ranks [3, 1.5, 1.5] / 3, F(excl [1, 1/2, 1/4]) = ranks [3, 2, 1] / 3
    # topic 1: beta [0, 1/4, 3/4] and excl [0, 1/2, 3/4] both rank [1, 2, 3] / 3
    expected = [[1.0, 1 / (0.5 * 3 / 2 + 0.5 * 3 / 1.5), 1 / (0.5 * 3 / 1 + 0.5 * 3 / 1.5)], [1 / 3, 2 / 3, 1.0]]
    assert frex(BETA) == pytest.approx(np.array(expected))
    assert frex(BETA, weight=0.0)[0] == pytest.approx([1.0, 0.5, 0.5])  # frequency only
    assert frex(BETA, weight=1.0)[0] == pytest.approx([1.0, 2 / 3, 1 / 3])  # exclusivity only


def test_exclusivity_by_hand():
    assert exclusivity(BETA, n=1, weight=None) == 0.875  # (1 + 3/4) / 2
    assert exclusivity(BETA, n=2, weight=None) == pytest.approx(((1 + 0.5) / 2 + (0.75 + 0.5) / 2) / 2)
    assert exclusivity(BETA, n=2) == pytest.approx(((1 + 4 / 7) / 2 + (1 + 2 / 3) / 2) / 2)
    assert exclusivity(np.array(BETA) * [[10], [0.1]], n=2) == exclusivity(BETA, n=2)  # rows are normalised


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 5), st.integers(2, 40), st.integers(0, 2**32 - 1), st.sampled_from([0.0, 0.3, 0.5, 1.0]))
def test_frex_ranks_each_topic_as_scipy_rankdata_with_ties_averaged(n_topics, n_terms, seed, weight):
    from scipy.stats import rankdata

    rng = np.random.default_rng(seed)  # few distinct weights: many ties, zero columns, NMF-like sparsity
    beta = rng.choice([0.0, 0.0, 0.1, 0.25, 0.25, 1.0, 3.0], size=(n_topics, n_terms))
    beta[:, 0] += 0.5  # every topic has weight
    probs = beta / beta.sum(axis=1, keepdims=True)
    totals = probs.sum(axis=0)
    excl = np.divide(probs, totals, out=np.full_like(probs, 1 / n_topics), where=totals > 0)
    ex, fr = rankdata(excl, axis=1) / n_terms, rankdata(probs, axis=1) / n_terms
    expected = 1.0 / (weight / ex + (1 - weight) / fr)
    np.testing.assert_array_equal(frex(beta, weight=weight), expected)  # the same bits
    n = int(rng.integers(1, n_terms + 1))
    top = np.argsort(-probs, axis=1, kind="stable")[:, :n]
    assert exclusivity(beta, n=n, weight=weight) == float(np.take_along_axis(expected, top, axis=1).mean())


def test_exclusivity_extremes():
    assert exclusivity(np.ones((4, 6)), n=3, weight=None) == pytest.approx(1 / 4)  # all topics alike
    assert exclusivity(np.eye(3) + 0.0, n=1, weight=None) == 1.0  # disjoint topics


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 6), st.integers(1, 8), st.data())
def test_exclusivity_in_unit_interval(k, v, data):
    beta = np.array(data.draw(st.lists(st.lists(st.floats(0, 100), min_size=v, max_size=v), min_size=k, max_size=k)))
    beta[:, 0] += 1e-3  # every topic needs some weight
    n = data.draw(st.integers(1, v))
    for weight in (None, 0.0, 0.5, 0.7, 1.0):
        assert 0 < exclusivity(beta, n=n, weight=weight) <= 1 + 1e-12
    assert ((frex(beta) > 0) & (frex(beta) <= 1)).all()


RUN = [["krieg", "soldat", "front"], ["frieden", "verhandlung", "waffenruhe"], ["flucht", "grenze", "hilfe"]]


def test_stability_of_identical_and_permuted_runs_is_one():
    assert topic_stability([RUN, RUN, RUN], n=3) == 1.0
    assert topic_stability([RUN, RUN[::-1], [RUN[1], RUN[2], RUN[0]]], n=3) == 1.0
    weights = np.random.default_rng(0).random((5, 40))
    assert topic_stability([weights, weights[[3, 0, 4, 1, 2]]]) == pytest.approx(1.0)
    assert topic_stability([sp.csr_matrix(weights), weights[::-1]]) == pytest.approx(1.0)


def test_stability_and_matching_by_hand():
    a = [["krieg", "soldat"], ["frieden", "verhandlung"]]
    b = [["frieden", "waffenruhe"], ["soldat", "krieg"]]
    rows, cols, sims = match_topics(a, b, n=2)
    assert rows.tolist() == [0, 1] and cols.tolist() == [1, 0]
    assert sims == pytest.approx([1.0, 1 / 3])  # {frieden, verhandlung} vs {frieden, waffenruhe}: 1 / 3
    assert topic_stability([a, b], n=2) == pytest.approx((1 + 1 / 3) / 2)
    assert topic_stability([a, a, b], n=2) == pytest.approx((1 + 2 / 3 + 2 / 3) / 3)  # mean over the 3 pairs
    assert topic_stability([a, b], n=1) == pytest.approx((1 + 0) / 2)  # {krieg}–{soldat} does not count at n=1
    # cosine: a0·b0 = 1/√2, a0·b1 = 0, a1·b0 = 1/√2, a1·b1 = 1 → keep the diagonal
    rows, cols, sims = match_topics(np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([[1.0, 1.0], [0.0, 2.0]]))
    assert cols.tolist() == [0, 1] and sims == pytest.approx([1 / math.sqrt(2), 1.0])


def test_match_topics_with_unequal_topic_counts():
    rows, cols, sims = match_topics(RUN, RUN[1:], n=3)
    assert rows.tolist() == [1, 2] and cols.tolist() == [0, 1] and sims.tolist() == [1.0, 1.0]


X6, VOCAB6 = binary_doc_term(DOCS)


@pytest.mark.parametrize("call, error, message", [
    (lambda: npmi_coherence([], DOCS), ValueError, "top_terms is empty"),
    (lambda: npmi_coherence(["krieg", "soldat"], DOCS), TypeError, r"wrap a single topic as \[terms\]"),
    (lambda: npmi_coherence([["krieg", "krieg"]], DOCS), ValueError, "'krieg' more than once"),
    (lambda: npmi_coherence([[1, 2]], DOCS), ValueError, "list of term strings"),
    (lambda: npmi_coherence(TOPICS, X6, VOCAB6[:3]), ValueError, r"shape \(6, 7\).*shape \(3,\)"),
    (lambda: npmi_coherence(TOPICS, X6), ValueError, "vocabulary is None"),
    (lambda: npmi_coherence(TOPICS, X6[:0], VOCAB6), ValueError, "no documents"),
    (lambda: npmi_coherence(TOPICS, X6, VOCAB6[:-1] + ["krieg"]), ValueError, "'krieg' more than once"),
    (lambda: npmi_coherence(TOPICS, ["krieg soldat", "frieden"]), TypeError, "tokenize"),
    (lambda: npmi_coherence(TOPICS, DOCS, eps=-1), ValueError, "eps must be >= 0"),
    (lambda: umass_coherence(TOPICS, DOCS, eps=0), ValueError, "eps must be > 0"),
    (lambda: topic_diversity(TOPICS), ValueError, r"n=25 but top_terms\[0\] has only 3 terms"),
    (lambda: topic_diversity(TOPICS, n=0), ValueError, "positive integer"),
    (lambda: exclusivity([[1, -1]]), ValueError, "non-negative"),
    (lambda: exclusivity([[1, 1], [0, 0]], n=1), ValueError, "row 1 is all zeros"),
    (lambda: exclusivity(BETA, n=4), ValueError, r"\[1, 3\]"),
    (lambda: exclusivity([1, 2, 3]), ValueError, "topics × vocabulary"),
    (lambda: frex(BETA, weight=1.5), ValueError, r"weight must be in \[0, 1\]"),
    (lambda: topic_stability([RUN]), ValueError, "at least two runs"),
    (lambda: topic_stability([RUN, np.ones((3, 4))]), TypeError, r"runs \[1\] are matrices"),
    (lambda: topic_stability([RUN, RUN[:2]], n=3), ValueError, r"different numbers of topics \[3, 2\]"),
    (lambda: topic_stability([np.ones((2, 4)), np.ones((2, 5))]), ValueError, r"\(2, 4\) and b \(2, 5\)"),
    (lambda: match_topics(RUN, np.ones((3, 4))), TypeError, "both be"),
])
def test_bad_input_is_named(call, error, message):
    with pytest.raises(error, match=message):
        call()
