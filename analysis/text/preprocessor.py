"""The kit's preprocessing as one picklable scikit-learn estimator, callable ``str -> list[str]``.

Usable as a scikit-learn vectorizer ``analyzer``; defaults suit topic modelling:
lemmas, lowercased, stopwords, punctuation, numbers and one-letter tokens dropped.
:class:`Preprocessor` follows the estimator contract: ``__init__`` only stores the
parameters (they are checked on first use), ``get_params``/``set_params``/``clone`` work,
and changing a parameter (``set_params`` or assignment) rebuilds its caches.

How it reads the per-document analysis (:mod:`analysis.text.analysis`):

- Lemmas always come from :func:`analysis.text.analysis.lemma`, the kit's one lemma
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

Caches are bounded: at most :data:`CACHE_SIZE` chunks and as many tokens; a full cache is
emptied and refilled (the output does not change). ``cache_info()`` reports their size.

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
"""

from __future__ import annotations

from collections.abc import Iterable

from sklearn.base import BaseEstimator

from analysis.progress import progress_bar
from analysis.text.analysis import analyze, lemma
from analysis.text.analysis import lemmatizer as load_lemmatizer
from analysis.text.compounds import split_compound
from analysis.text.negation import is_negator
from analysis.text.tokenize import text_pieces, tokenize, token_kind
from analysis.text.wordlists import stopwords as bundled_stopwords
from analysis.text.estimator import TextInputMixin

NEGATION_PREFIX = "NEG_"
CACHE_SIZE = 2_000_000  # chunks (and tokens) cached per preprocessor; a full cache is emptied
_CHUNK = 500  # texts per parallel task
_KEPT_KINDS = frozenset({"word", "tag", "abbreviation", "negated"})
_LEMMATIZERS = ("simplemma", "hanta")


class _Caches:
    """What a preprocessor builds on first use from its parameters."""

    __slots__ = ("stop", "chunks", "tokens")

    def __init__(self, stop: frozenset):
        self.stop = stop
        self.chunks: dict[str, tuple[str, ...]] = {}  # whitespace-separated chunk -> output tokens
        self.tokens: dict[str, tuple[str, ...]] = {}  # token -> output tokens


class Preprocessor(TextInputMixin, BaseEstimator):
    """Tokenise, lemmatise and filter text; call it on a string, get a list of tokens.

    Parameters
    ----------
    lang : ``"de"`` or ``"en"``.
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

    _caches = None  # built on first use; dropped whenever a parameter changes

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

    def _check_params(self) -> None:
        if self.lang not in ("de", "en"):
            raise ValueError(f"lang must be 'de' or 'en', not {self.lang!r}.")
        if self.lemmatizer not in _LEMMATIZERS:
            raise ValueError(f"unknown lemmatizer {self.lemmatizer!r}; choose 'simplemma' or 'hanta'.")
        for name in ("stopwords", "extra_stopwords"):
            if isinstance(getattr(self, name), str):
                raise TypeError(f"{name} must be an iterable of words, not a single string; "
                                f"pass [{getattr(self, name)!r}].")

    def _build(self) -> _Caches:
        self._check_params()
        if self.lemmatize:
            load_lemmatizer(self.lemmatizer, self.lang, self.merge_gender)  # fails now if HanTa is missing
        if self.stopwords is True:
            stop = set(bundled_stopwords(self.lang))
        elif self.stopwords is False or self.stopwords is None:
            stop = set()
        else:
            stop = {w.lower() for w in self.stopwords}
        self._caches = _Caches(frozenset(stop | {w.lower() for w in self.extra_stopwords}))
        return self._caches

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
        """``{"chunks": n, "tokens": n, "maxsize": CACHE_SIZE}``: what the caches hold now."""
        caches = self._caches
        return {"chunks": len(caches.chunks) if caches else 0, "tokens": len(caches.tokens) if caches else 0,
                "maxsize": CACHE_SIZE}

    def __call__(self, text: str) -> list[str]:
        if not isinstance(text, str):
            raise TypeError(f"Preprocessor expects a str, got {type(text).__name__}.")
        caches = self._caches or self._build()
        if self.negation:
            return self._with_negation(text, caches)
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

    def _process_chunk(self, chunk: str, caches: _Caches) -> tuple[str, ...]:
        if chunk.isalpha():  # most chunks are one plain word: skip the tokeniser
            return self._process(chunk, caches.stop, "word")
        out: list[str] = []
        for token in tokenize(chunk):
            out += self._token(token, caches)
        return tuple(out)

    def _with_negation(self, text: str, caches: _Caches) -> list[str]:
        analysis = analyze(text, lang=self.lang, lemmatizer=self.lemmatizer)
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
            processed = caches.tokens[token] = self._process(token, caches.stop)
        return processed

    def _process(self, token: str, stop: frozenset, kind: str | None = None) -> tuple[str, ...]:
        """Everything done once per distinct surface token; ``()`` drops it."""
        kind = kind or token_kind(token)
        if kind == "number":
            return (token,) if self.keep_numbers else ()
        if kind not in _KEPT_KINDS or (self.negation and is_negator(token, self.lang)):
            return ()
        if token.lower() in stop:
            return ()
        parts = split_compound(token) if self.split_compounds and self.lang == "de" else [token]
        out = []
        for part in parts:
            base = lemma(part, self.lang, self.lemmatizer, self.merge_gender) if self.lemmatize else part
            low = base.lower()
            if low in stop or len(base) < self.min_length:
                continue
            out.append(low if self.lowercase else base)
        return tuple(out)

    def process_many(self, texts: Iterable[str], *, progress: bool | None = None, n_jobs: int = 1) -> list[list[str]]:
        """Preprocess many texts with a progress bar (shown when ``progress`` is not False).

        ``n_jobs > 1`` splits the texts into ordered chunks processed in worker processes;
        the result is identical to ``n_jobs=1``.
        """
        texts = list(texts)
        if n_jobs != 1 and len(texts) >= 2 * _CHUNK:
            return self._process_parallel(texts, progress=progress, n_jobs=n_jobs)
        bar = progress_bar(texts, desc="preprocessing", enabled=progress is not False and len(texts) > 1)
        return [self(t) for t in bar]

    def _process_parallel(self, texts: list[str], *, progress, n_jobs: int) -> list[list[str]]:
        from joblib import delayed

        # imported here: analysis.scale reads corpora, whose loading uses this module
        from analysis.scale.workers import worker_pool

        self._caches or self._build()  # bad parameters fail here, not in a worker
        chunks = [texts[i:i + _CHUNK] for i in range(0, len(texts), _CHUNK)]
        bar = progress_bar(chunks, desc=f"preprocessing ({n_jobs} jobs)", unit="chunk", enabled=progress is not False)
        results = worker_pool(n_jobs)(delayed(_process_chunk_of_texts)(self, chunk) for chunk in bar)
        return [tokens for chunk in results for tokens in chunk]


def _process_chunk_of_texts(preprocessor: Preprocessor, texts: list[str]) -> list[list[str]]:
    return [preprocessor(t) for t in texts]
