"""Language detection on the short texts where it is hardest: headlines, sentences with foreign names."""

import pytest

from analysis.text.language import detect_language

# German with words that are English too ("an", "in", "was", "will")
GERMAN = ["Hagen – Plötzlich stürmten vier junge Männer ins Klassenzimmer und griffen einen Schüler an.",
          "Mysteriöse Gewalttat am Donnerstagmorgen an einer Schule in Hagen.",
          "Was er will, sagt er nicht.",
          "Jamie Oliver verwöhnt seine Lieben in der neuen Koch-Show."]
# English headlines whose only function words are shared ones
ENGLISH = ["McCain was insistent.", "Donald Trump dominates in Nevada", "Russia's army fights in Kursk"]


@pytest.mark.parametrize("text", GERMAN)
def test_german_sentences_with_words_english_shares(text):
    assert detect_language(text) == "de"


@pytest.mark.parametrize("text", ENGLISH)
def test_english_headlines_with_only_shared_function_words(text):
    assert detect_language(text) == "en"


def test_a_text_without_any_cue_is_not_guessed():
    assert detect_language("42 %") is None
