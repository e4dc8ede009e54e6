"""The streaming back-end of :func:`~analysis.topics.fit.fit_topics`: a fit over chunks of documents.

``fit_topics_streaming`` gives the same :class:`~analysis.topics.model.TopicModel` interface as
:func:`analysis.topics.fit.fit_topics` (which switches to it by itself above
:data:`~analysis.topics.fit.STREAMING_MIN_DOCS` documents), with memory bounded by the chunk
size. Chunks come from :func:`analysis.corpus.stream.corpus_chunks`; arguments, preprocessor
and vocabulary settings from :mod:`analysis.topics.pipeline`, shared with the in-memory and
Dask back-ends:

1. **Count** each chunk with the kit's :class:`~analysis.text.Preprocessor` into a sparse
   document-term count matrix over the chunk's own terms, spilled to a temporary folder
   (so a one-shot iterator is read once), and sum document frequencies.
2. **Vocabulary**: terms in at least ``auto_min_df(n_docs)`` and at most 50 % of the
   documents, sorted — exactly the in-memory path's ``min_df``/``max_df``; NMF features are
   sublinear tf-idf with the corpus-wide idf, so every row equals the in-memory row.
3. **Fit** ``MiniBatchNMF`` (``method="nmf"``) or online ``LatentDirichletAllocation``
   (``"lda"``) by ``partial_fit`` on mini-batches of about :data:`BATCH_SIZE` documents
   (chunks and rows shuffled with ``random_state`` in each pass) for
   :func:`auto_epochs` passes: one from ~60k documents on, up to 30 on small corpora.
4. **Doc-topics**: one more pass transforms each chunk (in ``n_jobs`` processes).

What stays in memory: the fitted pipeline, the document-topic proportions as float32
(1M documents × 20 topics = 80 MB), the corpus's metadata columns (everything but ``text``),
and the texts of the :data:`N_TEXTS` best documents of each topic (for ``top_documents``).
The document-term matrix is never held whole; a DataFrame input is kept as it is.

>>> import analysis
>>> from analysis.progress import quiet
>>> corpus = analysis.corpus.datasets.load_gnad10().corpus.head(300)
>>> with quiet():
...     model = fit_topics_streaming(corpus, 4, chunk_size=100)
>>> model.doc_topics().shape, bool(model.doc_topics(wide=True).iloc[:, 1:].sum(axis=1).round(5).eq(1).all())
((1200, 3), True)
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from itertools import chain
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.pipeline import Pipeline
from threadpoolctl import threadpool_limits

from analysis.corpus.schema import require_columns, require_unique
from analysis.corpus.stream import corpus_chunks
from analysis.explore.term_counts import count_tokens
from analysis.progress import progress_bar
from analysis.scale.batch import map_chunks
from analysis.scale.memory import release_memory
from analysis.text.preprocessor import corpus_tokens
from analysis.text.token_cache import TokenCache
from analysis.topics.model import StreamedTopicModel, labels_for, nmf_proportions, normalise_rows
from analysis.topics.pipeline import (BATCH_SIZE, FeatureSpace, check_fit_args, check_n_docs, check_vocabulary,
                                      make_online_model, topic_preprocessor)

CHUNK_SIZE = 5_000  # documents read, preprocessed and spilled at a time
N_TEXTS = 100  # texts kept per topic for top_documents when the corpus is streamed
MIN_UPDATES = 60  # mini-batch updates a fit gets at least (small corpora get several epochs)
MAX_EPOCHS = 30


@dataclass
class CountedChunk:
    """One chunk after preprocessing: ``counts`` (documents × ``terms``, CSR int32) over the
    chunk's own ``terms``, its ``meta`` (every column but ``text``) and ``texts`` (None when the
    chunk came without them)."""

    meta: pd.DataFrame
    texts: np.ndarray | None
    terms: np.ndarray
    counts: sp.csr_matrix

    def document_frequencies(self) -> pd.Series:
        """Documents of this chunk containing each term (index: term)."""
        return pd.Series(np.bincount(self.counts.indices, minlength=len(self.terms)), index=self.terms)


def count_chunk(chunk: pd.DataFrame, preprocessor, *, tokens=None) -> CountedChunk:
    """Preprocess a corpus-frame chunk and count its terms (see :class:`CountedChunk`).
    ``tokens``: the chunk's token lists when already known (e.g. from a token cache).

    >>> chunk = pd.DataFrame({"doc_id": ["a", "b"], "text": ["Soldaten im Krieg", "Krieg und Frieden"]})
    >>> from analysis.text import Preprocessor
    >>> counted = count_chunk(chunk, Preprocessor(lang="de"))
    >>> counted.document_frequencies().to_dict()
    {'soldat': 1, 'krieg': 2, 'frieden': 1}
    """
    require_columns(chunk, "doc_id", "text", what="corpus chunk")
    terms, counts = count_tokens(corpus_tokens(preprocessor, chunk, progress=False) if tokens is None else tokens)
    return _counted(chunk, terms, counts)


def stack_counts(parts) -> tuple[np.ndarray, sp.csr_matrix]:
    """Several :func:`count_tokens` results as one: their documents one after the other, over the union
    of their terms (in order of first use), as if the token lists had been counted together.

    >>> a, b = count_tokens([["krieg", "soldat"]]), count_tokens([["frieden", "krieg"]])
    >>> terms, counts = stack_counts([a, b])
    >>> terms.tolist(), counts.toarray().tolist()
    (['krieg', 'soldat', 'frieden'], [[1, 1, 0], [1, 0, 1]])
    """
    parts = list(parts)
    codes, terms = pd.factorize(np.concatenate([t for t, _ in parts]) if parts else np.array([], dtype=object))
    blocks, start = [], 0
    for part_terms, counts in parts:
        ids = codes[start:start + len(part_terms)]
        start += len(part_terms)
        blocks.append(sp.csr_matrix((counts.data, ids[counts.indices], counts.indptr), shape=(counts.shape[0], len(terms))))
    counts = sp.vstack(blocks, format="csr", dtype=np.int32) if blocks else sp.csr_matrix((0, 0), dtype=np.int32)
    counts.sort_indices()
    return np.asarray(terms, dtype=object), counts


def _counted(chunk: pd.DataFrame, terms: np.ndarray, counts: sp.csr_matrix) -> CountedChunk:
    if counts.shape[0] != len(chunk):
        raise ValueError(f"counts has {counts.shape[0]} rows for a chunk of {len(chunk)} documents; pass one row per "
                         "document, one item per chunk of the source.")
    meta = chunk.drop(columns="text", errors="ignore").reset_index(drop=True)
    texts = chunk["text"].to_numpy(dtype=object) if "text" in chunk else None
    return CountedChunk(meta, texts, terms, counts)


def auto_epochs(chunk_sizes) -> int:
    """Passes over the corpus: enough for :data:`MIN_UPDATES` mini-batch updates, at most
    :data:`MAX_EPOCHS` (one pass from ~60k documents on)."""
    steps = sum(_n_batches(n) for n in chunk_sizes)
    return int(min(MAX_EPOCHS, max(1, -(-MIN_UPDATES // max(steps, 1)))))


def _n_batches(n_rows: int) -> int:
    return max(1, -(-n_rows // BATCH_SIZE))


def fit_online(model, features: Callable[[int], sp.csr_matrix], n_chunks: int, *, n_epochs: int, random_state=0):
    """``partial_fit`` ``model`` on mini-batches of ``features(i)`` for ``n_epochs`` passes
    over chunks ``i``; chunks and rows are shuffled with ``random_state`` in each pass so
    that a corpus sorted by date or outlet does not bias the online updates."""
    rng = np.random.default_rng(random_state)
    for _ in progress_bar(range(n_epochs), desc="topic epochs", unit="epoch"):
        for i in rng.permutation(n_chunks):
            X = features(int(i))
            order = rng.permutation(X.shape[0])
            for rows in np.array_split(order, _n_batches(len(order))):  # near-equal batches
                model.partial_fit(X[rows])
    return model


def chunk_proportions(model, X: sp.csr_matrix, method: str) -> np.ndarray:
    """Topic proportions (rows sum to 1, float32) of a chunk's features under ``model``."""
    raw = model.transform(X)
    proportions = nmf_proportions(raw, model.components_) if method == "nmf" else normalise_rows(raw)
    return proportions.astype(np.float32)


class _Spill:
    """Counted chunks in a temporary folder as data — counts as NPZ (read without pickle),
    terms and ``doc_id``/texts as Parquet; memory holds one chunk at a time."""

    def __init__(self):
        self._folder = tempfile.TemporaryDirectory(prefix="framing-kit-topics-")
        self.folder = Path(self._folder.name)
        self.n_chunks = 0

    def add(self, counted: CountedChunk) -> None:
        i = self.n_chunks
        save_counts(self.folder, i, counted.terms, counted.counts)
        if counted.texts is not None:  # kept for the top documents, unless the caller looks them up
            pd.DataFrame({"doc_id": counted.meta["doc_id"].to_numpy(), "text": counted.texts}).to_parquet(
                _spilled(self.folder, i, "texts.parquet"), index=False)
        self.n_chunks += 1

    def load(self, i: int, *, texts: bool = False) -> CountedChunk:
        """Chunk ``i``: its counts and terms; its ``doc_id`` (as ``meta``) and texts only if ``texts``."""
        return load_spilled(i, folder=self.folder, texts=texts)

    def close(self) -> None:
        self._folder.cleanup()


def _spilled(folder: Path, i: int, part: str) -> Path:
    return folder / f"{i}-{part}"


def save_counts(folder: Path, i: int, terms: np.ndarray, counts: sp.csr_matrix) -> None:
    """Write a :func:`count_tokens` pair as chunk ``i`` of ``folder`` (read back by :func:`load_spilled`
    and :func:`saved_counts`): counts as NPZ, terms as Parquet, each written whole or not at all."""
    for part, write in (("counts.npz", lambda path: sp.save_npz(path, counts, compressed=False)),
                        ("terms.parquet", lambda path: pd.DataFrame({"term": terms}, dtype=object).to_parquet(
                            path, index=False))):
        final = _spilled(folder, i, part)
        temporary = final.with_name(f".{final.name}.tmp")
        with open(temporary, "wb") as handle:
            write(handle)
        os.replace(temporary, final)


def saved_counts(folder: Path, n_chunks: int) -> Iterator[tuple[np.ndarray, sp.csr_matrix]] | None:
    """The :func:`count_tokens` pairs :func:`save_counts` wrote as chunks ``0 … n_chunks - 1`` of
    ``folder``, read one at a time; None unless every one of them is there."""
    if not all(_spilled(folder, i, "terms.parquet").exists() for i in range(n_chunks)):  # terms: written last
        return None
    return ((counted.terms, counted.counts) for counted in (load_spilled(i, folder=folder) for i in range(n_chunks)))


def load_spilled(i: int, *, folder: Path, texts: bool = False) -> CountedChunk:
    """Counted chunk ``i`` of a spill ``folder`` (see :class:`_Spill`; a function, so workers can read it)."""
    counts = sp.load_npz(_spilled(folder, i, "counts.npz")).tocsr()
    terms = pd.read_parquet(_spilled(folder, i, "terms.parquet"))["term"].to_numpy(dtype=object)
    stored = pd.read_parquet(_spilled(folder, i, "texts.parquet")) if texts else pd.DataFrame({"doc_id": [], "text": []})
    return CountedChunk(stored[["doc_id"]], stored["text"].to_numpy(dtype=object), terms, counts)


def spilled_proportions(i: int, *, folder: Path, space: FeatureSpace, model, method: str) -> np.ndarray:
    """Topic proportions of spilled chunk ``i`` (:func:`chunk_proportions`), BLAS in one thread so that
    any process gives the same bits."""
    with threadpool_limits(limits=1):
        return chunk_proportions(model, space.features(load_spilled(i, folder=folder)), method)


def top_rows(doc_topic: np.ndarray, n: int) -> np.ndarray:
    """Row positions among the ``n`` highest of any topic (sorted, unique)."""
    n = min(n, len(doc_topic))
    return np.unique(np.argpartition(-doc_topic, n - 1, axis=0)[:n].ravel())


def fit_topics_streaming(source, n_topics: int, *, method: str = "nmf", preprocessor=None, random_state=0,
                         chunk_size: int = CHUNK_SIZE, n_epochs: int | None = None,
                         cache_dir=None, n_jobs: int = 1, tokens=None, counts=None,
                         document_frequencies: pd.Series | None = None,
                         texts: Callable[[pd.Series], Mapping] | None = None) -> StreamedTopicModel:
    """Fit a topic model chunk by chunk (see the module docstring for what is kept).

    ``source``: a corpus DataFrame, a Parquet file/folder/dataset with ``doc_id`` and
    ``text`` columns, or any iterable of corpus-frame chunks (read once). ``preprocessor``
    defaults to ``Preprocessor(lang="auto")``: each document in the language of its ``lang``
    column (detected where missing), so a corpus whose first chunk is German and later ones
    English is read right. Deterministic for a
    given ``random_state`` and chunking. Labels are ``T1`` … ``Tk``; seed words need the
    in-memory :func:`~analysis.topics.fit.fit_topics`. ``cache_dir``: a folder for Parquet token
    caches (:mod:`analysis.text.token_cache`), so a refit with other ``n_topics`` or seeds skips
    preprocessing the texts it has seen. ``n_jobs``: processes that preprocess and count
    chunks (without a ``cache_dir``) and give their topic proportions; the model is the same for any
    ``n_jobs``. ``tokens``: when the
    texts were preprocessed already (by ``preprocessor``), each chunk's token lists, one item per chunk of
    ``source`` in order; they are counted instead of preprocessing the texts again. ``counts``: the same,
    counted already: one :func:`count_tokens` ``(terms, counts)`` pair per chunk of ``source`` (e.g.
    :func:`stack_counts` of smaller parts counted in worker processes). ``document_frequencies``: with
    ``counts``, how many documents of the whole corpus contain each term (index: term), when summed
    already (e.g. :attr:`~analysis.explore.term_counts.TermCounts.doc_counts` over the same tokens); the
    fit then keeps no vocabulary of its own while counting (3 million terms are ~0.6 GB). ``texts``: with
    ``counts``, a function giving the texts of the ``doc_id`` values it is passed (``{doc_id: text}`` or
    a Series indexed by ``doc_id``), for the top documents; then the chunks need no ``text`` column and
    no text is kept while counting (a large corpus's metadata in, its texts looked up on disk).
    """
    check_fit_args(n_topics, method)
    if texts is not None and counts is None:
        raise ValueError("texts goes with counts: without counts the chunks' texts are preprocessed, so they are "
                         "at hand already.")
    spill = _Spill()
    try:
        metas, frequencies, preprocessor = _count_into(spill, corpus_chunks(source, chunk_size=chunk_size),
                                                         preprocessor, cache_dir, n_jobs, tokens, counts,
                                                         document_frequencies, texts is not None)
        release_memory()  # the chunks read for counting are gone: their pages go back before the fit
        meta = pd.concat(metas, ignore_index=True)
        require_unique(meta, "doc_id", what="the corpus (all chunks together)")
        space = FeatureSpace.from_frequencies(frequencies, len(meta), method)
        check_vocabulary(len(space.vocabulary), n_topics, len(meta))
        model = make_online_model(method, n_topics, n_docs=len(meta), random_state=random_state)
        n_epochs = n_epochs or auto_epochs(len(m) for m in metas)
        fit_online(model, lambda i: space.features(spill.load(i)), spill.n_chunks,
                   n_epochs=n_epochs, random_state=random_state)
        release_memory()  # and the fit's, before the workers that give the proportions start
        chunks = progress_bar(range(spill.n_chunks), desc="doc-topics", unit="chunk")
        doc_topic = np.vstack(list(map_chunks(spilled_proportions, chunks, n_jobs=n_jobs, folder=spill.folder,
                                              space=space, model=model, method=method)))
        if isinstance(source, pd.DataFrame) and "text" in source:
            corpus, top_texts = source.reset_index(drop=True), {}
        elif texts is not None:
            corpus, top_texts = meta, _looked_up(texts, meta["doc_id"].iloc[top_rows(doc_topic, N_TEXTS)])
        else:
            corpus, top_texts = meta, _texts_of(spill, top_rows(doc_topic, N_TEXTS))
    finally:
        spill.close()
    pipeline = Pipeline([("vectorizer", space.vectorizer(preprocessor)), ("model", model)])
    return StreamedTopicModel(pipeline, corpus, doc_topic, labels_for(n_topics), method, texts=top_texts,
                              n_texts=N_TEXTS)


def _count_into(spill: _Spill, chunks, preprocessor, cache_dir=None, n_jobs: int = 1, tokens=None, counts=None,
                known_frequencies: pd.Series | None = None, looks_up_texts: bool = False):
    """Pass 1: count and spill every chunk (in ``n_jobs`` processes, kept in order); return
    metadata, summed document frequencies (``known_frequencies``, checked, when given) and the
    preprocessor (each document in its own language when not given). With a ``cache_dir``, tokens
    come from (and go to) the Parquet token cache there, in this process; with ``tokens`` (one item per
    chunk), from there; with ``counts`` (one ``(terms, counts)`` pair per chunk), nothing is counted here."""
    if known_frequencies is not None and counts is None:
        raise ValueError("document_frequencies go with counts: pass the (terms, counts) pairs they were summed over.")
    chunks = iter(progress_bar(chunks, desc="counting terms", unit="chunk"))
    first = next(chunks, None)
    if first is not None:  # with counts and a texts lookup given, no text is read
        require_columns(first, "doc_id", *(() if looks_up_texts else ("text",)), what="corpus chunk")
        preprocessor = topic_preprocessor(preprocessor, None)  # later chunks may be in another language
        chunks = chain([first], chunks)
    if counts is not None:
        counted_chunks = (_counted(chunk, *known) for chunk, known in zip(chunks, counts, strict=True))
    elif tokens is not None:
        counted_chunks = (count_chunk(chunk, preprocessor, tokens=_aligned(known, chunk))
                          for chunk, known in zip(chunks, tokens, strict=True))
    elif cache_dir is None:
        counted_chunks = map_chunks(count_chunk, chunks, n_jobs=n_jobs, preprocessor=preprocessor)
    else:
        cache = TokenCache(cache_dir, preprocessor)
        counted_chunks = (count_chunk(chunk, preprocessor, tokens=cache.tokens(
            chunk["text"], doc_ids=chunk["doc_id"].to_numpy(), langs=chunk["lang"] if "lang" in chunk else None))
            for chunk in chunks)
    # a dict of 3 million terms: 0.6 GB at peak, against 1.0 GB as Arrow-string Series summed by groupby
    metas, frequencies, pairs = [], {}, 0
    for counted in counted_chunks:
        pairs += counted.counts.nnz  # (document, term) pairs: the sum of the document frequencies
        if known_frequencies is None:
            for term, df in zip(counted.terms, counted.document_frequencies().to_numpy()):
                frequencies[term] = frequencies.get(term, 0) + int(df)
        metas.append(counted.meta)
        spill.add(counted)
        if len(metas) % RELEASE_EVERY == 0:
            release_memory()  # each chunk's texts and terms came and went: keep the resident size to what lives
    check_n_docs(sum(len(m) for m in metas))
    if known_frequencies is None:
        return metas, pd.Series(frequencies, dtype="int64"), preprocessor
    if int(known_frequencies.sum()) != pairs:
        raise ValueError(f"document_frequencies add up to {int(known_frequencies.sum()):,} (document, term) pairs but "
                         f"the counts hold {pairs:,}; sum them over the same tokens as the counts.")
    return metas, known_frequencies.astype("int64"), preprocessor


RELEASE_EVERY = 10  # chunks counted between two returns of freed memory to the system


def _aligned(tokens: list, chunk: pd.DataFrame) -> list:
    if len(tokens) != len(chunk):
        raise ValueError(f"tokens has {len(tokens)} lists for a chunk of {len(chunk)} documents; pass one list per "
                         "document, one item per chunk of the source.")
    return tokens


def _looked_up(texts: Callable[[pd.Series], Mapping], doc_ids: pd.Series) -> dict:
    """``doc_id -> text`` of ``doc_ids`` from the caller's ``texts``; every one must be found."""
    found = dict(texts(doc_ids.reset_index(drop=True)))
    missing = [doc_id for doc_id in doc_ids if doc_id not in found]
    if missing:
        raise ValueError(f"texts gave no text for {len(missing)} of the top documents (e.g. {missing[0]!r}).")
    return {doc_id: found[doc_id] for doc_id in doc_ids}


def _texts_of(spill: _Spill, rows: np.ndarray) -> dict:
    """``doc_id -> text`` of the given corpus rows, read back from the spilled chunks."""
    texts, offset = {}, 0
    for i in range(spill.n_chunks):
        counted = spill.load(i, texts=True)
        local = rows[(rows >= offset) & (rows < offset + len(counted.texts))] - offset
        texts.update(zip(counted.meta["doc_id"].to_numpy()[local], counted.texts[local]))
        offset += len(counted.texts)
    return texts
