"""Build the report: load, run the stages (or reuse them), write the page."""

from __future__ import annotations

import os
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.reproducibility import manifest
from analysis.frames.dictionary import BUNDLED, load_dictionary
from analysis.reproducibility.hashing import file_sha256, frame_sha256, params_sha256
from analysis.progress import quiet
from analysis.report.context import ReportContext, corpus_of, grouping, load_for_report
from analysis.report.corpus_access import dataset_key
from analysis.corpus.stream import ParquetCorpus
from analysis.report.corpus_sections import load_report, overview, top_lemmas
from analysis.report.frame_sections import frames, keyness_stage, kwic_stage
from analysis.report.page import render_page, reuse_note, run_section
from analysis.report.sentiment_sections import actor_sentiment_stage, document_sentiment
from analysis.report.stages import Stage, StageCache, StageRun, Tables, run_stages
from analysis.report.topic_sections import topics
from analysis.report.validation_sections import validation_material
from analysis.report.writer import ReportWriter

STAGES = [
    Stage("load_report", "Load report", load_report, params=("columns", "by")),
    Stage("overview", "Corpus overview", overview, params=("by", "period")),
    Stage("top_lemmas", "Top lemmas per group", top_lemmas, params=("by",)),
    Stage("topics", "Topics", topics, params=("by", "period", "topics", "random_state")),
    Stage("document_sentiment", "Sentiment of documents", document_sentiment, params=("by", "period", "random_state")),
    Stage("actor_sentiment", "Sentiment toward actors", actor_sentiment_stage, params=("by", "random_state")),
    Stage("frames", "Frames", frames, params=("by", "period", "dictionary", "dictionary_sha", "random_state")),
    Stage("keyness", "Keyness: distinctive terms", keyness_stage, params=("by",)),
    Stage("kwic", "Keywords in context: top actors", kwic_stage, params=("by", "random_state"),
          needs=("actor_sentiment",)),
    Stage("validation", "Validation material", validation_material, params=("by", "random_state"),
          needs=("topics", "document_sentiment", "frames")),
]


class InvalidOptionError(ValueError):
    """An option of the report (period, topics, n_jobs, dictionary) is invalid; the message says what to pass."""


@dataclass
class ReportRun:
    """A finished report: the page's path and how each stage went (computed, reused, skipped)."""

    page: Path
    stages: list[StageRun]

    @property
    def reused(self) -> list[str]:
        return [r.name for r in self.stages if r.reused]

    def summary(self) -> str:
        """One line for the terminal, e.g. ``9 stages: 6 reused from cache (…), 3 computed.``"""
        counts = {s: [r.name for r in self.stages if r.status == s] for s in ("reused", "computed", "skipped")}
        parts = [f"{len(names)} {status}" + (f" ({', '.join(names)})" if status != "computed" else "")
                 for status, names in counts.items() if names]
        return f"{len(self.stages)} stages: " + ", ".join(parts) + "."


def check_params(*, period: str, topics, dictionary, n_jobs: int) -> tuple[str | int, str]:
    """Validate the options before any work; returns the topics setting and the dictionary's content hash."""
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


def run_report(source=None, *, out="report", by: str | None = "outlet", period: str = "M", lang: str | None = None,
               columns: dict | None = None, topics="auto", dictionary="conflict", n_jobs: int = 1,
               random_state: int = 0, progress: bool = True, resume: bool = True, large: bool | None = None,
               stages=None) -> ReportRun:
    """:func:`build_report`, returning the page's path and how each stage went (see :class:`ReportRun`).

    ``stages``: the pipeline to run (default :data:`STAGES`); pass a longer list to add a stage.
    ``large``: keep the texts on disk and stream them (None: when the input is large, see
    :mod:`analysis.report.corpus_access`).
    """
    started = manifest.now()
    user_params = {"by": by, "period": period, "lang": lang, "columns": columns, "topics": topics,
                   "dictionary": str(dictionary), "n_jobs": n_jobs, "random_state": random_state}
    topics, dictionary_sha = check_params(period=period, topics=topics, dictionary=dictionary, n_jobs=n_jobs)
    out = Path(out)
    with nullcontext() if progress else quiet():
        load, why = load_for_report(source, columns, lang, large=large, folder=out / ".corpus")
        loaded = corpus_of(load)
        corpus, by, note = grouping(loaded, by)
        params = {"by": by, "period": period, "lang": lang, "topics": topics, "dictionary": str(dictionary),
                  "dictionary_sha": dictionary_sha, "random_state": random_state, "columns": why}
        dataset = load if isinstance(load, ParquetCorpus) else None
        ctx = ReportContext(load, why, corpus, params, ReportWriter(out), n_jobs=n_jobs, notes=[note] if note else [],
                            tables=Tables(out), dataset=dataset, work=out / ".stages" / "chunks")
        if dataset is not None:
            ctx.notes.append(f"Large corpus: texts are read from Parquet partitions in {dataset.path} "
                             f"({len(dataset.partitions)} partitions); only the metadata is held in memory.")
        cache = StageCache(out / ".stages", input_hash=_input_hash(load))
        runs = run_stages(STAGES if stages is None else stages, ctx, cache, out=out, resume=resume)
    _remove_stale(out, {name for r in runs for name in r.files})
    sections = [*(r.section for r in runs), run_section({**params, "n_jobs": n_jobs}, runs, out / ".stages")]
    page = out / "index.html"
    temporary = out / ".index.html.tmp"
    temporary.write_text(render_page(f"Framing report: {Path(load.source).name}", str(load.source), sections,
                                     lead=reuse_note(runs, out / ".stages")), encoding="utf-8")
    os.replace(temporary, page)
    write_report_manifest(out, source, user_params, loaded, started)
    return ReportRun(page, runs)


def write_report_manifest(out: Path, source, params: dict, corpus: pd.DataFrame, started: str) -> Path:
    """``<out>/manifest.json``: versions, input hashes, parameters and seeds, and the SHA-256 of every
    table and validation file (figures and XLSX are left out: their bytes depend on library builds
    and carry timestamps). ``analysis.reproducibility.manifest.verify_manifest`` reruns the report and compares."""
    from analysis.report import build_report

    outputs = sorted([*out.glob("tables/*.csv"), *out.glob("validation/*.csv"), *out.glob("validation/*.json")])
    return manifest.write_manifest(out / "manifest.json", function=build_report, params=params, call="source_out",
                                   outputs=outputs, corpus=corpus, source=source, started=started)


def _remove_stale(out: Path, written: set[str]) -> None:
    """Delete tables and figures of earlier runs that this run did not write (e.g. of another grouping)."""
    for folder, suffixes in (("tables", (".csv", ".parquet")), ("figures", (".png", ".svg"))):
        for path in (out / folder).iterdir():
            if path.suffix in suffixes and f"{folder}/{path.name}" not in written:
                path.unlink()


def _input_hash(load) -> str:
    """Content of the input: the corpus (for a large one, its input file and load options),
    the rows not kept, and what the load report says."""
    corpus = dataset_key(load) if isinstance(load, ParquetCorpus) else frame_sha256(load.corpus)
    return params_sha256({"corpus": corpus, "rejected": frame_sha256(load.rejected),
                          "problems": frame_sha256(load.problems), "load": str(load)})

