"""``StanceModel``: sentiment toward one mention in its sentence, a linear model kept as plain data.

Features of a mention (target span in a sentence), all read from one pass of the lexicon
rules (:func:`analysis.sentiment.rules.analyse_mentions`, which reads :func:`analysis.text.analyze`)
and made by :mod:`analysis.sentiment.stance_cues`:

- *target-marked words*: word 1–2-grams of the sentence with the mention replaced by
  ``_target_`` and the three words on each side as ``l_…``/``r_…`` features
  (:func:`~analysis.sentiment.classifier.mark_target`), so the model learns how a target is
  talked about, not which target it is;
- *cues*, as tokens: every lemma (``w:``), lemmas in the mention's clause (``c:``), lemmas at
  most three words left/right of it (``l:``/``r:``, and ``l1:``/``r1:`` for the adjacent
  words), negated lemmas (``n:``), lexicon hits by sign, region, side and negation
  (``lex+c``, ``lex-near`` …) and where the mention stands (``pos0``–``pos3``, ``pos:start``,
  ``quote``);
- six numbers: the lexicon polarity, the squashed sum in the clause, positive and negative
  mass in the sentence and in the clause;
- English only (``vectors="auto"``): four means of lemma vectors learnt from the bundled
  unlabelled English news (:mod:`analysis.sentiment.vectors`: five lemmas left, five right,
  all weighted 1/(1 + distance), the mention's clause), times 0.25. They carry what the
  model learnt about a word to words of similar use it never saw labelled (+0.015 macro-F1
  on NewsMTSC; on GerNTSA no gain, so the German model goes without).

Word and cue counts are sublinear tf-idf, each block l2-normalised; a class-balanced
multinomial logistic regression (saga, ``random_state``) is trained on all blocks.
The fitted state is only vocabularies, idf weights, coefficients and intercepts, so
:meth:`StanceModel.save` writes JSON + NPZ and :func:`stance_model` reads the bundled models
back with ``allow_pickle=False``. Which features helped is measured in
``benchmarks/sentiment.py`` (module docstring).

Bundled models (``analysis/resources/sentiment/stance-{de,en}.{json,npz}``) are trained on
all of GerNTSA's public split (German, CC BY 4.0; human labels: majority vote of five crowd
annotators per sentence, collected by the dataset's authors) and NewsMTSC's training split
(English; human labels collected by its authors, Hamborg & Donnay, EACL 2021). Rebuild them, deterministically, with ``python -m analysis.sentiment.stance --rebuild``.

>>> import pandas as pd
>>> X = pd.DataFrame({"text": ["Kritiker werfen Scholz Versagen in der Krise vor.",
...                            "Der Kanzler lobte die mutigen Helfer."], "target": ["Scholz", "Helfer"]})
>>> model = stance_model("de")
>>> model.predict(X).tolist(), model.predict_proba(X).shape
(['negative', 'positive'], (2, 3))
"""

from __future__ import annotations

import argparse
import json
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import normalize
from sklearn.utils.validation import check_is_fitted

from analysis.sentiment.classifier import mark_target
from analysis.sentiment.inputs import as_rows, check_labels
from analysis.sentiment.lexicons import load_lexicon, load_modifiers
from analysis.sentiment.rules import analyse_many
from analysis.sentiment.stance_cues import DENSE_FEATURES, mention_tokens, sentence_cues
from analysis.sentiment.terms import TermCounter
from analysis.sentiment.vectors import (fit_lemma_vectors, lemma_vectors, mention_vectors, save_lemma_vectors,
                                        unlabelled_texts)
from analysis.text.estimator import TextInputMixin
from analysis.text.many import SLICE

RESOURCES = Path(__file__).resolve().parents[1] / "resources" / "sentiment"
FORMAT = 2  # bump when the features change: stored models of another format are refused
_BLOCKS = {"words": {"ngram_range": (1, 2)}, "cues": {"token_pattern": r"\S+", "lowercase": False}}
# Weight of the lemma-vector block per language with ``vectors="auto"``: it adds +0.015
# macro-F1 on NewsMTSC, nothing on GerNTSA (benchmarks/sentiment.py), and German vectors
# would derive from 10kGNAD's non-commercial text, so German goes without (none is bundled).
VECTOR_WEIGHT = {"de": 0.0, "en": 0.25}


class StanceModel(TextInputMixin, ClassifierMixin, BaseEstimator):
    """Target-aware sentiment classifier (negative/neutral/positive toward the mention).

    Parameters
    ----------
    lang : ``"de"`` or ``"en"`` (lexicon, lemmas and negation of the cues).
    C : inverse regularisation strength of the logistic regression.
    min_df : a word n-gram or cue must occur in at least this many training mentions.
    random_state : seed of the saga solver's shuffling (None: sklearn's default).
    vectors : weight of the lemma-vector block (:func:`~analysis.sentiment.vectors.mention_vector`
        of the bundled :func:`~analysis.sentiment.vectors.lemma_vectors`, each of its four
        unit-length means times this); 0 leaves the block out; ``"auto"`` (default): the
        measured choice of :data:`VECTOR_WEIGHT` (English 0.25, German 0).
    lemmatizer : ``"simplemma"`` (default) or ``"hanta"``, for the cues' lemmas.

    Input: the sentiment input convention (texts, or a frame with ``text``, ``target`` and
    optionally ``target_start``/``target_end``). Fitted attributes: ``classes_``,
    ``vocabularies_`` (``{"words": {term: column}, "cues": {...}}``), ``idf_`` (per block),
    ``coef_`` and ``intercept_``. ``predict_proba`` is the softmax of the linear scores.
    """

    def __init__(self, lang="de", *, C=1.0, min_df=2, random_state=None, vectors="auto", lemmatizer="simplemma"):
        self.lang = lang
        self.C = C
        self.min_df = min_df
        self.random_state = random_state
        self.vectors = vectors
        self.lemmatizer = lemmatizer

    def fit(self, X, y, sample_weight=None):
        """Learn vocabularies, idf weights and the logistic regression from mentions and labels
        (``sample_weight``: per mention, passed to the logistic regression, whose balanced class
        weights then make each class's weights sum alike: weights act within a class)."""
        blocks, dense, _ = self._inputs(X)
        labels = check_labels(y, len(dense))
        self.vocabularies_, self.idf_ = {}, {}
        for name, docs in blocks.items():
            counts = CountVectorizer(min_df=int(self.min_df), **_BLOCKS[name]).fit(docs)
            self.vocabularies_[name] = {term: int(i) for term, i in counts.vocabulary_.items()}
            document_frequency = np.bincount(counts.transform(docs).indices, minlength=len(counts.vocabulary_))
            self.idf_[name] = np.log((1.0 + len(docs)) / (1.0 + document_frequency)) + 1.0
        model = LogisticRegression(C=float(self.C), class_weight="balanced", solver="saga", tol=1e-3, max_iter=3000,
                                   random_state=self.random_state).fit(self._matrix(blocks, dense), labels,
                                                                      sample_weight=sample_weight)
        self.classes_, self.coef_, self.intercept_ = model.classes_.astype(object), model.coef_, model.intercept_
        return self

    def predict_proba(self, X) -> np.ndarray:
        """Class probabilities (softmax of the linear scores); columns follow ``classes_``."""
        check_is_fitted(self)
        blocks, dense, _, order = self._distinct_inputs(X)
        return self._proba(blocks, dense)[order]

    def score_details(self, X) -> pd.DataFrame:
        """One row per mention, from one pass over the input: ``score`` (P(positive) − P(negative)),
        ``label`` (the most probable), ``n_tokens`` and ``n_matched`` (words in the mention's
        context and sentiment words among them, as the lexicon rules count them)."""
        check_is_fitted(self)
        blocks, dense, counts, order = self._distinct_inputs(X)
        proba, counts, column = self._proba(blocks, dense)[order], counts[order], list(self.classes_)
        return pd.DataFrame({"score": proba[:, column.index("positive")] - proba[:, column.index("negative")],
                             "label": self.classes_[np.argmax(proba, axis=1)],
                             "n_tokens": counts[:, 0], "n_matched": counts[:, 1]})

    def _proba(self, blocks: dict, dense: np.ndarray) -> np.ndarray:
        scores = np.exp(self._scores(blocks, dense))
        return scores / scores.sum(axis=1, keepdims=True)

    def decision_function(self, X) -> np.ndarray:
        """Polarity toward the mention in [-1, 1]: P(positive) - P(negative)."""
        proba, column = self.predict_proba(X), list(self.classes_)
        return proba[:, column.index("positive")] - proba[:, column.index("negative")]

    def predict(self, X) -> np.ndarray:
        """The most probable label per mention."""
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]

    def save(self, prefix) -> tuple[Path, Path]:
        """Write ``<prefix>.json`` (parameters, classes, vocabularies) and ``<prefix>.npz`` (idf,
        coefficients, intercepts): plain data, read back by :func:`load_stance_model`."""
        check_is_fitted(self)
        prefix = Path(prefix)
        meta = {"format": FORMAT, "params": self.get_params(), "classes": list(self.classes_),
                "vocabularies": {name: sorted(v, key=v.get) for name, v in self.vocabularies_.items()}}
        json_path, npz_path = prefix.with_suffix(".json"), prefix.with_suffix(".npz")
        json_path.write_text(json.dumps(meta, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        np.savez_compressed(npz_path, coef=self.coef_.astype(np.float32), intercept=self.intercept_,
                            **{f"idf_{name}": idf.astype(np.float32) for name, idf in self.idf_.items()})
        return json_path, npz_path

    def _inputs(self, X) -> tuple[dict, np.ndarray, np.ndarray]:
        """The text blocks, the dense features and, per mention, (words in context, sentiment words)."""
        blocks, dense, counts, order = self._distinct_inputs(X)
        if order == list(range(len(dense))):  # no mention repeated, and sentences not interleaved
            return blocks, dense, counts
        return {name: [docs[i] for i in order] for name, docs in blocks.items()}, dense[order], counts[order]

    def _distinct_inputs(self, X) -> tuple[dict, np.ndarray, np.ndarray, list]:
        """:meth:`_inputs` of the distinct mentions (sentence and span) of ``X`` and, per row,
        the index of its mention. Each distinct sentence is read by the lexicon rules once (a
        slice of sentences at once, :func:`~analysis.sentiment.rules.analyse_many`) and each
        distinct mention gets its features and scores once: a long document's sentences name
        several actors, and repeated sentences repeat their mentions. A row's features and scores
        do not depend on the other rows."""
        rows = as_rows(X)
        lexicon, modifiers = load_lexicon(self.lang), load_modifiers(self.lang)
        weight = VECTOR_WEIGHT.get(self.lang, 0.0) if self.vectors == "auto" else float(self.vectors)
        vectors = lemma_vectors(self.lang) if weight else None
        width = len(DENSE_FEATURES) + (4 * vectors.dim if vectors else 0)
        spans_of: dict = {}  # text -> its distinct spans
        for text, span in dict.fromkeys(zip(rows.texts, rows.spans)):
            spans_of.setdefault(text, []).append(span)
        index: dict = {}  # (text, span) -> its index among the distinct mentions, sentence by sentence
        cues, numbers, sentences, counts, words = [], [], [], [], []  # sentences: for the lemma vectors
        texts = list(spans_of)
        read = (analyses for start in range(0, len(texts), SLICE)  # a slice of sentences weighed at once
                for analyses in analyse_many([(text, spans_of[text]) for text in texts[start:start + SLICE]],
                                             lang=self.lang, lexicon=lexicon, modifiers=modifiers,
                                             lemmatizer=self.lemmatizer))
        for (text, spans), analyses in zip(spans_of.items(), read):
            index.update({(text, span): len(index) + k for k, span in enumerate(spans)})
            for cue, values in sentence_cues(analyses, spans):
                cues.append(cue)
                numbers.append(values)
            if vectors:
                sentences.append((analyses[0].lemmas, [mention_tokens(analyses[0].source, span) for span in spans],
                                  [analysis.context >= 1.0 for analysis in analyses]))
            counts += [(analysis.n_words, analysis.n_matched) for analysis in analyses]
            words += [mark_target(text, span) for span in spans]
        dense = np.zeros((len(cues), width))
        if cues:
            dense[:, :len(DENSE_FEATURES)] = numbers
        if vectors:
            dense[:, len(DENSE_FEATURES):] = mention_vectors(sentences, vectors)
            dense[:, len(DENSE_FEATURES):] *= weight
        order = [index[mention] for mention in zip(rows.texts, rows.spans)]
        return {"words": words, "cues": cues}, dense, np.array(counts, dtype="int64").reshape(-1, 2), order

    def _matrix(self, blocks: dict, dense: np.ndarray) -> sp.csr_matrix:
        """All features as one sparse matrix: the tf-idf blocks, then the dense numbers' nonzero entries."""
        rows, columns = np.nonzero(dense)
        indptr = np.zeros(len(dense) + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows, minlength=len(dense)), out=indptr[1:])
        numbers = sp.csr_matrix((dense[rows, columns], columns, indptr), shape=dense.shape)
        return sp.hstack([*self._blocks(blocks), numbers], format="csr")

    def _blocks(self, blocks: dict) -> list:
        """Per block, its sublinear tf-idf matrix with l2-normalised rows."""
        parts = []
        for name, docs in blocks.items():
            counts = self._counter(name).transform(docs)
            counts.data = 1.0 + np.log(counts.data)
            weighted = counts @ sp.diags(self.idf_[name])
            parts.append(normalize(weighted) if weighted.shape[0] else weighted)  # no rows: nothing to scale
        return parts

    def _counter(self, name: str) -> TermCounter:
        """The block's :class:`~analysis.sentiment.terms.TermCounter`, made once per fitted vocabulary."""
        counters = self.__dict__.setdefault("_counters", {})
        if name not in counters or counters[name].vocabulary is not self.vocabularies_[name]:
            counters[name] = TermCounter(self.vocabularies_[name], **_BLOCKS[name])
        return counters[name]

    def _scores(self, blocks: dict, dense: np.ndarray) -> np.ndarray:
        """The linear scores minus each row's maximum: ``_matrix(blocks, dense) @ coef_.T + intercept_``
        to the last bit, without putting the dense numbers into a sparse matrix. The sparse
        product adds each row's entries in their stored order; the dense columns stand last in
        each row of :meth:`_matrix`, so they are added after, column by column (a zero adds nothing),
        each class's sums as one contiguous row for speed."""
        words = sp.hstack(self._blocks(blocks), format="csr")
        width = words.shape[1]
        totals = np.ascontiguousarray((words @ self.coef_[:, :width].T).T)
        for column, weights in zip(np.asfortranarray(dense).T, self.coef_[:, width:].T):
            for total, weight in zip(totals, weights):
                total += column * weight
        scores = totals.T + self.intercept_
        return scores - scores.max(axis=1, keepdims=True)


def load_stance_model(prefix) -> StanceModel:
    """A :class:`StanceModel` from ``<prefix>.json`` and ``<prefix>.npz`` (no pickle)."""
    prefix = Path(prefix)
    meta = json.loads(prefix.with_suffix(".json").read_text(encoding="utf-8"))
    if meta.get("format") != FORMAT:
        raise ValueError(f"{prefix.with_suffix('.json')} holds a stance model of format {meta.get('format')!r}; this "
                         f"kit reads format {FORMAT}. Rebuild it: python -m analysis.sentiment.stance --rebuild")
    model = StanceModel(**meta["params"])
    with np.load(prefix.with_suffix(".npz"), allow_pickle=False) as arrays:
        model.coef_, model.intercept_ = arrays["coef"].astype(float), arrays["intercept"].astype(float)
        model.idf_ = {name: arrays[f"idf_{name}"].astype(float) for name in meta["vocabularies"]}
    model.vocabularies_ = {name: {term: i for i, term in enumerate(terms)}
                           for name, terms in meta["vocabularies"].items()}
    model.classes_ = np.asarray(meta["classes"], dtype=object)
    return model


@lru_cache(maxsize=4)
def stance_model(lang: str = "de") -> StanceModel:
    """The bundled stance model of ``lang`` (``"de"``: GerNTSA, ``"en"``: NewsMTSC), loaded once."""
    if lang not in ("de", "en"):
        raise ValueError(f"there is a bundled stance model for 'de' and 'en', not {lang!r}.")
    return load_stance_model(RESOURCES / f"stance-{lang}")


def training_data(lang: str):
    """The bundled gold mentions the stance model of ``lang`` is trained on: ``(X, y, groups)``
    with groups = the sentence, for grouped cross-validation."""
    from analysis.corpus.datasets import load_gerntsa, load_newsmtsc

    corpus = (load_gerntsa() if lang == "de" else load_newsmtsc()).corpus.reset_index(drop=True)
    X = corpus[["text", "target", "target_start", "target_end"]].astype({"text": object, "target": object})
    groups = np.unique(corpus["text"].astype(str), return_inverse=True)[1]
    return X, corpus["label"].to_numpy().astype(str), groups


def rebuild(folder=RESOURCES, langs=("de", "en")) -> list[Path]:
    """Fit the bundled lemma vectors (languages with a :data:`VECTOR_WEIGHT`) on the bundled
    unlabelled text (always written to the kit's resources, which the models read), train the models on all bundled gold
    (``random_state=0``) and write them to ``folder``."""
    written = []
    for lang in langs:
        if VECTOR_WEIGHT.get(lang):
            lemmas, table = fit_lemma_vectors(unlabelled_texts(lang), lang=lang)
            written.append(save_lemma_vectors(RESOURCES / f"vectors-{lang}.npz", lemmas, table))
            lemma_vectors.cache_clear()
        X, y, _ = training_data(lang)
        written += StanceModel(lang, random_state=0).fit(X, y).save(Path(folder) / f"stance-{lang}")
    stance_model.cache_clear()
    return written


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="Bundled stance models (analysis/resources/sentiment/stance-*).")
    parser.add_argument("--rebuild", action="store_true", help="train them again from data/raw and overwrite them")
    args = parser.parse_args(argv)
    if args.rebuild:
        for path in rebuild():
            print(f"wrote {path} ({path.stat().st_size / 1e6:.2f} MB)")
    else:
        parser.print_help()


if __name__ == "__main__":
    main()
