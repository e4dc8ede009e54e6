"""Latent Semantic Scaling: polarity from co-occurrence, scores, seeds, errors (analysis.coding)."""

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

import analysis
from analysis.coding import LatentSemanticScaling, load_seeds, suggest_terms

POSITIVE = ["Die Waffenruhe in Charkiw ist ein gutes Zeichen, sagen Beobachter*innen.",
            "Eine schöne Nachricht: die Waffenruhe hält, die Lage ist gut.",
            "Hervorragende Diplomatie – die Waffenruhe bringt gute Aussichten für Mariupol.",
            "Die Märkte reagieren positiv auf die Waffenruhe im Ukraine-Krieg."]
NEGATIVE = ["Der Angriff auf Wohnhäuser ist schlecht für die Zivilbevölkerung.",
            "Schlechte Nachrichten aus Kursk: erneuter Angriff, die Lage ist schlimm und negativ.",
            "Die Angaben über den Angriff waren falsch, heißt es aus Moskau.",
            "Nordkoreanische Soldaten melden einen Angriff; die Versorgung ist schlecht."]
NEUTRAL = ["Der Ausschuss tagt am Montag in Berlin.", "Die Delegation reist nach Genf zum Treffen.",
           "Das Treffen in Genf beginnt um neun Uhr.", "Am Montag tagt die Delegation in Berlin."]


def corpus(repeats: int = 4) -> pd.DataFrame:
    texts = []
    for r in range(repeats):  # each document: one polar sentence and one neutral sentence
        texts += [f"{p} {NEUTRAL[(i + r) % 4]}" for i, p in enumerate(POSITIVE + NEGATIVE)]
    return pd.DataFrame({"doc_id": [f"dpa-{i:03d}" for i in range(len(texts))], "text": texts, "lang": "de"})


SEEDS = {"gut": 1, "schön": 1, "positiv": 1, "schlecht": -1, "falsch": -1, "schlimm": -1}


def model(**params) -> LatentSemanticScaling:
    return LatentSemanticScaling(params.pop("seeds", SEEDS), n_components=8, min_df=2, **params)


def polarity(fitted: LatentSemanticScaling, term: str) -> float:
    table = fitted.term_polarity_.set_index("term")
    return float(table.loc[term, "polarity"])


@pytest.mark.parametrize("unit", ["sentence", "document"])
def test_a_term_that_co_occurs_with_positive_seeds_gets_positive_polarity(unit):
    fitted = model(unit=unit).fit(corpus())
    assert polarity(fitted, "waffenruhe") > 0 > polarity(fitted, "angriff")
    assert list(fitted.term_polarity_.columns) == ["term", "polarity", "n_units"]
    assert fitted.term_polarity_["polarity"].is_monotonic_decreasing


def test_documents_are_scored_by_their_terms_and_standardised():
    data = corpus()
    scores = model().fit(data).transform(data)
    assert list(scores.columns) == ["doc_id", "score", "n_terms"] and scores["doc_id"].tolist() == data["doc_id"].tolist()
    is_positive = data["text"].str.contains("Waffenruhe")
    assert scores.loc[is_positive, "score"].min() > scores.loc[~is_positive, "score"].max()
    assert abs(scores["score"].mean()) < 1e-9 and scores["score"].std(ddof=0) == pytest.approx(1.0)


def test_transform_gives_nan_for_documents_without_a_known_term():
    fitted = model().fit(corpus())
    new = pd.DataFrame({"doc_id": ["x", "y", "z"], "text": ["Quokka Zwergpinguin Äpfel!", "", "Die Waffenruhe hält."]})
    scores = fitted.transform(new).set_index("doc_id")
    assert np.isnan(scores.loc["x", "score"]) and np.isnan(scores.loc["y", "score"])
    assert scores.loc[["x", "y"], "n_terms"].tolist() == [0, 0]
    assert scores.loc["z", "score"] > 0


def test_same_random_state_same_model_and_clone_drops_the_fit():
    data = corpus()
    first, second = model(random_state=3).fit(data), model(random_state=3).fit(data)
    pd.testing.assert_frame_equal(first.term_polarity_, second.term_polarity_)
    pd.testing.assert_frame_equal(first.transform(data), second.transform(data))
    copy = clone(first)
    assert copy.get_params() == first.get_params()
    with pytest.raises(NotFittedError):
        copy.transform(data)


def test_user_seeds_set_the_direction_and_globs_expand():
    data = corpus()
    flipped = model(seeds={"schlecht": 1, "falsch": 1, "gut": -1, "posit*": -1}).fit(data)
    assert polarity(flipped, "angriff") > 0 > polarity(flipped, "waffenruhe")
    used = flipped.seeds_
    assert used.loc[used["seed"] == "posit*", "term"].tolist() == ["positiv"]
    assert used.groupby("polarity")["weight"].sum().to_dict() == pytest.approx({-1.0: -1.0, 1.0: 1.0})


def test_seeds_absent_from_the_corpus_are_a_clear_error():
    with pytest.raises(ValueError, match=r"none of the negative seeds \['furchtbar', 'grauenhaft'\] occurs"):
        model(seeds={"gut": 1, "furchtbar": -1, "grauenhaft": -1}).fit(corpus())
    with pytest.raises(ValueError, match="both poles"):
        model(seeds={"gut": 1, "schön": 2}).fit(corpus())
    with pytest.raises(ValueError, match="non-zero numbers"):
        model(seeds={"gut": 1, "schlecht": "minus"}).fit(corpus())
    with pytest.raises(ValueError, match="no bundled seed set 'stimmung'"):
        model(seeds="stimmung").fit(corpus())


def test_a_seed_missing_on_one_pole_is_listed_with_zero_weight():
    fitted = model(seeds={**SEEDS, "grauenhaft": -1}).fit(corpus())
    missing = fitted.seeds_[fitted.seeds_["seed"] == "grauenhaft"]
    assert missing[["term", "weight", "n_units"]].values.tolist() == [["", 0.0, 0]]


def test_documents_in_another_language_and_bad_corpora_are_refused():
    data = corpus()
    data.loc[3, "lang"] = "en"
    with pytest.raises(ValueError, match=r"1 document\(s\) are not in lang='de'.*dpa-003"):
        model().fit(data)
    with pytest.raises(ValueError, match="duplicate doc_id"):
        model().fit(pd.concat([corpus(1), corpus(1)]))


def test_similar_terms_and_suggest_terms_grow_a_dictionary():
    data = corpus()
    fitted = model().fit(data)
    near = fitted.similar_terms(["Waffenruhe"], n=5)
    assert list(near.columns) == ["term", "similarity", "n_units"] and len(near) == 5
    assert "waffenruhe" not in near["term"].tolist() and near["similarity"].is_monotonic_decreasing
    with pytest.raises(ValueError, match="none of"):
        fitted.similar_terms("Zwergpinguin")
    dictionary = {"ceasefire": ["waffenruhe"], "shelling": ["angriff"], "absent": ["zwergpinguin"]}
    suggested = suggest_terms(dictionary, fitted, n=3)
    assert list(suggested.columns) == ["frame", "rank", "term", "similarity", "n_units"]
    assert set(suggested["frame"]) == {"ceasefire", "shelling"} and suggested["rank"].tolist() == [1, 2, 3] * 2
    refit = suggest_terms(dictionary, data, n=3, n_components=8, min_df=2)
    pd.testing.assert_frame_equal(refit, suggested)


def test_bundled_seed_sets_cover_both_languages_and_are_at_the_top_level():
    for name in ("sentiment", "conflict"):
        for lang in ("de", "en"):
            seeds = load_seeds(name, lang=lang)
            assert min(seeds.values()) == -1 and max(seeds.values()) == 1
    assert load_seeds("conflict")["Waffenstillstand"] == -1
    assert analysis.LatentSemanticScaling is LatentSemanticScaling and analysis.suggest_terms is suggest_terms


def test_plot_term_polarity_shows_both_poles_of_a_fitted_model():
    import matplotlib

    matplotlib.use("Agg")
    from analysis.plotting import plot_term_polarity

    fitted = model().fit(corpus())
    ax = plot_term_polarity(fitted.term_polarity_, n=3, min_units=2)
    labels = [t.get_text().split(" (")[0] for t in ax.get_yticklabels()]
    heights = [bar.get_width() for bar in ax.patches]
    assert len(labels) == 6 and heights == sorted(heights) and heights[0] < 0 < heights[-1]
    assert labels[-1] == fitted.term_polarity_.query("n_units >= 2")["term"].iloc[0]
