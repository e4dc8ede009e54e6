"""Sentence sentiment read in one pass over each document equals each sentence scored on its own.

The reference scores every sentence separately, as the kit did before the one-pass path:
the sentence's analysis cut from its document's (:func:`analysis.text.spans.excerpt`: the
document's tokens, lemmas and negation scopes) and given to ``LexiconSentiment.score_details``.
Scores must agree to the last bit, so that labels at a threshold do not flip.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.corpus.datasets import load_seed_article
from analysis.sentiment import LexiconSentiment, score_sentiment
from analysis.text.analysis import analyze, scratch
from analysis.text.spans import excerpt
from analysis.text.language import document_langs
from analysis.text.segment import split_sentences

DATA = Path(__file__).resolve().parents[1] / "data"
MESSY = {
    # a negator, an intensifier or an article at the end of a sentence must not reach into the next one
    "neg-end": ("de", "Das war es nicht. Gut war es trotzdem, sagt die Ministerin."),
    "mod-end": ("de", "Es lief sehr. Gut gemacht, lobt der Außenminister die Vermittlerinnen."),
    "article-end": ("de", "Übrig blieb nur das. Schlimmste Befürchtungen bestätigten sich nicht."),
    # a modifier at the end of a paragraph, a capitalised adjective after the break
    "paragraph": ("de", "Die Lage ist richtig\n\nGut geht es niemandem in Charkiw.\n\nKaum eine Chance."),
    # many sentiment words in one long sentence (summed to the last bit), abbreviations, gender forms
    "many": ("de", "Kaum. Die Soldat*innen hatten z.B. in Kursk keine Chance: ein brutales, grausames, "
                   "furchtbares Verbrechen, eine schreckliche Katastrophe und ein äußerst schlimmer, "
                   "tödlicher Angriff auf die Zivilbevölkerung, sehr sehr traurig und bitter."),
    # names are not evaluations, a nominalised adjective is
    "names": ("de", "„Große Koalition“ lobt Freie Wähler. Das Schlimmste ist vorbei! Die GRÜNEN und der BUND "
                    "protestieren.Gut so?"),
    "umlauts": ("de", "Überragend! Äußerst übel, hässlich und grässlich: die Übergriffe auf Flüchtlinge… "
                      "Niemand half – gar nicht gut. Ohne Hoffnung, ohne Zukunft."),
    "same-sentence": ("de", "Keine Hoffnung. Gut."),
    "same-sentence-2": ("de", "Gut."),
    "no-stop": ("de", "ukraine-krieg: putin droht erneut mit atomwaffen und eskalation"),
    "blank": ("de", "   \n\n  "),
    "en-negation": ("en", "It wasn't good. Hardly a success, but not bad either. No. Great news for Kyiv!"),
    "en-many": ("en", "The very, very brutal attack was horrific, cruel, deadly and tragic for the civilians "
                      "in the U.S. capital, a terrible, awful disaster. NATO praised the deal. Not."),
    "en-mod-end": ("en", "Prices rose extremely\n\nGood results followed. Hardly a"),
}


def _each_sentence_alone(corpus: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for doc_id, text, lang in zip(corpus["doc_id"], corpus["text"], document_langs(corpus)):
        whole = analyze(text, lang=lang)
        for position, (start, end) in enumerate(whole.sentences):
            part = excerpt(whole, start, end)
            with scratch([part]):  # score_details reads the excerpt, not a new analysis of its text
                details = LexiconSentiment(lang).score_details([part.text])
            rows.append([doc_id, f"{doc_id}#s{position}", *details.iloc[0].tolist()])
    frame = pd.DataFrame(rows, columns=["doc_id", "unit_id", "score", "label", "n_tokens", "n_matched"])
    return frame.astype({"score": float, "n_tokens": "int64", "n_matched": "int64"})


def _corpus(names) -> pd.DataFrame:
    return pd.DataFrame({"doc_id": list(names), "lang": [MESSY[n][0] for n in names],
                         "text": [MESSY[n][1] for n in names]})


@pytest.mark.filterwarnings("ignore:.*have no sentence")
def test_messy_german_and_english_sentences_score_as_if_each_stood_alone():
    corpus = _corpus(MESSY)
    scored = score_sentiment(corpus, unit="sentence")
    pd.testing.assert_frame_equal(scored, _each_sentence_alone(corpus), check_exact=True)
    by_unit = scored.set_index("unit_id")
    # what the boundaries protect: the same words score the same after whatever ended the sentence before
    assert by_unit.loc["same-sentence#s1", "score"] == by_unit.loc["same-sentence-2#s0", "score"] > 0.5
    assert by_unit.loc["neg-end#s1", "label"] == "positive" and by_unit.loc["mod-end#s1", "label"] == "positive"
    assert by_unit.loc["many#s1", "n_matched"] >= 8
    assert "blank" not in set(scored["doc_id"])


def test_a_real_mixed_corpus_and_a_long_article_score_as_sentence_by_sentence():
    mixed = pd.read_csv(DATA / "mixed_de_en.csv")[["doc_id", "text"]]
    corpus = pd.concat([mixed.iloc[::6], pd.DataFrame({"doc_id": ["seed-x3"], "text": [
        "\n\n".join([load_seed_article().corpus["text"].iloc[0]] * 3)]})], ignore_index=True)
    scored = score_sentiment(corpus, unit="sentence")
    assert scored["doc_id"].nunique() == len(corpus) and (scored["n_matched"] >= 3).sum() > 20
    pd.testing.assert_frame_equal(scored, _each_sentence_alone(corpus), check_exact=True)


def test_score_sentences_matches_scoring_each_sentence_text():
    texts = [MESSY[name][1] for name in ("neg-end", "mod-end", "many", "umlauts", "blank")]
    model = LexiconSentiment("de", thresholds=(-0.3, 0.4))
    scored = model.score_sentences(texts)
    sentences = [sentence for text in texts for sentence in split_sentences(text, lang="de")]
    expected = model.score_details(sentences)
    pd.testing.assert_frame_equal(scored.drop(columns=["row", "sentence"]), expected, check_exact=True)
    assert scored["row"].tolist() == [i for i, text in enumerate(texts) for _ in split_sentences(text, lang="de")]
    with pytest.raises(ValueError, match="without a 'target'"):
        model.score_sentences(pd.DataFrame({"text": ["Putin droht."], "target": ["Putin"]}))


def test_scores_stay_the_same_when_the_word_caches_fill_up(monkeypatch):
    # an archive with a growing vocabulary fills the per-word caches; once full they start afresh,
    # and a text mixing words seen before with new ones must score as it did (was a KeyError)
    from analysis.sentiment import token_columns
    from analysis.text import negation

    texts = ["Die Verhandlungen sind nicht gescheitert, aber die Lage bleibt schlecht.",
             "Skeptisch äußerte sich die Regierung über den brüchigen Waffenstillstand.",
             "Die Verhandlungen sind gescheitert; skeptisch bleibt auch Kiew, kein Erfolg."]
    expected = LexiconSentiment("de").score_sentences(texts)
    monkeypatch.setattr(token_columns, "_ENTRIES_SIZE", 5)
    monkeypatch.setattr(negation, "_CODES_SIZE", 5)
    monkeypatch.setattr(token_columns, "_ENTRIES", {})
    monkeypatch.setattr(negation, "_CODES", {})
    for text in texts[:2]:  # fill the caches past their size
        LexiconSentiment("de").score_sentences([text])
    pd.testing.assert_frame_equal(LexiconSentiment("de").score_sentences(texts), expected)


@pytest.mark.parametrize("vocabulary_from", [0, 10**9])
def test_long_and_short_texts_find_the_same_lexicon_words(monkeypatch, vocabulary_from):
    # a long text's words are looked up through its vocabulary, a sentence's token by token:
    # both ways must give every document the same sentence scores, whether the words are new or known
    from analysis.sentiment import token_columns

    corpus = load_seed_article().corpus
    expected = score_sentiment(corpus, unit="sentence")
    monkeypatch.setattr(token_columns, "_VOCABULARY_FROM", vocabulary_from)
    for cache in ({}, None):  # every word new, then every word known
        if cache is not None:
            monkeypatch.setattr(token_columns, "_ENTRIES", cache)
        pd.testing.assert_frame_equal(score_sentiment(corpus, unit="sentence"), expected)


def test_texts_read_as_one_slice_score_as_each_text_alone():
    # a slice's texts are read as one run of tokens: what ends one text (an intensifier, an article,
    # a negator, a capitalised word) must not reach into the next, analysed with the slice or not
    from analysis.sentiment.lexicons import load_lexicon, load_modifiers
    from analysis.sentiment.rules import analyse_many, analyse_mentions, sentence_scores_many
    from analysis.text import analysis as shared
    from analysis.text.many import analyze_many

    texts = ["Die Lage ist sehr", "gut, sagt Kiew.", "Übrig blieb das", "Schlimmste Befürchtungen.", "",
             "Das war nicht", "Gut!", "Die Große", "Koalition scheitert kläglich."]
    lexicon, modifiers = load_lexicon("de"), load_modifiers("de")
    shared.clear_cache()
    alone = [sentence_scores_many([analyze(text, lang="de")], lexicon, modifiers)[0] for text in texts]
    assert alone[1][0][0] == alone[6][0][0] > 0.7  # "gut" as after a full stop: neither intensified nor negated
    shared.clear_cache()
    for made in (analyze_many(texts, langs=["de"] * len(texts)),  # gathered from the chunk vocabulary
                 [analyze(text, lang="de") for text in texts]):  # looked up text by text
        together = sentence_scores_many(made, lexicon, modifiers)
        for got, expected in zip(together, alone):
            assert all(a.tolist() == b.tolist() for a, b in zip(got, expected))
    items = [(text, [None, (0, min(3, len(text)))]) for text in texts]
    read = analyse_many(items, lang="de", lexicon=lexicon, modifiers=modifiers)
    for (text, spans), analyses in zip(items, read):
        one = analyse_mentions(text, spans, lang="de", lexicon=lexicon, modifiers=modifiers)
        assert [(a.polarity, a.n_words, a.n_matched) for a in analyses] == \
            [(a.polarity, a.n_words, a.n_matched) for a in one]


def test_two_lexicons_read_in_turn_keep_their_own_token_values(monkeypatch):
    # the report's pass reads each slice with the combined lexicon (document sentiment) and then with the
    # stance model's: each keeps its own column of token values, so a slice's tokens are made once per
    # lexicon, not again whenever the other one was read in between (that made the 1M pass a third slower)
    import uuid

    import numpy as np

    from analysis.sentiment import token_columns
    from analysis.sentiment.lexicons import load_lexicon, load_modifiers
    from analysis.text.many import analyze_many

    made = []
    original = token_columns._token_values
    monkeypatch.setattr(token_columns, "_token_values", lambda *args: made.append(len(args[3])) or original(*args))
    new_word = f"Waffenstillstandsgespräch{uuid.uuid4().hex}"  # no earlier test has met it
    texts = [f"Die {new_word} ist gescheitert, sagt Kiew.", "Sehr gut: kein Erfolg für die Große Koalition.",
             "NATO-Gipfel in Vilnius: Hoffnung und Sorge."]
    analyses = analyze_many(texts, langs=["de"] * len(texts))
    lexicons, modifiers = (load_lexicon("de"), load_lexicon("de", ("sentiws",))), load_modifiers("de")
    first = [token_columns.token_columns(analyses, lexicon, modifiers) for lexicon in lexicons]
    assert len(made) == 2 and all(made)  # each lexicon made the new tokens' values
    again = [token_columns.token_columns(analyses, lexicon, modifiers) for lexicon in lexicons]
    assert len(made) == 2  # and neither made them again
    for before, after in zip(first, again):
        assert all(np.array_equal(a, b) for a, b in zip(before, after))
    assert not np.array_equal(first[0].weight, first[1].weight)  # the two lexicons weigh differently
