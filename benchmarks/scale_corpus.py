"""Synthetic news archives of any size, made by resampling sentences of real German news.

Used by ``benchmarks/scale.py``. Each article is 6–30 sentences drawn with replacement
from the bundled 10kGNAD articles and the seed article (real German text, so tokenising,
lemmatising and dictionary lookups do realistic work; the vocabulary is bounded by the
source, which flatters caches — stated in the benchmark's output). Articles get one of
five outlets and a date between 2021 and 2023, some dates missing. Written as one
Parquet file (an archive export) in row groups, so no step needs it whole in memory.

Run: ``python benchmarks/scale_corpus.py 10000 /tmp/archive-10k.parquet``
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from analysis.corpus import datasets  # noqa: E402
from analysis.text import split_sentences  # noqa: E402

OUTLETS = ["Nordkurier", "Rheinblatt", "Alpenpost", "Hansezeitung", "Elbe-Echo"]
START, DAYS = pd.Timestamp("2021-01-01", tz="UTC"), 3 * 365


def source_sentences() -> list[str]:
    """Sentences of the bundled German news, in a fixed order."""
    texts = list(datasets.load_gnad10().corpus["text"]) + list(datasets.load_seed_article().corpus["text"])
    return [s for text in texts for s in split_sentences(text, lang="de") if len(s) > 20]


def write_archive(n_docs: int, path, *, row_group: int = 50_000, random_state: int = 0) -> Path:
    """Write ``n_docs`` resampled articles to the Parquet file ``path``; returns the path."""
    path = Path(path)
    sentences = np.asarray(source_sentences(), dtype=object)
    rng = np.random.default_rng(random_state)
    writer = None
    for first in range(0, n_docs, row_group):
        size = min(row_group, n_docs - first)
        lengths = rng.integers(6, 31, size)
        picks = rng.integers(0, len(sentences), lengths.sum())
        bounds = np.concatenate([[0], np.cumsum(lengths)])
        texts = [" ".join(sentences[picks[a:b]]) for a, b in zip(bounds[:-1], bounds[1:])]
        published = pd.Series(START + pd.to_timedelta(rng.integers(0, DAYS, size), unit="D"))
        published = published.where(rng.random(size) > 0.02)  # 2 % undated, as in real exports
        frame = pd.DataFrame({"id": [f"a{first + i:07d}" for i in range(size)], "text": texts,
                              "outlet": np.asarray(OUTLETS, dtype=object)[rng.integers(0, len(OUTLETS), size)],
                              "date": published.dt.strftime("%Y-%m-%d"), "lang": "de"})
        table = pa.Table.from_pandas(frame, preserve_index=False)
        writer = writer or pq.ParquetWriter(path, table.schema)
        writer.write_table(table)
    writer.close()
    return path


if __name__ == "__main__":
    n, out = int(sys.argv[1]), sys.argv[2]
    print(write_archive(n, out))
