"""Document sentiment on the sentence balance scale, and actor sentiment with the stance model."""

import pandas as pd
import pytest

from analysis.compare.scores import DroppedDocumentsWarning
from analysis.corpus.datasets import load_seed_article
from analysis.sentiment import LABELS, actor_sentiment, score_sentiment
from analysis.sentiment.documents import label_sentences, sentence_balance, sentence_thresholds

REPORT = ("Die Verhandlungen in Genf sind gescheitert. Der Außenminister reiste am Dienstag ab. "
          "Die Gespräche sollen im März fortgesetzt werden. Beobachter loben den Mut der Vermittlerinnen.")
HOSTILE = "Der Angriff war ein brutales Verbrechen. Die Regierung versagt kläglich. Das Chaos ist furchtbar."


def test_document_scale_does_not_grow_with_length():
    corpus = pd.DataFrame({"doc_id": ["short", "long"], "text": [REPORT, " ".join([REPORT] * 12)]})
    balance = score_sentiment(corpus).set_index("doc_id")["score"]
    assert balance["short"] == pytest.approx(balance["long"])
    whole = score_sentiment(corpus, scale="text").set_index("doc_id")["score"]
    assert abs(whole["long"]) > abs(whole["short"])  # the old scale drifts toward ±1 with length


def test_a_uniformly_hostile_text_still_reaches_the_end_of_the_scale():
    scores = score_sentiment(pd.DataFrame({"doc_id": ["x"], "text": [HOSTILE]}))
    assert scores["score"].tolist() == [-1.0] and scores["label"].tolist() == ["negative"]


def test_every_document_keeps_its_row_and_counts_add_up():
    corpus = pd.DataFrame({"doc_id": ["a", "leer", "b"], "text": [REPORT, "   ", HOSTILE]})
    documents = score_sentiment(corpus)
    sentences = score_sentiment(corpus.drop(index=1), unit="sentence")
    assert documents["doc_id"].tolist() == ["a", "leer", "b"]
    assert documents.loc[1, ["score", "label", "n_tokens"]].tolist() == [0.0, "neutral", 0]
    assert documents["n_tokens"].sum() == sentences["n_tokens"].sum()
    assert list(documents.columns) == ["doc_id", "unit_id", "score", "label", "n_tokens", "n_matched"]


def test_a_documents_balance_is_that_of_its_labelled_sentences_in_either_language():
    corpus = pd.DataFrame({"doc_id": ["en", "leer", "de", "de2"], "lang": ["en", "de", "de", "de"],
                           "text": ["The attack was a brutal crime. Talks resume in March.", "", HOSTILE, REPORT]})
    with pytest.warns(DroppedDocumentsWarning, match="no sentence"):  # "leer": no sentence, no row
        sentences = score_sentiment(corpus, unit="sentence")
    langs = sentences["doc_id"].map(corpus.set_index("doc_id")["lang"])
    sentences["label"] = label_sentences(sentences["score"], langs)
    expected = sentence_balance(sentences, ["en", "leer", "de", "de2"])
    assert score_sentiment(corpus).equals(expected)
    assert expected["score"].tolist()[1:3] == [0.0, -1.0] and expected["n_tokens"].iloc[1] == 0


def test_sentence_labels_use_the_thresholds_tuned_per_language():
    lower, upper = sentence_thresholds("de")
    assert -1 <= lower <= upper <= 1
    labels = label_sentences([upper + 0.01, upper, lower - 0.01], ["de", "de", "de"])
    assert labels.tolist() == ["positive", "neutral", "negative"]
    with pytest.raises(ValueError, match="no tuned sentence thresholds for 'fr'"):
        sentence_thresholds("fr")
    with pytest.raises(ValueError, match="scale must be 'balance' or 'text'"):
        score_sentiment(pd.DataFrame({"doc_id": ["a"], "text": [REPORT]}), scale="mean")


def test_actor_sentiment_with_the_stance_model_scores_the_same_mentions():
    seed = load_seed_article().corpus
    lexicon, stance = actor_sentiment(seed), actor_sentiment(seed, method="stance")
    assert stance[["actor", "start", "end"]].equals(lexicon[["actor", "start", "end"]])
    assert stance["score"].between(-1, 1).all() and set(stance["label"]) <= set(LABELS)


def test_actor_sentiment_with_the_stance_model_reads_each_mention_in_its_language():
    corpus = pd.DataFrame({"doc_id": ["de", "en"], "lang": ["de", "en"], "text": [
        "Kritiker werfen Putin brutale Kriegsverbrechen vor. Selenskyj dankt für die großartige Hilfe.",
        "Critics accused Putin of brutal war crimes. Zelensky thanked the allies for their generous help."]})
    mentions = actor_sentiment(corpus, method="stance")
    by_doc = mentions.groupby("doc_id")["score"].apply(list).to_dict()
    assert len(by_doc["de"]) == 2 and len(by_doc["en"]) == 2
    assert by_doc["de"][0] < by_doc["de"][1] and by_doc["en"][0] < by_doc["en"][1]
    with pytest.raises(ValueError, match="'lexicon', 'stance'"):
        actor_sentiment(corpus, method="bert")
