"""Lemma vectors learned from the bundled unlabelled news text, kept as plain data (NPZ).

:func:`fit_lemma_vectors` counts, for every pair of lemmas, how often they occur at most
``window`` words apart (weighted 1/distance), turns the counts into positive pointwise mutual
information (context counts smoothed by the power 0.75) and keeps the first ``dim`` singular
directions (truncated SVD, scaled by the square root of the singular values), each row
l2-normalised. Lemmas, not word forms: German inflection would otherwise split one word into
five rare ones. :func:`mention_vector` averages these vectors around a mention; the stance
model uses them to carry what it learnt about one word to its neighbours in meaning.

The bundled table (``analysis/resources/sentiment/vectors-en.npz``, rebuilt with
``python -m analysis.sentiment.stance --rebuild``) is fitted on English text of ``data/raw``
only — no label: the conflict corpus (Kremlin and President of Ukraine releases), Wikinews
2019–2020 and the NewsMTSC sentences (sources and licences:
``analysis/resources/sentiment/README.md``). German has none bundled: fitted on the 10kGNAD
test split and the GerNTSA sentences (:func:`unlabelled_texts`) its vectors did not help the
German stance model, and 10kGNAD is non-commercial text.

>>> lemmas, table = fit_lemma_vectors(["Der Krieg ist schlimm.", "Der Krieg ist grausam."] * 3,
...                                   lang="de", dim=2, min_count=3)
>>> lemmas[:3], table.shape
(['der', 'krieg', 'sein'], (5, 2))
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from itertools import repeat
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.utils.extmath import randomized_svd

from analysis.text.analysis import analyze, scratch

RESOURCES = Path(__file__).resolve().parents[1] / "resources" / "sentiment"
_CHUNK = 512  # mentions whose means are normalised at once by mention_vectors


class LemmaVectors:
    """A lemma → row lookup over a float table (rows l2-normalised)."""

    def __init__(self, lemmas, table: np.ndarray):
        self.lemmas = list(lemmas)
        self.table = np.asarray(table, dtype=np.float64)
        self.index = {lemma: i for i, lemma in enumerate(self.lemmas)}
        if len(self.index) != len(self.table):
            raise ValueError(f"{len(self.index)} distinct lemmas for {len(self.table)} vectors: they must match one to one.")

    @property
    def dim(self) -> int:
        return self.table.shape[1]


def _word_lemmas(text: str, lang: str) -> list[str]:
    analysis = analyze(text, lang=lang)
    return [lemma for lemma, kind in zip(analysis.lower_lemmas, analysis.kinds) if kind == "word"]


def fit_lemma_vectors(texts, *, lang: str, dim: int = 100, window: int = 4, min_count: int = 3,
                      random_state: int = 0) -> tuple[list[str], np.ndarray]:
    """``(lemmas, table)``: PPMI-SVD vectors (one l2-normalised row per lemma that occurs at
    least ``min_count`` times in ``texts``, most frequent first)."""
    with scratch():  # thousands of documents seen once: keep them out of the shared cache
        docs = [_word_lemmas(str(text), lang) for text in texts]
    counts = Counter(lemma for doc in docs for lemma in doc)
    lemmas = [lemma for lemma, n in sorted(counts.items(), key=lambda item: (-item[1], item[0])) if n >= min_count]
    if len(lemmas) <= dim:
        raise ValueError(f"{len(lemmas)} lemmas occur at least {min_count} times: too few for {dim} dimensions; "
                         "pass more text, a lower min_count or a lower dim.")
    index = {lemma: i for i, lemma in enumerate(lemmas)}
    rows, cols, weights = [], [], []
    for doc in docs:
        ids = np.array([index.get(lemma, -1) for lemma in doc])
        for gap in range(1, window + 1):
            left, right = ids[:-gap], ids[gap:]
            keep = (left >= 0) & (right >= 0)
            rows += [left[keep], right[keep]]
            cols += [right[keep], left[keep]]
            weights.append(np.full(2 * int(keep.sum()), 1.0 / gap))
    n = len(lemmas)
    pairs = sp.coo_matrix((np.concatenate(weights), (np.concatenate(rows), np.concatenate(cols))), shape=(n, n)).tocsr()
    pairs.sum_duplicates()
    pairs = pairs.tocoo()
    row_mass = np.asarray(pairs.sum(axis=1)).ravel()
    context_mass = np.asarray(pairs.sum(axis=0)).ravel() ** 0.75
    pmi = np.log(pairs.data * context_mass.sum() / (row_mass[pairs.row] * context_mass[pairs.col]))
    positive = pmi > 0
    ppmi = sp.csr_matrix((pmi[positive], (pairs.row[positive], pairs.col[positive])), shape=(n, n))
    u, s, _ = randomized_svd(ppmi, dim, random_state=random_state)
    table = u * np.sqrt(s)
    table /= np.maximum(np.linalg.norm(table, axis=1, keepdims=True), 1e-12)
    return lemmas, table


def unlabelled_texts(lang: str) -> list[str]:
    """The bundled news text of ``lang`` for fitting lemma vectors (labels never read)."""
    from analysis.corpus.datasets import load_conflict_corpus, load_gerntsa, load_gnad10, load_newsmtsc, load_wikinews

    if lang == "de":
        loads = (load_gnad10(), load_gerntsa())
    elif lang == "en":
        loads = (load_conflict_corpus(), load_wikinews(), load_newsmtsc())
    else:
        raise ValueError(f"there are bundled lemma vectors for 'de' and 'en', not {lang!r}.")
    return list(dict.fromkeys(str(text) for load in loads for text in load.corpus["text"]))


def save_lemma_vectors(path, lemmas, table) -> Path:
    """Write ``lemmas`` (str array) and ``table`` (float16) to an NPZ readable without pickle."""
    path = Path(path)
    np.savez_compressed(path, lemmas=np.asarray(lemmas, dtype=str), table=np.asarray(table, dtype=np.float16))
    return path


def load_lemma_vectors(path) -> LemmaVectors:
    """:class:`LemmaVectors` from an NPZ written by :func:`save_lemma_vectors` (no pickle)."""
    with np.load(Path(path), allow_pickle=False) as arrays:
        return LemmaVectors(arrays["lemmas"].tolist(), arrays["table"])


@lru_cache(maxsize=4)
def lemma_vectors(lang: str = "en") -> LemmaVectors:
    """The bundled lemma vectors of ``lang`` (only ``"en"`` is bundled), loaded once.

    >>> lemma_vectors("en").dim
    100
    """
    if lang != "en":
        raise ValueError(f"bundled lemma vectors exist for 'en' only, not {lang!r}; fit your own with "
                         "fit_lemma_vectors(unlabelled_texts('de'), lang='de').")
    return load_lemma_vectors(RESOURCES / f"vectors-{lang}.npz")


def mention_vector(lemmas, first: int, last: int, vectors: LemmaVectors, *, near: int = 5,
                   in_clause=None) -> np.ndarray:
    """Four unit-length means of the lemma vectors around tokens ``first..last`` (the mention;
    -1 for none): the ``near`` lemmas left, the ``near`` right, all lemmas outside the mention
    weighted 1/(1 + distance), and those ``in_clause`` (a boolean per token). Lemmas without a
    vector are skipped; an empty mean is zeros.

    >>> vectors = LemmaVectors(["gut", "schlecht"], np.eye(2))
    >>> mention_vector(["gut", "X", "schlecht"], 1, 1, vectors).reshape(4, 2).tolist()
    [[1.0, 0.0], [0.0, 1.0], [0.7071067811865475, 0.7071067811865475], [0.7071067811865475, 0.7071067811865475]]
    """
    return mention_vectors([(lemmas, [(first, last)], [in_clause])], vectors, near=near)[0]


def mention_vectors(sentences, vectors: LemmaVectors, *, near: int = 5) -> np.ndarray:
    """:func:`mention_vector` of many mentions, one row each (``4 * vectors.dim`` columns).
    ``sentences`` yields ``(lemmas, mentions, in_clause)`` per sentence: its lemmas, its mentions'
    ``(first, last)`` tokens and, per mention, a boolean per token or None. Each sentence's
    lemmas are looked up once and all weights are computed in one pass; per mention only the
    product of its weights with its lemmas' vectors remains, the very call :func:`mention_vector`
    makes (same shapes and memory layout, so the same sums to the last bit).

    >>> vectors = LemmaVectors(["gut", "schlecht"], np.eye(2))
    >>> mention_vectors([(["gut", "X", "schlecht"], [(1, 1), (0, 0)], [None, None])], vectors)[:, :4].tolist()
    [[1.0, 0.0, 0.0, 1.0], [0.0, 0.0, 0.0, 1.0]]
    """
    known, tables, firsts, lasts, clauses, starts = [], [], [], [], [], []
    for lemmas, mentions, in_clause in sentences:
        ids = np.fromiter(map(vectors.index.get, lemmas, repeat(-1)), dtype=np.int64, count=len(lemmas))
        positions = np.flatnonzero(ids >= 0)  # only these tokens' weights reach the means
        table = vectors.table[ids[positions]]
        for (first, last), clause in zip(mentions, in_clause):
            known.append(positions)
            tables.append(table)
            firsts.append(first)
            lasts.append(last)
            starts.append(starts[-1] + len(clauses[-1]) if clauses else 0)  # its flags' place among all flags
            clauses.append(np.ones(len(ids), bool) if clause is None else np.asarray(clause, bool))
    sizes = [len(positions) for positions in known]
    position = np.concatenate(known) if known else np.zeros(0, np.int64)
    first, last = np.repeat(np.asarray(firsts, np.int64), sizes), np.repeat(np.asarray(lasts, np.int64), sizes)
    found = first >= 0  # a mention was found in the sentence: otherwise every token is "outside", at distance 0
    left, right = found & (position < first), found & (position > last)
    distance = np.where(found, np.where(left, first - position, position - last), 0)
    outside = left | right | ~found
    weights = np.empty((len(position), 4))  # each mention's rows, transposed, are the (4, k) Fortran-ordered
    weights[:, 0] = left & (distance <= near)  # array that selecting columns gives
    weights[:, 1] = right & (distance <= near)
    weights[:, 2] = outside / (1.0 + np.abs(distance))
    weights[:, 3] = outside & np.concatenate(clauses or [np.zeros(0, bool)])[np.repeat(np.asarray(starts, np.int64), sizes) + position]
    out, chunk = np.empty((len(sizes), 4 * vectors.dim)), np.empty((_CHUNK, 4, vectors.dim))
    ends = np.cumsum(sizes).tolist()
    for begin in range(0, len(sizes), _CHUNK):  # a chunk at a time: its sums stay in the processor's cache
        means = chunk[:min(_CHUNK, len(sizes) - begin)]
        for i, (start, end) in enumerate(zip([0, *ends][begin:begin + _CHUNK], ends[begin:begin + _CHUNK])):
            np.matmul(weights[start:end].T, tables[begin + i], out=means[i])
        size = np.linalg.norm(means, axis=2, keepdims=True)
        out[begin:begin + len(means)] = (means / np.where(size > 0, size, 1.0)).reshape(len(means), -1)
    return out
