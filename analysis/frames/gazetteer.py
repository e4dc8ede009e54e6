"""The actor gazetteer: who can be named (persons, states, organisations), their offices and terms.

A gazetteer is read from YAML (the bundled ``analysis/resources/actors.yaml``, or a user's
file or dict) and validated once, here; :mod:`analysis.frames.actors` finds its mentions.

- ``actors``: ``{actor_id: entry}``; an entry is a list of patterns or a mapping with
  ``type`` (person | country | organisation | group), ``name`` (display name, a string or
  ``{de: …, en: …}``), ``patterns`` (names that identify the actor), ``short`` (bare given
  names or surnames that count only after a full mention in the same document: ``Kim``),
  ``metonyms`` (capital cities, opt-in: ``Moskau``) and ``terms`` (offices held:
  ``{office, from, to}``; dates ``YYYY-MM-DD`` or ``YYYY-MM`` = the 1st of the month; ``to``
  is the day the term ended and the successor's first day, left out while in office).
- ``offices``: ``{office_id: {name, state, roles}}``; ``roles`` are the phrases that name
  whoever holds the office (``US-Präsident``), resolved by a document's date.
- ``not_actors``: phrases that contain an actor's name but are not the actor
  (``Washington Post``); ``compound_heads``: the second parts that make a hyphenated compound a
  mention of its first part (``US-Regierung``, but not ``US-Dollar``).

A pattern's ``(…)`` part is optional: ``russische(n) Präsident(en)`` is four patterns.

>>> g = bundled_gazetteer()
>>> g.holder("us_president", date(2005, 6, 1)), g.holder("us_president", date(2021, 6, 1))
('george_w_bush', 'joe_biden')
>>> g.display("russia", "de"), g.display("russia", "en")
('Russland', 'Russia')
>>> expand_pattern("russische(n) Präsident(en)")
['russische Präsident', 'russische Präsidenten', 'russischen Präsident', 'russischen Präsidenten']
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property, lru_cache
from importlib.resources import files
from itertools import product

from analysis.frames.yamlfile import load_file

LANGS = ("de", "en")
TYPES = ("person", "country", "organisation", "group")
ACTOR_KEYS = ("type", "name", "patterns", "short", "metonyms", "terms")
OFFICE_KEYS = ("name", "state", "roles")
TERM_KEYS = ("office", "from", "to")
TOP_KEYS = ("actors", "offices", "not_actors", "compound_heads")
_OPTIONAL = re.compile(r"\(([^()]*)\)")
_DATE = re.compile(r"(\d{4})-(\d{2})(?:-(\d{2}))?")


@dataclass(frozen=True)
class Term:
    """One term of office: ``start`` inclusive, ``end`` exclusive (None while in office)."""

    office: str
    start: date
    end: date | None = None

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)


@dataclass(frozen=True)
class Actor:
    """A person, state, organisation or armed group and the ways a text names it."""

    id: str
    type: str | None
    names: dict = field(hash=False)  # lang -> display name
    patterns: tuple[str, ...] = ()
    short: tuple[str, ...] = ()
    metonyms: tuple[str, ...] = ()
    terms: tuple[Term, ...] = ()


@dataclass(frozen=True)
class Office:
    """An office (``us_president``): display names, the state it belongs to, its role phrases."""

    id: str
    names: dict = field(hash=False)
    state: str | None = None
    roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class Gazetteer:
    """Actors, offices, phrases that are not actors and compound heads, validated."""

    actors: dict = field(hash=False)  # id -> Actor
    offices: dict = field(hash=False)  # id -> Office
    not_actors: tuple[str, ...] = ()
    compound_heads: frozenset = frozenset()

    @cached_property
    def terms_by_office(self) -> dict:
        """``{office: [(actor id, term), …]}``, each office's terms in order of their start."""
        held: dict = {}
        for actor in self.actors.values():
            for term in actor.terms:
                held.setdefault(term.office, []).append((actor.id, term))
        return {office: sorted(terms, key=lambda t: t[1].start) for office, terms in held.items()}

    def holder(self, office: str, day: date) -> str | None:
        """The id of the actor holding ``office`` on ``day``, None if nobody (known) did."""
        return next((actor_id for actor_id, term in self.terms_by_office.get(office, ()) if term.covers(day)), None)

    def display(self, actor_id: str, lang: str) -> str:
        """The actor's (or office's, for ``role:<office>``) display name in ``lang``."""
        entry = self.offices[actor_id[5:]] if actor_id.startswith("role:") else self.actors[actor_id]
        return entry.names.get(lang) or next(iter(entry.names.values()))

    def find_id(self, name: str) -> str | None:
        """The id of the actor whose id or display name (any language) is ``name``."""
        if name in self.actors:
            return name
        return next((a.id for a in self.actors.values() if name in a.names.values()), None)

    def merge(self, other: Gazetteer) -> Gazetteer:
        """``self`` with ``other``'s offices and actors added; an actor of ``other`` named like one of
        ``self`` (by id or display name) replaces it and keeps its id."""
        actors = dict(self.actors)
        for actor in other.actors.values():
            known = self.find_id(actor.id)
            if known is not None:
                actor = _replace(self.actors[known], actor)
                actors.pop(known, None)
            actors[actor.id] = actor
        merged = Gazetteer(actors, {**self.offices, **other.offices}, self.not_actors + other.not_actors,
                           self.compound_heads | other.compound_heads)
        return check_gazetteer(merged)


def _replace(bundled: Actor, user: Actor) -> Actor:
    """``user`` under ``bundled``'s id; a bare list of patterns keeps everything else of ``bundled``."""
    named = user.names != {lang: user.id for lang in LANGS}
    if user.type is None and not user.terms and not named:
        return Actor(bundled.id, bundled.type, bundled.names, user.patterns, bundled.short, bundled.metonyms,
                     bundled.terms)
    return Actor(bundled.id, user.type or bundled.type, user.names if named else bundled.names, user.patterns,
                 user.short, user.metonyms, user.terms)


def expand_pattern(pattern: str) -> list[str]:
    """Every pattern ``pattern`` stands for, its ``(…)`` parts present or absent."""
    pieces = _OPTIONAL.split(pattern)
    options = [(piece,) if i % 2 == 0 else ("", piece) for i, piece in enumerate(pieces)]
    return list(dict.fromkeys("".join(choice) for choice in product(*options)))


def parse_date(value, where: str) -> date:
    """A term date from YAML: a date, ``"YYYY-MM-DD"`` or ``"YYYY-MM"`` (the 1st of the month)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    match = _DATE.fullmatch(str(value).strip())
    try:
        if match is None:
            raise ValueError
        return date(int(match[1]), int(match[2]), int(match[3] or 1))
    except ValueError:
        raise ValueError(f"{where}: {value!r} is not a date; write YYYY-MM-DD, or YYYY-MM if the day is unknown.") \
            from None


def _names(value, default: str, where: str) -> dict:
    if value is None:
        return {lang: default for lang in LANGS}
    if isinstance(value, str):
        return {lang: value for lang in LANGS}
    if not isinstance(value, dict) or not value or set(value) - set(LANGS):
        raise ValueError(f"{where}: name must be a string or a mapping of {list(LANGS)} to strings, not {value!r}.")
    return {lang: str(value.get(lang) or next(iter(value.values()))) for lang in LANGS}


def _patterns(value, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str) or not isinstance(value, (list, tuple)) or \
            not all(isinstance(p, str) and p.strip() for p in value):
        raise ValueError(f"{where}: patterns must be a list of non-empty strings, got {value!r}.")
    return tuple(dict.fromkeys(p for pattern in value for p in expand_pattern(pattern.strip())))


def _keys(entry: dict, allowed: tuple, where: str) -> None:
    unknown = sorted(set(entry) - set(allowed), key=str)
    if unknown:
        raise ValueError(f"{where}: unknown key(s) {unknown}; allowed are {list(allowed)}.")


def _term(entry, where: str) -> Term:
    if not isinstance(entry, dict) or "office" not in entry or "from" not in entry:
        raise ValueError(f"{where}: a term is a mapping with 'office', 'from' and (once ended) 'to', not {entry!r}.")
    _keys(entry, TERM_KEYS, where)
    start = parse_date(entry["from"], f"{where} 'from'")
    end = None if entry.get("to") is None else parse_date(entry["to"], f"{where} 'to'")
    if end is not None and end <= start:
        raise ValueError(f"{where}: term ends ({end}) before it starts ({start}).")
    return Term(str(entry["office"]), start, end)


def _actor(actor_id: str, entry) -> Actor:
    where = f"actor {actor_id!r}"
    if not isinstance(entry, dict):
        return Actor(actor_id, None, _names(None, actor_id, where), _patterns(entry, where))
    _keys(entry, ACTOR_KEYS, where)
    kind = entry.get("type")
    if kind is not None and kind not in TYPES:
        raise ValueError(f"{where}: type must be one of {list(TYPES)}, not {kind!r}.")
    names = _names(entry.get("name"), actor_id, where)
    patterns, short = _patterns(entry.get("patterns"), where), _patterns(entry.get("short"), where)
    if "name" in entry:  # display names are names too, unless they are short ones
        patterns += tuple(n for n in dict.fromkeys(names.values()) if n not in patterns and n not in short)
    terms = tuple(_term(t, f"{where}, term {i + 1}") for i, t in enumerate(entry.get("terms") or ()))
    return Actor(actor_id, kind, names, patterns, short, _patterns(entry.get("metonyms"), where), terms)


def _office(office_id: str, entry) -> Office:
    where = f"office {office_id!r}"
    if not isinstance(entry, dict):
        raise ValueError(f"{where}: an office is a mapping with {list(OFFICE_KEYS)}, not {entry!r}.")
    _keys(entry, OFFICE_KEYS, where)
    return Office(office_id, _names(entry.get("name"), office_id, where), entry.get("state"),
                  _patterns(entry.get("roles"), where))


def parse_gazetteer(data) -> Gazetteer:
    """A :class:`Gazetteer` from parsed YAML: a mapping with ``actors`` (and ``offices`` …), or of actors only."""
    if not isinstance(data, dict):
        raise ValueError(f"an actor dictionary is a mapping of actors, not {type(data).__name__}.")
    if not set(data) & {"actors", "offices"}:
        data = {"actors": data}
    _keys(data, TOP_KEYS, "actor dictionary")
    gazetteer = Gazetteer({str(k): _actor(str(k), v) for k, v in (data.get("actors") or {}).items()},
                          {str(k): _office(str(k), v) for k, v in (data.get("offices") or {}).items()},
                          _patterns(data.get("not_actors"), "not_actors"),
                          frozenset(_patterns(data.get("compound_heads"), "compound_heads")))
    return gazetteer


def check_gazetteer(gazetteer: Gazetteer) -> Gazetteer:
    """``gazetteer`` if its terms name known offices and do not overlap, offices name known states, else a ValueError."""
    for office in gazetteer.offices.values():
        if office.state is not None and office.state not in gazetteer.actors:
            raise ValueError(f"office {office.id!r}: state {office.state!r} is not an actor id.")
    for actor in gazetteer.actors.values():
        for term in actor.terms:
            if term.office not in gazetteer.offices:
                raise ValueError(f"actor {actor.id!r}: office {term.office!r} is not defined under 'offices' "
                                 f"(known: {sorted(gazetteer.offices)[:8]} …).")
    for office, held in gazetteer.terms_by_office.items():
        for (before, first), (after, second) in zip(held, held[1:]):
            if first.end is None or second.start < first.end:
                raise ValueError(f"office {office!r}: the terms of {before!r} (to {first.end}) and {after!r} "
                                 f"(from {second.start}) overlap; end the first term on the day the next begins.")
    return gazetteer


def read_gazetteer(path) -> Gazetteer:
    """A validated :class:`Gazetteer` from a YAML file (read as plain data)."""
    return check_gazetteer(parse_gazetteer(load_file(path)))


@lru_cache(maxsize=1)
def bundled_gazetteer() -> Gazetteer:
    """The bundled gazetteer (``analysis/resources/actors.yaml``)."""
    return read_gazetteer(files("analysis").joinpath("resources", "actors.yaml"))


def load_gazetteer(actors=None, *, extend: bool = True) -> Gazetteer:
    """The bundled gazetteer, or ``actors`` (a dict or a YAML path) added to it (``extend=True``) or alone.

    A :class:`Gazetteer` is returned as it is: ``find_actors(corpus, load_gazetteer(path, extend=False))``
    uses a user's gazetteer instead of the bundled one.
    """
    if actors is None:
        return bundled_gazetteer()
    if isinstance(actors, Gazetteer):
        return actors
    if isinstance(actors, dict):
        user = parse_gazetteer(actors)
    else:
        user = parse_gazetteer(load_file(actors))
    return bundled_gazetteer().merge(user) if extend else check_gazetteer(user)
