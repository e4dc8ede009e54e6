"""The stance model's per-mention inputs and scores, shared per sentence and computed in batches, equal
those of one analysis per mention and the scikit-learn matrix they were first computed with, to the last bit.

The references below are the implementations as they were before the speed-ups (verbatim)."""

import math

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.preprocessing import normalize

from analysis.sentiment.classifier import PLACEHOLDER, mark_target
from analysis.sentiment.lexicons import load_lexicon, load_modifiers
from analysis.sentiment.rules import analyse
from analysis.corpus.datasets import load_conflict_corpus, load_gnad10
from analysis.frames import find_actors
from analysis.sentiment.rules import squash
from analysis.sentiment.stance import _BLOCKS, VECTOR_WEIGHT, stance_model, training_data
from analysis.sentiment.stance_cues import DENSE_FEATURES, NEAR, QUOTES, mention_cues, mention_tokens
from analysis.sentiment.vectors import lemma_vectors, mention_vector, mention_vectors
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
    # repeated sentences (the same mention twice, far apart), gold mentions sharing their sentences and
    # actor mentions in whole bundled news articles (many per text, some inside a longer word)
    return pd.concat([made, gold.iloc[:400], _article_mentions(lang), made.iloc[::-1], no_target], ignore_index=True)


def _article_mentions(lang, n_docs=6):
    corpus = (load_gnad10() if lang == "de" else load_conflict_corpus()).corpus.head(n_docs)
    found = find_actors(corpus)
    texts = dict(zip(corpus["doc_id"], corpus["text"]))
    return pd.DataFrame({"text": [texts[d] for d in found["doc_id"]], "target": found["mention"].to_numpy(),
                         "target_start": found["start"].to_numpy(), "target_end": found["end"].to_numpy()})


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
        tokens, dense[i, :len(DENSE_FEATURES)] = _reference_cues(analysis, span)
        if vectors:
            first, last = mention_tokens(analysis.source, span)
            dense[i, len(DENSE_FEATURES):] = weight * _reference_vector(analysis.lemmas, first, last, vectors,
                                                                        in_clause=analysis.context >= 1.0)
        cues.append(tokens)
        counts[i] = analysis.n_words, analysis.n_matched
        words.append(_reference_mark_target(text, span))
    return {"words": words, "cues": cues}, dense, counts


def _reference_cues(analysis, span):
    """``mention_cues`` as it was: one mention at a time."""
    source, contribution = analysis.source, analysis.contribution
    words, kinds, lemmas = source.words, source.kinds, analysis.lemmas
    first, last = mention_tokens(source, span)
    in_clause = analysis.context >= 1.0
    clause_flags, negated = in_clause.tolist(), analysis.negated.tolist()
    kept = [i for i, kind in enumerate(kinds) if kind == "word" and not first <= i <= last]
    lemma = {i: "_".join(lemmas[i].split()) if " " in lemmas[i] else lemmas[i] for i in kept}
    cues = []
    for prefix, wanted in (("w:", None), ("c:", clause_flags), ("n:", negated)):  # every word, in clause, negated
        cues.extend(prefix + lemma[i] for i in kept if wanted is None or wanted[i])
    if first >= 0:
        windows = (("l:", range(max(first - NEAR, 0), first)), ("r:", range(last + 1, last + 1 + NEAR)),
                   ("l1:", [first - 1]), ("r1:", [last + 1]))
        for prefix, positions in windows:
            cues.extend(prefix + lemma[i] for i in positions if i in lemma)
    hits = np.flatnonzero(analysis.prior).tolist()
    values = contribution[hits].tolist()
    for i, value in zip(hits, values):
        if i in lemma:
            cues.extend(_reference_lexicon_cues(value, i, first, last, clause_flags[i], negated[i]))
    if first >= 0:
        before = words[first - 1] if first > 0 else None
        cues.append("pos%d" % (4 * first // max(len(words), 1)))
        if before is None or before in ".!?:" or before in QUOTES:
            cues.append("pos:start")
    if not QUOTES.isdisjoint(words):
        cues.append("quote")
    in_clause = [clause_flags[i] for i in hits]
    clause = [v for v, inside in zip(values, in_clause) if inside]
    masses = (sum(clause), sum(v for v in values if v > 0), -sum(v for v in values if v < 0),
              sum(v for v in clause if v > 0), -sum(v for v in clause if v < 0))
    return " ".join(cues), np.array([squash(sum(values)), *map(math.tanh, masses)])


def _reference_lexicon_cues(value, i, first, last, in_clause, negated):
    """The cues of one lexicon word of the sentence (sign, clause, side, nearness, negation)."""
    sign = "+" if value > 0 else "-"
    if first < 0:
        side, distance = "t", None
    elif i < first:
        side, distance = "l", first - i
    else:
        side, distance = "r", i - last
    out = ["lex" + sign, "lex" + sign + ("c" if in_clause else "o"), "lex" + sign + side]
    if distance is not None and distance <= NEAR:
        out.append("lex" + sign + "near")
    if negated:
        out.append("lex" + sign + "neg")
    return out


def _reference_vector(lemmas, first, last, vectors, *, near=5, in_clause=None):
    """``mention_vector`` as it was: one mention at a time, all tokens weighted, then the known ones selected."""
    ids = np.fromiter((vectors.index.get(lemma, -1) for lemma in lemmas), dtype=np.int64, count=len(lemmas))
    positions = np.arange(len(ids))
    if first >= 0:
        left, right = positions < first, positions > last
        distance = np.where(left, first - positions, positions - last)
    else:
        left = right = np.zeros(len(ids), bool)
        distance = np.zeros(len(ids), np.int64)
    outside = left | right if first >= 0 else np.ones(len(ids), bool)
    clause = np.asarray(in_clause, bool) if in_clause is not None else np.ones(len(ids), bool)
    weights = np.vstack([left & (distance <= near), right & (distance <= near),
                         outside / (1.0 + np.abs(distance)), outside & clause]).astype(float)
    known = ids >= 0
    means = weights[:, known] @ vectors.table[ids[known]]
    size = np.linalg.norm(means, axis=1, keepdims=True)
    return (means / np.where(size > 0, size, 1.0)).ravel()


def _reference_proba(model, blocks, dense):
    """The probabilities as computed before: scikit-learn's CountVectorizer and one sparse matrix of all features."""
    parts = []
    for name, docs in blocks.items():
        counts = CountVectorizer(vocabulary=model.vocabularies_[name], dtype=np.float64, **_BLOCKS[name]).transform(docs)
        counts.data = 1.0 + np.log(counts.data)
        weighted = counts @ sp.diags(model.idf_[name])
        parts.append(normalize(weighted) if weighted.shape[0] else weighted)
    scores = sp.hstack([*parts, sp.csr_matrix(dense)], format="csr") @ model.coef_.T + model.intercept_
    scores = np.exp(scores - scores.max(axis=1, keepdims=True))
    return scores / scores.sum(axis=1, keepdims=True)


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
    proba, column = _reference_proba(model, expected_blocks, expected_dense), list(model.classes_)
    np.testing.assert_array_equal(details["score"], proba[:, column.index("positive")] - proba[:, column.index("negative")])
    np.testing.assert_array_equal(model.predict_proba(X), proba)
    assert details["label"].tolist() == model.classes_[np.argmax(proba, axis=1)].tolist()
    assert details["n_tokens"].tolist() == expected_counts[:, 0].tolist() == [  # outside the clause counts half
        analyze(text, lang=lang).kinds.count("word") for text in X["text"]]
    assert details["label"].nunique() == 3  # the sample reaches every label: the comparison covers them all
    lexicon, modifiers = load_lexicon(lang), load_modifiers(lang)
    for text, start, end in zip(X["text"][::20], X["target_start"][::20], X["target_end"][::20]):
        span = None if pd.isna(start) else (int(start), int(end))
        analysis = analyse(text, span, lang=lang, lexicon=lexicon, modifiers=modifiers)
        cues, numbers = mention_cues(analysis, span)
        expected_cues, expected_numbers = _reference_cues(analysis, span)
        assert cues == expected_cues and numbers.tolist() == expected_numbers.tolist()


@pytest.mark.parametrize("lang", ["de", "en"])
def test_one_mention_at_a_time_gives_what_a_batch_gives(lang):
    model, X = stance_model(lang), _messy(lang).iloc[::7]
    single = pd.concat([model.score_details(X.iloc[[i]]) for i in range(len(X))], ignore_index=True)
    pd.testing.assert_frame_equal(single, model.score_details(X), check_exact=True)
    assert model.score_details(X.iloc[:0]).empty and model.predict_proba(X.iloc[:0]).shape == (0, 3)


def test_mention_vectors_equal_one_mention_at_a_time():
    vectors = lemma_vectors("en")
    sentences = []
    for text in ENGLISH + ["Xqzw vbnm, qwpo!", "Putin"]:  # no lemma with a vector; one token only
        source = analyze(text, lang="en")
        n = len(source.lower_lemmas)
        mentions = [(-1, -1), (0, 0), (n - 1, n - 1), (1, min(2, n - 1))][:1 + n]
        clauses = [None, np.arange(n) % 2 == 0, np.ones(n, bool), [True] * n][:len(mentions)]
        sentences.append((source.lower_lemmas, mentions, clauses))
    together = mention_vectors(sentences, vectors)
    one_by_one = [_reference_vector(lemmas, first, last, vectors, in_clause=clause)
                  for lemmas, mentions, clauses in sentences for (first, last), clause in zip(mentions, clauses)]
    np.testing.assert_array_equal(together, np.array(one_by_one))
    assert together.shape == (len(one_by_one), 4 * vectors.dim) and not together[-4].any()  # unknown lemmas: zeros
    assert mention_vectors([], vectors).shape == (0, 4 * vectors.dim)
    np.testing.assert_array_equal(mention_vector(*sentences[0][:1], *sentences[0][1][1], vectors,
                                                 in_clause=sentences[0][2][1]), one_by_one[1])
