"""Supervised coding on GerNTSA: active learning vs random coding, corrected prevalence, speed.

Run from the repository root (about 10 minutes on 2 shared cores)::

    python benchmarks/coding.py [--seeds 3]

Coded pool: GerNTSA's public split (``data/raw/gerntsa/``, 3,040 target mentions in German
news sentences, gold sentiment toward the target by five crowd annotators). The gold labels
play the human coder: they are revealed only for the units a strategy asks for (an oracle).
Units: the sentence with its target marked (:func:`analysis.sentiment.classifier.mark_target`:
the target becomes ``_target_`` and the three words on each side become ``l_``/``r_``
features), because 5 % of the sentences carry several targets with different labels and
the plain sentence could not tell them apart; units of one sentence share a ``group``, so
cross-validation never splits a sentence.

Per seed: 30 % of the sentences (grouped) are held out; the rest is the pool. Both
strategies start from the same 100 random pool units and add rounds of 50 chosen by
``next_to_code`` (``"uncertainty"`` or ``"random"``) up to 500; after each round a coder is
trained and scored on the held-out part (macro-F1). Then the shares of the three labels on
the held-out part: classify-and-count (``naive``) vs ``estimate_prevalence`` (calibrated
probability averaging, the map fitted on 5-fold out-of-fold probabilities; 95 % intervals
from resampled coded units and documents), for the coder trained on
500 random units (the design the correction assumes) and on 500 uncertainty-sampled units
(which violates it), on the held-out part as it is and on a shifted copy (half of its
neutral units dropped: a corpus whose mix differs from the coded sample's, which breaks the
estimator's assumption on purpose, so it has no target). Finally fit
and predict times for 10,000 German news snippets (two consecutive 10kGNAD sentences
each, coded by the article's section: 9 codes), the analysis cache emptied first.
BLAS runs on one thread (threadpoolctl): on a shared 2-core machine more threads slow the
solver down several times.

Prints one table: ``part, measure, value, target``.

Measured (2026-12-04, 3 seeds, a shared 2-core machine): macro-F1 after 500 labels 0.459 ± 0.023
(uncertainty) vs 0.444 ± 0.014 (random), uncertainty ≥ random in 2 of 3 seeds; shares of the
500-random coder on the held-out part: mean |error| 0.047 (naive) → 0.012 (corrected), the truth
inside 9 of 9 intervals; fit on 10,000 snippets 55.2 s, predict 5.9 s (1,683 snippets/s).
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import f1_score
from sklearn.model_selection import GroupShuffleSplit
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from analysis.coding import estimate_prevalence, next_to_code, train_coder  # noqa: E402
from analysis.corpus import datasets  # noqa: E402
from analysis.progress import quiet  # noqa: E402
from analysis.sentiment.classifier import mark_target  # noqa: E402
from analysis.text import split_sentences  # noqa: E402
from analysis.text.analysis import clear_cache  # noqa: E402

START, BATCH, BUDGET, HELD_OUT = 100, 50, 500, 0.3
LABELS = ["negative", "neutral", "positive"]


def gerntsa_units() -> pd.DataFrame:
    corpus = datasets.load_gerntsa().corpus
    marked = [mark_target(t, (s, e)) for t, s, e in zip(corpus["text"], corpus["target_start"], corpus["target_end"])]
    return pd.DataFrame({"doc_id": corpus["doc_id"], "text": marked, "group": corpus["text"], "lang": "de",
                         "label": corpus["label"]})


def learning_curve(pool: pd.DataFrame, held_out: pd.DataFrame, strategy: str, seed: int):
    """Macro-F1 on ``held_out`` after each round, the final coder and the fit times."""
    coded = pool.sample(START, random_state=seed)
    curve, fit_times = {}, []
    while True:
        started = time.perf_counter()
        coder = train_coder(coded, label_col="label", random_state=seed)
        fit_times.append(time.perf_counter() - started)
        curve[len(coded)] = f1_score(held_out["label"], coder.predict(held_out), average="macro")
        if len(coded) >= BUDGET:
            return curve, coder, fit_times
        batch = next_to_code(coder, pool, n=BATCH, strategy=strategy, random_state=seed * 1000 + len(coded))
        coded = pd.concat([coded, pool.loc[batch.index]])


def shifted(held_out: pd.DataFrame, seed: int) -> pd.DataFrame:
    neutral = held_out.index[held_out["label"] == "neutral"]
    drop = np.random.default_rng(seed).choice(neutral, size=len(neutral) // 2, replace=False)
    return held_out.drop(index=drop)


def prevalence_rows(coder, held_out: pd.DataFrame, seed: int, name: str) -> list[dict]:
    rows = []
    for corpus_name, corpus in (("held-out", held_out), ("shifted", shifted(held_out, seed))):
        shares = estimate_prevalence(coder, corpus.drop(columns="label"), random_state=seed).set_index("label")
        truth = corpus["label"].value_counts(normalize=True).reindex(LABELS, fill_value=0.0)
        for label in LABELS:
            row = shares.loc[label]
            rows.append({"coder": name, "corpus": corpus_name, "label": label, "seed": seed, "true": truth[label],
                         "naive": row["naive"], "estimate": row["estimate"], "ci_lower": row["ci_lower"],
                         "ci_upper": row["ci_upper"]})
    return rows


def news_snippets(n: int = 10_000) -> pd.DataFrame:
    """``n`` snippets of two consecutive sentences of 10kGNAD articles, coded by section."""
    articles = datasets.load_gnad10().corpus
    rows = []
    for doc_id, text, section in zip(articles["doc_id"], articles["text"], articles["section"]):
        sentences = [s for s in split_sentences(text, lang="de") if len(s) > 20]
        rows += [(f"{doc_id}-{i}", " ".join(sentences[i:i + 2]), section) for i in range(0, len(sentences) - 1, 2)]
    snippets = pd.DataFrame(rows, columns=["doc_id", "text", "section"])
    return snippets.sample(min(n, len(snippets)), random_state=0)


def timing_rows() -> list[tuple]:
    snippets = news_snippets()
    clear_cache()
    started = time.perf_counter()
    coder = train_coder(snippets, label_col="section")
    fit = time.perf_counter() - started
    clear_cache()
    started = time.perf_counter()
    coder.predict_proba(snippets)
    predict = time.perf_counter() - started
    n = len(snippets)
    return [("speed", f"fit on {n:,} coded snippets (9 codes), cold cache", f"{fit:.1f} s", ""),
            ("speed", f"predict_proba on {n:,} snippets, cold cache", f"{predict:.1f} s ({n / predict:,.0f}/s)", "")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=3)
    args = parser.parse_args()
    units = gerntsa_units()
    curves, prevalences, fit_times = [], [], []
    for seed in range(args.seeds):
        rest, held = next(GroupShuffleSplit(1, test_size=HELD_OUT, random_state=seed).split(units, groups=units["group"]))
        pool, held_out = units.iloc[rest], units.iloc[held]
        for strategy in ("uncertainty", "random"):
            curve, coder, times = learning_curve(pool, held_out, strategy, seed)
            curves += [{"strategy": strategy, "seed": seed, "n": n, "macro_f1": f1} for n, f1 in curve.items()]
            fit_times += times[-1:]
            prevalences += prevalence_rows(coder, held_out, seed, f"{BUDGET} {strategy}")
        print(f"seed {seed} done", file=sys.stderr, flush=True)
    print_table(pd.DataFrame(curves), pd.DataFrame(prevalences), fit_times, timing_rows())


def print_table(curves: pd.DataFrame, prev: pd.DataFrame, fit_times: list, speed: list) -> None:
    rows = []
    stats = curves.groupby(["n", "strategy"])["macro_f1"].agg(["mean", "std"]).unstack("strategy")
    for n in stats.index:
        (u, r), (su, sr) = stats.loc[n, "mean"][["uncertainty", "random"]], stats.loc[n, "std"][["uncertainty", "random"]]
        rows.append(("learning", f"macro-F1 after {n} labels: uncertainty | random (mean ± sd)",
                     f"{u:.3f} ± {su:.3f} | {r:.3f} ± {sr:.3f}", "uncertainty ≥ random" if n == BUDGET else ""))
    final = curves[curves["n"] == BUDGET].pivot(index="seed", columns="strategy", values="macro_f1")
    rows.append(("learning", f"seeds where uncertainty ≥ random at {BUDGET}",
                 f"{int((final['uncertainty'] >= final['random']).sum())} of {len(final)}", ""))
    prev = prev.assign(naive_error=(prev["naive"] - prev["true"]).abs(), error=(prev["estimate"] - prev["true"]).abs(),
                       inside=(prev["ci_lower"] <= prev["true"]) & (prev["true"] <= prev["ci_upper"]))
    for (coder, corpus), sub in prev.groupby(["coder", "corpus"], sort=False):
        shares = sub.groupby("label")[["true", "naive", "estimate", "ci_lower", "ci_upper"]].mean()
        text = "; ".join(f"{label} {r.true:.3f}/{r.naive:.3f}/{r.estimate:.3f} [{r.ci_lower:.3f}, {r.ci_upper:.3f}]"
                         for label, r in shares.iterrows())
        rows.append(("prevalence", f"{coder} coder, {corpus}: true/naive/corrected [95% CI], mean over seeds", text, ""))
        held = corpus == "held-out"  # the shifted copy breaks the assumption on purpose: no target
        rows.append(("prevalence", f"{coder} coder, {corpus}: mean |error| naive → corrected",
                     f"{sub['naive_error'].mean():.3f} → {sub['error'].mean():.3f}", "corrected < naive" if held else ""))
        rows.append(("prevalence", f"{coder} coder, {corpus}: true share inside the interval",
                     f"{int(sub['inside'].sum())} of {len(sub)} (labels × seeds)", "all" if held else ""))
    rows.append(("speed", f"fit on {BUDGET} GerNTSA units (median over final coders)",
                 f"{np.median(fit_times):.1f} s", ""))
    table = pd.DataFrame(rows + speed, columns=["part", "measure", "value", "target"])
    with pd.option_context("display.max_colwidth", None, "display.width", 250):
        print(table.to_string(index=False))


if __name__ == "__main__":
    warnings.simplefilter("ignore", UserWarning)
    with threadpool_limits(limits=1), quiet():
        main()
