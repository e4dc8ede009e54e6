"""Language detection on the short texts where it is hardest: headlines, sentences with foreign names."""

import pytest

from analysis.text.language import detect_language


@pytest.mark.parametrize(("text", "lang"), [
    # German with words that are English too ("an", "in", "was", "will")
    ("Hagen – Plötzlich stürmten vier junge Männer ins Klassenzimmer und griffen einen Schüler an.", "de"),
    ("Mysteriöse Gewalttat am Donnerstagmorgen an einer Schule in Hagen.", "de"),
    ("Was er will, sagt er nicht.", "de"),
    ("Jamie Oliver verwöhnt seine Lieben in der neuen Koch-Show.", "de"),
    # English headlines whose only function words are shared ones
    ("McCain was insistent.", "en"),
    ("Donald Trump dominates in Nevada", "en"),
    ("Russia's army fights in Kursk", "en"),
])
def test_short_news_texts(text, lang):
    assert detect_language(text) == lang


def test_a_text_without_any_cue_is_not_guessed():
    assert detect_language("42 %") is None
