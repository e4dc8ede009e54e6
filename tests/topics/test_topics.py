"""Topic models: interpretable, proportions that sum to 1, reusable, deterministic, seedable."""

import pickle

import numpy as np
import pandas as pd
import pytest

from analysis.corpus import datasets
from analysis.progress import quiet
from analysis.topics import fit_topics


@pytest.fixture(scope="module")
def conflict():
    return datasets.load_conflict_corpus().corpus


@pytest.fixture(scope="module")
def german():
    corpus = datasets.load_gnad10().corpus
    return corpus[corpus["section"].isin(["Sport", "Wirtschaft", "International", "Kultur"])].reset_index(drop=True)


@pytest.fixture(scope="module")
def nmf(conflict):
    with quiet():
        return fit_topics(conflict, 6)


def test_terms_doc_topics_and_documents(nmf, conflict):
    terms = nmf.terms(n=7)
    assert list(terms.columns) == ["topic", "rank", "term", "weight"]
    assert terms.groupby("topic").size().tolist() == [7] * 6
    assert (terms.groupby("topic")["weight"].apply(lambda w: w.is_monotonic_decreasing)).all()
    doc_topics = nmf.doc_topics()
    assert len(doc_topics) == 6 * len(conflict)
    np.testing.assert_allclose(doc_topics.groupby("doc_id")["weight"].sum(), 1.0)
    assert (doc_topics["weight"] >= 0).all()
    top = nmf.top_documents("T1", n=3)
    assert len(top) == 3 and top["weight"].is_monotonic_decreasing and {"text", "title", "outlet"} <= set(top.columns)
    wide = nmf.doc_topics(wide=True)
    assert list(wide.columns) == ["doc_id", "T1", "T2", "T3", "T4", "T5", "T6"]


def test_proportions_of_some_documents_are_their_rows_of_doc_topics(nmf, conflict):
    wide = nmf.doc_topics(wide=True).set_index("doc_id")
    wanted = conflict["doc_id"].sample(40, random_state=1).tolist() * 2  # shuffled, each twice
    assert np.array_equal(nmf.proportions_of(wanted), wide.loc[wanted].to_numpy())
    assert nmf.proportions_of(wanted[:3] + ["not-a-document"]) is None and nmf.proportions_of([]).shape == (0, 6)


def test_doc_topics_in_blocks_stack_to_the_whole_table(nmf, conflict):
    blocks = list(nmf.iter_doc_topics(block=97))  # the last block is shorter
    assert len(blocks) == -(-len(conflict) // 97) and len(blocks[-1]) == 6 * (len(conflict) % 97)
    assert pd.concat(blocks, ignore_index=True).equals(nmf.doc_topics())
    with pytest.raises(ValueError, match="block must be a positive number"):
        next(nmf.iter_doc_topics(block=0))


def test_relevance_reranks_towards_distinctive_terms(nmf):
    plain = nmf.terms(n=10)
    relevant = nmf.terms(n=10, relevance=0.3)
    assert not plain["term"].equals(relevant["term"])
    with pytest.raises(ValueError, match="relevance"):
        nmf.terms(relevance=2)


def test_transform_new_documents_with_the_fitted_pipeline(nmf, conflict):
    again = nmf.transform(conflict.head(20))
    np.testing.assert_allclose(again.groupby("doc_id", sort=False)["weight"].sum(), 1.0)
    original = nmf.doc_topics().head(20 * 6)
    np.testing.assert_allclose(again["weight"].to_numpy(), original["weight"].to_numpy(), atol=0.02)
    restored = pickle.loads(pickle.dumps(nmf.pipeline))
    assert restored.transform(conflict["text"].head(3)).shape == (3, 6)


@pytest.mark.parametrize("method", ["nmf", "lda"])
def test_same_seed_same_bits_for_any_n_jobs(conflict, method):
    sample = conflict.sample(1200, random_state=1)
    with quiet():
        first = fit_topics(sample, 4, method=method, n_jobs=1)
        second = fit_topics(sample, 4, method=method, n_jobs=2)
    pd.testing.assert_frame_equal(first.terms(), second.terms(), check_exact=True)
    pd.testing.assert_frame_equal(first.doc_topics(), second.doc_topics(), check_exact=True)


def test_same_bits_whatever_threads_the_machine_offers(conflict):
    # A co-author's laptop has other cores than the CI machine: BLAS threads must not change a bit.
    from threadpoolctl import threadpool_limits

    sample = conflict.sample(800, random_state=2)
    with quiet():
        with threadpool_limits(limits=1):
            one = fit_topics(sample, 5)
        with threadpool_limits(limits=2):
            two = fit_topics(sample, 5)
    np.testing.assert_array_equal(one.doc_topics().to_numpy(), two.doc_topics().to_numpy())
    np.testing.assert_array_equal(one.pipeline["model"].components_, two.pipeline["model"].components_)


def test_german_topics_find_the_sections(german):
    with quiet():
        model = fit_topics(german, 4)
    dominant = model.doc_topics(wide=True).set_index("doc_id").idxmax(axis=1)
    purity = pd.crosstab(dominant.to_numpy(), german["section"]).max(axis=1).sum() / len(german)
    majority = german["section"].value_counts(normalize=True).max()
    assert purity > 0.6 > 1.5 * majority  # far above labelling everything with the largest section
    assert model.terms(n=30)["term"].str.contains("[äöüß]").any()  # umlauts survive into the vocabulary


def test_seed_words_steer_named_topics(conflict):
    seeds = {"Military": ["soldier*", "troop*", "army", "military"], "Economy": ["sanction*", "econom*"]}
    with quiet():
        model = fit_topics(conflict, 6, seed_words=seeds)
    assert model.labels[:2] == ["Military", "Economy"]
    top = model.terms(n=10)
    military = set(top.loc[top["topic"] == "Military", "term"])
    assert len(military & {"soldier", "troop", "army", "military"}) >= 3
    assert len(set(top.loc[top["topic"] == "Economy", "term"]) & {"sanction", "economic", "economy"}) >= 2


def test_bad_arguments(conflict):
    with pytest.raises(ValueError, match="method must be"):
        fit_topics(conflict.head(30), 3, method="bertopic")
    with pytest.raises(ValueError, match="positive integer"):
        fit_topics(conflict.head(30), 0)
    with pytest.raises(ValueError, match="no seed word"):
        with quiet():
            fit_topics(conflict.head(100), 3, seed_words={"X": ["zzzz*"]})
    with pytest.raises(ValueError, match="method='nmf'"):
        fit_topics(conflict.head(30), 3, method="lda", seed_words={"X": ["war"]})
    with pytest.raises(KeyError, match="no topic"):
        with quiet():
            fit_topics(conflict.head(60), 2).top_documents("T9")
