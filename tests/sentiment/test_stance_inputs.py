"""The stance model's per-mention inputs, shared per sentence, equal those of one analysis per mention."""

import numpy as np
import pandas as pd
import pytest

from analysis.sentiment.classifier import PLACEHOLDER, mark_target
from analysis.sentiment.lexicons import load_lexicon, load_modifiers
from analysis.sentiment.rules import analyse
from analysis.sentiment.stance import DENSE_FEATURES, VECTOR_WEIGHT, mention_cues, mention_tokens, stance_model, training_data
from analysis.sentiment.vectors import lemma_vectors, mention_vector
from analysis.text.analysis import analyze
from analysis.text.tokenize import tokenize

GERMAN = [
    "Putin droht, Selenskyj hofft – und Scholz zögert.",
    "„Das ist eine Katastrophe“, sagte Müller über Söders Plan.",
    "Die Krise trifft Bürgerinnen hart, doch die Krise ist nicht Merkels Schuld.",
    "Im Ukraine-Krieg lobte Baerbock die Nato, während Lawrow die Nato scharf kritisierte.",
    "Scholz",
    "Kritiker werfen Scholz Versagen vor; Scholz weist das zurück!",
]
ENGLISH = [
    "Critics slammed Johnson, but Johnson's allies praised Johnson's courage.",
    "Hope is fading for Biden's plan, says Pelosi.",
    "\"A disaster,\" said Trump about Harris' speech in Nürnberg.",
    "Putin",
]


def _mentions(texts, targets):
    """Every occurrence of each target in each text (several per sentence, at the start and the end)."""
    rows = []
    for text in texts:
        for target in targets:
            start = text.find(target)
            while start >= 0:
                rows.append((text, target, start, start + len(target)))
                start = text.find(target, start + 1)
    return pd.DataFrame(rows, columns=["text", "target", "target_start", "target_end"])


def _messy(lang):
    if lang == "de":
        made = _mentions(GERMAN, ["Putin", "Selenskyj", "Scholz", "Müller", "Söder", "Krise", "Merkel",
                                  "Ukraine", "Nato", "Baerbock", "Lawrow", "Katastrophe", "Bürger"])
    else:
        made = _mentions(ENGLISH, ["Johnson", "Hope", "Biden", "Pelosi", "Trump", "Harris", "disaster", "Putin"])
    gold, _, _ = training_data(lang)
    no_target = pd.DataFrame({"text": [made["text"].iloc[0]], "target": [None]})
    # repeated sentences (the same mention twice, far apart) and gold mentions sharing their sentences
    return pd.concat([made, gold.iloc[:400], made.iloc[::-1], no_target], ignore_index=True)


def _reference_inputs(model, X):
    """The inputs as computed before sentences were shared: one lexicon analysis and one tokenising per mention."""
    texts = X["text"].tolist()
    spans = [None if pd.isna(s) else (int(s), int(e)) for s, e in zip(X["target_start"], X["target_end"])]
    lexicon, modifiers = load_lexicon(model.lang), load_modifiers(model.lang)
    weight = VECTOR_WEIGHT[model.lang]
    vectors = lemma_vectors(model.lang) if weight else None
    dense = np.zeros((len(texts), len(DENSE_FEATURES) + (4 * vectors.dim if vectors else 0)))
    cues, words, counts = [], [], np.zeros((len(texts), 2), dtype="int64")
    for i, (text, span) in enumerate(zip(texts, spans)):
        analysis = analyse(text, span, lang=model.lang, lexicon=lexicon, modifiers=modifiers)
        tokens, dense[i, :len(DENSE_FEATURES)] = mention_cues(analysis, span)
        if vectors:
            first, last = mention_tokens(analysis.source, span)
            dense[i, len(DENSE_FEATURES):] = weight * mention_vector(analysis.lemmas, first, last, vectors,
                                                                     in_clause=analysis.context >= 1.0)
        cues.append(tokens)
        counts[i] = analysis.n_words, analysis.n_matched
        words.append(_reference_mark_target(text, span))
    return {"words": words, "cues": cues}, dense, counts


def _reference_mark_target(text, span):
    """The target-marked text as made before: the whole text on each side of the target tokenised."""
    if span is None:
        return text
    left = [w.lower() for w in tokenize(text[:span[0]]) if w[:1].isalnum()][-3:]
    right = [w.lower() for w in tokenize(text[span[1]:]) if w[:1].isalnum()][:3]
    sides = " ".join([f"l_{w}" for w in left] + [f"r_{w}" for w in right])
    return f"{text[:span[0]]} {PLACEHOLDER} {text[span[1]:]} {sides}"


LONG_CHUNK = "Verhandlungs-" * 12 + "runde"  # 161 characters without whitespace


@pytest.mark.parametrize("text, target", [
    ("Im Ukraine-Krieg verhandelt Selenskyj.", "Ukraine"),  # the target cuts a hyphenated token
    (f"{LONG_CHUNK} mit Putin und {LONG_CHUNK}", "Putin"),  # side words beyond the first window
    (f"Laut {LONG_CHUNK}:Putin;{LONG_CHUNK}", "Putin"),  # no whitespace near the target at all
    ("Siehe https://www.example.org/putin-rede?x=1 (Putin) und kontakt@kreml.ru, sagt Söder…", "Putin"),
    ("Putin", "Putin"),
    ("— „Scholz!“ —", "Scholz"),
    ("Merkel: " + "sehr, " * 40 + "gut", "Merkel"),  # punctuation only for many characters
    ("Zu viel " + "\u00a0 \t" * 30 + " Müller\n\n" + "ÄÖÜ ß " * 30, "Müller"),  # unusual whitespace
    ("Biden didn't say it,wasn't he?Biden's  aides", "Biden's"),
])
def test_marked_target_equals_tokenising_the_whole_text(text, target):
    start = text.find(target)
    for span in [(start, start + len(target)), (start + 2, start + 3), (0, 1), (len(text) - 1, len(text))]:
        assert mark_target(text, span) == _reference_mark_target(text, span)


@pytest.mark.parametrize("lang", ["de", "en"])
def test_inputs_and_scores_equal_one_analysis_per_mention(lang):
    model, X = stance_model(lang), _messy(lang)
    assert X["text"].duplicated().sum() > 25 and X.duplicated().sum() > 10  # shared and repeated sentences
    blocks, dense, counts = model._inputs(X)
    expected_blocks, expected_dense, expected_counts = _reference_inputs(model, X)
    assert blocks == expected_blocks
    np.testing.assert_array_equal(dense, expected_dense)
    np.testing.assert_array_equal(counts, expected_counts)
    details = model.score_details(X)
    proba, column = model._proba(expected_blocks, expected_dense), list(model.classes_)
    np.testing.assert_array_equal(details["score"], proba[:, column.index("positive")] - proba[:, column.index("negative")])
    assert details["label"].tolist() == model.classes_[np.argmax(proba, axis=1)].tolist()
    assert details["n_tokens"].tolist() == expected_counts[:, 0].tolist() == [  # outside the clause counts half
        analyze(text, lang=lang).kinds.count("word") for text in X["text"]]
    assert details["label"].nunique() == 3  # the sample reaches every label: the comparison covers them all
