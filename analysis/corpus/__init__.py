"""Corpora in, corpus frames out: every input row kept or reported with its reason.

- :func:`load_corpus` / :func:`read_corpus`: any file, folder, DataFrame or DuckDB source
  into the corpus frame (``doc_id``, ``text``, ``outlet``, ``published``, ``lang`` …).
- :func:`iter_corpus`, :func:`write_parquet_dataset`, :func:`open_parquet_dataset`:
  corpora larger than memory, chunk by chunk.
- :func:`dedupe`, :func:`split_units`: agency copies; sentences or paragraphs as units.
- :func:`find_boilerplate`, :func:`remove_boilerplate`: footers, bylines and other lines that
  recur across documents.
- :mod:`analysis.corpus.datasets`: the bundled corpora.
"""

from analysis.corpus import datasets
from analysis.corpus.columns import ColumnMap, guess_columns
from analysis.corpus.dates import AmbiguousDateWarning, parse_dates
from analysis.corpus.boilerplate import find_boilerplate, remove_boilerplate
from analysis.corpus.dedupe import DedupeResult, dedupe, near_duplicate_labels, similar_pairs
from analysis.corpus.load import CorpusLoad, LoadOptions, load_corpus, read_corpus
from analysis.corpus.schema import check_corpus, require_columns, require_unique
from analysis.corpus.parquet_dataset import open_parquet_dataset, write_parquet_dataset
from analysis.corpus.stream import ParquetCorpus, iter_corpus
from analysis.corpus.units import split_units

__all__ = ["AmbiguousDateWarning", "ColumnMap", "CorpusLoad", "LoadOptions", "DedupeResult", "ParquetCorpus", "check_corpus", "datasets", "dedupe", "find_boilerplate", "guess_columns", "iter_corpus",
           "load_corpus", "near_duplicate_labels", "open_parquet_dataset", "parse_dates", "read_corpus", "remove_boilerplate", "require_columns", "require_unique", "similar_pairs", "split_units",
           "write_parquet_dataset"]
