"""Find mentions of conflict actors (Putin, Kim Jong Un, Nordkorea, NATO …) in text.

The bundled dictionary ``analysis/resources/actors.yaml`` covers German and English
aliases and inflections; users extend it with a dict of their own. Every pattern also
matches its genitive (``Wladimir Putin`` -> ``Wladimir Putins``, ``Russia`` -> ``Russia's``). Where patterns
overlap, the longest match at a position wins and each stretch of text belongs to one
actor (``Kreml-Chef`` is Putin, not also Russland).

>>> import pandas as pd
>>> corpus = pd.DataFrame({"doc_id": ["a"], "text": ["Kim Jong Un schickt Soldaten, Putins Kreml-Chef-Rolle wächst."]})
>>> find_actors(corpus)[["actor", "mention", "start", "end"]].to_dict("records")
[{'actor': 'Kim Jong Un', 'mention': 'Kim Jong Un', 'start': 0, 'end': 11}, {'actor': 'Putin', 'mention': 'Putins', 'start': 30, 'end': 36}, {'actor': 'Putin', 'mention': 'Kreml-Chef', 'start': 37, 'end': 47}]
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib.resources import files

import pandas as pd
import yaml

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


def pattern_regex(pattern: str) -> str:
    """Regex for one dictionary pattern: literal words, flexible spaces, trailing ``*`` glob."""
    if "*" in pattern.rstrip("*") or pattern.endswith("**"):
        raise ValueError(f"pattern {pattern!r}: '*' is only allowed once, at the end.")
    glob = pattern.endswith("*")
    words = pattern.rstrip("*").split()
    body = r"\s+".join(re.escape(w) for w in words)
    return _EDGE_BEFORE + body + (r"[^\W\d_]*" if glob else _POSSESSIVE) + _EDGE_AFTER


_WORD = re.compile(r"[^\W_]+")


class _Matcher:
    """Candidate patterns indexed by their first word, so each text word costs a lookup.

    One alternation of hundreds of patterns would be tried at every character; this
    index tries only the patterns that can start at a word.
    """

    def __init__(self, dictionary: dict[str, list[str]]):
        self.exact: dict[str, list] = {}
        self.prefix: dict[str, list] = {}  # single-word globs: literal prefix -> entries
        for actor, patterns in dictionary.items():
            for pattern in patterns:
                entry = (re.compile(pattern_regex(pattern)), actor)
                first = _WORD.match(pattern.strip())
                if first is None:
                    raise ValueError(f"actor {actor!r}: pattern {pattern!r} does not start with a letter or digit.")
                single_glob = pattern.endswith("*") and first.end() == len(pattern.strip()) - 1
                index = self.prefix if single_glob else self.exact
                index.setdefault(first.group(), []).append(entry)
        self.max_prefix = max(map(len, self.prefix), default=0)

    def _candidates(self, word: str) -> list:
        found = list(self.exact.get(word, ()))
        for k in range(1, min(len(word), self.max_prefix) + 1):
            found += self.prefix.get(word[:k], ())
        return found

    def finditer(self, text: str):
        """Yield ``(actor, start, end)`` for the longest mention at each position, left to right."""
        position = 0
        for word in _WORD.finditer(text):
            if word.start() < position:
                continue
            best = None
            for regex, actor in self._candidates(word.group()):
                match = regex.match(text, word.start())
                if match and (best is None or match.end() > best[2]):
                    best = (actor, match.start(), match.end())
            if best:
                position = best[2]
                yield best


@lru_cache(maxsize=32)
def _compile(items: tuple[tuple[str, tuple[str, ...]], ...]) -> _Matcher:
    return _Matcher({actor: list(patterns) for actor, patterns in items})


def find_actors(corpus: pd.DataFrame, actors=None, *, text_col: str = "text") -> pd.DataFrame:
    """One row per actor mention: ``doc_id, actor, mention, start, end`` (offsets into the text)."""
    dictionary = load_actors(actors)
    matcher = _compile(tuple((a, tuple(p)) for a, p in dictionary.items()))
    rows = []
    for doc_id, text in zip(corpus["doc_id"], corpus[text_col]):
        for actor, start, end in matcher.finditer(text):
            rows.append((doc_id, actor, text[start:end], start, end))
    return pd.DataFrame(rows, columns=list(MENTION_COLUMNS))
