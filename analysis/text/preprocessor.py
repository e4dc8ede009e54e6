"""The kit's preprocessing as one picklable scikit-learn estimator, callable ``str -> list[str]``.

Usable as a scikit-learn vectorizer ``analyzer``; defaults suit topic modelling:
lemmas, lowercased, stopwords, punctuation, numbers and one-letter tokens dropped.
:class:`Preprocessor` follows the estimator contract: ``__init__`` only stores the
parameters (they are checked on first use), ``get_params``/``set_params``/``clone`` work,
and changing a parameter (``set_params`` or assignment) rebuilds its caches.

How it reads the per-document analysis (:mod:`analysis.text.analysis`):

- Lemmas always come from :func:`analysis.text.lemmatize.lemma`, the kit's one lemma
  cache, so ``Preprocessor(lemmatizer="hanta")`` and a measure run with
  ``lemmatizer="hanta"`` see the same lemmas.
- With ``negation=True`` the tokens and negation flags come from
  :func:`~analysis.text.analysis.analyze`, so ``NEG_`` marks exactly the scope that
  sentiment and frames use.
- Without negation (the default, and the hot path of topic models) the text is *not*
  analysed: no token crosses whitespace, so each distinct whitespace chunk
  (``"Ukraine-Krieg:"``) is tokenised and processed once and cached; a repeated chunk
  costs one dict lookup. Calling ``analyze`` per document instead (offsets, kinds,
  sentences and negation for every token of every document) measured 8x slower on the
  bundled 10kGNAD sample (1,028 articles: 1.7 s against 0.2 s with warm lemmas), and its
  LRU of whole documents does not help a corpus read once. Both paths give the same tokens.

Caches are bounded: at most :data:`CACHE_SIZE` chunks and as many tokens per language; a
full cache is emptied and refilled (the output does not change). ``cache_info()`` reports their size.

A mixed corpus: ``Preprocessor(lang="auto")`` reads each document in its own language —
German lemmas and stopwords for a German document, English ones for an English document —
into one vocabulary. The language is the one given per document (``process_many(texts,
langs=...)``, :func:`corpus_tokens` passes the corpus's ``lang`` column, where a document
without one takes the corpus's most common language, as the measures read it), else detected
from the text (:func:`~analysis.text.language.detect_language`; a text too short to tell,
``"42 %"``, is read as German). :func:`corpus_preprocessor` picks ``"auto"`` for a mixed corpus.

>>> pre = Preprocessor(lang="de")
>>> pre("Nordkoreanische Soldaten sprengen sich im Ukraine-Krieg in die Luft.")
['nordkoreanisch', 'soldat', 'sprengen', 'ukraine-krieg', 'luft']
>>> Preprocessor(lang="de", negation=True)("Das ist kein Erfolg und nicht gut.")
['NEG_erfolg', 'NEG_gut']
>>> Preprocessor(lang="de", negation=True)
Preprocessor(negation=True)
>>> pre.set_params(lemmatize=False)("Die Soldaten kämpften.")
['soldaten', 'kämpften']
>>> from sklearn.feature_extraction.text import CountVectorizer
>>> CountVectorizer(analyzer=Preprocessor()).fit(["Soldat*innen und Soldaten"]).get_feature_names_out().tolist()
['soldat']
>>> Preprocessor(lang="auto").process_many(["Die Soldaten sind in der Stadt.", "The soldiers are in the city."])
[['soldat', 'stadt'], ['soldier', 'city']]
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from itertools import chain

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator

from analysis.progress import progress_bar
from analysis.text.analysis import analyze, kept
from analysis.text.compounds import split_compound
from analysis.text.estimator import TextInputMixin
from analysis.text.language import LANGS, check_lang, document_langs
from analysis.text.language import detect_language, with_majority
from analysis.text.lemmatize import lemma
from analysis.text.lemmatize import lemmatizer as load_lemmatizer
from analysis.text.coded_columns import chunk_codes
from analysis.text.negation import is_negator
from analysis.text.tokenize import text_pieces, tokenize, token_kind
from analysis.text.wordlists import stopwords as bundled_stopwords

NEGATION_PREFIX = "NEG_"
AUTO = "auto"  # lang: each document in its own language
CACHE_SIZE = 2_000_000  # chunks (and tokens) cached per preprocessor; a full cache is emptied
_CHUNK = 500  # texts per parallel task
WORKER_CACHE_SIZE = 300_000  # entries a process keeps for the next unpickled copy of a preprocessor (~60 MB)
_WORKER_CACHES: dict[str, dict] = {}  # the last unpickled preprocessor's parameters -> its caches by language
_KEPT_KINDS = frozenset({"word", "tag", "abbreviation", "negated"})
_LEMMATIZERS = ("simplemma", "hanta")


class _Caches:
    """What a preprocessor builds on first use of a language from its parameters."""

    __slots__ = ("lang", "stop", "chunks", "tokens", "settings")

    def __init__(self, lang: str, stop: frozenset, settings: str = ""):
        self.lang = lang
        self.stop = stop
        self.settings = settings  # the preprocessor's parameters: equal settings, equal output
        self.chunks: dict[str, tuple[str, ...]] = {}  # whitespace-separated chunk -> output tokens
        self.tokens: dict[str, tuple[str, ...]] = {}  # token -> output tokens


class Preprocessor(TextInputMixin, BaseEstimator):
    """Tokenise, lemmatise and filter text; call it on a string, get a list of tokens.

    Parameters
    ----------
    lang : ``"de"``, ``"en"``, or ``"auto"``: each document in its own language (given per
        document to :meth:`process_many`, else detected), one vocabulary for all.
    lemmatize : use lemmas (``True``) or surface forms (``False``).
    lowercase : lowercase the output (capitalisation is used for lemmatising first).
    stopwords : ``True`` for the bundled list, ``False`` for none, or an iterable of
        words (replaces the bundled list); ``extra_stopwords`` adds to it.
    min_length : drop tokens shorter than this.
    split_compounds : replace German compounds by their parts (``Ukraine-Krieg`` ->
        ``ukraine``, ``krieg``; ``Waffenlieferung`` -> ``waffe``, ``lieferung``).
    negation : prefix words in a negation's scope with ``NEG_`` (``kein Erfolg`` -> ``NEG_erfolg``).
    merge_gender : map gender-inclusive and feminine person nouns to the base lemma
        (``Soldat*innen``, ``Soldatinnen`` -> ``soldat``); ``False`` keeps ``soldat*in``.
    keep_numbers : keep number tokens (dropped by default).
    lemmatizer : ``"simplemma"`` (default, chosen by measurement) or ``"hanta"``
        (``pip install HanTa``).
    """

    requires_fit = False  # works unfitted (scikit-learn tag)

    _caches = None  # {lang: _Caches}, built on first use; dropped whenever a parameter changes

    def __init__(self, lang="de", *, lemmatize=True, lowercase=True, stopwords=True,
                 extra_stopwords=(), min_length=2, split_compounds=False, negation=False,
                 merge_gender=True, keep_numbers=False, lemmatizer="simplemma"):
        self.lang = lang
        self.lemmatize = lemmatize
        self.lowercase = lowercase
        self.stopwords = stopwords
        self.extra_stopwords = extra_stopwords
        self.min_length = min_length
        self.split_compounds = split_compounds
        self.negation = negation
        self.merge_gender = merge_gender
        self.keep_numbers = keep_numbers
        self.lemmatizer = lemmatizer

    def __setattr__(self, name, value):
        super().__setattr__(name, value)
        if not name.startswith("_"):  # a parameter changed (set_params or assignment): rebuild on next use
            self.__dict__.pop("_caches", None)

    def __getstate__(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if not k.startswith("_")}  # caches are rebuilt

    def __setstate__(self, state: dict) -> None:
        """A copy sent to a worker process takes up the caches the copy before it left there (a large
        corpus's pass sends one with each chunk), unless they hold more than :data:`WORKER_CACHE_SIZE`
        entries: then it starts afresh, so a worker's caches stay small."""
        self.__dict__.update(state)
        try:
            self._check_params()
        except (TypeError, ValueError):
            return  # the first call says what is wrong
        key = repr(sorted(state.items()))
        caches = _WORKER_CACHES.get(key)
        if caches is None or sum(len(c.chunks) + len(c.tokens) for c in caches.values()) > WORKER_CACHE_SIZE:
            _WORKER_CACHES.clear()  # one preprocessor's caches per process
            caches = _WORKER_CACHES[key] = {}
        self._caches = caches  # languages are added on first use (_caches_for)

    def _check_params(self) -> None:
        if self.lang not in (*LANGS, AUTO):
            raise ValueError(f"lang must be 'de', 'en' or 'auto' (each document in its own language), not {self.lang!r}.")
        if self.lemmatizer not in _LEMMATIZERS:
            raise ValueError(f"unknown lemmatizer {self.lemmatizer!r}; choose 'simplemma' or 'hanta'.")
        for name in ("stopwords", "extra_stopwords"):
            if isinstance(getattr(self, name), str):
                raise TypeError(f"{name} must be an iterable of words, not a single string; "
                                f"pass [{getattr(self, name)!r}].")

    def _build(self) -> dict[str, _Caches]:
        self._check_params()
        self._caches = {}
        for lang in LANGS if self.lang == AUTO else (self.lang,):  # bad settings fail now, not mid-corpus
            self._caches_for(lang)
        return self._caches

    def _caches_for(self, lang: str) -> _Caches:
        """The caches of ``lang`` (built on its first document)."""
        caches = self._caches if self._caches is not None else self._build()
        found = caches.get(lang)
        if found is None:
            if self.lemmatize:
                load_lemmatizer(self.lemmatizer, lang, self.merge_gender)  # fails now if HanTa is missing
            if self.stopwords is True:
                stop = set(bundled_stopwords(lang))
            elif self.stopwords is False or self.stopwords is None:
                stop = set()
            else:
                stop = {w.lower() for w in self.stopwords}
            found = caches[lang] = _Caches(lang, frozenset(stop | {w.lower() for w in self.extra_stopwords}),
                                           repr(sorted(self.get_params().items())))
        return found

    def language_of(self, text: str, lang=None) -> str:
        """The language ``text`` is read in: this preprocessor's ``lang``; with ``"auto"``, the
        document's ``lang`` if given (not missing), else detected (German when it cannot be told).

        >>> Preprocessor(lang="auto").language_of("The talks failed."), Preprocessor(lang="de").language_of("The talks.")
        ('en', 'de')
        """
        if self.lang != AUTO:
            return self.lang
        if isinstance(lang, str):
            return check_lang(lang)
        return detect_language(text) or LANGS[0]

    def fit(self, X=None, y=None):
        """Nothing to learn: check the parameters and return self (so it composes in a Pipeline)."""
        self._build()
        return self

    def transform(self, X) -> list[list[str]]:
        """The token list of each text in ``X`` (a list, Series or 1-D array of str), no progress bar."""
        return self.process_many(X, progress=False)

    def fit_transform(self, X, y=None) -> list[list[str]]:
        return self.fit(X, y).transform(X)

    def cache_info(self) -> dict:
        """``{"chunks": n, "tokens": n, "maxsize": CACHE_SIZE}``: what the caches hold now (all languages)."""
        caches = (self._caches or {}).values()
        return {"chunks": sum(len(c.chunks) for c in caches), "tokens": sum(len(c.tokens) for c in caches),
                "maxsize": CACHE_SIZE}

    def __call__(self, text: str, lang: str | None = None) -> list[str]:
        """The tokens of ``text``; ``lang``: the document's language, used when this preprocessor's is ``"auto"``."""
        if not isinstance(text, str):
            raise TypeError(f"Preprocessor expects a str, got {type(text).__name__}.")
        caches = self._caches_for(self.language_of(text, lang))
        if self.negation:
            return self._with_negation(text, caches)
        made = kept(text, lang=caches.lang, lemmatizer=self.lemmatizer)
        coded = None if made is None else chunk_codes(made, ("preprocessed", caches.lang, caches.settings), None,
                                                      partial(self._process_chunks, caches))
        if coded is not None:  # analysed with its slice: each chunk's tokens read from its chunk vocabulary
            codes, table = coded
            return list(chain.from_iterable(map(table.__getitem__, codes[np.flatnonzero(codes)].tolist())))
        chunks = caches.chunks
        if len(chunks) >= CACHE_SIZE:
            chunks.clear()
        out: list[str] = []
        for piece in text_pieces(text):  # a long text's words are not all held at once
            for chunk in piece.split():
                processed = chunks.get(chunk)
                if processed is None:
                    processed = chunks[chunk] = self._process_chunk(chunk, caches)
                out += processed
        return out

    def _process_chunks(self, caches: _Caches, chunks: list[str]) -> list[tuple[str, ...]]:
        return [self._process_chunk(chunk, caches) for chunk in chunks]

    def _process_chunk(self, chunk: str, caches: _Caches) -> tuple[str, ...]:
        if chunk.isalpha():  # most chunks are one plain word: skip the tokeniser
            return self._process(chunk, caches, "word")
        out: list[str] = []
        for token in tokenize(chunk):
            out += self._token(token, caches)
        return tuple(out)

    def _with_negation(self, text: str, caches: _Caches) -> list[str]:
        analysis = analyze(text, lang=caches.lang, lemmatizer=self.lemmatizer)
        out: list[str] = []
        for word, negated in zip(analysis.words, analysis.negated):
            processed = self._token(word, caches)
            out += [NEGATION_PREFIX + p for p in processed] if negated else processed
        return out

    def _token(self, token: str, caches: _Caches) -> tuple[str, ...]:
        processed = caches.tokens.get(token)
        if processed is None:
            if len(caches.tokens) >= CACHE_SIZE:
                caches.tokens.clear()
            processed = caches.tokens[token] = self._process(token, caches)
        return processed

    def _process(self, token: str, caches: _Caches, kind: str | None = None) -> tuple[str, ...]:
        """Everything done once per distinct surface token of a language; ``()`` drops it."""
        kind = kind or token_kind(token)
        lang, stop = caches.lang, caches.stop
        if kind == "number":
            return (token,) if self.keep_numbers else ()
        if kind not in _KEPT_KINDS or (self.negation and is_negator(token, lang)):
            return ()
        if token.lower() in stop:
            return ()
        parts = split_compound(token) if self.split_compounds and lang == "de" else [token]
        out = []
        for part in parts:
            base = lemma(part, lang, self.lemmatizer, self.merge_gender) if self.lemmatize else part
            low = base.lower()
            if low in stop or len(base) < self.min_length:
                continue
            out.append(low if self.lowercase else base)
        return tuple(out)

    def process_many(self, texts: Iterable[str], *, langs: Iterable | None = None, progress: bool | None = None,
                     n_jobs: int = 1) -> list[list[str]]:
        """Preprocess many texts with a progress bar (shown when ``progress`` is not False).

        ``langs``: each text's language (missing values detected), read when ``lang="auto"``.
        ``n_jobs > 1`` splits the texts into ordered chunks processed in worker processes;
        the result is identical to ``n_jobs=1``.
        """
        texts = list(texts)
        langs = [None] * len(texts) if langs is None or self.lang != AUTO else list(langs)
        if len(langs) != len(texts):
            raise ValueError(f"langs has {len(langs)} values for {len(texts)} texts; pass one language per text.")
        if n_jobs != 1 and len(texts) >= 2 * _CHUNK:
            return self._process_parallel(texts, langs, progress=progress, n_jobs=n_jobs)
        bar = progress_bar(range(len(texts)), desc="preprocessing", enabled=progress is not False and len(texts) > 1)
        return [self(texts[i], langs[i]) for i in bar]

    def _process_parallel(self, texts: list[str], langs: list, *, progress, n_jobs: int) -> list[list[str]]:
        from joblib import delayed

        # imported here: analysis.scale reads corpora, whose loading uses this module
        from analysis.scale.workers import worker_pool

        self._caches or self._build()  # bad parameters fail here, not in a worker
        chunks = [(texts[i:i + _CHUNK], langs[i:i + _CHUNK]) for i in range(0, len(texts), _CHUNK)]
        bar = progress_bar(chunks, desc=f"preprocessing ({n_jobs} jobs)", unit="chunk", enabled=progress is not False)
        results = worker_pool(n_jobs)(delayed(_process_chunk_of_texts)(self, chunk) for chunk in bar)
        return [tokens for chunk in results for tokens in chunk]


def _process_chunk_of_texts(preprocessor: Preprocessor, chunk: tuple[list[str], list]) -> list[list[str]]:
    return [preprocessor(text, lang) for text, lang in zip(*chunk)]


def corpus_preprocessor(corpus: pd.DataFrame | None = None, **params) -> Preprocessor:
    """A :class:`Preprocessor` (with ``params``) for ``corpus``: in its one language, or each
    document in its own (``lang="auto"``) when its documents are in several — or when
    ``corpus`` is None (a stream whose later chunks are not known yet).

    >>> mixed = pd.DataFrame({"text": ["Die Waffen schweigen.", "The guns are silent."], "lang": ["de", "en"]})
    >>> corpus_preprocessor(mixed).lang, corpus_preprocessor(mixed.head(1)).lang, corpus_preprocessor().lang
    ('auto', 'de', 'auto')
    """
    if corpus is None:
        return Preprocessor(lang=AUTO, **params)
    langs = set(document_langs(corpus)) if len(corpus) else {LANGS[0]}
    return Preprocessor(lang=langs.pop() if len(langs) == 1 else AUTO, **params)


def corpus_tokens(preprocessor, corpus: pd.DataFrame, *, text_col: str = "text", progress: bool | None = None,
                  n_jobs: int = 1) -> list[list[str]]:
    """The token list of each document of ``corpus``: ``preprocessor`` (a :class:`Preprocessor` or
    any ``str -> list[str]`` callable) on its ``text_col``; a ``Preprocessor(lang="auto")`` reads each
    document in the language of its ``lang`` column; a document without one (its language could not
    be told) in the corpus's most common language
    (:func:`~analysis.text.language.with_majority`, as :func:`~analysis.text.language.document_langs`).

    >>> corpus = pd.DataFrame({"text": ["Die Kämpfe dauern an.", "The fighting goes on."], "lang": ["de", "en"]})
    >>> corpus_tokens(Preprocessor(lang="auto"), corpus, progress=False)
    [['kampf', 'dauern'], ['fight', 'go']]
    """
    texts = corpus[text_col]
    if isinstance(preprocessor, Preprocessor):
        # a document whose language could not be told is read in the corpus's most common one, as the measures read it
        langs = with_majority(corpus["lang"].tolist()) if preprocessor.lang == AUTO and "lang" in corpus.columns else None
        return preprocessor.process_many(texts, langs=langs, progress=progress, n_jobs=n_jobs)
    process_many = getattr(preprocessor, "process_many", None)
    if process_many is not None:
        return process_many(texts, progress=progress)
    return [list(preprocessor(text)) for text in texts]
