"""The analysis of a very long document: memory per token that does not depend on the text.

Time and peak memory are measured in ``benchmarks/document_size.py``; here only what cannot
flake: the results, and the size of the per-token columns.
"""

from __future__ import annotations

import sys

from analysis.corpus import datasets
from analysis.text.analysis import analyze, excerpt
from analysis.text.tokenize import tokenize_spans


def _long_text() -> str:
    articles = datasets.load_gnad10().corpus["text"].head(60).tolist()
    return "\n\n".join(articles + [datasets.load_seed_article().corpus["text"].iloc[0]])


def test_offsets_of_a_long_text_take_eight_bytes_a_token_and_match_the_tokenizer():
    text = _long_text()
    a = analyze(text, lang="de")
    tokens = tokenize_spans(text)
    assert list(a.starts) == [t.start for t in tokens] and list(a.ends) == [t.end for t in tokens]
    assert len(a) > 20_000
    assert sys.getsizeof(a.starts) < 9 * len(a) + 1_000 and sys.getsizeof(a.ends) < 9 * len(a) + 1_000  # a list: 36
    assert isinstance(a.starts[5], int) and text[a.starts[5]:a.ends[5]] == a.words[5]


def test_excerpts_of_a_long_text_keep_relative_offsets():
    text = _long_text()
    whole = analyze(text, lang="de")
    for start, end in whole.sentences[::50]:
        part = excerpt(whole, start, end)
        assert all(part.text[s:e] == w for w, s, e in zip(part.words, part.starts, part.ends))
        assert list(part.starts) == [t.start for t in tokenize_spans(part.text)]


def test_lowercased_lemmas_are_one_string_per_lemma_shared_across_documents():
    text = _long_text()
    first, second = analyze(text, lang="de"), analyze("Die Ukraine. " + text, lang="de")
    assert first.lower_lemmas == tuple(lemma.lower() for lemma in first.lemmas)
    assert first.lower_lemmas[-1] is second.lower_lemmas[-1]
    die = [low for low in first.lower_lemmas if low == "der"]
    assert len(die) > 100 and all(low is die[0] for low in die)
