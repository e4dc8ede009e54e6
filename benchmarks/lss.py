"""Benchmark Latent Semantic Scaling on German news: AUC on GerNTSA, fit and score times for 10k documents.

Run from the repository root (about 5 minutes on 2 cores; ``--quick`` skips the 10k timing)::

    python benchmarks/lss.py

Fit corpus (unlabelled): the bundled 10kGNAD articles (1,028, DER STANDARD) and the distinct
GerNTSA snippets (2,906 texts, labels not used). Gold: GerNTSA's public split, whose labels are
the polarity *toward a target* in the snippet (majority of five crowd annotators). A snippet's
label here is that target label; a snippet with several targets counts only if they all carry
the same label; neutral snippets are left out. That leaves 1,138 snippets, 707 positive and 431
negative. Printed: AUC of the document score for positive vs negative, with a 95% bootstrap
interval (1,000 resamples of the snippets), the number of snippets without a known lemma (score
NaN, left out of the AUC) and the fit time, for

- the naive version (``naive_lss`` below, ~30 lines): whole documents as units, lowercased
  word forms, counts, 300 SVD components, cosine of the right singular vectors to the literal
  seed words, equal seed weights, mean polarity of a document's words;
- :class:`analysis.LatentSemanticScaling` with the bundled German sentiment seeds and its
  defaults, and with one setting changed at a time.

Then fit and score times for 10,000 synthetic articles made of real German news sentences
(``benchmarks/scale_corpus.py``, about 180,000 sentences, 33,700 lemmas at min_df 5). Measured
on 2 shared cores at load average 9–11 (so several times slower than on an idle machine): fit
167 s with sentence units, 115 s with document units; scoring the 10,000 articles 5–6 s.
AUC of the defaults: 0.717 (95% interval 0.686–0.749); naive version 0.521.

What was tried on the way (same data and gold; ``seed weights`` "log" = a seed's share of its
pole grows with log(1 + units holding it), "equal" as in LSX; ``vectors`` V = right singular
vectors as in LSX, V·S = times the singular values):

| matrix weighting | vectors | components | seed weights | AUC |
|---|---|---|---|---|
| counts (LSX) | V | 300 | equal | 0.577 |
| counts | V | 50 / 100 | equal | 0.617 / 0.574 |
| counts | V·S | 300 | equal / log | 0.600 / 0.620 |
| tf-idf / log counts / binary / PPMI | V·S | 300 | log | 0.610 / 0.618 / 0.610 / 0.597 |
| counts, only the 500 / 2,000 lemmas closest to the seeds scored (LSX ``terms``) | V | 300 | equal | 0.619 / 0.578 |
| counts, whole documents as units | V | 300 / 100 | equal | 0.568 / 0.605 |
| counts, negated lemmas marked (``NEG_``) | V·S | 300 | log | 0.625 |
| normalised (binary, unit-length columns, rows / √length) | V·S | 50 / 100 / 200 | log | 0.700 / 0.684 / 0.636 |
| normalised, min_df 2 / 10 | V·S | 100 | log | 0.593 / 0.616 |
| normalised, cosines averaged over nested slices (1/12 … all of 300) | V·S | 300 | log | 0.700–0.710 for min_df 2, 5, 10 |
| as above, randomised SVD with 5 power iterations (scikit-learn's default), random_state 0 / 1 | V·S | 300 | log | 0.700 / 0.724 |
| as above, 10 power iterations (shipped), random_state 0 / 1 | V·S | 300 | log | 0.717 / 0.722 |
| as above, exact SVD (ARPACK; 5–8× slower) | V·S | 300 | log | 0.721 |
| lemma-by-lemma PPMI co-occurrence instead of units (not LSS) | U·S | 100 | log | 0.698 |

Centering the vectors or removing their top principal components, shrinking rare lemmas'
polarity, term weights (binary, idf) in the document mean and flipping negated lemmas changed
the AUC by less than 0.02. What helped: the normalised matrix (+0.05 over counts), vectors
scaled by singular values (+0.02–0.03), log-frequency seed weights (+0.01–0.02) and, above all
for stability, averaging over slices and a converged SVD: a single size of the space moved the AUC by ±0.05 between
50, 100 and 200 components or min_df 5 and 10; the average did not. Dropping ambiguous seeds
("richtig", "überlegen", "ausgezeichnet", "unterlegen"; see the seed file) moved it by ±0.01.
The naive version printed below scores 0.52 here, not the 0.66 the issue quotes for its naive
version: its exact set-up (tokens, seeds, corpus) is not known. The German sentiment lexicon of :class:`analysis.LexiconSentiment` reaches 0.79 on the same
snippets: with 233,000 lemma tokens to learn from, LSS does not learn sentiment as well as a
hand-made lexicon; it is for dimensions that have no lexicon.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.metrics import roc_auc_score

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import analysis.coding.space as space_module  # noqa: E402
from analysis.coding import LatentSemanticScaling, load_seeds  # noqa: E402
from analysis.corpus import datasets  # noqa: E402

NAIVE_SEEDS = {"gut": 1, "schön": 1, "hervorragend": 1, "positiv": 1, "glücklich": 1, "korrekt": 1, "nett": 1,
               "schlecht": -1, "übel": -1, "mangelhaft": -1, "negativ": -1, "unglücklich": -1, "falsch": -1,
               "minderwertig": -1}


def fit_corpus_and_gold() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The unlabelled fit corpus and the polar GerNTSA snippets with their label."""
    news = datasets.load_gnad10().corpus[["doc_id", "text"]]
    mentions = datasets.load_gerntsa().corpus
    labels = mentions.groupby("text", sort=False)["label"].agg(lambda s: s.iloc[0] if s.nunique() == 1 else "mixed")
    snippets = pd.DataFrame({"doc_id": [f"gerntsa-{i}" for i in range(len(labels))], "text": labels.index,
                             "label": labels.to_numpy()})
    corpus = pd.concat([news, snippets[["doc_id", "text"]]], ignore_index=True)
    return corpus, snippets[snippets["label"].isin(["positive", "negative"])].reset_index(drop=True)


def naive_lss(corpus_texts: list[str], texts: list[str], seeds: dict[str, int]) -> np.ndarray:
    """LSS in its plainest form: documents as units, word forms, SVD, cosine to seeds, mean."""
    vectorizer = CountVectorizer(token_pattern=r"(?u)\b\w\w+\b", min_df=5)
    matrix = vectorizer.fit_transform(corpus_texts).astype(float)
    vectors = TruncatedSVD(300, random_state=0).fit(matrix).components_.T
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    index = vectorizer.vocabulary_
    known = {w: v for w, v in seeds.items() if w in index}
    weights = np.array(list(known.values()), dtype=float)
    polarity = vectors @ (vectors[[index[w] for w in known]].T @ weights) / len(known)
    counts = vectorizer.transform(texts)
    n_words = np.asarray(counts.sum(axis=1)).ravel()
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n_words > 0, counts @ polarity / n_words, np.nan)


def auc_with_interval(labels: pd.Series, scores: np.ndarray, random_state: int = 0) -> tuple[float, float, float]:
    keep = ~np.isnan(scores)
    truth, scores = (labels.to_numpy()[keep] == "positive"), scores[keep]
    rng = np.random.default_rng(random_state)
    draws = []
    for _ in range(1000):
        pick = rng.integers(0, len(truth), len(truth))
        if truth[pick].all() or not truth[pick].any():
            continue
        draws.append(roc_auc_score(truth[pick], scores[pick]))
    return roc_auc_score(truth, scores), float(np.quantile(draws, 0.025)), float(np.quantile(draws, 0.975))


def row(name: str, gold: pd.DataFrame, scores: np.ndarray, seconds: float) -> dict:
    auc, low, high = auc_with_interval(gold["label"], scores)
    return {"method": name, "auc": round(auc, 3), "ci_lower": round(low, 3), "ci_upper": round(high, 3),
            "n_nan": int(np.isnan(scores).sum()), "fit_s": round(seconds, 1)}


def lss_row(name: str, corpus, gold, **params) -> dict:
    start = time.perf_counter()
    model = LatentSemanticScaling("sentiment", lang="de", **params).fit(corpus)
    seconds = time.perf_counter() - start
    return row(name, gold, model.transform(gold[["doc_id", "text"]])["score"].to_numpy(), seconds)


def quality_table() -> pd.DataFrame:
    corpus, gold = fit_corpus_and_gold()
    print(f"fit corpus: {len(corpus):,} documents; gold: {len(gold):,} snippets "
          f"({(gold['label'] == 'positive').sum()} positive, {(gold['label'] == 'negative').sum()} negative)")
    start = time.perf_counter()
    naive = naive_lss(corpus["text"].tolist(), gold["text"].tolist(), NAIVE_SEEDS)
    rows = [row("naive (documents, word forms, counts, V, 300)", gold, naive, time.perf_counter() - start),
            lss_row("LatentSemanticScaling defaults", corpus, gold)]
    variants = {"weighting='count' (LSX)": {"weighting": "count"}, "unit='document'": {"unit": "document"},
                "n_components=100": {"n_components": 100}, "min_df=2": {"min_df": 2}, "min_df=10": {"min_df": 10},
                "random_state=1": {"random_state": 1}}
    rows += [lss_row(name, corpus, gold, **params) for name, params in variants.items()]
    slices = space_module.SLICES
    space_module.SLICES = (1.0,)  # one size of the space, no averaging over slices
    try:
        rows.append(lss_row("no slice averaging (all 300 components)", corpus, gold))
        rows.append(lss_row("no slice averaging, n_components=100", corpus, gold, n_components=100))
    finally:
        space_module.SLICES = slices
    return pd.DataFrame(rows)


def timing_table(n_docs: int = 10_000) -> pd.DataFrame:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from scale_corpus import write_archive

    with tempfile.TemporaryDirectory() as folder:
        archive = Path(folder) / "archive.parquet"
        write_archive(n_docs, archive)
        corpus = pd.read_parquet(archive, columns=["id", "text"]).rename(columns={"id": "doc_id"})
    rows = []
    for unit in ("sentence", "document"):
        model = LatentSemanticScaling("sentiment", lang="de", unit=unit)
        start = time.perf_counter()
        model.fit(corpus)
        fit_seconds = time.perf_counter() - start
        start = time.perf_counter()
        scores = model.transform(corpus)
        rows.append({"documents": len(corpus), "unit": unit, "lemmas": len(model.space_.index),
                     "fit_s": round(fit_seconds, 1), "score_s": round(time.perf_counter() - start, 1),
                     "scored": int(scores["score"].notna().sum())})
    return pd.DataFrame(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="skip the 10k-document timing")
    args = parser.parse_args()
    print("German sentiment seeds:", ", ".join(f"{w} ({v:+.0f})" for w, v in load_seeds("sentiment").items()))
    with pd.option_context("display.width", 160, "display.max_columns", 20):
        print(quality_table().to_string(index=False))
        if not args.quick:
            print()
            print(timing_table().to_string(index=False))


if __name__ == "__main__":
    main()
