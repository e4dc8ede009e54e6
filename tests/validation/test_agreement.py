"""Coder agreement: Krippendorff's alpha against the reference package and published values,
pairwise percent agreement and Cohen's kappa, and the errors researchers hit first."""

import warnings

import hypothesis.strategies as st
import krippendorff
import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from sklearn.metrics import cohen_kappa_score

from analysis.validation import agreement_report, krippendorff_alpha

NAN = np.nan
# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", example C: 4 observers, 12 units.
KRIPPENDORFF_2011 = pd.DataFrame({
    "A": [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
    "B": [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
    "C": [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
    "D": [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
})
LABELS = ["negativ", "eher negativ", "neutral", "eher positiv", "positiv"]  # an ordered German scale


def reference(codes: pd.DataFrame, level: str, value_domain=None) -> float:
    """The krippendorff package on the same data (coders as rows)."""
    numeric = all(pd.api.types.is_numeric_dtype(codes[c]) for c in codes.columns)
    data = codes.T.to_numpy(dtype=float) if numeric else codes.T.astype(object).fillna("nan").to_numpy(dtype=str)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return float(krippendorff.alpha(data, level_of_measurement=level, value_domain=value_domain))
        except (ValueError, ZeroDivisionError):  # fewer than 2 values in the domain
            return NAN


@st.composite
def code_tables(draw, max_value=4):
    n_units, n_coders = draw(st.integers(2, 25)), draw(st.integers(2, 5))
    cell = st.one_of(st.just(NAN), st.integers(0, max_value).map(float))
    cells = draw(st.lists(cell, min_size=n_units * n_coders, max_size=n_units * n_coders))
    codes = pd.DataFrame(np.array(cells).reshape(n_units, n_coders), columns=[f"coder_{i}" for i in range(n_coders)])
    assume((codes.notna().sum(axis=1) >= 2).any())
    return codes


@pytest.mark.parametrize("level, published", [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849)])
def test_alpha_reproduces_krippendorffs_published_example(level, published):
    assert round(krippendorff_alpha(KRIPPENDORFF_2011, level=level), 3) == published


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval"])
@settings(max_examples=60, deadline=None)
@given(codes=code_tables())
def test_alpha_equals_krippendorff_package_with_missing_codes(level, codes):
    expected = reference(codes, level)
    assume(np.isfinite(expected))
    assert krippendorff_alpha(codes, level=level) == pytest.approx(expected, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(codes=code_tables(max_value=len(LABELS) - 1))
def test_alpha_of_string_labels_equals_package(codes):
    labels = codes.apply(lambda column: column.map(lambda v: NAN if pd.isna(v) else LABELS[int(v)]))
    expected = reference(labels, "nominal")
    assume(np.isfinite(expected))
    assert krippendorff_alpha(labels) == pytest.approx(expected, abs=1e-9)
    assert krippendorff_alpha(labels) == pytest.approx(krippendorff_alpha(codes), abs=1e-12)  # labels are names


@settings(max_examples=60, deadline=None)
@given(codes=code_tables(max_value=len(LABELS) - 1))
def test_ordinal_labels_use_categorical_order_else_sorted(codes):
    labels = codes.apply(lambda column: column.map(lambda v: NAN if pd.isna(v) else LABELS[int(v)]))
    ordered = labels.astype(pd.CategoricalDtype(LABELS, ordered=True))
    expected = reference(labels, "ordinal", value_domain=LABELS)
    assume(np.isfinite(expected))
    assert krippendorff_alpha(ordered, level="ordinal") == pytest.approx(expected, abs=1e-9)
    # the integer codes are the category positions, so they must agree too
    assert krippendorff_alpha(ordered, level="ordinal") == pytest.approx(krippendorff_alpha(codes, level="ordinal"))
    alphabetical = reference(labels, "ordinal", value_domain=sorted(LABELS))
    assert krippendorff_alpha(labels, level="ordinal") == pytest.approx(alphabetical, abs=1e-9)


def test_order_of_categories_changes_ordinal_alpha():
    codes = pd.DataFrame({"anna": ["negativ", "neutral", "positiv", "neutral", "negativ", "positiv"],
                          "jörg": ["neutral", "neutral", "positiv", "positiv", "negativ", "neutral"]})
    scale = codes.astype(pd.CategoricalDtype(["negativ", "neutral", "positiv"], ordered=True))
    shuffled = codes.astype(pd.CategoricalDtype(["neutral", "negativ", "positiv"], ordered=True))
    assert krippendorff_alpha(scale, level="ordinal") != pytest.approx(krippendorff_alpha(shuffled, level="ordinal"))
    assert krippendorff_alpha(scale, level="ordinal") == pytest.approx(
        reference(codes, "ordinal", value_domain=["negativ", "neutral", "positiv"]), abs=1e-9)


def test_ordinal_uses_ranks_interval_uses_distances():
    codes = pd.DataFrame({"a": [1, 2, 5, 10, 2, 5], "b": [2, 2, 5, 5, 1, 10], "c": [1, NAN, 10, 10, 2, 5]})
    ranks = codes.apply(lambda column: column.map({1: 0, 2: 1, 5: 2, 10: 3}))
    assert krippendorff_alpha(codes, level="ordinal") == pytest.approx(krippendorff_alpha(ranks, level="ordinal"))
    assert krippendorff_alpha(codes, level="interval") == pytest.approx(reference(codes, "interval"), abs=1e-9)
    assert krippendorff_alpha(codes, level="interval") != pytest.approx(krippendorff_alpha(ranks, level="interval"))


def test_perfect_agreement_is_one_and_single_value_is_nan_with_warning():
    same = pd.DataFrame({"anna": ["Krieg", "Frieden", "Krieg"], "jörg": ["Krieg", "Frieden", NAN]})
    assert krippendorff_alpha(same) == 1.0
    constant = pd.DataFrame({"anna": ["Krieg", "Krieg"], "jörg": ["Krieg", "Krieg"]})
    with pytest.warns(RuntimeWarning, match="undefined"):
        assert np.isnan(krippendorff_alpha(constant))


@pytest.mark.parametrize("codes, error, message", [
    (pd.DataFrame({"anna": [1, 2, 3]}), ValueError, "at least 2 coders"),
    (pd.DataFrame({"anna": [1, 2, NAN, NAN], "jörg": [NAN, NAN, 1, 2]}), ValueError, "no unit was coded by 2"),
    (pd.DataFrame({"anna": ["pro", "contra"], "jörg": ["pro", "pro"]}), TypeError, "level='ordinal'"),
    (pd.DataFrame({"anna": ["pro", 1], "jörg": ["pro", 2]}), TypeError, "mix numbers and labels"),
    ([[1, 2], [1, 2]], TypeError, "must be a DataFrame"),
])
def test_clear_errors(codes, error, message):
    level = "interval" if message == "level='ordinal'" else "nominal"
    with pytest.raises(error, match=message):
        krippendorff_alpha(codes, level=level)


def test_unknown_level_and_mismatched_categories_are_rejected():
    codes = pd.DataFrame({"anna": ["pro", "contra"], "jörg": ["pro", "pro"]})
    with pytest.raises(ValueError, match="level must be one of"):
        krippendorff_alpha(codes, level="ratio-ish")
    mixed = codes.assign(anna=pd.Categorical(codes["anna"], categories=["pro", "contra"]),
                         jörg=pd.Categorical(codes["jörg"], categories=["contra", "pro"]))
    with pytest.raises(ValueError, match="different categories"):
        krippendorff_alpha(mixed, level="ordinal")


@pytest.fixture
def coders():
    """Three coders labelling the sentiment of 60 German snippets: noisy copies of one truth."""
    rng = np.random.default_rng(7)
    truth = rng.choice(["positiv", "neutral", "negativ"], size=60, p=[0.2, 0.3, 0.5])
    columns = {}
    for name, noise in (("Anna", 0.1), ("Jörg", 0.25), ("Özlem", 0.4)):
        codes = np.where(rng.random(60) < noise, rng.choice(["positiv", "neutral", "negativ"], size=60), truth)
        columns[name] = np.where(rng.random(60) < 0.15, None, codes)  # each skips some units
    return pd.DataFrame(columns, index=[f"gerntsa-{i}" for i in range(60)])


def test_report_pairs_match_sklearn_on_shared_units(coders):
    report = agreement_report(coders, n_boot=50)
    assert list(report.columns) == ["coder_a", "coder_b", "statistic", "estimate", "ci_lower", "ci_upper", "n_units"]
    pairs = report.dropna(subset=["coder_a"])
    assert set(zip(pairs["coder_a"], pairs["coder_b"])) == {("Anna", "Jörg"), ("Anna", "Özlem"), ("Jörg", "Özlem")}
    for (a, b), rows in pairs.groupby(["coder_a", "coder_b"]):
        shared = coders[[a, b]].dropna()
        stats = rows.set_index("statistic")
        assert stats.loc["cohen_kappa", "estimate"] == pytest.approx(cohen_kappa_score(shared[a], shared[b]))
        assert stats.loc["percent_agreement", "estimate"] == pytest.approx((shared[a] == shared[b]).mean())
        assert (stats["n_units"] == len(shared)).all()
    overall = report[report["coder_a"].isna()].set_index("statistic")
    assert overall.loc["krippendorff_alpha", "estimate"] == pytest.approx(krippendorff_alpha(coders))
    assert overall.loc["mean_percent_agreement", "estimate"] == pytest.approx(
        pairs.query("statistic == 'percent_agreement'")["estimate"].mean())
    assert overall.loc["krippendorff_alpha", "n_units"] == (coders.notna().sum(axis=1) >= 2).sum()


def test_report_intervals_bracket_estimates_and_follow_random_state(coders):
    first = agreement_report(coders, n_boot=200, random_state=1)
    assert (first["ci_lower"] <= first["estimate"]).all() and (first["estimate"] <= first["ci_upper"]).all()
    assert (first["ci_lower"] < first["ci_upper"]).all()
    pd.testing.assert_frame_equal(first, agreement_report(coders, n_boot=200, random_state=1))
    assert not first.equals(agreement_report(coders, n_boot=200, random_state=2))
    narrow = agreement_report(coders, n_boot=200, ci=0.5, random_state=1)
    assert ((narrow["ci_upper"] - narrow["ci_lower"]) <= (first["ci_upper"] - first["ci_lower"])).all()
    assert agreement_report(coders, n_boot=0)[["ci_lower", "ci_upper"]].isna().all().all()


@settings(max_examples=60, deadline=None)
@given(pairs=st.lists(st.tuples(st.sampled_from(["pro", "contra", "neutral"]),
                                st.sampled_from(["pro", "contra", "neutral"])), min_size=2, max_size=40))
def test_kappa_equals_sklearn(pairs):
    codes = pd.DataFrame(pairs, columns=["anna", "jörg"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = cohen_kappa_score(codes["anna"], codes["jörg"])
    kappa = agreement_report(codes, n_boot=0).query("statistic == 'cohen_kappa'")["estimate"].item()
    assert kappa == pytest.approx(expected, abs=1e-12, nan_ok=True)


def test_better_coders_agree_more(coders):
    pairs = agreement_report(coders, n_boot=0).query("statistic == 'cohen_kappa'").set_index(["coder_a", "coder_b"])
    assert pairs.loc[("Anna", "Jörg"), "estimate"] > pairs.loc[("Jörg", "Özlem"), "estimate"]


def test_pair_without_shared_units_reports_nan_not_error():
    codes = pd.DataFrame({"anna": ["pro", "contra", "pro", NAN], "jörg": ["pro", "contra", NAN, "pro"],
                          "özlem": [NAN, NAN, "pro", NAN]})
    report = agreement_report(codes, n_boot=20)
    row = report.query("coder_a == 'jörg' and coder_b == 'özlem'")
    assert (row["n_units"] == 0).all() and row["estimate"].isna().all()
    with pytest.raises(ValueError, match="ci must be"):
        agreement_report(codes, ci=95)
