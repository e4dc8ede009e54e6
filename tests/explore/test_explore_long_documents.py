"""KWIC and word counts on very long documents: the results of each part, without token objects or
per-token strings for the whole text.

Time and memory are measured in ``benchmarks/document_size.py``.
"""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import kwic
from analysis.text.analysis import TextAnalysis

COPIES = 4


@pytest.fixture(scope="module")
def article(seed):
    return seed["text"].iloc[0]


@pytest.mark.parametrize("pattern", ["Putin", "nordkorea*", r"Kim\s+Jong\s+Un"])
def test_a_long_article_gives_each_copy_of_its_parts_the_same_lines(article, pattern):
    text = "\n\n".join([article] * COPIES)
    alone = kwic(pd.DataFrame({"doc_id": ["a"], "text": [article]}), pattern, lang="de")
    long = kwic(pd.DataFrame({"doc_id": ["a"], "text": [text]}), pattern, lang="de")
    assert len(alone) > 0 and len(long) == COPIES * len(alone)
    copies = []
    for k in range(COPIES):
        part = long.iloc[k * len(alone):(k + 1) * len(alone)].reset_index(drop=True)
        offset = k * (len(article) + 2)
        copies.append(part.assign(start=part["start"] - offset, end=part["end"] - offset))
        pd.testing.assert_frame_equal(copies[k][["match", "start", "end"]], alone[["match", "start", "end"]])
    pd.testing.assert_frame_equal(copies[1], copies[2])  # both have a copy on either side: the same contexts
    for left, match, right, start, end in long[["left", "match", "right", "start", "end"]].itertuples(index=False):
        assert text[start:end] == match
        assert text[:start].rstrip().endswith(left) and text[end:].lstrip().startswith(right)
        assert right and (left or start == 0)


def test_kwic_reads_token_offsets_not_token_objects(article, monkeypatch):
    def refuse(self):
        raise AssertionError("kwic built a Token object for every token of the document")

    monkeypatch.setattr(TextAnalysis, "tokens", property(refuse))
    corpus = pd.DataFrame({"doc_id": ["lang", "ohne"], "text": ["\n\n".join([article] * COPIES), "Das Wetter."]})
    lines = kwic(corpus, "Putin", lang="de")
    assert (lines["match"].str.startswith("Putin")).all() and len(lines) > COPIES


def test_words_of_a_long_article_are_counted_like_its_tokens(article):
    from analysis.explore.describe import count_words, document_lengths
    from analysis.text.tokenize import tokenize

    text = "\n\n".join([article] * COPIES) + " Soldat*innen, 1.500 — www.x.de"
    expected = sum(any(ch.isalpha() for ch in token) for token in tokenize(text))
    assert count_words(text) == expected
    lengths = document_lengths(pd.DataFrame({"doc_id": ["a"], "outlet": ["x"], "text": [text]}), tokens=[[]])
    assert lengths["n_words"].tolist() == [expected] and expected > COPIES * 400
