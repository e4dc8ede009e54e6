"""framing-kit: study how news outlets frame armed conflicts, German first.

The verbs are at the top level (``import analysis as ak; ak.load_corpus(...)``); each
lives in the package of its concern (:mod:`analysis.corpus`, :mod:`analysis.text`,
:mod:`analysis.topics`, :mod:`analysis.sentiment`, :mod:`analysis.frames`,
:mod:`analysis.compare`, :mod:`analysis.explore`, :mod:`analysis.validation`, :mod:`analysis.coding`,
:mod:`analysis.report` …) and is imported on first use, so ``import analysis`` is fast.

>>> import analysis as ak
>>> load = ak.load_corpus(ak.datasets.path("gerntsa"), text_col="opinion_snippet", id_col="id")
>>> len(load.corpus) + len(load.rejected) == load.n_input
True
"""

from importlib import import_module

from analysis.errors import CorpusReadError, MissingColumnError, RejectedRowsWarning

__version__ = "0.1.0"

# verb -> the package that owns it
_VERBS = {
    "CorpusLoad": "corpus", "DedupeResult": "corpus", "datasets": "corpus", "dedupe": "corpus",
    "iter_corpus": "corpus", "load_corpus": "corpus", "read_corpus": "corpus", "split_units": "corpus",
    "Preprocessor": "text",
    "TopicModel": "topics", "compare_n_topics": "topics", "fit_topics": "topics",
    "LexiconSentiment": "sentiment", "SentimentClassifier": "sentiment", "actor_sentiment": "sentiment",
    "score_sentiment": "sentiment",
    "FrameScorer": "frames", "find_actors": "frames", "load_dictionary": "frames", "score_frames": "frames",
    "estimate_effect": "compare", "keyness": "compare", "prevalence": "compare",
    "actor_network": "explore", "collocations": "explore", "kwic": "explore",
    "coding_sheet": "validation", "krippendorff_alpha": "validation", "read_codes": "validation",
    "topic_intrusion": "validation", "word_intrusion": "validation",
    "build_report": "report",
    "Coder": "coding", "code_units": "coding", "estimate_prevalence": "coding", "next_to_code": "coding", "train_coder": "coding",
    "LatentSemanticScaling": "coding", "suggest_terms": "coding",
}

__all__ = ["CorpusReadError", "MissingColumnError", "RejectedRowsWarning", "__version__", *sorted(_VERBS)]


def __getattr__(name: str):
    if name in _VERBS:
        value = getattr(import_module(f"analysis.{_VERBS[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'analysis' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_VERBS))
