"""Files and HTML of one report: sections, tables (CSV + Parquet) and figures (PNG + SVG).

Everything that reaches the page goes through an escaping helper here, so corpus text
(ids, titles, outlet names, contexts) can never become markup.

>>> import tempfile, pandas as pd
>>> writer = ReportWriter(Path(tempfile.mkdtemp()))
>>> html_table = writer.table(pd.DataFrame({"outlet": ["<b>taz</b>"], "share": [0.123456789]}), "demo")
>>> "&lt;b&gt;taz&lt;/b&gt;" in html_table, (writer.out / "tables" / "demo.csv").read_text()
(True, 'outlet,share\\n<b>taz</b>,0.123457\\n')
>>> sorted(writer.files)
['tables/demo.csv', 'tables/demo.parquet']
>>> writer.unique_name("keyness_1", "Süddeutsche Zeitung"), writer.unique_name("keyness_1", "Süddeutsche-Zeitung")
('keyness_1_sueddeutsche_zeitung', 'keyness_1_sueddeutsche_zeitung_2')
"""

from __future__ import annotations

import base64
import html
import math
import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from analysis.report.figure_files import FigureFiles, PendingFigure, write_figure

CSV_MAX_ROWS = 200_000  # larger per-document tables (million-article corpora) are written as Parquet only
FLOAT_FORMAT = "%.6g"  # six significant digits: readable, and immune to last-bit noise of BLAS
_TRANSLITERATION = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "æ": "ae", "ø": "o", "œ": "oe",
                                  "ł": "l", "đ": "d", "þ": "th"})  # of lowercase text; other accents: NFKD
SLUG_LENGTH = 40


def slug(label, *, max_length: int = SLUG_LENGTH) -> str:
    """A label as a file-name part: ä → ae, ö → oe, ü → ue, ß → ss, other accents stripped,
    lowercase, every other run of characters one ``_``; ``"group"`` when nothing is left.

    >>> slug("Süddeutsche Zeitung"), slug("Le Monde diplomatique (Éd. française)"), slug("Łódź"), slug("中文")
    ('sueddeutsche_zeitung', 'le_monde_diplomatique_ed_francaise', 'lodz', 'group')
    """
    text = unicodedata.normalize("NFC", str(label)).lower().translate(_TRANSLITERATION)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^0-9a-z]+", "_", text).strip("_")[:max_length].rstrip("_") or "group"


@dataclass
class Section:
    """One part of the page: an anchor, a title, HTML parts (already escaped) and notes.

    ``notes`` are plain-text remarks (warnings raised while computing, reasons for
    skipping) shown at the end of the section, escaped.
    """

    anchor: str
    title: str
    parts: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, *parts: str) -> Section:
        self.parts.extend(parts)
        return self

    def html(self) -> str:
        notes = "".join(f"<li>{html.escape(n)}</li>" for n in self.notes)
        notes = f"<div class='notes'><strong>Notes</strong><ul>{notes}</ul></div>" if notes else ""
        return (f'<section id="{html.escape(self.anchor)}"><h2>{html.escape(self.title)}</h2>'
                f'{"".join(self.parts)}{notes}</section>')


def p(text: str, *, css: str | None = None) -> str:
    """An escaped paragraph."""
    klass = f" class='{css}'" if css else ""
    return f"<p{klass}>{html.escape(text)}</p>"


def h3(text: str) -> str:
    """An escaped sub-heading."""
    return f"<h3>{html.escape(text)}</h3>"


def bullets(items) -> str:
    """An escaped bullet list."""
    return "<ul>" + "".join(f"<li>{html.escape(str(i))}</li>" for i in items) + "</ul>"


def display_number(value) -> str:
    """A number as a reader wants it in a table cell: 3 significant digits, thousands separated."""
    if isinstance(value, float) and math.isfinite(value):
        if value != 0 and abs(value) < 0.001:
            return f"{value:.2e}"
        return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}" if abs(value) < 100 else f"{value:.1f}"
    return "" if isinstance(value, float) else str(value)


class ReportWriter:
    """Writes a report's tables and figures under ``out`` and returns the HTML showing them.

    ``tables`` (names) and ``files`` (paths relative to ``out``) record what was written
    since the writer was made, so that a stage's output can be cached and restored.
    """

    def __init__(self, out: Path, figure_files: FigureFiles | None = None):
        self.out = Path(out)
        self.figure_files = figure_files  # None: each figure written before figure() returns
        self.pending: list[PendingFigure] = []
        self.tables: list[str] = []
        self.files: list[str] = []
        self._names: set[str] = set()
        for sub in ("figures", "tables"):
            (self.out / sub).mkdir(parents=True, exist_ok=True)

    def unique_name(self, prefix: str, label) -> str:
        """``<prefix>_<slug(label)>`` for a file or HTML id, with ``_2``, ``_3`` … when this writer
        already gave that name to another label (``Zeit!`` and ``Zeit?`` both slug to ``zeit``)."""
        base = f"{prefix}_{slug(label)}"
        name, n = base, 1
        while name in self._names:
            n += 1
            name = f"{base}_{n}"
        self._names.add(name)
        return name

    def output_path(self, relative: str) -> Path:
        """Path for any other file of the report (e.g. ``validation/coding_sheet.xlsx``), recorded as written."""
        path = self.out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        self.files.append(Path(relative).as_posix())
        return path

    def table(self, frame: pd.DataFrame, name: str, *, max_rows: int | None = 30, caption: str | None = None,
              shown: dict | None = None) -> str:
        """Write ``tables/<name>.csv`` and ``.parquet``; return the first ``max_rows`` as an escaped HTML table
        (``max_rows=None``: write only, return ``""``). Tables of more than :data:`CSV_MAX_ROWS`
        rows get only the Parquet file. ``shown``: ``{column: heading}`` of the columns the page shows
        (default: all, under their names)."""
        frame = frame.reset_index(drop=True)
        if len(frame) <= CSV_MAX_ROWS:
            frame.to_csv(self.output_path(f"tables/{name}.csv"), **_CSV_OPTIONS)
        _for_parquet(frame).to_parquet(self.output_path(f"tables/{name}.parquet"), index=False)
        self.tables.append(name)
        if max_rows is None:
            return ""
        view = frame.head(max_rows) if shown is None else frame.head(max_rows)[list(shown)].rename(columns=shown)
        body = view.to_html(index=False, escape=True, border=0, classes="table", na_rep="",
                             float_format=display_number)
        title = f"<p class='caption'>{html.escape(caption)}</p>" if caption else ""
        file = f"tables/{name}.{'csv' if len(frame) <= CSV_MAX_ROWS else 'parquet'}"
        where = f"First {max_rows} of {len(frame):,} rows; all in {file}" if len(frame) > max_rows else file
        return f"{title}<div class='scroll'>{body}</div><p class='note'>{html.escape(where)}</p>"

    def table_in_parts(self, name: str, *, n_rows: int) -> "PartTable":
        """A table too large to hold whole, written part by part: the files :meth:`table` writes for
        the parts stacked (``n_rows``: their total, which decides whether there is a CSV), with one
        part in memory at a time.

        >>> import tempfile
        >>> writer = ReportWriter(Path(tempfile.mkdtemp()))
        >>> with writer.table_in_parts("scores", n_rows=3) as table:
        ...     table.add(pd.DataFrame({"doc_id": ["a", "b"], "score": [0.5, 1 / 3]}))
        ...     table.add(pd.DataFrame({"doc_id": ["c"], "score": [2.0]}))
        >>> (writer.out / "tables" / "scores.csv").read_text(), len(pd.read_parquet(writer.out / "tables" / "scores.parquet"))
        ('doc_id,score\\na,0.5\\nb,0.333333\\nc,2\\n', 3)
        """
        return PartTable(self, name, n_rows)

    def figure(self, fig, name: str, *, alt: str, caption: str | None = None, data: str | None = None) -> str:
        """Write ``figures/<name>.png`` and ``.svg`` (both deterministic) and return the PNG embedded.
        ``fig``: the figure, or a function of no arguments that makes it (then, with ``figure_files``
        in the background, it is made in the process that writes it, not in this one).

        ``data`` names the table behind the figure, for the caption. With ``figure_files`` in the
        background, the files are still being written when this returns: the PNG is embedded by
        :meth:`embed_figures` once :attr:`pending` are done.
        """
        png, svg = self.output_path(f"figures/{name}.png"), self.output_path(f"figures/{name}.svg")
        if self.figure_files is None:
            write_figure(fig, png, svg)
            image = _png_base64(png)
        else:
            self.pending.append(self.figure_files.write(fig, png, svg))
            image = f"{_PENDING}{name}{_PENDING}"
        files = f"figures/{name}.png, .svg" + (f"; data: tables/{data}.csv" if data else "")
        return (f'<figure><img alt="{html.escape(alt)}" src="data:image/png;base64,{image}">'
                f'<figcaption>{html.escape(caption or alt)} <span class="note">({html.escape(files)})</span>'
                f'</figcaption></figure>')

    def embed_figures(self, section: Section) -> Section:
        """``section`` with the PNG of each figure written in the background embedded (after
        waiting for :attr:`pending`)."""
        for pending in self.pending:
            pending.wait()
        self.pending = []
        parts = [_PENDING_FIGURE.sub(lambda m: _png_base64(self.out / "figures" / f"{m[1]}.png"), part)
                 for part in section.parts]
        return replace(section, parts=parts)


class PartTable:
    """The files of one table, written part by part (see :meth:`ReportWriter.table_in_parts`): CSV
    parts appended, Parquet parts as row groups of one file with the first part's schema."""

    def __init__(self, writer: ReportWriter, name: str, n_rows: int):
        self.name, self.expected, self.n_rows = name, n_rows, 0
        self.csv = writer.output_path(f"tables/{name}.csv") if n_rows <= CSV_MAX_ROWS else None
        self.parquet = writer.output_path(f"tables/{name}.parquet")
        self._parquet_writer = None
        writer.tables.append(name)

    def add(self, part: pd.DataFrame) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        part = part.reset_index(drop=True)
        if self.csv is not None:
            part.to_csv(self.csv, mode="a" if self._parquet_writer else "w", header=not self._parquet_writer,
                        **_CSV_OPTIONS)
        schema = self._parquet_writer.schema if self._parquet_writer else None
        table = pa.Table.from_pandas(_for_parquet(part), preserve_index=False, schema=schema)
        if self._parquet_writer is None:
            self._parquet_writer = pq.ParquetWriter(self.parquet, table.schema, compression="snappy")
        self._parquet_writer.write_table(table)
        self.n_rows += len(part)

    def __enter__(self) -> "PartTable":
        return self

    def __exit__(self, error_type, error, traceback) -> None:
        if self._parquet_writer is not None:
            self._parquet_writer.close()
        if error_type is None and (self._parquet_writer is None or self.n_rows != self.expected):
            raise ValueError(f"table {self.name!r} was announced with {self.expected:,} rows and got {self.n_rows:,} "
                             f"in {'no part' if self._parquet_writer is None else 'its parts'}; pass at least one "
                             "part (an empty frame for no rows) and their total as n_rows.")


_CSV_OPTIONS = dict(index=False, float_format=FLOAT_FORMAT, date_format="%Y-%m-%dT%H:%M:%S%z", lineterminator="\n")
_PENDING = "@@figure@@"  # marks where a figure still being written is embedded (never in escaped text: '@@')
_PENDING_FIGURE = re.compile(f"{_PENDING}([0-9a-z_]+){_PENDING}")


def _png_base64(path: Path) -> str:
    return base64.b64encode(path.read_bytes()).decode("ascii")


def _for_parquet(frame: pd.DataFrame) -> pd.DataFrame:
    """Object columns as strings (missing stays missing): Parquet needs one type per column."""
    objects = [c for c in frame.columns if frame[c].dtype == object]
    if not objects:
        return frame
    return frame.assign(**{c: _as_strings(frame[c]) for c in objects})


def _as_strings(column: pd.Series) -> pd.Series:
    if pd.api.types.infer_dtype(column, skipna=True) in ("string", "empty"):
        return column.astype("string")  # fast path for the usual all-text column
    return column.map(lambda v: v if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v))
                      else str(v)).astype("string")
