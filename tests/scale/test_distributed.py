"""Dask path: the same tables as the local functions, from Parquet partitions, on a LocalCluster."""

import logging

import numpy as np
import pandas as pd
import pytest
from dask.distributed import Client, LocalCluster

from analysis.corpus import datasets
from analysis.scale.distributed import (
    fit_topics_distributed, preprocess_distributed, score_frames_distributed, score_sentiment_distributed,
)
from analysis.errors import MissingColumnError
from analysis.frames import score_frames
from analysis.progress import quiet
from analysis.sentiment import score_sentiment
from analysis.text import Preprocessor
from analysis.text import split_sentences
from analysis.topics import fit_topics_streaming


@pytest.fixture(scope="module")
def client():
    logging.getLogger("distributed").setLevel(logging.WARNING)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        yield client


def resampled_corpus(n_docs: int, *, random_state=0) -> pd.DataFrame:
    """``n_docs`` German articles of 2–6 sentences drawn from 10kGNAD's sentences, with
    two outlets, dates (some missing) and ids that sort differently from their order."""
    gnad = datasets.load_gnad10().corpus
    sentences = np.array([s for text in gnad["text"] for s in split_sentences(text)], dtype=object)
    rng = np.random.default_rng(random_state)
    sizes = rng.integers(2, 7, size=n_docs)
    picks = np.split(rng.integers(0, len(sentences), size=sizes.sum()), np.cumsum(sizes)[:-1])
    published = pd.to_datetime("2022-02-24", utc=True) + pd.to_timedelta(rng.integers(0, 400, n_docs), unit="D")
    return pd.DataFrame({
        "doc_id": [f"art-{(i * 7919) % n_docs:05d}" for i in range(n_docs)],
        "text": [" ".join(sentences[p]) for p in picks],
        "outlet": pd.Categorical(rng.choice(["DER STANDARD", "Die Presse"], n_docs)),
        "published": published.where(rng.random(n_docs) > 0.05),  # NaT for ~5 %
        "lang": "de",
    })


def write_partitions(corpus: pd.DataFrame, folder, n_parts: int):
    folder.mkdir()
    for i, part in enumerate(np.array_split(np.arange(len(corpus)), n_parts)):
        corpus.iloc[part].to_parquet(folder / f"part-{i:02d}.parquet")
    return folder


def stable(table: pd.DataFrame, keys) -> pd.DataFrame:
    return table.sort_values(keys, kind="stable").reset_index(drop=True)


@pytest.mark.slow
def test_frames_and_sentiment_tables_equal_the_local_ones(client, tmp_path):
    folder = write_partitions(resampled_corpus(5_000), tmp_path / "corpus", 4)
    corpus = pd.read_parquet(folder)  # the local path reads the same files
    with quiet():
        frames_local = score_frames(corpus, "conflict")
        sentiment_local = score_sentiment(corpus)
    frames = score_frames_distributed(folder, client, dictionary="conflict")
    sentiment = score_sentiment_distributed(folder, client)
    assert frames["hits"].sum() > 1_000 and sentiment["label"].nunique() == 3  # real work, not empty tables
    pd.testing.assert_frame_equal(stable(frames, ["doc_id", "frame"]), stable(frames_local, ["doc_id", "frame"]))
    pd.testing.assert_frame_equal(stable(sentiment, ["unit_id"]), stable(sentiment_local, ["unit_id"]))


def test_options_reach_the_workers(client, tmp_path):
    folder = write_partitions(resampled_corpus(120, random_state=1), tmp_path / "corpus", 3)
    corpus = pd.read_parquet(folder)
    with quiet():
        local = score_sentiment(corpus, unit="sentence")
    pd.testing.assert_frame_equal(score_sentiment_distributed(folder, client, unit="sentence"), local)
    shares = score_frames_distributed(folder, client, normalize="share")
    assert shares.groupby("doc_id")["score"].sum().round(9).isin([0.0, 1.0]).all()


def test_distributed_topic_fit_equals_the_streaming_fit_on_the_same_chunks(client, tmp_path):
    corpus = resampled_corpus(900, random_state=2)
    folder = write_partitions(corpus, tmp_path / "corpus", 3)
    with quiet():
        local = fit_topics_streaming([pd.read_parquet(p) for p in sorted(folder.iterdir())], 4)
        remote = fit_topics_distributed(folder, 4, client)
    pd.testing.assert_frame_equal(remote.doc_topics(), local.doc_topics())
    pd.testing.assert_frame_equal(remote.terms(8), local.terms(8))
    pd.testing.assert_frame_equal(remote.top_documents("T1", 3), local.top_documents("T1", 3))


def test_an_english_corpus_is_preprocessed_as_english_on_the_cluster(client, tmp_path):
    """The preprocessor follows each document's language on the cluster, as locally (it used to be German)."""
    english = datasets.load_wikinews().corpus.head(200)
    folder = write_partitions(english, tmp_path / "corpus", 2)
    with quiet():
        local = fit_topics_streaming([pd.read_parquet(p) for p in sorted(folder.iterdir())], 3)
        remote = fit_topics_distributed(folder, 3, client)
    assert remote.pipeline["vectorizer"].analyzer.lang == local.pipeline["vectorizer"].analyzer.lang == "auto"
    pd.testing.assert_frame_equal(remote.terms(8), local.terms(8))
    tokens = preprocess_distributed(folder).compute()
    assert tokens["tokens"].tolist()[:20] == [Preprocessor(lang="en")(t) for t in english["text"].head(20)]


def test_preprocessing_on_the_cluster(client, tmp_path):
    corpus = resampled_corpus(60, random_state=3)
    tokens = preprocess_distributed(write_partitions(corpus, tmp_path / "corpus", 2)).compute()
    pre = Preprocessor(lang="de")
    assert tokens["doc_id"].tolist() == corpus["doc_id"].tolist()
    assert tokens["tokens"].tolist() == [pre(t) for t in corpus["text"]]


def test_bad_partitions_fail_with_a_clear_message(client, tmp_path):
    corpus = resampled_corpus(40, random_state=4)
    twice = write_partitions(pd.concat([corpus, corpus.head(3)]), tmp_path / "twice", 2)
    with pytest.raises(ValueError, match="unique across partitions"):
        score_frames_distributed(twice, client)
    untexted = write_partitions(corpus.rename(columns={"text": "inhalt"}), tmp_path / "untexted", 2)
    with pytest.raises(MissingColumnError, match="no column 'text'"):
        score_sentiment_distributed(untexted, client)
