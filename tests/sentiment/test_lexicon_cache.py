"""The combined lexicon is kept in the kit's cache folder, and read back only while what made it is unchanged."""

import pytest

from analysis.sentiment import lexicons


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("FRAMING_KIT_CACHE", str(tmp_path / "cache"))
    lexicons.load_lexicon.cache_clear()
    yield tmp_path / "cache"
    lexicons.load_lexicon.cache_clear()


def combined(lang="de"):
    sources = lexicons.DEFAULT_SOURCES[lang]
    return lexicons._combine([(lexicons._VOTES[s], lexicons._READERS[s]()) for s in sources], lang)


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_saved_lexicon_is_the_combined_one(cache, monkeypatch, lang):
    first = lexicons.load_lexicon(lang)
    assert len(list(cache.glob(f"lexicon-{lang}-*.bin"))) == 1
    lexicons.load_lexicon.cache_clear()
    monkeypatch.setattr(lexicons, "_combine", lambda *a: pytest.fail("combined again instead of read"))
    again = lexicons.load_lexicon(lang)
    assert again == first and list(again) == list(first)  # weights, noun flags and order
    monkeypatch.undo()
    assert again == combined(lang)
    assert again["schlecht" if lang == "de" else "good"] == first["schlecht" if lang == "de" else "good"]


def test_a_damaged_or_unwritable_cache_still_gives_the_lexicon(cache, tmp_path, monkeypatch):
    lexicons.load_lexicon("de")
    saved, = cache.glob("lexicon-de-*.bin")
    whole = saved.read_bytes()
    for damaged in (whole[:len(whole) // 2], whole[:3], b'["krieg"', whole[:-1] + b"\n"):  # cut short, or a form added
        saved.write_bytes(damaged)
        lexicons.load_lexicon.cache_clear()
        assert lexicons.load_lexicon("de") == combined()
        assert saved.read_bytes() == whole  # written again
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("FRAMING_KIT_CACHE", str(blocker / "cache"))
    assert lexicons.load_lexicon("de")["erfolg"] == (1.0, True)


def test_a_change_to_what_it_is_made_of_is_not_read_from_the_old_file(cache, monkeypatch):
    assert "erfolg" in lexicons.load_lexicon("de")
    lexicons.load_lexicon.cache_clear()
    monkeypatch.setattr(lexicons, "stopwords", lambda lang: ["erfolg"])  # a new stopword list
    assert "erfolg" not in lexicons.load_lexicon("de")
    assert len(list(cache.glob("lexicon-de-*.bin"))) == 2
