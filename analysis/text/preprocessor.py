"""The kit's preprocessing as one picklable callable: ``str -> list[str]``.

Usable as a scikit-learn vectorizer ``analyzer``; defaults suit topic modelling:
lemmas, lowercased, stopwords, punctuation, numbers and one-letter tokens dropped.
Each distinct surface token is processed once and cached, so a corpus costs little
more than tokenising it.

>>> pre = Preprocessor(lang="de")
>>> pre("Nordkoreanische Soldaten sprengen sich im Ukraine-Krieg in die Luft.")
['nordkoreanisch', 'soldat', 'sprengen', 'ukraine-krieg', 'luft']
>>> Preprocessor(lang="de", negation=True)("Das ist kein Erfolg und nicht gut.")
['NEG_erfolg', 'NEG_gut']
>>> from sklearn.feature_extraction.text import CountVectorizer
>>> CountVectorizer(analyzer=pre).fit(["Soldat*innen und Soldaten"]).get_feature_names_out().tolist()
['soldat']
"""

from __future__ import annotations

from collections.abc import Iterable

from analysis.progress import progress_bar
from analysis.text.compounds import split_compound
from analysis.text.lemmatize import make_lemmatizer
from analysis.text.negation import is_negator, negation_scope
from analysis.text.tokenize import tokenize, token_kind
from analysis.text.wordlists import stopwords as bundled_stopwords

NEGATION_PREFIX = "NEG_"
_CHUNK = 500  # texts per parallel task
_MAX_CACHED_CHUNKS = 2_000_000  # bounds memory on very large corpora
_KEPT_KINDS = frozenset({"word", "tag", "abbreviation", "negated"})


class Preprocessor:
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
    lemmatizer : ``"simplemma"`` (default, chosen by measurement) or ``"hanta"``.
    """

    def __init__(self, lang="de", *, lemmatize=True, lowercase=True, stopwords=True,
                 extra_stopwords=(), min_length=2, split_compounds=False, negation=False,
                 merge_gender=True, keep_numbers=False, lemmatizer="simplemma"):
        if lang not in ("de", "en"):
            raise ValueError(f"lang must be 'de' or 'en', not {lang!r}.")
        self.lang = lang
        self.lemmatize = lemmatize
        self.lowercase = lowercase
        self.stopwords = stopwords
        self.extra_stopwords = tuple(extra_stopwords)
        self.min_length = min_length
        self.split_compounds = split_compounds
        self.negation = negation
        self.merge_gender = merge_gender
        self.keep_numbers = keep_numbers
        self.lemmatizer = lemmatizer
        self._setup()

    def _setup(self) -> None:
        self._cache: dict[str, tuple[str, ...]] = {}  # token -> output tokens
        self._chunks: dict[str, tuple[str, ...]] = {}  # whitespace-separated chunk -> output tokens
        self._lemma = make_lemmatizer(self.lemmatizer, self.lang) if self.lemmatize else None
        if self.lemmatize and self.lemmatizer == "simplemma":
            self._lemma.merge_gender = self._lemma.merge_feminine = self.merge_gender
        if self.stopwords is True:
            stop = set(bundled_stopwords(self.lang))
        elif self.stopwords is False or self.stopwords is None:
            stop = set()
        else:
            stop = {w.lower() for w in self.stopwords}
        self._stop = frozenset(stop | {w.lower() for w in self.extra_stopwords})

    def __getstate__(self) -> dict:
        state = {k: v for k, v in self.__dict__.items() if not k.startswith("_")}
        return state  # the cache and lemmatiser are rebuilt on unpickling

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._setup()

    def __repr__(self) -> str:
        return f"Preprocessor(lang={self.lang!r}, lemmatize={self.lemmatize}, negation={self.negation})"

    def __call__(self, text: str) -> list[str]:
        if not isinstance(text, str):
            raise TypeError(f"Preprocessor expects a str, got {type(text).__name__}.")
        if self.negation:
            return self._with_negation(tokenize(text))
        # No token spans whitespace, so each distinct chunk ("Ukraine-Krieg:") is
        # tokenised and processed once; repeated chunks cost one dict lookup.
        chunks = self._chunks
        if len(chunks) > _MAX_CACHED_CHUNKS:
            chunks.clear()
        out: list[str] = []
        for chunk in text.split():
            processed = chunks.get(chunk)
            if processed is None:
                processed = chunks[chunk] = self._process_chunk(chunk)
            out += processed
        return out

    def _process_chunk(self, chunk: str) -> tuple[str, ...]:
        if chunk.isalpha():  # most chunks are one plain word: skip the tokeniser
            return self._process(chunk, "word")
        out: list[str] = []
        for token in tokenize(chunk):
            processed = self._cache.get(token)
            if processed is None:
                processed = self._cache[token] = self._process(token)
            out += processed
        return tuple(out)

    def _with_negation(self, tokens: list[str]) -> list[str]:
        out: list[str] = []
        for token, negated in zip(tokens, negation_scope(tokens, lang=self.lang)):
            processed = self._cache.get(token)
            if processed is None:
                processed = self._cache[token] = self._process(token)
            out += [NEGATION_PREFIX + p for p in processed] if negated else processed
        return out

    def _process(self, token: str, kind: str | None = None) -> tuple[str, ...]:
        """Everything done once per distinct surface token; ``()`` drops it."""
        kind = kind or token_kind(token)
        if kind == "number":
            return (token,) if self.keep_numbers else ()
        if kind not in _KEPT_KINDS or (self.negation and is_negator(token, self.lang)):
            return ()
        if token.lower() in self._stop:
            return ()
        parts = split_compound(token) if self.split_compounds and self.lang == "de" else [token]
        out = []
        for part in parts:
            lemma = self._lemma(part) if self._lemma is not None else part
            low = lemma.lower()
            if low in self._stop or len(lemma) < self.min_length:
                continue
            out.append(low if self.lowercase else lemma)
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

        from analysis.scale.workers import worker_pool

        chunks = [texts[i:i + _CHUNK] for i in range(0, len(texts), _CHUNK)]
        bar = progress_bar(chunks, desc=f"preprocessing ({n_jobs} jobs)", unit="chunk", enabled=progress is not False)
        results = worker_pool(n_jobs)(delayed(_process_chunk_of_texts)(self, chunk) for chunk in bar)
        return [tokens for chunk in results for tokens in chunk]


def _process_chunk_of_texts(preprocessor: Preprocessor, texts: list[str]) -> list[list[str]]:
    return [preprocessor(t) for t in texts]
