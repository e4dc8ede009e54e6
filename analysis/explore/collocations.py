"""Collocations: word sequences that occur together more often than chance predicts.

N-grams are counted on lowercased lemmas inside sentences, all read from each document's
:func:`analysis.text.analyze` (tokens, lemmas of ``lemmatizer``, sentences); punctuation
and number tokens break a sequence, so ``corridors, military`` is not a bigram. Each n-gram is scored against independence of its words:

- ``"pmi"`` — pointwise mutual information, ``log2(O / E)`` (Church & Hanks 1990).
  Favours rare n-grams; raise ``min_count`` to keep it honest.
- ``"llr"`` — Dunning's (1993) log-likelihood ratio ``G² = 2 Σ O_ij ln(O_ij / E_ij)``
  over the 2×2 table of the bigram (first word yes/no × second word yes/no), signed
  negative when the bigram is rarer than expected. Bigrams only.
- ``"t"`` — t-score ``(O - E) / sqrt(O)`` (Manning & Schütze 1999, ch. 5.3.1).

``O`` is the n-gram's count and ``E`` its expected count: for bigrams from the margins of
the 2×2 table of bigram positions, ``E = R1 · C1 / N`` (Manning & Schütze 1999, ch. 5,
table 5.8); for longer n-grams ``E = N_n · Π c(w_i) / N_1`` with ``N_n`` the number of
n-gram positions and ``N_1`` the number of tokens.

References: K. W. Church & P. Hanks (1990), Word association norms, mutual information,
and lexicography, *Computational Linguistics* 16(1), 22–29. T. Dunning (1993), Accurate
methods for the statistics of surprise and coincidence, *Computational Linguistics*
19(1), 61–74. C. D. Manning & H. Schütze (1999), *Foundations of Statistical Natural
Language Processing*, ch. 5 "Collocations", MIT Press.

>>> import pandas as pd
>>> texts = ["Humanitarian corridors were opened.", "The humanitarian corridor held.",
...          "A humanitarian corridor, again.", "Food corridors and humanitarian aid."]
>>> corpus = pd.DataFrame({"doc_id": list("abcd"), "text": texts, "lang": "en"})
>>> collocations(corpus, min_count=2)[["collocation", "count", "n_docs"]].values.tolist()
[['humanitarian corridor', 3, 3]]
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd

from analysis.corpus.schema import require_columns
from analysis.text.analysis import WORD_KINDS, TextAnalysis, analyze
from analysis.text.language import document_langs
from analysis.text.wordlists import stopwords as bundled_stopwords

COLLOCATION_COLUMNS = ("collocation", "count", "n_docs", "expected", "score")
METHODS = ("pmi", "llr", "t")


def collocations(corpus: pd.DataFrame, *, size: int = 2, min_count: int = 5, method: str = "pmi",
                 lang: str | None = None, stopwords=True, text_col: str = "text",
                 lemmatizer: str = "simplemma") -> pd.DataFrame:
    """Score every n-gram of ``size`` lemmas seen at least ``min_count`` times.

    One row per n-gram, sorted by ``score`` (descending, ties by count and name).
    Columns: ``collocation`` (lemmas joined by spaces), ``count`` (occurrences),
    ``n_docs`` (documents containing it — a high count in one document is a
    boilerplate warning), ``expected`` (count under independence), ``score``.

    ``method``: ``"pmi"``, ``"llr"`` (bigrams only) or ``"t"`` — see the module docstring
    for formulas and references. ``stopwords``: ``True`` drops n-grams that begin or end
    with a stopword of the bundled list (which drops every stopword-only n-gram, ``of
    the``, and keeps ``minister of defence``); an iterable of words uses that list;
    ``False`` keeps all. Stopwords are always counted in the margins. ``lang``: ``"de"``
    or ``"en"``; None uses each document's ``lang`` column (detected where missing).
    ``lemmatizer``: ``"simplemma"`` (default) or ``"hanta"``, as ``Preprocessor(lemmatizer=...)``.
    """
    require_columns(corpus, text_col)
    if method not in METHODS:
        raise ValueError(f"method must be one of {list(METHODS)}, not {method!r}.")
    if not isinstance(size, (int, np.integer)) or size < 2:
        raise ValueError(f"size must be an integer of at least 2 (2 = bigrams), not {size!r}.")
    if method == "llr" and size != 2:
        raise ValueError(f"method='llr' is defined here for bigrams only (size=2), not size={size}; "
                         "use method='pmi' or 't' for longer n-grams.")
    if int(min_count) < 1:
        raise ValueError(f"min_count must be at least 1, not {min_count!r}.")
    langs = document_langs(corpus, lang, text_col=text_col)
    analyses = (analyze(text if isinstance(text, str) else "", lang=doc_lang, lemmatizer=lemmatizer)
                for text, doc_lang in zip(corpus[text_col].tolist(), langs))
    counts = _count(analyses, int(size))
    stop = _stop_lemmas(stopwords, counts["stop_seen"], set(langs))
    keep = [g for g, c in counts["ngrams"].items() if c >= min_count and g[0] not in stop and g[-1] not in stop]
    if not keep:
        return pd.DataFrame({c: pd.Series(dtype="str" if c == "collocation" else "float64")
                             for c in COLLOCATION_COLUMNS}).astype({"count": "int64", "n_docs": "int64"})
    observed = np.array([counts["ngrams"][g] for g in keep], dtype=float)
    expected, score = _scores(keep, observed, counts, method)
    frame = pd.DataFrame({"collocation": [" ".join(g) for g in keep], "count": observed.astype("int64"),
                          "n_docs": np.array([counts["docs"][g] for g in keep], dtype="int64"),
                          "expected": expected, "score": score})
    frame = frame.sort_values(["score", "count", "collocation"], ascending=[False, False, True], kind="stable")
    return frame.reset_index(drop=True)


def _count(analyses, size: int) -> dict:
    """N-gram, document, unigram and positional counts over sentence-internal word runs."""
    ngrams, docs, unigrams, first, last = Counter(), Counter(), Counter(), Counter(), Counter()
    stop_seen: set[str] = set()
    for analysis in analyses:
        seen = Counter()
        for run in _runs(analysis, stop_seen):
            unigrams.update(run)
            grams = [tuple(run[i:i + size]) for i in range(len(run) - size + 1)]
            seen.update(grams)
            if size == 2:
                first.update(run[:-1])
                last.update(run[1:])
        ngrams.update(seen)
        docs.update(seen.keys())
    return {"ngrams": ngrams, "docs": docs, "unigrams": unigrams, "first": first, "last": last,
            "stop_seen": stop_seen}


def _runs(analysis: TextAnalysis, stop_seen: set) -> list[list[str]]:
    """Runs of lowercased lemmas between sentence ends and punctuation/number tokens."""
    stop = bundled_stopwords(analysis.lang)
    ends = [end for _, end in analysis.sentences]
    runs, run, sentence = [], [], 0
    for token, base in zip(analysis.tokens, analysis.lemmas):
        breaks = token.kind not in WORD_KINDS
        while sentence < len(ends) and token.start >= ends[sentence]:
            sentence, breaks = sentence + 1, True  # a new sentence starts a new run
        if breaks:
            if len(run) > 1:
                runs.append(run)
            run = []
        if token.kind in WORD_KINDS:
            low = base.lower()
            if token.text.lower() in stop:
                stop_seen.add(low)  # "was" -> "be", "us" -> "we": the lemma of a stopword is one too
            run.append(low)
    if len(run) > 1:
        runs.append(run)
    return runs


def _stop_lemmas(stopwords, stop_seen: set, langs: set) -> frozenset:
    if stopwords is True:
        return frozenset().union(*(bundled_stopwords(x) for x in langs), stop_seen)
    if stopwords is False or stopwords is None:
        return frozenset()
    if isinstance(stopwords, str):
        raise TypeError("stopwords must be True, False or an iterable of words, not a single string.")
    return frozenset(w.lower() for w in stopwords)


def _scores(keep: list[tuple], observed: np.ndarray, counts: dict, method: str):
    """Expected counts and the association score of each kept n-gram."""
    size = len(keep[0])
    if size == 2:
        n = float(sum(counts["first"].values()))  # bigram positions
        r1 = np.array([counts["first"][g[0]] for g in keep], dtype=float)
        c1 = np.array([counts["last"][g[1]] for g in keep], dtype=float)
        expected = r1 * c1 / n
    else:
        n1 = float(sum(counts["unigrams"].values()))
        n_grams = float(sum(counts["ngrams"].values()))
        probs = np.array([[counts["unigrams"][w] for w in g] for g in keep], dtype=float) / n1
        expected = n_grams * probs.prod(axis=1)
    if method == "pmi":
        return expected, np.log2(observed / expected)
    if method == "t":
        return expected, (observed - expected) / np.sqrt(observed)
    table = np.stack([observed, r1 - observed, c1 - observed, n - r1 - c1 + observed], axis=1)
    rows, cols = np.stack([r1, r1, n - r1, n - r1], axis=1), np.stack([c1, n - c1, c1, n - c1], axis=1)
    table_expected = rows * cols / n
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(table > 0, table * np.log(table / table_expected), 0.0)
    g2 = 2 * terms.sum(axis=1)
    return expected, np.sign(observed - expected) * g2
