"""is_in gives what Series.isin gives, for every id column and kind of wanted ids."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.corpus.id_sets import is_in

IDS = ["spiegel-2024-001", "taz-Ökonomie-17", None, "welt-2024-001", "taz-Ökonomie-17", "zeit–ÄÜ-3"]


@pytest.mark.parametrize("dtype", ["string[pyarrow]", "str", object, "string[python]", "category"])
@pytest.mark.parametrize("wanted", [
    ["taz-Ökonomie-17"], ["zeit–ÄÜ-3", None, "fehlt"], np.array(["welt-2024-001"], dtype=object),
    pd.Series(["spiegel-2024-001", None], dtype="string[pyarrow]"), pd.Series(["taz-Ökonomie-17", np.nan], dtype="str"),
    pd.Index(["welt-2024-001", "welt-2024-001"]), {"spiegel-2024-001", "zeit–ÄÜ-3"}, ["spiegel-2024-001", 17],
    [], [np.nan], pd.Series([], dtype="str")])
def test_is_in_answers_as_isin(dtype, wanted):
    column = pd.Series(IDS, dtype=dtype)
    found = is_in(column, wanted)
    assert found.dtype == bool
    np.testing.assert_array_equal(found, column.isin(wanted).to_numpy(dtype=bool))


def test_arrow_ids_are_matched_in_arrow_not_value_by_value(monkeypatch):
    ids = pd.Series([f"heaps-{i:07d}" for i in range(200_000)], dtype="string[pyarrow]")
    wanted = ids.sample(50_000, random_state=1).to_numpy()
    expected = ids.isin(wanted).to_numpy()
    monkeypatch.setattr(pd.Series, "isin", lambda *args, **kwargs: pytest.fail("Series.isin was called"))
    np.testing.assert_array_equal(is_in(ids, wanted), expected)
