"""The kit's per-document work on a Dask cluster, from Parquet partitions.

Any ``dask.distributed.Client`` will do: a ``LocalCluster`` on a laptop, a scheduler
address (``Client("tcp://10.0.0.5:8786")``) or a Slurm job via dask-jobqueue (README,
"Beyond one machine"). Dask schedules; the kit adds no scheduler of its own. Each Parquet
partition is one task and results come back in partition order, so every table equals
the local one on the whole corpus (``doc_id`` must be unique across partitions):

- :func:`score_frames_distributed` = :func:`analysis.frames.scoring.score_frames`
- :func:`score_sentiment_distributed` = :func:`analysis.sentiment.score_sentiment`
- :func:`preprocess_distributed`: tokens per document, a lazy Dask frame to compute or write
- :func:`fit_topics_distributed`: workers preprocess, count and weight their partitions;
  the client runs the streaming fit of :mod:`analysis.topics.streaming` on the matrices they
  send, partition by partition, and workers compute the document-topic proportions.

Workers need the kit installed (``pip install framing-kit`` or the same clone).

>>> import analysis
>>> from dask.distributed import Client, LocalCluster
>>> corpus = analysis.corpus.datasets.load_gnad10().corpus.head(40)
>>> with LocalCluster(n_workers=1, processes=False) as cluster, Client(cluster) as client:
...     table = score_frames_distributed(dd.from_pandas(corpus, npartitions=2), client)
>>> table.equals(score_frames(corpus))
True
"""

from __future__ import annotations

import glob
import os
from functools import partial

import numpy as np
import pandas as pd
from sklearn.pipeline import Pipeline

from analysis.corpus.schema import require_columns, require_unique
from analysis.corpus.stream import parquet_data_files
from analysis.errors import import_extra
from analysis.frames.scoring import score_frames
from analysis.progress import progress_bar, quiet
from analysis.sentiment import score_sentiment
from analysis.text.preprocessor import corpus_preprocessor, corpus_tokens
from analysis.topics.model import StreamedTopicModel, labels_for
from analysis.topics.pipeline import FeatureSpace, check_fit_args, check_n_docs, make_online_model, topic_preprocessor
from analysis.topics.streaming import N_TEXTS, auto_epochs, chunk_proportions, count_chunk, fit_online, top_rows

dd = import_extra("dask.dataframe", "cluster", "Running the kit on a Dask cluster")


def read_partitions(source) -> dd.DataFrame:
    """A Dask frame of corpus partitions from a Parquet file or dataset folder (its data files,
    as :func:`analysis.corpus.stream.parquet_data_files` lists them: one partition each, read by
    the workers), a glob, or a Dask frame as it is; it must have ``doc_id`` and ``text``."""
    if isinstance(source, dd.DataFrame):
        ddf = source
    elif isinstance(source, (str, os.PathLike)) and not glob.has_magic(str(source)):
        ddf = dd.read_parquet([str(f) for f in parquet_data_files(source)])
    else:
        ddf = dd.read_parquet(source)
    require_columns(pd.DataFrame(columns=list(ddf.columns)), "doc_id", "text", what="the Parquet corpus",
                    hint="Write the corpus frame of analysis.load_corpus to Parquet.")
    return ddf


def map_partitions(func, source, client, **kwargs) -> pd.DataFrame:
    """Run ``func(partition, **kwargs)`` — a function from a corpus frame to a table — on
    every partition on the cluster; return the tables concatenated in partition order."""
    ddf = read_partitions(source)
    parts = client.compute(ddf.to_delayed())
    tables = client.map(partial(_quietly, func, **kwargs), parts)
    results = [future.result() for future in progress_bar(tables, desc=getattr(func, "__name__", "tasks"),
                                                          unit="partition")]
    _check_unique(client, ddf)
    return pd.concat(results, ignore_index=True)


def score_frames_distributed(source, client, **kwargs) -> pd.DataFrame:
    """:func:`analysis.frames.scoring.score_frames` on a cluster; same arguments and schema (one row
    per unit × frame: ``doc_id, [parent_id,] frame, hits, n_tokens, score``)."""
    return map_partitions(score_frames, source, client, **kwargs)


def score_sentiment_distributed(source, client, **kwargs) -> pd.DataFrame:
    """:func:`analysis.sentiment.score_sentiment` on a cluster; same arguments and schema
    (one row per unit: ``doc_id, unit_id, score, label, n_tokens, n_matched``)."""
    return map_partitions(score_sentiment, source, client, **kwargs)


def preprocess_distributed(source, *, preprocessor=None) -> dd.DataFrame:
    """Tokens of every document as a lazy Dask frame ``doc_id, tokens`` (list of str): call
    ``.compute()`` for pandas or ``.to_parquet(folder)`` for a token cache on the cluster.

    ``preprocessor`` defaults to ``Preprocessor(lang="auto")``: each document in the language
    of its ``lang`` column (detected where missing)."""
    ddf = read_partitions(source)
    if preprocessor is None:
        preprocessor = corpus_preprocessor(None)
    meta = pd.DataFrame({"doc_id": pd.Series(dtype=object), "tokens": pd.Series(dtype=object)})
    return ddf.map_partitions(_tokens, preprocessor, meta=meta)


def first_partition(ddf: dd.DataFrame) -> pd.DataFrame:
    """The first partition's ``doc_id``, ``text`` and (if any) ``lang``, read now (e.g. to look
    at a corpus before a fit)."""
    columns = [c for c in ("doc_id", "text", "lang") if c in ddf.columns]
    return as_local(ddf.partitions[0][columns].compute())


def fit_topics_distributed(source, n_topics: int, client, *, method: str = "nmf", preprocessor=None,
                           random_state=0) -> StreamedTopicModel:
    """The streaming topic fit (:func:`analysis.topics.streaming.fit_topics_streaming`) with
    preprocessing, counting and doc-topics on the workers; partitions play the role of
    chunks, so results are deterministic for a given partitioning and ``random_state``.
    Arguments are checked, and ``preprocessor`` defaults to each document in its own language
    (``lang="auto"``), as in the streamed back-end of :func:`analysis.topics.fit.fit_topics`.

    The model's ``corpus`` holds every column but ``text``; ``top_documents`` shows the
    texts of the best :data:`~analysis.topics.streaming.N_TEXTS` documents per topic.
    """
    check_fit_args(n_topics, method)
    ddf = read_partitions(source)
    preprocessor = topic_preprocessor(preprocessor, None)  # partitions may differ in language
    counted = client.map(partial(_quietly, count_chunk), client.compute(ddf.to_delayed()),
                         preprocessor=preprocessor)
    try:
        frequencies = [f.result() for f in progress_bar(client.map(_frequencies, counted), desc="counting terms",
                                                        unit="partition")]
        metas = client.gather(client.map(_meta, counted))
        meta = pd.concat(metas, ignore_index=True)
        check_n_docs(len(meta))
        require_unique(meta, "doc_id", what="the corpus (all partitions together)")
        summed = pd.concat(frequencies).groupby(level=0).sum()
        space = FeatureSpace.from_frequencies(summed, len(meta), method)
        features = client.map(_features, counted, space=client.scatter(space, broadcast=True))
        model = make_online_model(method, n_topics, n_docs=len(meta), random_state=random_state)
        fit_online(model, lambda i: features[i].result(), len(features),
                   n_epochs=auto_epochs(len(m) for m in metas),
                   random_state=random_state)
        doc_topic = np.vstack(client.gather(client.map(_proportions, features, method=method,
                                                       model=client.scatter(model, broadcast=True))))
    finally:
        client.cancel(counted)
    texts = _texts(ddf, meta["doc_id"].to_numpy()[top_rows(doc_topic, N_TEXTS)])
    pipeline = Pipeline([("vectorizer", space.vectorizer(preprocessor)), ("model", model)])
    return StreamedTopicModel(pipeline, meta, doc_topic, labels_for(n_topics), method, texts=texts, n_texts=N_TEXTS)


_STR = pd.Series(["text"]).dtype  # pandas' own string dtype (object before pandas 3)


def as_local(partition: pd.DataFrame) -> pd.DataFrame:
    """The partition with pandas' default string dtype where Dask read ``string[pyarrow]``,
    so that tables equal those of ``pd.read_parquet``."""
    strings = {c: _STR for c, t in partition.dtypes.items() if isinstance(t, pd.StringDtype) and t != _STR}
    return partition.astype(strings) if strings else partition


def _quietly(func, partition: pd.DataFrame, **kwargs):
    with quiet():  # no progress bars in the workers' logs
        return func(as_local(partition), **kwargs)


def _tokens(partition: pd.DataFrame, preprocessor) -> pd.DataFrame:
    partition = as_local(partition)
    return pd.DataFrame({"doc_id": partition["doc_id"].to_numpy(),
                         "tokens": corpus_tokens(preprocessor, partition, progress=False)})


def _frequencies(counted):
    return counted.document_frequencies()


def _meta(counted):
    return counted.meta


def _features(counted, space):
    return space.features(counted)


def _proportions(X, model, method):
    return chunk_proportions(model, X, method)


def _texts(ddf: dd.DataFrame, doc_ids) -> dict:
    rows = ddf[ddf["doc_id"].isin(list(doc_ids))][["doc_id", "text"]].compute()
    return dict(zip(rows["doc_id"], rows["text"]))


def _check_unique(client, ddf: dd.DataFrame) -> None:
    counts = client.compute(ddf["doc_id"].value_counts()).result()
    repeated = counts[counts > 1]
    if len(repeated):
        raise ValueError(f"doc_id must be unique across partitions; repeated: {repeated.index[:3].tolist()}.")


__all__ = ["first_partition", "fit_topics_distributed", "map_partitions", "preprocess_distributed", "read_partitions",
           "score_frames_distributed", "score_sentiment_distributed"]
