"""The analysis of a very long document: memory per token that does not depend on the text.

Time and peak memory are measured in ``benchmarks/document_size.py``; here only what cannot
flake: the results, and the size of the per-token columns.
"""

from __future__ import annotations

import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.corpus import datasets
from analysis.text import Preprocessor
from analysis.text.analysis import analyze
from analysis.text.spans import excerpt
from analysis.text.tokenize import text_pieces, tokenize, tokenize_spans


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


@given(st.text(alphabet="ab ü-.\n\t\u00a0", max_size=80), st.integers(1, 12))
@settings(max_examples=300, deadline=None)
def test_text_pieces_tile_the_text_at_whitespace(text, size):
    pieces = list(text_pieces(text, size=size))
    assert "".join(pieces) == text
    assert [chunk for piece in pieces for chunk in piece.split()] == text.split()
    assert [token for piece in pieces for token in tokenize(piece)] == tokenize(text)
    assert not any(ch.isspace() for piece in pieces for ch in piece[size:])  # cut at the first space after size


def test_a_long_text_is_split_and_preprocessed_piece_by_piece_with_the_same_result():
    text = _long_text()
    pieces = list(text_pieces(text, size=5_000))
    assert len(pieces) > 10 and max(map(len, pieces)) < 5_100
    preprocessor = Preprocessor(lang="de")
    assert preprocessor(text) == [term for piece in pieces for term in preprocessor(piece)]
    words = [w for piece in pieces for w in analyze(piece, lang="de").words]
    assert analyze(text, lang="de").words == tuple(words)


def test_each_new_token_is_classified_for_negation_once_with_the_same_flags(monkeypatch):
    import analysis.text.negation as negation

    words = analyze(_long_text(), lang="de").words
    expected = negation.negation_scope(words, lang="de")
    calls = []

    def counting(tokens, lang):
        calls.extend(tokens)
        return codes(tokens, lang)

    codes = negation._codes
    monkeypatch.setattr(negation, "_codes", counting)
    monkeypatch.setattr(negation, "_CODES", {})
    assert negation.negation_scope(words, lang="de") == expected and any(expected)
    assert len(calls) == len(set(calls)) == len(set(words)) < len(words) / 3
