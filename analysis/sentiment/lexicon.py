"""``LexiconSentiment``: dictionary sentiment as a scikit-learn classifier that needs no training.

``decision_function`` gives a polarity in [-1, 1] (the rules of :mod:`analysis.sentiment.rules`);
``predict`` turns it into ``"negative"``/``"neutral"``/``"positive"`` with two thresholds.
``fit(X, y)`` is optional and only tunes those thresholds (grid search on macro-F1); the
lexicon itself is never changed by data.

>>> model = LexiconSentiment(lang="de")
>>> model.predict(["Das ist ein großer Erfolg.", "Das ist kein Erfolg.", "Die Sitzung beginnt um neun."]).tolist()
['positive', 'negative', 'neutral']
>>> import pandas as pd
>>> text = "Die Ukraine feiert einen klaren Erfolg, während Russland eine bittere Niederlage erleidet."
>>> X = pd.DataFrame({"text": [text, text], "target": ["Ukraine", "Russland"]})
>>> model.predict(X).tolist()
['positive', 'negative']
"""

from __future__ import annotations

from itertools import islice

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin

from analysis.sentiment.inputs import LABELS, as_rows, check_labels, check_span
from analysis.sentiment.lexicons import check_sources, load_lexicon, load_modifiers
from analysis.sentiment.rules import CONTEXTS, analyse_many, sentence_scores_many, summaries_many
from analysis.text.estimator import TextInputMixin
from analysis.text.lemmatize import check_lemmatizer
from analysis.text.many import SLICE, analyses

_GRID = np.round(np.arange(-0.95, 0.951, 0.05), 2)
EXPLAIN_COLUMNS = ("row", "token", "start", "end", "lemma", "prior", "modifier", "negated", "context_weight",
                   "contribution")


class LexiconSentiment(TextInputMixin, ClassifierMixin, BaseEstimator):
    """Lexicon-and-rules sentiment for German (default) or English text, with optional targets.

    Parameters
    ----------
    lang : ``"de"`` (SentiWS + Rauh + German Polarity Lexicon, combined by agreement) or
        ``"en"`` (VADER lexicon).
    lexicons : tuple of source names (``"sentiws"``, ``"rauh"``, ``"gpl"``; ``"vader"``), or
        None for the measured default of ``lang``. Use ``("sentiws", "gpl")`` to leave out
        Rauh's dictionary, whose licence is unverified.
    context : where a target's evaluation is read: ``"clause"`` (default), ``"sentence"``,
        ``"window"`` or ``"text"``; ignored for rows without a target.
    outside_weight : weight of sentiment words outside the target's context (0 ignores them).
    window : tokens on each side of the target for ``context="window"``.
    thresholds : ``(lower, upper)``: polarity below ``lower`` is negative, above ``upper``
        positive, else neutral. The default ±0.5 needs one word that two lexicons agree on
        (±0.71), or two words one lexicon lists, for a polar label. ``fit(X, y)`` replaces
        them by tuned ``thresholds_``.
    lemmatizer : ``"simplemma"`` (default) or ``"hanta"``: whose lemmas are looked up in the
        lexicon (as ``Preprocessor(lemmatizer=...)``; read from :func:`analysis.text.analyze`).
    """

    requires_fit = False  # works unfitted (scikit-learn tag)

    def __init__(self, lang="de", *, lexicons=None, context="clause", outside_weight=0.5, window=10,
                 thresholds=(-0.5, 0.5), lemmatizer="simplemma"):
        self.lang = lang
        self.lexicons = lexicons
        self.context = context
        self.outside_weight = outside_weight
        self.window = window
        self.thresholds = thresholds
        self.lemmatizer = lemmatizer

    # --- fitting: thresholds only -------------------------------------------------------
    def fit(self, X, y=None):
        """Set ``thresholds_``: the parameters, or with ``y`` the pair maximising macro-F1 on X."""
        self._check_params()
        self.classes_ = np.array(LABELS, dtype=object)
        if y is None:
            self.thresholds_ = tuple(float(t) for t in self.thresholds)
            return self
        scores = self.decision_function(X)
        labels = check_labels(y, len(scores))
        self.thresholds_ = _tune_thresholds(scores, labels)
        return self

    # --- prediction ----------------------------------------------------------------------
    def decision_function(self, X) -> np.ndarray:
        """Polarity of each text (of its target's context) in [-1, 1]."""
        return self._summaries(*self._rule_inputs(X))[0]

    def predict(self, X) -> np.ndarray:
        """``"negative"``, ``"neutral"`` or ``"positive"`` per text."""
        return self._labels(self.decision_function(X))

    def score_details(self, X) -> pd.DataFrame:
        """One row per text: ``score`` (polarity), ``label``, ``n_tokens`` (words in the
        weighted context) and ``n_matched`` (sentiment words counted)."""
        return self._details(*self._rule_inputs(X))

    def score_spans(self, texts: list[str], spans: list[tuple[int, int] | None]) -> pd.DataFrame:
        """:meth:`score_details` of ``texts`` with their targets given as ``(start, end)`` character
        offsets (None: no target), as a frame's ``target_start``/``target_end`` give them, with nothing to
        read from a frame (:func:`~analysis.sentiment.scoring.actor_sentiment` scores thousands of mentions).

        >>> scored = LexiconSentiment(lang="de").score_spans(["Putin droht, doch Kiew hofft."], [(0, 5)])
        >>> scored.round(2).values.tolist()
        [[-0.45, 'neutral', 5, 2]]
        """
        if len(spans) != len(texts):
            raise ValueError(f"spans has {len(spans)} values for {len(texts)} texts; pass one span (or None) per text.")
        for row, (text, span) in enumerate(zip(texts, spans)):
            if span is not None:
                check_span(text, span, row)
        return self._details(zip(texts, spans), self._rules())

    def score_sentences(self, X) -> pd.DataFrame:
        """:meth:`score_details` of every sentence of each text, as if each sentence were scored on
        its own (sentences, tokens and negation scopes from the text's
        :func:`~analysis.text.analysis.analyze`), a slice of texts at once
        (:func:`~analysis.sentiment.rules.sentence_scores_many`).

        One row per sentence, texts in order and each text's sentences in order; columns ``row``
        (position of the text in X), ``sentence`` (position in the text), ``score``, ``label``,
        ``n_tokens`` and ``n_matched``. A text without a sentence (empty) gives no row.

        >>> scored = LexiconSentiment(lang="de").score_sentences(["Kein Erfolg. Ein Erfolg!", "", "Gut."])
        >>> scored.round(2).values.tolist()
        [[0, 0, -0.71, 'negative', 2, 1], [0, 1, 0.71, 'positive', 2, 1], [2, 0, 0.71, 'positive', 1, 1]]
        """
        self._check_params()
        rows = as_rows(X)
        if any(span is not None for span in rows.spans):
            raise ValueError("score_sentences scores whole sentences: pass texts without a 'target' column.")
        lexicon = load_lexicon(self.lang, check_sources(self.lang, self.lexicons))
        modifiers = load_modifiers(self.lang)
        made = analyses(rows.texts, [self.lang] * len(rows.texts), lemmatizer=self.lemmatizer)
        parts = [part for batch in iter(lambda: list(islice(made, SLICE)), [])  # a slice of texts read at once
                 for part in sentence_scores_many(batch, lexicon, modifiers)]
        counts = [len(part[0]) for part in parts]
        scores, n_tokens, n_matched = (np.concatenate([part[k] for part in parts] or [np.zeros(0)]) for k in range(3))
        return pd.DataFrame({"row": np.repeat(np.arange(len(parts)), counts),
                             "sentence": np.concatenate([np.arange(n) for n in counts] or [np.zeros(0, dtype=int)]),
                             "score": scores, "label": self._labels(scores), "n_tokens": n_tokens.astype("int64"),
                             "n_matched": n_matched.astype("int64")})

    def explain(self, X) -> pd.DataFrame:
        """Which words moved each score: one row per counted sentiment word.

        Columns: ``row`` (position in X), ``token``, ``start``/``end`` (character offsets),
        ``lemma``, ``prior`` (lexicon weight), ``modifier`` (intensifier factor), ``negated``,
        ``context_weight`` and ``contribution`` (their signed product; the row's polarity is
        the squashed sum of its contributions).
        """
        records = []
        for row, analysis in enumerate(self._analyses(X)):
            contribution = analysis.contribution
            source = analysis.source
            for i in np.flatnonzero(analysis.prior):
                records.append((row, source.words[i], source.starts[i], source.ends[i], source.lemmas[i].lower(),
                                analysis.prior[i], analysis.modifier[i], bool(analysis.negated[i]),
                                analysis.context[i], contribution[i]))
        return pd.DataFrame.from_records(records, columns=list(EXPLAIN_COLUMNS))

    # --- internals -----------------------------------------------------------------------
    def _analyses(self, X):
        pairs, rules = self._rule_inputs(X)
        # a generator of a slice of texts at a time, their words weighed at once: a slice's tokens are
        # freed once its analyses are read (20,000 articles held at once would take ~2 GB)
        return (analyses[0] for batch in iter(lambda: list(islice(pairs, SLICE)), [])
                for analyses in analyse_many([(text, [span]) for text, span in batch], **rules))

    def _details(self, pairs, rules: dict) -> pd.DataFrame:
        scores, n_tokens, n_matched = self._summaries(pairs, rules)
        return pd.DataFrame({"score": scores, "label": self._labels(scores), "n_tokens": n_tokens,
                             "n_matched": n_matched})

    def _summaries(self, pairs, rules: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(polarity, n_words, n_matched)`` arrays of ``(text, span)`` pairs, a slice of texts at a time
        (:func:`~analysis.sentiment.rules.summaries_many`: equal to the analyses', made without them)."""
        parts = [summaries_many(batch, **rules) for batch in iter(lambda: list(islice(pairs, SLICE)), [])]
        if not parts:
            return np.zeros(0), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        return tuple(np.concatenate(column) for column in zip(*parts))

    def _rule_inputs(self, X) -> tuple:
        """The ``(text, span)`` pairs of X (an iterator) and the keywords of the lexicon rules."""
        rules = self._rules()
        rows = as_rows(X)
        return zip(rows.texts, rows.spans), rules

    def _rules(self) -> dict:
        """The keywords of the lexicon rules (:func:`~analysis.sentiment.rules.summaries_many`)."""
        self._check_params()
        return dict(lang=self.lang, lexicon=load_lexicon(self.lang, check_sources(self.lang, self.lexicons)),
                    modifiers=load_modifiers(self.lang), context=self.context, window=int(self.window),
                    outside_weight=float(self.outside_weight), lemmatizer=self.lemmatizer)

    def _labels(self, scores: np.ndarray) -> np.ndarray:
        lower, upper = getattr(self, "thresholds_", self.thresholds)
        return np.where(scores > upper, LABELS[2], np.where(scores < lower, LABELS[0], LABELS[1])).astype(object)

    def _check_params(self) -> None:
        check_sources(self.lang, self.lexicons)
        check_lemmatizer(self.lemmatizer)
        if self.context not in CONTEXTS:
            raise ValueError(f"context must be one of {list(CONTEXTS)}, not {self.context!r}.")
        if not 0 <= float(self.outside_weight) <= 1:
            raise ValueError(f"outside_weight must lie in [0, 1], not {self.outside_weight!r}.")
        if int(self.window) < 0:
            raise ValueError(f"window must be a non-negative number of tokens, not {self.window!r}.")
        try:
            lower, upper = (float(t) for t in self.thresholds)
        except (TypeError, ValueError) as err:
            raise ValueError(f"thresholds must be a pair (lower, upper), not {self.thresholds!r}.") from err
        if not -1 <= lower <= upper <= 1:
            raise ValueError(f"thresholds must satisfy -1 <= lower <= upper <= 1, got {self.thresholds!r}.")


def _tune_thresholds(scores: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    """The (lower, upper) pair on a 0.05 grid with the best macro-F1 (first best in grid order)."""
    truth = np.searchsorted(np.array(LABELS), labels)  # 0 negative, 1 neutral, 2 positive
    best, best_pair = -1.0, (0.0, 0.0)
    for lower in _GRID[_GRID <= 0]:
        for upper in _GRID[_GRID >= 0]:
            predicted = np.where(scores > upper, 2, np.where(scores < lower, 0, 1))
            score = _macro_f1(truth, predicted)
            if score > best + 1e-12:
                best, best_pair = score, (float(lower), float(upper))
    return best_pair


def _macro_f1(truth: np.ndarray, predicted: np.ndarray) -> float:
    """Macro-F1 over the three classes from integer codes (as sklearn, zero_division=0)."""
    counts = np.bincount(truth * 3 + predicted, minlength=9).reshape(3, 3)
    tp = np.diag(counts)
    denominator = counts.sum(axis=0) + counts.sum(axis=1)
    return float(np.mean(np.divide(2 * tp, denominator, out=np.zeros(3), where=denominator > 0)))
