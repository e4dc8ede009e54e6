"""Score documents on frame dictionaries, and show which words matched where.

Patterns match the lowercased lemma *or* the lowercased surface form of a token (so
``soldat`` finds Soldaten, Soldatinnen, Soldat*innen); ``*`` is a glob (``*krieg`` finds
ukraine-krieg, angriffskrieg); patterns with spaces are multi-word expressions on
consecutive tokens (``humanitär hilfe``). At one position the longest pattern of a frame
wins. Hits inside a negation's scope (``keine Waffenruhe``) are flagged ``negated``; with
``negation="exclude"`` they are not counted. Each document uses the patterns of its
``lang`` (plus language-independent ones), so German and English corpora get the same
frame columns.

>>> import pandas as pd
>>> corpus = pd.DataFrame({"doc_id": ["a"], "lang": ["de"],
...     "text": ["Nordkoreanische Soldaten kämpfen an der Front. Humanitäre Hilfe bleibt aus."]})
>>> d = {"military": ["soldat", "front", "kämpfen"], "humanitarian": ["humanitär hilfe"]}
>>> score_frames(corpus, d, normalize=None)[["frame", "hits"]].values.tolist()
[['military', 3], ['humanitarian', 1]]
"""

from __future__ import annotations

import fnmatch
import re
from functools import lru_cache

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from analysis.errors import MissingColumnError
from analysis.frames.dictionary import FrameDictionary, load_dictionary
from analysis.progress import progress_bar
from analysis.text.lemmatize import SimplemmaLemmatizer
from analysis.text.negation import negation_scope
from analysis.text.segment import sentence_spans
from analysis.text.tokenize import tokenize_spans
from analysis.corpus.units import split_units
from analysis.corpus.schema import require_columns

MATCH_COLUMNS = ("doc_id", "frame", "pattern", "match", "start", "end", "negated", "sentence", "sentence_text")
NORMALIZE = ("per_1000_tokens", "share", None)
_WORD_KINDS = frozenset({"word", "abbreviation", "negated", "tag"})


class _Matcher:
    """All patterns of one dictionary and language, indexed by their first word.

    Exact first words are looked up in a dict, ``word*`` by the token's prefixes,
    ``*word`` by its suffixes, ``*word*`` by substring; only other globs use a regex.
    """

    def __init__(self, dictionary: FrameDictionary, lang: str):
        self.patterns = [(frame, p, p.split()) for frame in dictionary.frames for p in dictionary.patterns(frame, lang)]
        self._exact: dict[str, list[int]] = {}
        self._prefix: dict[str, list[int]] = {}
        self._suffix: dict[str, list[int]] = {}
        self._infix: list[tuple[str, int]] = []
        self._glob: list[tuple[str, int]] = []
        for index, (_, _, words) in enumerate(self.patterns):
            self._index_first_word(words[0], index)
        self._word_cache: dict[tuple[str, str], list[int]] = {}

    def _index_first_word(self, word: str, index: int) -> None:
        core = word.strip("*")
        if not _is_glob(word):
            self._exact.setdefault(word, []).append(index)
        elif _is_glob(core):
            self._glob.append((word, index))
        elif word == core + "*":
            self._prefix.setdefault(core, []).append(index)
        elif word == "*" + core:
            self._suffix.setdefault(core, []).append(index)
        else:
            self._infix.append((core, index))

    @staticmethod
    @lru_cache(maxsize=None)
    def _regex(word_pattern: str) -> re.Pattern:
        return re.compile(fnmatch.translate(word_pattern))

    def _word_matches(self, word_pattern: str, forms: tuple[str, str]) -> bool:
        if _is_glob(word_pattern):
            regex = self._regex(word_pattern)
            return any(regex.match(f) for f in forms)
        return word_pattern in forms

    def _starting(self, forms: tuple[str, str]) -> list[int]:
        """Indices of patterns whose first word matches this token (cached per token form)."""
        found = self._word_cache.get(forms)
        if found is None:
            hits = set()
            for form in set(forms):
                hits.update(self._exact.get(form, ()))
                for cut in range(len(form) + 1):
                    hits.update(self._prefix.get(form[:cut], ()))
                    hits.update(self._suffix.get(form[cut:], ()))
                hits.update(index for core, index in self._infix if core in form)
            hits.update(index for word, index in self._glob if self._word_matches(word, forms))
            found = self._word_cache[forms] = sorted(hits)
        return found

    def find(self, forms: list[tuple[str, str]]):
        """Yield ``(frame, pattern, first_token, last_token)``: the longest match per frame and
        position; tokens inside a frame's match do not start another match of that frame."""
        covered: dict[str, int] = {}  # frame -> first token after its last match
        for i, token_forms in enumerate(forms):
            best: dict[str, tuple[str, int]] = {}
            for index in self._starting(token_forms):
                frame, pattern, words = self.patterns[index]
                if i < covered.get(frame, 0):
                    continue
                last = i + len(words) - 1
                if last >= len(forms) or not all(self._word_matches(w, forms[i + j]) for j, w in enumerate(words[1:], 1)):
                    continue
                if frame not in best or last > best[frame][1]:
                    best[frame] = (pattern, last)
            for frame, (pattern, last) in best.items():
                covered[frame] = last + 1
                yield frame, pattern, i, last


def _is_glob(word: str) -> bool:
    return "*" in word or "?" in word


@lru_cache(maxsize=8)
def _lemmatizer(lang: str) -> SimplemmaLemmatizer:
    return SimplemmaLemmatizer(lang if lang in ("de", "en") else "de")


@lru_cache(maxsize=500_000)
def _lemma(token: str, lang: str) -> str:
    return _lemmatizer(lang)(token).lower()


def _annotate(text: str, lang: str):
    """Word tokens of ``text``: (lowercased lemma, lowercased surface), offsets, negation flags."""
    tokens = [t for t in tokenize_spans(text) if t.kind in _WORD_KINDS or t.kind == "punct"]
    negated = negation_scope([t.text for t in tokens], lang=lang)
    words = [(t, n) for t, n in zip(tokens, negated) if t.kind != "punct"]
    forms = [(_lemma(t.text, lang), t.text.lower()) for t, _ in words]
    return words, forms


def _doc_matches(doc_id: str, text: str, lang: str, matcher: _Matcher) -> list[tuple]:
    words, forms = _annotate(text, lang)
    spans = sentence_spans(text, lang=lang)
    starts = np.array([s for s, _ in spans]) if spans else np.array([0])
    rows = []
    for frame, pattern, first, last in matcher.find(forms):
        start, end = words[first][0].start, words[last][0].end
        sentence = int(np.searchsorted(starts, start, side="right") - 1)
        s_start, s_end = spans[sentence] if spans else (0, len(text))
        rows.append((doc_id, frame, pattern, text[start:end], start, end, words[first][1], sentence,
                     text[s_start:s_end]))
    return rows, len(words)


def _check_corpus(corpus) -> None:
    require_columns(corpus, "doc_id", "text")


def _run(corpus: pd.DataFrame, dictionary, lang) -> tuple[pd.DataFrame, pd.Series]:
    """All matches of all documents plus each document's number of word tokens."""
    _check_corpus(corpus)
    dictionary = load_dictionary(dictionary)
    langs = [lang] * len(corpus) if lang else (corpus["lang"] if "lang" in corpus else pd.Series(["de"] * len(corpus)))
    matchers: dict[str, _Matcher] = {}
    rows, n_tokens = [], {}
    records = zip(corpus["doc_id"], corpus["text"], langs)
    for doc_id, text, doc_lang in progress_bar(records, desc="frames", total=len(corpus)):
        doc_lang = doc_lang if doc_lang in ("de", "en") else "de"
        if doc_lang not in matchers:  # one matcher per language: its token cache serves every document
            matchers[doc_lang] = _Matcher(dictionary, doc_lang)
        matcher = matchers[doc_lang]
        found, n_tokens[doc_id] = _doc_matches(doc_id, text, doc_lang, matcher)
        rows += found
    return pd.DataFrame(rows, columns=list(MATCH_COLUMNS)), pd.Series(n_tokens, name="n_tokens"), dictionary


def matches(corpus: pd.DataFrame, dictionary="conflict", *, lang: str | None = None) -> pd.DataFrame:
    """Every dictionary hit, for checking: one row per hit with ``doc_id, frame, pattern,
    match`` (the text matched), ``start, end`` (offsets into the text), ``negated``,
    ``sentence`` (index) and ``sentence_text``."""
    found, _, _ = _run(corpus, dictionary, lang)
    return found


def score_frames(corpus: pd.DataFrame, dictionary="conflict", *, unit: str = "document",
                 normalize: str | None = "per_1000_tokens", negation: str = "count", lang: str | None = None) -> pd.DataFrame:
    """Frame scores per document (or sentence): one row per unit × frame, zeros included.

    Columns: ``doc_id`` (the sentence's id ``<doc>#s<n>`` with ``parent_id`` when
    ``unit="sentence"``), ``frame``, ``hits``, ``n_tokens`` (word tokens of the unit),
    ``score``: hits per 1,000 tokens (``"per_1000_tokens"``), the frame's share of the
    unit's hits (``"share"``, 0 without hits) or the hits (``None``). ``negation``:
    ``"count"`` counts negated hits, ``"exclude"`` drops them. Feeds
    :func:`analysis.compare.prevalence.prevalence` directly.
    """
    if unit not in ("document", "sentence"):
        raise ValueError(f"unit must be 'document' or 'sentence', not {unit!r}.")
    if normalize not in NORMALIZE:
        raise ValueError(f"normalize must be one of {NORMALIZE}, not {normalize!r}.")
    if negation not in ("count", "exclude"):
        raise ValueError(f"negation must be 'count' or 'exclude', not {negation!r}.")
    units = split_units(corpus, unit="sentence") if unit == "sentence" else corpus
    found, n_tokens, dictionary = _run(units, dictionary, lang)
    if negation == "exclude":
        found = found[~found["negated"]]
    hits = found.groupby(["doc_id", "frame"]).size()
    grid = pd.MultiIndex.from_product([units["doc_id"], dictionary.frames], names=["doc_id", "frame"])
    out = hits.reindex(grid, fill_value=0).rename("hits").reset_index()
    out["n_tokens"] = out["doc_id"].map(n_tokens).astype(int)
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


class FrameScorer(TransformerMixin, BaseEstimator):
    """:func:`score_frames` as a scikit-learn transformer. X: 1-D iterable of str.

    >>> scorer = FrameScorer(dictionary={"military": ["soldat"]}, lang="de", normalize=None).fit(["x"])
    >>> scorer.transform(["Soldaten und Soldatinnen"]).tolist(), scorer.get_feature_names_out().tolist()
    ([[2.0]], ['military'])
    """

    def __init__(self, *, dictionary="conflict", lang="de", normalize="per_1000_tokens", negation="count"):
        self.dictionary = dictionary
        self.lang = lang
        self.normalize = normalize
        self.negation = negation

    def fit(self, X, y=None):
        self.frames_ = load_dictionary(self.dictionary)
        self.n_features_in_ = 1
        return self

    def transform(self, X):
        check_is_fitted(self)
        texts = list(X)
        corpus = pd.DataFrame({"doc_id": [str(i) for i in range(len(texts))], "text": texts})
        scores = score_frames(corpus, self.frames_, normalize=self.normalize, negation=self.negation, lang=self.lang)
        wide = scores.pivot(index="doc_id", columns="frame", values="score")
        return wide.loc[corpus["doc_id"], self.frames_.frames].to_numpy(dtype=float)

    def get_feature_names_out(self, input_features=None):
        check_is_fitted(self)
        return np.asarray(self.frames_.frames, dtype=object)
