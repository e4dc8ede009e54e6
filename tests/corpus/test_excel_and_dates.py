"""Excel exports and German long dates, as archive exports deliver them."""

import pandas as pd
import pytest

from analysis.corpus import load_corpus
from analysis.corpus.readers import EXCEL_CELL_LIMIT, ExcelCellLimitWarning

ROWS = [
    ("https://example.org/1", "Kreml droht", "Donnerstag, 24. Februar 2022, 5.30 Uhr", "Kreml",
     "Wladimir Putin kündigt eine „militärische Spezialoperation“ an. Russische Truppen überqueren die Grenze."),
    ("https://example.org/2", "Selenskyj spricht", "8. Mai 2022, 21:50 Uhr", "Präsident der Ukraine",
     "Selenskyj dankt den Verteidigern von Mariupol. Die Evakuierung der Zivilisten geht weiter."),
    ("https://example.org/3", "Leer", "09.05.2022 um 9.05 Uhr", "Kreml", "   "),
    ("https://example.org/4", "Zu lang", "Mo., 09.05.22, 10:00 Uhr", "Kreml", "Ä" * EXCEL_CELL_LIMIT),
]


@pytest.fixture
def workbook(tmp_path):
    path = tmp_path / "pressemitteilungen.xlsx"
    pd.DataFrame(ROWS, columns=["URL", "Schlagzeile", "Veröffentlicht", "Herausgeber", "Volltext"]).to_excel(
        path, index=False)
    return path


def test_an_excel_export_with_german_long_dates_loads_and_says_what_was_cut(workbook):
    with pytest.warns(ExcelCellLimitWarning, match="1 in 'Volltext'"):
        load = load_corpus(workbook)
    assert load.columns["text"] == "Volltext" and load.columns["date"] == "Veröffentlicht"
    assert load.corpus["published"].dt.strftime("%Y-%m-%d %H:%M").tolist() == [
        "2022-02-24 05:30", "2022-05-08 21:50", "2022-05-09 10:00"]
    assert load.corpus["outlet"].astype(str).tolist() == ["Kreml", "Präsident der Ukraine", "Kreml"]
    assert load.problems.empty
    empty = load.rejected.iloc[0]
    assert (empty["reason"], empty["line"]) == ("empty text", 4)  # sheet row 4: header, then rows 2, 3, 4


@pytest.mark.parametrize(("value", "expected"), [
    ("8. Mai 2022, 21:50 Uhr", "2022-05-08 21:50"),
    ("Sonnabend, 1. März 2014", "2014-03-01 00:00"),
    ("24.02.2022 - 05:30", "2022-02-24 05:30"),
    ("24.02.2022 05:30:12 Uhr", "2022-02-24 05:30"),
    ("24. Feb. 2022 um 14.30 Uhr", "2022-02-24 14:30"),
])
def test_german_long_dates_with_weekday_and_clock_time(value, expected):
    load = load_corpus(pd.DataFrame({"text": ["Kiew meldet neue Angriffe."], "datum": [value]}), date_col="datum")
    assert load.corpus["published"].dt.strftime("%Y-%m-%d %H:%M").tolist() == [expected]
