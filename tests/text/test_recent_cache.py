"""The bounded cache of the analysis's chunks: what a long run relies on (bounded memory, the
entries in use kept, nothing returned that was not stored)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.text.analysis import _CHUNKS, analyze, clear_cache
from analysis.text.recent_cache import RecentCache


def test_words_in_use_survive_a_turn_that_drops_the_unused_ones():
    cache = RecentCache(3)
    for word in ["Krieg", "Frieden", "Kyjiw"]:
        cache.add(word, word.lower())
    for n, rare in enumerate(["Xanthé-1", "Xanthé-2", "Xanthé-3", "Xanthé-4"]):
        assert cache.get("Krieg") == "krieg"  # used between the turns: kept
        cache.add(rare, n)
    assert cache.get("Frieden") is None and cache.get("Kyjiw") is None  # unused since two turns: gone
    assert cache.lookup(["Krieg", "Xanthé-4", "Kursk"]) == ["krieg", 3, None]


@settings(max_examples=200, deadline=None)
@given(size=st.integers(1, 5), operations=st.lists(st.tuples(st.booleans(), st.integers(0, 12)), max_size=80))
def test_never_holds_more_than_twice_its_size_and_never_returns_a_wrong_value(size, operations):
    cache, stored = RecentCache(size), {}
    for is_add, key in operations:
        if is_add:
            cache.add(key, f"value of {key}")
            stored[key] = f"value of {key}"
        else:
            assert cache.get(key) in (None, stored.get(key))
        assert len(cache) <= 2 * size
    keys = list(range(13))
    assert all(found in (None, stored.get(key)) for key, found in zip(keys, cache.lookup(keys)))


def test_size_below_one_is_an_error():
    with pytest.raises(ValueError, match="at least 1"):
        RecentCache(0)


def test_the_analysis_chunk_cache_is_bounded_and_gives_the_same_analysis(monkeypatch):
    clear_cache()
    monkeypatch.setattr("analysis.text.analysis.CHUNK_CACHE_SIZE", 8)
    text = "Die Soldaten kämpfen nicht. Kim schickt keine Truppen (nach Kursk) – heißt es aus Kyjiw."
    first = analyze(text, lang="de")
    clear_cache()  # the document analyses go; the chunks are made again through a full cache
    many = " ".join(f"Wort{n}." for n in range(50))
    analyze(many, lang="de")
    again = analyze(text, lang="de")
    assert again is not first
    assert (again.words, again.kinds, again.lemmas) == (first.words, first.kinds, first.lemmas)
    assert len(_CHUNKS[("de", "simplemma")]) <= 8
    clear_cache()
