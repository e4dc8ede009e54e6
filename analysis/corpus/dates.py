"""Parse publication dates as they come in news exports into timezone-aware UTC.

ISO 8601 first; then German forms, always day-first (``24.02.2022``,
``24. Februar 2022``, ``24.2.22 14:30``, ``Donnerstag, 24. Februar 2022, 5.30 Uhr``); then anything
else pandas reads. Numbers with slashes or dashes (``01/04/2019``) are read in one order for the
whole column: month first when a value shows it (``01/13/2019``: there is no 13th month) and none
shows day first, else day first (:func:`day_month_order`); year first (``2019/01/04``) always
is. Digits only are compact dates (``20190104103000``, as GDELT writes them) or Unix time in
seconds or milliseconds (``1546596000``, as JSON APIs do). Naive times are taken as UTC; times with
an offset or a zone abbreviation (``10:00 AM EST``, ``14:00 MESZ``) are converted to UTC.

>>> parse_dates(pd.Series(["2022-02-24T04:00:00+02:00", "24.02.2022", "24. Februar 2022", "kurz nach Mitternacht"])).tolist()
[Timestamp('2022-02-24 02:00:00+0000', tz='UTC'), Timestamp('2022-02-24 00:00:00+0000', tz='UTC'), Timestamp('2022-02-24 00:00:00+0000', tz='UTC'), NaT]
"""

from __future__ import annotations

import re
import warnings

import pandas as pd
from dateutil import parser as dateutil_parser

GERMAN_MONTHS = {
    "januar": 1, "jänner": 1, "jan": 1, "februar": 2, "feber": 2, "feb": 2, "märz": 3,
    "mär": 3, "maerz": 3, "april": 4, "apr": 4, "mai": 5, "juni": 6, "jun": 6, "juli": 7,
    "jul": 7, "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9, "oktober": 10,
    "okt": 10, "november": 11, "nov": 11, "dezember": 12, "dez": 12,
}
_GERMAN_MONTH_DATE = re.compile(
    r"\b(\d{1,2})\.\s*(" + "|".join(sorted(GERMAN_MONTHS, key=len, reverse=True)) + r")\.?\s+(\d{4})",
    re.IGNORECASE,
)
_DAY_FIRST_FORMATS = ("%d.%m.%Y", "%d.%m.%Y %H:%M", "%d.%m.%Y %H:%M:%S", "%d.%m.%y", "%d.%m.%y %H:%M")


_WEEKDAY = re.compile(r"^(?:montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonnabend|sonntag"
                      r"|mo|di|mi|do|fr|sa|so)\.?,?\s+", re.IGNORECASE)
_CLOCK_UHR = re.compile(r"\b(\d{1,2})[.:](\d{2})(?::(\d{2}))?\s*(?:uhr|h)\b\.?", re.IGNORECASE)
_DATE_TIME_JOINER = re.compile(r"(\d{1,2}\.\d{1,2}\.\d{2,4})\s*(?:,|um|-|–|/|\|)\s*(\d{1,2}:\d{2})", re.IGNORECASE)


def _german_month_to_number(text: str) -> str:
    """German long forms to ``dd.mm.yyyy[ HH:MM]``: ``24. Februar 2022`` -> ``24.02.2022``;
    ``Donnerstag, 24. Februar 2022, 5.30 Uhr`` -> ``24.02.2022 5:30`` (weekday, joiner and "Uhr" dropped).

    >>> _german_month_to_number("Montag, 8. Mai 2022, 21:50 Uhr"), _german_month_to_number("08.05.2022 um 9.05 Uhr")
    ('08.05.2022 21:50', '08.05.2022 9:05')
    """
    def repl(match: re.Match) -> str:
        day, month, year = match.groups()
        return f"{int(day):02d}.{GERMAN_MONTHS[month.lower()]:02d}.{year}"
    text = _GERMAN_MONTH_DATE.sub(repl, _WEEKDAY.sub("", text))
    text = _CLOCK_UHR.sub(lambda m: f"{m[1]}:{m[2]}" + (f":{m[3]}" if m[3] else ""), text)
    return _DATE_TIME_JOINER.sub(r"\1 \2", text).strip()


def parse_dates(values: pd.Series) -> pd.Series:
    """Parse a Series of date strings (or datetimes) to ``datetime64[ns, UTC]``; NaT where unreadable
    or outside the range of nanosecond timestamps (1677–2262: see :func:`dates_out_of_range`)."""
    return _in_range(_parse_any(values))


def dates_out_of_range(values: pd.Series) -> pd.Series:
    """Where a value reads as a date that ``datetime64[ns]`` cannot hold (``2999-12-31``, ``1650-01-01``).

    >>> dates_out_of_range(pd.Series(["2999-12-31", "24.02.2022", "1. Januar 1650", "bald"])).tolist()
    [True, False, True, False]
    """
    parsed = _parse_any(values)
    return parsed.notna() & _in_range(parsed).isna()


def _in_range(parsed: pd.Series) -> pd.Series:
    low, high = pd.Timestamp.min.tz_localize("UTC"), pd.Timestamp.max.tz_localize("UTC")
    inside = parsed.notna() & (parsed >= low) & (parsed <= high)
    return parsed.where(inside).astype("datetime64[ns, UTC]")


def _parse_any(values: pd.Series) -> pd.Series:
    """Dates at whatever resolution pandas needs for them (UTC), NaT where unreadable."""
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        return values.dt.tz_convert("UTC")
    if pd.api.types.is_datetime64_dtype(values.dtype):
        return values.dt.tz_localize("UTC")
    text = values.astype("object").where(values.notna(), None)
    text = text.map(lambda v: v if v is None or isinstance(v, (list, tuple, dict)) else str(v).strip() or None)
    text = text.map(lambda v: v if isinstance(v, str) else None)
    result = pd.to_datetime(text, format="ISO8601", utc=True, errors="coerce").astype("datetime64[us, UTC]")
    digits = text.str.extract(_DIGITS, expand=False) if text.notna().any() else text
    if digits.notna().any():  # read here or not at all (dateutil reads 20190104103000 as 1 April)
        result = result.fillna(_from_digits(digits.dropna()).reindex(result.index))
    todo = result.isna() & text.notna() & digits.isna()
    if todo.any():
        german = text[todo].map(_german_month_to_number)
        for fmt in _DAY_FIRST_FORMATS:
            parsed = pd.to_datetime(german, format=fmt, utc=True, errors="coerce").astype("datetime64[us, UTC]")
            result = result.fillna(parsed)  # fills only where still NaT
            german = german[parsed.isna()]
            if german.empty:
                break
        if not german.empty:
            dayfirst = day_month_order(german) != "month first"
            fallback = pd.to_datetime(german.map(lambda v: _parse_one(v, dayfirst=dayfirst)), utc=True)
            result = result.fillna(fallback.astype("datetime64[us, UTC]"))
    return result


_DIGITS = re.compile(r"^(\d{9,14})(?:\.0+)?$")  # 14/12: YYYYMMDDHHMM[SS]; 13: Unix milliseconds; 9–10: seconds
_COMPACT = {14: "%Y%m%d%H%M%S", 12: "%Y%m%d%H%M"}
_EPOCH = {13: "ms", 10: "s", 9: "s"}
_EPOCH_YEARS = (1980, 2100)  # a Unix time outside these years is more likely a count or an id


def _from_digits(digits: pd.Series) -> pd.Series:
    """Dates written as digits only, as news APIs and GDELT export them: ``20190104103000``
    (YYYYMMDDHHMMSS), ``1546596000`` (Unix seconds), ``1546596000000`` (milliseconds)."""
    out = pd.Series(pd.NaT, index=digits.index, dtype="datetime64[us, UTC]")
    width = digits.str.len()
    for n, fmt in _COMPACT.items():
        part = digits[width == n]
        out.loc[part.index] = pd.to_datetime(part, format=fmt, utc=True, errors="coerce")
    for n, unit in _EPOCH.items():
        part = digits[width == n]
        if len(part):
            read = pd.to_datetime(part.astype("int64"), unit=unit, utc=True)
            out.loc[part.index] = read.where(read.dt.year.between(*_EPOCH_YEARS))
    return out


_NUMERIC_DATE = re.compile(r"^(\d{1,2})[/-](\d{1,2})[/-](?:\d{4}|\d{2})\b")
_YEAR_FIRST = re.compile(r"^\d{4}[/.-]\d{1,2}[/.-]\d{1,2}\b")


def day_month_order(values: pd.Series) -> str:
    """How a column writes numeric dates like ``01/04/2019``: ``"month first"`` when some value
    can only be month first (``01/13/2019``) and none only day first (``13/01/2019``);
    ``"day first"`` when some value shows it; ``"ambiguous"`` when none tells (read day first).

    >>> [day_month_order(pd.Series(v)) for v in (["01/04/2019", "01/13/2019"], ["01/04/2019", "13/01/2019"], ["01/04/2019"])]
    ['month first', 'day first', 'ambiguous']
    """
    parts = values.astype("string").str.extract(_NUMERIC_DATE).astype("float64")
    day_first, month_first = bool((parts[0] > 12).any()), bool((parts[1] > 12).any())
    if month_first and not day_first:
        return "month first"
    return "day first" if day_first else "ambiguous"


class AmbiguousDateWarning(UserWarning):
    """Numeric dates that read as day/month and as month/day, with no date of the column to tell."""


def warn_if_ambiguous(values: pd.Series, column: str) -> None:
    """Warn (:class:`AmbiguousDateWarning`) when ``values`` hold dates like ``01/04/2019`` and none
    tells whether the day or the month comes first: they are read day first."""
    if day_month_order(values) != "ambiguous":
        return
    parts = values.astype("string").str.extract(_NUMERIC_DATE).astype("float64")
    unclear = values[parts.notna().all(axis=1) & (parts[0] != parts[1])]
    if len(unclear):
        example = str(unclear.iloc[0]).strip()
        read = _parse_one(example, dayfirst=True)
        warnings.warn(f"Dates in column {column!r} such as {example!r} could be day/month or month/day, and no date "
                      f"in the column tells which; they were read day first ({read:%d %B %Y}). If the month comes "
                      "first, write the dates as YYYY-MM-DD before loading.", AmbiguousDateWarning, stacklevel=3)


# Zone abbreviations news sites print after a time ("10:00 AM EST"); ambiguous ones (CST, IST) are left out.
_ZONES = {name: hours * 3600 for name, hours in {
    "UTC": 0, "GMT": 0, "EST": -5, "EDT": -4, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
    "BST": 1, "CET": 1, "CEST": 2, "MEZ": 1, "MESZ": 2, "EET": 2, "EEST": 3, "MSK": 3}.items()}


def _parse_one(value: str, *, dayfirst: bool):
    dayfirst = dayfirst and not _YEAR_FIRST.match(value)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pandas warns when it falls back to dateutil
        try:
            return pd.to_datetime(value, dayfirst=dayfirst, utc=True)
        except (ValueError, OverflowError, TypeError):
            pass
        try:  # "January 4, 2019 10:00 AM EST"
            return pd.Timestamp(dateutil_parser.parse(value, dayfirst=dayfirst, tzinfos=_ZONES)).tz_convert("UTC")
        except (ValueError, OverflowError, TypeError, dateutil_parser.ParserError):
            return pd.NaT
