"""Document sentiment as the balance of its positive and negative sentences.

A document's ``score`` is ``(n_positive - n_negative) / n_sentences``: the share of positive
sentences minus the share of negative ones, in [-1, 1]. Why this scale and not the lexicon
polarity of the whole text: that polarity is a squashed *sum* of word polarities, so it
grows with every sentiment word and saturates on long texts (on the bundled 10kGNAD articles
70 % of the documents scored |score| > 0.9, and |score| rose with length, Spearman ρ 0.43). A
share does neither: one evaluative sentence in a long report moves it little, a uniformly
hostile text still reaches -1, and its size is (nearly) independent of length
(``benchmarks/sentiment.py`` prints both figures). The mean of the sentence polarities also
stays bounded but shrinks with length (ρ ≈ -0.2), because neutral sentences pull it to 0 and
averages of many sentences vary less.

Sentences are labelled with thresholds tuned for macro-F1 on sentence-level gold, not set by
hand: the lexicon polarity of the whole sentence (no target) against the human labels of
GerNTSA's public split (German) and NewsMTSC's training split (English), stored in
``analysis/resources/sentiment/sentence-thresholds.json`` (rebuild:
``python -m analysis.sentiment.documents --rebuild``). A document's ``label`` is the
plurality of its polar sentences: ``positive`` when it has more positive than negative
sentences, ``negative`` when fewer, ``neutral`` on a tie (also when it has none).

>>> import pandas as pd
>>> sentences = pd.DataFrame({"doc_id": ["a", "a", "a", "a", "b"], "score": [0.9, 0.8, -0.9, 0.0, 0.1],
...                           "label": ["positive", "positive", "negative", "neutral", "neutral"],
...                           "n_tokens": [5, 6, 4, 7, 3], "n_matched": [2, 2, 2, 0, 1]})
>>> sentence_balance(sentences, ["a", "b", "c"]).values.tolist()
[['a', 'a', 0.25, 'positive', 22, 6], ['b', 'b', 0.0, 'neutral', 3, 1], ['c', 'c', 0.0, 'neutral', 0, 0]]
"""

from __future__ import annotations

import argparse
import json
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.sentiment.inputs import LABELS

THRESHOLDS = Path(__file__).resolve().parents[1] / "resources" / "sentiment" / "sentence-thresholds.json"
COLUMNS = ("doc_id", "unit_id", "score", "label", "n_tokens", "n_matched")


@lru_cache(maxsize=1)
def _stored_thresholds() -> dict:
    return json.loads(THRESHOLDS.read_text(encoding="utf-8"))["thresholds"]


def sentence_thresholds(lang: str) -> tuple[float, float]:
    """``(lower, upper)`` on the lexicon polarity of a sentence, tuned on sentence gold of ``lang``."""
    stored = _stored_thresholds()
    if lang not in stored:
        raise ValueError(f"no tuned sentence thresholds for {lang!r}; there are {sorted(stored)}.")
    lower, upper = stored[lang]
    return float(lower), float(upper)


def label_sentences(scores, langs) -> np.ndarray:
    """Each sentence's label from its lexicon polarity and the tuned thresholds of its language."""
    scores, langs = np.asarray(scores, dtype=float), np.asarray(langs, dtype=object)
    labels = np.full(len(scores), LABELS[1], dtype=object)
    for lang in pd.unique(langs):
        lower, upper = sentence_thresholds(lang)
        mine = langs == lang
        labels[mine & (scores > upper)] = LABELS[2]
        labels[mine & (scores < lower)] = LABELS[0]
    return labels


def sentence_balance(sentences: pd.DataFrame, doc_ids) -> pd.DataFrame:
    """Per document: the balance of positive and negative sentences (see the module docstring).

    ``sentences``: one row per sentence with ``doc_id, label, n_tokens, n_matched``; ``doc_ids``:
    every document, in output order (documents without a sentence score 0, neutral). One row
    per document; columns ``doc_id, unit_id`` (= ``doc_id``), ``score``, ``label``,
    ``n_tokens`` and ``n_matched`` (summed over the sentences).
    """
    groups, ids = pd.factorize(sentences["doc_id"])  # a missing doc_id: group -1, left out
    has = groups >= 0
    columns = (sentences[column].to_numpy()[has] for column in ("label", "n_tokens", "n_matched"))
    sums = _sentence_sums(groups[has], *columns, len(ids) + 1)  # the last group: documents without a sentence
    index = pd.Index(list(doc_ids), name="doc_id")
    at = pd.Index(ids).get_indexer(index)
    return _balance_table(index, sums[:, np.where(at >= 0, at, len(ids))])


def balance_of_rows(rows, labels, n_tokens, n_matched, doc_ids) -> pd.DataFrame:
    """:func:`sentence_balance` of sentences given as arrays, each by its document's position ``rows`` in
    ``doc_ids`` (unique), without a doc_id per sentence.

    >>> labels = ["positive", "negative", "positive"]
    >>> balance_of_rows([0, 0, 2], labels, [3, 4, 5], [1, 1, 1], ["a", "b", "c"]).values.tolist()
    [['a', 'a', 0.0, 'neutral', 7, 2], ['b', 'b', 0.0, 'neutral', 0, 0], ['c', 'c', 1.0, 'positive', 5, 1]]
    """
    index = pd.Index(list(doc_ids), name="doc_id")
    return _balance_table(index, _sentence_sums(np.asarray(rows, dtype=np.int64), np.asarray(labels, dtype=object),
                                                n_tokens, n_matched, len(index)))


def _sentence_sums(groups: np.ndarray, labels: np.ndarray, n_tokens, n_matched, n_groups: int) -> np.ndarray:
    """Per group (``groups``: each sentence's, 0 … n_groups - 1): its positive and negative sentences, its
    sentences, and their summed ``n_tokens`` and ``n_matched``, as five int64 rows."""
    def count(weights=None):
        return np.bincount(groups, weights=weights, minlength=n_groups)

    return np.stack([count(labels == LABELS[2]), count(labels == LABELS[0]), count(),
                     count(np.asarray(n_tokens, dtype=np.int64)), count(np.asarray(n_matched, dtype=np.int64))]
                    ).astype(np.int64)


def _balance_table(index: pd.Index, sums: np.ndarray) -> pd.DataFrame:
    """The documents of ``index`` with their score and label from ``sums`` (:func:`_sentence_sums`, in its order)."""
    pos, neg, n, n_tokens, n_matched = sums
    label = np.select([pos > neg, pos < neg], [LABELS[2], LABELS[0]], LABELS[1])
    return pd.DataFrame({"doc_id": index.to_numpy(), "unit_id": index.to_numpy(),
                         "score": ((pos - neg) / np.maximum(n, 1)).astype(float), "label": label.astype(object),
                         "n_tokens": n_tokens, "n_matched": n_matched})[list(COLUMNS)]


def tune_sentence_thresholds(langs=("de", "en")) -> dict:
    """Thresholds maximising macro-F1 of the whole-sentence lexicon polarity on the bundled gold."""
    from analysis.sentiment.lexicon import LexiconSentiment
    from analysis.sentiment.stance import training_data

    tuned = {}
    for lang in langs:
        X, y, _ = training_data(lang)
        tuned[lang] = list(LexiconSentiment(lang).fit(X["text"].tolist(), y).thresholds_)
    return tuned


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="Sentence thresholds of the document balance scale.")
    parser.add_argument("--rebuild", action="store_true", help="tune them again on data/raw and overwrite the file")
    if parser.parse_args(argv).rebuild:
        record = {"source": "LexiconSentiment (no target) tuned for macro-F1 on GerNTSA public (de) and NewsMTSC "
                            "train (en); python -m analysis.sentiment.documents --rebuild",
                  "thresholds": tune_sentence_thresholds()}
        THRESHOLDS.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
        _stored_thresholds.cache_clear()
        print(f"wrote {THRESHOLDS}: {record['thresholds']}")
    else:
        parser.print_help()


if __name__ == "__main__":
    main()
