"""Third-round experiments on :class:`~analysis.sentiment.stance.StanceModel`, recorded in the
table of ``benchmarks/sentiment.py`` (none was adopted).

Same folds as that benchmark (5-fold cross-validation grouped by sentence); each variant
prints its macro-F1 over the out-of-fold predictions:

- ``st-*``: self-training. Train on the training fold, label the unlabelled pool with that
  model, add the most confident mentions per predicted class at a weight < 1, train again
  (one or two rounds). The pool is only text whose licence allows shipping derived data and
  no gold sentence: the actors :func:`analysis.frames.find_actors` finds in English Wikinews
  2019–2020 (CC BY 2.5) and the conflict corpus's releases (CC BY 4.0), cut to their sentence.
- ``fold-*``: the same with the actor mentions of the training fold's own sentences that are
  not a gold target (no test sentence is read); the only shippable German pool (GerNTSA).
- ``coref-*``: NewsMTSC's annotated coreferent mentions of the training fold's targets as
  extra rows with the target's label (English only).
- ``calibrated``: class offsets that keep the training labels' proportions, fitted on inner
  grouped folds of the training fold.

Everything is deterministic (``random_state=0``, a fixed pool). Run from the repository root
(English: 1–4 min per variant on 2 cores)::

    python benchmarks/stance_experiments.py --lang en --variants base,st-bal-0.3
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.model_selection import GroupKFold

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis.frames import find_actors
from analysis.sentiment import evaluate
from analysis.sentiment.stance import StanceModel, training_data
from analysis.text.segment import sentence_spans

N_FOLDS = 5
POOL_SIZE = 12000  # pool mentions kept (every k-th, in corpus order): bounds the cost per fold
MIN_WORDS, MAX_WORDS = 6, 60


def pool_corpus(lang: str) -> pd.DataFrame:
    """The unlabelled documents of ``lang`` that may be shipped derived (no gold sentence)."""
    from analysis.corpus.datasets import load_conflict_corpus, load_wikinews

    if lang != "en":
        raise ValueError("only English has a shippable unlabelled pool beyond the gold (GerNTSA)")
    frames = [load.corpus[["doc_id", "text", "lang", "published"]] for load in (load_wikinews(), load_conflict_corpus())]
    return pd.concat(frames, ignore_index=True)


def pool_mentions(lang: str = "en", size: int = POOL_SIZE) -> pd.DataFrame:
    """Actor mentions of :func:`pool_corpus` in their sentence: ``text, target, target_start, target_end``
    (offsets into the sentence), sentences of 6–60 words, distinct, every k-th kept up to ``size``."""
    corpus = pool_corpus(lang)
    mentions = find_actors(corpus, lang=lang)
    texts = dict(zip(corpus["doc_id"], corpus["text"]))
    rows = []
    for doc_id, group in mentions.groupby("doc_id", sort=False):
        text = texts[doc_id]
        spans = sentence_spans(text, lang=lang)
        starts = np.array([a for a, _ in spans])
        for start, end in zip(group["start"], group["end"]):
            a, b = spans[int(np.searchsorted(starts, start, side="right")) - 1]
            sentence = text[a:b]
            if end <= b and MIN_WORDS <= len(sentence.split()) <= MAX_WORDS:
                rows.append((sentence, text[start:end], start - a, end - a))
    pool = pd.DataFrame(rows, columns=["text", "target", "target_start", "target_end"]).drop_duplicates()
    step = max(1, len(pool) // size)
    return pool.iloc[::step].head(size).reset_index(drop=True)


def coreferent_mentions() -> pd.DataFrame:
    """NewsMTSC's annotated further mentions of each gold target (``she``, ``her`` … of the same
    entity in the same sentence) as extra rows with the target's label: ``row`` (the gold row
    of :func:`training_data` they extend), ``text, target, target_start, target_end, label``."""
    from analysis.corpus.datasets import load_newsmtsc, path, reanchor_targets

    gold = load_newsmtsc().corpus.reset_index(drop=True)
    row_of = dict(zip(gold["doc_id"], gold.index))
    rows = []
    with path("newsmtsc").open(encoding="utf-8") as lines:
        for record in map(json.loads, lines):
            for target in record["targets"]:
                i = row_of[target["Input.gid"]]
                rows += [(i, gold.at[i, "text"], m["mention"], m["from"], m["to"], gold.at[i, "label"])
                         for m in target.get("further_mentions", [])]
    extra = pd.DataFrame(rows, columns=["row", "text", "target", "target_start", "target_end", "label"])
    extra = reanchor_targets(extra)
    found = [text[a:b] == t for text, t, a, b in zip(extra["text"], extra["target"], extra["target_start"],
                                                    extra["target_end"])]
    return extra[found].reset_index(drop=True)


def fold_mentions(X: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Actor mentions in the training fold's own sentences that are not a gold target there
    (no test sentence is read): unlabelled mentions from the gold's own domain."""
    spans = pd.Series(list(zip(X["target_start"], X["target_end"])), index=X.index)
    sentences = spans.groupby(X["text"], sort=False).agg(list)
    corpus = pd.DataFrame({"doc_id": np.arange(len(sentences)), "text": sentences.index, "lang": lang})
    found = find_actors(corpus, lang=lang, date_col=None)
    gold = sentences.tolist()
    rows = [(corpus["text"][d], m, s, e) for d, m, s, e in zip(found["doc_id"], found["mention"], found["start"],
                                                                found["end"])
            if not any(s < g_end and g_start < e for g_start, g_end in gold[d])]
    return pd.DataFrame(rows, columns=["text", "target", "target_start", "target_end"]).drop_duplicates()


def select(proba: np.ndarray, classes, *, share: float, threshold: float, prior=None) -> np.ndarray:
    """Indices of pool mentions to add: per predicted class, the most confident, at least
    ``threshold`` probable; ``share`` of the pool in all, split equally between the classes
    (``prior=None``) or in the training fold's label proportions (``prior``: class -> share)."""
    predicted, confidence = proba.argmax(axis=1), proba.max(axis=1)
    total, chosen = int(share * len(proba)), []
    for k, label in enumerate(classes):
        n = int(round(total * (prior[label] if prior is not None else 1 / len(classes))))
        members = np.flatnonzero((predicted == k) & (confidence >= threshold))
        members = members[np.argsort(-confidence[members], kind="stable")][:n]
        chosen.append(members)
    return np.sort(np.concatenate(chosen))


def self_train(X, y, pool, *, lang, weight, share, threshold, rounds, proportional, source="news"):
    """A StanceModel trained on ``X, y`` plus confidently self-labelled mentions of ``pool``
    (``source="fold"``: of the training fold's own sentences instead)."""
    if source == "fold":
        pool = fold_mentions(X, lang).reset_index(drop=True)
    model = StanceModel(lang, random_state=0).fit(X, y)
    prior = pd.Series(y).value_counts(normalize=True).to_dict() if proportional else None
    for _ in range(rounds):
        proba = model.predict_proba(pool)
        chosen = select(proba, model.classes_, share=share, threshold=threshold, prior=prior)
        labels = model.classes_[proba[chosen].argmax(axis=1)].astype(str)
        X_all = pd.concat([X, pool.iloc[chosen]], ignore_index=True)
        y_all = np.concatenate([y, labels])
        weights = np.concatenate([np.ones(len(y)), np.full(len(chosen), weight)])
        model = StanceModel(lang, random_state=0).fit(X_all, y_all, sample_weight=weights)
    return model


def proportion_offsets(proba: np.ndarray, classes, prior: dict, *, steps: int = 300) -> np.ndarray:
    """Per-class log offsets that make the argmax of ``log(proba) + offsets`` label the mentions
    in the proportions ``prior`` (fixed-point steps on the log ratio of wanted to predicted shares)."""
    scores, offsets = np.log(np.clip(proba, 1e-12, None)), np.zeros(len(classes))
    wanted = np.array([prior[label] for label in classes])
    for _ in range(steps):
        share = np.bincount((scores + offsets).argmax(axis=1), minlength=len(classes)) / len(scores)
        offsets += 0.1 * (np.log(wanted) - np.log(np.clip(share, 1e-3, None)))
    return offsets


class ProportionCalibrated:
    """The shipped model whose predictions keep the training labels' proportions: class offsets
    fitted on out-of-fold probabilities of ``inner`` grouped folds of the training data only."""

    def __init__(self, lang: str, inner: int = 3):
        self.lang, self.inner = lang, inner

    def fit(self, X, y):
        proba = np.zeros((len(y), 3))
        for train, test in GroupKFold(n_splits=self.inner).split(X, y, groups=X["text"]):
            proba[test] = StanceModel(self.lang, random_state=0).fit(X.iloc[train], y[train]).predict_proba(X.iloc[test])
        self.model_ = StanceModel(self.lang, random_state=0).fit(X, y)
        prior = pd.Series(y).value_counts(normalize=True).to_dict()
        self.offsets_ = proportion_offsets(proba, self.model_.classes_, prior)
        return self

    def predict(self, X):
        scores = np.log(np.clip(self.model_.predict_proba(X), 1e-12, None)) + self.offsets_
        return self.model_.classes_[scores.argmax(axis=1)]


# name -> keyword arguments of self_train (``None``: the shipped model alone)
VARIANTS = {
    "base": None,
    "calibrated": "calibrated",
    "coref-0.5": 0.5,
    "coref-1": 1.0,
    "st-bal-0.3": dict(weight=0.3, share=0.3, threshold=0.6, rounds=1, proportional=False),
    "st-prop-0.3": dict(weight=0.3, share=0.3, threshold=0.6, rounds=1, proportional=True),
    "st-bal-0.3-r2": dict(weight=0.3, share=0.3, threshold=0.6, rounds=2, proportional=False),
    "st-bal-0.1": dict(weight=0.1, share=0.3, threshold=0.6, rounds=1, proportional=False),
    "st-bal-0.5-all": dict(weight=0.5, share=1.0, threshold=0.0, rounds=1, proportional=True),
    "fold-bal-0.3": dict(weight=0.3, share=0.5, threshold=0.6, rounds=1, proportional=False, source="fold"),
    "fold-prop-0.5-all": dict(weight=0.5, share=1.0, threshold=0.0, rounds=1, proportional=True, source="fold"),
}


def cross_validate(lang: str, variant: str, pool) -> float:
    """Macro-F1 of ``variant`` over the benchmark's grouped folds; prints it with the per-fold time."""
    X, y, groups = training_data(lang)
    predicted = np.empty(len(y), dtype=object)
    started = time.perf_counter()
    for train, test in GroupKFold(n_splits=N_FOLDS).split(X, y, groups=groups):
        X_train, y_train = X.iloc[train].reset_index(drop=True), y[train]
        params = VARIANTS[variant]
        if params is None:
            model = StanceModel(lang, random_state=0).fit(X_train, y_train)
        elif isinstance(params, float):  # coreferent mentions of the training fold at this weight
            extra = coreferent_mentions()
            extra = extra[np.isin(extra["row"], train)]
            X_all = pd.concat([X_train, extra[X.columns]], ignore_index=True)
            weights = np.concatenate([np.ones(len(train)), np.full(len(extra), params)])
            model = StanceModel(lang, random_state=0).fit(X_all, np.concatenate([y_train, extra["label"]]),
                                                          sample_weight=weights)
        elif params == "calibrated":
            model = ProportionCalibrated(lang).fit(X_train, y_train)
        elif pool is None and params.get("source", "news") == "news":
            raise ValueError(f"{variant} reads the English news pool; for {lang!r} use base, fold-*, calibrated")
        else:
            model = self_train(X_train, y_train, pool, lang=lang, **params)
        predicted[test] = model.predict(X.iloc[test])
    f1 = evaluate(y, predicted.astype(str), n_boot=1).set_index("label").loc["macro avg", "f1"]
    print(f"{lang} {variant}: macro-F1 {f1:.3f} ({(time.perf_counter() - started) / N_FOLDS:.0f} s per fold)",
          flush=True)
    return f1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lang", default="en", choices=("de", "en"))
    parser.add_argument("--variants", default=",".join(VARIANTS), help=f"comma-separated, of {list(VARIANTS)}")
    args = parser.parse_args()
    pool = pool_mentions("en") if args.lang == "en" else None
    if pool is not None:
        print(f"pool: {len(pool)} mentions in {pool['text'].nunique()} sentences", flush=True)
    for variant in args.variants.split(","):
        cross_validate(args.lang, variant, pool)


if __name__ == "__main__":
    main()
