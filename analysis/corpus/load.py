"""Load any news corpus into the corpus frame, accounting for every input row.

The corpus frame (one row per document) has the columns
``doc_id`` (unique str), ``text`` (str, NFC, cleaned), ``outlet`` (category),
``published`` (``datetime64[ns, UTC]``), ``lang`` (``"de"``/``"en"``/NA), then ``title``
and any other input columns.

Rejected rows (missing or empty text, missing or duplicate id, a text that repeats an earlier
one, ragged CSV rows, malformed JSON lines) are listed in ``CorpusLoad.rejected``
(the checks: :mod:`analysis.corpus.row_checks`). Unparseable dates are
*kept* with ``NaT`` and listed in ``CorpusLoad.problems`` — a document is worth more
than its date.

>>> import pandas as pd
>>> load = load_corpus(pd.DataFrame({"id": [1, 1, 2, 3], "inhalt": ["Krieg in der Ukraine.", "Doppelt", "  ",
...                                                              "Krieg in der  Ukraine."]}),
...                    text_col="inhalt", id_col="id", lang="de")
>>> load.corpus[["doc_id", "text"]].to_dict("records")
[{'doc_id': '1', 'text': 'Krieg in der Ukraine.'}]
>>> load.rejected[["row", "reason", "detail"]].to_dict("records")
[{'row': 1, 'reason': 'duplicate doc_id', 'detail': 'first at row 0'}, {'row': 2, 'reason': 'empty text', 'detail': 'whitespace only'}, {'row': 3, 'reason': 'duplicate text', 'detail': 'duplicate text of 1'}]
"""

from __future__ import annotations

import html
import warnings
from dataclasses import dataclass, field

import pandas as pd

from analysis.corpus.columns import ColumnMap, choose_columns
from analysis.corpus.dates import dates_out_of_range, parse_dates, warn_if_ambiguous
from analysis.errors import MissingColumnError, RejectedRowsWarning
from analysis.corpus.readers import RawTable, read_source
from analysis.corpus.row_checks import (REJECTED_COLUMNS, PreparedTexts, doc_ids, duplicate_text_reasons, id_reasons,
                                        id_string, non_string_type, prepared_texts, reject, rejected_frame,
                                        text_problems, text_reasons)
from analysis.corpus.seen import SeenIds
from analysis.text.language import detect_language

STANDARD_COLUMNS = ("doc_id", "text", "outlet", "published", "lang")  # REJECTED_COLUMNS: from row_checks
PROBLEM_COLUMNS = ("row", "doc_id", "column", "value", "problem")


@dataclass
class CorpusLoad:
    """What ``load_corpus`` made of a source: the corpus and every row it did not keep."""

    corpus: pd.DataFrame
    rejected: pd.DataFrame
    problems: pd.DataFrame
    source: str
    n_input: int
    columns: dict = field(default_factory=dict)
    why: list = field(default_factory=list)
    events: dict = field(default_factory=dict)  # {date: label} the corpus is about; only bundled datasets carry some

    def summary(self) -> pd.DataFrame:
        """One row per outcome: ``outcome`` (kept/rejected/kept with problem), ``reason``, ``n``."""
        return load_summary(len(self.corpus), self.rejected, self.problems)

    def __str__(self) -> str:
        reasons = ", ".join(f"{n} {r}" for r, n in self.rejected["reason"].value_counts().items())
        line = f"{self.source}: {self.n_input} input rows, {len(self.corpus)} kept, {len(self.rejected)} rejected"
        line += f" ({reasons})" if reasons else ""
        if len(self.problems):
            line += f"; {len(self.problems)} kept with problems (see .problems)"
        return line

    def columns_used(self) -> pd.DataFrame:
        """One row per corpus role: ``role``, ``column`` (``""`` when none), ``why`` (given, or how it was guessed)."""
        return pd.DataFrame(self.why, columns=["role", "column", "why"])

    def _repr_html_(self) -> str:
        return (f"<p>{html.escape(str(self))}</p>" + self.summary().to_html(index=False)
                + self.columns_used().to_html(index=False))


def load_summary(n_kept: int, rejected: pd.DataFrame, problems: pd.DataFrame) -> pd.DataFrame:
    """One row per outcome: ``outcome`` (kept/rejected/kept with problem), ``reason``, ``n``."""
    rows = [{"outcome": "kept", "reason": "", "n": int(n_kept)}]
    for reason, n in rejected["reason"].value_counts(sort=False).items():
        rows.append({"outcome": "rejected", "reason": reason, "n": int(n)})
    for problem, n in problems["problem"].value_counts(sort=False).items():
        rows.append({"outcome": "kept with problem", "reason": problem, "n": int(n)})
    return pd.DataFrame(rows, columns=["outcome", "reason", "n"])


@dataclass(frozen=True)
class LoadOptions:
    """Everything :func:`load_corpus` needs besides the source, in one value that callers
    build once and pass along (the report, the streaming reader).

    ``columns``: a :class:`~analysis.corpus.columns.ColumnMap`; ``lang``, ``html_markup``,
    ``csv_options``, ``query`` and ``duplicate_texts`` as for :func:`load_corpus`.

    >>> options = LoadOptions.from_keywords(text_col="inhalt", lang="de")
    >>> options.columns.text, options.reader_keywords()
    ('inhalt', {'csv_options': None, 'query': None})
    """

    columns: ColumnMap = field(default_factory=ColumnMap)
    lang: str | None = None
    html_markup: str = "auto"
    csv_options: dict | None = None
    query: str | None = None
    duplicate_texts: str = "reject"

    @classmethod
    def from_keywords(cls, *, text_col=None, id_col=None, date_col=None, outlet_col=None, lang=None,
                      title_col=None, html_markup="auto", csv_options=None, query=None,
                      duplicate_texts="reject") -> LoadOptions:
        """The options of a :func:`load_corpus` call given by its keywords (same names, same defaults)."""
        return cls(ColumnMap(text_col, id_col, date_col, outlet_col, title_col), lang, html_markup, csv_options, query,
                   duplicate_texts)

    def reader_keywords(self) -> dict:
        """The keywords of :func:`~analysis.corpus.readers.iter_source`: ``csv_options`` and ``query``."""
        return {"csv_options": self.csv_options, "query": self.query}

    def as_keywords(self) -> dict:
        """All options as :func:`load_corpus` keywords (for ``iter_corpus``/``write_parquet_dataset``)."""
        return {**self.columns.as_keywords(), "lang": self.lang, "html_markup": self.html_markup,
                "csv_options": self.csv_options, "query": self.query, "duplicate_texts": self.duplicate_texts}

    def builder(self) -> CorpusBuilder:
        """A :class:`CorpusBuilder` with these options, for raw chunks already read."""
        return CorpusBuilder(**self.columns.as_keywords(), lang=self.lang, html_markup=self.html_markup,
                             duplicate_texts=self.duplicate_texts)


def load_corpus(source, *, text_col=None, id_col=None, date_col=None, outlet_col=None,
                lang=None, title_col=None, html_markup="auto", csv_options=None, query=None,
                duplicate_texts="reject") -> CorpusLoad:
    """Read ``source`` into the corpus frame and report what happened to every input row.

    ``source``: CSV/TSV (delimiter and encoding detected), JSON, JSON Lines, Parquet, a
    ``.txt`` file, a folder of ``.txt`` files, a DataFrame, or a DuckDB table or query
    (``"duckdb:///path/to.db?table=articles"``, or ``"duckdb:///path/to.db"`` with
    ``query="SELECT … FROM articles WHERE …"``; see :mod:`analysis.corpus.duckdb_source`).
    Column arguments name input columns; a column not named is guessed from the names and
    the first rows (:func:`~analysis.corpus.columns.choose_columns`: ``Inhalt``,
    ``Veröffentlicht am``, ``Artikel-ID``, ``Quelle`` …), and ``False`` says the input has
    none. ``result.columns`` maps each role to the column used, ``result.columns_used()``
    says why. Without an id column, ids are generated from row positions. ``lang`` is a code for all documents (``"de"``), or ``None`` to keep a
    ``lang`` column or detect German/English per document. ``html_markup``:
    ``"auto"``/``"strip"``/``"keep"``. ``csv_options`` go to the CSV reader (``delimiter``,
    ``quotechar``, ``header``, ``encoding``). For corpora larger than memory read the same
    source chunk by chunk with :func:`analysis.corpus.stream.iter_corpus`.
    ``duplicate_texts``: ``"reject"`` (default) rejects a text equal to an earlier kept one
    (compared with case and runs of whitespace folded) as ``duplicate text`` naming the first
    one's id, with or without an id column; ``"keep"`` keeps them (sentence-level data sets where
    one sentence carries several targets). Near-duplicates (agency copies): :func:`~analysis.corpus.dedupe.dedupe`.

    Always ``len(result.corpus) + len(result.rejected) == result.n_input``.
    """
    options = LoadOptions(ColumnMap(text_col, id_col, date_col, outlet_col, title_col), lang=lang,
                          html_markup=html_markup, csv_options=csv_options, query=query,
                          duplicate_texts=duplicate_texts)
    return options.builder().build(read_source(source, **options.reader_keywords()))


class CorpusBuilder:
    """Turn the raw chunks of one input, in order, into :class:`CorpusLoad` chunks.

    State carried from chunk to chunk: the column mapping (resolved on the first chunk
    that has columns; a column missing from a later chunk is read as empty), the ids seen
    so far and the texts kept so far (each a :class:`SeenIds`), and the width of generated ids,
    which needs the input's row count: ``count_input`` is called for it once, only when ids are
    generated.
    """

    def __init__(self, *, text_col=None, id_col=None, date_col=None, outlet_col=None,
                 lang=None, title_col=None, html_markup="auto", duplicate_texts="reject"):
        if duplicate_texts not in ("reject", "keep"):
            raise ValueError(f"duplicate_texts must be 'reject' or 'keep', not {duplicate_texts!r}.")
        self.given = {"text_col": text_col, "id_col": id_col, "date_col": date_col,
                      "outlet_col": outlet_col, "title_col": title_col}
        self.lang = lang
        self.html_markup = html_markup
        self.roles: dict | None = None
        self.why: list = []
        self.seen = SeenIds()
        self.seen_texts = SeenIds() if duplicate_texts == "reject" else None
        self._id_width: int | None = None

    def texts(self, raw: RawTable) -> pd.Series:
        """The raw text column of ``raw`` (the columns' roles are resolved on the first chunk)."""
        return self._texts(self._records(raw))

    def preparing(self) -> dict:
        """The options of :func:`~analysis.corpus.row_checks.prepared_texts` for this load: the per-row
        part of :meth:`build`, which worker processes can do on the :meth:`texts` of a chunk."""
        return {"html_markup": self.html_markup, "hash_keys": self.seen_texts is not None}

    def _texts(self, records: pd.DataFrame) -> pd.Series:
        return records[self.roles["text"]] if len(records) else pd.Series(index=records.index, dtype=object)

    def _records(self, raw: RawTable) -> pd.DataFrame:
        """``raw``'s records with a column for each role (missing ones empty); roles resolved on first use."""
        records = raw.records
        if self.roles is None and (len(records.columns) or len(records)):
            self.roles, self.why = _resolve_columns(records, **self.given)
        missing = [c for c in (self.roles or {}).values() if c is not None and c not in records.columns]
        return records.reindex(columns=[*records.columns, *missing]) if missing else records

    def build(self, raw: RawTable, *, count_input=None, prepared: PreparedTexts | None = None) -> CorpusLoad:
        """The corpus chunk of ``raw``; ``count_input()`` gives the whole input's row count.
        ``prepared``: :func:`~analysis.corpus.row_checks.prepared_texts` of ``raw``'s :meth:`texts`, when a
        worker process made it."""
        records = self._records(raw)
        roles = self.roles or {"text": None}
        if roles.get("id") is None and self._id_width is None and len(records):
            n_total = count_input() if count_input is not None else raw.n_input
            self._id_width = len(str(max(n_total - 1, 0)))
        frame = pd.DataFrame(index=records.index)
        frame["doc_id"] = doc_ids(records, roles.get("id"), self._id_width or 1)
        texts = self._texts(records)
        converted = (pd.Series(None, index=texts.index, dtype=object) if isinstance(texts.dtype, pd.StringDtype)
                     else texts.map(non_string_type))  # a string column holds nothing to convert
        prepared = prepared or prepared_texts(texts, **self.preparing())
        frame["text"] = prepared.cleaned
        frame, text_rejects = reject(frame, text_reasons(records, roles["text"], frame["text"]))
        frame, id_rejects = reject(frame, id_reasons(frame["doc_id"], self.seen))
        if self.seen_texts is not None:
            frame, dup_rejects = reject(frame, duplicate_text_reasons(frame, self.seen_texts, prepared.hashes))
            id_rejects += dup_rejects
        read_rejects = [dict(r, doc_id=id_string(r.get("values", {}).get(roles.get("id")))) for r in raw.rejected]
        corpus, problems = _metadata(frame, records, roles, self.lang)
        problems = text_problems(frame, converted, roles["text"], problems)
        rejected = rejected_frame(read_rejects + text_rejects + id_rejects, raw, texts)
        used = {role: col for role, col in roles.items() if col is not None}
        return CorpusLoad(corpus, rejected, problems, raw.source, raw.n_input, used, self.why)


def read_corpus(source, **kwargs) -> pd.DataFrame:
    """Like :func:`load_corpus` but return just the corpus; warn once if rows were rejected."""
    load = load_corpus(source, **kwargs)
    if len(load.rejected):
        warnings.warn(f"{load}. Use load_corpus(...).rejected to see them.",
                      RejectedRowsWarning, stacklevel=2)
    return load.corpus


def _resolve_columns(records: pd.DataFrame, **given) -> tuple[dict, list]:
    """Map corpus roles to input columns (given ones must exist, the others are guessed) and say why."""
    columns = list(records.columns)
    named = {}
    for arg, column in given.items():
        role = arg.removesuffix("_col")
        if column is None or column is False:
            named[role] = column
            continue
        match = _find_column(columns, column)
        if match is None:
            guess = getattr(choose_columns(records)[0], role)
            raise MissingColumnError(f"corpus has no column {column!r}; columns are {columns}."
                                     + (f" Pass {role}_col={guess!r}." if guess is not None else ""))
        named[role] = match
    mapping, why = choose_columns(records, named)
    if mapping.text is None and len(records):
        raise MissingColumnError(f"found no text column: no column is named like a text (text, inhalt, body …) "
                                 f"and none holds strings; columns are {columns}. Pass text_col=… to name it.")
    return {role: getattr(mapping, role) for role in ("text", "id", "date", "outlet", "title")}, why


def _find_column(columns: list, name):
    if name in columns:
        return name
    lowered = [c for c in columns if isinstance(c, str) and isinstance(name, str) and c.lower() == name.lower()]
    return lowered[0] if len(lowered) == 1 else None


def _metadata(frame: pd.DataFrame, records: pd.DataFrame, roles: dict, lang) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Add outlet, published, lang, title and the remaining input columns to kept rows."""
    kept = records.loc[frame.index]
    problems = []
    out = frame.copy()
    outlet_col = roles.get("outlet")
    out["outlet"] = (kept[outlet_col].map(lambda v: None if pd.isna(v) else str(v).strip() or None)
                     if outlet_col else None)
    out["outlet"] = out["outlet"].astype("category")
    date_col = roles.get("date")
    if date_col:
        out["published"] = parse_dates(kept[date_col])
        warn_if_ambiguous(kept[date_col], date_col)
        bad = out["published"].isna() & kept[date_col].notna() & (kept[date_col].astype(str).str.strip() != "")
        outside = dates_out_of_range(kept.loc[bad, date_col]) if bad.any() else pd.Series(dtype=bool)
        problems += [{"row": r, "doc_id": out.at[r, "doc_id"], "column": date_col, "value": str(kept.at[r, date_col]),
                      "problem": "date out of range" if outside.get(r, False) else "unparseable date"}
                     for r in out.index[bad]]
    else:
        out["published"] = pd.Series(pd.NaT, index=out.index, dtype="datetime64[ns, UTC]")
    out["lang"] = _languages(out["text"], kept, lang)
    title_col = roles.get("title")
    if title_col:
        out["title"] = kept[title_col]
    consumed = {c for c in roles.values() if c is not None}
    extra = [c for c in kept.columns if c not in consumed and c not in out.columns]
    out = pd.concat([out, kept[extra]], axis=1)
    out.columns = [str(c) for c in out.columns]
    problems_frame = pd.DataFrame(problems, columns=list(PROBLEM_COLUMNS))
    return out.reset_index(drop=True), problems_frame


def _languages(texts: pd.Series, kept: pd.DataFrame, lang) -> pd.Series:
    if lang is not None:
        return pd.Series(lang, index=texts.index, dtype=object)
    if "lang" in kept.columns:
        return kept["lang"].map(lambda v: None if pd.isna(v) else str(v).strip().lower()[:2] or None)
    return texts.map(detect_language).astype(object)
