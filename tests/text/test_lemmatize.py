"""The kit's German lemmatiser on conflict-news words, including its post-corrections."""

import pytest

from analysis.text import SimplemmaLemmatizer

CASES = [
    ("Soldaten", "Soldat"), ("Streitkräfte", "Streitkraft"), ("Angriffe", "Angriff"),
    ("Kriegs", "Krieg"), ("Putins", "Putin"), ("Russlands", "Russland"), ("Nordkoreas", "Nordkorea"),
    ("Selenskyjs", "Selenskyj"), ("Ukraine-Kriegs", "Ukraine-Krieg"), ("Futter", "Futter"),
    ("völkerrechtswidrigen", "völkerrechtswidrig"), ("bombardiert", "bombardieren"),
    ("beschoss", "beschießen"), ("besuchten", "besuchen"),
    # must not change
    ("Ukraine", "Ukraine"), ("Kreml", "Kreml"), ("Gefangenschaft", "Gefangenschaft"),
    ("Halbinsel", "Halbinsel"), ("Pjöngjang", "Pjöngjang"), ("Kurs", "Kurs"), ("Bus", "Bus"),
    ("Berlin", "Berlin"), ("Termin", "Termin"), ("seit", "seit"), ("meist", "meist"),
    ("darstellen", "darstellen"), ("verteidigen", "verteidigen"), ("bestätigen", "bestätigen"),
]


@pytest.mark.parametrize(("token", "lemma"), CASES)
def test_german_lemmas(token, lemma):
    assert SimplemmaLemmatizer("de")(token) == lemma


@pytest.mark.parametrize(("token", "merged", "kept"), [
    ("Soldat*innen", "Soldat", "Soldat*in"),
    ("Soldat:innen", "Soldat", "Soldat:in"),
    ("SoldatInnen", "Soldat", "SoldatIn"),
    ("Nordkoreanerinnen", "Nordkoreaner", "Nordkoreanerin"),
    ("Präsidentin", "Präsident", "Präsidentin"),
])
def test_gender_forms_merge_by_default_and_can_be_kept(token, merged, kept):
    assert SimplemmaLemmatizer("de")(token) == merged
    assert SimplemmaLemmatizer("de", merge_gender=False, merge_feminine=False)(token) == kept


def test_english_lemmas():
    lemmatize = SimplemmaLemmatizer("en")
    assert [lemmatize(t) for t in ["soldiers", "attacks", "Russia"]] == ["soldier", "attack", "Russia"]
