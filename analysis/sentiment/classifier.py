"""``SentimentClassifier``: a trainable, calibrated scikit-learn model for (targeted) sentiment.

Two views of each text are stacked:

1. an n-gram Pipeline (tf-idf word 1–2-grams and character 2–5-grams, class-balanced
   logistic regression) on the *target-marked* text: the target span becomes the
   placeholder ``_target_`` (the model learns how a target is talked about, not which
   target it is) and the words right before and after it become features of their own
   (``l_kritisiert``, ``r_scheitert``);
2. :class:`LexiconFeatures`, the evidence of :class:`~analysis.sentiment.LexiconSentiment`.

A logistic regression on the n-gram model's out-of-fold log-probabilities and the lexicon
features, wrapped in :class:`~sklearn.calibration.CalibratedClassifierCV`, gives calibrated
``predict_proba``. ``predict`` multiplies those probabilities by per-class decision weights
tuned out of fold for macro-F1, so the rarer negative and positive classes are not swallowed
by ``neutral``. Every parameter lives in ``__init__`` and all fitting happens in ``fit``, so
the estimator works with ``clone``, ``GridSearchCV`` and ``cross_val_predict``.

>>> texts = ["Ein großer Erfolg.", "Ein guter Tag.", "Eine tolle Leistung.",
...          "Ein schlimmer Fehler.", "Eine Katastrophe.", "Ein schwerer Rückschlag.",
...          "Die Sitzung beginnt.", "Der Zug fährt.", "Es ist Dienstag."] * 2
>>> labels = ["positive"] * 3 + ["negative"] * 3 + ["neutral"] * 3
>>> model = SentimentClassifier(progress=False).fit(texts, labels * 2)
>>> model.classes_.tolist(), model.predict_proba(["Ein Fehler."]).shape, model.predict(["Ein Fehler."]).shape
(['negative', 'neutral', 'positive'], (1, 3), (1,))
"""


from __future__ import annotations

import itertools
import re

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin, TransformerMixin, clone
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import GroupKFold, cross_val_predict
from sklearn.pipeline import Pipeline, make_pipeline, make_union
from sklearn.preprocessing import StandardScaler
from sklearn.utils.validation import check_is_fitted

from analysis.progress import progress_bar
from analysis.sentiment.inputs import as_rows, check_labels
from analysis.sentiment.lexicon import LexiconSentiment
from analysis.text.tokenize import tokenize
from analysis.text.estimator import TextInputMixin

PLACEHOLDER = "_target_"
_SIDE_WORDS = 3  # words on each side of the target that become l_/r_ features
LEXICON_FEATURES = ("polarity_context", "polarity_text", "positive_mass", "negative_mass", "matched_share",
                    "negated_share")


class LexiconFeatures(TextInputMixin, TransformerMixin, BaseEstimator):
    """Lexicon evidence per text as numbers (see ``LEXICON_FEATURES``), for a downstream model.

    Input: the sentiment input convention (texts, or a frame with ``text``, ``target`` …).
    ``lemmatizer`` is passed to :class:`~analysis.sentiment.LexiconSentiment`.
    """

    def __init__(self, lang="de", *, context="clause", lemmatizer="simplemma"):
        self.lang = lang
        self.context = context
        self.lemmatizer = lemmatizer

    def fit(self, X, y=None):
        self.lexicon_ = LexiconSentiment(self.lang, context=self.context, lemmatizer=self.lemmatizer)
        self.n_features_out_ = len(LEXICON_FEATURES)
        return self

    def transform(self, X) -> np.ndarray:
        check_is_fitted(self)
        rows = []
        for analysis in self.lexicon_._analyses(X):
            contribution = analysis.contribution
            plain = analysis.prior * analysis.modifier * np.where(analysis.negated, -1.0, 1.0)
            total = plain.sum()
            words = max(analysis.n_words, 1)
            rows.append((analysis.polarity, total / np.sqrt(total * total + 1.0),
                         contribution[contribution > 0].sum(), -contribution[contribution < 0].sum(),
                         analysis.n_matched / words, np.count_nonzero(analysis.negated) / words))
        return np.asarray(rows, dtype=float).reshape(-1, len(LEXICON_FEATURES))

    def get_feature_names_out(self, input_features=None):
        check_is_fitted(self)
        return np.asarray(LEXICON_FEATURES, dtype=object)


class SentimentClassifier(TextInputMixin, ClassifierMixin, BaseEstimator):
    """Trainable sentiment classifier: n-grams and lexicon evidence, stacked and calibrated.

    Parameters
    ----------
    lang : ``"de"`` or ``"en"`` (lexicon features and their lemmatiser).
    C : inverse regularisation strength of the n-gram logistic regression.
    char_ngrams : add character 2–5-grams (robust to inflection and compounds) to word 1–2-grams.
    lexicon_features : stack :class:`LexiconFeatures` with the n-gram model's probabilities
        (False: the n-gram model alone, still calibrated).
    calibration : ``"sigmoid"`` (default) or ``"isotonic"``, for CalibratedClassifierCV.
    cv : folds for the out-of-fold n-gram probabilities and for calibration. Folds are
        grouped by text, so a sentence with several targets never sits on both sides.
    progress : show a progress bar over the fitting steps (``cv`` n-gram folds, the final
        n-gram model, the lexicon features, the stacker): fitting a few thousand sentences
        takes a minute or two. Hidden with ``False`` or inside :func:`analysis.progress.quiet`.
    lemmatizer : ``"simplemma"`` (default) or ``"hanta"``, for the lexicon features' lemmas.

    Fitted attributes: ``text_model_`` (the n-gram Pipeline), ``lexicon_features_``,
    ``final_model_`` (the calibrated stacker), ``decision_weights_`` (per-class factors on
    the probabilities, tuned out of fold for macro-F1) and ``classes_``.
    """

    def __init__(self, lang="de", *, C=1.0, char_ngrams=True, lexicon_features=True, calibration="sigmoid",
                 cv=3, progress=True, lemmatizer="simplemma"):
        self.lang = lang
        self.C = C
        self.char_ngrams = char_ngrams
        self.lexicon_features = lexicon_features
        self.calibration = calibration
        self.cv = cv
        self.progress = progress
        self.lemmatizer = lemmatizer

    def fit(self, X, y):
        """Fit on texts (or frames with targets) and their labels."""
        frame = _model_frame(X)
        labels = check_labels(y, len(frame))
        folds = self._folds(frame, labels)
        with progress_bar(None, desc="fitting SentimentClassifier", total=len(folds) + 3, unit="step",
                          enabled=bool(self.progress)) as bar:
            self.text_model_ = self._text_model()
            text_proba = np.zeros((len(labels), len(np.unique(labels))))
            for train, test in folds:  # out-of-fold probabilities, as cross_val_predict, one step each
                fold_model = clone(self.text_model_).fit(frame["marked"].iloc[train], labels[train])
                text_proba[test] = fold_model.predict_proba(frame["marked"].iloc[test])
                bar.update()
            self.text_model_.fit(frame["marked"], labels)
            bar.update()
            self.lexicon_features_ = LexiconFeatures(self.lang, lemmatizer=self.lemmatizer).fit(frame) if self.lexicon_features else None
            stacked = self._stack(text_proba, frame)
            bar.update()
            self.final_model_ = CalibratedClassifierCV(
                make_pipeline(StandardScaler(), LogisticRegression(max_iter=3000)), method=self.calibration,
                cv=int(self.cv))
            oof = cross_val_predict(clone(self.final_model_), stacked, labels, cv=folds, method="predict_proba")
            self.final_model_.fit(stacked, labels)
            self.classes_ = self.final_model_.classes_
            self.decision_weights_ = _tune_decision_weights(oof, labels, self.classes_)
            bar.update()
        return self

    def predict_proba(self, X) -> np.ndarray:
        """Calibrated class probabilities; columns follow ``classes_``; rows sum to 1."""
        check_is_fitted(self)
        frame = _model_frame(X)
        return self.final_model_.predict_proba(self._stack(self.text_model_.predict_proba(frame["marked"]), frame))

    def decision_function(self, X) -> np.ndarray:
        """Expected polarity in [-1, 1]: P(positive) - P(negative)."""
        proba = self.predict_proba(X)
        column = {label: i for i, label in enumerate(self.classes_)}
        positive = proba[:, column["positive"]] if "positive" in column else 0.0
        negative = proba[:, column["negative"]] if "negative" in column else 0.0
        return np.asarray(positive - negative, dtype=float)

    def predict(self, X) -> np.ndarray:
        """The class maximising calibrated probability × ``decision_weights_``."""
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba * self.decision_weights_, axis=1)].astype(object)

    def _text_model(self) -> Pipeline:
        vectorizers = [TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)]
        if self.char_ngrams:
            vectorizers.append(TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True))
        return Pipeline([("tfidf", make_union(*vectorizers)),
                         ("model", LogisticRegression(C=self.C, class_weight="balanced", max_iter=3000))])

    def _stack(self, text_proba: np.ndarray, frame: pd.DataFrame) -> np.ndarray:
        parts = [np.log(np.clip(text_proba, 1e-6, 1.0))]
        if self.lexicon_features_ is not None:
            parts.append(self.lexicon_features_.transform(frame))
        return np.hstack(parts)

    def _folds(self, frame: pd.DataFrame, labels: np.ndarray) -> list:
        if self.calibration not in ("sigmoid", "isotonic"):
            raise ValueError(f"calibration must be 'sigmoid' or 'isotonic', not {self.calibration!r}.")
        counts = pd.Series(labels).value_counts()
        if len(counts) < 2:
            raise ValueError(f"y holds only {counts.index.tolist()}; a classifier needs at least two classes.")
        n_groups = frame["text"].nunique()
        if int(self.cv) < 2 or n_groups < int(self.cv):
            raise ValueError(f"cv must be at least 2 and at most the number of distinct texts ({n_groups}), "
                             f"not {self.cv!r}.")
        groups = pd.factorize(frame["text"])[0]
        folds = list(GroupKFold(n_splits=int(self.cv)).split(frame, labels, groups))
        for train, _ in folds:
            if len(set(labels[train])) < len(counts):
                raise ValueError(f"a {self.cv}-fold split leaves a class out of training; every class needs "
                                 f"examples in several texts (counts: {counts.to_dict()}). Lower cv or add data.")
        return folds


def _tune_decision_weights(proba: np.ndarray, labels: np.ndarray, classes: np.ndarray) -> np.ndarray:
    """Per-class factors on the probabilities (the most frequent class fixed at 1) that
    maximise out-of-fold macro-F1, on a 0.1 grid from 0.5 to 3."""
    truth = np.searchsorted(classes, labels)
    anchor = int(np.argmax(np.bincount(truth, minlength=len(classes))))
    grid = np.round(np.arange(0.5, 3.01, 0.1), 2)
    free = [i for i in range(len(classes)) if i != anchor]
    best, best_weights = -1.0, np.ones(len(classes))
    for combo in itertools.product(grid, repeat=len(free)):
        weights = np.ones(len(classes))
        weights[free] = combo
        score = f1_score(truth, np.argmax(proba * weights, axis=1), average="macro",
                         labels=list(range(len(classes))), zero_division=0)
        if score > best + 1e-12:
            best, best_weights = score, weights
    return best_weights


def _model_frame(X) -> pd.DataFrame:
    """The validated input as a frame with the target-marked text in ``marked``."""
    rows = as_rows(X)
    starts = [span[0] if span else np.nan for span in rows.spans]
    ends = [span[1] if span else np.nan for span in rows.spans]
    marked = [mark_target(text, span) for text, span in zip(rows.texts, rows.spans)]
    targets = [text[s[0]:s[1]] if s else None for text, s in zip(rows.texts, rows.spans)]
    return pd.DataFrame({"text": rows.texts, "target": targets, "target_start": starts, "target_end": ends,
                         "marked": marked})


def mark_target(text: str, span) -> str:
    """Replace the target by the placeholder and add ``l_``/``r_`` features for its neighbours.

    >>> mark_target("Kritiker werfen Scholz Versagen vor.", (16, 22))
    'Kritiker werfen  _target_  Versagen vor. l_kritiker l_werfen r_versagen r_vor'
    """
    if span is None:
        return text
    sides = " ".join([f"l_{w}" for w in _side_words(text, span[0], left=True)] +
                     [f"r_{w}" for w in _side_words(text, span[1], left=False)])
    return f"{text[:span[0]]} {PLACEHOLDER} {text[span[1]:]} {sides}"


_SPACE = re.compile(r"\s")
_SIDE_CHARS = 32  # characters tokenised first on each side of a target, widened until enough words are found


def _side_words(text: str, position: int, *, left: bool) -> list[str]:
    """The last (``left``) or first :data:`_SIDE_WORDS` words (tokens starting with a letter or
    digit, lowercased) of ``tokenize(text[:position])`` or ``tokenize(text[position:])``,
    tokenising only a window next to ``position``: no token holds whitespace, so the tokens that
    follow a whitespace character are the tokens of the text after it (and those before one, of the text before it)."""
    size = _SIDE_CHARS
    while True:
        if left:
            begin = max(position - size, 0)
            found = _SPACE.search(text, begin, position) if begin else None
            if begin and found is None:  # no whitespace to cut at: widen
                size *= 4
                continue
            window, whole = text[found.start() if found else 0:position], found is None
        else:
            found = _SPACE.search(text, min(position + size, len(text)))
            window, whole = text[position:found.start() if found else len(text)], found is None
        words = [w.lower() for w in tokenize(window) if w[:1].isalnum()]
        if len(words) >= _SIDE_WORDS or whole:
            return words[-_SIDE_WORDS:] if left else words[:_SIDE_WORDS]
        size *= 4
