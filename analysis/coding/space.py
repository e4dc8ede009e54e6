"""The semantic space of Latent Semantic Scaling: lemma vectors from an SVD of the unit-by-lemma matrix.

Units are sentences (the kit's segmenter, :func:`analysis.text.split_sentences`) or whole
documents; lemmas come from :class:`analysis.text.Preprocessor` (lowercased, stopwords,
numbers and punctuation dropped), so the space sees the same lemmas as every other measure.

How the matrix is weighted and compared (chosen on ``benchmarks/lss.py``; LSX's own choice is
``weighting="count"``):

- ``"normalized"``: a lemma counts once per unit, each lemma's column has unit length and each
  unit's row is divided by the square root of its number of lemmas, so the SVD factorises
  co-occurrence scaled by how often both lemmas occur (close to an association measure) rather
  than raw co-occurrence, which frequent lemmas dominate.
- Term vectors are the right singular vectors times the singular values, from a randomised SVD
  with 10 power iterations (scikit-learn's default 5 left 300 components inexact enough to move
  the AUC by ±0.02 between random states; 10 is within 0.005 of the exact ARPACK solution).
- Similarities are cosines averaged over nested slices of the components (the first 1/12,
  1/6, 1/3, 1/2, 2/3 and all of them): on small corpora the cosine at one size is unstable
  (AUC moved by ±0.05 between 50, 100 and 200 components), the average is not.

>>> import pandas as pd
>>> texts = ["Die Verhandlung bringt eine Einigung.", "Die Einigung folgt der Verhandlung.",
...          "Der Angriff trifft die Stadt.", "Ein Angriff zerstört die Stadt."] * 3
>>> space = build_space(unit_lemmas(texts, lang="de", unit="sentence"), n_components=3, min_df=2)
>>> sorted(space.index)
['angriff', 'bringen', 'einigung', 'folgen', 'stadt', 'treffen', 'verhandlung', 'zerstören']
>>> sims = space.similarity({"verhandlung": 1.0})
>>> bool(sims[space.index["einigung"]] > sims[space.index["stadt"]])
True
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import CountVectorizer

from analysis.text.preprocessor import Preprocessor
from analysis.text.segment import split_sentences

UNITS = ("sentence", "document")
WEIGHTINGS = ("normalized", "count")
SLICES = (1 / 12, 1 / 6, 1 / 3, 1 / 2, 2 / 3, 1.0)
SVD_ITERATIONS = 10


def unit_lemmas(texts, *, lang: str, unit: str, preprocessor: Preprocessor | None = None) -> list[list[list[str]]]:
    """Each text's units (its sentences, or the whole text) as lists of lemmas."""
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {list(UNITS)}, not {unit!r}.")
    pre = preprocessor or Preprocessor(lang)
    if unit == "document":
        return [[pre(text)] for text in texts]
    return [[pre(sentence) for sentence in split_sentences(text, lang=lang)] for text in texts]


def _lemmas(unit: list[str]) -> list[str]:
    return unit  # units arrive as lemma lists: the vectorizer's analyzer passes them through


def count_matrix(units: list[list[str]], vocabulary: dict[str, int]) -> sp.csr_matrix:
    """Units by lemmas of ``vocabulary`` (counts); lemmas outside it are left out."""
    return CountVectorizer(analyzer=_lemmas, vocabulary=vocabulary).transform(units).tocsr()


def weight_matrix(counts: sp.csr_matrix, weighting: str) -> sp.csr_matrix:
    """The matrix the SVD factorises (see the module docstring)."""
    if weighting not in WEIGHTINGS:
        raise ValueError(f"weighting must be one of {list(WEIGHTINGS)}, not {weighting!r}.")
    if weighting == "count":
        return counts.astype(np.float64)
    present = (counts > 0).astype(np.float64).tocsc()
    columns = np.sqrt(np.asarray(present.sum(axis=0)).ravel())
    present = (present @ sp.diags(1 / np.maximum(columns, 1))).tocsr()
    rows = np.sqrt(np.diff(present.indptr))
    return sp.diags(1 / np.maximum(rows, 1)) @ present


@dataclass
class TermSpace:
    """Lemma vectors: ``index`` maps a lemma to its row in ``vectors``; ``n_units`` counts the
    units that hold each lemma."""

    index: dict[str, int]
    vectors: np.ndarray
    n_units: np.ndarray

    @property
    def terms(self) -> np.ndarray:
        return np.asarray(list(self.index), dtype=object)

    def similarity(self, weights: dict[str, float]) -> np.ndarray:
        """Every lemma's weighted sum of cosines to the lemmas in ``weights``, averaged over slices."""
        rows = [self.index[t] for t in weights]
        w = np.asarray(list(weights.values()), dtype=np.float64)
        k = self.vectors.shape[1]
        total = np.zeros(len(self.index))
        sizes = sorted({max(1, round(k * share)) for share in SLICES})
        for size in sizes:
            part = self.vectors[:, :size]
            unit = part / np.maximum(np.linalg.norm(part, axis=1, keepdims=True), 1e-12)
            total += unit @ (unit[rows].T @ w)
        return total / len(sizes)


def build_space(units_per_doc: list[list[list[str]]], *, n_components: int = 300, min_df: int = 5,
                weighting: str = "normalized", random_state=0) -> TermSpace:
    """The space of lemmas found in at least ``min_df`` units; at most ``n_components`` dimensions
    (fewer when the corpus has fewer units or lemmas)."""
    units = [unit for doc in units_per_doc for unit in doc]
    counts = CountVectorizer(analyzer=_lemmas, min_df=min_df, dtype=np.float64).fit(units)
    vocabulary = {t: i for i, t in enumerate(counts.get_feature_names_out())}
    if len(vocabulary) < 3:
        raise ValueError(f"only {len(vocabulary)} lemma(s) occur in at least min_df={min_df} units "
                         f"of {len(units)}; fit on a larger corpus or lower min_df.")
    matrix = count_matrix(units, vocabulary)
    k = min(n_components, min(matrix.shape) - 1)
    svd = TruncatedSVD(n_components=k, n_iter=SVD_ITERATIONS, random_state=random_state).fit(weight_matrix(matrix, weighting))
    vectors = svd.components_.T * svd.singular_values_
    return TermSpace(vocabulary, vectors, np.asarray((matrix > 0).sum(axis=0)).ravel())
