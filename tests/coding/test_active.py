"""next_to_code: the units worth coding next, never one already coded, the same for a seed."""

import numpy as np
import pandas as pd
import pytest

from analysis.coding import next_to_code, train_coder


@pytest.fixture(scope="module")
def units(per_label):
    return per_label(70)


@pytest.fixture(scope="module")
def coded(units):
    return units.groupby("label").head(20)


@pytest.fixture(scope="module")
def coder(coded):
    return train_coder(coded, label_col="label")


@pytest.mark.parametrize("strategy", ["uncertainty", "random", "diverse"])
def test_never_returns_a_coded_unit_and_is_the_same_for_a_seed(coder, coded, units, strategy):
    pool = units.drop(columns="label")  # the pool holds the coded units too, as a corpus would
    first = next_to_code(coder, pool, n=15, strategy=strategy, random_state=4)
    again = next_to_code(coder, pool, n=15, strategy=strategy, random_state=4)
    assert len(first) == 15 and first["doc_id"].is_unique
    assert not first["doc_id"].isin(coded["doc_id"]).any()
    pd.testing.assert_frame_equal(first, again)
    assert list(first.columns) == [*pool.columns, "uncertainty"]
    assert first.index.isin(pool.index).all()


def test_uncertainty_picks_the_least_sure_units_first(coder, coded, units):
    pool = units[~units["doc_id"].isin(coded["doc_id"])]
    picked = next_to_code(coder, pool, n=10)
    proba = np.sort(coder.predict_proba(pool), axis=1)
    margins = pd.Series(proba[:, -1] - proba[:, -2], index=pool.index)
    assert picked["uncertainty"].is_monotonic_decreasing
    assert set(picked.index) == set(margins.nsmallest(10).index)


def test_random_draws_differ_between_seeds_and_a_small_pool_gives_what_is_left(coder, coded, units):
    pool = units.drop(columns="label")
    draws = {tuple(next_to_code(coder, pool, n=10, strategy="random", random_state=s)["doc_id"]) for s in range(3)}
    assert len(draws) == 3
    rest = units[units["doc_id"].isin(coded["doc_id"]) | units.index.isin(units.index[-3:])]
    assert len(next_to_code(coder, rest, n=50)) == 3


def test_units_coded_without_ids_are_known_by_their_text(units):
    plain = units.head(60)[["text", "label"]]
    coder = train_coder(plain, label_col="label")
    pool = units.head(80).drop(columns="label")
    picked = next_to_code(coder, pool, n=50)
    assert len(picked) == 20 and not picked["text"].isin(plain["text"]).any()


def test_bad_input_is_named(coder, units):
    with pytest.raises(ValueError, match="strategy must be one of"):
        next_to_code(coder, units, strategy="entropy")
    with pytest.raises(ValueError, match="duplicate doc_id"):
        next_to_code(coder, pd.concat([units.head(3), units.head(1)]))
    with pytest.raises(ValueError, match="positive whole number"):
        next_to_code(coder, units, n=0)
