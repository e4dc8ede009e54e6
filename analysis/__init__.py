"""framing-kit: study how news outlets frame armed conflicts, German first.

>>> import analysis
>>> load = analysis.load_corpus(analysis.datasets.path("gerntsa"), text_col="opinion_snippet", id_col="id")
>>> len(load.corpus) + len(load.rejected) == load.n_input
True
"""

from analysis import datasets
from analysis.corpus import CorpusLoad, load_corpus, read_corpus
from analysis.dedupe import DedupeResult, dedupe
from analysis.errors import CorpusReadError, MissingColumnError, RejectedRowsWarning
from analysis.units import split_units

__version__ = "0.1.0"

__all__ = [
    "CorpusLoad", "CorpusReadError", "DedupeResult", "MissingColumnError", "RejectedRowsWarning",
    "datasets", "dedupe", "load_corpus", "read_corpus", "split_units", "__version__",
]
