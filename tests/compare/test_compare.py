"""Prevalence, regression effects and their figures, on the conflict corpus and small hand-made frames."""


import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.compare import bootstrap
from analysis.compare.bootstrap import bootstrap_means
from analysis.corpus import datasets
from analysis.compare import DroppedDocumentsWarning, dirichlet_draws, estimate_effect, prevalence, wide_prevalence
from analysis.errors import MissingColumnError
from analysis.plotting import plot_effects, plot_prevalence, plot_prevalence_grid
from analysis.text import tokenize

WAR_WORDS = {"war", "military", "troops", "army", "weapons", "attack", "attacks", "invasion", "aggression",
             "shelling", "missiles", "soldiers"}
INVASION = pd.Timestamp(datasets.INVASION_DATE, tz="UTC")


@pytest.fixture(scope="module")
def conflict():
    return datasets.load_conflict_corpus().corpus


@pytest.fixture(scope="module")
def war_share(conflict):
    """Share of a document's words that are war words: one long row per document."""
    words = conflict["text"].map(lambda t: [w.lower() for w in tokenize(t) if w[:1].isalpha()])
    share = words.map(lambda ws: sum(w in WAR_WORDS for w in ws) / max(len(ws), 1))
    return pd.DataFrame({"doc_id": conflict["doc_id"], "frame": "war", "share": share.to_numpy(),
                         "n_words": words.map(len).to_numpy()})


def _corpus(dates, outlets=None):
    n = len(dates)
    return pd.DataFrame({"doc_id": [f"d{i}" for i in range(n)], "outlet": outlets or ["taz"] * n,
                         "published": pd.to_datetime(dates, utc=True)})


# --- prevalence --------------------------------------------------------------------------------

def test_estimate_is_the_mean_with_missing_items_as_zero():
    corpus = _corpus(["2022-01-03", "2022-01-10", "2022-01-20", "2022-01-05"], ["taz", "taz", "taz", "Zeit"])
    scores = pd.DataFrame({"doc_id": ["d0", "d0", "d1", "d2", "d3"],
                           "topic": ["war", "aid", "war", "war", "aid"], "weight": [0.6, 0.4, 0.3, 0.9, 1.0]})
    prev = prevalence(scores, metadata=corpus, n_boot=200)
    assert list(prev.columns) == ["outlet", "period", "period_start", "topic", "estimate", "ci_lower", "ci_upper",
                                  "n_docs"]
    got = prev.set_index(["outlet", "topic"])["estimate"]
    assert got["taz", "war"] == pytest.approx((0.6 + 0.3 + 0.9) / 3)
    assert got["taz", "aid"] == pytest.approx(0.4 / 3)  # d1 and d2 have no "aid" row: zeros
    assert got["Zeit", "war"] == 0.0 and got["Zeit", "aid"] == 1.0
    assert prev["n_docs"].tolist() == [1, 1, 3, 3]
    assert prev["period_start"].iloc[0] == pd.Timestamp("2022-01-01", tz="UTC")


def test_conflict_corpus_prevalence_by_outlet_and_month(conflict, war_share):
    prev = prevalence(war_share.drop(columns="n_words"), metadata=conflict, period="M")
    assert prev.groupby("outlet", observed=True)["period"].apply(list).map(len).tolist() == [9, 9]
    assert prev.groupby("outlet", observed=True)["n_docs"].sum().to_dict() == {"Kremlin": 815,
                                                                                "President of Ukraine": 979}
    march = conflict["published"].dt.strftime("%Y-%m").eq("2022-03") & conflict["outlet"].eq("Kremlin")
    row = prev[(prev["outlet"] == "Kremlin") & (prev["period"] == "2022-03")].iloc[0]
    assert row["estimate"] == pytest.approx(war_share.loc[march.to_numpy(), "share"].mean())
    assert row["n_docs"] == march.sum()
    assert (prev["ci_lower"] <= prev["estimate"]).all() and (prev["estimate"] <= prev["ci_upper"]).all()
    ukraine = prev[prev["outlet"] == "President of Ukraine"]
    before = ukraine[ukraine["period_start"] < pd.Timestamp("2022-02-01", tz="UTC")]["estimate"]
    after = ukraine[ukraine["period_start"] >= pd.Timestamp("2022-03-01", tz="UTC")]["estimate"]
    assert after.min() > before.max()  # Ukraine's releases speak of war far more after the invasion


def test_interval_narrows_with_more_documents():
    rng = np.random.default_rng(7)
    n_small, n_large = 15, 600
    corpus = _corpus(["2022-01-15"] * (n_small + n_large), ["few"] * n_small + ["many"] * n_large)
    scores = pd.DataFrame({"doc_id": corpus["doc_id"], "frame": "war", "score": rng.beta(2, 5, len(corpus))})
    prev = prevalence(scores, metadata=corpus).set_index("outlet")
    width = prev["ci_upper"] - prev["ci_lower"]
    assert width["many"] < width["few"] / 3
    assert (prev["ci_lower"] < prev["estimate"]).all() and (prev["estimate"] < prev["ci_upper"]).all()


def test_empty_periods_are_gaps_and_single_documents_have_no_interval():
    corpus = _corpus(["2022-01-10", "2022-01-12", "2022-03-05", "2022-02-02"], ["taz", "taz", "taz", "Zeit"])
    scores = pd.DataFrame({"doc_id": corpus["doc_id"], "frame": "war", "score": [0.1, 0.5, 0.7, 0.2]})
    prev = prevalence(scores, metadata=corpus, period="M")
    assert prev["period"].tolist() == ["2022-01", "2022-02", "2022-03"] * 2  # Zeit first (sorted)
    assert prev["n_docs"].tolist() == [0, 1, 0, 2, 0, 1]
    empty = prev[prev["n_docs"] == 0]
    assert empty[["estimate", "ci_lower", "ci_upper"]].isna().all().all() and len(empty) == 3
    single = prev[prev["n_docs"] == 1]
    assert single["estimate"].tolist() == [0.2, 0.7]  # Zeit's one document, taz's March one
    assert single[["ci_lower", "ci_upper"]].isna().all().all()


def test_undated_documents_are_reported_not_silently_lost():
    corpus = _corpus(["2022-01-10", None, "2022-01-20"])
    scores = pd.DataFrame({"doc_id": corpus["doc_id"], "frame": "war", "score": [0.2, 0.9, 0.4]})
    with pytest.warns(DroppedDocumentsWarning, match=r"1 of 3 documents have no 'published' date.*d1"):
        dated = prevalence(scores, metadata=corpus)
    assert dated["n_docs"].tolist() == [2] and dated["estimate"].iloc[0] == pytest.approx(0.3)
    everything = prevalence(scores, metadata=corpus, period=None, by=None)
    assert list(everything.columns[:2]) == ["period", "period_start"] and everything["period"].tolist() == ["all"]
    assert everything["n_docs"].tolist() == [3] and everything["period_start"].isna().all()


def test_metadata_documents_without_scores_are_reported():
    corpus = _corpus(["2022-01-10", "2022-01-11", "2022-01-12"])
    scores = pd.DataFrame({"doc_id": ["d0", "d1"], "frame": "war", "score": [0.2, 0.4]})
    with pytest.warns(DroppedDocumentsWarning, match=r"1 of 3 metadata documents have no row.*d2"):
        prevalence(scores, metadata=corpus)


def test_same_random_state_same_frame_other_state_other_intervals(war_share, conflict):
    scores = war_share.drop(columns="n_words")
    first = prevalence(scores, metadata=conflict, period="W", n_boot=300, random_state=3)
    again = prevalence(scores, metadata=conflict, period="W", n_boot=300, random_state=3)
    other = prevalence(scores, metadata=conflict, period="W", n_boot=300, random_state=4)
    pd.testing.assert_frame_equal(first, again)
    pd.testing.assert_series_equal(first["estimate"], other["estimate"])
    assert not np.allclose(first["ci_upper"].dropna(), other["ci_upper"].dropna())


def test_by_accepts_lists_and_metadata_in_the_scores():
    scores = pd.DataFrame({"doc_id": ["a", "b", "c"], "actor": "Putin", "value": [1.0, 0.0, 0.5],
                           "outlet": ["taz", "taz", "Zeit"], "lang": ["de", "en", "de"],
                           "published": pd.to_datetime(["2022-01-01", "2022-01-02", "2022-01-03"], utc=True)})
    prev = prevalence(scores, by=["outlet", "lang"], period=None)
    assert prev[["outlet", "lang", "actor", "estimate"]].values.tolist() == [
        ["Zeit", "de", "Putin", 0.5], ["taz", "de", "Putin", 1.0], ["taz", "en", "Putin", 0.0]]


@pytest.mark.parametrize("change, kwargs, error, message", [
    ({"topic": "label_x"}, {}, MissingColumnError, "no item column"),
    ({"weight": "w"}, {}, MissingColumnError, "no value column"),
    ({}, {"ci": 95}, ValueError, "between 0 and 1"),
    ({}, {"n_boot": 0}, ValueError, "n_boot must be at least 1"),
    ({}, {"period": "fortnight"}, ValueError, "period alias"),
    ({}, {"by": "source"}, MissingColumnError, "no column 'source'"),
])
def test_prevalence_explains_bad_input(change, kwargs, error, message):
    corpus = _corpus(["2022-01-10", "2022-02-10"])
    scores = pd.DataFrame({"doc_id": ["d0", "d1"], "topic": [0, 0], "weight": [0.1, 0.2]}).rename(columns=change)
    with pytest.raises(error, match=message):
        prevalence(scores, metadata=corpus, **kwargs)


def test_unknown_documents_and_missing_metadata_are_errors():
    scores = pd.DataFrame({"doc_id": ["d0", "zz"], "topic": [0, 0], "weight": [0.1, 0.2]})
    with pytest.raises(ValueError, match=r"not in metadata, e.g. \['zz'\]"):
        prevalence(scores, metadata=_corpus(["2022-01-10"]))
    with pytest.raises(MissingColumnError, match="Pass metadata=corpus"):
        prevalence(scores)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(0, 1), min_size=1, max_size=30), st.integers(0, 2**32 - 1))
def test_estimates_and_intervals_stay_within_the_values(values, seed):
    scores = pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(values))], "frame": "war", "score": values})
    prev = prevalence(scores, by=None, period=None, n_boot=50, random_state=seed)
    low, high = min(values), max(values)
    row = prev.iloc[0]
    if len(values) == 1:  # one document: an estimate without an interval
        assert row["estimate"] == values[0] and np.isnan(row["ci_lower"]) and np.isnan(row["ci_upper"])
        return
    assert low - 1e-12 <= row["ci_lower"] <= row["estimate"] <= row["ci_upper"] <= high + 1e-12


# --- regression effects ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def synthetic():
    """share = 0.2 + 0.1 * (outlet == "B") + noise, 300 documents of 50 to 400 tokens."""
    rng = np.random.default_rng(11)
    n = 300
    meta = pd.DataFrame({"doc_id": [f"d{i}" for i in range(n)], "outlet": np.where(np.arange(n) % 2, "B", "A")})
    share = (0.2 + 0.1 * (meta["outlet"] == "B") + rng.normal(0, 0.05, n)).clip(0, 1)
    scores = pd.DataFrame({"doc_id": meta["doc_id"], "topic": 3, "share": share})
    return scores, meta, pd.Series(rng.integers(50, 400, n), index=meta["doc_id"])


def test_estimate_effect_recovers_a_known_effect(synthetic):
    scores, meta, _ = synthetic
    effects = estimate_effect(scores, "~ outlet", meta)
    assert list(effects.columns) == ["topic", "term", "estimate", "std_error", "ci_lower", "ci_upper", "n_docs"]
    row = effects.set_index("term").loc["outlet[T.B]"]
    assert row["ci_lower"] < 0.1 < row["ci_upper"] and row["estimate"] == pytest.approx(0.1, abs=0.02)
    assert row["n_docs"] == 300 and row["std_error"] == pytest.approx(0.05 * np.sqrt(4 / 300), rel=0.2)
    pd.testing.assert_frame_equal(effects, estimate_effect(scores, "outlet", meta))  # "~" optional, deterministic


def test_dirichlet_draws_widen_the_interval(synthetic):
    scores, meta, n_tokens = synthetic
    draws = dirichlet_draws(scores, n_draws=20, concentration=n_tokens)
    assert len(draws) == 20 * 300 and sorted(draws["draw"].unique().tolist()) == list(range(20))
    assert draws.groupby("doc_id")["share"].mean().corr(scores.set_index("doc_id")["share"]) > 0.9
    plain = estimate_effect(scores, "~ outlet", meta).set_index("term").loc["outlet[T.B]"]
    composed = estimate_effect(draws, "~ outlet", meta).set_index("term").loc["outlet[T.B]"]
    assert composed["ci_lower"] < 0.1 < composed["ci_upper"]
    assert composed["ci_upper"] - composed["ci_lower"] > 1.2 * (plain["ci_upper"] - plain["ci_lower"])


def test_dirichlet_draws_are_narrower_for_longer_documents():
    scores = pd.DataFrame({"doc_id": ["short", "long"], "frame": "war", "score": [0.3, 0.3]})
    draws = dirichlet_draws(scores, n_draws=400, concentration=pd.Series({"short": 20, "long": 2000}))
    spread = draws.groupby("doc_id")["score"].std()
    assert spread["long"] < spread["short"] / 5
    with pytest.raises(ValueError, match="proportions"):
        dirichlet_draws(scores.assign(score=[0.3, 1.7]))


def test_estimate_effect_on_the_conflict_corpus(conflict, war_share):
    meta = conflict.assign(after_invasion=conflict["published"] >= INVASION)
    effects = estimate_effect(war_share, "~ outlet * after_invasion", meta)
    assert effects["term"].tolist() == ["Intercept", "outlet[T.President of Ukraine]", "after_invasion[T.True]",
                                        "outlet[T.President of Ukraine]:after_invasion[T.True]"]
    interaction = effects.iloc[3]
    assert interaction["ci_lower"] > 0 and (effects["n_docs"] == len(conflict)).all()


def test_estimate_effect_explains_bad_input(synthetic):
    scores, meta, _ = synthetic
    with pytest.raises(ValueError, match=r"(?s)cannot build covariates.*columns are \['outlet'\]"):
        estimate_effect(scores, "~ source", meta)
    with pytest.raises(ValueError, match="no topic 'war'"):
        estimate_effect(scores, "~ outlet", meta, item="war")
    gappy = meta.assign(outlet=meta["outlet"].where(meta.index > 0))
    with pytest.warns(DroppedDocumentsWarning, match="1 of 300 documents have missing covariates"):
        assert estimate_effect(scores, "~ outlet", gappy)["n_docs"].iloc[0] == 299


# --- figures ------------------------------------------------------------------------------------------

def test_prevalence_figure_has_lines_bands_gaps_and_events(conflict, war_share):
    from matplotlib.collections import PathCollection, PolyCollection

    prev = prevalence(war_share.drop(columns="n_words"), metadata=conflict, period="W", n_boot=200)
    ax = plot_prevalence(prev, events={"Invasion": datasets.INVASION_DATE})
    data_lines = [line for line in ax.lines if line.get_linestyle() == "-"]
    event_lines = [line for line in ax.lines if line.get_linestyle() == "--"]
    bands = [c for c in ax.collections if isinstance(c, PolyCollection)]
    hollow = sum(len(c.get_offsets()) for c in ax.collections if isinstance(c, PathCollection))
    assert len(data_lines) == 2 and len(event_lines) == 1 and len(bands) == 2
    assert hollow == ((prev["n_docs"] < 20) & prev["estimate"].notna()).sum() > 0  # thin weeks drawn hollow
    assert [t.get_text() for t in ax.texts] == ["Invasion"]
    assert any(np.isnan(np.asarray(line.get_ydata(), dtype=float)).any() for line in data_lines)  # the empty week
    assert ax.get_ylabel() and ax.get_xlabel() == "period start"
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[:2] == ["Kremlin (n=815)", "President of Ukraine (n=979)"]
    plt.close("all")


def test_several_items_need_a_choice_or_a_grid():
    prev = pd.DataFrame({"outlet": "taz", "period": "2022-01", "period_start": pd.Timestamp("2022-01-01", tz="UTC"),
                         "topic": [0, 1, 2], "estimate": [0.2, 0.3, 0.5], "ci_lower": [0.1, 0.2, 0.4],
                         "ci_upper": [0.3, 0.4, 0.6], "n_docs": 10})
    with pytest.raises(ValueError, match="pass item="):
        plot_prevalence(prev)
    assert plot_prevalence(prev, item=2).get_title() == "topic: 2"
    axes = plot_prevalence_grid(prev, n_cols=2)
    assert axes.shape == (2, 2) and [ax.get_visible() for ax in axes.flat] == [True, True, True, False]
    plt.close("all")


def test_effects_figure_leaves_out_the_intercept(synthetic):
    scores, meta, _ = synthetic
    effects = estimate_effect(scores, "~ outlet", meta)
    ax = plot_effects(effects)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["outlet = B"]
    assert any(line.get_xdata()[0] == 0 for line in ax.lines)  # the zero line
    assert len(plot_effects(effects, include_intercept=True).get_yticklabels()) == 2
    plt.close("all")


def test_profile_plot_draws_one_dot_per_item_and_group():
    import matplotlib
    matplotlib.use("Agg")
    from analysis.plotting import plot_profile
    prev = pd.DataFrame({"outlet": ["A", "A", "B", "B"], "frame": ["war", "aid"] * 2,
                         "estimate": [3.0, 1.0, 2.0, 2.5], "ci_lower": [2.5, 0.5, 1.5, 2.0], "ci_upper": [3.5, 1.5, 2.5, 3.0]})
    ax = plot_profile(prev)
    dots = [c for c in ax.collections if c.get_offsets().shape[0] == 2 and c.get_label() in ("A", "B")]
    assert len(dots) == 2 and [t.get_text() for t in ax.get_legend().get_texts()] == ["A", "B"]


def test_grouping_column_named_period_is_refused():
    scores = pd.DataFrame({"doc_id": ["a"], "frame": ["war"], "score": [1.0], "period": ["before"]})
    with pytest.raises(ValueError, match="rename your grouping"):
        prevalence(scores, by=["period"], period=None)


# --- bootstrap in bounded memory -------------------------------------------------------------------

def _one_matrix_bootstrap(values, rng, n_boot, ci):
    """The bootstrap as one n_boot × n matrix: the reference the blocked version must reproduce."""
    n = len(values)
    estimate = values.mean(axis=0)
    index = rng.integers(0, n, size=(n_boot, n)) + n * np.arange(n_boot)[:, None]
    counts = np.bincount(index.ravel(), minlength=n_boot * n).reshape(n_boot, n)
    means = counts @ values / n
    lower, upper = np.quantile(means, [(1 - ci) / 2, (1 + ci) / 2], axis=0)
    return estimate, np.minimum(lower, estimate), np.maximum(upper, estimate)


def test_bootstrap_of_cells_that_fit_one_block_is_unchanged(conflict, war_share):
    shares = war_share.assign(outlet=conflict["outlet"].to_numpy(), month=conflict["published"].dt.month.to_numpy())
    cells = [cell[["share", "n_words"]].to_numpy(dtype=float) for _, cell in shares.groupby(["outlet", "month"])]
    blocked, reference = np.random.default_rng(3), np.random.default_rng(3)
    for values in cells + [shares[["share"]].to_numpy(dtype=float)]:
        new, old = bootstrap_means(values, blocked, 1000, 0.95), _one_matrix_bootstrap(values, reference, 1000, 0.95)
        assert all(np.array_equal(a, b) for a, b in zip(new, old))


def test_bootstrap_in_several_blocks_draws_the_same_resamples(monkeypatch, war_share):
    values = war_share[["share", "n_words"]].to_numpy(dtype=float)
    expected = _one_matrix_bootstrap(values, np.random.default_rng(8), 999, 0.9)
    for block in (len(values), 7 * len(values), 1):  # replicates per block: 1; 7 (the last 5); 1 (budget < a row)
        monkeypatch.setattr(bootstrap, "BOOTSTRAP_BLOCK", block)
        rng = np.random.default_rng(8)
        got = bootstrap_means(values, rng, 999, 0.9)
        for new, old in zip(got, expected):  # equal up to BLAS summation order (it depends on the block shape)
            np.testing.assert_allclose(new, old, rtol=1e-12, atol=0)
        assert rng.integers(0, 2**62) == _next_draw_after(8, 999, len(values))  # the next cell's stream


def _next_draw_after(seed, n_boot, n):
    rng = np.random.default_rng(seed)
    rng.integers(0, n, size=(n_boot, n))
    return rng.integers(0, 2**62)


def test_bootstrap_gives_the_same_bits_whatever_the_blas_threads():
    """A 30,000-document cell: two BLAS threads sum its products in another order than one (checked:
    without the single-threaded block, the replicate means differ in their last bits)."""
    from threadpoolctl import threadpool_limits

    values = np.asfortranarray(np.random.default_rng(5).random((30_000, 12)))
    results = []
    for threads in (2, 1):
        with threadpool_limits(limits=threads):
            results.append(bootstrap_means(values, np.random.default_rng(0), 1000, 0.95))
    assert all(np.array_equal(a, b) for a, b in zip(*results))


def test_bootstrap_interval_of_a_large_cell_matches_the_normal_approximation(monkeypatch):
    monkeypatch.setattr(bootstrap, "BOOTSTRAP_BLOCK", 500_000)  # several blocks (memory: benchmarks/memory.py)
    n, n_boot = 20_000, 1000
    values = np.random.default_rng(0).random((n, 3))
    estimate, lower, upper = bootstrap_means(values, np.random.default_rng(1), n_boot, 0.95)
    half_width = 1.96 * values.std(axis=0) / np.sqrt(n)
    np.testing.assert_allclose(upper - estimate, half_width, rtol=0.15)
    np.testing.assert_allclose(estimate - lower, half_width, rtol=0.15)


def test_document_grid_equals_a_pandas_pivot_on_messy_scores():
    """The prevalence grid (built from codes, to spare memory on a million documents) is DataFrame.pivot's."""
    from analysis.compare.scores import doc_item_grid

    rng = np.random.default_rng(3)
    items = pd.Categorical(rng.choice(["Militär", "Diplomatie", "Flüchtlinge", "Wirtschaft"], size=400),
                           categories=["Wirtschaft", "Militär", "Flüchtlinge", "Diplomatie"])
    scores = pd.DataFrame({"doc_id": [f"dok-{i % 150:03d}" for i in range(400)], "frame": items,
                           "score": rng.normal(size=400)}).drop_duplicates(["doc_id", "frame"])
    scores.loc[scores.index[::9], "score"] = np.nan
    for frame in (scores, scores.astype({"frame": str}), scores.assign(score=(scores["score"] > 0).astype(int))):
        expected = frame.pivot(index="doc_id", columns="frame", values="score").fillna(0.0).sort_index(axis=1)
        pd.testing.assert_frame_equal(doc_item_grid(frame, "frame", "score"), expected.astype(float),
                                      check_index_type=False, check_column_type=False)
    with pytest.raises(ValueError, match="several rows per doc_id"):
        doc_item_grid(pd.concat([scores, scores.head(2)]), "frame", "score")
    shuffled = scores.sample(frac=1, random_state=0)  # documents in order of first appearance, same values
    first = doc_item_grid(shuffled, "frame", "score", sort_docs=False)
    assert first.index.tolist() == pd.unique(shuffled["doc_id"]).tolist()
    pd.testing.assert_frame_equal(first.sort_index(), doc_item_grid(scores, "frame", "score"))
    with_draws = pd.concat([shuffled.assign(draw=0), shuffled.assign(draw=1)])
    assert doc_item_grid(with_draws, "frame", "score", sort_docs=False).index.tolist() == first.index.tolist()


def test_profile_points_show_their_n_and_thin_cells_are_hollow_without_interval():
    from matplotlib.collections import PathCollection

    from analysis.plotting.compare import plot_profile

    corpus = _corpus(["2022-01-10"] * 24, ["taz"] * 22 + ["Zeit"] * 2)
    corpus.loc[23, "outlet"] = "FAZ"  # FAZ: one document, Zeit: one, taz: 22
    scores = pd.DataFrame({"doc_id": corpus["doc_id"], "actor": "Putin", "score": np.linspace(-0.5, 0.5, 24)})
    prev = prevalence(scores, metadata=corpus, period=None).drop(columns=["period", "period_start"])
    assert prev.set_index("outlet")["ci_lower"].isna().to_dict() == {"FAZ": True, "Zeit": True, "taz": False}
    ax = plot_profile(prev, hue="outlet")
    labels = sorted(t.get_text() for t in ax.texts)
    assert labels == ["n=1", "n=1", "n=22"]
    hollow = [c for c in ax.collections if isinstance(c, PathCollection) and c.get_offsets().shape[0]
              and (c.get_facecolor()[:, :3] == 1).all()]  # white-filled markers
    assert sum(c.get_offsets().shape[0] for c in hollow) == 2
    assert "hollow: fewer than 20 documents" in [t.get_text() for t in ax.get_legend().get_texts()]
    renderer = ax.figure.canvas.get_renderer()  # the n labels stay inside the axes, clear of the legend
    assert all(t.get_window_extent(renderer).x1 <= ax.get_window_extent(renderer).x1 for t in ax.texts)
    plt.close(ax.figure)


def test_wide_scores_give_the_rows_of_the_long_table_to_the_last_bit(conflict, war_share):
    """A report holds a million documents × k topics as one wide grid, not as a long table."""
    long = pd.concat([war_share[["doc_id", "frame", "share"]],
                      war_share.assign(frame="peace", share=1 - war_share["share"])[["doc_id", "frame", "share"]]])
    long = long[~((long["frame"] == "peace") & (long["share"] > 0.999))]  # missing rows count as 0
    grid = long.pivot(index="doc_id", columns="frame", values="share").loc[conflict["doc_id"]]
    for period in (None, "M"):
        expected = prevalence(long, by="outlet", period=period, metadata=conflict, n_boot=300)
        wide = wide_prevalence(grid, item="frame", by="outlet", period=period, metadata=conflict, n_boot=300)
        pd.testing.assert_frame_equal(wide, expected)
        assert wide["n_docs"].sum() == len(conflict) * 2


def test_wide_prevalence_explains_bad_input(conflict):
    grid = pd.DataFrame({"war": [0.1, 0.2]}, index=pd.Index(conflict["doc_id"][:2], name="doc_id"))
    with pytest.raises(TypeError, match="indexed by doc_id"):
        wide_prevalence(grid.reset_index(), item="frame", metadata=conflict)
    with pytest.raises(TypeError, match="must be numeric"):
        wide_prevalence(grid.assign(outlet="taz"), item="frame", metadata=conflict)
    with pytest.raises(ValueError, match="several rows"):
        wide_prevalence(pd.concat([grid, grid]), item="frame", metadata=conflict)
    unknown = grid.rename(index={grid.index[0]: "kein-dokument-ä"})
    with pytest.raises(ValueError, match="not in metadata"):
        wide_prevalence(unknown, item="frame", period=None, metadata=conflict)
