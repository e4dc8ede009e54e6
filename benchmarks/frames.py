"""Precision and recall of the bundled frame dictionaries on real sentences labelled by an automated labeller.

Run: ``python benchmarks/frames.py``

Data: ``benchmarks/data/frames_gold.tsv`` — 201 sentences from the seed article, 10kGNAD
and the press releases, each with the generic and conflict frames an AI assistant
assigned, independently of the dictionaries (see ``frames_gold.md``). No human coded them: the
figures say how the dictionaries agree with one automated reading, not with human coders. A
dictionary "finds" a frame in a sentence when at least one of its patterns matches outside a
negation's scope (``score_frames``' default: negated hits are left out).
Printed per dictionary, frame and language: support (gold sentences with the frame),
precision, recall and F1; then micro/macro averages; then the seed article's frames with
the sentences that triggered them.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import analysis  # noqa: E402
from analysis.frames import matches, score_frames  # noqa: E402
from analysis.progress import quiet  # noqa: E402

GOLD = Path(__file__).parent / "data" / "frames_gold.tsv"


def load_gold() -> pd.DataFrame:
    gold = pd.read_csv(GOLD, sep="\t", keep_default_na=False, quoting=3)
    return gold.rename(columns={"sentence_id": "doc_id", "sentence": "text"})


def evaluate(gold: pd.DataFrame, dictionary: str) -> pd.DataFrame:
    with quiet():
        found = score_frames(gold, dictionary, normalize=None)
    predicted = found[found["hits"] > 0].groupby("doc_id")["frame"].apply(set)
    rows = []
    for frame in found["frame"].unique():
        for lang, sub in gold.groupby("lang"):
            truth = sub[dictionary].str.split(",").map(lambda labels: frame in labels)
            guess = sub["doc_id"].map(lambda d: frame in predicted.get(d, set()))
            tp, fp, fn = int((truth & guess).sum()), int((~truth & guess).sum()), int((truth & ~guess).sum())
            rows.append({"dictionary": dictionary, "frame": frame, "lang": lang, "support": int(truth.sum()),
                         "tp": tp, "fp": fp, "fn": fn})
    table = pd.DataFrame(rows)
    table["precision"] = table["tp"] / (table["tp"] + table["fp"]).where(lambda s: s > 0)
    table["recall"] = table["tp"] / (table["tp"] + table["fn"]).where(lambda s: s > 0)
    table["f1"] = 2 * table["precision"] * table["recall"] / (table["precision"] + table["recall"])
    return table


def averages(table: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for (dictionary, lang), sub in table.groupby(["dictionary", "lang"]):
        tp, fp, fn = sub["tp"].sum(), sub["fp"].sum(), sub["fn"].sum()
        precision, recall = tp / (tp + fp), tp / (tp + fn)
        rows.append({"dictionary": dictionary, "lang": lang, "micro_precision": precision, "micro_recall": recall,
                     "micro_f1": 2 * precision * recall / (precision + recall), "macro_f1": sub["f1"].fillna(0).mean()})
    return pd.DataFrame(rows)


def seed_frames(dictionary: str) -> pd.DataFrame:
    seed = analysis.corpus.datasets.load_seed_article().corpus
    with quiet():
        hits = matches(seed, dictionary)
    return hits.groupby("frame").agg(hits=("match", "size"), words=("match", lambda m: ", ".join(sorted(set(m))[:8])),
                                     sentences=("sentence", "nunique"))


def main() -> None:
    gold = load_gold()
    print(f"{len(gold)} labelled sentences ({gold['lang'].value_counts().to_dict()}), labelled by an automated labeller "
          "(an AI assistant), not a human coder; see benchmarks/data/frames_gold.md")
    tables = [evaluate(gold, name) for name in ("generic", "conflict")]
    table = pd.concat(tables, ignore_index=True)
    pd.set_option("display.width", 160)
    print(table.round(2).to_string(index=False))
    print()
    print(averages(table).round(3).to_string(index=False))
    for name in ("generic", "conflict"):
        print(f"\nSeed article, {name} dictionary: frames found and the words behind them")
        print(seed_frames(name).to_string())


if __name__ == "__main__":
    main()
