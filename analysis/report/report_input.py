"""The report's input: ``load_for_report`` loads the bundled conflict corpus or the researcher's
own file (columns given, else guessed from common names, and the reason recorded) and returns a
:class:`ReportInput`; ``grouping`` and ``merge_small_groups`` choose the column the report compares by.

The input is read once on its way in: the columns are guessed from the header of the
same read that loads the rows, and the input is hashed once (:attr:`ReportInput.key` for
the stage cache; the content hash is passed on to the run manifest).

>>> mapping, why = resolve_columns(["Inhalt", "Datum", "Quelle"], {"id": None})
>>> mapping.text, why[0]
('Inhalt', ('text', 'Inhalt', 'guessed from the column name'))
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property

import pandas as pd

from analysis.compare.groups import OTHER, largest_groups
from analysis.corpus import datasets
from analysis.corpus.columns import ColumnMap, choose_columns
from analysis.corpus.load import CorpusLoad, LoadOptions
from analysis.corpus.readers import read_source, source_sample
from analysis.corpus.stream import ParquetCorpus
from analysis.errors import MissingColumnError
from analysis.report.console import cli_wording
from analysis.report.corpus_access import content_sha256, dataset_key, input_key, is_large, load_large, metadata
from analysis.reproducibility.hashing import frame_sha256, params_sha256

NO_GROUP = "group"  # grouping column added when the corpus has nothing to group by
MAX_GROUPS = 10  # groups compared: one per colour of analysis.plotting's palette, legends fit one row


def resolve_columns(columns, given: dict | None) -> tuple[ColumnMap, list[tuple[str, str, str]]]:
    """Column for each corpus role among the input's ``columns`` (names, or a frame of its first
    rows): given by the user, else guessed (:func:`~analysis.corpus.columns.choose_columns`).
    Returns the :class:`~analysis.corpus.columns.ColumnMap` and one ``(role, column, why)`` row per role.
    """
    mapping, why = choose_columns(columns, given)
    why = [(role, column, f"given (--{role}-col)" if reason == "given" else cli_wording(reason))
           for role, column, reason in why]
    if mapping.text is None:
        mapping = replace(mapping, text="text")  # load_corpus then names the existing columns in its error
    return mapping, why


@dataclass
class ReportInput:
    """The report's input, read and hashed once.

    ``load``: the corpus load (or, for a large input, its Parquet copy); ``why``: one
    ``(role, column, why)`` row per corpus role; ``key``: SHA-256 of the input's content and
    load options (the stage cache's input hash); ``source_sha256``/``corpus_sha256``: the
    source's and the corpus frame's hashes when already computed, for the run manifest.
    """

    load: CorpusLoad | ParquetCorpus
    why: list[tuple[str, str, str]]
    key: str
    source_sha256: str | None = None
    corpus_sha256: str | None = None

    @cached_property
    def corpus(self) -> pd.DataFrame:
        """The corpus frame the report keeps in memory: all of it, or the metadata of a large one."""
        return corpus_of(self.load)

    @property
    def dataset(self) -> ParquetCorpus | None:
        return self.load if isinstance(self.load, ParquetCorpus) else None


def load_for_report(source, columns: dict | None, lang, *, large: bool | None = None, folder=None,
                    n_jobs: int = 1) -> ReportInput:
    """Load the bundled conflict corpus (``source=None``) or the user's source, reading it once.

    A large source (``large=None``: :func:`~analysis.report.corpus_access.is_large`) is
    streamed into a Parquet dataset in ``folder`` and loaded as a :class:`ParquetCorpus`, its texts
    cleaned in ``n_jobs`` processes.
    """
    if source is None:
        return _bundled(lang)
    if large or (large is None and is_large(source)):
        # TODO(corpus_chunks): guess from the first chunk of the load pass once the stream takes raw chunks
        mapping, why = resolve_columns(source_sample(source), columns)
        content = content_sha256(source)
        stored = load_large(source, LoadOptions(mapping, lang=lang), folder, content=content, n_jobs=n_jobs)
        return ReportInput(stored, why, dataset_key(stored), source_sha256=_for_manifest(source, content))
    raw = read_source(source)  # the one read: columns guessed from its header, rows built from it
    mapping, why = resolve_columns(raw.records, columns)
    options = LoadOptions(mapping, lang=lang)
    load = options.builder().build(raw)
    content = content_sha256(source)
    return ReportInput(load, why, input_key(source, options, content=content),
                       source_sha256=_for_manifest(source, content))


def _for_manifest(source, content: str) -> str | None:
    """The source hash the run manifest records: a file's, folder's or database's (a frame is snapshot there)."""
    return None if isinstance(source, pd.DataFrame) or content == str(source) else content


def _bundled(lang) -> ReportInput:
    load = datasets.load_conflict_corpus()
    if lang is not None:
        load.corpus["lang"] = lang
    bundled = "bundled conflict corpus"
    why = [("text", "body", bundled), ("id", "link", bundled), ("date", "date", bundled),
           ("outlet", "(file)", "Kremlin vs President of Ukraine"), ("title", "headline", bundled)]
    corpus_sha = frame_sha256(load.corpus)
    key = params_sha256({"corpus": corpus_sha, "rejected": frame_sha256(load.rejected),
                         "problems": frame_sha256(load.problems), "load": str(load)})
    return ReportInput(load, why, key, corpus_sha256=corpus_sha)


def corpus_of(load: CorpusLoad | ParquetCorpus) -> pd.DataFrame:
    """The corpus frame a report keeps in memory: all of it, or the metadata of a large one."""
    return metadata(load) if isinstance(load, ParquetCorpus) else load.corpus


def grouping(corpus: pd.DataFrame, by: str | None, roles=()) -> tuple[pd.DataFrame, str, str | None]:
    """The corpus with a clean grouping column (missing values -> ``"(none)"``), its name and a note.

    Without ``by`` (or when the default ``outlet`` is absent or empty) every document is
    in one group ``"all"`` of a column named ``group``. ``roles``: the ``(role, column, why)``
    rows of the load (:attr:`ReportInput.why`), so that ``by`` may name the input's own column
    that became a standard one (``--by Site`` when the column "Site" was read as the outlet).

    >>> corpus = pd.DataFrame({"outlet": ["polusa", None]})
    >>> grouped, by, note = grouping(corpus, "Site", [("outlet", "Site", "guessed from the column name")])
    >>> grouped["outlet"].tolist(), by, note
    (['polusa', '(none)'], 'outlet', "The input column 'Site' is the corpus's 'outlet' column.")
    """
    standard = {column: ROLE_COLUMNS[role] for role, column, _ in roles if column and role in ROLE_COLUMNS}
    renamed = None
    if by is not None and by not in corpus.columns and standard.get(by) in corpus.columns:
        by, renamed = standard[by], f"The input column {by!r} is the corpus's {standard[by]!r} column."
    if by is not None and by not in corpus.columns and by != "outlet":
        raise MissingColumnError(f"corpus has no column {by!r} to group by; columns are {list(corpus.columns)}. "
                                 "Pass one of them to --by, or leave --by out.")
    if by is None or by not in corpus.columns or corpus[by].isna().all():
        note = None if by is None else f"The corpus has no {by!r} values, so all documents form one group."
        return corpus.assign(**{NO_GROUP: "all"}), NO_GROUP, note
    labels = corpus[by].astype(object).where(corpus[by].notna(), "(none)").astype(str)
    return corpus.assign(**{by: labels}), by, renamed


ROLE_COLUMNS = {"id": "doc_id", "date": "published", "outlet": "outlet", "title": "title"}  # role -> corpus column


def merge_small_groups(corpus: pd.DataFrame, by: str) -> tuple[pd.DataFrame, pd.DataFrame | None, str | None]:
    """The corpus with at most :data:`MAX_GROUPS` groups in ``by``: beyond that, the largest
    ``MAX_GROUPS - 1`` stay and the others become ``"(other)"``
    (:func:`~analysis.compare.groups.largest_groups`), so figures and coding-sheet strata stay
    readable. Also returns one row per original value (``value``, ``n_docs``, ``group``) and a
    note for the page; both None when nothing was merged.

    >>> corpus = pd.DataFrame({"ort": [f"Ort {i % 12}" for i in range(30)]})
    >>> merged, groups, note = merge_small_groups(corpus, "ort")
    >>> merged["ort"].nunique(), len(groups), note.split(":")[0]
    (10, 12, "'ort' has 12 values")
    """
    values = corpus[by]
    n_values = values.nunique()
    if n_values <= MAX_GROUPS:
        return corpus, None, None
    merged = largest_groups(values, keep=MAX_GROUPS)
    groups = (pd.DataFrame({"value": values, "group": merged}).groupby(["value", "group"], sort=False).size()
              .rename("n_docs").reset_index()[["value", "n_docs", "group"]]
              .sort_values(["n_docs", "value"], ascending=[False, True], kind="stable").reset_index(drop=True))
    n_other = int((merged == OTHER).sum())
    note = (f"'{by}' has {n_values} values: figures, tables and the coding sheet's strata compare the "
            f"{MAX_GROUPS - 1} largest, and the other {n_values - MAX_GROUPS + 1} ({n_other:,} documents) form "
            f"one group {OTHER!r}. tables/groups.csv lists every value with its documents and its group here; "
            "the per-document tables (doc_topics, sentiment_documents, frame_scores) have doc_id for any other "
            "grouping.")
    return corpus.assign(**{by: merged}), groups, note


def in_order(frame: pd.DataFrame, column: str, order: list) -> pd.DataFrame:
    """Rows sorted by the position of ``column``'s value in ``order`` (stable; others last)."""
    rank = {value: i for i, value in enumerate(order)}
    return frame.sort_values(column, key=lambda s: s.map(rank).fillna(len(rank)), kind="stable").reset_index(drop=True)
