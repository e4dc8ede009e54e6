"""split_units keeps provenance; dedupe finds agency copies and keeps the earliest."""

import pandas as pd
import pytest

from analysis import dedupe, split_units
from analysis.corpus import similar_pairs

AGENCY = ("Seoul (dpa) - Nordkorea hat nach Erkenntnissen des südkoreanischen Geheimdienstes weitere "
          "Soldaten nach Russland geschickt. Sie sollen in der Region Kursk gegen die Ukraine kämpfen. "
          "Nach Angaben des Geheimdienstes sind seit Oktober mehrere Tausend nordkoreanische Soldaten "
          "in Russland eingetroffen. Die Regierung in Pjöngjang äußerte sich zunächst nicht zu den "
          "Berichten. Russland und Nordkorea hatten im vergangenen Jahr ein Abkommen über gegenseitigen "
          "Beistand geschlossen, das im Fall eines Angriffs militärische Hilfe vorsieht.")


@pytest.fixture
def corpus():
    return pd.DataFrame({
        "doc_id": ["taz-1", "zeit-7", "faz-3", "welt-9"],
        "text": [AGENCY, AGENCY + " Mehr dazu morgen.", "Ganz anderer Artikel über Sanktionen gegen Moskau.",
                 AGENCY.replace("weitere", "zusätzliche")],
        "outlet": pd.Categorical(["taz", "Zeit", "FAZ", "Welt"]),
        "published": pd.to_datetime(["2025-01-02 10:00", "2025-01-02 08:00", "2025-01-01 00:00", None], utc=True),
        "lang": "de",
    })


def test_sentences_keep_parent_offsets_and_metadata(corpus):
    units = split_units(corpus, unit="sentence")
    assert units["doc_id"].is_unique
    first = units[units["parent_id"] == "taz-1"]
    assert first["text"].tolist()[:2] == [
        "Seoul (dpa) - Nordkorea hat nach Erkenntnissen des südkoreanischen Geheimdienstes weitere Soldaten nach Russland geschickt.",
        "Sie sollen in der Region Kursk gegen die Ukraine kämpfen."]
    assert len(first) == 5
    for row in units.itertuples():
        parent = corpus.set_index("doc_id").at[row.parent_id, "text"]
        assert parent[row.start:row.end] == row.text
    assert (units.loc[units["parent_id"] == "zeit-7", "outlet"] == "Zeit").all()
    assert list(units.columns[:7]) == ["doc_id", "parent_id", "unit", "position", "start", "end", "text"]


def test_paragraphs_and_bad_unit():
    corpus = pd.DataFrame({"doc_id": ["a"], "text": ["Absatz eins.\n\nAbsatz zwei. Noch ein Satz."]})
    assert split_units(corpus, unit="paragraph")["text"].tolist() == ["Absatz eins.", "Absatz zwei. Noch ein Satz."]
    with pytest.raises(ValueError, match="unit must be"):
        split_units(corpus, unit="word")


def test_dedupe_keeps_the_earliest_copy_and_reports_groups(corpus):
    result = dedupe(corpus)
    assert result.corpus["doc_id"].tolist() == ["zeit-7", "faz-3"]
    groups = result.groups
    assert groups["doc_id"].tolist() == ["zeit-7", "taz-1", "welt-9"]
    assert groups["kept"].tolist() == [True, False, False]
    assert groups["similarity"].iloc[0] == 1.0 and groups["similarity"].iloc[1] > 0.8
    assert len(result.corpus) + int((~groups["kept"]).sum()) == len(corpus)
    assert "1 near-duplicate groups" in str(result)


def test_dedupe_first_and_threshold(corpus):
    assert dedupe(corpus, keep="first").corpus["doc_id"].tolist() == ["taz-1", "faz-3"]
    assert len(dedupe(corpus, threshold=1.0).groups) == 0
    with pytest.raises(ValueError, match="threshold"):
        dedupe(corpus, threshold=0)


def test_similar_pairs_of_the_same_texts_at_any_threshold_equal_a_fresh_search(corpus):
    texts = corpus["text"].tolist()
    other = [t.replace("ö", "oe") for t in texts]  # another list: the kept pairs are not theirs

    def fresh(threshold):
        similar_pairs(["Ein Text.", "Noch einer."])  # forget the kept pairs
        return similar_pairs(texts, threshold=threshold)

    for first, then in [(0.3, 0.9), (0.9, 0.3), (0.5, 0.5)]:
        similar_pairs(texts, threshold=first)
        answered = similar_pairs(texts, threshold=then)
        for got, expected in zip(answered, fresh(then)):
            assert got.tolist() == expected.tolist()
    similar_pairs(texts, threshold=0.1)
    assert [a.tolist() for a in similar_pairs(other, threshold=0.1)] != [[], [], []]
    assert similar_pairs(other[:1] + ["Ganz anders: Sanktionen, Zölle, Öl."] * 3, threshold=0.1)[0].tolist() == [1, 1, 2]
