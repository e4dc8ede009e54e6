"""Actor mentions: bundled German/English aliases, user extensions, longest match wins."""

import pandas as pd
import pytest

from analysis.frames import find_actors, load_actors


def mentions(text, actors=None, lang="de"):
    found = find_actors(pd.DataFrame({"doc_id": ["d"], "text": [text]}), actors, lang=lang)
    return list(zip(found["actor"], found["mention"]))


@pytest.mark.parametrize(("text", "expected"), [
    ("Wladimir Putins Gegenleistung", [("Putin", "Wladimir Putins")]),
    ("Der Kremlchef und Kim Jong Un", [("russischer Präsident", "Kremlchef"), ("Kim Jong Un", "Kim Jong Un")]),
    ("Nordkoreas Soldaten, Nordkoreaner", [("Nordkorea", "Nordkoreas")]),
    ("Selenskyj in Kyjiw; Zelensky in Kyiv", [("Selenskyj", "Selenskyj"), ("Selenskyj", "Zelensky")]),
    ("the U.S. and the NATO allies", [("USA", "U.S."), ("NATO", "NATO")]),
    ("Sie sprechen mit uns über Russland", [("Russland", "Russland")]),
])
def test_bundled_mentions(text, expected):
    assert mentions(text) == expected


def test_offsets_and_user_actors_extend_the_bundle():
    text = "Die Wagner-Gruppe und die Huthi-Miliz"
    found = find_actors(pd.DataFrame({"doc_id": ["x"], "text": [text]}), {"Huthi": ["Huthi-Miliz"]})
    assert ("Huthi", "Huthi-Miliz") in list(zip(found["actor"], found["mention"]))
    for row in found.itertuples():
        assert text[row.start:row.end] == row.mention


def test_bad_actor_dictionary():
    with pytest.raises(ValueError, match="patterns must be a list"):
        load_actors({"Putin": "Putin"})
    with pytest.raises(ValueError, match="only allowed once, at the end"):
        mentions("x", {"Bad": ["Pu*tin"]})


@pytest.mark.parametrize(("text", "expected"), [
    # genitives: name + s, English 's (straight or curly apostrophe)
    ("Putins Krieg und Selenskyjs Antwort", [("Putin", "Putins"), ("Selenskyj", "Selenskyjs")]),
    ("Russia's army and Putin’s war", [("Russland", "Russia's"), ("Putin", "Putin’s")]),
    # hyphenated compounds are no mention, unless the second part is the actor's institution
    ("Im Ukraine-Krieg verhandelt die Ukraine", [("Ukraine", "Ukraine")]),
    ("Die Kreml-Chef-Rolle und der Kreml-Sprecher", [("Russland", "Kreml-Sprecher")]),
    ("Anti-Putin-Proteste in Moskaus Straßen", []),
    ("Die US-Regierung und die Hamas-Kämpfer", [("USA", "US-Regierung"), ("Hamas", "Hamas-Kämpfer")]),
    # case matters for names: "uns" is not the US, "kim" is not Kim
    ("Sie helfen uns und den USA, sagt kim", [("USA", "USA")]),
    # multi-word names across a line break, never across punctuation
    ("Kim\nJong Un, Kim. Jong", [("Kim Jong Un", "Kim\nJong Un"), ("Kim Jong Un", "Kim")]),
    ("#Putin und @NATO", [("Putin", "Putin"), ("NATO", "NATO")]),
])
def test_german_names_genitives_and_compounds(text, expected):
    assert mentions(text) == expected


def test_each_document_needs_a_known_language():
    corpus = pd.DataFrame({"doc_id": ["a", "b"], "lang": ["de", "fr"], "text": ["Putin spricht.", "Poutine parle."]})
    with pytest.raises(ValueError, match="lang must be one of"):
        find_actors(corpus)
    assert find_actors(corpus, lang="de")["actor"].tolist() == ["Putin"]
    with pytest.raises(ValueError, match="could be detected"):
        find_actors(pd.DataFrame({"doc_id": ["x"], "text": ["Putin, Kim."]}))


def test_missing_text_names_the_document():
    corpus = pd.DataFrame({"doc_id": ["a", "b"], "lang": "de", "text": ["Putin spricht.", None]})
    with pytest.raises(ValueError, match=r"missing or non-text.*\['b'\]"):
        find_actors(corpus)


def test_actors_and_kwic_agree_on_the_seed_article():
    from analysis.corpus import datasets
    from analysis.explore import kwic
    seed = datasets.load_seed_article().corpus
    found = find_actors(seed, {"Nordkorea": ["Nordkorea*"]})
    nordkorea = found[found["actor"] == "Nordkorea"]
    assert {"Nordkorea", "Nordkoreas", "Nordkoreaner"} <= set(nordkorea["mention"])
    hits = kwic(seed, "nordkorea*", kind="glob")  # case-insensitive, so also "nordkoreanischen"
    capitalised = hits[hits["match"].str.startswith("Nordkorea")]
    assert list(zip(capitalised["start"], capitalised["end"])) == list(zip(nordkorea["start"], nordkorea["end"]))
