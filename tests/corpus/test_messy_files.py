"""Real-world damage in researchers' exports: every logical record kept or rejected with line, id and excerpt."""

import unicodedata
from pathlib import Path

import pytest

from analysis import load_corpus
from analysis.corpus.delimited import sniff_dialect

DATA = Path(__file__).resolve().parents[1] / "data"


def check_accounting(load, n_records):
    assert load.n_input == n_records == len(load.corpus) + len(load.rejected)
    assert load.rejected["line"].notna().all() or not str(load.source).endswith(".csv")
    assert (load.rejected["excerpt"].str.len() <= 80).all() and load.rejected["reason"].str.len().gt(0).all()


def test_a_stray_quote_loses_only_its_own_record():
    load = load_corpus(DATA / "stray_quote.csv")
    check_accounting(load, 7)
    assert load.corpus["doc_id"].tolist() == ["1", "2", "4", "5", "6", "7"]
    assert load.corpus["text"].iloc[3] == 'Er sagte: "Wir verhandeln nicht." Dann ging er.'
    rejected = load.rejected.iloc[0]
    assert (rejected["line"], rejected["doc_id"], rejected["reason"]) == (4, "3", "swallowed records")
    assert rejected["excerpt"].startswith('3,Kommentar,"Unerhört, sagte der Minister')


def test_an_unclosed_quote_to_the_end_of_the_file_keeps_the_records_after_it():
    load = load_corpus(DATA / "unclosed_quote.csv")
    check_accounting(load, 5)
    assert load.corpus["doc_id"].tolist() == ["1", "3", "4", "5"]
    assert load.rejected[["line", "doc_id"]].values.tolist() == [[3, "2"]]
    assert load.rejected["excerpt"].iloc[0] == '2,"Zweiter Text über Verhandlungen in Genf …'


def test_multi_line_texts_are_not_mistaken_for_swallowed_records(tmp_path):
    path = tmp_path / "absaetze.csv"
    path.write_text('id,text\nk1,"Erster Absatz.\nZweiter Absatz, mit Komma."\nk2,Ein Satz.\n', encoding="utf-8")
    load = load_corpus(path)
    check_accounting(load, 2)
    assert load.corpus["text"].iloc[0] == "Erster Absatz.\nZweiter Absatz, mit Komma."


def test_single_quoted_titles_do_not_make_a_file_single_quoted():
    load = load_corpus(DATA / "sonderoperation_titles.csv")
    check_accounting(load, 4)
    assert load.corpus["title"].tolist() == ["'Sonderoperation'", "Putins 'Sonderoperation'", "Gespräche",
                                             "'Entnazifizierung'"]
    assert load.corpus["text"].iloc[0] == "Moskau nennt den Krieg eine 'Sonderoperation', Kiew einen Angriffskrieg."


def test_a_file_really_quoted_with_apostrophes_is_read_so():
    sample = "id,text\n1,'Krieg, Frieden'\n2,'Kiew, Kursk'\n3,'Genf, Wien'\n"
    assert sniff_dialect(sample, None) == (",", "'")


def test_dates_outside_the_pandas_range_are_kept_as_nat_with_a_problem():
    load = load_corpus(DATA / "dates_out_of_range.csv")
    check_accounting(load, 4)
    assert load.corpus["published"].isna().tolist() == [True, True, False, True]
    assert load.problems[["doc_id", "problem"]].values.tolist() == [
        ["a1", "date out of range"], ["a2", "date out of range"], ["a4", "unparseable date"]]


def test_a_parquet_list_column_as_text_is_converted_with_a_problem():
    load = load_corpus(DATA / "list_text.parquet")
    check_accounting(load, 3)
    assert load.corpus["text"].tolist() == ["Erster Absatz über Kursk.\n\nZweiter Absatz über Pjöngjang.",
                                            "Nur ein Absatz."]
    assert set(load.problems["problem"]) == {"text converted to string"}
    assert load.rejected[["doc_id", "reason"]].values.tolist() == [["p3", "empty text"]]


def test_kept_text_is_nfc_even_when_an_invisible_character_sat_before_a_combining_mark():
    load = load_corpus(DATA / "nfc_invisible.csv")
    assert load.corpus["text"].iloc[0] == "München und Köln: Gespräche über die Ukraine."
    assert all(unicodedata.is_normalized("NFC", t) for t in load.corpus["text"])


@pytest.mark.parametrize("name", ["messy_de_excel.csv", "de_columns_cp1252.csv"])
def test_every_rejected_row_has_line_id_and_excerpt(name):
    load = load_corpus(DATA / name)
    assert len(load.corpus) + len(load.rejected) == load.n_input
    assert load.rejected["line"].notna().all()
    has_id = load.rejected["reason"] != "missing doc_id"
    assert (load.rejected.loc[has_id, "doc_id"].str.len() > 0).all()


def test_jsonl_rejects_carry_line_and_excerpt(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text('{"id": "a", "text": "Kiew"}\n{kaputt\n{"id": "a", "text": "Doppelt"}\n', encoding="utf-8")
    load = load_corpus(path)
    assert load.rejected[["line", "reason", "excerpt"]].values.tolist() == [
        [2, "malformed JSON", "{kaputt"], [3, "duplicate doc_id", "Doppelt"]]
