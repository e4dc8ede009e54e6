"""Memory bounds that the kit promises, measured with tracemalloc (printed, not asserted in tests).

- The prevalence bootstrap of one large cell draws its resamples in blocks
  (``analysis.compare.bootstrap.BOOTSTRAP_BLOCK`` counts): its peak stays a few blocks, far
  below one ``n_boot × n`` matrix.
- ``iter_corpus`` yields its first chunk of a JSON Lines file before reading the rest.

Run: ``python benchmarks/memory.py``
"""

from __future__ import annotations

import json
import sys
import tempfile
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from analysis.compare import bootstrap  # noqa: E402
from analysis.corpus import iter_corpus  # noqa: E402


def peak_bytes(step) -> int:
    tracemalloc.start()
    try:
        step()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def bootstrap_row(n: int = 300_000, n_boot: int = 1000) -> tuple:
    values = np.random.default_rng(0).random((n, 3))
    peak = peak_bytes(lambda: bootstrap.bootstrap_means(values, np.random.default_rng(1), n_boot, 0.95))
    one_matrix = n_boot * n * 8
    bound = 4 * bootstrap.BOOTSTRAP_BLOCK * 8
    return f"bootstrap of one cell (n={n:,}, {n_boot} draws)", peak, bound, one_matrix


def stream_row(n_docs: int = 5000) -> tuple:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.jsonl"
        record = {"text": "Nordkoreanische Soldaten kämpfen in Kursk. " * 50}
        with open(path, "w", encoding="utf-8") as handle:
            for i in range(n_docs):
                handle.write(json.dumps({"id": f"n{i}", **record}, ensure_ascii=False) + "\n")
        chunks = iter_corpus(path, chunksize=100, id_col="id", lang="de")
        peak = peak_bytes(lambda: next(chunks))
        size = path.stat().st_size
        return f"iter_corpus: first 100 of {n_docs:,} JSONL rows", peak, size // 5, size


def main() -> None:
    print("| step | peak MB | bound MB | whole MB | within bound |\n|---|---|---|---|---|")
    for name, peak, bound, whole in (bootstrap_row(), stream_row()):
        print(f"| {name} | {peak / 1e6:.1f} | {bound / 1e6:.1f} | {whole / 1e6:.1f} | {'yes' if peak < bound else 'NO'} |")


if __name__ == "__main__":
    main()
