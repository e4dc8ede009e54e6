"""Build the report: load, run the stages (or reuse them), write the page."""

from __future__ import annotations

import os
import warnings
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.reproducibility import manifest
from analysis.frames.dictionary import BUNDLED, load_dictionary
from analysis.corpus.dates import AmbiguousDateWarning
from analysis.corpus.readers import ExcelCellLimitWarning
from analysis.reproducibility.hashing import file_sha256, params_sha256
from analysis.progress import quiet
from analysis.errors import EmptyCorpusError
from analysis.report.context import ReportContext
from analysis.report.report_input import ReportInput, grouping, load_for_report, merge_small_groups
from analysis.report.events import check_events, describe_events
from analysis.report.options import ReportOptions
from analysis.report.coded_input import CodesError, check_codes
from analysis.report.coded_section import coded_measure
from analysis.report.boilerplate_section import cleaned_input, duplicates_and_boilerplate
from analysis.report.corpus_sections import load_report, overview, top_lemmas
from analysis.report.frame_sections import frames, keyness_stage, kwic_stage
from analysis.report.page import render_page, reuse_note, run_section
from analysis.report.sentiment_sections import actor_sentiment_stage, document_sentiment
from analysis.report.lock import report_lock
from analysis.report.stages import Stage, StageCache, StageRun, Tables, run_stages
from analysis.report.topic_sections import topics
from analysis.report.validation_sections import validation_material
from analysis.report.writer import ReportWriter

STAGES = [
    Stage("load_report", "Load report", load_report, params=("columns", "by")),
    Stage("duplicates", "Duplicates and boilerplate", duplicates_and_boilerplate),
    Stage("overview", "Corpus overview", overview, params=("by", "period", "events")),
    Stage("top_lemmas", "Top lemmas per group", top_lemmas, params=("by",)),
    Stage("topics", "Topics", topics, params=("by", "period", "topics", "random_state", "events")),
    Stage("document_sentiment", "Sentiment of documents", document_sentiment,
          params=("by", "period", "random_state", "events")),
    Stage("actor_sentiment", "Stance toward actors", actor_sentiment_stage, params=("by", "random_state", "events"),
          ahead=("actor_sentiment",)),
    Stage("frames", "Frames", frames, params=("by", "period", "dictionary", "dictionary_sha", "random_state", "events")),
    Stage("keyness", "Keyness: distinctive terms", keyness_stage, params=("by", "events")),
    Stage("kwic", "Keywords in context: top actors", kwic_stage, params=("by", "random_state"),
          needs=("actor_sentiment",)),
    Stage("coded", "Supervised measure from coded units", coded_measure,
          params=("by", "period", "random_state", "events", "codes", "codes_sha", "variable")),
    Stage("validation", "Validation material", validation_material, params=("by", "random_state"),
          needs=("topics", "document_sentiment", "frames")),
]


class InvalidOptionError(ValueError):
    """An option of the report (period, topics, n_jobs, dictionary, events, codes, variable) is invalid; the message
    says what to pass."""


@dataclass
class ReportRun:
    """A finished report: the page's path and how each stage went (computed, reused, skipped)."""

    page: Path
    stages: list[StageRun]
    columns: list = field(default_factory=list)  # (role, column, why) per corpus role
    load: object = None  # the corpus load (CorpusLoad, or ParquetCorpus for a large input): rows kept and rejected

    @property
    def reused(self) -> list[str]:
        return [r.name for r in self.stages if r.reused]

    @property
    def failed(self) -> list[str]:
        """The stages whose section failed (an error box on the page; ``StageRun.error`` says why)."""
        return [r.name for r in self.stages if r.status == "failed"]

    def summary(self) -> str:
        """One line for the terminal, e.g. ``9 stages: 6 reused from cache (…), 3 computed.``"""
        counts = {s: [r.name for r in self.stages if r.status == s]
                  for s in ("reused", "computed", "skipped", "failed")}
        parts = [f"{len(names)} {status}" + (f" ({', '.join(names)})" if status != "computed" else "")
                 for status, names in counts.items() if names]
        return f"{len(self.stages)} stages: " + ", ".join(parts) + "."

    def columns_summary(self) -> str:
        """The input columns used, one line per role, e.g. ``  date: 'Veröffentlicht am' (guessed from …)``."""
        return "\n".join(f"  {role}: {column!r} ({why})" if column else f"  {role}: none ({why})"
                         for role, column, why in self.columns)


def check_params(*, period: str, topics, dictionary, n_jobs: int, events=None) -> tuple[str | int, str]:
    """Validate the options before any work; returns the topics setting and the dictionary's content hash."""
    try:
        check_events(events)
    except ValueError as err:
        raise InvalidOptionError(f"events: {err}") from err
    try:
        pd.Period("2022-01-01", freq=period)
    except (ValueError, TypeError) as err:
        raise InvalidOptionError(f"period must be a pandas period alias such as 'M' (month), 'W' (week) or 'Q', "
                         f"not {period!r}.") from err
    if str(topics) != "auto":
        if not str(topics).isdigit() or int(topics) < 2:
            raise InvalidOptionError(f"topics must be 'auto' or a number of topics ≥ 2, not {topics!r}.")
        topics = int(topics)
    if not isinstance(n_jobs, int) or n_jobs < 1:
        raise InvalidOptionError(f"n_jobs must be a positive number of processes, not {n_jobs!r}.")
    try:
        load_dictionary(dictionary)  # a clear error now, not after minutes of work
    except ValueError as err:
        raise InvalidOptionError(f"frame dictionary {dictionary!r} cannot be read: {err}") from err
    if isinstance(dictionary, str) and dictionary in BUNDLED:
        return topics, dictionary
    if isinstance(dictionary, (str, os.PathLike)):
        return topics, file_sha256(dictionary)
    return topics, params_sha256({"dictionary": repr(load_dictionary(dictionary))})


def build_report(source=None, *, out="report", by: str | None = "outlet", period: str = "M",
                 lang: str | None = None, columns: dict | None = None, topics="auto", dictionary="conflict",
                 n_jobs: int = 1, random_state: int = 0, progress: bool = True, resume: bool = True,
                 large: bool | None = None, keep_boilerplate: bool = False, events=None, codes=None,
                 variable: str | None = None) -> Path:
    """Write the framing report of ``source`` (default: the bundled conflict corpus) to ``out``; returns the page.

    ``source``: a file, folder or DataFrame that :func:`analysis.load_corpus` reads.
    ``columns`` maps roles (``text``, ``id``, ``date``, ``outlet``, ``title``) to input
    columns; roles not given are guessed from common names. ``by``: the grouping column
    (one group when None or absent). ``period``: ``"M"``, ``"W"``, ``"Q"`` … for time
    series. ``lang``: language of every document (default: detected per document).
    ``topics``: a number of topics or ``"auto"`` (chosen by
    :func:`~analysis.topics.search.compare_n_topics`). ``dictionary``: a bundled frame
    dictionary (``"conflict"``, ``"generic"``) or a ``.yaml``/``.dic`` path. ``n_jobs``:
    worker processes; the tables are identical for any ``n_jobs``. ``random_state``
    seeds the topic search and fit, the bootstrap intervals and the KWIC samples.
    ``resume``: reuse finished stages from ``<out>/.stages/`` when the input and their
    parameters are unchanged (``False`` recomputes everything). ``large``: stream the
    corpus from Parquet partitions in ``<out>/.corpus/`` with only its metadata in memory
    (None: when the input exceeds 256 MB or 100,000 rows; the tables are the same except the
    topic model, which is then fitted in mini-batches and chosen on a 20,000-document sample).
    ``keep_boilerplate``: keep lines and sentences that recur across documents (footers, bylines;
    :func:`analysis.corpus.find_boilerplate`), which are otherwise removed before every analysis and
    listed in ``tables/boilerplate.csv``.
    ``events``: dated events to mark in the time figures and to compare before and after, as
    ``{"2022-02-24": "Invasion of Ukraine"}`` or a list of ``(date, label)`` pairs or ``"DATE=LABEL"``
    strings (:mod:`analysis.report.events`). Figures mark the events inside the corpus's dates;
    before/after comparisons split at the first of them. None: the events the dataset carries
    (the bundled conflict corpus: the invasion of Ukraine; a user's corpus: none); ``{}``: none.
    ``codes``, ``variable``: a CSV/XLSX file of hand-coded documents and the column of its codes
    (:mod:`analysis.report.coded_input`: ``doc_id`` plus the column, or a filled coding sheet with
    its key) add a section with a supervised measure: a classifier trained on the codes, its
    cross-validated quality and the share of each code by group and period, corrected for its
    errors (:mod:`analysis.report.coded_section`). Without ``codes`` there is no such section.

    A section that fails shows an error box and the rest of the page is written (with a
    warning naming it); an input without documents raises
    :class:`~analysis.errors.EmptyCorpusError`. ``by`` with more than ten values compares the
    nine largest groups and merges the others into ``"(other)"``.
    """
    run = run_report(source, options=ReportOptions.from_arguments(locals()))
    if run.failed:
        warnings.warn(f"{len(run.failed)} section(s) of the report failed: "
                      + "; ".join(f"{r.name} ({r.error})" for r in run.stages if r.status == "failed")
                      + f". The other sections are complete; see the error boxes in {run.page}.", UserWarning,
                      stacklevel=2)
    return run.page


def run_report(source=None, *, out="report", by: str | None = "outlet", period: str = "M", lang: str | None = None,
               columns: dict | None = None, topics="auto", dictionary="conflict", n_jobs: int = 1,
               random_state: int = 0, progress: bool = True, resume: bool = True, large: bool | None = None,
               keep_boilerplate: bool = False, events=None, codes=None, variable: str | None = None, stages=None,
               options: ReportOptions | None = None) -> ReportRun:
    """:func:`build_report`, returning the page's path and how each stage went (see :class:`ReportRun`).

    ``stages``: the pipeline to run (default :data:`STAGES`); pass a longer list to add a stage.
    ``large``: keep the texts on disk and stream them (None: when the input is large, see
    :mod:`analysis.report.corpus_access`). ``options``: all options as one
    :class:`~analysis.report.options.ReportOptions`, instead of the keywords.
    """
    given = ReportOptions.from_arguments(locals())
    if options is not None and given != ReportOptions():
        raise TypeError("pass the report's options either as keywords or as options=ReportOptions(...), not both.")
    options = options or given
    started = manifest.now()
    topics, dictionary_sha = check_params(period=options.period, topics=options.topics,
                                          dictionary=options.dictionary, n_jobs=options.n_jobs, events=options.events)
    try:
        codes_sha = check_codes(options.codes, options.variable)
    except CodesError as err:
        raise InvalidOptionError(str(err)) from err
    out = options.folder
    with report_lock(out, _describe(source, options)):
        return _run(source, options, stages, out, started, topics, (dictionary_sha, codes_sha))


def _describe(source, options: ReportOptions) -> str:
    """This run, for the message another run into the same folder gets."""
    corpus = "the bundled corpus" if source is None else "a DataFrame" if isinstance(source, pd.DataFrame) else str(source)
    return f"{corpus}, options {options.user_params()}"


def _run(source, options: ReportOptions, stages, out: Path, started: str, topics, hashes: tuple) -> ReportRun:
    dictionary_sha, codes_sha = hashes
    with nullcontext() if options.progress else quiet():
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")  # recorded even when an earlier read of the source said it already
            read = load_for_report(source, options.columns, options.lang, large=options.large, folder=out / ".corpus",
                                   n_jobs=options.n_jobs)
        for said in caught:  # shown as before; those about the input's texts also on the page
            warnings.warn_explicit(said.message, said.category, said.filename, said.lineno)
        input_notes = list(dict.fromkeys(  # a streamed input warns once per chunk: the first is enough
            str(said.message) for said in caught if issubclass(said.category, ExcelCellLimitWarning)))
        input_notes += [str(said.message) for said in caught if issubclass(said.category, AmbiguousDateWarning)][:1]
        _check_not_empty(read)
        boilerplate, cleaned = cleaned_input(read, keep=options.keep_boilerplate)
        corpus, by, note = grouping(cleaned, options.by, read.why)
        corpus, groups, merged = merge_small_groups(corpus, by)
        params = {"by": by, "period": options.period, "lang": options.lang, "topics": topics,
                  "dictionary": str(options.dictionary), "dictionary_sha": dictionary_sha,
                  "random_state": options.random_state, "columns": read.why,
                  "keep_boilerplate": options.keep_boilerplate,
                  "events": [[e.date, e.label] for e in run_events(options.events, read.load)],
                  "codes": None if options.codes is None else str(options.codes), "codes_sha": codes_sha,
                  "variable": options.variable}
        ctx = _context(read, corpus, params, out, n_jobs=options.n_jobs, notes=[n for n in (*input_notes, note, merged) if n])
        ctx.boilerplate = boilerplate
        ctx.groups = groups
        cache = StageCache(out / ".stages", input_hash=params_sha256({"input": read.key,
                                                                      "keep_boilerplate": options.keep_boilerplate}))
        runs = run_stages(_selected(STAGES if stages is None else stages, params), ctx, cache, out=out,
                          resume=options.resume)
    _remove_stale(out, {name for r in runs for name in r.files})
    shown = {**params, "events": _events_shown(options.events, params["events"]), "n_jobs": options.n_jobs}
    shown = {k: v for k, v in shown.items() if k != "codes_sha" and not (k in ("codes", "variable") and v is None)}
    sections = [*(r.section for r in runs), run_section(shown, runs, out / ".stages")]
    page = _write_page(out, render_page(f"Framing report: {Path(read.load.source).name}", str(read.load.source),
                                        sections, lead=reuse_note(runs, out / ".stages")))
    write_report_manifest(out, source, options.user_params(), read, started)
    return ReportRun(page, runs, read.why, read.load)


def _selected(stages: list[Stage], params: dict) -> list[Stage]:
    """The stages to run: the supervised measure ("coded") only when codes are given."""
    return [stage for stage in stages if stage.name != "coded" or params["codes"] is not None]


def run_events(given, load) -> tuple:
    """The run's events: those given, else those the dataset carries (``load.events``; a user's corpus has none)."""
    return check_events(getattr(load, "events", None) if given is None else given)


def _events_shown(given, events: list) -> str | None:
    """The events for 'About this run': where they came from and what they are."""
    if not events:
        return None
    return describe_events(events) + (" (given)" if given is not None else " (carried by the bundled dataset)")


def _check_not_empty(read: ReportInput) -> None:
    """Stop with :class:`EmptyCorpusError` when no document was kept, saying what the input held."""
    if len(read.corpus):
        return
    text = next((f"{column!r} ({why})" for role, column, why in read.why if role == "text" and column), None)
    if getattr(read.load, "n_input", None) == 0:
        where = "The input has no rows (a header only, or an empty list)."
    elif text:
        where = f"The texts were read from column {text}; if they are in another column, pass --text-col (text_col=)."
    else:
        where = "Pass --text-col (text_col=) to name the column holding the texts."
    raise EmptyCorpusError(f"no documents to analyse in {read.load}. {where}")


def _write_page(out: Path, page: str) -> Path:
    """``<out>/index.html``, replaced in one step; a page cut short (full disk, Ctrl-C) leaves no file behind."""
    path, temporary = out / "index.html", out / ".index.html.tmp"
    try:
        temporary.write_text(page, encoding="utf-8")
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return path


def write_report_manifest(out: Path, source, params: dict, read: ReportInput, started: str) -> Path:
    """``<out>/manifest.json``: versions, input hashes, parameters and seeds, the input columns used
    for each role and why (guessed ones by name), and the SHA-256 of every table and validation file (figures and XLSX are left out: their bytes depend on library builds
    and carry timestamps). ``analysis.reproducibility.manifest.verify_manifest`` reruns the report and compares.
    The input's hashes computed while loading (``read``) are passed on, not computed again."""
    outputs = sorted([*out.glob("tables/*.csv"), *out.glob("validation/*.csv"), *out.glob("validation/*.json")])
    return manifest.write_manifest(out / "manifest.json", function=build_report, params=params, call="source_out",
                                   outputs=outputs, corpus=read.corpus, source=source, started=started,
                                   source_sha256=read.source_sha256, corpus_sha256=read.corpus_sha256,
                                   columns=read.why)


def _context(read: ReportInput, corpus: pd.DataFrame, params: dict, out: Path, *, n_jobs: int,
             notes: list[str]) -> ReportContext:
    dataset = read.dataset
    ctx = ReportContext(read.load, read.why, corpus, params, ReportWriter(out), n_jobs=n_jobs,
                        notes=notes, tables=Tables(out), dataset=dataset,
                        work=out / ".stages" / "chunks")
    if dataset is not None:
        ctx.notes.append(f"Large corpus: texts are read from Parquet partitions in {dataset.path} "
                         f"({len(dataset.partitions)} partitions); only the metadata is held in memory.")
    return ctx


def _remove_stale(out: Path, written: set[str]) -> None:
    """Delete tables and figures of earlier runs that this run did not write (e.g. of another grouping)."""
    for folder, suffixes in (("tables", (".csv", ".parquet")), ("figures", (".png", ".svg"))):
        for path in (out / folder).iterdir():
            if path.suffix in suffixes and f"{folder}/{path.name}" not in written:
                path.unlink()
