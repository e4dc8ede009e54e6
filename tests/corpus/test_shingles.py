"""Near-duplicate shingles hashed in numpy equal the Python sets of joined word 5-grams they replace."""

import random
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.corpus import datasets, shingles, similar_pairs
from analysis.corpus.shingles import shingle_matrix, word_hashes

WORD = re.compile(r"[^\W_]+")  # the oracle's own word definition


def reference_shingles(text, size=5):
    """The shingle set as the old analyzer built it: joined strings."""
    words = WORD.findall(text.lower())
    if len(words) < size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + size]) for i in range(len(words) - size + 1)}


def reference_pairs(texts, threshold):
    sets = [reference_shingles(text) for text in texts]
    pairs = {}
    for i in range(len(sets)):
        for j in range(i + 1, len(sets)):
            inter = len(sets[i] & sets[j])
            if inter and inter / len(sets[i] | sets[j]) >= threshold:
                pairs[(i, j)] = inter / len(sets[i] | sets[j])
    return pairs


def edited(text, seed):
    """The text with a few words changed, as an outlet edits an agency copy."""
    words = text.split(" ")
    rng = random.Random(seed)
    for at in rng.sample(range(len(words)), k=min(4, len(words))):
        words[at] = rng.choice(["Größe", "ÜBER", "straße", "Maß", "Äußerung", "öl"])
    return " ".join(words)


@pytest.fixture(scope="module")
def german():
    news = datasets.load_gnad10().corpus["text"].astype(str).tolist()[:60]
    sentences = datasets.load_gerntsa().corpus["text"].astype(str).tolist()[:40]
    copies = [edited(text, seed) for seed, text in enumerate(news[:15])] + [text.upper() for text in news[15:18]]
    short = ["Größe Übermaß", "GRÖSSE übermaß!", "Öl", "", "   ", "— 12 —", news[0][:30]]
    return news + sentences + copies + short + [news[1], news[1], ""]


@pytest.mark.parametrize("chunk", [None, 50, 1])  # None: as shipped; then texts cut into many pieces
def test_pairs_and_similarities_equal_python_sets_of_joined_5_grams(german, monkeypatch, chunk):
    if chunk:
        monkeypatch.setattr(shingles, "_CHUNK", chunk)
    matrix = shingle_matrix(german)
    assert matrix.sum(axis=1).A1.tolist() == [len(reference_shingles(text)) for text in german]
    similar_pairs(["forget the kept pairs"])
    i, j, jaccard = similar_pairs(german, threshold=0.05)
    found = dict(zip(zip(i.tolist(), j.tolist()), jaccard.tolist()))
    expected = reference_pairs(german, 0.05)
    assert found == expected  # the same pairs and the same floats
    assert len(expected) > 20 and any(v == 1.0 for v in expected.values()) and any(v < 0.8 for v in expected.values())


def test_words_are_the_regex_words_of_every_code_point():
    every = [chr(c) for c in range(0x110000)]
    random.Random(0).shuffle(every)
    text = "".join(c + " " * (k % 7 == 0) for k, c in enumerate(every))
    hashes, owners = word_hashes([text, "", text[:5000]])
    words = WORD.findall(text.lower())
    assert len(hashes) == len(words) + len(WORD.findall(text[:5000].lower()))
    assert (owners[:len(words)] == 0).all() and (owners[len(words):] == 2).all()
    assert same_partition(words, hashes[:len(words)].tolist())


def same_partition(words, hashes):
    """Equal words have equal hashes and different words different ones."""
    first = {}
    return all(first.setdefault(w, h) == h for w, h in zip(words, hashes)) and len(set(first.values())) == len(first)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(st.sampled_from("aAäÄöÖüÜßẞİı _-.\n\t12") | st.characters(), max_size=60), max_size=6),
       st.sampled_from([None, 1, 3, 8]))
def test_word_hashes_split_like_findall_wherever_the_pieces_are_cut(texts, chunk):
    original = shingles._CHUNK
    shingles._CHUNK = chunk or original
    try:
        hashes, owners = word_hashes(texts)
    finally:
        shingles._CHUNK = original
    words = [(n, w) for n, text in enumerate(texts) for w in WORD.findall(text.lower())]
    assert owners.tolist() == [n for n, _ in words]
    assert same_partition([w for _, w in words], hashes.tolist())


def test_hashes_are_fixed_numbers_that_see_the_order_of_letters():  # not Python's salted hash()
    hashes, _ = word_hashes(["Krieg KRIEG grieK"])
    assert hashes.tolist()[:2] == [10921838953445157586] * 2 and hashes[2] != hashes[0]
