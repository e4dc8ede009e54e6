"""Token caches: reruns read Parquet instead of re-tokenising; only changed texts are redone."""

import pandas as pd
import pyarrow.parquet as pq
import pytest

from analysis import MissingColumnError
from analysis.corpus import datasets
from analysis.corpus import iter_corpus
from analysis.text import Preprocessor
from analysis.text.token_cache import TokenCache, cached_tokens, preprocessor_key


@pytest.fixture(scope="module")
def news():
    """80 Austrian news articles (bundled 10kGNAD), with a duplicate text and a filtered index."""
    corpus = datasets.load_gnad10().corpus.iloc[:80].copy()
    corpus.loc[corpus.index[5], "text"] = corpus["text"].iloc[4]  # agency copy: same text twice
    return corpus[corpus.index % 7 != 3]  # a filtered corpus: index is not 0..n-1


def test_cold_run_equals_plain_preprocessing_and_is_stored(news, tmp_path):
    pre = Preprocessor(lang="de")
    tokens = cached_tokens(news, pre, cache_dir=tmp_path, progress=False)
    assert tokens.index.equals(news.index) and tokens.name == "tokens"
    assert tokens.tolist() == Preprocessor(lang="de").process_many(news["text"], progress=False)
    stats = tokens.attrs["token_cache"]
    assert (stats["documents"], stats["cached"], stats["processed"]) == (len(news), 0, len(news) - 1)
    folder = tmp_path / preprocessor_key(pre)
    assert stats["path"] == str(folder) and (folder / "params.json").is_file()
    stored = pq.read_table(next(folder.glob("*.parquet"))).to_pandas()
    assert list(stored.columns) == ["text_sha256", "doc_id", "tokens"]
    assert set(stored["doc_id"]) <= set(news["doc_id"]) and stored["text_sha256"].is_unique


def test_warm_run_reads_the_cache_without_tokenising(news, tmp_path, monkeypatch):
    cold = cached_tokens(news, Preprocessor(lang="de"), cache_dir=tmp_path, progress=False)
    monkeypatch.setattr(Preprocessor, "process_many", lambda *a, **k: pytest.fail("re-tokenised"))
    warm = cached_tokens(news, Preprocessor(lang="de"), cache_dir=tmp_path)
    pd.testing.assert_series_equal(warm, cold)
    assert warm.attrs["token_cache"]["cached"] == len(news)
    warm.iloc[0].append("verändert")  # results are the caller's own lists
    assert cached_tokens(news, Preprocessor(lang="de"), cache_dir=tmp_path).iloc[0] == cold.iloc[0]


def test_only_changed_documents_are_processed_again(news, tmp_path):
    cached_tokens(news, Preprocessor(lang="de"), cache_dir=tmp_path, progress=False)
    changed = news.copy()
    changed.loc[changed.index[[0, 10, 20]], "text"] += " Korrektur: Die Zahl der Opfer stieg auf 12."
    tokens = cached_tokens(changed, Preprocessor(lang="de"), cache_dir=tmp_path, progress=False)
    stats = tokens.attrs["token_cache"]
    assert (stats["cached"], stats["processed"]) == (len(news) - 3, 3)
    assert tokens.tolist() == Preprocessor(lang="de").process_many(changed["text"], progress=False)
    assert tokens.iloc[0][-2:] == ["opfer", "steigen"]


@pytest.mark.parametrize("changed", [
    {"lemmatize": False}, {"negation": True}, {"extra_stopwords": ["Regierung"]}, {"split_compounds": True},
])
def test_other_parameters_use_another_cache(news, tmp_path, changed):
    cached_tokens(news, Preprocessor(lang="de"), cache_dir=tmp_path, progress=False)
    other = Preprocessor(lang="de", **changed)
    tokens = cached_tokens(news, other, cache_dir=tmp_path, progress=False)
    assert tokens.attrs["token_cache"]["cached"] == 0
    assert tokens.tolist() == Preprocessor(lang="de", **changed).process_many(news["text"], progress=False)
    assert len([p for p in tmp_path.iterdir() if p.is_dir()]) == 2


def test_word_list_order_does_not_change_the_key():
    assert preprocessor_key(Preprocessor(extra_stopwords=["Kiew", "Moskau"])) == \
        preprocessor_key(Preprocessor(extra_stopwords=("Moskau", "Kiew")))
    assert preprocessor_key(Preprocessor(stopwords=["und", "oder"])) != preprocessor_key(Preprocessor(stopwords=["und"]))


def test_streamed_chunks_are_cached_chunk_by_chunk(news, tmp_path, monkeypatch):
    source = tmp_path / "news.parquet"
    news.to_parquet(source)
    cache_dir = tmp_path / "cache"
    cold = TokenCache(cache_dir, Preprocessor(lang="de"))
    expected = []
    for chunk in iter_corpus(source, chunksize=25, lang="de"):
        expected += cold.tokens(chunk.corpus["text"], doc_ids=chunk.corpus["doc_id"].tolist(), progress=False)
    assert len(list(cold.path.glob("*.parquet"))) == 3  # one file per chunk with new texts
    monkeypatch.setattr(Preprocessor, "process_many", lambda *a, **k: pytest.fail("re-tokenised"))
    warm = TokenCache(cache_dir, Preprocessor(lang="de"))
    again = []
    for chunk in iter_corpus(source, chunksize=25, lang="de"):
        again += warm.tokens(chunk.corpus["text"])
        assert warm.stats["processed"] == 0
    assert again == expected


def test_bad_input_is_named(news, tmp_path):
    with pytest.raises(MissingColumnError, match="no column 'inhalt'"):
        cached_tokens(news, Preprocessor(), cache_dir=tmp_path, text_col="inhalt")
    with pytest.raises(TypeError, match="text 1 is float"):
        TokenCache(tmp_path, Preprocessor()).tokens(["Kiew", float("nan")])
    with pytest.raises(TypeError, match="needs an analysis.text.Preprocessor"):
        TokenCache(tmp_path, str.split)
