"""Memory of the report's term counts (``TermCounts`` by outlet and by phase) on a news-like vocabulary.

The large report keeps two :class:`~analysis.explore.term_counts.TermCounts` of its corpus pass from
the overview to keyness. Counting holds the vocabulary as a ``term -> column`` dict;
``compact()`` (the report calls it when the pass is counted) holds it as one sorted array.
This prints the resident size of the two counts after counting and after ``compact()``,
measured as the process's resident memory (after a collection and a return of freed memory
to the system) above what it held before, and the process's peak above it (``ru_maxrss``: counting and
compacting are what this process does): merging pending entries is where a large report's overview peaks.

The tokens are synthetic: each document has 300 tokens, 80 % drawn from 20,000 common words
and 20 % from three billion rare forms, so new types keep appearing (Heaps' law), as in news
archives. The default (50 chunks of 2,000 documents) gives ~6 million distinct terms, about
twice the vocabulary of ``benchmarks/scale.py``'s million-article archive.

Run: ``python benchmarks/term_counts.py`` (``--chunks 10`` for a quick look).
"""

from __future__ import annotations

import argparse
import gc
import resource
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from analysis.explore.term_counts import TermCounts  # noqa: E402
from analysis.scale.memory import release_memory  # noqa: E402

DOCS, TOKENS, COMMON = 2_000, 300, 20_000


def resident_mb() -> float:
    gc.collect()
    release_memory()
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 2**20


def synthetic_chunk(rng: np.random.Generator) -> list[list[str]]:
    n_common = int(0.8 * TOKENS) * DOCS
    ids = np.concatenate([rng.integers(0, COMMON, n_common), rng.integers(0, 3_000_000_000, TOKENS * DOCS - n_common)])
    rng.shuffle(ids)
    return [[f"w{i}" for i in ids[d * TOKENS:(d + 1) * TOKENS]] for d in range(DOCS)]


def peak_mb() -> float:
    """The process's peak resident memory so far, MB (Linux: ``ru_maxrss`` is in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(n_chunks: int) -> dict:
    rng = np.random.default_rng(0)
    before, start = resident_mb(), time.perf_counter()
    by_outlet, by_phase = TermCounts(by="outlet"), TermCounts(by="phase")
    for _ in range(n_chunks):
        tokens = synthetic_chunk(rng)
        by_outlet.add(tokens, rng.choice([f"outlet {i}" for i in range(8)], DOCS))
        by_phase.add(tokens, rng.choice(["before", "after"], DOCS))
    counted, count_seconds = resident_mb() - before, time.perf_counter() - start
    start = time.perf_counter()
    by_outlet.compact(), by_phase.compact()
    compacted, compact_seconds = resident_mb() - before, time.perf_counter() - start
    return {"documents": n_chunks * DOCS, "terms": len(by_outlet.terms), "counted MB": round(counted),
            "compacted MB": round(compacted), "count s": round(count_seconds, 1),
            "compact s": round(compact_seconds, 1), "peak MB": round(peak_mb() - before)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chunks", type=int, default=50, help="chunks of 2,000 documents (default 50)")
    print(pd.DataFrame([measure(parser.parse_args().chunks)]).to_string(index=False))


if __name__ == "__main__":
    main()
