"""Sentiment for a corpus frame: per document or sentence, per actor mention, per actor × group × period.

``method`` is ``"lexicon"`` (a :class:`LexiconSentiment` in each document's ``lang``, German
when the corpus has no ``lang`` column), ``"stance"`` (the bundled target-aware
:func:`~analysis.sentiment.stance.stance_model` of each document's ``lang``, trained on news
target-sentiment gold; meant for :func:`actor_sentiment`) or any fitted estimator that follows the sentiment
input convention, such as a :class:`SentimentClassifier` or a ``LexiconSentiment`` whose
thresholds were tuned. ``score`` is a polarity in [-1, 1] (for a probabilistic model
P(positive) - P(negative)); ``n_tokens``/``n_matched`` always come from the lexicon
rules. ``lemmatizer`` (``"simplemma"`` or ``"hanta"``) picks the lemmas the lexicon rules
look up, as ``Preprocessor(lemmatizer=...)``; an estimator passed as ``method`` (and the
bundled stance model, simplemma) keeps its own.
Every text (document, sentence or a mention's sentence) is read from its
:func:`analysis.text.analyze`, which also gives ``actor_sentiment`` the sentences.

>>> import pandas as pd
>>> text = "Putin droht mit Krieg. Selenskyj dankt für die großartige Hilfe."
>>> corpus = pd.DataFrame({"doc_id": ["a"], "text": [text]})
>>> actor_sentiment(corpus)[["actor", "start", "end", "label"]].values.tolist()
[['Putin', 0, 5, 'negative'], ['Selenskyj', 23, 32, 'positive']]
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from analysis.compare.prevalence import prevalence
from analysis.compare.scores import DroppedDocumentsWarning
from analysis.corpus.id_sets import is_in
from analysis.corpus.schema import check_corpus, require_columns
from analysis.corpus.units import unit_id
from analysis.frames.actors import find_actors
from analysis.scale.memory import gc_paused
from analysis.sentiment.documents import balance_of_rows, label_sentences, sentence_balance
from analysis.sentiment.lexicon import LexiconSentiment
from analysis.sentiment.stance import StanceModel, stance_model
from analysis.text.analysis import analyze, scratch
from analysis.text.spans import excerpt
from analysis.text.language import document_langs

SCORE_COLUMNS = ("doc_id", "unit_id", "score", "label", "n_tokens", "n_matched")
ACTOR_COLUMNS = ("doc_id", "actor", "mention", "start", "end", "score", "label", "actor_id", "kind")


def score_sentiment(corpus: pd.DataFrame, *, unit: str = "document", method="lexicon", text_col: str = "text",
                    lang: str | None = None, lemmatizer: str = "simplemma", scale: str = "balance") -> pd.DataFrame:
    """Sentiment of each document or sentence.

    One row per document (``unit="document"``; ``unit_id`` equals ``doc_id``) or per sentence
    (``unit="sentence"``; ``unit_id`` is ``"<doc_id>#s<n>"`` as in :func:`analysis.split_units`).
    Columns: ``doc_id, unit_id, score`` (in [-1, 1]), ``label``, ``n_tokens`` (words)
    and ``n_matched`` (lexicon sentiment words). ``lang`` overrides the corpus's ``lang``
    column. Documents without any sentence (empty text) are reported with a
    :class:`~analysis.compare.prevalence.DroppedDocumentsWarning` under ``unit="sentence"``.

    ``scale`` (documents only): ``"balance"`` (default) scores a document by the share of
    positive minus the share of negative sentences (:mod:`analysis.sentiment.documents`:
    does not saturate or grow with length; with ``method="lexicon"`` the sentences are
    labelled by thresholds tuned on sentence gold); ``"text"`` by the polarity of the whole
    text at once (a squashed sum: long texts drift to ±1).
    """
    check_corpus(corpus, text_col=text_col)
    if unit not in ("document", "sentence"):
        raise ValueError(f"unit must be 'document' or 'sentence', not {unit!r}.")
    if scale not in ("balance", "text"):
        raise ValueError(f"scale must be 'balance' or 'text', not {scale!r}.")
    langs = np.array(document_langs(corpus, lang, text_col=text_col), dtype=object)
    if unit == "document" and scale == "balance":
        if isinstance(method, str) and method == "lexicon":  # the sentences' scores by document position: no ids
            scored = _lexicon_sentence_table(corpus, langs, text_col, lemmatizer)
            rows = scored["row"].to_numpy()
            return balance_of_rows(rows, label_sentences(scored["score"], langs[rows]), scored["n_tokens"].to_numpy(),
                                   scored["n_matched"].to_numpy(), corpus["doc_id"].to_numpy())
        with warnings.catch_warnings():  # documents without a sentence are kept below, scored 0
            warnings.simplefilter("ignore", DroppedDocumentsWarning)
            sentences = score_sentiment(corpus.assign(lang=langs), unit="sentence", method=method, text_col=text_col,
                                        lemmatizer=lemmatizer)
        return sentence_balance(sentences, corpus["doc_id"].to_numpy())
    if unit == "sentence":
        scored = _sentence_scores(corpus, langs, text_col, method, lemmatizer)
        empty = pd.Index(corpus["doc_id"]).difference(scored["doc_id"])
        if len(empty):
            warnings.warn(f"{len(empty)} of {len(corpus)} documents have no sentence (empty text) and get no row "
                          f"(e.g. {empty[:3].tolist()}).", DroppedDocumentsWarning, stacklevel=2)
        return scored
    frame = pd.DataFrame({"doc_id": corpus["doc_id"].to_numpy(), "unit_id": corpus["doc_id"].to_numpy(),
                          "text": corpus[text_col].fillna("").astype(str).to_numpy(), "lang": langs})
    with gc_paused():
        scored = _score(frame[["text"]], frame["lang"], method, lemmatizer)
    return pd.concat([frame[["doc_id", "unit_id"]].reset_index(drop=True), scored], axis=1)[list(SCORE_COLUMNS)]


SENTENCE_BATCH = 20_000  # sentences (or mentions) whose analyses are held at once, however long the documents


def _sentence_scores(corpus: pd.DataFrame, langs, text_col: str, method, lemmatizer: str) -> pd.DataFrame:
    """:data:`SCORE_COLUMNS` of every sentence (the sentences :func:`analysis.split_units` cuts).

    The lexicon rules read each document once (:meth:`LexiconSentiment.score_sentences`); any
    other method scores :data:`SENTENCE_BATCH` sentences at a time, each sentence's analysis cut
    from its document's (no second tokenising or segmenting) and kept only for its batch, so
    memory does not grow with a document's length."""
    if isinstance(method, str) and method == "lexicon":
        return _lexicon_sentence_scores(corpus, langs, text_col, lemmatizer)
    parts, rows, cut = [], [], []

    def flush():
        frame = pd.DataFrame(rows, columns=["doc_id", "unit_id", "text", "lang"])
        with scratch(cut):
            scored = _score(frame[["text"]], frame["lang"], method, lemmatizer)
        parts.append(pd.concat([frame[["doc_id", "unit_id"]], scored], axis=1)[list(SCORE_COLUMNS)])
        rows.clear()
        cut.clear()

    with gc_paused():
        for doc_id, text, lang in zip(corpus["doc_id"].to_numpy(), corpus[text_col].to_numpy(), langs):
            if not isinstance(text, str):
                continue
            whole = analyze(text, lang=lang, lemmatizer=lemmatizer)
            for position, (start, end) in enumerate(whole.sentences):
                cut.append(excerpt(whole, start, end))
                rows.append((doc_id, unit_id(doc_id, "sentence", position), cut[-1].text, lang))
                if len(rows) == SENTENCE_BATCH:
                    flush()
        if rows or not parts:
            flush()
    return pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]


def _lexicon_sentence_scores(corpus: pd.DataFrame, langs, text_col: str, lemmatizer: str) -> pd.DataFrame:
    """:data:`SCORE_COLUMNS` of every sentence by the lexicon rules, each document's language at a time."""
    scored = _lexicon_sentence_table(corpus, langs, text_col, lemmatizer)
    doc_ids = corpus["doc_id"].to_numpy()[scored["row"].to_numpy()]
    units = [unit_id(doc_id, "sentence", position) for doc_id, position in zip(doc_ids, scored["sentence"].tolist())]
    return pd.concat([pd.DataFrame({"doc_id": doc_ids.astype(object), "unit_id": np.array(units, dtype=object)}),
                      scored[["score", "label", "n_tokens", "n_matched"]]], axis=1)[list(SCORE_COLUMNS)]


def _lexicon_sentence_table(corpus: pd.DataFrame, langs, text_col: str, lemmatizer: str) -> pd.DataFrame:
    """:meth:`LexiconSentiment.score_sentences` of every document in its language, documents in corpus
    order (``row``: the document's position in ``corpus``)."""
    texts = corpus[text_col].to_numpy()
    langs = np.asarray(langs, dtype=object)
    present = np.array([isinstance(text, str) for text in texts], dtype=bool)
    parts = []
    with gc_paused():
        for lang in pd.unique(langs[present]):
            rows = np.flatnonzero(present & (langs == lang))
            scored = LexiconSentiment(lang, lemmatizer=lemmatizer).score_sentences(list(texts[rows]))
            parts.append(scored.assign(row=rows[scored["row"].to_numpy()]))
    scored = pd.concat(parts, ignore_index=True) if parts else LexiconSentiment().score_sentences([])
    if len(parts) > 1:  # documents in corpus order, as one language at a time would not give them
        scored = scored.sort_values(["row", "sentence"], kind="stable", ignore_index=True)
    return scored


def actor_sentiment(corpus: pd.DataFrame, actors=None, *, method="lexicon", text_col: str = "text",
                    lang: str | None = None, lemmatizer: str = "simplemma") -> pd.DataFrame:
    """Sentiment toward each actor mention, read from the mention's sentence.

    ``actors``: None for the bundled German+English dictionary, or a dict/YAML path as in
    :func:`analysis.frames.actors.find_actors` (added to the bundled one). Each mention is scored as
    the target of its sentence: with ``method="stance"`` by the bundled stance model of the
    document's language (:mod:`analysis.sentiment.stance`), with ``method="lexicon"`` by the
    lexicon rules (the clause around the mention counts fully, the rest of the sentence
    half). One row per mention; columns ``doc_id,
    actor, mention, start, end`` (character offsets into the document text), ``score``
    (polarity in [-1, 1]), ``label``, and the mention's ``actor_id`` and ``kind`` as
    :func:`~analysis.frames.actors.find_actors` gives them.
    """
    check_corpus(corpus, text_col=text_col)
    texts = corpus[text_col].fillna("").astype(str)
    mentions = find_actors(corpus.assign(**{text_col: texts}), actors, text_col=text_col)
    if mentions.empty:
        return pd.DataFrame({c: pd.Series(dtype="float64" if c == "score" else "object") for c in ACTOR_COLUMNS})
    doc_ids = corpus["doc_id"].tolist()  # lists: a Series of Arrow strings is slow to read one by one
    langs = dict(zip(doc_ids, document_langs(corpus, lang, text_col=text_col)))
    by_id = dict(zip(doc_ids, texts.tolist()))
    with gc_paused():
        rows, sentences, parts, current, whole = [], {}, [], None, None
        for doc_id, start, end in zip(*(mentions[column].tolist() for column in ("doc_id", "start", "end"))):
            if doc_id != current:  # mentions come document by document: one cache look-up per document, as
                current = doc_id  # each look-up compares the whole text (a 5 MB article, thousands of mentions)
                whole = analyze(by_id[doc_id], lang=langs[doc_id], lemmatizer=lemmatizer)
            sentence = whole.sentence_at(start)
            s_start, s_end = whole.sentences[sentence] if sentence is not None else (0, len(whole.text))
            if (doc_id, s_start) not in sentences:  # the sentence's analysis, cut from the document's
                sentences[doc_id, s_start] = excerpt(whole, s_start, s_end)
            rows.append((sentences[doc_id, s_start].text, start - s_start, min(end, s_end) - s_start, langs[doc_id]))
            if len(rows) == SENTENCE_BATCH:
                parts.append(_score_mentions(rows, sentences, method, lemmatizer))
                rows, sentences = [], {}
        if rows:
            parts.append(_score_mentions(rows, sentences, method, lemmatizer))
    scored = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    out = mentions.reset_index(drop=True).assign(score=scored["score"], label=scored["label"])
    return out[list(ACTOR_COLUMNS)]


def summarize_actor_sentiment(mentions: pd.DataFrame, metadata: pd.DataFrame, *, by="outlet", period="M",
                              ci: float = 0.95, n_boot: int = 1000, random_state=0) -> pd.DataFrame:
    """Mean sentiment toward each actor by group and period, with bootstrap intervals.

    ``mentions`` is the result of :func:`actor_sentiment`; ``metadata`` a corpus frame with
    ``doc_id`` and the ``by``/``published`` columns. Each document's score for an actor is
    the mean over its mentions; the cell estimate is the mean over the documents that
    mention the actor (documents that do not mention it are not counted as neutral), with a
    percentile bootstrap over documents (:func:`analysis.compare.prevalence.prevalence`). One row per
    actor × group × period; columns as :func:`~analysis.compare.prevalence.prevalence`: ``[*by,
    "period", "period_start", "actor", "estimate", "ci_lower", "ci_upper", "n_docs"]``.
    """
    require_columns(mentions, "doc_id", "actor", "score", what="mentions", hint="Pass the result of actor_sentiment().")
    doc_scores = mentions.groupby(["doc_id", "actor"], sort=True, observed=True)["score"].mean().reset_index()
    frames = []
    for actor, scores in doc_scores.groupby("actor", sort=True):
        meta = metadata[is_in(metadata["doc_id"], scores["doc_id"])]
        frames.append(prevalence(scores, by=by, period=period, ci=ci, n_boot=n_boot, random_state=random_state,
                                 metadata=meta))
    if not frames:
        raise ValueError("mentions is empty: no actor was found, so there is nothing to summarise.")
    return pd.concat(frames, ignore_index=True)


# --- helpers ---------------------------------------------------------------------------------
def _score_mentions(rows: list, sentences: dict, method, lemmatizer: str) -> pd.DataFrame:
    """``score, label, …`` of mentions given as ``(sentence, target_start, target_end, lang)`` rows, with
    their sentences' analyses (``sentences``) cut from the documents'."""
    with scratch(sentences.values()):  # thousands of sentences must not push the documents out of the cache
        if isinstance(method, str) and method == "lexicon":
            return _lexicon_mentions(rows, lemmatizer)
        X = pd.DataFrame(rows, columns=["text", "target_start", "target_end", "lang"])
        X["target"] = [text[start:end] for text, start, end, _ in rows]
        return _score(X[["text", "target", "target_start", "target_end"]], X["lang"], method, lemmatizer)


def _lexicon_mentions(rows: list, lemmatizer: str) -> pd.DataFrame:
    """``score, label`` of mention rows (as :func:`_score_mentions`) by the lexicon rules, a language at a
    time, their spans passed as they are (:meth:`LexiconSentiment.score_spans`)."""
    langs = np.array([lang for *_, lang in rows], dtype=object)
    score, label = np.zeros(len(rows)), np.empty(len(rows), dtype=object)
    for lang in pd.unique(langs):
        at = np.flatnonzero(langs == lang)
        mine = [rows[k] for k in at.tolist()]
        details = LexiconSentiment(lang, lemmatizer=lemmatizer).score_spans([text for text, *_ in mine],
                                                                            [(start, end) for _, start, end, _ in mine])
        score[at], label[at] = details["score"].to_numpy(), details["label"].to_numpy()
    return pd.DataFrame({"score": score, "label": label})


def _score(X: pd.DataFrame, langs: pd.Series, method, lemmatizer: str) -> pd.DataFrame:
    """``score, label, n_tokens, n_matched`` for each row of X (index 0..n-1)."""
    X = X.reset_index(drop=True)
    langs = pd.Series(np.asarray(langs, dtype=object))
    out = pd.DataFrame({"score": np.zeros(len(X)), "label": np.full(len(X), "neutral", dtype=object),
                        "n_tokens": np.zeros(len(X), dtype="int64"), "n_matched": np.zeros(len(X), dtype="int64")})
    if isinstance(method, str):
        if method not in ("lexicon", "stance"):
            raise ValueError(f"method must be 'lexicon', 'stance' or a fitted estimator, not {method!r}.")
        for lang, index in langs.groupby(langs).groups.items():
            scorer = stance_model(lang) if method == "stance" else LexiconSentiment(lang, lemmatizer=lemmatizer)
            details = scorer.score_details(X.loc[index])
            out.loc[index, list(details.columns)] = details.to_numpy(dtype=object)
        return out.astype({"score": float, "n_tokens": "int64", "n_matched": "int64"})
    if isinstance(method, (LexiconSentiment, StanceModel)):  # one pass: its own lexicons, thresholds or model
        return method.score_details(X)
    if not hasattr(method, "predict"):
        raise TypeError(f"method must be 'lexicon' or an estimator with predict(), not {type(method).__name__}.")
    return _score_with(method, X, lemmatizer)


def _score_with(method, X: pd.DataFrame, lemmatizer: str) -> pd.DataFrame:
    """``score, label, n_tokens, n_matched`` from a fitted estimator (the counts from the lexicon rules)."""
    lexicon = LexiconSentiment(getattr(method, "lang", "de"), lemmatizer=getattr(method, "lemmatizer", lemmatizer))
    counts = lexicon.score_details(X)
    return pd.DataFrame({"score": _polarity(method, X), "label": np.asarray(method.predict(X), dtype=object),
                         "n_tokens": counts["n_tokens"].to_numpy(), "n_matched": counts["n_matched"].to_numpy()})


def _polarity(method, X: pd.DataFrame) -> np.ndarray:
    classes = list(getattr(method, "classes_", []))
    if hasattr(method, "predict_proba") and {"positive", "negative"} <= set(classes):
        proba = method.predict_proba(X)
        return proba[:, classes.index("positive")] - proba[:, classes.index("negative")]
    if hasattr(method, "decision_function"):
        scores = np.asarray(method.decision_function(X), dtype=float)
        if scores.ndim == 1:
            return scores
    raise TypeError(f"{type(method).__name__} gives no polarity: it needs predict_proba with 'positive' and "
                    "'negative' classes, or a one-dimensional decision_function.")
