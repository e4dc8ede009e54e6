"""Cleaning keeps German text intact and removes what is not text."""

import unicodedata

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.corpus import datasets
from analysis.text import clean_text
from analysis.text.normalize import normalize_whitespace, one_line, remove_invisible


@pytest.mark.parametrize(("raw", "clean"), [
    (unicodedata.normalize("NFD", "Nordkoreaner müssen für Größe büßen"), "Nordkoreaner müssen für Größe büßen"),
    ("Kim\u200bJong\u00adUn\ufeff", "KimJongUn"),
    ("Kontroll\x00zeichen\x07 weg", "Kontrollzeichen weg"),
    ("<p>Putin &amp; Kim</p><p>treffen sich&nbsp;in Pjöngjang</p>", "Putin & Kim\n\ntreffen sich in Pjöngjang"),
    ("<script>alert(1)</script>Text", "Text"),
    ("Zeile 1\r\nZeile 2\r\n\r\n\r\n\r\nAbsatz", "Zeile 1\nZeile 2\n\nAbsatz"),
    ("  viele   Leerzeichen\t hier  ", "viele Leerzeichen hier"),
    ("3 < 5 und 7 > 4", "3 < 5 und 7 > 4"),  # not HTML: kept literally
])
def test_clean_text(raw, clean):
    assert clean_text(raw) == clean


def test_html_can_be_kept_literally():
    assert clean_text("<b>fett</b>", html_markup="keep") == "<b>fett</b>"


# what the cleaning drops or folds, written out: zero-width characters, soft hyphen, BOM and the
# control characters but tab and newline; the space characters besides " "
INVISIBLE = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad",
             *map(chr, range(0x00, 0x09)), "\x0b", "\x0c", *map(chr, range(0x0e, 0x20)), *map(chr, range(0x7f, 0xa0))}
SPACES = {"\t", "\u00a0", *map(chr, range(0x2000, 0x200b)), "\u202f", "\u205f", "\u3000"}
MESSY = st.lists(st.sampled_from(["Kim", "Größe", "Kyjiw", " ", "  ", "\n", "\n\n\n", " \n ", "\r\n", "\r",
                                  "\u2028", "\x85", *sorted(INVISIBLE), *sorted(SPACES)]), max_size=60).map("".join)


@given(MESSY)
@settings(max_examples=500, deadline=None)
def test_invisible_characters_are_dropped_and_nothing_else(text):
    lines = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    assert remove_invisible(text) == "".join(c for c in lines.replace("\x85", "\n") if c not in INVISIBLE)


@pytest.mark.parametrize("space", sorted(SPACES))
def test_each_space_character_alone_becomes_a_space(space):
    assert normalize_whitespace(f"Kim{space}Jong {space}Un{space}") == "Kim Jong Un"


@given(MESSY)
@settings(max_examples=500, deadline=None)
def test_whitespace_is_folded_and_the_words_kept(text):
    folded = normalize_whitespace(remove_invisible(text))
    assert folded.split() == remove_invisible(text).split()
    assert not any(c in folded for c in SPACES)
    assert "  " not in folded and " \n" not in folded and "\n " not in folded and "\n\n\n" not in folded
    assert folded == folded.strip() and normalize_whitespace(folded) == folded


@given(st.lists(st.sampled_from(["Kim", "Jong", "Un", "Größe", "Ukraine-Krieg", "a" * 300, " ", "  ", "\n", "\t",
                                 "\u00a0", "\n\n "]), max_size=400), st.integers(0, 300))
@settings(max_examples=300, deadline=None)
def test_one_line_is_the_start_of_the_joined_words(pieces, limit):
    text = "".join(pieces)
    assert one_line(text, limit=limit) == " ".join(text.split())[:limit]
    assert one_line(text) == " ".join(text.split())


def test_previews_of_a_long_article_are_its_opening():
    from analysis.corpus.records import EXCERPT, excerpt
    from analysis.validation.intrusion import snippet

    article = "\n\n".join(datasets.load_gnad10().corpus["text"].head(300))
    assert excerpt(article) == " ".join(article.split())[:EXCERPT]
    preview = snippet(pd.Series({"text": article, "title": "Langtext"}), max_chars=400)
    opening = " ".join(article.split())[:400].rsplit(" ", 1)[0]
    assert preview == f"Langtext\n\n{opening} …"
