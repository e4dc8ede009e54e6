"""Find mentions of conflict actors (Putin, Kim Jong Un, Nordkorea, NATO …) in text.

The bundled dictionary ``analysis/resources/actors.yaml`` covers German and English
aliases and inflections; users extend it with a dict of their own. Mentions are found by the
kit's one :class:`~analysis.frames.matcher.PatternMatcher` on each document's tokens: case
as written, every pattern also matches its genitive (``Wladimir Putin`` -> ``Wladimir Putins``,
``Russia`` -> ``Russia's``) and the parts of hyphenated compounds (``Ukraine`` in
``Ukraine-Krieg``). Where patterns overlap, the longest match at a position wins and each
stretch of text belongs to one actor (``Kreml-Chef`` is Putin, not also Russland).

>>> import pandas as pd
>>> corpus = pd.DataFrame({"doc_id": ["a"], "lang": ["de"], "text": ["Kim Jong Un schickt Soldaten, Putins Kreml-Chef-Rolle wächst."]})
>>> find_actors(corpus)[["actor", "mention", "start", "end"]].to_dict("records")
[{'actor': 'Kim Jong Un', 'mention': 'Kim Jong Un', 'start': 0, 'end': 11}, {'actor': 'Putin', 'mention': 'Putins', 'start': 30, 'end': 36}, {'actor': 'Putin', 'mention': 'Kreml-Chef', 'start': 37, 'end': 47}]
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib.resources import files

import pandas as pd
import yaml

from analysis.corpus.schema import check_corpus
from analysis.frames.matcher import PatternMatcher
from analysis.text.analysis import analyze, document_langs, gc_paused

MENTION_COLUMNS = ("doc_id", "actor", "mention", "start", "end")
_EDGE_BEFORE = r"(?<![^\W_])"
_EDGE_AFTER = r"(?![^\W_])"
_POSSESSIVE = r"(?:s|['’]s)?"  # Putins, Wladimir Putins, Russia's: every pattern takes a genitive


@lru_cache(maxsize=1)
def bundled_actors() -> dict[str, list[str]]:
    """The bundled actor dictionary: canonical name -> patterns."""
    text = files("analysis").joinpath("resources", "actors.yaml").read_text(encoding="utf-8")
    return {name: list(entry["patterns"]) for name, entry in yaml.safe_load(text)["actors"].items()}


def load_actors(actors=None, *, extend: bool = True) -> dict[str, list[str]]:
    """Actor dictionary from ``None`` (bundled), a dict ``{actor: [patterns]}``, or a YAML path.

    With ``extend=True`` a user dict adds to (and overrides actors of) the bundled one.
    """
    if actors is None:
        return dict(bundled_actors())
    if not isinstance(actors, dict):
        with open(actors, encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
        actors = {name: entry["patterns"] if isinstance(entry, dict) else entry
                  for name, entry in data.get("actors", data).items()}
    for name, patterns in actors.items():
        if isinstance(patterns, str) or not all(isinstance(p, str) and p.strip() for p in patterns):
            raise ValueError(f"actor {name!r}: patterns must be a list of non-empty strings, got {patterns!r}.")
    return {**bundled_actors(), **actors} if extend else dict(actors)


def check_actor_pattern(pattern: str) -> str:
    """``pattern`` if it is a valid actor pattern (words, a ``*`` only at the very end), else a ValueError."""
    if "*" in pattern.rstrip("*") or pattern.endswith("**") or "?" in pattern:
        raise ValueError(f"pattern {pattern!r}: '*' is only allowed once, at the end (and '?' not at all).")
    if not _WORD.match(pattern.strip()):
        raise ValueError(f"pattern {pattern!r} does not start with a letter or digit.")
    return pattern


_WORD = re.compile(r"[^\W_]+")


@lru_cache(maxsize=32)
def _compile(items: tuple[tuple[str, tuple[str, ...]], ...]) -> PatternMatcher:
    for actor, patterns in items:
        for pattern in patterns:
            try:
                check_actor_pattern(pattern)
            except ValueError as err:
                raise ValueError(f"actor {actor!r}: {err}") from None
    return PatternMatcher(dict(items), on="surface", ignore_case=False, genitive=True, compounds=True,
                          exclusive=True)


def actor_matcher(actors: dict[str, list[str]]) -> PatternMatcher:
    """The :class:`~analysis.frames.matcher.PatternMatcher` that :func:`find_actors` uses for ``actors``
    (``{actor: [pattern, ...]}`` as :func:`load_actors` returns it), e.g. for :func:`analysis.kwic`."""
    return _compile(tuple((a, tuple(p)) for a, p in actors.items()))


def find_actors(corpus: pd.DataFrame, actors=None, *, text_col: str = "text", lang: str | None = None) -> pd.DataFrame:
    """One row per actor mention: ``doc_id, actor, mention, start, end`` (offsets into the text).

    Mentions are found by :class:`~analysis.frames.matcher.PatternMatcher` on the tokens of
    each document's :func:`~analysis.text.analysis.analyze` (language: ``lang``, the ``lang``
    column, or detected; unknown languages are an error). Patterns match the written form,
    case-sensitively, with a genitive (``Putins``, ``Russia's``) and inside hyphenated
    compounds (``Ukraine`` in ``Ukraine-Krieg``); the longest match wins and each stretch of
    text belongs to one actor.
    """
    check_corpus(corpus, text_col=text_col, unique_ids=False)
    dictionary = load_actors(actors)
    matcher = actor_matcher(dictionary)
    rows, langs = [], document_langs(corpus, lang, text_col=text_col)
    with gc_paused():
        for doc_id, text, doc_lang in zip(corpus["doc_id"], corpus[text_col], langs):
            for found in matcher.find(analyze(text, lang=doc_lang)):
                rows.append((doc_id, found.label, text[found.start:found.end], found.start, found.end))
    return pd.DataFrame(rows, columns=list(MENTION_COLUMNS))
