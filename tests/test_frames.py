"""Frame dictionaries and scoring: what a framing study relies on."""

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone

from analysis.frames import FrameDictionary, load_dictionary
from analysis.frames import FrameScorer, matches, score_frames
from analysis.progress import quiet

MILITARY = {"military": ["soldat", "*krieg", "rakete", "kämpfen"], "humanitarian": ["humanitär hilfe", "zivilist"],
            "diplomacy": ["waffenruhe", "verhandlung*"]}
CORPUS = pd.DataFrame({
    "doc_id": ["de1", "de2", "en1"],
    "lang": ["de", "de", "en"],
    "text": ["Nordkoreanische Soldatinnen und Soldat*innen kämpfen im Ukraine-Krieg. Humanitäre Hilfe für Zivilisten bleibt aus.",
             "Es gibt keine Waffenruhe und keine Verhandlungen.",
             "Soldiers fight; civilians need humanitarian aid."],
})
BILINGUAL = {"frames": {
    "military": {"label": "Military", "de": ["soldat", "*krieg", "kämpfen"], "en": ["soldier", "fight"]},
    "humanitarian": {"label": "Humanitarian", "de": ["humanitär hilfe", "zivilist"], "en": ["humanitarian aid", "civilian"]},
}}


def scores(corpus, dictionary, **kwargs):
    with quiet():
        return score_frames(corpus, dictionary, **kwargs)


def test_lemmas_globs_gender_forms_and_phrases():
    result = scores(CORPUS.iloc[:1], MILITARY, normalize=None).set_index("frame")["hits"]
    assert result.to_dict() == {"military": 4, "humanitarian": 2, "diplomacy": 0}


def test_a_phrase_counts_once_for_its_frame():
    dictionary = {"military": ["special military operation", "military", "operation"], "law": ["operation"]}
    result = scores(pd.DataFrame({"doc_id": ["k"], "lang": ["en"], "text": ["The special military operation goes on."]}),
                    dictionary, normalize=None).set_index("frame")["hits"]
    assert result.to_dict() == {"military": 1, "law": 1}


def test_negated_hits_are_flagged_and_can_be_excluded():
    with quiet():
        found = matches(CORPUS.iloc[1:2], MILITARY)
    assert found["match"].tolist() == ["Waffenruhe", "Verhandlungen"] and found["negated"].all()
    counted = scores(CORPUS.iloc[1:2], MILITARY, normalize=None, negation="exclude")
    assert counted["hits"].sum() == 0


def test_matches_point_into_the_text_with_their_sentence():
    with quiet():
        found = matches(CORPUS.iloc[:1], MILITARY)
    text = CORPUS["text"].iloc[0]
    for row in found.itertuples():
        assert text[row.start:row.end] == row.match
        assert row.match in row.sentence_text
    assert set(found.loc[found["frame"] == "humanitarian", "sentence"]) == {1}


def test_languages_share_frame_columns():
    result = scores(CORPUS, BILINGUAL, normalize=None)
    wide = result.pivot(index="doc_id", columns="frame", values="hits")
    assert wide.loc["en1"].to_dict() == {"humanitarian": 2, "military": 2}
    assert wide.loc["de1", "military"] == 4


@pytest.mark.parametrize("normalize", ["per_1000_tokens", "share", None])
def test_schema_and_normalisation(normalize):
    result = scores(CORPUS, MILITARY, normalize=normalize)
    assert list(result.columns) == ["doc_id", "frame", "hits", "n_tokens", "score"]
    assert len(result) == 3 * 3  # every document × frame, zeros included
    de1 = result[result["doc_id"] == "de1"].set_index("frame")
    if normalize == "share":
        assert de1["score"].sum() == pytest.approx(1.0)
    elif normalize == "per_1000_tokens":
        assert de1.loc["military", "score"] == pytest.approx(1000 * 4 / de1.loc["military", "n_tokens"])


def test_sentence_units_keep_their_parent():
    result = scores(CORPUS.iloc[:1], MILITARY, unit="sentence", normalize=None)
    assert result["parent_id"].eq("de1").all()
    assert result.groupby("doc_id")["hits"].sum().tolist() == [4, 2]


def test_yaml_and_liwc_round_trips(tmp_path):
    dictionary = load_dictionary(BILINGUAL)
    again = load_dictionary(dictionary.to_yaml(tmp_path / "d.yaml"))
    assert again.patterns("humanitarian", "de") == ["humanitär hilfe", "zivilist"]
    liwc = load_dictionary(dictionary.to_dic(tmp_path / "d.dic", lang="en"))
    assert liwc.frames == ["military", "humanitarian"] and liwc.patterns("military", "de") == ["soldier", "fight"]
    (tmp_path / "quanteda.yml").write_text("war:\n  military: [soldat*, truppe*]\npeace: [frieden]\n", encoding="utf-8")
    nested = load_dictionary(tmp_path / "quanteda.yml")
    assert nested.frames == ["war.military", "peace"]


def test_frame_scorer_is_a_transformer():
    scorer = FrameScorer(dictionary=MILITARY, lang="de", normalize=None)
    assert clone(scorer).get_params()["dictionary"] == MILITARY
    with pytest.raises(Exception, match="not fitted"):
        scorer.transform(["x"])
    with quiet():
        out = scorer.fit(["x"]).set_output(transform="pandas").transform(CORPUS["text"].iloc[:2])
    assert list(out.columns) == ["military", "humanitarian", "diplomacy"]
    np.testing.assert_array_equal(out.to_numpy()[:, 0], [4.0, 0.0])


def test_bad_dictionaries_and_arguments(tmp_path):
    with pytest.raises(FileNotFoundError, match="bundled name"):
        load_dictionary("nope")
    with pytest.raises(ValueError, match="match every word"):
        load_dictionary({"x": ["*"]})
    with pytest.raises(ValueError, match="list of strings"):
        FrameDictionary.from_mapping({"x": "soldat"})
    with pytest.raises(ValueError, match="normalize"):
        scores(CORPUS, MILITARY, normalize="tfidf")


def test_bundled_dictionaries_on_the_seed_article():
    from analysis.corpus import datasets
    seed = datasets.load_seed_article().corpus
    with quiet():
        conflict = matches(seed, "conflict")
        generic = matches(seed, "generic")
    assert {"military", "humanitarian", "economy"} <= set(conflict["frame"])
    assert {"human_interest", "morality", "economic_consequences"} <= set(generic["frame"])
    economy = set(conflict.loc[conflict["frame"] == "economy", "match"])
    assert {"Devisen", "Sanktionen"} <= economy
    bundled = [load_dictionary(name) for name in ("generic", "conflict")]
    for dictionary in bundled:
        assert dictionary.languages == ["de", "en"]
        assert all(dictionary.patterns(f, "de") and dictionary.patterns(f, "en") for f in dictionary.frames)
