"""Numeric dates with slashes or dashes are read in one order per column, as the column shows it:
a US export (01/13/2019) month first, a British or German one (13/01/2019) day first, year-first
dates as written; a column that cannot tell is read day first and says so."""

import warnings

import pandas as pd
import pytest

from analysis.corpus import AmbiguousDateWarning, load_corpus, parse_dates

WIKINEWS = [  # English Wikinews 2019 (CC BY 2.5), as a US export writes the dates
    ("Magnitogorsk apartment building collapses after explosion, dozens dead", "01/04/2019"),
    ("Nancy Pelosi again elected Speaker as 116th U.S. Congress convenes", "01/04/2019"),
    ("Partial US government shutdown becomes longest in history", "01/13/2019"),
    ("Venezuelan opposition leader Juan Guaidó declares himself interim president", "01/24/2019"),
    ("Notre-Dame de Paris cathedral badly damaged by fire", "04/16/2019"),
]


def corpus_with_dates(dates):
    return pd.DataFrame({"Headline": [title for title, _ in WIKINEWS][:len(dates)],
                         "Story": [f"{title}. The report was filed on the same day." for title, _ in WIKINEWS][:len(dates)],
                         "Posted": dates})


def test_a_us_export_is_read_month_first_for_every_row():
    with warnings.catch_warnings():
        warnings.simplefilter("error", AmbiguousDateWarning)  # the 13th and 24th tell: no warning
        corpus = load_corpus(corpus_with_dates([d for _, d in WIKINEWS])).corpus
    assert corpus["published"].dt.strftime("%Y-%m-%d").tolist() == [
        "2019-01-04", "2019-01-04", "2019-01-13", "2019-01-24", "2019-04-16"]


def test_a_day_first_column_stays_day_first_with_times_and_missing_values():
    dates = pd.Series(["04/01/2019 14:30", "13/01/2019", None, "16-04-2019", "kurz nach Mitternacht"])
    parsed = parse_dates(dates)
    assert parsed.iloc[[0, 1, 3]].dt.strftime("%Y-%m-%d %H:%M").tolist() == [
        "2019-01-04 14:30", "2019-01-13 00:00", "2019-04-16 00:00"]
    assert parsed.iloc[[2, 4]].isna().all()


@pytest.mark.parametrize("value", ["2019/01/04", "2019-01-04", "2019.01.04"])
def test_year_first_dates_are_read_as_written(value):
    assert parse_dates(pd.Series([value, "13/02/2019"])).iloc[0] == pd.Timestamp("2019-01-04", tz="UTC")


def test_german_dotted_dates_are_day_first_whatever_else_the_column_holds():
    parsed = parse_dates(pd.Series(["01.04.2019", "01/13/2019", "24. Februar 2022"]))
    assert parsed.dt.strftime("%Y-%m-%d").tolist() == ["2019-04-01", "2019-01-13", "2022-02-24"]


def test_a_column_that_cannot_tell_is_read_day_first_and_says_so():
    with pytest.warns(AmbiguousDateWarning, match=r"'01/04/2019'.*day first \(01 April 2019\)"):
        corpus = load_corpus(corpus_with_dates(["01/04/2019", "01/04/2019", "03/02/2019"])).corpus
    assert corpus["published"].dt.strftime("%Y-%m-%d").tolist() == ["2019-04-01", "2019-04-01", "2019-02-03"]


def test_same_day_and_month_is_not_ambiguous():
    with warnings.catch_warnings():
        warnings.simplefilter("error", AmbiguousDateWarning)
        corpus = load_corpus(corpus_with_dates(["05/05/2019", "12/12/2019"])).corpus
    assert corpus["published"].dt.strftime("%Y-%m-%d").tolist() == ["2019-05-05", "2019-12-12"]


def test_a_json_export_with_unix_timestamps_gets_its_dates(tmp_path):
    """A news API's JSON Lines export: Unix seconds or milliseconds, as numbers or strings, one missing."""
    rows = [
        {"id": 101, "content": "Nordkoreanische Soldaten kämpfen offenbar in der Region Kursk.", "timestamp": 1730800800},
        {"id": 102, "content": "Der Kreml äußerte sich nicht zu den Berichten über die Truppen.", "timestamp": "1730887200000"},
        {"id": 103, "content": "Selenskyj forderte mehr Unterstützung für die Luftverteidigung.", "timestamp": None},
    ]
    path = tmp_path / "export.jsonl"
    pd.DataFrame(rows).to_json(path, orient="records", lines=True, force_ascii=False)
    load = load_corpus(path)
    assert ("date", "timestamp", "guessed from the column name") in load.why
    assert load.problems.empty  # no row reported with an unparseable date
    published = load.corpus.set_index("doc_id")["published"]
    assert published["101"] == pd.Timestamp("2024-11-05 10:00", tz="UTC")
    assert published["102"] == pd.Timestamp("2024-11-06 10:00", tz="UTC")
    assert pd.isna(published["103"])


@pytest.mark.parametrize("value, expected", [
    ("20241105100000", "2024-11-05 10:00"),  # GDELT's DATEADDED
    ("202411051000", "2024-11-05 10:00"),
    ("November 5, 2024 10:00 AM EST", "2024-11-05 15:00"),
    ("5. November 2024, 11:00 MEZ", "2024-11-05 10:00"),
    ("Tue, 05 Nov 2024 10:00:00 GMT", "2024-11-05 10:00"),
])
def test_compact_digits_and_zone_abbreviations(value, expected):
    assert parse_dates(pd.Series([value])).iloc[0] == pd.Timestamp(expected, tz="UTC")


@pytest.mark.parametrize("value", ["9999999999", "123456789012", "1234567"])
def test_numbers_that_are_no_plausible_date_stay_missing(value):
    assert parse_dates(pd.Series([value])).isna().all()
