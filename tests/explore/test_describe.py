"""Overview tables and their figures on the bundled conflict corpus."""

import matplotlib

matplotlib.use("Agg")

from collections import Counter
from unittest import mock

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import CountVectorizer

from analysis.corpus import datasets
from analysis.explore import term_counts
from analysis.explore.describe import group_labels, count_documents, document_lengths
from analysis.explore.term_counts import TermCounts, count_terms, string_order, top_terms, top_terms_from_counts
from analysis.progress import quiet
from analysis.text import Preprocessor
from analysis.plotting import group_colors, plot_document_counts, plot_lengths, plot_top_terms_grid


@pytest.fixture(scope="module")
def conflict():
    return datasets.load_conflict_corpus().corpus


def test_counts_cover_every_period_and_add_up(conflict):
    counts = count_documents(conflict, by="outlet", period="W")
    assert counts["n_docs"].sum() == conflict["published"].notna().sum() == len(conflict) == 1794
    per_outlet = counts.groupby("outlet", observed=True)["period"].nunique()
    assert per_outlet.nunique() == 1  # empty weeks present as zeros for both sources
    daily = count_documents(conflict, by="outlet", period="D")
    before = daily[daily["period_start"] < pd.Timestamp(datasets.INVASION_DATE, tz="UTC")]
    assert before.groupby("outlet", observed=True)["n_docs"].sum().to_dict() == {"Kremlin": 419, "President of Ukraine": 349}


def test_counts_skip_undated_documents():
    corpus = pd.DataFrame({"doc_id": ["a", "b"], "text": ["x", "y"], "outlet": ["o", "o"],
                           "published": pd.to_datetime(["2022-03-01", None], utc=True)})
    assert count_documents(corpus)["n_docs"].tolist() == [1]


def test_top_terms_and_lengths(conflict):
    sample = conflict.groupby("outlet", observed=True).head(100)
    terms = top_terms(sample, by="outlet", n=5)
    assert terms.groupby("outlet")["rank"].apply(list).tolist() == [[1, 2, 3, 4, 5]] * 2
    assert (terms["count"].diff().fillna(0)[terms["rank"] > 1] <= 0).all()
    ukraine = terms[terms["outlet"] == "President of Ukraine"]
    assert ukraine["term"].iloc[0] == "ukraine"
    lengths = document_lengths(sample, by="outlet")
    assert (lengths["n_terms"] <= lengths["n_words"]).all() and len(lengths) == len(sample)


def test_figures_draw_with_stable_colours(conflict):
    colors = group_colors(["President of Ukraine", "Kremlin"])
    assert colors == group_colors(["Kremlin", "President of Ukraine", "Kremlin"])
    ax = plot_document_counts(count_documents(conflict), events={"Invasion": datasets.INVASION_DATE})
    assert [line.get_color() for line in ax.get_lines()[:2]] == [colors["Kremlin"], colors["President of Ukraine"]]
    assert ax.get_ylabel() == "documents per period"
    sample = conflict.head(50)
    assert plot_lengths(document_lengths(sample)).get_xscale() == "log"
    axes = plot_top_terms_grid(top_terms(sample, n=5))
    assert axes.flat[0].get_title() == "Kremlin"


# --- term counts accumulated over chunks -----------------------------------------------------------

RESSORTS = {"Inland": "Österreich", "International": "Außenpolitik", "Wirtschaft": "Wirtschaft",
            "Panorama": "Panorama & Gesellschaft", "Etat": None}  # other sections: missing, too


@pytest.fixture(scope="module")
def gnad():
    """10kGNAD articles with a German ``ressort`` (umlauts, ß, missing values) and shared tokens."""
    corpus = datasets.load_gnad10().corpus
    corpus = corpus.assign(ressort=pd.Categorical(corpus["section"].map(RESSORTS)))
    pre = Preprocessor(lang="de")
    with quiet():
        tokens = pre.process_many(corpus["text"])
    return corpus, pre, tokens


def _chunks(corpus, bounds=(0, 200, 200, 611, 1000)):
    """Four chunks of unequal size and an empty one."""
    edges = list(bounds) + [len(corpus)]
    return [corpus.iloc[start:end] for start, end in zip(edges, edges[1:])]


def _one_matrix_top_terms(corpus, tokens, by, n):
    """top_terms as one CountVectorizer matrix of the whole corpus: the reference for the counted version."""
    vectorizer = CountVectorizer(analyzer=lambda doc: doc)
    matrix = vectorizer.fit_transform(tokens)
    vocabulary = vectorizer.get_feature_names_out()
    groups = group_labels(corpus, by).to_numpy()
    rows = []
    for group in sorted(set(groups)):
        sub = matrix[groups == group]
        counts = np.asarray(sub.sum(axis=0)).ravel()
        docs = np.asarray((sub > 0).sum(axis=0)).ravel()
        order = np.lexsort((vocabulary, -counts))[:n]
        for rank, j in enumerate(order, start=1):
            if counts[j] == 0:
                break
            rows.append((group, rank, vocabulary[j], int(counts[j]), counts[j] / counts.sum(), docs[j] / sub.shape[0]))
    return pd.DataFrame(rows, columns=[by or "group", "rank", "term", "count", "share", "doc_share"])


def test_counting_in_chunks_equals_counting_the_whole_corpus(gnad):
    corpus, pre, tokens = gnad
    with quiet():
        whole = count_terms(corpus, by="section", preprocessor=pre)
        chunked = count_terms(_chunks(corpus), by="section", preprocessor=pre)
        backwards = count_terms(_chunks(corpus)[::-1], by="section", preprocessor=pre)
    vectorizer = CountVectorizer(analyzer=lambda doc: doc)
    matrix = vectorizer.fit_transform(tokens)
    assert whole.groups == sorted(corpus["section"].unique())
    assert whole.terms.tolist() == vectorizer.get_feature_names_out().tolist()
    in_group = np.array([corpus["section"].to_numpy() == g for g in whole.groups], dtype=np.int64)
    assert (whole.counts.toarray() == in_group @ matrix).all()
    assert (whole.doc_counts.toarray() == in_group @ (matrix > 0).astype(np.int64)).all()
    assert whole.n_docs.tolist() == corpus["section"].value_counts()[whole.groups].tolist()
    for other in (chunked, backwards):
        assert other.groups == whole.groups and other.terms.tolist() == whole.terms.tolist()
        assert (other.counts != whole.counts).nnz == 0 and (other.doc_counts != whole.doc_counts).nnz == 0
        assert other.n_docs.tolist() == whole.n_docs.tolist()
        assert other.counts.dtype == other.doc_counts.dtype == np.int64


@pytest.mark.parametrize("by, n", [("section", 15), ("ressort", 5), (None, 10)])
def test_top_terms_from_counts_equal_top_terms_of_one_matrix(gnad, by, n):
    corpus, pre, tokens = gnad
    with quiet():
        chunked = top_terms_from_counts(count_terms(_chunks(corpus), by=by, preprocessor=pre), n=n)
        whole = top_terms(corpus, by=by, n=n, preprocessor=pre)
    expected = _one_matrix_top_terms(corpus, tokens, by, n)
    pd.testing.assert_frame_equal(whole, expected, check_exact=True)
    pd.testing.assert_frame_equal(chunked, expected, check_exact=True)


def test_groups_with_umlauts_and_missing_values_are_labelled_as_elsewhere(gnad):
    corpus, pre, _ = gnad
    with quiet():
        counts = count_terms(_chunks(corpus), by="ressort", preprocessor=pre)
    labels = group_labels(corpus, "ressort")
    assert counts.groups == ["(none)", "Außenpolitik", "Panorama & Gesellschaft", "Wirtschaft", "Österreich"]
    assert counts.n_docs.tolist() == labels.value_counts()[counts.groups].tolist()
    terms = top_terms_from_counts(counts, n=3)
    assert list(terms.columns) == ["ressort", "rank", "term", "count", "share", "doc_share"]
    assert terms.groupby("ressort", sort=False).size().index.tolist() == counts.groups
    renamed = top_terms_from_counts(counts, by="Ressort", n=3)
    assert renamed.columns[0] == "Ressort" and renamed["Ressort"].tolist() == terms["ressort"].tolist()


@settings(max_examples=100, deadline=None)
@given(st.sets(st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=8), max_size=40))
def test_terms_are_sorted_as_python_sorts_strings(terms):
    """Arrow's byte order of UTF-8 is Python's code point order (umlauts, ß, capitals, emoji …),
    so the sorted vocabulary is the one sorted() gives."""
    strings = np.array(list(terms), dtype=object)
    assert strings[string_order(strings)].tolist() == sorted(terms)


def test_a_term_that_is_no_valid_unicode_is_sorted_too():
    strings = np.array(["über", "\ud800kaputt", "Abend"], dtype=object)  # a lone surrogate: no UTF-8
    assert strings[string_order(strings)].tolist() == sorted(strings.tolist())


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.lists(st.sampled_from(["krieg", "Krieg", "größe", "soldat*in", "über", "ß"]),
                                   max_size=6),
                          st.sampled_from(["taz", "Süddeutsche", None])), max_size=25),
       st.lists(st.integers(0, 25), max_size=4), st.booleans(), st.sampled_from([0, 3, 1_000_000]))
def test_any_split_into_chunks_gives_the_counts_of_a_counter(docs, cuts, read_between, slack):
    """Added chunk by chunk, or counted per chunk and merged with ``update``; read (compacted) between
    chunks or only at the end; pending entries merged after every chunk (``slack`` 0), after a few, or
    only when read (a corpus's worth of entries fit under the default)."""
    counts, merged = TermCounts(by="outlet"), TermCounts(by="outlet")
    edges = [0, *sorted(cuts), len(docs)]
    with mock.patch.object(term_counts, "MERGE_SLACK", slack):
        for start, end in zip(edges, edges[1:]):
            part = docs[start:end]
            counts.add([tokens for tokens, _ in part], [group for _, group in part])
            chunk = TermCounts(by="outlet")
            chunk.add([tokens for tokens, _ in part], [group for _, group in part])
            merged.update(chunk.compact() if read_between else chunk)
            if read_between:
                counts.compact(), merged.compact()
    assert merged.groups == counts.groups and merged.terms.tolist() == counts.terms.tolist()
    assert (merged.counts != counts.counts).nnz == 0 and (merged.doc_counts != counts.doc_counts).nnz == 0
    assert merged.n_docs.tolist() == counts.n_docs.tolist()
    groups = ["(none)" if g is None else g for _, g in docs]
    assert counts.groups == sorted(set(groups))
    assert counts.terms.tolist() == sorted({t for tokens, _ in docs for t in tokens})
    for i, group in enumerate(counts.groups):
        mine = [tokens for tokens, g in zip((d[0] for d in docs), groups) if g == group]
        expected = Counter(t for tokens in mine for t in tokens)
        present = Counter(t for tokens in mine for t in set(tokens))
        assert dict(zip(counts.terms, counts.counts[i].toarray().ravel())) == {t: expected[t] for t in counts.terms}
        assert dict(zip(counts.terms, counts.doc_counts[i].toarray().ravel())) == {t: present[t] for t in counts.terms}
        assert counts.n_docs[i] == len(mine)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.lists(st.sampled_from(["krieg", "größe", "soldat*in", "ß"]), max_size=5),
                          st.sampled_from(["taz", "Süddeutsche", None])), max_size=20),
       st.lists(st.integers(0, 20), max_size=4))
def test_counters_of_chunks_added_up_equal_one_counter(docs, cuts):
    """What the report's worker processes do: one counter per chunk, added with ``update``."""
    whole, total = TermCounts(by="outlet"), TermCounts(by="outlet")
    whole.add([tokens for tokens, _ in docs], [group for _, group in docs])
    edges = [0, *sorted(cuts), len(docs)]
    for start, end in zip(edges, edges[1:]):
        part, counter = docs[start:end], TermCounts(by="outlet")
        counter.add([tokens for tokens, _ in part], [group for _, group in part])
        total.update(counter)
    assert total.groups == whole.groups and total.terms.tolist() == whole.terms.tolist()
    assert (total.counts != whole.counts).nnz == 0 and (total.doc_counts != whole.doc_counts).nnz == 0
    assert total.n_docs.tolist() == whole.n_docs.tolist()


def test_term_counts_explain_bad_input(gnad):
    corpus, pre, _ = gnad
    with pytest.raises(ValueError, match="2 token lists but 1 group labels"):
        TermCounts().add([["krieg"], ["frieden"]], ["taz"])
    with pytest.raises(TypeError, match=r"not CorpusLoad; for iter_corpus pass \(load.corpus"):
        count_terms([datasets.load_seed_article()], preprocessor=pre)
    with pytest.raises(Exception, match="no column 'ressort'"):
        count_terms([corpus.head(3), corpus.head(3).drop(columns="ressort")], by="ressort", preprocessor=pre)
    empty = top_terms_from_counts(TermCounts(by="outlet"))
    assert empty.empty and list(empty.columns) == ["outlet", "rank", "term", "count", "share", "doc_share"]


def test_lengths_reuse_given_tokens(gnad):
    corpus, pre, tokens = gnad
    sample = corpus.head(40)
    with quiet():
        computed = document_lengths(sample, by="ressort", preprocessor=pre)
    given_tokens = document_lengths(sample, by="ressort", tokens=tokens[:40])
    pd.testing.assert_frame_equal(given_tokens, computed)
    assert given_tokens["ressort"].isin(["(none)", "Österreich", "Außenpolitik"]).any()
    with pytest.raises(ValueError, match="tokens has 39 lists for 40 documents"):
        document_lengths(sample, by="ressort", tokens=tokens[:39])
