"""What duplicate and boilerplate handling finds on the bundled corpora, and what it costs.

Run: ``python benchmarks/boilerplate.py``.

For each bundled news corpus (conflict press releases, 10kGNAD, English Wikinews) and the
test fixture ``tests/data/wikinews_de_footers.csv``: the rows rejected as ``duplicate text``
at load, the boilerplate units :func:`analysis.corpus.find_boilerplate` lists (and the three
most frequent), the share of characters :func:`analysis.corpus.remove_boilerplate` removes,
documents left empty, near-duplicate groups (:func:`analysis.corpus.dedupe`, Jaccard ≥ 0.8
on the cleaned texts), and the seconds of finding and of removing (one run each; the
machine's load shows in them).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis.corpus import datasets, dedupe, find_boilerplate, load_corpus, remove_boilerplate  # noqa: E402

CORPORA = {
    "conflict (en)": datasets.load_conflict_corpus,
    "gnad10 (de)": datasets.load_gnad10,
    "wikinews (en)": datasets.load_wikinews,
    "wikinews_de_footers fixture": lambda: load_corpus(ROOT / "tests" / "data" / "wikinews_de_footers.csv"),
}


def measure(name: str, loader) -> dict:
    load = loader()
    corpus = load.corpus
    started = time.perf_counter()
    found = find_boilerplate(corpus)
    found_s = time.perf_counter() - started
    started = time.perf_counter()
    cleaned = remove_boilerplate(corpus, found)
    removed_s = time.perf_counter() - started
    groups = dedupe(cleaned).groups
    return {"corpus": name, "docs": len(corpus), "duplicate_texts": int((load.rejected["reason"] == "duplicate text").sum()),
            "units": len(found), "chars_removed": 1 - cleaned["text"].str.len().sum() / corpus["text"].str.len().sum(),
            "emptied": int((cleaned["text"] == "").sum()), "near_dup_groups": groups["group"].nunique(),
            "find_s": round(found_s, 1), "remove_s": round(removed_s, 1),
            "most_frequent": " | ".join(f"{t[:40]} ({n})" for t, n in zip(found["text"][:3], found["n_docs"]))}


def main() -> None:
    rows = [measure(name, loader) for name, loader in CORPORA.items()]
    table = pd.DataFrame(rows)
    table["chars_removed"] = table["chars_removed"].map("{:.2%}".format)
    with pd.option_context("display.width", 250, "display.max_colwidth", 150):
        print(table.drop(columns="most_frequent").to_string(index=False))
        print()
        print(table[["corpus", "most_frequent"]].to_string(index=False))


if __name__ == "__main__":
    main()
