"""train_coder and Coder: messy coded German units in, probabilities and cross-validated quality out."""

import numpy as np
import pandas as pd
import pytest

import analysis
from analysis.coding import Coder, CrossValidation, train_coder
from analysis.validation import coding_sheet, read_codes


@pytest.fixture(scope="module")
def gerntsa(per_label):
    """120 GerNTSA mentions (40 per label): real German news sentences with their gold sentiment."""
    return per_label(40)


@pytest.fixture(scope="module")
def coder(gerntsa):
    return train_coder(gerntsa, label_col="label")


def test_probabilities_are_per_class_rows_that_sum_to_one(coder, gerntsa):
    proba = coder.predict_proba(gerntsa.head(25))
    assert coder.classes_.tolist() == ["negative", "neutral", "positive"]
    assert proba.shape == (25, 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert set(coder.predict(gerntsa.head(25))) <= set(coder.classes_)


def test_the_same_seed_gives_the_same_coder_and_the_same_cross_validation(coder, gerntsa):
    again = train_coder(gerntsa, label_col="label")
    new = pd.DataFrame({"doc_id": ["a", "b"], "text": ["Die Bundesregierung lobt den Kompromiss über Gaspreise.",
                                                       "Grüne kritisieren die Maßnahmen scharf: „völlig verfehlt“."]})
    np.testing.assert_array_equal(coder.predict_proba(new), again.predict_proba(new))
    first, second = coder.cross_validate(n_splits=3, n_boot=200), again.cross_validate(n_splits=3, n_boot=200)
    pd.testing.assert_frame_equal(first.scores, second.scores)
    pd.testing.assert_frame_equal(first.confusion, second.confusion)


def test_cross_validation_scores_every_coded_unit_once_with_intervals(coder, gerntsa):
    cv = coder.cross_validate(n_splits=4, n_boot=200)
    assert isinstance(cv, CrossValidation)
    assert int(cv.confusion.to_numpy().sum()) == len(gerntsa)
    assert cv.confusion.sum(axis=1).tolist() == [40, 40, 40]  # rows are the coded codes
    f1 = cv.scores[cv.scores["metric"] == "f1"].set_index("label")
    assert f1.index.tolist() == ["negative", "neutral", "positive", "macro", "micro"]
    assert ((f1["ci_lower"] <= f1["estimate"]) & (f1["estimate"] <= f1["ci_upper"])).all()
    assert f1.loc["macro", "estimate"] > 0.34  # better than guessing among three balanced codes


def test_read_codes_output_with_blanks_trains_after_joining_texts(gerntsa_mentions, tmp_path):
    corpus = gerntsa_mentions.head(60)
    sheet = coding_sheet(corpus.drop(columns="label"), n=60, variables={"tone": ["negativ", "neutral", "positiv"]})
    paths = sheet.write(tmp_path)
    gold = corpus.set_index("doc_id")["label"].map({"negative": "Negativ ", "neutral": "NEUTRAL", "positive": "positiv"})
    filled = sheet.sheet.assign(tone=gold.loc[sheet.key["doc_id"]].to_numpy())
    filled.loc[[3, 7], "tone"] = ""  # two units the coder skipped
    filled.to_csv(paths["csv"], index=False)
    codes = read_codes(paths["csv"])
    with pytest.raises(KeyError, match="merge"):
        train_coder(codes, label_col="tone")
    with pytest.warns(UserWarning, match="2 of 60 units have no code"):
        coder = train_coder(codes.merge(corpus[["doc_id", "text"]], on="doc_id"), label_col="tone")
    assert set(coder.classes_) <= {"negativ", "neutral", "positiv"}
    assert len(coder.coded_) == 58 and coder.coded_["doc_id"].isin(corpus["doc_id"]).all()


def test_multilabel_from_yes_no_columns_or_separated_strings_gives_one_label_matrix():
    units = pd.DataFrame({"text": [
        "Soldaten und Panzer an der Front, Flüchtlinge fliehen über die Grenze.",
        "Die Armee meldet Raketenangriffe auf Charkiw.",
        "Helfer*innen versorgen Geflüchtete in Notunterkünften in Wien.",
        "Gaspreise steigen, die Inflation belastet die Wirtschaft.",
        "Sanktionen treffen die Wirtschaft; Banken ziehen sich aus Russland zurück.",
        "Das Rote Kreuz bringt Medikamente nach Cherson, Artillerie beschießt die Stadt.",
    ] * 2, "military": ["ja", "Ja", "nein", "Nein ", "nein", "ja"] * 2,
        "humanitarian": [1, 0, 1, 0, 0, 1] * 2, "economic": ["no", "no", "no", "yes", "yes", "no"] * 2})
    from_columns = train_coder(units, label_col=["military", "humanitarian", "economic"], multilabel=True)
    joined = units.assign(frames=["military; humanitarian", "military", "humanitarian", "economic", "economic",
                                  "humanitarian;military"] * 2)
    from_strings = train_coder(joined, label_col="frames", multilabel=True)
    assert from_columns.classes_.tolist() == from_strings.classes_.tolist() == ["economic", "humanitarian", "military"]
    np.testing.assert_array_equal(from_columns.coded_labels_, from_strings.coded_labels_)
    predicted = from_columns.predict(units.head(3))
    assert predicted.shape == (3, 3) and set(np.unique(predicted)) <= {0, 1}
    assert from_columns.cross_validate(n_splits=2, n_boot=50).confusion.columns.tolist() == ["tn", "fp", "fn", "tp"]


def test_cross_validation_keeps_identical_texts_in_one_fold(gerntsa):
    # codes drawn at random: only a unit's twin in the training folds could predict it
    sentences = gerntsa.drop_duplicates("text").head(40)
    codes = np.random.default_rng(3).choice(["ja", "nein"], size=len(sentences))
    units = pd.concat([sentences.assign(code=codes), sentences.assign(code=codes)], ignore_index=True)
    units["doc_id"] = [f"u{i}" for i in range(len(units))]  # twins are coded twice under two ids
    cv = train_coder(units, label_col="code").cross_validate(n_splits=4, n_boot=50)
    micro = cv.scores.query("label == 'micro' and metric == 'f1'")["estimate"].item()
    assert micro < 0.8  # ungrouped folds would show each twin and score about 1


def test_more_folds_than_distinct_texts_is_an_error():
    texts = ["Kyjiw meldet Angriffe.", "Gespräche in Genf über eine Waffenruhe.", "Putin droht dem Westen.",
             "Selenskyj dankt den Helfern.", "Die EU beschließt neue Hilfen.", "Wieder Raketen auf Odessa."]
    units = pd.DataFrame({"text": texts * 2, "code": ["neg", "neu", "neg", "pos", "neu", "neg"] * 2})
    with pytest.raises(ValueError, match="at most the number of distinct coded texts or groups \\(6\\)"):
        train_coder(units, label_col="code").cross_validate(n_splits=7)


def test_clear_errors_at_the_boundary(coder):
    with pytest.raises(ValueError, match="at least two different codes"):
        train_coder(pd.DataFrame({"text": ["a b", "c d"], "code": ["x", "x"]}), label_col="code")
    with pytest.raises(ValueError, match="not in the coder's language 'de'"):
        coder.predict(pd.DataFrame({"doc_id": ["e"], "text": ["Kremlin threatens NATO."], "lang": ["en"]}))
    with pytest.raises(ValueError, match="missing or non-text"):
        coder.predict(pd.DataFrame({"doc_id": ["e"], "text": [np.nan]}))
    with pytest.raises(ValueError, match="multilabel=True"):
        train_coder(pd.DataFrame({"text": ["a"], "x": [1], "y": [0]}), label_col=["x", "y"])


def test_the_coding_verbs_are_at_the_top_level():
    assert analysis.train_coder is train_coder and analysis.Coder is Coder
    assert callable(analysis.next_to_code) and callable(analysis.estimate_prevalence) and callable(analysis.code_units)
