"""The bundled corpora load completely, with the documented counts."""

import pytest

from analysis.corpus import datasets


@pytest.mark.parametrize(("loader", "n_input", "n_kept"), [
    (datasets.load_conflict_corpus, 1796, 1794),  # two releases repeat an earlier one's text word for word
    (datasets.load_gnad10, 1028, 1028),
    (datasets.load_gerntsa, 3041, 3040),  # one id occurs twice upstream
    (datasets.load_wikinews, 295, 295),
    (datasets.load_seed_article, 1, 1),
])
def test_bundled_corpora(loader, n_input, n_kept):
    load = loader()
    assert (load.n_input, len(load.corpus)) == (n_input, n_kept)
    assert len(load.corpus) + len(load.rejected) == load.n_input
    assert str(load.corpus["published"].dtype) == "datetime64[ns, UTC]"


def test_columns_researchers_use():
    assert set(datasets.load_gnad10().corpus["section"]) >= {"International", "Inland", "Wirtschaft"}
    gerntsa = datasets.load_gerntsa().corpus
    assert set(gerntsa["label"]) == {"negative", "neutral", "positive"}
    row = gerntsa.iloc[0]
    assert row["text"][row["target_start"]:row["target_end"]] == row["target"]
    seed = datasets.load_seed_article().corpus.iloc[0]
    assert seed["text"].startswith("Kim Jong Un schickt Russland Kanonenfutter")
    assert seed["published"].strftime("%Y-%m") == "2025-01"


def test_unknown_dataset():
    with pytest.raises(KeyError, match="choose one of"):
        datasets.path("reuters")
