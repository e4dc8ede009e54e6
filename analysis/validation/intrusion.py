"""Word- and topic-intrusion test items after Chang et al. (2009), "Reading tea leaves".

Word intrusion: a topic's ``n_top`` most probable words plus one *intruder* — a word
that is improbable in this topic (φ at or below the topic's median) but among the top
words of another topic — in random order. If coders spot the intruder, the topic is
coherent. Topic intrusion: a document's three most probable topics plus one improbable
intruder topic (ranked in the document's lower half and strictly less probable than the
three), each shown by its top words next to a snippet of the document.

Items are plain JSON-ready dicts; :class:`~analysis.validation.session.IntrusionSession`
presents, records and scores them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.reproducibility.hashing import frame_sha256
from analysis.validation.session import IntrusionSession
from analysis.corpus.schema import require_columns
from analysis.text.normalize import one_line

N_SHOWN_TOPICS = 3  # Chang et al. show a document's three most probable topics
INTRUDER_POOL_TOP = 10  # intruder words come from the top 10 words of the other topics
SNIPPET_CHARS = 600


def word_intrusion(topic_model, *, n_items: int | None = None, n_top: int = 5, coder: str | None = None,
                   random_state=0) -> IntrusionSession:
    """Word-intrusion items for a fitted :class:`~analysis.topics.fit.TopicModel`.

    One item per topic by default; with ``n_items`` > number of topics the topics repeat
    (in a shuffled cycle) with fresh intruders. Each item has ``n_top + 1`` options in
    random order; the same ``random_state`` gives the same items.

    >>> from analysis.topics.fit import fit_topics
    >>> from analysis.validation.examples import tiny_corpus
    >>> model = fit_topics(tiny_corpus(), 4)
    >>> session = word_intrusion(model, n_top=4, coder="Jürgen")
    >>> item = session.items[0]
    >>> len(item["options"]), item["intruder"] in item["options"]
    (5, True)
    >>> top = set(model.terms(n=4).query("topic == @item['topic']")["term"])
    >>> item["intruder"] in top
    False
    """
    labels, phi, vocabulary = _checked_model(topic_model)
    if not isinstance(n_top, (int, np.integer)) or not 2 <= n_top < len(vocabulary):
        raise ValueError(f"n_top must be an integer from 2 to {len(vocabulary) - 1}, not {n_top!r}.")
    n_items = len(labels) if n_items is None else _positive(n_items, "n_items")
    rng = np.random.default_rng(random_state)
    order = np.argsort(-phi, axis=1, kind="stable")
    cycle = np.concatenate([rng.permutation(len(labels)) for _ in range(-(-n_items // len(labels)))])
    items = []
    for i, k in enumerate(cycle[:n_items]):
        top = order[k, :n_top]
        pool = _intruder_pool(phi, order, int(k), n_top)
        if not len(pool):
            raise ValueError(f"topic {labels[k]!r} has no intruder candidate: no top-{INTRUDER_POOL_TOP} word of "
                             "another topic is improbable in it. Fit more distinct topics or lower n_top.")
        intruder = rng.choice(pool)
        options = [str(vocabulary[j]) for j in rng.permutation(np.append(top, intruder))]
        items.append({"item": i, "topic": labels[k], "options": options, "intruder": str(vocabulary[intruder])})
    return IntrusionSession("word", items, coder=coder, random_state=random_state,
                            model=model_info(topic_model, n_top=n_top))


def _intruder_pool(phi: np.ndarray, order: np.ndarray, k: int, n_top: int) -> np.ndarray:
    """Words among other topics' top words whose φ in topic ``k`` is at most its median."""
    others = np.delete(order[:, :INTRUDER_POOL_TOP], k, axis=0).ravel()
    candidates = np.setdiff1d(others, order[k, :n_top])
    return candidates[phi[k, candidates] <= np.median(phi[k])]


def topic_intrusion(topic_model, corpus: pd.DataFrame | None = None, *, n_items: int = 20, n_top: int = 5,
                    coder: str | None = None, random_state=0) -> IntrusionSession:
    """Topic-intrusion items: ``n_items`` random documents of ``corpus`` (default: the
    model's own corpus), each with its three most probable topics and one intruder topic.

    Topics are shown by their ``n_top`` top words; each item stores the document's
    proportions θ of the four shown topics for the topic log odds. Documents of
    ``corpus`` the model was not fitted on are placed by ``topic_model.transform``.
    Documents whose low-ranked topics tie with the third (e.g. exact NMF zeros) have
    no well-defined intruder and are not drawn.

    >>> from analysis.topics.fit import fit_topics
    >>> from analysis.validation.examples import tiny_corpus
    >>> model = fit_topics(tiny_corpus(), 5, method="lda")
    >>> session = topic_intrusion(model, n_items=2, random_state=1)
    >>> item = session.items[0]
    >>> sorted(item) == ['doc_id', 'intruder', 'item', 'option_terms', 'options', 'snippet', 'theta']
    True
    >>> min(item["theta"][t] for t in item["options"] if t != item["intruder"]) > item["theta"][item["intruder"]]
    True
    """
    labels, phi, vocabulary = _checked_model(topic_model)
    if len(labels) < N_SHOWN_TOPICS + 1:
        raise ValueError(f"topic intrusion needs at least {N_SHOWN_TOPICS + 1} topics; the model has {len(labels)}.")
    n_items = _positive(n_items, "n_items")
    docs, theta = _documents(topic_model, corpus)
    rank, third, low, eligible = _intruder_candidates(theta)
    if len(eligible) < n_items:
        raise ValueError(f"only {len(eligible)} documents have a clearly improbable intruder topic; "
                         f"ask for n_items <= {len(eligible)} or pass a larger corpus.")
    rng = np.random.default_rng(random_state)
    terms = {label: ", ".join(str(vocabulary[j]) for j in np.argsort(-phi[k], kind="stable")[:n_top])
             for k, label in enumerate(labels)}
    items = []
    for i, d in enumerate(rng.choice(eligible, size=n_items, replace=False)):
        pool = [k for k in low[d] if theta[d, k] < third[d]]
        shown = np.append(rank[d, :N_SHOWN_TOPICS], rng.choice(pool))
        options = [labels[k] for k in rng.permutation(shown)]
        items.append({"item": i, "doc_id": str(docs["doc_id"].iloc[d]), "snippet": snippet(docs.iloc[d]),
                      "options": options, "option_terms": [terms[t] for t in options],
                      "intruder": labels[shown[-1]], "theta": {labels[k]: float(theta[d, k]) for k in shown}})
    return IntrusionSession("topic", items, coder=coder, random_state=random_state,
                            model=model_info(topic_model, n_top=n_top))


def n_intrusion_documents(topic_model, corpus: pd.DataFrame | None = None) -> int:
    """How many documents of ``corpus`` (default: the model's) :func:`topic_intrusion` can draw:
    those with a topic clearly less probable than their third (0 for models with < 4 topics)."""
    labels, _, _ = _checked_model(topic_model)
    if len(labels) < N_SHOWN_TOPICS + 1:
        return 0
    return len(_intruder_candidates(_documents(topic_model, corpus)[1])[3])


def _intruder_candidates(theta: np.ndarray):
    """Topic ranks per document, the third topic's share, the lower-half topics, and the
    documents with at least one lower-half topic below the third (a clear intruder)."""
    rank = np.argsort(-theta, axis=1, kind="stable")
    third = theta[np.arange(len(theta)), rank[:, N_SHOWN_TOPICS - 1]]
    low = rank[:, max(N_SHOWN_TOPICS, theta.shape[1] // 2):]
    eligible = np.flatnonzero((np.take_along_axis(theta, low, axis=1) < third[:, None]).any(axis=1))
    return rank, third, low, eligible


def _checked_model(topic_model):
    for attribute in ("labels", "topic_term", "vocabulary", "doc_topics"):
        if not hasattr(topic_model, attribute):
            raise TypeError("expected a fitted TopicModel from analysis.topics.fit.fit_topics, "
                            f"got {type(topic_model).__name__} (no {attribute!r}).")
    labels = list(topic_model.labels)
    if len(labels) < 2:
        raise ValueError(f"intrusion tests need at least 2 topics; the model has {len(labels)}.")
    return labels, np.asarray(topic_model.topic_term), np.asarray(topic_model.vocabulary)


def _positive(value, name: str) -> int:
    if not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive integer, not {value!r}.")
    return int(value)


def _documents(topic_model, corpus) -> tuple[pd.DataFrame, np.ndarray]:
    """The corpus to draw from and its documents × topics proportions."""
    if corpus is None:
        corpus = topic_model.corpus.reset_index(drop=True)
        return corpus, topic_model.proportions_of(corpus["doc_id"])
    require_columns(corpus, "doc_id", "text")
    corpus = corpus.reset_index(drop=True)
    fitted = topic_model.proportions_of(corpus["doc_id"])  # a sample of a large corpus: its rows only
    if fitted is not None:
        return corpus, fitted
    return corpus, topic_model.transform(corpus, wide=True).drop(columns="doc_id").to_numpy()


def snippet(document: pd.Series, *, max_chars: int = SNIPPET_CHARS) -> str:
    """Title (if any) and the start of the text, cut at a word boundary with "…"."""
    text = one_line(str(document["text"]), limit=max_chars + 1)
    if len(text) > max_chars:
        text = text[:max_chars].rsplit(" ", 1)[0] + " …"
    title = document.get("title")
    return f"{title}\n\n{text}" if isinstance(title, str) and title.strip() else text


def model_info(topic_model, **settings) -> dict:
    """What a session records about the model it tests (JSON-ready)."""
    corpus = topic_model.corpus
    return {"method": str(topic_model.method), "n_topics": len(topic_model.labels),
            "labels": [str(t) for t in topic_model.labels], "n_docs": int(len(corpus)),
            "corpus_sha256": frame_sha256(corpus, [c for c in ("doc_id", "text") if c in corpus]), **settings}
