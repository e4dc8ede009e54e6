"""Actor mentions: bundled German/English aliases, user extensions, longest match wins."""

import pandas as pd
import pytest

from analysis.frames import find_actors, load_actors


def mentions(text, actors=None, lang="de"):
    found = find_actors(pd.DataFrame({"doc_id": ["d"], "text": [text]}), actors, lang=lang)
    return list(zip(found["actor"], found["mention"]))


@pytest.mark.parametrize(("text", "expected"), [
    ("Wladimir Putins Gegenleistung", [("Putin", "Wladimir Putins")]),
    ("Der Kremlchef und Kim Jong Un", [("Putin", "Kremlchef"), ("Kim Jong Un", "Kim Jong Un")]),
    ("Nordkoreas Soldaten, Nordkoreaner", [("Nordkorea", "Nordkoreas")]),
    ("Selenskyj in Kyjiw; Zelensky in Kyiv", [("Selenskyj", "Selenskyj"), ("Ukraine", "Kyjiw"),
                                             ("Selenskyj", "Zelensky"), ("Ukraine", "Kyiv")]),
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
