"""Tokenising German news: a table of inputs and the tokens users rely on."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.text import tokenize, tokenize_spans
from analysis.text.tokenize import _LOCAL_PART, TOKEN_RE, tokenize_chunk

CASES = [
    # must not change: umlauts, ß, capitalised nouns
    ("Größe Äußerung Straße übel Öl", ["Größe", "Äußerung", "Straße", "übel", "Öl"]),
    # hyphenated compounds stay whole
    ("Der Ukraine-Krieg und die Kim-Diktatur", ["Der", "Ukraine-Krieg", "und", "die", "Kim-Diktatur"]),
    ("Nord-Korea schickt F-16 und Su-25?", ["Nord-Korea", "schickt", "F-16", "und", "Su-25", "?"]),
    # gender-inclusive forms stay whole
    ("Soldat*innen, Soldat:innen, Soldat_innen, SoldatInnen",
     ["Soldat*innen", ",", "Soldat:innen", ",", "Soldat_innen", ",", "SoldatInnen"]),
    ("Nordkoreanerinnen und Nordkoreaner", ["Nordkoreanerinnen", "und", "Nordkoreaner"]),
    # numbers keep German separators; dates stay whole
    ("1.500 Touristen am 24.02.2022 um 14:30 Uhr, 3,5 Prozent",
     ["1.500", "Touristen", "am", "24.02.2022", "um", "14:30", "Uhr", ",", "3,5", "Prozent"]),
    # abbreviations, quotes and dashes
    ("z.B. die „Sonderoperation“ – sagt er.", ["z.B.", "die", "„", "Sonderoperation", "“", "–", "sagt", "er", "."]),
    # URLs, mail, hashtags
    ("Quelle: https://www.tagesschau.de/ausland/x.html, #Ukraine @NATO",
     ["Quelle", ":", "https://www.tagesschau.de/ausland/x.html", ",", "#Ukraine", "@NATO"]),
    # English contractions and possessives
    ("Russia's troops don't retreat.", ["Russia", "'", "s", "troops", "don't", "retreat", "."]),
    ("", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_tokenize_table(text, expected):
    assert tokenize(text) == expected


def test_spans_point_back_into_the_text():
    text = "Putins Soldat*innen im Ukraine-Krieg: 1.500 Tote."
    for token in tokenize_spans(text):
        assert text[token.start:token.end] == token.text
    kinds = {t.text: t.kind for t in tokenize_spans(text)}
    assert kinds["1.500"] == "number" and kinds["Ukraine-Krieg"] == "word" and kinds[":"] == "punct"


def test_tokenize_never_loses_a_non_space_character():
    text = "Kim Jong Un (41) – „Kanonenfutter“! Soldat*innen; 3,5 % … www.x.de?"
    assert "".join(tokenize(text)) == "".join(text.split())


def test_a_long_run_of_dashes_or_dots_is_one_token_per_character():
    for mark in "-.+":
        text = f"Vorher {mark * 50_000} nachher max.muster+news@example.org."
        tokens = tokenize(text)
        assert tokens[0] == "Vorher" and tokens[1:50_001] == [mark] * 50_000
        assert tokens[50_001:] == ["nachher", "max.muster+news@example.org", "."]


@given(st.text(alphabet="ab1.-+_@# \n'n", max_size=60))
@settings(max_examples=500, deadline=None)
def test_bounding_an_address_changes_no_address_of_up_to_64_characters_before_its_at(text):
    # the bound keeps long runs linear; an address with an unbounded local part reads the same
    unbounded = re.compile(TOKEN_RE.pattern.replace(_LOCAL_PART, r"[\w.+-]+", 1))
    assert [(m.group(), m.lastgroup, m.span()) for m in unbounded.finditer(text)] == \
        [(t.text, t.kind, (t.start, t.end)) for t in tokenize_spans(text)]


def test_an_address_right_after_a_hashtag_or_mention_is_found():
    assert tokenize("@nk_news@example.org #a-b@c.de") == ["@nk", "_news@example.org", "#a", "-b@c.de"]


CHUNKS = ["Krieg,", "(Ukraine-Krieg):", "„Waffenruhe“", "Ost-", "Ost-West-", "-Krieg", "z.B.", "Dr.", "ab.", "www.",
          "U.S.", "don't", "Russia's", "Russia’", "Soldat:innen", "Soldat:", "Soldat*innen.", "F-16,", "(41)",
          "#Putin,", "@NATO.", "Kim-Il-Sung-Platz;", "Größe!", "Straße–", "ab--cd", "a²,", "x_y.", "“Nein”", "--"]


@pytest.mark.parametrize("chunk", CHUNKS)
def test_a_chunk_splits_as_the_tokenizer_splits_it(chunk):
    assert tokenize_chunk(chunk) == tokenize_spans(chunk)


@given(st.text(alphabet="aÄß-.,()'’\"„“–:*_1@#ntsi/²", min_size=1, max_size=8))
@settings(max_examples=1000, deadline=None)
def test_any_chunk_splits_as_the_tokenizer_splits_it(chunk):
    assert tokenize_chunk(chunk) == tokenize_spans(chunk)
