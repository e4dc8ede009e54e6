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


def _words_to_test():
    """Every distinct word of 300 bundled 10kGNAD articles, and gender, genitive and adjective forms."""
    from analysis.corpus import datasets
    from analysis.text.tokenize import tokenize

    words = {w for text in datasets.load_gnad10().corpus["text"].iloc[:300] for w in tokenize(text)}
    return sorted(words | {"Soldat*innen", "Soldat:in", "Soldat_innen", "Soldat/in", "SoldatIn", "SoldatInnen",
                           "Journalistinnen", "Präsidentin", "Putins", "Humanitäre", "völkerrechtswidrigen",
                           "HUMANITÄRE", "Ärztinnen", "Wählerin", "Bürgerinnen", "Lenins"})


def test_each_pattern_is_tried_only_on_words_that_end_as_its_matches_do():
    """The lemmatiser asks a pattern only about words ending as its matches must (a quick
    ``str.endswith`` first: most new words of a large archive end otherwise), so the lemmas are the
    ones the patterns alone give. This fails if a pattern learns an ending its check does not list."""
    from analysis.text import lemmatize as lem

    words = _words_to_test()
    checks = [(lem._INCLUSIVE, lem._INCLUSIVE_ENDS, str), (lem._FEMININE, lem._FEMININE_ENDS, str),
              (lem._ADJECTIVE, lem._ADJ_ENDING_TUPLE, str.lower), (lem._NAME_GENITIVE, ("s",), str)]
    for pattern, ends, form in checks:
        matched = [w for w in words if pattern.match(form(w))]
        assert matched, pattern.pattern  # the words do exercise it
        assert all(form(w).endswith(ends) for w in matched), pattern.pattern
    assert lem._INCLUSIVE.match("Soldat*innen") and lem._FEMININE.match("Ärztin") is None

