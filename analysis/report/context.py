"""What every report stage reads: the loaded corpus, the parameters, shared helpers.

``load_for_report`` loads the bundled conflict corpus or the researcher's own file
(columns given, else guessed from common names, and the reason recorded);
``ReportContext`` carries the corpus, the run's parameters and the tables of the
stages finished so far.

>>> import pandas as pd
>>> raw = pd.DataFrame({"Inhalt": ["Krieg in der Ukraine."], "Datum": ["24.02.2022"], "Quelle": ["taz"]})
>>> mapping, why = resolve_columns(raw, {"id": None})
>>> mapping["text"], why[0]
('Inhalt', ('text', 'Inhalt', 'guessed from the column name'))
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

from analysis import datasets
from analysis.columns import guess_columns
from analysis.corpus import CorpusLoad, load_corpus
from analysis.describe import corpus_language
from analysis.errors import MissingColumnError
from analysis.readers import read_source
from analysis.report.writer import ReportWriter
from analysis.text.preprocessor import Preprocessor

ROLES = ("text", "id", "date", "outlet", "title")
NO_GROUP = "group"  # grouping column added when the corpus has nothing to group by
PHASES = ("before", "after")


def resolve_columns(source, given: dict | None) -> tuple[dict, list[tuple[str, str, str]]]:
    """Column for each corpus role: given by the user, else guessed from common names.

    Returns the mapping for :func:`~analysis.corpus.load_corpus` and one ``(role,
    column, why)`` row per role.
    """
    given = {k: v for k, v in (given or {}).items() if v is not None}
    guessed = guess_columns(list(read_source(source).records.columns))
    mapping, why = {}, []
    for role in ROLES:
        if role in given:
            mapping[role], reason = given[role], f"given (--{role}-col)"
        elif role in guessed:
            mapping[role], reason = guessed[role], "guessed from the column name"
        else:
            reason = "no such column found" + ("; ids generated from row numbers" if role == "id" else "")
            mapping[role] = None
        why.append((role, "" if mapping[role] is None else str(mapping[role]), reason))
    return mapping, why


def load_for_report(source, columns: dict | None, lang) -> tuple[CorpusLoad, list[tuple[str, str, str]]]:
    """Load the bundled conflict corpus (``source=None``) or the user's source."""
    if source is None:
        load = datasets.load_conflict_corpus()
        if lang is not None:
            load.corpus["lang"] = lang
        bundled = "bundled conflict corpus"
        why = [("text", "body", bundled), ("id", "link", bundled), ("date", "date", bundled),
               ("outlet", "(file)", "Kremlin vs President of Ukraine"), ("title", "headline", bundled)]
        return load, why
    mapping, why = resolve_columns(source, columns)
    if mapping["text"] is None:
        mapping["text"] = "text"  # load_corpus then names the existing columns in its error
    load = load_corpus(source, text_col=mapping["text"], id_col=mapping["id"], date_col=mapping["date"],
                       outlet_col=mapping["outlet"], title_col=mapping["title"], lang=lang)
    return load, why


def grouping(corpus: pd.DataFrame, by: str | None) -> tuple[pd.DataFrame, str, str | None]:
    """The corpus with a clean grouping column (missing values -> ``"(none)"``), its name and a note.

    Without ``by`` (or when the default ``outlet`` is absent or empty) every document is
    in one group ``"all"`` of a column named ``group``.
    """
    if by is not None and by not in corpus.columns and by != "outlet":
        raise MissingColumnError(f"corpus has no column {by!r} to group by; columns are {list(corpus.columns)}. "
                                 "Pass one of them to --by, or leave --by out.")
    if by is None or by not in corpus.columns or corpus[by].isna().all():
        note = None if by is None else f"The corpus has no {by!r} values, so all documents form one group."
        return corpus.assign(**{NO_GROUP: "all"}), NO_GROUP, note
    labels = corpus[by].astype(object).where(corpus[by].notna(), "(none)").astype(str)
    return corpus.assign(**{by: labels}), by, None


def in_order(frame: pd.DataFrame, column: str, order: list) -> pd.DataFrame:
    """Rows sorted by the position of ``column``'s value in ``order`` (stable; others last)."""
    rank = {value: i for i, value in enumerate(order)}
    return frame.sort_values(column, key=lambda s: s.map(rank).fillna(len(rank)), kind="stable").reset_index(drop=True)


def spans_date(corpus: pd.DataFrame, date: str) -> bool:
    """Whether dated documents fall on both sides of ``date``."""
    when = pd.Timestamp(date, tz="UTC")
    published = corpus["published"].dropna()
    return bool(len(published) and published.min() < when <= published.max())


@dataclass
class ReportContext:
    """Input of every stage. ``params`` holds the run's parameters (``by``, ``period``,
    ``lang``, ``topics``, ``dictionary``, ``random_state``); ``tables`` the tables written
    by the stages finished so far, by name; ``writer`` the current stage's writer."""

    load: CorpusLoad
    why: list
    corpus: pd.DataFrame
    params: dict
    writer: ReportWriter
    n_jobs: int = 1
    notes: list[str] = field(default_factory=list)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)

    @property
    def by(self) -> str:
        return self.params["by"]

    @property
    def period(self) -> str:
        return self.params["period"]

    @property
    def random_state(self) -> int:
        return self.params["random_state"]

    @cached_property
    def lang(self) -> str:
        """The corpus's main language (``de`` or ``en``)."""
        return corpus_language(self.corpus)

    @cached_property
    def preprocessor(self) -> Preprocessor:
        """One preprocessor for every stage: its word cache serves them all."""
        return Preprocessor(lang=self.lang)

    @property
    def events(self) -> dict | None:
        """The invasion of Ukraine as a figure marker when the corpus spans it."""
        return {"Invasion of Ukraine": datasets.INVASION_DATE} if spans_date(self.corpus, datasets.INVASION_DATE) else None

    def with_phase(self) -> pd.DataFrame:
        """The corpus with ``phase`` = before/after the invasion (undated: missing)."""
        when = pd.Timestamp(datasets.INVASION_DATE, tz="UTC")
        published = self.corpus["published"]
        phase = pd.Series(pd.NA, index=self.corpus.index, dtype=object)
        phase[published.notna() & (published < when)] = PHASES[0]
        phase[published.notna() & (published >= when)] = PHASES[1]
        return self.corpus.assign(phase=pd.Categorical(phase, categories=list(PHASES)))
