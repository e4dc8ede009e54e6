"""Chunked loading equals one-shot loading; DuckDB sources; Parquet datasets; the one corpus-chunk iterator."""

import json

import duckdb
import pandas as pd
import pyarrow.dataset as ds
import pytest

from analysis import CorpusReadError, MissingColumnError, load_corpus
from analysis.corpus import datasets, stream
from analysis.corpus.parquet_dataset import open_parquet_dataset, write_parquet_dataset
from analysis.corpus.stream import collect, corpus_chunks, iter_corpus, parquet_data_files

ARTICLES = [  # (id, text, datum, zeitung): German news with the usual export damage
    ("k1", "Nordkoreanische Soldaten kämpfen in Kursk.", "13.01.2025", "taz"),
    ("k2", "Die Gegenleistung: Devisen, Öl und Technik für Pjöngjang.", "2025-01-13T08:00:00+01:00", "Die Zeit"),
    ("k3", "Russische Touristen reisen unter strenger Bewachung.", "", "taz"),                 # NaN date
    ("k4", "   ", "14.01.2025", "FAZ"),                                                          # empty text
    ("k2", "Doppelte ID über die Chunk-Grenze hinweg.", "14.01.2025", "FAZ"),                   # duplicate id
    ("k5", "Selenskyj fordert \"mehr Luftabwehr\";\nzweite Zeile im Feld.", "gestern Abend", "Spiegel"),  # bad date
    ("", "Ohne ID geliefert.", "15.01.2025", "taz"),                                            # missing id
    ("k6", "Größere Verluste gemeldet – Bündnis berät.", "15. Januar 2025", "Die Zeit"),
    ("k1", "Noch einmal k1, weit hinter dem ersten.", "16.01.2025", "taz"),                      # duplicate id
    ("k7", "Waffenruhe? Keine Einigung in Genf.", "16.01.2025 14:30", "Süddeutsche"),
]
OPTIONS = dict(text_col="text", id_col="id", date_col="datum", outlet_col="zeitung", lang="de")


def write_messy_csv(path, *, encoding="cp1252"):
    """A ;-separated export with quoted newlines and two ragged rows in between."""
    lines = ["id;text;datum;zeitung"]
    for i, row in enumerate(ARTICLES):
        lines.append(";".join('"' + v.replace('"', '""') + '"' for v in row))
        if i in (2, 6):
            lines.append(f"x{i};zu;viele;Felder;hier")
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def assert_same_load(chunked, whole):
    pd.testing.assert_frame_equal(chunked.corpus, whole.corpus)
    pd.testing.assert_frame_equal(chunked.rejected, whole.rejected)
    pd.testing.assert_frame_equal(chunked.problems.reset_index(drop=True), whole.problems)
    assert chunked.n_input == whole.n_input and chunked.columns == whole.columns


@pytest.mark.parametrize("chunksize", [1, 2, 3, 5, 100])
def test_chunked_csv_equals_one_shot(tmp_path, chunksize):
    path = write_messy_csv(tmp_path / "export.csv")
    whole = load_corpus(path, **OPTIONS)
    chunks = list(iter_corpus(path, chunksize=chunksize, **OPTIONS))
    assert all(chunk.n_input <= chunksize for chunk in chunks)
    assert_same_load(collect(chunks), whole)
    # the messy rows are what the user expects, numbered by input row
    assert dict(zip(whole.rejected["row"], whole.rejected["reason"])) == {
        3: "ragged row", 4: "empty text", 5: "duplicate doc_id", 7: "missing doc_id", 8: "ragged row",
        10: "duplicate doc_id"}
    assert whole.rejected.set_index("row").at[10, "detail"] == "first at row 0"
    assert whole.corpus["text"].str.contains("Größere|Pjöngjang").sum() == 2
    assert whole.corpus["published"].isna().sum() == 2
    assert whole.problems["doc_id"].tolist() == ["k5"]


def test_each_chunk_reports_its_own_rows(tmp_path):
    path = write_messy_csv(tmp_path / "export.csv")
    chunks = list(iter_corpus(path, chunksize=5, **OPTIONS))
    rows = [(chunk.rejected["row"].tolist(), chunk.problems["row"].tolist()) for chunk in chunks]
    assert rows == [([3, 4], []), ([5, 7, 8], [6]), ([10], [])]
    for chunk in chunks:
        assert len(chunk.corpus) + len(chunk.rejected) == chunk.n_input


def test_chunked_jsonl_equals_one_shot(tmp_path):
    lines = [json.dumps({"id": i, "text": t, "datum": d, "zeitung": o}, ensure_ascii=False)
             for i, t, d, o in ARTICLES]
    lines[3:3] = ['{"id": "k8", "text": "kaputt', "", "[1, 2]"]   # malformed, blank, not an object
    path = tmp_path / "c.jsonl"
    path.write_text("\n".join(lines) + "\n\n\n", encoding="utf-8")   # trailing blank lines: not records
    whole = load_corpus(path, **OPTIONS)
    assert whole.n_input == len(lines)
    assert whole.rejected["reason"].tolist()[:3] == ["malformed JSON", "blank line", "not a JSON object"]
    for chunksize in (1, 4, 6):
        assert_same_load(collect(iter_corpus(path, chunksize=chunksize, **OPTIONS)), whole)


def test_chunked_parquet_equals_one_shot(tmp_path):
    frame = pd.DataFrame(ARTICLES, columns=["id", "text", "datum", "zeitung"])
    frame["datum"] = frame["datum"].replace("", None)
    frame.to_parquet(tmp_path / "c.parquet", row_group_size=3)  # batches end at row groups
    whole = load_corpus(tmp_path / "c.parquet", **OPTIONS)
    chunks = list(iter_corpus(tmp_path / "c.parquet", chunksize=4, **OPTIONS))
    assert [chunk.n_input for chunk in chunks] == [4, 4, 2]
    assert_same_load(collect(chunks), whole)


def test_generated_ids_match_without_an_id_column(tmp_path):
    """Headerless CSV as in the bundled 10kGNAD: widths and ids need the whole file."""
    options = dict(text_col=1, lang="de", csv_options={"header": False, "quotechar": "'", "delimiter": ";"})
    whole = load_corpus(datasets.path("gnad10"), **options)
    chunked = collect(iter_corpus(datasets.path("gnad10"), chunksize=300, **options))
    assert_same_load(chunked, whole)
    assert chunked.corpus["doc_id"].iloc[[0, -1]].tolist() == ["doc0000", f"doc{whole.n_input - 1}"]


def test_chunks_arrive_before_the_file_is_read(tmp_path):
    path = tmp_path / "big.jsonl"
    with open(path, "w", encoding="utf-8") as handle:
        for i in range(5000):
            text = f"Meldung {i}: " + "Nordkoreanische Soldaten kämpfen in Kursk. " * 50
            handle.write(json.dumps({"id": f"n{i}", "text": text}, ensure_ascii=False) + "\n")
    chunks = iter_corpus(path, chunksize=100, id_col="id", lang="de")
    first = next(chunks)  # its memory peak: benchmarks/memory.py
    assert len(first.corpus) == 100
    with open(path, "a", encoding="utf-8") as handle:  # rows written after the first chunk are still read
        handle.write(json.dumps({"id": "spät", "text": "Nachgereicht."}) + "\n")
    rest = list(chunks)
    assert rest[-1].corpus["doc_id"].iloc[-1] == "spät"
    assert sum(len(c.corpus) for c in [first, *rest]) == 5001


def test_options_are_checked_before_reading(tmp_path):
    with pytest.raises(TypeError, match="unknown option.*text_column"):
        iter_corpus(tmp_path, text_column="inhalt")
    with pytest.raises(FileNotFoundError):
        iter_corpus(tmp_path / "fehlt.csv")
    with pytest.raises(MissingColumnError, match="Pass text_col='inhalt'"):
        path = tmp_path / "c.csv"
        path.write_text("inhalt;datum\nKrieg;1.1.2024\n", encoding="utf-8")
        next(iter_corpus(path, text_col="text"))


# --- DuckDB ---------------------------------------------------------------------------------

@pytest.fixture
def archive(tmp_path):
    path = tmp_path / "archiv.db"
    frame = pd.DataFrame(ARTICLES, columns=["id", "text", "datum", "zeitung"])  # noqa: F841 (read by SQL)
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE articles AS SELECT * FROM frame")
        con.execute("CREATE TABLE outlets AS SELECT DISTINCT zeitung FROM frame")
    return path


def test_duckdb_table_equals_the_same_rows_from_csv(tmp_path, archive):
    source = f"duckdb:///{archive}?table=articles"
    load = load_corpus(source, **OPTIONS)
    frame = pd.DataFrame(ARTICLES, columns=["id", "text", "datum", "zeitung"])
    reference = load_corpus(frame, **OPTIONS)
    pd.testing.assert_frame_equal(load.corpus, reference.corpus)
    assert load.rejected[["row", "reason"]].values.tolist() == reference.rejected[["row", "reason"]].values.tolist()
    assert load.source == source
    assert_same_load(collect(iter_corpus(source, chunksize=3, **OPTIONS)), load)


def test_duckdb_query_selects_and_orders(archive):
    query = "SELECT * FROM articles WHERE zeitung IN ('taz', 'Die Zeit') ORDER BY id DESC"
    load = load_corpus(f"duckdb:///{archive}", query=query, **OPTIONS)
    assert load.n_input == 6
    assert set(load.corpus["outlet"]) == {"taz", "Die Zeit"}
    assert load.corpus["doc_id"].tolist() == ["k6", "k3", "k2", "k1"]  # second k1 is a duplicate
    chunked = collect(iter_corpus(f"duckdb:///{archive}", query=query, chunksize=2, **OPTIONS))
    assert_same_load(chunked, load)


def test_duckdb_query_over_files_in_memory(tmp_path):
    pd.DataFrame(ARTICLES, columns=["id", "text", "datum", "zeitung"]).to_parquet(tmp_path / "a.parquet")
    query = f"SELECT * FROM read_parquet('{tmp_path / 'a.parquet'}') WHERE zeitung = 'FAZ'"
    load = load_corpus("duckdb:///:memory:", query=query, **OPTIONS)
    assert load.n_input == 2 and load.rejected["reason"].tolist() == ["empty text"]


@pytest.mark.parametrize(("source", "query", "error", "message"), [
    ("duckdb:///{db}?table=artikel", None, CorpusReadError, r"no table 'artikel'.*\['articles', 'outlets'\]"),
    ("duckdb:///{db}", None, CorpusReadError, r"names no table.*\?table=NAME.*\['articles', 'outlets'\]"),
    ("duckdb:///{db}", "SELEC * FROM articles", CorpusReadError, "could not run the query 'SELEC"),
    ("duckdb:///{db}?table=articles", "SELECT 1", ValueError, "pass one of them"),
    ("duckdb:///{db}?tabelle=articles", None, ValueError, r"only '\?table=NAME'"),
    ("duckdb:///{db}.missing?table=articles", None, FileNotFoundError, "no DuckDB database"),
    ("{db}", "SELECT 1", ValueError, "query= applies to DuckDB sources only"),
])
def test_duckdb_errors_say_what_to_do(archive, source, query, error, message):
    with pytest.raises(error, match=message):
        load_corpus(source.format(db=archive), query=query)
    with pytest.raises(error, match=message):
        iter_corpus(source.format(db=archive), query=query)


# --- Parquet datasets -----------------------------------------------------------------------

def test_parquet_dataset_round_trip(tmp_path):
    path = write_messy_csv(tmp_path / "export.csv")
    whole = load_corpus(path, **OPTIONS)
    stored = write_parquet_dataset(path, tmp_path / "ds", chunksize=4, progress=False, **OPTIONS)
    assert [p.name for p in stored.partitions] == [f"part-0000{i}.parquet" for i in range(3)]
    back = pd.concat(stored.iter_partitions(), ignore_index=True)
    assert back["doc_id"].tolist() == whole.corpus["doc_id"].tolist()
    assert back["text"].tolist() == whole.corpus["text"].tolist()
    pd.testing.assert_series_equal(back["published"], whole.corpus["published"])
    assert back["outlet"].astype(str).tolist() == whole.corpus["outlet"].astype(str).tolist()
    pd.testing.assert_frame_equal(stored.summary(), whole.summary())
    reopened = open_parquet_dataset(tmp_path / "ds")
    pd.testing.assert_frame_equal(reopened.summary(), whole.summary())
    assert reopened.rejected["row"].tolist() == whole.rejected["row"].tolist()
    assert ds.dataset(tmp_path / "ds").count_rows() == len(whole.corpus)  # report files are not data


def test_parquet_dataset_unifies_columns_that_differ_between_chunks(tmp_path):
    records = [{"id": "a", "text": "Angriff auf Charkiw.", "seite": 3},
               {"id": "b", "text": "Gespräche in Istanbul.", "seite": None, "ressort": "Politik"},
               {"id": "c", "text": "Getreideabkommen verlängert.", "seite": "A1"}]
    path = tmp_path / "c.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    stored = write_parquet_dataset(path, tmp_path / "ds", chunksize=1, progress=False, id_col="id", lang="de")
    table = ds.dataset(tmp_path / "ds").to_table().to_pandas()
    assert table["doc_id"].tolist() == ["a", "b", "c"]
    assert table["ressort"].tolist()[1] == "Politik" and pd.isna(table["ressort"].iloc[0])
    assert table["seite"].astype(object).where(table["seite"].notna(), None).tolist() == ["3", None, "A1"]
    assert stored.n_kept == 3


def test_parquet_dataset_refuses_to_mix_with_other_files(tmp_path):
    frame = pd.DataFrame({"text": ["Kiew", "Moskau"]})
    write_parquet_dataset(frame, tmp_path / "ds", progress=False)
    with pytest.raises(FileExistsError, match="overwrite=True"):
        write_parquet_dataset(frame, tmp_path / "ds", progress=False)
    stored = write_parquet_dataset(frame.head(1), tmp_path / "ds", overwrite=True, progress=False)
    assert stored.n_kept == 1 and len(list((tmp_path / "ds").glob("part-*"))) == 1
    (tmp_path / "ds" / "notizen.txt").write_text("meins", encoding="utf-8")
    with pytest.raises(FileExistsError, match="notizen.txt"):
        write_parquet_dataset(frame, tmp_path / "ds", overwrite=True, progress=False)
    (tmp_path / "ds" / "_load.json").unlink()  # as after an interruption
    with pytest.raises(FileNotFoundError, match="incomplete"):
        open_parquet_dataset(tmp_path / "ds")


def test_duckdb_open_in_the_same_notebook_can_still_be_read(archive):
    with duckdb.connect(str(archive)) as con:  # the researcher's own read-write connection
        con.execute("INSERT INTO articles VALUES ('k9', 'Neu eingefügt.', '17.01.2025', 'taz')")
        load = load_corpus(f"duckdb:///{archive}?table=articles", **OPTIONS)
    assert load.corpus["doc_id"].iloc[-1] == "k9"


@pytest.mark.parametrize("kind", ["json", "folder", "frame"])
def test_sources_read_whole_are_sliced_alike(tmp_path, kind):
    records = [{"id": i or None, "text": t} for i, t, _, _ in ARTICLES]
    if kind == "json":
        source = tmp_path / "c.json"
        source.write_text(json.dumps({"artikel": records}, ensure_ascii=False), encoding="utf-8")
    elif kind == "folder":
        source = tmp_path / "txt"
        for number, record in enumerate(records):
            (source / f"teil{number % 3}").mkdir(parents=True, exist_ok=True)
            (source / f"teil{number % 3}" / f"{number:02d}.txt").write_text(record["text"], encoding="utf-8")
    else:
        source = pd.DataFrame(records)
    options = {"lang": "de", **({} if kind == "folder" else {"id_col": "id"})}
    whole = load_corpus(source, **options)
    assert_same_load(collect(iter_corpus(source, chunksize=3, **options)), whole)
    assert len(whole.rejected) == (1 if kind == "folder" else 4)


# --- corpus_chunks: the one iterator over loaded or stored corpus frames --------------------

@pytest.fixture()
def stored(tmp_path):
    """A corpus written by write_parquet_dataset: 3 partitions of 4, 4 and 2 documents, plus report files."""
    corpus = datasets.load_gnad10().corpus.head(10)
    return write_parquet_dataset(corpus, tmp_path / "ds", chunksize=4, progress=False, lang="de")


def ids(chunks) -> list[list[str]]:
    return [chunk["doc_id"].tolist() for chunk in chunks]


def test_every_source_gives_the_same_chunks_in_corpus_order(stored):
    corpus = pd.concat(stored.iter_partitions(), ignore_index=True)
    by_file = [chunk.tolist() for chunk in (corpus["doc_id"].iloc[a:b] for a, b in [(0, 4), (4, 8), (8, 10)])]
    assert [p.name for p in parquet_data_files(stored.path)] == [p.name for p in stored.partitions]  # no _ files
    assert ids(corpus_chunks(stored.path)) == by_file  # one chunk per data file
    assert ids(corpus_chunks(stored)) == by_file
    assert ids(corpus_chunks(ds.dataset([str(p) for p in stored.partitions]))) == by_file
    assert ids(corpus_chunks(stored.partitions[1])) == [by_file[1]]
    assert ids(corpus_chunks(corpus, chunk_size=4)) == by_file
    assert ids(corpus_chunks(corpus)) == [corpus["doc_id"].tolist()]
    assert ids(corpus_chunks(stored.path, chunk_size=3)) == [by_file[0][:3], by_file[0][3:], by_file[1][:3],
                                                            by_file[1][3:], by_file[2]]  # never across files
    frames = (corpus.iloc[i:i + 5] for i in (0, 5))
    assert ids(corpus_chunks(frames)) == [corpus["doc_id"].tolist()[:5], corpus["doc_id"].tolist()[5:]]


def test_columns_are_read_alone(stored):
    texts = list(corpus_chunks(stored.path, columns=["doc_id", "text"]))
    assert [list(chunk.columns) for chunk in texts] == [["doc_id", "text"]] * 3
    whole = pd.concat(stored.iter_partitions(), ignore_index=True)
    assert pd.concat(texts, ignore_index=True)["text"].tolist() == whole["text"].tolist()
    with pytest.raises(MissingColumnError, match="no column 'inhalt'"):
        corpus_chunks(stored.path, columns=["doc_id", "inhalt"])


@pytest.mark.parametrize("source, error, message", [
    (lambda tmp: tmp / "nicht-da", FileNotFoundError, "no Parquet file or folder"),
    (lambda tmp: tmp, FileNotFoundError, "no .parquet files"),
    (lambda tmp: 42, TypeError, "Parquet path"),
])
def test_bad_chunk_sources_fail_when_called(tmp_path, source, error, message):
    with pytest.raises(error, match=message):
        corpus_chunks(source(tmp_path))


PARALLEL_EXTRA = [  # what the worker processes prepare: cleaning and the duplicate-text hash
    ("p1", "<p>Kim&nbsp;schickt <b>Truppen</b></p>", "17.01.2025", "taz"),                      # HTML
    ("p2", "KIM SCHICKT  TRUPPEN", "17.01.2025", "FAZ"),                                        # duplicate text of p1
    ("p3", "Pjo\u0308ngjang\u200b meldet Verluste.", "18.01.2025", "taz"),                        # NFD, zero-width
    ("p4", "pjöngjang meldet verluste.", "18.01.2025", "Die Zeit"),                              # duplicate text of p3
    ("p5", "nordkoreanische soldaten kämpfen in kursk.", "19.01.2025", "taz"),                   # duplicate text of k1
]


@pytest.mark.parametrize("chunksize, worker_rows", [(1, 5_000), (3, 5_000), (100, 5_000), (7, 2), (100, 3)])
def test_texts_prepared_in_worker_processes_give_the_same_load(tmp_path, monkeypatch, chunksize, worker_rows):
    monkeypatch.setattr(stream, "WORKER_ROWS", worker_rows)  # a chunk's texts go out in pieces of this many
    path = tmp_path / "export.csv"
    lines = ["id;text;datum;zeitung"] + [";".join('"' + v.replace('"', '""') + '"' for v in row)
                                         for row in ARTICLES + PARALLEL_EXTRA]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8"))
    whole = load_corpus(path, **OPTIONS)
    parallel = collect(iter_corpus(path, chunksize=chunksize, n_jobs=2, **OPTIONS))
    assert_same_load(parallel, whole)
    reasons = whole.rejected.set_index("doc_id")["detail"]
    assert reasons[["p2", "p4", "p5"]].tolist() == ["duplicate text of p1", "duplicate text of p3",
                                                   "duplicate text of k1"]
    assert whole.corpus.set_index("doc_id").at["p3", "text"] == "Pjöngjang meldet Verluste."
    # without an id column the ids come from row positions, counted first
    no_ids = {k: v for k, v in OPTIONS.items() if k != "id_col"}
    assert_same_load(collect(iter_corpus(path, chunksize=chunksize, n_jobs=2, id_col=False, **no_ids)),
                     load_corpus(path, id_col=False, **no_ids))


def test_a_parallel_load_names_a_missing_column_as_a_serial_one_does(tmp_path):
    path = write_messy_csv(tmp_path / "export.csv")
    with pytest.raises(MissingColumnError, match="no column 'inhalt'"):
        list(iter_corpus(path, chunksize=2, n_jobs=2, **{**OPTIONS, "text_col": "inhalt"}))
