"""Find mentions of actors (Putin, Kim Jong Un, Nordkorea, NATO …) in text: who the text names.

The bundled gazetteer ``analysis/resources/actors.yaml`` (see :mod:`analysis.frames.gazetteer`)
lists heads of state and government since 2000 with their terms of office, states,
organisations and armed groups, in German and English spellings; users extend or replace it.
Mentions are found by the kit's one :class:`~analysis.frames.matcher.PatternMatcher` on each
document's tokens (case as written, with genitives: ``Putins``, ``Russia's``), then resolved:

- an explicit name is the person named (``der russische Präsident Boris Jelzin`` is Jelzin,
  one mention);
- a role phrase (``US-Präsident``, ``Kremlchef``) is whoever held the office on the document's
  date; without a date it stays the role (``actor_id`` ``role:us_president``);
- a bare name that several people share (``Kim``) counts only after a full mention of one of
  them in the same document, and not when a capitalised word follows (``Kim Darroch``);
- a hyphenated compound is no mention (``US-Dollar``, ``Kim-Il-Sung-Platz``) unless its second
  part makes it the actor's institution (``US-Regierung``, ``Hamas-Kämpfer``);
- capital cities (``Moskau``) are mentions of the state only with ``metonyms=True``; titles of
  media (``Washington Post``) are never the state;
- each stretch of text is one mention; ``actor`` is the display name in the document's language.

>>> import pandas as pd
>>> corpus = pd.DataFrame({"doc_id": ["a", "b"], "lang": ["de", "en"],
...     "published": pd.to_datetime(["2005-03-01", None]),
...     "text": ["Der ukrainische Präsident traf Kim Jong Un.", "Russia's president met Kim Darroch."]})
>>> find_actors(corpus)[["doc_id", "actor", "actor_id", "kind", "mention"]].to_dict("records")
[{'doc_id': 'a', 'actor': 'Juschtschenko', 'actor_id': 'viktor_yushchenko', 'kind': 'role', 'mention': 'ukrainische Präsident'}, {'doc_id': 'a', 'actor': 'Kim Jong Un', 'actor_id': 'kim_jong_un', 'kind': 'name', 'mention': 'Kim Jong Un'}, {'doc_id': 'b', 'actor': 'Russian president', 'actor_id': 'role:ru_president', 'kind': 'role', 'mention': "Russia's president"}]
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

import pandas as pd

from analysis.corpus.schema import check_corpus
from analysis.frames.gazetteer import Gazetteer, load_gazetteer
from analysis.frames.matcher import PatternMatcher
from analysis.frames.pattern_words import HYPHENS
from analysis.scale.memory import gc_paused
from analysis.text.language import document_langs
from analysis.text.many import analyses

MENTION_COLUMNS = ("doc_id", "actor", "mention", "start", "end", "actor_id", "kind")
KINDS = ("name", "role", "metonym")
DATE_COL = "published"
_WORD = re.compile(r"[^\W_]+")
_BEFORE_NAME = re.compile(r"[\s,]{0,3}")  # "der russische Präsident Boris Jelzin", "Präsident, Boris Jelzin"
_AFTER_NAME = re.compile(r"\s*,\s*(?:(?:der|die|the)\s+)?")  # "Putin, der russische Präsident"


def load_actors(actors=None, *, extend: bool = True, lang: str = "de") -> dict[str, list[str]]:
    """Actor names by display name (in ``lang``): ``{actor: [name patterns]}``.

    ``actors``: None (the bundled gazetteer), a dict ``{actor: [patterns]}`` or a mapping in
    the gazetteer's YAML format, or a YAML path; with ``extend=True`` it is added to (and
    replaces actors of) the bundled one. Role phrases and metonyms are not names (see
    :func:`actor_patterns`).
    """
    gazetteer = load_gazetteer(actors, extend=extend)
    return {gazetteer.display(a.id, lang): list(a.patterns + a.short) for a in gazetteer.actors.values()}


def bundled_actors() -> dict[str, list[str]]:
    """The bundled actors' names by German display name: ``{actor: [name patterns]}``."""
    return load_actors()


def actor_patterns(actor: str, actors=None) -> list[str]:
    """The patterns that name ``actor``: an actor id or display name (names), or an office's
    ``role:<office>`` id or display name (its role phrases), e.g. for :func:`analysis.kwic`.

    >>> actor_patterns("Selenskyj") == actor_patterns("Zelenskyy"), actor_patterns("role:us_president")[:2]
    (True, ['US-Präsident', 'US-Präsidenten'])
    """
    gazetteer = load_gazetteer(actors)
    actor_id = gazetteer.find_id(actor)
    if actor_id is not None:
        found = gazetteer.actors[actor_id]
        return list(found.patterns + found.short)
    office = next((o for o in gazetteer.offices.values() if actor in (f"role:{o.id}", *o.names.values())), None)
    if office is None:
        raise KeyError(f"{actor!r} is neither an actor nor an office of the actor dictionary.")
    return list(office.roles)


def check_actor_pattern(pattern: str) -> str:
    """``pattern`` if it is a valid actor pattern (words, a ``*`` only at the very end), else a ValueError."""
    if "*" in pattern.rstrip("*") or pattern.endswith("**") or "?" in pattern:
        raise ValueError(f"pattern {pattern!r}: '*' is only allowed once, at the end (and '?' not at all).")
    if not _WORD.match(pattern.strip()):
        raise ValueError(f"pattern {pattern!r} does not start with a letter or digit.")
    return pattern


def _checked_matcher(labelled: dict[str, list[str]]) -> PatternMatcher:
    for label, patterns in labelled.items():
        for pattern in patterns:
            try:
                check_actor_pattern(pattern)
            except ValueError as err:
                raise ValueError(f"actor {label.split(chr(9))[-1]!r}: {err}") from None
    return PatternMatcher(labelled, on="surface", ignore_case=False, genitive=True, compounds=True, exclusive=True)


@lru_cache(maxsize=32)
def _compile(items: tuple[tuple[str, tuple[str, ...]], ...]) -> PatternMatcher:
    return _checked_matcher({label: list(patterns) for label, patterns in items})


def actor_matcher(actors: dict[str, list[str]]) -> PatternMatcher:
    """A :class:`~analysis.frames.matcher.PatternMatcher` for ``{actor: [pattern, ...]}`` (as
    :func:`load_actors` returns it) that matches like :func:`find_actors`, e.g. for :func:`analysis.kwic`."""
    return _compile(tuple((a, tuple(p)) for a, p in actors.items()))


class _Compiled:
    """A gazetteer's patterns in one matcher; labels are ``kind<TAB>key``."""

    def __init__(self, gazetteer: Gazetteer):
        self.gazetteer = gazetteer
        counts = Counter(p for a in gazetteer.actors.values() for p in set(a.patterns))
        self.shared: dict[str, list[str]] = {}  # short pattern -> ids of the actors it may stand for
        labelled = {"block\t": list(gazetteer.not_actors)}
        for actor in gazetteer.actors.values():
            labelled[f"name\t{actor.id}"] = [p for p in actor.patterns if counts[p] == 1]
            for pattern in [p for p in actor.patterns if counts[p] > 1] + list(actor.short):
                self.shared.setdefault(pattern, []).append(actor.id)
        labelled.update({f"role\t{o.id}": list(o.roles) for o in gazetteer.offices.values()})
        labelled.update({f"short\t{p}": [p] for p in self.shared})
        labelled.update({f"metonym\t{a.id}": list(a.metonyms) for a in gazetteer.actors.values()})
        self.matcher = _checked_matcher({label: p for label, p in labelled.items() if p})
        self.heads = gazetteer.compound_heads


@lru_cache(maxsize=8)
def _compiled(gazetteer: Gazetteer) -> _Compiled:
    return _Compiled(gazetteer)


def _extent(match, analysis, heads) -> tuple[int, int] | None:
    """The span a match stands for: itself on whole tokens, a whole ``<actor>-<head>`` compound, else None."""
    first, last_end = analysis.starts[match.first], analysis.ends[match.last]
    start = first + (1 if analysis.kinds[match.first] == "tag" else 0)
    if match.end == last_end:
        return (match.start, match.end) if match.start in (first, start) else None
    rest = analysis.text[match.end:last_end]
    if match.start == start and rest[:1] in HYPHENS and (rest[1:] in heads or rest[1:-1] in heads):
        return match.start, last_end
    return None


def _capital_follows(match, analysis) -> bool:
    """True if the next token is a capitalised word right after whitespace (``Kim Darroch``)."""
    following = match.last + 1
    return (following < len(analysis.words) and analysis.kinds[following] == "word"
            and analysis.words[following][:1].isupper()
            and not analysis.text[match.end:analysis.starts[following]].strip())


def _resolve(compiled: _Compiled, analysis, day, metonyms: bool) -> list[tuple]:
    """``(actor_id, kind, start, end)`` of each mention in one document, in text order."""
    matches = compiled.matcher.find(analysis)
    if not matches:
        return []
    gazetteer, text = compiled.gazetteer, analysis.text
    found, full = [], {}  # full: actor id -> start of its last full mention
    for match in matches:
        kind, key = match.label.split("\t")
        extent = _extent(match, analysis, compiled.heads)
        if kind == "block" or extent is None or (kind == "metonym" and not metonyms):
            continue
        if kind == "short":
            bare = text[match.start:match.end] == key
            known = [a for a in compiled.shared[key] if a in full]
            if not known or (bare and _capital_follows(match, analysis)):
                continue
            kind, key = "name", max(known, key=full.get)
        elif kind == "role":
            holder = gazetteer.holder(key, day) if day is not None else None
            key = holder or f"role:{key}"
        if kind != "metonym" and not key.startswith("role:"):
            full[key] = extent[0]
        found.append((key, kind, *extent))
    return _merge_appositions(gazetteer, found, text)


def _merge_appositions(gazetteer: Gazetteer, found: list[tuple], text: str) -> list[tuple]:
    """Drop a role written next to a person's name: the name says who it is."""
    def person(i):
        return 0 <= i < len(found) and found[i][1] == "name" and \
            getattr(gazetteer.actors.get(found[i][0]), "type", None) == "person"
    keep = []
    for i, (actor_id, kind, start, end) in enumerate(found):
        if kind == "role" and ((person(i + 1) and _BEFORE_NAME.fullmatch(text[end:found[i + 1][2]]))
                               or (person(i - 1) and _AFTER_NAME.fullmatch(text[found[i - 1][3]:start]))):
            continue
        keep.append(found[i])
    return keep


def document_dates(corpus: pd.DataFrame, date_col: str | None) -> list:
    """Each document's date (a ``datetime.date``, or None when missing), from ``date_col``."""
    if date_col is None or (date_col == DATE_COL and date_col not in corpus.columns):
        return [None] * len(corpus)
    if date_col not in corpus.columns:
        raise KeyError(f"corpus has no column {date_col!r}; columns are {list(corpus.columns)}. "
                       "Pass date_col=None to leave role phrases unresolved.")
    dates = pd.to_datetime(corpus[date_col], errors="coerce", utc=True)
    return [None if pd.isna(d) else d.date() for d in dates]


def find_actors(corpus: pd.DataFrame, actors=None, *, text_col: str = "text", lang: str | None = None,
                date_col: str | None = DATE_COL, metonyms: bool = False) -> pd.DataFrame:
    """One row per actor mention: ``doc_id, actor, mention, start, end, actor_id, kind``.

    ``actor`` is the display name in the document's language (``Russland``/``Russia``),
    ``actor_id`` a stable id (``vladimir_putin``; ``role:us_president`` for a role phrase whose
    holder is unknown), ``kind`` one of ``name``, ``role``, ``metonym``; ``start, end`` are
    offsets into the text and ``mention`` the text between them. Rules: see the module docstring.

    ``actors``: None (bundled), a dict or a YAML path added to the bundled gazetteer (see
    :func:`load_actors`), or a :class:`~analysis.frames.gazetteer.Gazetteer` used alone
    (``load_gazetteer(path, extend=False)``). Each
    document's language is ``lang``, its ``lang`` column, or detected; unknown languages are
    an error. ``date_col`` (default ``published``; None: no dates) dates the role phrases;
    documents without a date keep them unresolved. ``metonyms=True`` also counts capital
    cities as their state (``Moskau`` -> Russland).
    """
    check_corpus(corpus, text_col=text_col, unique_ids=False)
    langs, days = document_langs(corpus, lang, text_col=text_col), document_dates(corpus, date_col)
    rows = []
    with gc_paused():
        compiled = _compiled(load_gazetteer(actors))
        for doc_id, analysis, day in zip(corpus["doc_id"].tolist(), analyses(corpus[text_col], langs), days):
            text, doc_lang = analysis.text, analysis.lang
            for actor_id, kind, start, end in _resolve(compiled, analysis, day, metonyms):
                rows.append((doc_id, compiled.gazetteer.display(actor_id, doc_lang), text[start:end], start, end,
                             actor_id, kind))
    return pd.DataFrame(rows, columns=list(MENTION_COLUMNS))
