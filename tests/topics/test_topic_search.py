"""Choosing k: the metrics table users compare, deterministic and independent of n_jobs."""

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest
from threadpoolctl import threadpool_limits

from analysis.corpus import datasets
from analysis.plotting import plot_n_topics, plot_topic_terms
from analysis.progress import quiet
from analysis.topics import compare_n_topics
from analysis.topics import fit_topics


@pytest.fixture(scope="module")
def sample():
    corpus = datasets.load_conflict_corpus().corpus
    return corpus.sample(500, random_state=3).reset_index(drop=True)


@pytest.fixture(scope="module")
def table(sample):
    with quiet():
        return compare_n_topics(sample, [3, 5, 8], n_seeds=2)


def test_one_row_per_k_with_every_metric_in_range(table):
    assert table["k"].tolist() == [3, 5, 8]
    assert table[["npmi", "umass", "diversity", "exclusivity", "heldout", "stability"]].notna().all().all()
    assert table["npmi"].between(-1, 1).all() and (table["umass"] <= 0).all()
    assert table["diversity"].between(0, 1).all() and table["stability"].between(0, 1.0000001).all()
    assert table["heldout"].is_monotonic_decreasing  # more topics reconstruct held-out text better
    assert set(table["heldout_measure"]) == {"relative reconstruction error"}


def test_deterministic_and_n_jobs_invariant(sample, table):
    with quiet():
        again = compare_n_topics(sample, [8, 3, 5], n_seeds=2, n_jobs=2)
    columns = ["k", "npmi", "umass", "diversity", "exclusivity", "heldout", "stability"]
    pd.testing.assert_frame_equal(table[columns], again[columns], check_exact=True)


def test_fits_on_threads_give_the_bits_of_fits_one_after_another(sample, table):
    with quiet(), threadpool_limits(limits=1):  # BLAS on one thread here: the search runs one fit at a time
        one_thread = compare_n_topics(sample, [3, 5, 8], n_seeds=2)
    pd.testing.assert_frame_equal(table.drop(columns="seconds"), one_thread.drop(columns="seconds"), check_exact=True)


def test_known_tokens_give_the_same_evidence_without_the_texts(sample, table):
    from analysis.text.preprocessor import corpus_preprocessor, corpus_tokens

    tokens = corpus_tokens(corpus_preprocessor(sample), sample, progress=False)  # what the search preprocesses
    with quiet():
        known = compare_n_topics(sample.drop(columns="text"), [3, 5, 8], n_seeds=2, tokens=tokens)
    columns = ["k", "npmi", "umass", "diversity", "exclusivity", "heldout", "stability"]
    pd.testing.assert_frame_equal(table[columns], known[columns], check_exact=True)
    with pytest.raises(ValueError, match="one list per document"):
        compare_n_topics(sample, [3], tokens=tokens[:-1])


def test_features_vectorised_once_serve_the_search_and_the_final_fit(sample, table):
    from analysis.text.preprocessor import corpus_preprocessor, corpus_tokens
    from analysis.topics.in_memory import fit_topics_in_memory
    from analysis.topics.pipeline import vectorise

    preprocessor = corpus_preprocessor(sample)
    features = vectorise(corpus_tokens(preprocessor, sample, progress=False), "nmf", n_topics=3)
    before = features.X.copy()
    with quiet():
        shared = compare_n_topics(sample.drop(columns="text"), [3, 5, 8], n_seeds=2, features=features)
        model = fit_topics_in_memory(sample, 5, preprocessor=preprocessor, features=features)
        alone = fit_topics(sample, 5, preprocessor=preprocessor)
    columns = ["k", "npmi", "umass", "diversity", "exclusivity", "heldout", "stability"]
    pd.testing.assert_frame_equal(table[columns], shared[columns], check_exact=True)
    pd.testing.assert_frame_equal(model.doc_topics(), alone.doc_topics(), check_exact=True)
    pd.testing.assert_frame_equal(model.terms(n=10), alone.terms(n=10), check_exact=True)
    new = pd.DataFrame({"doc_id": ["n1", "n2"], "text": ["Russian troops crossed the border near Kursk; talks on a "
                                                         "prisoner exchange resumed.", "Zelensky met the Prime Minister."]})
    pd.testing.assert_frame_equal(model.transform(new), alone.transform(new), check_exact=True)  # reads raw text
    assert (features.X != before).nnz == 0 and features.vectorizer.analyzer is not preprocessor  # left as given


def test_features_must_be_the_corpus_and_method_they_were_made_for(sample):
    from analysis.text.preprocessor import corpus_preprocessor, corpus_tokens
    from analysis.topics.in_memory import fit_topics_in_memory
    from analysis.topics.pipeline import TooFewTermsError, vectorise

    tokens = corpus_tokens(corpus_preprocessor(sample), sample, progress=False)
    features = vectorise(tokens, "nmf", n_topics=3)
    with pytest.raises(ValueError, match="400 documents"):
        compare_n_topics(sample.head(400), [3, 5], n_seeds=2, features=features)
    with pytest.raises(ValueError, match="method='nmf', not 'lda'"):
        fit_topics_in_memory(sample, 3, method="lda", features=features)
    with pytest.raises(ValueError, match="not both"):
        compare_n_topics(sample, [3, 5], tokens=tokens, features=features)
    with pytest.raises(TooFewTermsError, match="too few for"):
        fit_topics_in_memory(sample, features.X.shape[1] + 1, features=features)


def test_the_grid_grows_only_while_the_choice_is_its_largest_k(sample, table):
    chosen = []

    def largest(table):
        chosen.append(table["k"].tolist())
        return int(table["k"].max())
    with quiet():
        grown = compare_n_topics(sample, [3, 5, 8], n_seeds=2, extend=[12, 2, 10, 8], choose=largest)
        kept = compare_n_topics(sample, [3, 5, 8], n_seeds=2, extend=[10, 12], choose=lambda t: 5)
    assert grown["k"].tolist() == [3, 5, 8, 10, 12]  # k at or below the grid's largest are not "extensions"
    assert chosen == [[3, 5, 8], [3, 5, 8, 10]]  # asked again after each step; the last step is the cap
    columns = ["k", "npmi", "umass", "diversity", "exclusivity", "heldout", "stability"]
    pd.testing.assert_frame_equal(grown.head(3)[columns], table[columns], check_exact=True)  # same splits and fits
    assert kept["k"].tolist() == [3, 5, 8]


def test_a_looser_tolerance_gives_the_same_evidence(sample, table):
    with quiet():
        loose = compare_n_topics(sample, [3, 5, 8], n_seeds=2, tol=1e-3)
    for column, tolerance in (("npmi", 0.01), ("stability", 0.02), ("heldout", 0.005)):
        assert loose[column].to_numpy() == pytest.approx(table[column].to_numpy(), abs=tolerance)


def test_lda_reports_perplexity(sample):
    with quiet():
        lda = compare_n_topics(sample.head(200), [2, 4], method="lda", n_seeds=1)
    assert set(lda["heldout_measure"]) == {"perplexity"} and (lda["heldout"] > 1).all()
    assert lda["stability"].isna().all()  # one run: nothing to compare


def test_bad_candidates(sample):
    with pytest.raises(ValueError, match="≥ 2"):
        compare_n_topics(sample, [1, 3])


def test_figures(table, sample):
    axes = plot_n_topics(table, chosen=5)
    assert len(axes) == 6 and axes[0].get_title().startswith("NPMI")
    with quiet():
        terms = fit_topics(sample, 3).terms(n=5)
    panels = plot_topic_terms(terms, labels={"T1": "War"})
    assert panels.flat[0].get_title() == "War" and len(panels.flat[0].patches) == 5


def test_heldout_error_equals_the_dense_residual_norm_without_forming_it():
    import scipy.sparse as sp

    from analysis.topics.search import relative_reconstruction_error

    rng = np.random.default_rng(4)
    for n_docs, n_terms, k in [(50, 80, 3), (400, 2_000, 12)]:
        X = sp.random(n_docs, n_terms, density=0.03, random_state=rng, format="csr")
        W, H = rng.random((n_docs, k)), rng.random((k, n_terms)) * 0.05
        dense = np.linalg.norm(X.toarray() - W @ H) / np.linalg.norm(X.toarray())
        assert relative_reconstruction_error(X, W, H) == pytest.approx(dense, rel=1e-10)
    perfect = sp.csr_matrix(W @ H)
    assert relative_reconstruction_error(perfect, W, H) == pytest.approx(0, abs=1e-6)
