"""Coding sheets stratified by a column with hundreds of values: the largest strata kept, the rest merged."""

import numpy as np
import pandas as pd
import pytest

from analysis.compare.groups import largest_groups
from analysis.validation import coding_sheet


@pytest.fixture()
def by_place():
    """900 documents from 300 places: ten with 61 documents each, 290 with one (one of them undated)."""
    places = [f"Gemeinde {i:03d} – Süd" for i in range(300)]
    rng = np.random.default_rng(2)
    place = places + list(rng.permutation(np.repeat(places[:10], 60)))
    return pd.DataFrame({"doc_id": [f"d{i}" for i in range(900)], "text": [f"Meldung Nr. {i} aus {p}"
                         for i, p in enumerate(place)], "ort": place})


def test_hundreds_of_strata_are_capped_merged_and_weighted_back(by_place):
    with pytest.warns(UserWarning, match=r"300 strata: the 49 largest are kept and the other 251 \(251 documents\)"):
        sheet = coding_sheet(by_place, n=120, stratify_by="ort", variables={"frame_military": ["ja", "nein"]})
    strata = sheet.key["stratum"]
    assert strata.nunique() <= 50 and "(other)" in set(strata)
    assert set(strata) - {"(other)"} <= set(by_place["ort"])
    assert sheet.key.groupby("stratum")["sampling_weight"].sum().sum() == pytest.approx(900)
    large = by_place["ort"].value_counts().index[:10]
    assert set(large) <= set(strata)  # every large place is its own stratum
    with pytest.warns(UserWarning):  # row order does not choose the strata
        again = coding_sheet(by_place.sample(frac=1, random_state=5), n=120, stratify_by="ort",
                             variables={"frame_military": ["ja", "nein"]})
    assert set(again.key["stratum"]) == set(strata)


def test_largest_groups_keeps_missing_labels_breaks_ties_by_name_and_rejects_a_bad_keep():
    labels = pd.Series(["Köln", "Jena", "Köln", None, "Köln", "Görlitz", "Görlitz"])
    two, three = largest_groups(labels, keep=2), largest_groups(labels, keep=3)
    assert two.isna().tolist() == labels.isna().tolist()  # missing stays missing
    assert two.dropna().tolist() == ["Köln", "(other)", "Köln", "Köln", "(other)", "(other)"]
    assert three.equals(labels)  # three labels fit into keep=3: nothing merged
    for tied in (["Jena", "Görlitz", "Aue"], ["Aue", "Görlitz", "Jena"]):  # ties: by name, not by row order
        assert largest_groups(pd.Series(tied), keep=2).tolist().count("Aue") == 1
    with pytest.raises(ValueError, match="keep must be an integer ≥ 2"):
        largest_groups(labels, keep=1)
