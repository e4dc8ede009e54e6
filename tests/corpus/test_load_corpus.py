"""Loading corpora from every supported source without losing a row."""

import json
import unicodedata
import warnings

import pandas as pd
import pytest

import analysis
from analysis import CorpusReadError, MissingColumnError, RejectedRowsWarning, load_corpus

GERMAN = [
    ("n1", "Nordkorea schickt Soldaten nach Kursk.", "24.02.2022", "taz"),
    ("n2", "Die Gegenleistung: Devisen, Öl und Technik für Pjöngjang.", "2025-01-13T08:00:00+01:00", "Die Zeit"),
    ("n3", "Russische Touristen reisen unter strenger Bewachung.", "13. Januar 2025", "taz"),
]


def write_csv(path, rows, *, sep=",", encoding="utf-8", header=("id", "text", "datum", "zeitung")):
    lines = [sep.join(header)] + [sep.join(f'"{v}"' for v in row) for row in rows]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def check_accounting(load):
    assert len(load.corpus) + len(load.rejected) == load.n_input
    assert load.corpus["doc_id"].is_unique
    assert (load.rejected["reason"].str.len() > 0).all()


@pytest.mark.parametrize(("sep", "encoding"), [
    (",", "utf-8"), (";", "utf-8-sig"), (";", "cp1252"), ("\t", "latin-1"), ("|", "utf-8"),
])
def test_csv_delimiters_and_encodings(tmp_path, sep, encoding):
    path = write_csv(tmp_path / "export.csv", GERMAN, sep=sep, encoding=encoding)
    load = load_corpus(path, text_col="text", id_col="id", date_col="datum", outlet_col="zeitung")
    check_accounting(load)
    corpus = load.corpus
    assert corpus["doc_id"].tolist() == ["n1", "n2", "n3"]
    assert corpus["text"].iloc[1] == GERMAN[1][1]  # umlauts survive every encoding
    assert str(corpus["published"].dtype) == "datetime64[ns, UTC]"
    assert corpus["published"].dt.strftime("%Y-%m-%d %H:%M").tolist() == [
        "2022-02-24 00:00", "2025-01-13 07:00", "2025-01-13 00:00"]
    assert corpus["outlet"].dtype == "category" and corpus["lang"].tolist() == ["de"] * 3


def test_json_jsonl_parquet_and_frame_give_the_same_corpus(tmp_path):
    records = [{"id": i, "text": t, "datum": d, "zeitung": o} for i, t, d, o in GERMAN]
    (tmp_path / "c.json").write_text(json.dumps({"articles": records}, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "c.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    pd.DataFrame(records).to_parquet(tmp_path / "c.parquet")
    args = dict(text_col="text", id_col="id", date_col="datum", outlet_col="zeitung")
    loads = [load_corpus(tmp_path / name, **args) for name in ("c.json", "c.jsonl", "c.parquet")]
    loads.append(load_corpus(pd.DataFrame(records), **args))
    for load in loads:
        check_accounting(load)
        pd.testing.assert_frame_equal(load.corpus, loads[0].corpus)


def test_folder_of_txt_files(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.txt").write_text("Kim Jong Un schickt Soldaten.", encoding="utf-8")
    (tmp_path / "sub" / "b.txt").write_bytes("Russische Urlauber in Nordkorea. Größe!".encode("cp1252"))
    (tmp_path / "leer.txt").write_bytes(b"")
    (tmp_path / "notes.md").write_text("ignored: not a .txt file", encoding="utf-8")
    load = load_corpus(tmp_path)
    check_accounting(load)
    assert load.corpus["doc_id"].tolist() == ["a", "sub/b"]
    assert load.corpus["text"].iloc[1].endswith("Größe!")
    assert load.rejected[["doc_id", "reason"]].values.tolist() == [["leer", "empty text"]]


def test_bad_rows_are_reported_not_dropped(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        "id;text;datum\n"
        "1;Krieg in der Ukraine;24.02.2022\n"
        "2;   ;25.02.2022\n"               # whitespace-only text
        "3;;26.02.2022\n"                  # empty text
        "1;Doppelte ID;27.02.2022\n"       # duplicate id
        "4;Zu viele;Felder;hier\n"         # ragged row
        "5;Datum kaputt;gestern Abend\n"   # unparseable date: kept
        ";Ohne ID;28.02.2022\n"            # missing id
        "6;<p>Nur <b>Markup</b></p>;\n",
        encoding="utf-8")
    load = load_corpus(path, id_col="id", date_col="datum")
    check_accounting(load)
    assert load.corpus["doc_id"].tolist() == ["1", "5", "6"]
    assert load.corpus["text"].tolist()[2] == "Nur Markup"
    assert dict(zip(load.rejected["row"], load.rejected["reason"])) == {
        1: "empty text", 2: "empty text", 3: "duplicate doc_id", 4: "ragged row", 6: "missing doc_id"}
    assert load.problems[["doc_id", "problem"]].values.tolist() == [["5", "unparseable date"]]
    assert pd.isna(load.corpus["published"].iloc[1])
    assert "7 kept" not in str(load) and "rejected" in str(load)
    summary = load.summary()
    assert summary["n"].sum() == load.n_input + len(load.problems)


def test_malformed_json_lines_and_blank_lines(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text('{"text": "gut"}\n{"text": "kaputt"\n\n[1, 2]\n{"text": "auch gut"}\n', encoding="utf-8")
    load = load_corpus(path)
    check_accounting(load)
    assert load.n_input == 5
    assert load.rejected["reason"].tolist() == ["malformed JSON", "blank line", "not a JSON object"]
    assert load.corpus["text"].tolist() == ["gut", "auch gut"]


def test_numeric_ids_become_clean_strings():
    frame = pd.DataFrame({"id": [1.0, 2.0, None], "text": ["a b c", "d e f", "g h i"]})
    load = load_corpus(frame, id_col="id")
    assert load.corpus["doc_id"].tolist() == ["1", "2"]
    assert load.rejected["reason"].tolist() == ["missing doc_id"]


def test_generated_ids_are_unique_strings_by_row():
    load = load_corpus(pd.DataFrame({"text": ["eins", "", "drei"]}))
    assert load.corpus["doc_id"].tolist() == ["doc0", "doc2"]


def test_decomposed_umlauts_control_chars_and_huge_documents():
    huge = ("Nordkoreanische Soldaten kämpfen in Kursk. " * 250_000)  # ~10 MB
    frame = pd.DataFrame({"text": [unicodedata.normalize("NFD", "Bündnis\u200b mit Pjöngjang\x0b"), huge]})
    corpus = load_corpus(frame).corpus
    assert corpus["text"].iloc[0] == "Bündnis mit Pjöngjang"
    assert unicodedata.is_normalized("NFC", corpus["text"].iloc[0])
    assert len(corpus["text"].iloc[1]) == len(huge) - 1


@pytest.mark.parametrize(("name", "content", "error", "message"), [
    ("missing.csv", None, FileNotFoundError, "does not exist"),
    ("empty.csv", b"", CorpusReadError, "empty"),
    ("x.docx", b"PK", CorpusReadError, "unsupported file type"),
    ("x.json", b"{kaputt", CorpusReadError, "not valid JSON"),
    ("x.json", b'{"a": 1}', CorpusReadError, "exactly one array"),
    ("", None, CorpusReadError, "no .txt files"),
])
def test_bad_sources_raise_informative_errors(tmp_path, name, content, error, message):
    if content is not None:
        (tmp_path / name).write_bytes(content)
    with pytest.raises(error, match=message):
        load_corpus(tmp_path / name)


def test_unreadable_source_type():
    with pytest.raises(TypeError, match="cannot read a corpus from int"):
        load_corpus(42)


def test_missing_text_column_names_columns_and_argument():
    frame = pd.DataFrame({"titel": ["a"], "inhalt": ["Krieg"]})
    with pytest.raises(MissingColumnError) as info:
        load_corpus(frame, text_col="text")
    assert str(info.value) == "corpus has no column 'text'; columns are ['titel', 'inhalt']. Pass text_col='inhalt'."


def test_read_corpus_warns_once_with_a_summary():
    frame = pd.DataFrame({"doc_id": ["a", "a", "b"], "text": ["x y", "x y", " "]})
    with pytest.warns(RejectedRowsWarning, match="2 rejected"):
        corpus = analysis.read_corpus(frame)
    assert corpus["doc_id"].tolist() == ["a"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        analysis.read_corpus(frame.iloc[:1])


def test_input_frame_is_not_mutated():
    frame = pd.DataFrame({"id": [1, 2], "text": ["<b>a</b>", "b"]})
    before = frame.copy()
    load_corpus(frame, id_col="id")
    pd.testing.assert_frame_equal(frame, before)


def test_language_is_detected_per_document_when_not_given():
    frame = pd.DataFrame({"text": ["Die Soldaten sind in der Ukraine.", "The soldiers are in Ukraine.", "42"]})
    langs = load_corpus(frame).corpus["lang"]
    assert langs.iloc[:2].tolist() == ["de", "en"] and pd.isna(langs.iloc[2])


def test_json_lines_with_nested_records_keep_their_text_and_get_ids(tmp_path):
    # NewsMTSC-like export: each line holds a list of target records beside the sentence; a nested
    # field is neither text nor id (column guessing raised a numpy truth-value error on it)
    rows = [{"gid": f"allsides_{i}_Reality Leigh Winner", "sentence": text,
             "targets": [{"from": 0, "to": len(word), "mention": word, "polarity": 4.0}
                         for word in text.split()[:i + 1]]}  # one, two, three targets
            for i, text in enumerate(["Winner schrieb, sie habe den Abgeordneten getroffen.",
                                      "Kim Jong Un schickt Soldaten nach Kursk, heißt es in Seoul.",
                                      "Die Ukraine meldet Gefangene aus Nordkorea."])]
    path = tmp_path / "mtsc.jsonl"
    path.write_text("\n".join(json.dumps(row, ensure_ascii=False) for row in rows) + "\n", encoding="utf-8")
    load = load_corpus(path)
    check_accounting(load)
    assert load.corpus["text"].tolist() == [row["sentence"] for row in rows]
    assert load.corpus["doc_id"].tolist() == ["doc0", "doc1", "doc2"]  # gid holds spaces: no short key
    assert "id" not in load.columns and load.columns["text"] == "sentence"
