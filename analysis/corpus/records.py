r"""Logical records of a delimited file with their file lines; a quoted field that swallowed records is undone.

A stray or unclosed quote makes the csv module read on across line breaks until the next
quote, so later records vanish into one field. :func:`iter_records` suspects a record that
spans several lines and is ragged or never closes its quote; when one of its continuation
lines reads, on its own, as a record of the file's width (whose first field looks like the
first fields so far), the lines before it are one damaged record (``fields`` is ``None``),
and reading starts again at that line. Multi-line texts that parse cleanly are left alone.

>>> import io
>>> text = 'id,text\n1,Erster Text\n2,"Zweiter Text ohne Ende\n3,Dritter Text\n4,Vierter Text\n'
>>> [(r.line, r.fields) for r in iter_records(io.StringIO(text, newline=""), {"delimiter": ","})]
[(1, ['id', 'text']), (2, ['1', 'Erster Text']), (3, None), (4, ['3', 'Dritter Text']), (5, ['4', 'Vierter Text'])]
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass

from analysis.text.normalize import one_line

EXCERPT = 80  # characters of a damaged record shown in the rejected rows
_MAX_SHAPES = 20  # more distinct first-field shapes than this: the first column is no id


@dataclass(frozen=True)
class Record:
    """One logical record: its first file line (from 1), its fields (``None``: damaged), the
    start of its raw text, and the fields of its first line read alone (to name a damaged one's id)."""

    line: int
    fields: list | None
    excerpt: str
    first_fields: list


class _Lines:
    """The physical lines of a text file, numbered from 1; lines given back are read again."""

    def __init__(self, handle):
        self._handle = iter(handle)
        self._back: list[str] = []
        self.number = 1  # number of the next line
        self.taken: list[tuple[int, str]] = []

    def __iter__(self):
        return self

    def __next__(self) -> str:
        line = self._back.pop() if self._back else next(self._handle)
        self.taken.append((self.number, line))
        self.number += 1
        return line

    def give_back(self, taken: list[tuple[int, str]]) -> None:
        self._back.extend(text for _, text in reversed(taken))
        self.number = taken[0][0]


def excerpt(text: str) -> str:
    """The first :data:`EXCERPT` characters of ``text`` with line breaks and runs of spaces as one space."""
    return one_line(str(text), limit=EXCERPT)


def _shape(value: str) -> str | None:
    """``"wn-4711"`` -> ``"a-9"``; ``None`` for a value with spaces or longer than 40 characters."""
    value = value.strip()
    if len(value) > 40 or re.search(r"\s", value):
        return None
    return re.sub(r"\d+", "9", re.sub(r"[^\W\d_]+", "a", value))


def _alone(line: str, dialect: dict) -> list:
    return next(csv.reader([line], **dialect), [])


def _restart_at(taken: list, dialect: dict, width: int, shapes: set) -> int | None:
    """Index of the first continuation line that reads as a record of its own, or ``None``.

    Such a line has the file's width, no field ending in a quote (that line closes a quote
    opened before it) and a first field shaped like those so far (any id-like one when no
    record was read yet; any when the first column holds no ids).
    """
    id_like = None not in shapes and len(shapes) <= _MAX_SHAPES
    quote = dialect.get("quotechar", '"')
    for at in range(1, len(taken)):
        fields = _alone(taken[at][1], dialect)
        if len(fields) != width or any(f.endswith(quote) for f in fields):
            continue
        shape = _shape(fields[0])
        if not id_like or (shape in shapes if shapes else shape is not None):
            return at
    return None


def _suspect(taken: list, fields: list, width: int, dialect: dict) -> bool:
    """A record over several lines that is ragged, or whose quote never closed (an odd number of quotes)."""
    if len(taken) < 2:
        return False
    return len(fields) != width or sum(text.count(dialect.get("quotechar", '"')) for _, text in taken) % 2 == 1


def iter_records(handle, dialect: dict, width: int | None = None) -> Iterator[Record]:
    """The non-empty records of an open delimited file (header included) with their file lines.

    ``width``: the number of fields of a record; ``None`` takes the first record's (the header's).
    """
    lines = _Lines(handle)
    reader = csv.reader(lines, **dialect)
    shapes: set = set()
    for fields in reader:
        taken, lines.taken = lines.taken, []
        if not fields:
            continue  # an empty line
        first = _alone(taken[0][1], dialect) if len(taken) > 1 else fields
        if width is None:
            width = len(fields)
        elif _suspect(taken, fields, width, dialect) and (at := _restart_at(taken, dialect, width, shapes)) is not None:
            lines.give_back(taken[at:])
            yield Record(taken[0][0], None, excerpt("".join(t for _, t in taken[:at])), first)
            continue
        elif len(fields) == width and len(shapes) <= _MAX_SHAPES:
            shapes.add(_shape(fields[0]))
        yield Record(taken[0][0], fields, excerpt("".join(t for _, t in taken)), first)
