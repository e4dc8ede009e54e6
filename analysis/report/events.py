"""Dated events the report marks in its time figures and compares before and after.

Nothing is assumed about a corpus: events come from the user (``--event DATE=LABEL``,
repeatable; ``events=`` of :func:`~analysis.report.build_report`) or, when none are given,
from the dataset itself (the bundled conflict corpus carries the invasion of Ukraine,
:data:`analysis.corpus.datasets.CONFLICT_EVENTS`). Figures mark every event inside the
corpus's dates; before/after comparisons split at the first of them.

>>> events = check_events({"2022-02-24": "Invasion of Ukraine", "2022-03-29": "Istanbul talks"})
>>> [str(e) for e in events]
['2022-02-24 Invasion of Ukraine', '2022-03-29 Istanbul talks']
>>> parse_event('2022-02-24="Invasion of Ukraine"')
Event(date='2022-02-24', label='Invasion of Ukraine')
>>> published = pd.Series(pd.to_datetime(["2022-01-10", "2022-03-01", None], utc=True))
>>> [e.label for e in events_in_range(events, published)]
['Invasion of Ukraine']
>>> phase_of(published, events[0]).tolist()
['before', 'after', nan]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

PHASES = ("before", "after")


@dataclass(frozen=True)
class Event:
    """One dated event: ``date`` as ``YYYY-MM-DD`` (a day, UTC; documents of that day count as after it) and a label."""

    date: str
    label: str

    @property
    def when(self) -> pd.Timestamp:
        return pd.Timestamp(self.date, tz="UTC")

    def __str__(self) -> str:
        return f"{self.date} {self.label}"


def parse_event(text: str) -> Event:
    """An event from the command line's ``DATE=LABEL`` (quotes around the label are dropped)."""
    date, sep, label = str(text).partition("=")
    if not sep:
        raise ValueError(f"an event is DATE=LABEL, e.g. 2022-02-24=\"Invasion of Ukraine\", not {text!r}.")
    return _event(date, label)


def _event(date, label) -> Event:
    label = str(label).strip().strip("\"'").strip()
    try:
        when = pd.Timestamp(str(date).strip())
    except (ValueError, TypeError) as err:
        raise ValueError(f"event date {date!r} is not a date; write it as YYYY-MM-DD, e.g. 2022-02-24.") from err
    if pd.isna(when):
        raise ValueError(f"event date {date!r} is not a date; write it as YYYY-MM-DD, e.g. 2022-02-24.")
    if not label:
        raise ValueError(f"the event on {date} has no label; write it as DATE=LABEL.")
    if when.tzinfo is not None:
        when = when.tz_convert("UTC").tz_localize(None)
    return Event(when.strftime("%Y-%m-%d"), label)


def check_events(events) -> tuple[Event, ...]:
    """The events as a tuple sorted by date, duplicates removed.

    ``events``: None (no events), a mapping ``{date: label}``, or an iterable of
    ``(date, label)`` pairs, ``"DATE=LABEL"`` strings or :class:`Event`.
    """
    if events is None:
        return ()
    if isinstance(events, str):
        raise ValueError(f"events must be a mapping {{date: label}} or a list of events, not the string {events!r}; "
                         "pass [\"DATE=LABEL\"].")
    items = events.items() if isinstance(events, Mapping) else events
    if not isinstance(items, Iterable):
        raise ValueError(f"events must be a mapping {{date: label}} or a list of (date, label), not {events!r}.")
    checked = []
    for item in items:
        if isinstance(item, Event):
            checked.append(_event(item.date, item.label))
        elif isinstance(item, str):
            checked.append(parse_event(item))
        elif isinstance(item, (tuple, list)) and len(item) == 2:
            checked.append(_event(*item))
        else:
            raise ValueError(f"an event is (date, label) or 'DATE=LABEL', not {item!r}.")
    return tuple(sorted(set(checked), key=lambda e: (e.date, e.label)))


def events_in_range(events, published: pd.Series) -> tuple[Event, ...]:
    """The events with dated documents on both sides (first date < event ≤ last date)."""
    dated = published.dropna()
    if dated.empty:
        return ()
    return tuple(e for e in check_events(events) if dated.min() < e.when <= dated.max())


def phase_of(published: pd.Series, event: Event) -> pd.Series:
    """``before``/``after`` ``event`` for each date (missing where undated), categorical, named ``phase``."""
    when = event.when
    phase = pd.Series(pd.NA, index=published.index, dtype=object)
    phase[published.notna() & (published < when)] = PHASES[0]
    phase[published.notna() & (published >= when)] = PHASES[1]
    return pd.Series(pd.Categorical(phase, categories=list(PHASES)), index=published.index, name="phase")


def event_markers(events) -> dict[str, str] | None:
    """``{label: date}`` for the plotting functions' ``events=`` (None without events); a label
    shared by two events gets its date appended."""
    events = check_events(events)
    if not events:
        return None
    labels = [e.label for e in events]
    return {(e.label if labels.count(e.label) == 1 else f"{e.label} ({e.date})"): e.date for e in events}


def describe_events(events) -> str:
    """The events in one phrase, e.g. ``Invasion of Ukraine (2022-02-24)``."""
    return "; ".join(f"{e.label} ({e.date})" for e in check_events(events))
