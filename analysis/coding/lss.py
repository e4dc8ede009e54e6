"""Latent Semantic Scaling (Watanabe 2021): scale documents on a dimension defined by seed words.

Fit on an unlabelled corpus: lemma vectors from an SVD of the unit-by-lemma matrix
(:mod:`analysis.coding.space`), then each lemma's polarity is its cosine similarity to the seed
words, weighted by the seeds' polarity (:func:`analysis.coding.seeds.match_seeds`). A
document's score is the frequency-weighted mean polarity of its lemmas, standardised with the
mean and standard deviation of the fitted corpus's documents (so scores from separate
``transform`` calls are comparable); a document without a known lemma scores NaN.

References: Watanabe, K. (2021). Latent Semantic Scaling: A semisupervised text analysis
technique for new domains and languages. *Communication Methods and Measures* 15(2), 81–102;
the R package LSX (``textmodel_lss``), whose method this follows except where
:mod:`analysis.coding.space` says. Quality on German news: ``benchmarks/lss.py``.

>>> import pandas as pd
>>> corpus = pd.DataFrame({"doc_id": [f"d{i}" for i in range(8)], "text": [
...     "Die Verhandlung brachte eine Einigung. Der Dialog war gut.",
...     "Nach dem Dialog folgte die Einigung. Beide Seiten lobten die Verhandlung.",
...     "Der Angriff traf die Stadt. Die Drohung wurde wahr.",
...     "Ein neuer Angriff folgte der Drohung. Die Stadt brennt.",
... ] * 2})
>>> lss = LatentSemanticScaling({"Einigung": 1, "Angriff": -1}, n_components=4, min_df=2).fit(corpus)
>>> scores = lss.transform(corpus)
>>> list(scores.columns), bool(scores["score"][0] > scores["score"][2])
(['doc_id', 'score', 'n_terms'], True)
>>> lss.similar_terms("Verhandlung", n=3)["term"].tolist()[0] in {"dialog", "einigung", "lobten", "loben", "folgen"}
True
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from analysis.coding.seeds import check_seeds, expand_word, match_seeds
from analysis.coding.space import build_space, count_matrix, unit_lemmas
from analysis.corpus.schema import check_corpus
from analysis.frames.dictionary import load_dictionary
from analysis.text.language import check_lang
from analysis.text.preprocessor import Preprocessor

SCORE_COLUMNS = ("doc_id", "score", "n_terms")
SIMILAR_COLUMNS = ("term", "similarity", "n_units")
SUGGEST_COLUMNS = ("frame", "rank", "term", "similarity", "n_units")


class LatentSemanticScaling(TransformerMixin, BaseEstimator):
    """Scale documents between two poles given by seed words, learnt from an unlabelled corpus.

    Parameters
    ----------
    seeds : a bundled seed set (``"sentiment"``: positive vs negative; ``"conflict"``:
        confrontation vs cooperation; sources in ``analysis/resources/seeds/``) or your own
        dict ``{word: +1 or -1}``. Words are lemmatised like the corpus; ``*`` is a glob over lemmas.
    lang : ``"de"`` or ``"en"``: seeds and lemmas of this language (documents whose ``lang``
        column says otherwise are an error).
    n_components : dimensions of the SVD (fewer when the corpus has fewer units or lemmas).
    unit : ``"sentence"`` (default, as LSX recommends) or ``"document"``: what counts as co-occurrence.
    min_df : a lemma enters the vocabulary when at least this many units hold it.
    weighting : ``"normalized"`` (default) or ``"count"`` (LSX); see :mod:`analysis.coding.space`.
    random_state : seed of the randomised SVD; the same seed gives the same model.

    Attributes after ``fit``: ``term_polarity_`` (one row per lemma: ``term``, ``polarity``,
    ``n_units``, sorted by polarity, highest first), ``seeds_`` (each seed and the lemmas it
    matched: ``seed, term, polarity, weight, n_units``), ``space_``, ``n_components_``.
    """

    def __init__(self, seeds="sentiment", *, lang="de", n_components=300, unit="sentence", min_df=5,
                 weighting="normalized", random_state=0):
        self.seeds = seeds
        self.lang = lang
        self.n_components = n_components
        self.unit = unit
        self.min_df = min_df
        self.weighting = weighting
        self.random_state = random_state

    def fit(self, X, y=None):
        """Learn lemma vectors and polarities from the corpus ``X`` (a corpus frame or a list of texts)."""
        seeds = check_seeds(self.seeds, check_lang(self.lang))
        if not isinstance(self.n_components, int) or self.n_components < 2:
            raise ValueError(f"n_components must be an integer >= 2, not {self.n_components!r}.")
        _, texts = _corpus_texts(X, self.lang)
        self.preprocessor_ = Preprocessor(self.lang)
        units = unit_lemmas(texts, lang=self.lang, unit=self.unit, preprocessor=self.preprocessor_)
        self.space_ = build_space(units, n_components=self.n_components, min_df=self.min_df,
                                  weighting=self.weighting, random_state=self.random_state)
        self.n_components_ = self.space_.vectors.shape[1]
        self.seeds_ = match_seeds(seeds, self.space_.index, self.space_.n_units, self.preprocessor_)
        used = self.seeds_[self.seeds_["weight"] != 0]
        self.polarity_ = self.space_.similarity(dict(zip(used["term"], used["weight"])))
        self.term_polarity_ = (pd.DataFrame({"term": self.space_.terms, "polarity": self.polarity_,
                                             "n_units": self.space_.n_units})
                               .sort_values(["polarity", "term"], ascending=[False, True], ignore_index=True))
        raw, _ = self._raw_scores([[lemma for unit in doc for lemma in unit] for doc in units])
        self.score_mean_, self.score_std_ = float(np.nanmean(raw)), float(np.nanstd(raw))
        return self

    def transform(self, X) -> pd.DataFrame:
        """One row per document: ``doc_id``, ``score`` (standardised: 0 is the fitted corpus's
        mean, 1 its standard deviation; NaN without a known lemma), ``n_terms`` (lemma tokens scored)."""
        check_is_fitted(self, "polarity_")
        ids, texts = _corpus_texts(X, self.lang)
        raw, n_terms = self._raw_scores([self.preprocessor_(text) for text in texts])
        scores = (raw - self.score_mean_) / (self.score_std_ or 1.0)
        return pd.DataFrame({"doc_id": ids, "score": scores, "n_terms": n_terms})

    def similar_terms(self, words, n: int = 20) -> pd.DataFrame:
        """The ``n`` lemmas closest to ``words`` (a word, or a list; lemmatised, ``*`` globs):
        ``term, similarity, n_units``, most similar first, the words themselves left out."""
        check_is_fitted(self, "polarity_")
        words = [words] if isinstance(words, str) else list(words)
        found = {t: w for w in words for t in expand_word(w, self.space_.index, self.preprocessor_)}
        missing = [w for w in words if w not in found.values()]
        if not found:
            raise ValueError(f"none of {words} occurs in the fitted corpus as a lemma in at least "
                             f"min_df={self.min_df} units.")
        if missing:
            warnings.warn(f"not in the fitted vocabulary, left out: {missing}", UserWarning, stacklevel=2)
        return _nearest(self.space_, list(found), n)

    def _raw_scores(self, docs: list[list[str]]) -> tuple[np.ndarray, np.ndarray]:
        counts = count_matrix(docs, self.space_.index)
        n_terms = np.asarray(counts.sum(axis=1)).ravel()
        with np.errstate(invalid="ignore", divide="ignore"):
            raw = np.where(n_terms > 0, counts @ self.polarity_ / n_terms, np.nan)
        return raw, n_terms.astype(int)


def _corpus_texts(X, lang: str) -> tuple[list, list[str]]:
    """Document ids and texts of a corpus frame (checked; all in ``lang``) or a list of texts (ids 0, 1 …)."""
    if isinstance(X, pd.DataFrame):
        check_corpus(X)
        if "lang" in X.columns:
            other = X["lang"].notna() & (X["lang"] != lang)
            if other.any():
                raise ValueError(f"{int(other.sum())} document(s) are not in lang={lang!r} "
                                 f"(e.g. {X.loc[other, 'doc_id'].tolist()[:3]}); scale one language at a "
                                 f"time: corpus[corpus['lang'] == {lang!r}].")
        return X["doc_id"].tolist(), X["text"].tolist()
    if isinstance(X, str) or not hasattr(X, "__iter__"):
        raise TypeError("X must be a corpus frame (doc_id, text) or a list of texts, "
                        f"not {type(X).__name__}.")
    texts = list(X)
    bad = [i for i, t in enumerate(texts) if not isinstance(t, str)]
    if bad:
        raise ValueError(f"texts must be str; positions {bad[:3]} are not. Drop or fill missing texts first.")
    return list(range(len(texts))), texts


def _nearest(space, terms: list[str], n: int) -> pd.DataFrame:
    similarity = space.similarity({t: 1.0 / len(terms) for t in terms})
    table = pd.DataFrame({"term": space.terms, "similarity": similarity, "n_units": space.n_units})
    table = table[~table["term"].isin(terms)]
    return table.sort_values(["similarity", "term"], ascending=[False, True]).head(n).reset_index(drop=True)


def suggest_terms(dictionary, corpus, *, n: int = 20, lang: str = "de", **space_options) -> pd.DataFrame:
    """New terms for each frame of a frame dictionary: the lemmas of ``corpus`` closest to the
    frame's existing terms, which the frame does not match yet.

    ``dictionary``: a bundled name (``"conflict"``, ``"generic"``), a path or a
    :class:`~analysis.frames.FrameDictionary`; its one-word patterns (globs included) for
    ``lang`` that occur in the corpus define each frame (multi-word patterns are skipped).
    ``corpus``: a corpus frame (a space is fitted on it with ``space_options``:
    ``n_components``, ``unit``, ``min_df``, ``weighting``, ``random_state``) or a fitted
    :class:`LatentSemanticScaling`, whose space is reused. One row per suggestion: ``frame``,
    ``rank`` (1 = closest), ``term``, ``similarity``, ``n_units``; frames none of whose terms
    occur have no rows. Suggestions are candidates for a person to read in context, not terms to
    add unread.
    """
    if isinstance(corpus, LatentSemanticScaling):
        check_is_fitted(corpus, "polarity_")
        space = corpus.space_
    else:
        params = {"lang": lang, **space_options}
        model = LatentSemanticScaling(**params)
        _, texts = _corpus_texts(corpus, lang)
        units = unit_lemmas(texts, lang=lang, unit=model.unit, preprocessor=Preprocessor(lang))
        space = build_space(units, n_components=model.n_components, min_df=model.min_df,
                            weighting=model.weighting, random_state=model.random_state)
    frames = load_dictionary(dictionary)
    tables = []
    for frame in frames.frames:
        patterns = [p for p in frames.patterns(frame, lang) if " " not in p]
        own = sorted({t for p in patterns for t in expand_word(p, space.index, lambda w: [w])})
        if not own:
            continue
        near = _nearest(space, own, n)
        tables.append(near.assign(frame=frame, rank=np.arange(1, len(near) + 1)))
    if not tables:
        return pd.DataFrame(columns=list(SUGGEST_COLUMNS))
    return pd.concat(tables, ignore_index=True)[list(SUGGEST_COLUMNS)]
