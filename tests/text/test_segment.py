"""Sentence and paragraph splitting on German news conventions."""

import pytest

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
