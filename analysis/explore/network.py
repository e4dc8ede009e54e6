"""Actor co-occurrence: how often two actors are named in the same sentence, document or token window.

Mentions come from :func:`analysis.frames.actors.find_actors` (the kit's one pattern matcher);
sentences and tokens from the same per-document :func:`~analysis.text.analysis.analyze`.

>>> import pandas as pd
>>> corpus = pd.DataFrame({"doc_id": ["a"], "lang": "de", "text": [
...     "Kim Jong Un schickt Soldaten. Putin dankt den Soldatinnen und Soldaten Nordkoreas."]})
>>> actor_network(corpus).values.tolist()  # same sentence
[['Nordkorea', 'Putin', 1]]
>>> actor_network(corpus, window="document").values.tolist()
[['Kim Jong Un', 'Nordkorea', 1], ['Kim Jong Un', 'Putin', 1], ['Nordkorea', 'Putin', 1]]
"""

from __future__ import annotations

import numbers
from bisect import bisect_left, bisect_right
from itertools import combinations

import pandas as pd

from analysis.corpus.schema import require_columns
from analysis.explore.describe import group_labels
from analysis.frames.actors import DATE_COL, find_actors
from analysis.text.analysis import analyze
from analysis.text.language import document_langs

__all__ = ["NETWORK_COLUMNS", "actor_network"]

NETWORK_COLUMNS = ("actor_a", "actor_b", "weight")


def actor_network(corpus: pd.DataFrame, actors=None, *, window="sentence", by: str | None = None,
                  lang: str | None = None, text_col: str = "text") -> pd.DataFrame:
    """How often two actors are named together: one row per pair of actors (× group).

    Columns: ``[<by>,] actor_a, actor_b, weight`` with ``actor_a < actor_b``
    alphabetically, sorted by ``weight`` descending (ties by group and names); pairs
    that never co-occur are left out. Mentions come from
    :func:`analysis.frames.actors.find_actors` with ``actors`` (None = the bundled dictionary).

    ``window``:

    - ``"sentence"`` (default): ``weight`` = number of sentences naming both actors
      (sentences of :func:`~analysis.text.analysis.analyze` in each document's language:
      ``lang``, else its ``lang`` column, else detected);
    - ``"document"``: number of documents naming both;
    - an int ``n``: number of *mention pairs* of the two actors with at most ``n`` tokens
      between them (0 = adjacent; punctuation marks count as tokens); repeated mentions
      in one passage each count.

    ``by``: a column (e.g. ``"outlet"``); the weights are then counted per group and the
    group is the first column (missing values become ``"(none)"``).
    """
    require_columns(corpus, "doc_id", text_col, by)
    if not (window in ("sentence", "document") or (isinstance(window, numbers.Integral)
                                                      and not isinstance(window, bool) and window >= 0)):
        raise ValueError(f"window must be 'sentence', 'document' or a number of tokens (int >= 0), not {window!r}.")
    texts = [t if isinstance(t, str) else "" for t in corpus[text_col]]
    langs = document_langs(corpus, lang, text_col=text_col)
    positional = pd.DataFrame({"doc_id": range(len(texts)), "text": texts, "lang": langs})
    if DATE_COL in corpus.columns:  # role phrases resolve by date
        positional[DATE_COL] = corpus[DATE_COL].to_numpy()
    mentions = find_actors(positional, actors)
    groups = group_labels(corpus, by).to_numpy()
    counts: dict[tuple, int] = {}
    for position, doc in mentions.groupby("doc_id", sort=True):
        if doc["actor"].nunique() < 2:
            continue
        text, group = texts[position], groups[position]
        for pair in _pairs(text, doc, window, langs[position]):
            key = (group, *pair)
            counts[key] = counts.get(key, 0) + 1
    frame = pd.DataFrame([(*k, v) for k, v in counts.items()], columns=["_group", *NETWORK_COLUMNS])
    frame = frame.astype({"actor_a": "str", "actor_b": "str", "weight": "int64"})
    frame = frame.sort_values(["weight", "_group", "actor_a", "actor_b"], ascending=[False, True, True, True],
                              kind="stable").reset_index(drop=True)
    if by is None:
        return frame.drop(columns="_group")
    return frame.rename(columns={"_group": by})


def _pairs(text: str, doc: pd.DataFrame, window, lang: str):
    """Yield one sorted actor pair per unit (sentence, document) or per mention pair (int window)."""
    actors, starts, ends = doc["actor"].tolist(), doc["start"].tolist(), doc["end"].tolist()
    if window == "document":
        yield from combinations(sorted(set(actors)), 2)
        return
    analysis = analyze(text, lang=lang)  # cached: find_actors has just analysed it
    if window == "sentence":
        sentence_starts = [s for s, _ in analysis.sentences]
        units: dict[int, set] = {}
        for actor, start in zip(actors, starts):
            units.setdefault(bisect_right(sentence_starts, start), set()).add(actor)
        for members in units.values():
            yield from combinations(sorted(members), 2)
        return
    token_starts = analysis.starts
    first = [bisect_right(token_starts, s) - 1 for s in starts]  # token index of each mention's first token
    last = [bisect_left(token_starts, e) - 1 for e in ends]  # … and of its last token
    for i in range(len(actors)):  # mentions are sorted by start, so the gap only grows with j
        for j in range(i + 1, len(actors)):
            if first[j] - last[i] - 1 > window:
                break
            if actors[i] != actors[j]:
                yield tuple(sorted((actors[i], actors[j])))
