"""Score documents on frame dictionaries, and show which words matched where.

Matching is :class:`~analysis.frames.matcher.PatternMatcher` on each document's
:func:`~analysis.text.analysis.analyze` (tokens, lemmas, negation, sentences). Patterns match the lowercased lemma *or* the lowercased surface form of a token (so
``soldat`` finds Soldaten, Soldatinnen, Soldat*innen); ``*`` is a glob (``*krieg`` finds
ukraine-krieg, angriffskrieg); patterns with spaces are multi-word expressions on
consecutive tokens (``humanitär hilfe``; punctuation between the words breaks them). At one position the longest pattern of a frame
wins. Hits inside a negation's scope (``keine Waffenruhe``) are flagged ``negated`` and, by
default (``negation="exclude"``), not counted: "no ceasefire" is not a ceasefire frame; each
score row says how many were left out (``negated_hits``); ``negation="count"`` counts them. Each document uses the patterns of its
``lang`` (plus language-independent ones), so German and English corpora get the same
frame columns.

>>> import pandas as pd
>>> corpus = pd.DataFrame({"doc_id": ["a"], "lang": ["de"],
...     "text": ["Nordkoreanische Soldaten kämpfen an der Front. Humanitäre Hilfe bleibt aus."]})
>>> d = {"military": ["soldat", "front", "kämpfen"], "humanitarian": ["humanitär hilfe"], "diplomacy": ["waffenruhe"]}
>>> score_frames(corpus, d, normalize=None)[["frame", "hits"]].values.tolist()
[['military', 3], ['humanitarian', 1], ['diplomacy', 0]]
>>> truce = corpus.assign(text="Es gibt keine Waffenruhe.")
>>> score_frames(truce, d, normalize=None).query("frame == 'diplomacy'")[["hits", "negated_hits"]].values.tolist()
[[0, 1]]
"""

from __future__ import annotations

from bisect import bisect_right
from functools import lru_cache

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from analysis.corpus.schema import check_corpus, require_columns
from analysis.corpus.units import split_units
from analysis.frames.dictionary import FrameDictionary, load_dictionary
from analysis.frames.matcher import PatternMatcher
from analysis.progress import progress_bar
from analysis.scale.memory import gc_paused
from analysis.text.analysis import TextAnalysis
from analysis.text.estimator import TextInputMixin
from analysis.text.language import check_lang, document_langs
from analysis.text.lemmatize import check_lemmatizer
from analysis.text.many import analyses

MATCH_COLUMNS = ("doc_id", "frame", "pattern", "match", "start", "end", "negated", "sentence", "sentence_text")
COUNT_COLUMNS = ("doc_id", "frame", "negated")  # what the scores count of each hit
NORMALIZE = ("per_1000_tokens", "share", None)
NEGATION = ("count", "exclude")


def frame_matcher(dictionary: FrameDictionary, lang: str) -> PatternMatcher:
    """The :class:`~analysis.frames.matcher.PatternMatcher` of ``dictionary``'s patterns for ``lang``, labelled by frame.

    One per process for the same patterns, so its token cache serves every call: each slice of a
    large corpus's pass (and each task a worker takes, whose dictionary arrives as a new copy)
    looks up only the words no slice before it had.

    >>> from analysis.frames.dictionary import load_dictionary
    >>> frame_matcher(load_dictionary("conflict"), "de") is frame_matcher(load_dictionary("conflict"), "de")
    True
    """
    return _matcher(tuple((frame, tuple(dictionary.patterns(frame, lang))) for frame in dictionary.frames))


@lru_cache(maxsize=16)
def _matcher(patterns: tuple[tuple[str, tuple[str, ...]], ...]) -> PatternMatcher:
    return PatternMatcher({frame: list(words) for frame, words in patterns})


def _doc_matches(doc_id, analysis: TextAnalysis, matcher: PatternMatcher, detail: bool = True):
    """The document's hits as :data:`MATCH_COLUMNS` rows (``detail=False``: :data:`COUNT_COLUMNS`, what
    the scores count), and its number of word tokens."""
    n_tokens = analysis.n_word_tokens
    if not detail:
        negated = analysis.negated
        return [(doc_id, m.label, negated[m.first]) for m in matcher.find(analysis)], n_tokens
    text = analysis.text
    spans, starts = (analysis.sentences, analysis.sentence_starts) if analysis.sentences else (((0, len(text)),), [0])
    rows = []
    for m in matcher.find(analysis):
        sentence = max(0, bisect_right(starts, m.start) - 1)
        s_start, s_end = spans[sentence]
        rows.append((doc_id, m.label, m.pattern, text[m.start:m.end], m.start, m.end, analysis.negated[m.first],
                     sentence, text[s_start:s_end]))
    return rows, n_tokens


def _run(corpus: pd.DataFrame, dictionary, langs, *, lemmatizer: str, progress: bool | None = None,
         detail: bool = True):
    """All matches of all documents (``detail=False``: only their :data:`COUNT_COLUMNS`), each
    document's number of word tokens, and the dictionary."""
    dictionary = load_dictionary(dictionary)
    matchers: dict[str, PatternMatcher] = {}  # one per language: its token cache serves every document
    rows, n_tokens = [], {}
    records = zip(corpus["doc_id"].tolist(), analyses(corpus["text"], langs, lemmatizer=lemmatizer))
    with gc_paused():
        for doc_id, analysis in progress_bar(records, desc="frames", total=len(corpus), enabled=progress):
            if analysis.lang not in matchers:
                matchers[analysis.lang] = frame_matcher(dictionary, analysis.lang)
            found, n_tokens[doc_id] = _doc_matches(doc_id, analysis, matchers[analysis.lang], detail)
            rows += found
    columns = list(MATCH_COLUMNS if detail else COUNT_COLUMNS)
    return pd.DataFrame(rows, columns=columns), pd.Series(n_tokens, name="n_tokens", dtype="int64"), dictionary


def matches(corpus: pd.DataFrame, dictionary="conflict", *, lang: str | None = None,
            lemmatizer: str = "simplemma") -> pd.DataFrame:
    """Every dictionary hit, for checking: one row per hit with ``doc_id, frame, pattern,
    match`` (the text matched), ``start, end`` (offsets into the text), ``negated``,
    ``sentence`` (index) and ``sentence_text``.

    Each document is read in its language: ``lang``, else its ``lang`` column, else detected
    (:func:`~analysis.text.language.document_langs`); ``lemmatizer``: ``"simplemma"`` or ``"hanta"``.
    """
    check_lemmatizer(lemmatizer)
    check_corpus(corpus)
    found, _, _ = _run(corpus, dictionary, document_langs(corpus, lang), lemmatizer=lemmatizer)
    return found


def score_frames(corpus: pd.DataFrame, dictionary="conflict", *, unit: str = "document",
                 normalize: str | None = "per_1000_tokens", negation: str = "exclude", lang: str | None = None,
                 lemmatizer: str = "simplemma") -> pd.DataFrame:
    """Frame scores per document (or sentence): one row per unit × frame, zeros included.

    Columns: ``doc_id`` (the sentence's id ``<doc>#s<n>`` with ``parent_id`` when
    ``unit="sentence"``), ``frame``, ``hits``, ``negated_hits`` (hits inside a negation's
    scope, whether counted or not), ``n_tokens`` (word tokens of the unit), ``score``: hits
    per 1,000 tokens (``"per_1000_tokens"``), the frame's share of the unit's hits
    (``"share"``, 0 without hits) or the hits (``None``). ``negation``: ``"exclude"``
    (default) leaves negated hits out of ``hits`` and ``score``, ``"count"`` counts them. Each document is read in
    its language (``lang``, else its ``lang`` column, else detected; an unknown language is
    an error) with ``lemmatizer`` (``"simplemma"`` or ``"hanta"``). Feeds
    :func:`analysis.compare.prevalence.prevalence` directly.
    """
    _check_options(unit=unit, normalize=normalize, negation=negation, lemmatizer=lemmatizer)
    check_corpus(corpus)
    return _score(corpus, dictionary, document_langs(corpus, lang), unit=unit, normalize=normalize,
                  negation=negation, lemmatizer=lemmatizer)


def _check_options(*, unit="document", normalize="per_1000_tokens", negation="exclude", lemmatizer="simplemma") -> None:
    """Raise a ValueError naming the first of :func:`score_frames`' options that is not allowed."""
    if unit not in ("document", "sentence"):
        raise ValueError(f"unit must be 'document' or 'sentence', not {unit!r}.")
    if normalize not in NORMALIZE:
        raise ValueError(f"normalize must be one of {list(NORMALIZE)}, not {normalize!r}.")
    if negation not in NEGATION:
        raise ValueError(f"negation must be one of {list(NEGATION)}, not {negation!r}.")
    check_lemmatizer(lemmatizer)


def _score(corpus: pd.DataFrame, dictionary, langs, *, unit: str, normalize, negation: str, lemmatizer: str,
           progress: bool | None = None) -> pd.DataFrame:
    """:func:`score_frames` on a checked corpus whose documents' languages are ``langs``."""
    units = corpus
    if unit == "sentence":
        units = split_units(corpus.assign(lang=list(langs)), unit="sentence")
        langs = units["lang"]
    found, n_tokens, dictionary = _run(units, dictionary, langs, lemmatizer=lemmatizer, progress=progress, detail=False)
    negated = found["negated"].astype(bool).to_numpy()  # a boolean mask also when there is no hit at all
    frames = dictionary.frames
    grid = pd.MultiIndex.from_product([units["doc_id"], frames], names=["doc_id", "frame"])
    # each hit's cell of the grid (document by frame), counted with bincount
    cells = (pd.Index(units["doc_id"]).get_indexer(found["doc_id"]) * len(frames)
             + pd.Index(frames).get_indexer(found["frame"]))
    hits = np.bincount(cells[~negated] if negation == "exclude" else cells, minlength=len(grid))
    out = pd.Series(hits, index=grid, name="hits").reset_index()
    out["negated_hits"] = np.bincount(cells[negated], minlength=len(grid))
    out["n_tokens"] = np.repeat(n_tokens.to_numpy(dtype=np.int64), len(frames))  # n_tokens: in the units' order
    out["score"] = _normalise(out, normalize)
    if unit == "sentence":
        out.insert(1, "parent_id", out["doc_id"].map(units.set_index("doc_id")["parent_id"]))
    return out


def _normalise(frame: pd.DataFrame, normalize) -> pd.Series:
    if normalize is None:
        return frame["hits"].astype(float)
    if normalize == "per_1000_tokens":
        return (1000 * frame["hits"] / frame["n_tokens"].where(frame["n_tokens"] > 0)).fillna(0.0)
    totals = frame.groupby("doc_id")["hits"].transform("sum")
    return (frame["hits"] / totals.where(totals > 0)).fillna(0.0)


class FrameScorer(TextInputMixin, TransformerMixin, BaseEstimator):
    """:func:`score_frames` as a scikit-learn transformer: one column per frame, one row per text.

    ``X``: a list or Series of texts, or a DataFrame (its ``text`` column, and its ``lang``
    column when ``lang`` is None). ``lang=None`` reads each text in its detected language;
    ``progress=True`` shows a progress bar in :meth:`transform`. Negated hits are left out
    (``negation="exclude"``) unless ``negation="count"``. Options are checked in :meth:`fit`.

    >>> scorer = FrameScorer(dictionary={"military": ["soldat"]}, lang="de", normalize=None).fit(["x"])
    >>> scorer.transform(["Soldaten und Soldatinnen"]).tolist(), scorer.get_feature_names_out().tolist()
    ([[2.0]], ['military'])
    """

    def __init__(self, *, dictionary="conflict", lang=None, normalize="per_1000_tokens", negation="exclude",
                 lemmatizer="simplemma", progress=False):
        self.dictionary = dictionary
        self.lang = lang
        self.normalize = normalize
        self.negation = negation
        self.lemmatizer = lemmatizer
        self.progress = progress

    def fit(self, X=None, y=None):
        """Check the options and load the dictionary (``X`` is not used)."""
        _check_options(normalize=self.normalize, negation=self.negation, lemmatizer=self.lemmatizer)
        if self.lang is not None:
            check_lang(self.lang)
        if not isinstance(self.progress, bool):
            raise ValueError(f"progress must be True or False, not {self.progress!r}.")
        self.frames_ = load_dictionary(self.dictionary)
        self.n_features_in_ = 1
        return self

    def transform(self, X) -> np.ndarray:
        """Scores as an array of shape ``(n_texts, n_frames)``, columns in :meth:`get_feature_names_out` order."""
        check_is_fitted(self)
        corpus = _texts_frame(X)
        frames = self.frames_.frames
        if corpus.empty:
            return np.zeros((0, len(frames)))
        langs = document_langs(corpus, self.lang)
        scores = _score(corpus, self.frames_, langs, unit="document", normalize=self.normalize,
                        negation=self.negation, lemmatizer=self.lemmatizer, progress=self.progress)
        return scores["score"].to_numpy(dtype=float).reshape(len(corpus), len(frames))

    def get_feature_names_out(self, input_features=None):
        check_is_fitted(self)
        return np.asarray(self.frames_.frames, dtype=object)


def _texts_frame(X) -> pd.DataFrame:
    """``X`` (texts, a Series, or a frame with ``text`` [and ``lang``]) as a corpus with positional ids."""
    if isinstance(X, str):
        raise TypeError("X must be a list of texts, not a single string; pass [text].")
    if isinstance(X, pd.DataFrame):
        require_columns(X, "text", what="X", hint="FrameScorer reads the 'text' column (and 'lang' if present); "
                        "rename your text column to 'text' or pass that column as a Series.")
        corpus = X[[c for c in ("text", "lang") if c in X.columns]].reset_index(drop=True)
    else:
        corpus = pd.DataFrame({"text": list(X)}, dtype=object)
    bad = [i for i, text in enumerate(corpus["text"]) if not isinstance(text, str)]
    if bad:
        raise ValueError(f"X has {len(bad)} missing or non-text value(s), the first at position {bad[0]} "
                         f"({corpus['text'].iloc[bad[0]]!r}); drop them or fill them with ''.")
    return corpus.assign(doc_id=[str(i) for i in range(len(corpus))])
