"""Benchmark sentiment methods on GerNTSA (German news sentences with a target and a gold label).

Run from the repository root::

    python benchmarks/sentiment.py              # the methods table (5–10 minutes)
    python benchmarks/sentiment.py --lexicons   # also: each lexicon alone and combined, contexts

Evaluation: 5-fold grouped cross-validation on the public split ``data/raw/gerntsa/``
(3,040 records). Folds are grouped by sentence text, so no sentence is ever seen in training
and test (a sentence with several targets stays on one side). Methods that need no
training are scored on every test fold as they are; "tuned" rows fit only the two
neutral-band thresholds on the training folds. Printed per method: macro-F1 with a 95%
bootstrap interval, accuracy, per-class F1, prediction speed (sentences/s on the test
folds, after one warm-up pass that loads the lexicons and fills the lemma cache) and
training time per fold.

Methods: ``LexiconSentiment`` with the target (default and tuned thresholds) and without it
(whole sentence), ``SentimentClassifier``, the dictionary baseline textblob-de (a
benchmark-only extra: ``pip install textblob-de textblob==0.17.1``; its rows are skipped
without it) with its own zero thresholds and with tuned thresholds, and tf-idf + logistic
regression (scikit-learn defaults, and with ``class_weight="balanced"``).
"""

from __future__ import annotations

import argparse
import platform
import time
from importlib import metadata

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from sklearn.pipeline import make_pipeline

from analysis.corpus.datasets import load_gerntsa
from analysis.sentiment import LABELS, LexiconSentiment, SentimentClassifier, evaluate
from analysis.sentiment.lexicon import _tune_thresholds

N_FOLDS = 5


def version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


class ThresholdScorer:
    """Any polarity function as a classifier: zero thresholds, or tuned like LexiconSentiment."""

    def __init__(self, polarity, *, tune: bool):
        self.polarity = polarity
        self.tune = tune

    def fit(self, X, y):
        self.thresholds_ = _tune_thresholds(self.polarity(X), np.asarray(y)) if self.tune else (0.0, 0.0)
        return self

    def predict(self, X):
        scores, (lower, upper) = self.polarity(X), self.thresholds_
        return np.where(scores > upper, "positive", np.where(scores < lower, "negative", "neutral"))


def textblob_polarity():
    """textblob-de's polarity as a function of X, or None when textblob-de is not installed."""
    try:
        from textblob_de import PatternTokenizer, TextBlobDE
    except ImportError:
        return None
    tokenizer = PatternTokenizer()  # avoids NLTK's punkt data, which would need a download
    return lambda X: np.array([TextBlobDE(t, tokenizer=tokenizer).sentiment.polarity for t in X["text"]])


class TextOnly:
    """A scikit-learn text pipeline fed the ``text`` column (no target)."""

    def __init__(self, pipeline):
        self.pipeline = pipeline

    def fit(self, X, y):
        self.pipeline.fit(X["text"], y)
        return self

    def predict(self, X):
        return self.pipeline.predict(X["text"])


class NoTarget:
    """Hide the target from a method: it sees the whole sentence."""

    def __init__(self, model):
        self.model = model

    def fit(self, X, y):
        self.model.fit(X["text"].tolist(), y)
        return self

    def predict(self, X):
        return self.model.predict(X["text"].tolist())


class NoFit:
    """Use a method as it ships: ``fit`` does nothing."""

    def __init__(self, model):
        self.model = model

    def fit(self, X, y):
        return self

    def predict(self, X):
        return self.model.predict(X)


def methods() -> dict:
    found = {
        "LexiconSentiment, target (default thresholds)": lambda: NoFit(LexiconSentiment()),
        "LexiconSentiment, target (tuned thresholds)": lambda: LexiconSentiment(),
        "LexiconSentiment, no target (default)": lambda: NoTarget(NoFit(LexiconSentiment())),
        "LexiconSentiment, no target (tuned)": lambda: NoTarget(LexiconSentiment()),
        "SentimentClassifier, target": lambda: SentimentClassifier(progress=False),
    }
    polarity = textblob_polarity()
    if polarity is not None:
        found["textblob-de (zero thresholds)"] = lambda: ThresholdScorer(polarity, tune=False)
        found["textblob-de (tuned thresholds)"] = lambda: ThresholdScorer(polarity, tune=True)
    found["tf-idf + logistic regression"] = lambda: TextOnly(make_pipeline(
        TfidfVectorizer(), LogisticRegression(max_iter=3000)))
    found["tf-idf + logistic regression (balanced)"] = lambda: TextOnly(make_pipeline(
        TfidfVectorizer(), LogisticRegression(max_iter=3000, class_weight="balanced")))
    return found


def cross_validate(make, X: pd.DataFrame, y: np.ndarray, folds) -> tuple[np.ndarray, float, float]:
    """Out-of-fold predictions, prediction throughput (sentences/s) and mean fit seconds."""
    predicted = np.empty(len(y), dtype=object)
    fit_seconds, predict_seconds = [], 0.0
    for train, test in folds:
        model = make()
        start = time.perf_counter()
        model.fit(X.iloc[train], y[train])
        fit_seconds.append(time.perf_counter() - start)
        start = time.perf_counter()
        predicted[test] = model.predict(X.iloc[test])
        predict_seconds += time.perf_counter() - start
    return predicted.astype(str), len(y) / predict_seconds, float(np.mean(fit_seconds))


def row(name: str, y, predicted, speed: float, fit_seconds: float) -> dict:
    report = evaluate(y, predicted).set_index("label")
    out = {"method": name, "macro_f1": report.loc["macro avg", "f1"],
           "ci": f"[{report.loc['macro avg', 'f1_ci_lower']:.3f}, {report.loc['macro avg', 'f1_ci_upper']:.3f}]",
           "accuracy": report.loc["accuracy", "f1"]}
    out.update({f"f1_{label[:3]}": report.loc[label, "f1"] for label in LABELS})
    out.update({"sent_per_s": round(speed), "fit_s": round(fit_seconds, 2)})
    return out


def lexicon_table(X, y, folds) -> pd.DataFrame:
    """Each German lexicon alone and combined, and the target contexts (tuned thresholds)."""
    configs = [(f"{'+'.join(s)}, context=text", {"lexicons": s, "context": "text"})
               for s in [("sentiws",), ("rauh",), ("gpl",), ("sentiws", "gpl"), ("sentiws", "rauh"),
                         ("rauh", "gpl"), ("sentiws", "rauh", "gpl")]]
    configs += [(f"sentiws+rauh+gpl, context={c}, outside_weight={w}", {"context": c, "outside_weight": w})
                for c, w in [("sentence", 0.0), ("sentence", 0.5), ("window", 0.5), ("clause", 0.0), ("clause", 0.5)]]
    configs += [("sentiws+gpl, context=clause, outside_weight=0.5", {"lexicons": ("sentiws", "gpl")})]
    rows = []
    for name, params in configs:
        tuned, speed, _ = cross_validate(lambda: LexiconSentiment(**params), X, y, folds)
        default, _, _ = cross_validate(lambda: NoFit(LexiconSentiment(**params)), X, y, folds)
        rows.append({"lexicon / context": name, "macro_f1 tuned": evaluate(y, tuned, n_boot=1).iloc[3]["f1"],
                     "macro_f1 default": evaluate(y, default, n_boot=1).iloc[3]["f1"], "sent_per_s": round(speed)})
    return pd.DataFrame(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lexicons", action="store_true", help="also compare lexicons and contexts")
    args = parser.parse_args()
    corpus = load_gerntsa().corpus.reset_index(drop=True)
    X = corpus[["text", "target", "target_start", "target_end"]]
    y = corpus["label"].to_numpy().astype(str)
    folds = list(GroupKFold(n_splits=N_FOLDS).split(X, y, groups=pd.factorize(corpus["text"])[0]))
    print(f"GerNTSA public split: {len(y)} records, {corpus['text'].nunique()} distinct sentences; "
          f"labels {pd.Series(y).value_counts().to_dict()}; {N_FOLDS}-fold cross-validation grouped by sentence")
    print(f"python {platform.python_version()}, scikit-learn {version('scikit-learn')}, "
          f"simplemma {version('simplemma')}, textblob-de {version('textblob-de')}\n")
    LexiconSentiment().decision_function(X)  # load the lexicons and warm the lemma cache: steady-state speeds
    rows = []
    for name, make in methods().items():
        predicted, speed, fit_seconds = cross_validate(make, X, y, folds)
        rows.append(row(name, y, predicted, speed, fit_seconds))
        print(f"  done: {name}", flush=True)
    table = pd.DataFrame(rows).set_index("method")
    with pd.option_context("display.width", 200, "display.max_columns", 20, "display.float_format", "{:.3f}".format):
        print("\n" + table.to_string())
    print_margins(table)
    if args.lexicons:
        with pd.option_context("display.width", 200, "display.float_format", "{:.3f}".format):
            print("\nLexicons and contexts (LexiconSentiment; tuned = thresholds fit on the training folds)")
            print(lexicon_table(X, y, folds).to_string(index=False))


def print_margins(table: pd.DataFrame) -> None:
    f1 = table["macro_f1"]
    dictionaries = f1[f1.index.str.startswith("textblob-de")]
    baselines = f1[f1.index.str.startswith("tf-idf")]
    lexicon = f1["LexiconSentiment, target (tuned thresholds)"]
    print()
    if len(dictionaries):
        print(f"LexiconSentiment (target, tuned) - best other dictionary method ({dictionaries.idxmax()}): "
              f"{lexicon - dictionaries.max():+.3f} macro-F1 (target: >= +0.10)")
    print(f"SentimentClassifier - best tf-idf + logistic regression ({baselines.idxmax()}): "
          f"{f1['SentimentClassifier, target'] - baselines.max():+.3f} macro-F1 (target: >= +0.05)")


if __name__ == "__main__":
    main()
