"""Sentence and paragraph splitting on German news conventions."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.text import sentence_spans, split_paragraphs, split_sentences

CASES = [
    ("Am 24. Februar griff Russland an. Das war der Beginn.",
     ["Am 24. Februar griff Russland an.", "Das war der Beginn."]),
    ("Dr. Müller sagt, z. B. Kiew sei bedroht. Wirklich? Ja!",
     ["Dr. Müller sagt, z. B. Kiew sei bedroht.", "Wirklich?", "Ja!"]),
    ("Es kostet 3,5 Mio. Euro. Danach folgt mehr.", ["Es kostet 3,5 Mio. Euro.", "Danach folgt mehr."]),
    ("Im Jahr 2024. Danach kamen 1.500 Touristen.", ["Im Jahr 2024.", "Danach kamen 1.500 Touristen."]),
    ("„Wir kämpfen“, sagte er. „Bis zum Ende.“ Dann ging er.",
     ["„Wir kämpfen“, sagte er.", "„Bis zum Ende.“", "Dann ging er."]),
    ("Der 2. Weltkrieg endete 1945. Kim J. Un regiert.", ["Der 2. Weltkrieg endete 1945.", "Kim J. Un regiert."]),
    ("Überschrift ohne Punkt\n\nErster Absatz. zweiter Satz klein.",
     ["Überschrift ohne Punkt", "Erster Absatz. zweiter Satz klein."]),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_sentences(text, expected):
    assert split_sentences(text) == expected


def test_english_abbreviations():
    assert split_sentences("Mr. Putin met Gen. Gerasimov. They talked.", lang="en") == [
        "Mr. Putin met Gen. Gerasimov.", "They talked."]


def test_paragraphs_and_spans_cover_text():
    text = "Erster Absatz.\n\n  Zweiter Absatz, mit Satz. Und noch einer.\n\n\n"
    assert split_paragraphs(text) == ["Erster Absatz.", "Zweiter Absatz, mit Satz. Und noch einer."]
    for start, end in sentence_spans(text):
        assert text[start:end].strip() == text[start:end] and end > start


_PIECES = ["Kim", "droht", "z.", "B.", "Dr.", "24.", "J.", "Mio.", "usw.", ".", "!", "?", "…", "„", "“", "»", "–",
           "(", ")", " ", " ", "  ", "\n", "\n\n", "\u00a0", "\t", "ä", "Ü", "a", "1.500", "_x", "\u2028"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=30).map("".join), st.sampled_from(["de", "en"]))
def test_sentences_tile_the_text_but_whitespace(text, lang):
    """Sentences are trimmed, non-empty and in order, nothing but whitespace lies between or around
    them, and no sentence crosses a paragraph break (a sentence's start is found after its marks)."""
    spans = sentence_spans(text, lang=lang)
    covered = 0
    for start, end in spans:
        assert covered <= start < end
        assert not text[covered:start].strip() and text[start:end].strip() == text[start:end]
        assert not re.search(r"\n\s*\n", text[start:end])  # a paragraph break
        covered = end
    assert not text[covered:].strip()
