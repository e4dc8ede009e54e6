"""Seconds of the streamed topic fit's NMF steps: scikit-learn's ``MiniBatchNMF`` against the kit's ``OnlineNMF``.

Run: ``python benchmarks/online_nmf.py`` (``--repeats 3``, the best of each is printed).

The streamed fit (``analysis.topics.streaming``) calls ``partial_fit`` on mini-batches of
1,024 documents and ``transform`` on every chunk; both solve W with H fixed, which is where
``OnlineNMF`` saves the repeated products. Features:

- the 10kGNAD test split (1,028 German articles) as sublinear tf-idf of the kit's lemmas, and
- synthetic tf-idf rows of 8,192 documents, 150 distinct terms each, over vocabularies of
  20,000 and 150,000 terms (the million-article archive of ``benchmarks/scale.py`` keeps ~10⁵).

k = 12 topics, ``random_state=0``. Printed per feature set: the seconds of the partial fits over
all batches and of one ``transform`` of all rows, for each class, and whether the topics and the
proportions are the same bits.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.decomposition import MiniBatchNMF

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from analysis.corpus import datasets  # noqa: E402
from analysis.text import Preprocessor  # noqa: E402
from analysis.topics.online_nmf import OnlineNMF  # noqa: E402
from analysis.topics.pipeline import BATCH_SIZE, make_vectorizer  # noqa: E402

K = 12


def gnad_features() -> sp.csr_matrix:
    pre = Preprocessor(lang="de")
    texts = datasets.load_gnad10().corpus["text"]
    return make_vectorizer("nmf", min_df=2).fit_transform([pre(t) for t in texts]).tocsr()


def synthetic_features(n_terms: int, n_docs: int = 8_192, per_doc: int = 150) -> sp.csr_matrix:
    rng = np.random.default_rng(0)
    columns = np.minimum(rng.zipf(1.3, n_docs * per_doc) - 1, n_terms - 1)  # Zipf-like term use
    rows = np.repeat(np.arange(n_docs), per_doc)
    X = sp.csr_matrix((rng.random(n_docs * per_doc), (rows, columns)), shape=(n_docs, n_terms))
    X.sum_duplicates()
    return sp.csr_matrix(X / sp.linalg.norm(X, axis=1)[:, None])


def timed(model_class, X) -> tuple[float, float, np.ndarray, np.ndarray]:
    model = model_class(n_components=K, init="nndsvda", batch_size=BATCH_SIZE, random_state=0)
    start = time.perf_counter()
    for first in range(0, X.shape[0], BATCH_SIZE):
        model.partial_fit(X[first:first + BATCH_SIZE])
    fit = time.perf_counter() - start
    start = time.perf_counter()
    W = model.transform(X)
    return fit, time.perf_counter() - start, model.components_, W


def compare(name: str, X, repeats: int) -> dict:
    runs = {cls: [timed(cls, X) for _ in range(repeats)] for cls in (MiniBatchNMF, OnlineNMF)}
    (_, _, H_theirs, W_theirs), (_, _, H_mine, W_mine) = runs[MiniBatchNMF][0], runs[OnlineNMF][0]
    best = {cls: (min(r[0] for r in found), min(r[1] for r in found)) for cls, found in runs.items()}
    return {"features": name, "documents": X.shape[0], "terms": X.shape[1],
            "MiniBatchNMF fit s": round(best[MiniBatchNMF][0], 2), "OnlineNMF fit s": round(best[OnlineNMF][0], 2),
            "MiniBatchNMF transform s": round(best[MiniBatchNMF][1], 2),
            "OnlineNMF transform s": round(best[OnlineNMF][1], 2),
            "same bits": bool((H_mine == H_theirs).all() and (W_mine == W_theirs).all())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=1)
    repeats = parser.parse_args().repeats
    rows = [compare("10kGNAD test, tf-idf of lemmas", gnad_features(), repeats)]
    rows += [compare(f"synthetic, {n:,} terms", synthetic_features(n), repeats) for n in (20_000, 150_000)]
    print(pd.DataFrame(rows).to_string(index=False))


if __name__ == "__main__":
    main()
