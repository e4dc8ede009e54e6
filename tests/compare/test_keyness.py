"""Keyness (log-odds with informative Dirichlet prior, χ², G²) and its figure."""

from collections import Counter

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex
from scipy.stats import chi2, chi2_contingency, norm

from sklearn.feature_extraction.text import CountVectorizer

from analysis.corpus import datasets
from analysis.compare import keyness
from analysis.explore import TermCounts, count_terms
from analysis.compare.keyness import keyness_from_counts, log_odds_dirichlet
from analysis.errors import MissingColumnError
from analysis.plotting import plot_keyness
from analysis.plotting import group_colors
from analysis.progress import quiet
from analysis.text import Preprocessor

COLUMNS = ["term", "group", "reference", "count_target", "count_reference", "statistic", "p_value", "z",
           "log_odds_ratio"]
TEXTS = {
    "K": ["The special military operation continues in Donbass.", "Special operation goals are clear.",
          "Our partners in Kazakhstan discussed the operation and trade."],
    "U": ["Occupiers shell Kharkiv again.", "The occupiers retreat from Kyiv; sanctions work.",
          "Sanctions against the occupiers and the operation of Ukrainian forces."],
    "E": ["The European Union adopts sanctions.", "Trade with Kazakhstan grows."],
}


@pytest.fixture(scope="module")
def small():
    rows = [(f"{outlet}{i}", outlet, text) for outlet, texts in TEXTS.items() for i, text in enumerate(texts)]
    return pd.DataFrame(rows, columns=["doc_id", "outlet", "text"]).assign(lang="en")


@pytest.fixture(scope="module")
def conflict_keyness():
    corpus = datasets.load_conflict_corpus().corpus
    sample = corpus.groupby("outlet", observed=True, group_keys=False).sample(150, random_state=2)
    with quiet():
        return {method: keyness(sample, by="outlet", target="Kremlin", method=method)
                for method in ("log_odds_dirichlet", "likelihood_ratio", "chi2")}


def _counts(corpus, outlets):
    pre = Preprocessor(lang="en")
    return Counter(t for text in corpus.loc[corpus["outlet"].isin(outlets), "text"] for t in pre(text))


def _run(corpus, **kwargs):
    with quiet():
        return keyness(corpus, by="outlet", min_count=1, **kwargs).set_index("term")


def test_kremlin_vs_president_of_ukraine(conflict_keyness):
    key = conflict_keyness["log_odds_dirichlet"]
    assert list(key.columns) == COLUMNS
    assert set(key["group"]) == {"Kremlin"} and set(key["reference"]) == {"President of Ukraine"}
    assert key["statistic"].is_monotonic_decreasing
    bottom, top = key["term"].tail(30).tolist(), key["term"].head(10).tolist()
    assert {"ukraine", "zelenskyy"} <= set(bottom)
    assert "putin" in top
    assert (key["count_target"] + key["count_reference"] >= 5).all()


def test_methods_agree_on_the_direction_of_the_top_terms(conflict_keyness):
    log_odds = conflict_keyness["log_odds_dirichlet"].set_index("term")
    for method in ("likelihood_ratio", "chi2"):
        other = conflict_keyness[method].set_index("term")
        extremes = pd.concat([log_odds["z"].head(20), log_odds["z"].tail(20)]).index
        assert (np.sign(other.loc[extremes, "statistic"]) == np.sign(log_odds.loc[extremes, "z"])).all()
        assert np.allclose(other["z"] ** 2, other["statistic"].abs())


def test_counts_equal_hand_counts(small):
    key = _run(small, target="K", reference="U")
    target, reference = _counts(small, ["K"]), _counts(small, ["U"])
    assert set(key.index) == set(target) | set(reference)
    for term, row in key.iterrows():
        assert (row["count_target"], row["count_reference"]) == (target[term], reference[term])
    assert key.loc["occupier", ["count_target", "count_reference"]].tolist() == [0, 3]


@pytest.mark.parametrize("method, lambda_", [("chi2", None), ("likelihood_ratio", "log-likelihood")])
def test_two_by_two_statistics_equal_scipy(small, method, lambda_):
    key = _run(small, target="K", reference="U", method=method)
    n_a, n_b = sum(_counts(small, ["K"]).values()), sum(_counts(small, ["U"]).values())
    for term in ("operation", "occupier", "special", "sanction"):
        a, b = key.loc[term, ["count_target", "count_reference"]]
        value = chi2_contingency(np.array([[a, b], [n_a - a, n_b - b]]), correction=False, lambda_=lambda_)[0]
        assert abs(key.loc[term, "statistic"]) == pytest.approx(value)
        assert np.sign(key.loc[term, "statistic"]) == np.sign(a / n_a - b / n_b)
        assert key.loc[term, "p_value"] == pytest.approx(chi2.sf(value, 1))


def test_log_odds_follow_monroe_et_al_with_a_corpus_wide_prior(small):
    key = _run(small, target="K", reference="U", prior=0.5)
    target, reference, everything = _counts(small, ["K"]), _counts(small, ["U"]), _counts(small, ["K", "U", "E"])
    n_a, n_b = sum(target.values()), sum(reference.values())
    a0 = 0.5 * sum(everything.values())
    for term in ("sanction", "kazakhstan", "operation"):
        y_a, y_b, alpha = target[term], reference[term], 0.5 * everything[term]  # E's documents inform the prior
        delta = np.log((y_a + alpha) / (n_a + a0 - y_a - alpha)) - np.log((y_b + alpha) / (n_b + a0 - y_b - alpha))
        z = delta / np.sqrt(1 / (y_a + alpha) + 1 / (y_b + alpha))
        assert key.loc[term, "log_odds_ratio"] == pytest.approx(delta)
        assert key.loc[term, "z"] == pytest.approx(z) == key.loc[term, "statistic"]
        assert key.loc[term, "p_value"] == pytest.approx(2 * norm.sf(abs(z)))


def test_reference_defaults_to_all_other_groups(small):
    default = _run(small, target="K")
    pooled = _run(small, target="K", reference=["U", "E"])
    assert set(default["reference"]) == {"other (2 groups)"} and set(pooled["reference"]) == {"U + E"}
    assert default.drop(columns="reference").equals(pooled.drop(columns="reference"))
    both = _run(small, target=["K", "E"], reference="U")
    assert set(both["group"]) == {"K + E"}
    assert both.loc["kazakhstan", "count_target"] == 2


def test_min_count_filters_on_target_plus_reference(small):
    with quiet():
        key = keyness(small, by="outlet", target="K", reference="U", min_count=3)
    assert (key["count_target"] + key["count_reference"] >= 3).all()
    assert set(key["term"]) == {"operation", "occupier"}


@pytest.mark.parametrize("kwargs, error, message", [
    ({"target": "Kreml"}, ValueError, "target 'Kreml' is not a value of column 'outlet'"),
    ({"target": "K", "reference": ["U", "K"]}, ValueError, "both target and reference"),
    ({"target": ["K", "U", "E"]}, ValueError, "nothing is left as reference"),
    ({"target": "K", "method": "tf-idf"}, ValueError, "method must be one of"),
    ({"target": "K", "prior": 0}, ValueError, "prior must be"),
    ({"target": "K", "by": "medium"}, MissingColumnError, "no column 'medium'"),
])
def test_bad_input(small, kwargs, error, message):
    kwargs = {"by": "outlet", **kwargs}
    with pytest.raises(error, match=message):
        keyness(small, **kwargs)


def test_plot_keyness_draws_both_sides_in_group_colours(conflict_keyness):
    key = conflict_keyness["log_odds_dirichlet"]
    ax = plot_keyness(key, n=5)
    bars = ax.patches
    assert len(bars) == 10
    widths = [bar.get_width() for bar in bars]
    assert all(w > 0 for w in widths[:5]) and all(w < 0 for w in widths[5:])
    colors = group_colors(["Kremlin", "President of Ukraine"])
    assert to_hex(bars[0].get_facecolor()) == colors["Kremlin"]
    assert to_hex(bars[-1].get_facecolor()) == colors["President of Ukraine"]
    labels = [t.get_text() for t in ax.texts]
    assert labels[0] == key["term"].iloc[0] and labels[-1] == key["term"].iloc[-1]
    assert "President of Ukraine" in ax.get_xlabel()
    plt.close(ax.figure)


# --- keyness from counts accumulated over chunks ------------------------------------------------------

@pytest.fixture(scope="module")
def phased():
    """The conflict corpus with a before/after ``phase`` (missing for 40 documents made undated)
    and 10kGNAD with a German ``ressort``; each with a shared preprocessor."""
    conflict = datasets.load_conflict_corpus().corpus.sample(frac=1, random_state=4).reset_index(drop=True)
    after = conflict["published"] >= pd.Timestamp(datasets.INVASION_DATE, tz="UTC")
    conflict["phase"] = np.where(after, "after", "before")
    conflict.loc[conflict.index[:40], "phase"] = None  # undated: in no phase, still in the prior
    gnad = datasets.load_gnad10().corpus
    gnad["ressort"] = gnad["section"].map({"Inland": "Österreich", "International": "Außenpolitik",
                                           "Wirtschaft": "Wirtschaft"})
    return {"phase": (conflict, Preprocessor(lang="en")), "ressort": (gnad, Preprocessor(lang="de"))}


def _in_chunks(corpus, n=4):
    size = -(-len(corpus) // n)
    return [corpus.iloc[i:i + size] for i in range(0, len(corpus), size)]


@pytest.mark.parametrize("by, target, reference", [
    ("phase", "after", "before"), ("phase", "before", None),
    ("ressort", "Österreich", ["Außenpolitik", "Wirtschaft"]), ("ressort", ["Außenpolitik", "(none)"], None)])
@pytest.mark.parametrize("method", ["log_odds_dirichlet", "likelihood_ratio", "chi2"])
def test_keyness_from_chunked_counts_equals_keyness_of_the_whole_corpus(phased, by, target, reference, method):
    corpus, pre = phased[by]
    with quiet():
        counts = count_terms(_in_chunks(corpus), by=by, preprocessor=pre)
        whole = keyness(corpus, by=by, target=target, reference=reference, method=method, preprocessor=pre)
    chunked = keyness_from_counts(counts, target=target, reference=reference, method=method)
    pd.testing.assert_frame_equal(chunked, whole, check_exact=True)
    assert chunked.attrs == whole.attrs == {"method": method}


def test_counted_keyness_equals_one_matrix_of_the_corpus(phased):
    """Counts and log-odds against one CountVectorizer matrix of all documents (undated ones in the prior)."""
    corpus, pre = phased["phase"]
    with quiet():
        tokens = pre.process_many(corpus["text"])
        key = keyness_from_counts(count_terms(_in_chunks(corpus, 3), by="phase", preprocessor=pre),
                                  target="after", reference="before", min_count=1).set_index("term")
    vectorizer = CountVectorizer(analyzer=lambda doc: doc)
    matrix = vectorizer.fit_transform(tokens)
    a = np.asarray(matrix[(corpus["phase"] == "after").to_numpy()].sum(axis=0)).ravel().astype(float)
    b = np.asarray(matrix[(corpus["phase"] == "before").to_numpy()].sum(axis=0)).ravel().astype(float)
    delta, _ = log_odds_dirichlet(a, b, 0.01 * np.asarray(matrix.sum(axis=0)).ravel())
    expected = pd.DataFrame({"count_target": a, "count_reference": b, "log_odds_ratio": delta},
                            index=vectorizer.get_feature_names_out())[a + b > 0]
    assert key.loc[expected.index, "count_target"].tolist() == expected["count_target"].tolist()
    assert key.loc[expected.index, "count_reference"].tolist() == expected["count_reference"].tolist()
    assert np.array_equal(key.loc[expected.index, "log_odds_ratio"].to_numpy(), expected["log_odds_ratio"].to_numpy())
    assert len(key) == len(expected)


@pytest.mark.parametrize("kwargs, message", [
    ({"target": "während"}, r"target 'während' is not a value of column 'phase'; values are \['\(none\)', 'after'"),
    ({"target": "after", "reference": "vorher"}, "reference 'vorher' is not a value of column 'phase'"),
    ({"target": ["after", "before", "(none)"]}, "nothing is left as reference"),
    ({"target": "after", "reference": "(none)"}, r"group '\(none\)' has no terms after preprocessing"),
    ({"target": "after", "method": "tf-idf"}, "method must be one of"),
])
def test_keyness_from_counts_explains_bad_groups_as_keyness_does(kwargs, message):
    counts = TermCounts(by="phase")
    counts.add([["angriff", "krieg"], ["verhandlung"], [], ["krieg"]], ["after", "before", None, "after"])
    with pytest.raises(ValueError, match=message):
        keyness_from_counts(counts, **kwargs)
