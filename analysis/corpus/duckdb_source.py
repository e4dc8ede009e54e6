"""Read a corpus from a DuckDB database, the embedded store for corpora larger than memory.

A source is a URL in SQLAlchemy's convention (three slashes, then the path):

- ``duckdb:///data/archive.db?table=articles`` — a whole table (relative path);
- ``duckdb:////srv/archive.db?table=articles`` — the same with an absolute path;
- ``duckdb:///data/archive.db`` with ``query="SELECT … FROM articles WHERE …"`` — the
  rows of a query (``load_corpus(url, query=...)``, ``iter_corpus(url, query=...)``);
- ``duckdb:///:memory:`` with a query over files, e.g.
  ``query="SELECT * FROM read_parquet('exports/*.parquet') WHERE outlet = 'taz'"``.

The database is opened read-only (or through the settings of a connection this process
already holds, e.g. in the same notebook) and rows arrive as Arrow record batches, so a query's
result is never held in memory whole. Rows are numbered in the order DuckDB returns them
(a table's insertion order; add ``ORDER BY`` to a query for a stable order).

>>> import duckdb, tempfile, pathlib
>>> db = pathlib.Path(tempfile.mkdtemp()) / "archiv.db"
>>> with duckdb.connect(str(db)) as con:
...     _ = con.execute("CREATE TABLE articles AS SELECT 'a1' AS id, 'Krieg in der Ukraine' AS text")
>>> count_duckdb(f"duckdb:///{db}?table=articles")
1
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs

from analysis.errors import CorpusReadError, import_extra

DUCKDB_PREFIX = "duckdb:///"
_BATCH = 131_072  # rows per Arrow batch when the caller wants everything at once


def parse_duckdb_url(source: str) -> tuple[str, str | None]:
    """``duckdb:///path.db?table=t`` -> ``("path.db", "t")``; the table is ``None`` when not given."""
    if not source.startswith(DUCKDB_PREFIX):
        raise ValueError(f"a DuckDB source starts with '{DUCKDB_PREFIX}', not {source!r}.")
    database, _, options = source[len(DUCKDB_PREFIX):].partition("?")
    params = parse_qs(options, keep_blank_values=True)
    unknown = set(params) - {"table"}
    if unknown:
        raise ValueError(f"unknown option(s) {sorted(unknown)} in {source!r}; only '?table=NAME' is understood.")
    table = params.get("table", [None])[0]
    return database or ":memory:", table or None


def open_duckdb(source: str, *, query: str | None = None, batch_size: int | None = None):
    """Run the table scan or query now (errors raise here) and return
    ``(record_batches, schema, label)``; the batches close the database when exhausted."""
    duckdb = _duckdb()

    con, sql, label = _connect(source, query)
    try:
        reader = con.sql(sql).to_arrow_reader(batch_size or _BATCH)
    except duckdb.Error as err:
        message = _explain(con, source, query, err)
        con.close()
        raise CorpusReadError(message) from err
    return _batches(con, reader), reader.schema, label


def count_duckdb(source: str, *, query: str | None = None) -> int:
    """Number of rows of the table or query."""
    duckdb = _duckdb()

    con, sql, _ = _connect(source, query)
    try:
        return con.execute(f"SELECT count(*) FROM ({sql})").fetchall()[0][0]
    except duckdb.Error as err:
        raise CorpusReadError(_explain(con, source, query, err)) from err
    finally:
        con.close()


def _connect(source: str, query: str | None):
    database, table = parse_duckdb_url(source)
    if table is not None and query is not None:
        raise ValueError(f"{source!r} names a table and query= was given too; pass one of them.")
    if database != ":memory:" and not Path(database).expanduser().is_file():
        raise FileNotFoundError(f"no DuckDB database at '{Path(database).expanduser()}' (from {source!r}). "
                                f"Relative paths follow '{DUCKDB_PREFIX}', absolute ones '{DUCKDB_PREFIX}/'.")
    path = database if database == ":memory:" else str(Path(database).expanduser())
    con = _open(path, source)
    if table is None and query is None:
        tables = _tables(con)
        con.close()
        raise CorpusReadError(f"{source!r} names no table: use '{source}?table=NAME' or pass "
                              f"query='SELECT …'. Tables in the database: {tables}.")
    if query is not None:
        return con, query, f"{source} query: {' '.join(query.split())}"
    quoted = ".".join('"' + part.replace('"', '""') + '"' for part in table.split("."))
    return con, f"SELECT * FROM {quoted}", source


def _open(path: str, source: str):
    """Read-only; through the session's own connection's settings if the notebook has one open."""
    duckdb = _duckdb()

    if path == ":memory:":
        return duckdb.connect(path)
    try:
        return duckdb.connect(path, read_only=True)
    except duckdb.ConnectionException:  # this process has it open read-write: share that instance
        return duckdb.connect(path)
    except duckdb.IOException as err:
        raise CorpusReadError(f"cannot open {source!r}: {str(err).splitlines()[0]} Another program may hold "
                              "it open for writing; close it there, or read a copy of the file.") from err


def _batches(con, reader) -> Iterator:
    try:
        yield from reader
    finally:
        con.close()


def _tables(con) -> list[str]:
    rows = con.execute("SELECT table_schema, table_name FROM information_schema.tables "
                       "ORDER BY table_schema, table_name").fetchall()
    return [name if schema == "main" else f"{schema}.{name}" for schema, name in rows]


def _explain(con, source: str, query: str | None, err) -> str:
    duckdb = _duckdb()

    if isinstance(err, duckdb.CatalogException) and query is None:
        _, table = parse_duckdb_url(source)
        return f"no table {table!r} in {source!r}; tables in the database: {_tables(con)}."
    what = f"query {query!r}" if query is not None else f"reading {source!r}"
    return f"DuckDB could not run the {what}: {str(err).splitlines()[0]}"


def _duckdb():
    return import_extra("duckdb", "duckdb", "Reading a DuckDB database")
