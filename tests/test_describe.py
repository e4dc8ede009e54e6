"""Overview tables and their figures on the bundled conflict corpus."""

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest

from analysis import datasets
from analysis.describe import count_documents, document_lengths, top_terms
from analysis.plotting import group_colors, plot_document_counts, plot_lengths, plot_top_terms_grid


@pytest.fixture(scope="module")
def conflict():
    return datasets.load_conflict_corpus().corpus


def test_counts_cover_every_period_and_add_up(conflict):
    counts = count_documents(conflict, by="outlet", period="W")
    assert counts["n_docs"].sum() == conflict["published"].notna().sum() == 1796
    per_outlet = counts.groupby("outlet", observed=True)["period"].nunique()
    assert per_outlet.nunique() == 1  # empty weeks present as zeros for both sources
    daily = count_documents(conflict, by="outlet", period="D")
    before = daily[daily["period_start"] < pd.Timestamp(datasets.INVASION_DATE, tz="UTC")]
    assert before.groupby("outlet", observed=True)["n_docs"].sum().to_dict() == {"Kremlin": 419, "President of Ukraine": 350}


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
