"""A classifier that learns one coded variable from a hand-coded sample: :func:`train_coder`.

Features: tf-idf word 1–2-grams, tf-idf character 2–5-grams (inside words: robust to German
inflection and compounds), the six lexicon numbers of
:class:`~analysis.sentiment.classifier.LexiconFeatures` and the frame-dictionary scores of
:class:`~analysis.frames.FrameScorer` (both standardised, weighted 0.3). Model: class-balanced logistic
regression (multinomial for one code per unit, one-vs-rest for several). The coded units
are kept in the fitted coder, so :meth:`Coder.cross_validate`, :func:`~analysis.coding.next_to_code`
and :func:`~analysis.coding.estimate_prevalence` can use them.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import FeatureUnion, Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.validation import check_is_fitted
from threadpoolctl import threadpool_limits

from analysis.coding.crossval import cross_validate
from analysis.coding.labels import encode_multilabel, encode_single, missing
from analysis.corpus.schema import require_columns
from analysis.frames.scoring import FrameScorer
from analysis.sentiment.classifier import LexiconFeatures
from analysis.text.estimator import TextInputMixin
from analysis.text.language import check_lang, corpus_language

ID_COLUMNS = ("doc_id", "unit")  # a coded unit's id: doc_id, else the coding sheet's unit
# Weight of the standardised lexicon and frame numbers beside the unit-length tf-idf rows. On GerNTSA
# (500 training units, two grouped 70/30 splits) macro-F1 was 0.456 with 0.3, 0.453 with 1 and 0.33
# without these numbers; 0.3 needs half the solver iterations of 1.
DENSE_WEIGHT = 0.3


class Coder(TextInputMixin, ClassifierMixin, BaseEstimator):
    """One coded variable as a scikit-learn classifier over texts (see the module docstring).

    ``X``: a corpus frame (``text``; ``doc_id``; ``lang``, which must match the coder's) or a
    list of texts. ``y``: one code per unit, or with ``multilabel=True`` several (a 0/1
    matrix or frame, lists, or ``;``-separated strings; see :mod:`analysis.coding.labels`).
    ``groups`` (optional, one value per unit): units that must stay on one side of a
    cross-validation split, e.g. several targets in one sentence; default: identical texts.

    Fitted: ``classes_``, ``model_`` (the Pipeline), ``coded_`` (the coded units:
    ``doc_id``, ``text``, ``group``) and ``coded_labels_`` (their codes, as encoded).
    """

    def __init__(self, *, lang="de", multilabel=False, dictionary="conflict", C=1.0, random_state=None):
        self.lang = lang
        self.multilabel = multilabel
        self.dictionary = dictionary
        self.C = C
        self.random_state = random_state

    def fit(self, X, y, groups=None):
        """Learn the codes ``y`` of the units ``X``."""
        check_lang(self.lang)
        frame = self._units(X)
        labels, classes = encode_multilabel(y) if self.multilabel else encode_single(y)
        if len(labels) != len(frame):
            raise ValueError(f"X has {len(frame)} units but y has {len(labels)} codes; give one code per unit.")
        _check_classes(labels, classes, self.multilabel)
        group = frame["text"] if groups is None else pd.Series(list(groups), index=frame.index)
        if len(group) != len(frame):
            raise ValueError(f"groups has {len(group)} values for {len(frame)} units.")
        with threadpool_limits(limits=1):  # the same bits in any process; threads only slow these small solves
            self.model_ = self._pipeline().fit(frame["text"].tolist(), labels)
        self.classes_ = classes
        self.coded_ = frame.assign(group=pd.factorize(group)[0])[["doc_id", "text", "group"]]
        self.coded_labels_ = labels
        self._validation = {}  # cross_validate's results by their options: a coder's codes do not change
        return self

    def predict_proba(self, X) -> np.ndarray:
        """Class probabilities, columns in ``classes_`` order; rows sum to 1 for one code per
        unit, each column is its own label's probability with ``multilabel=True``."""
        check_is_fitted(self)
        texts = self._units(X)["text"].tolist()
        return self.model_.predict_proba(texts) if texts else np.zeros((0, len(self.classes_)))

    def predict(self, X) -> np.ndarray:
        """The most probable code per unit; with ``multilabel=True`` a units × ``classes_``
        0/1 matrix (probability at least 0.5)."""
        return self.decide(self.predict_proba(X))

    def decide(self, proba: np.ndarray) -> np.ndarray:
        """The decision rule of :meth:`predict` applied to probabilities from :meth:`predict_proba`."""
        check_is_fitted(self)
        if self.multilabel:
            return (np.asarray(proba) >= 0.5).astype(np.int64)
        return self.classes_[np.argmax(proba, axis=1)]

    def cross_validate(self, n_splits: int = 5, *, ci: float = 0.95, n_boot: int = 1000):
        """Out-of-fold quality on the coded units: a :class:`~analysis.coding.crossval.CrossValidation`
        with ``scores`` (precision, recall, F1 per label with bootstrap intervals) and ``confusion``."""
        check_is_fitted(self)
        key = (int(n_splits), float(ci), int(n_boot))
        if key not in self._validation:
            self._validation[key] = cross_validate(self, n_splits, ci=ci, n_boot=n_boot)
        return self._validation[key]

    def _pipeline(self) -> Pipeline:
        features = FeatureUnion([
            ("words", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)),
            ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, max_features=200_000)),
            ("lexicon", make_pipeline(LexiconFeatures(self.lang), StandardScaler())),
            ("frames", make_pipeline(FrameScorer(dictionary=self.dictionary, lang=self.lang), StandardScaler())),
        ], transformer_weights={"lexicon": DENSE_WEIGHT, "frames": DENSE_WEIGHT})
        model = LogisticRegression(C=self.C, class_weight="balanced", max_iter=3000, random_state=self.random_state)
        return Pipeline([("features", features), ("model", OneVsRestClassifier(model) if self.multilabel else model)])

    def _units(self, X) -> pd.DataFrame:
        """``X`` as a frame of ``doc_id`` (its ``doc_id`` or ``unit``, else None) and ``text``, checked."""
        if isinstance(X, str):
            raise TypeError("X must be a corpus frame or a list of texts, not a single string; wrap it: [text].")
        if not isinstance(X, pd.DataFrame):
            X = pd.DataFrame({"text": list(X)})
        require_columns(X, "text", what="X")
        bad = [i for i, text in enumerate(X["text"]) if not isinstance(text, str)]
        if bad:
            raise ValueError(f"X has {len(bad)} missing or non-text value(s), the first at row {bad[0]} "
                             f"({X['text'].iloc[bad[0]]!r}); drop them or fill them with ''.")
        if "lang" in X.columns:
            other = X["lang"].notna() & (X["lang"] != self.lang)
            if other.any():
                raise ValueError(f"{int(other.sum())} units are not in the coder's language {self.lang!r} "
                                 f"(e.g. {X.loc[other, 'lang'].iloc[0]!r}); select them first, e.g. "
                                 f"corpus[corpus['lang'] == {self.lang!r}], or train a coder for that language.")
        id_col = next((c for c in ID_COLUMNS if c in X.columns), None)
        ids = X[id_col].astype(str).to_numpy() if id_col else np.full(len(X), None, dtype=object)
        return pd.DataFrame({"doc_id": ids, "text": X["text"].to_numpy()})


def _check_classes(labels: np.ndarray, classes: np.ndarray, multilabel: bool) -> None:
    if multilabel:
        counts = labels.sum(axis=0)
        rare = [(c, int(n)) for c, n in zip(classes, counts) if n == 0 or n == len(labels)]
        if len(classes) == 0 or rare:
            raise ValueError(f"every label needs coded units with and without it; not so for {rare or 'any'}.")
        return
    if len(classes) < 2:
        raise ValueError(f"the codes hold only {classes.tolist()}; a coder needs at least two different codes.")


def train_coder(coded: pd.DataFrame, *, text_col: str = "text", label_col, multilabel: bool = False,
                lang: str | None = None, random_state=0) -> Coder:
    """Train a :class:`Coder` on hand-coded units.

    ``coded``: one row per unit with its text in ``text_col`` and its code in ``label_col`` —
    a frame of your own, or :func:`~analysis.validation.read_codes` output joined with the
    texts (``codes.merge(corpus[["doc_id", "text"]], on="doc_id")``). ``label_col``: one
    column; with ``multilabel=True`` also a list of yes/no columns (one per label, e.g.
    ``["frame_military", "frame_economic"]``). Units without a code (NaN; in any of the
    yes/no columns) are left out with a warning that names them. An optional ``group``
    column keeps units together in cross-validation (default: identical texts). ``lang``:
    ``"de"`` or ``"en"``; None takes the coded texts' most common language.

    >>> from analysis.coding.examples import coded_units
    >>> coded = coded_units()
    >>> coder = train_coder(coded, label_col="frame")
    >>> coder.classes_.tolist()
    ['humanitarian', 'military']
    >>> new = pd.DataFrame({"doc_id": ["n1"], "text": ["Panzer und Soldaten rücken an die Front vor."]})
    >>> coder.predict(new).tolist(), coder.predict_proba(new).sum(axis=1).round(6).tolist()
    (['military'], [1.0])
    """
    label_cols = [label_col] if isinstance(label_col, str) else list(label_col)
    if len(label_cols) > 1 and not multilabel:
        raise ValueError(f"label_col names {len(label_cols)} columns; pass multilabel=True for yes/no columns, "
                         "or one column for one code per unit.")
    require_columns(coded, text_col, *label_cols, what="coded",
                    hint="read_codes output has no texts: join them, codes.merge(corpus[['doc_id', 'text']], "
                         "on='doc_id')." if text_col not in coded.columns else "")
    uncoded = coded[label_cols].map(missing).any(axis=1)
    if uncoded.all():
        raise ValueError(f"no unit in coded has a code in {label_cols}; nothing to learn from.")
    if uncoded.any():
        ids = coded.loc[uncoded, next((c for c in ID_COLUMNS if c in coded.columns), text_col)]
        warnings.warn(f"{int(uncoded.sum())} of {len(coded)} units have no code in {label_cols} and are left out "
                      f"(e.g. {ids.head(3).tolist()}).", UserWarning, stacklevel=2)
    units = coded.loc[~uncoded]
    X = units if text_col == "text" else units.drop(columns="text", errors="ignore").rename(columns={text_col: "text"})
    lang = check_lang(lang) if lang is not None else corpus_language(X)
    y = units[label_cols] if len(label_cols) > 1 else units[label_cols[0]]
    groups = units["group"] if "group" in units.columns else None
    return Coder(lang=lang, multilabel=multilabel, random_state=random_state).fit(X, y, groups=groups)
