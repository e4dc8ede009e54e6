"""simplemma's dictionaries read from the kit's cached tries: the same forms and lemmas as
simplemma's own, saved once, and never a half-written or missing cache that breaks lemmatising."""

import pytest
import simplemma

from analysis.text import dictionaries
from analysis.text.dictionaries import TrieDictionary, dictionary, is_known, trie_path


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A cache folder of this module's, its German trie built by the first test that asks; the
    tries of the usual folder are read again after the module."""
    folder = tmp_path_factory.mktemp("built") / "cache"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FRAMING_KIT_CACHE", str(folder))
        dictionary.cache_clear()
        yield folder
    dictionary.cache_clear()


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """A new, empty cache folder for this test."""
    monkeypatch.setenv("FRAMING_KIT_CACHE", str(tmp_path / "cache"))
    dictionary.cache_clear()
    yield tmp_path / "cache"
    dictionary.cache_clear()


def _news_words(n_articles=200):
    from analysis.corpus import datasets
    from analysis.text.tokenize import tokenize

    words = {w for text in datasets.load_gnad10().corpus["text"].iloc[:n_articles] for w in tokenize(text)}
    return sorted(words | {"Soldat*innen", "Streitkräfte", "Putins", "Nordkoreanerinnen", "beschoss", "Müßiggang"})


def test_the_saved_trie_holds_every_form_and_lemma_of_simplemmas_dictionary(built):
    trie = dictionary("de")
    assert isinstance(trie, TrieDictionary) and trie_path("de").parent == built
    assert [p.name for p in built.iterdir()] == [f"simplemma-{simplemma.__version__}-de.marisa"]  # no partial file
    assert trie_path("de").stat().st_mode & 0o777 == 0o644  # readable by the folder's other users
    decoded = dictionaries._DECODED.get_dictionary("de")
    assert len(trie) == len(decoded) > 1_000_000
    assert dict(trie.items()) == dict(decoded.items())


def test_lemmas_and_known_words_are_simplemmas(built):
    """The kit's lemmatiser asks simplemma through the tries: for the words of real news the
    answers are those of simplemma's own in-memory dictionary."""
    from analysis.text.lemmatize import _SIMPLEMMA

    words = _news_words()
    assert [_SIMPLEMMA.lemmatize(w, "de") for w in words] == [simplemma.lemmatize(w, "de") for w in words]
    assert [is_known(w, "de") for w in words] == [simplemma.is_known(w, lang="de") for w in words]
    assert is_known("Streitkräfte", "de") and not is_known("Xqztrvw", "de")


def test_a_later_process_reads_the_saved_trie_without_decoding_simplemmas_data(built, monkeypatch):
    dictionary("de")
    dictionary.cache_clear()  # as in a new process

    class Decoding:
        def get_dictionary(self, lang):
            raise AssertionError("simplemma's dictionary was decoded although the trie was saved")

    monkeypatch.setattr(dictionaries, "_DECODED", Decoding())
    assert dictionary("de").get("Soldaten") == "Soldat"


def test_a_damaged_trie_is_made_again(cache):
    path = trie_path("de")
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not a trie, e.g. a copy cut short")
    assert dictionary("de").get("Truppen") == "Truppe"
    dictionary.cache_clear()
    assert isinstance(dictionary("de"), TrieDictionary) and dictionary("de").get("Truppen") == "Truppe"


def test_a_cache_folder_that_cannot_be_made_leaves_simplemmas_dictionary_in_memory(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("the cache folder would have to be inside this file")
    monkeypatch.setenv("FRAMING_KIT_CACHE", str(blocker / "cache"))
    dictionary.cache_clear()
    try:
        found = dictionary("de")
        assert not isinstance(found, TrieDictionary) and found.get("Soldaten") == "Soldat"
        assert list(tmp_path.iterdir()) == [blocker]
    finally:
        dictionary.cache_clear()


def test_an_unsupported_language_is_simplemmas_error(cache):
    with pytest.raises(ValueError, match="Unsupported language"):
        dictionary("xx")
    assert not cache.exists() or not list(cache.iterdir())


def test_the_tries_and_the_stage_key_share_the_cache_folder_the_environment_names(monkeypatch, tmp_path):
    from analysis.report.stage_store import secret

    monkeypatch.delenv("FRAMING_KIT_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert trie_path("de") == tmp_path / "framing-kit" / f"simplemma-{simplemma.__version__}-de.marisa"
    monkeypatch.setenv("FRAMING_KIT_CACHE", str(tmp_path / "elsewhere"))
    assert trie_path("de").parent == tmp_path / "elsewhere"
    secret.cache_clear()
    try:
        secret()
        assert (tmp_path / "elsewhere" / "stage-cache.key").stat().st_mode & 0o777 == 0o600
    finally:
        secret.cache_clear()
