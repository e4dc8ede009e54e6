"""What every report stage reads: ``ReportContext`` carries the loaded corpus (from
:func:`analysis.report.report_input.load_for_report`), the run's parameters and the tables of
the stages finished so far, and runs the corpus's chunks through the measures."""

from __future__ import annotations

import math
import shutil
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property, partial
from pathlib import Path

import pandas as pd

from analysis.corpus.id_sets import is_in
from analysis.corpus.load import CorpusLoad
from analysis.corpus.stream import ParquetCorpus, corpus_chunks
from analysis.progress import progress_bar
from analysis.report.ahead import Ahead, Beside
from analysis.report.boilerplate_section import without_boilerplate
from analysis.report.corpus_access import dataset_key, read_documents
from analysis.report.events import PHASES, Event, event_markers, events_in_range, phase_of  # noqa: F401 (PHASES: kept importable here)
from analysis.report.measures import measures
from analysis.report.stages import code_sha256
from analysis.report.term_pass import document_terms
from analysis.report.writer import ReportWriter
from analysis.reproducibility.hashing import params_sha256
from analysis.scale.batch import map_chunks, run_in_chunks, run_steps_in_chunks
from analysis.scale.workers import stop_workers
from analysis.text.language import corpus_language
from analysis.text.preprocessor import Preprocessor, corpus_preprocessor

CHUNKS_PER_JOB = 4  # in memory, a few chunks per worker keep both cores busy to the end
LARGE_CHUNK_DOCS = 5_000  # a large corpus's chunks: both workers busy to the end, little memory each
SIDE_BY_SIDE_MIN_DOCS = 20_000  # documents from which two prevalence tables are computed side by side
PARALLEL_MIN_DOCS = 5_000  # a smaller in-memory corpus is worked on in this process (ReportContext.jobs)


@dataclass
class ReportContext:
    """Input of every stage. ``params`` holds the run's parameters (``by``, ``period``,
    ``lang``, ``topics``, ``dictionary``, ``random_state``, ``events``: ``[date, label]`` pairs); ``tables`` the tables written
    by the stages finished so far, by name; ``writer`` the current stage's writer;
    ``models`` what a stage fitted and a later one may reuse in the same run.

    ``corpus`` is the whole corpus, or, for a large one (``dataset`` set), every column but
    ``text``: stages read texts through :meth:`chunks`, :meth:`documents` and :meth:`score`.
    """

    load: CorpusLoad | ParquetCorpus
    why: list
    corpus: pd.DataFrame
    params: dict
    writer: ReportWriter
    n_jobs: int = 1
    notes: list[str] = field(default_factory=list)
    tables: Mapping[str, pd.DataFrame] | None = None  # analysis.report.stages.Tables
    dataset: ParquetCorpus | None = None
    work: Path | None = None  # folder for a large corpus's per-chunk results
    models: dict = field(default_factory=dict)
    boilerplate: pd.DataFrame | None = None  # removed from the texts (None: kept), see report.boilerplate_section
    groups: pd.DataFrame | None = None  # each value of the grouping column and its group, when small ones were merged
    ahead: dict = field(default_factory=dict)  # measure name -> Ahead: computed in a forked process (compute_ahead)

    @property
    def large(self) -> bool:
        """Whether the texts stay on disk (Parquet partitions) instead of in ``corpus``."""
        return self.dataset is not None

    @property
    def jobs(self) -> int:
        """Processes for the run's work (preprocessing, scoring, the topic search's fits): ``n_jobs``,
        or 1 for an in-memory corpus of fewer than :data:`PARALLEL_MIN_DOCS` documents. This process
        analyses those once and its analysis cache serves every stage; workers would start, and analyse
        them again for each stage, which costs more than the second core saves on so few documents
        (the bundled corpus's topic search: 3.5 s in one process, 3.7 s with two; see
        ``benchmarks/report_time.py``). Its actor stance is computed ahead in a forked process
        instead (:meth:`compute_ahead`)."""
        return 1 if self.dataset is None and len(self.corpus) < PARALLEL_MIN_DOCS else self.n_jobs

    def chunks(self) -> Iterator[pd.DataFrame]:
        """The corpus with its texts, chunk by chunk in corpus order: a large corpus's partitions in
        slices of :data:`LARGE_CHUNK_DOCS` (metadata from ``corpus``, so the grouping column is the
        report's), else slices of the corpus."""
        if self.dataset is None:
            jobs = self.jobs
            size = len(self.corpus) if jobs == 1 else math.ceil(len(self.corpus) / (CHUNKS_PER_JOB * jobs))
            yield from corpus_chunks(self.corpus, chunk_size=max(size, 1))
            return
        offset = 0
        for part in corpus_chunks(self.dataset, columns=["doc_id", "text"]):
            meta = self.corpus.iloc[offset:offset + len(part)]
            offset += len(part)
            if not (meta["doc_id"].to_numpy() == part["doc_id"].to_numpy()).all():
                raise RuntimeError(f"the Parquet corpus in {self.dataset.path} does not match its metadata; "
                                   "rerun the report with --no-resume.")
            texts = part["text"].to_numpy()
            for start in range(0, len(part), LARGE_CHUNK_DOCS):
                yield without_boilerplate(meta.iloc[start:start + LARGE_CHUNK_DOCS].assign(
                    text=texts[start:start + LARGE_CHUNK_DOCS]), self.boilerplate)

    def n_chunks(self) -> int:
        """How many chunks :meth:`chunks` gives."""
        if self.dataset is None:
            return min(len(self.corpus), 1 if self.jobs == 1 else CHUNKS_PER_JOB * self.jobs)
        return sum(self.chunks_per_partition())

    def documents(self, doc_ids) -> pd.DataFrame:
        """The rows of these documents with their texts, in corpus order."""
        chosen = self.corpus[is_in(self.corpus["doc_id"], list(doc_ids))]
        if self.dataset is None:
            return chosen
        texts = read_documents(self.dataset, chosen["doc_id"]).set_index("doc_id")["text"]
        return without_boilerplate(chosen.assign(text=chosen["doc_id"].map(texts).to_numpy()), self.boilerplate)

    def texts(self, doc_ids) -> pd.Series:
        """``doc_id -> text`` of these documents."""
        return self.documents(doc_ids).set_index("doc_id")["text"]

    def measure(self, name: str) -> pd.DataFrame:
        """The report's measure ``name`` (:func:`analysis.report.measures.measures`: ``"sentiment"``,
        ``"actor_sentiment"``, ``"frames"``). On a large corpus they come from :meth:`corpus_pass`."""
        if self.dataset is None:
            ahead = self.ahead.pop(name, None)
            table = None if ahead is None else ahead.result()
            if table is None:  # not computed ahead, or its process failed
                step, params = measures(self.params)[name]
                table = self.score(step, name, **params)
            return table
        return self.corpus_pass()[name].read()

    def compute_ahead(self, name: str) -> None:
        """Start the measure ``name`` in a forked process (:class:`~analysis.report.ahead.Ahead`) that
        :meth:`measure` takes it from, when this process would compute it alone: an in-memory
        corpus of fewer than :data:`PARALLEL_MIN_DOCS` documents. The second core computes it while
        the stages before the one that reads it run."""
        if self.dataset is None and len(self.corpus) < PARALLEL_MIN_DOCS and name not in self.ahead:
            step, params = measures(self.params)[name]
            self.ahead[name] = Ahead(partial(self.score, step, name, **params))

    def stop_ahead(self) -> None:
        """End the processes of measures computed ahead that no stage took."""
        for ahead in self.ahead.values():
            ahead.stop()
        self.ahead.clear()

    def prevalence_tables(self, prevalence_of: Callable[[str | None], pd.DataFrame]
                          ) -> tuple[pd.DataFrame, pd.DataFrame | None]:
        """``prevalence_of(None)`` (by group) and, if any document is dated, ``prevalence_of(period)``
        (by group and period), else None: what a section shows of its scores.

        Each table bootstraps its own draws (a generator of its own from ``random_state``), so with
        more than one job a corpus of :data:`SIDE_BY_SIDE_MIN_DOCS` documents or more has the second
        computed beside the first, in a fresh process (:class:`~analysis.report.ahead.Beside`; so
        ``prevalence_of`` is sent there and should hold its data, not this context): for a million
        documents each takes ~12 s on one core (:func:`~analysis.compare.bootstrap.bootstrap_means`
        keeps BLAS to one thread). The tables are the same either way; a failed process leaves the
        second to this one.
        """
        if not self.corpus["published"].notna().any():
            return prevalence_of(None), None
        beside = (Beside(partial(prevalence_of, self.period))
                  if self.jobs > 1 and len(self.corpus) >= SIDE_BY_SIDE_MIN_DOCS else None)
        try:
            profile = prevalence_of(None)
            over_time = beside.result() if beside is not None else None
        finally:
            if beside is not None:
                beside.stop()
        return profile, over_time if over_time is not None else prevalence_of(self.period)

    def measure_parts(self, name: str) -> tuple[int, Iterator[pd.DataFrame]]:
        """:meth:`measure` part by part, for tables too large to hold whole: ``(n_rows, parts)``,
        a large corpus's pass parts read one at a time, else the whole table as one part."""
        if self.dataset is None:
            whole = self.measure(name)
            return len(whole), iter([whole])
        result = self.corpus_pass()[name]
        return result.n_rows, result.iter_parts()

    def corpus_pass(self) -> dict:
        """The one pass over a large corpus's chunks (run on first use, resumable): each document is
        analysed once for every measure and preprocessed for the terms (``"terms"``:
        :func:`analysis.report.term_pass.document_terms`, read by the overview, top lemmas, keyness
        and topics). ``{name: ChunkedResult}``, one Parquet part per chunk of :meth:`chunks`."""
        if "corpus_pass" not in self.models:
            specs = {**measures(self.params),
                     "terms": (document_terms, {"by": self.by, "preprocessor": self.preprocessor})}
            folders = {key: (step, params, self.work_folder(key, params)) for key, (step, params) in specs.items()}
            self.models["corpus_pass"] = run_steps_in_chunks(folders, self.chunks(), n_jobs=self.n_jobs,
                                                             total=self.n_chunks())
            if self.n_jobs != 1:
                stop_workers()  # their word caches served the pass only; the term counting comes next
        return self.models["corpus_pass"]

    def chunks_per_partition(self) -> list[int]:
        """How many of :meth:`chunks`' chunks each Parquet partition of a large corpus gives."""
        return [math.ceil(n_rows / LARGE_CHUNK_DOCS) for n_rows in self.partition_rows()]

    def partition_rows(self) -> list[int]:
        """The number of documents in each Parquet partition of a large corpus (from the files' footers)."""
        import pyarrow.parquet as pq

        return [pq.read_metadata(part).num_rows for part in self.dataset.partitions]

    def metadata_chunks(self) -> Iterator[pd.DataFrame]:
        """A large corpus's metadata (``corpus``, no texts), one chunk per (non-empty) partition, for a
        step that needs no text (nothing is read)."""
        offset = 0
        for n_rows in self.partition_rows():
            if n_rows:
                yield self.corpus.iloc[offset:offset + n_rows]
                offset += n_rows

    def work_folder(self, name: str, params: dict) -> Path:
        """``work/<name>-<key>`` for this code, these parameters and this corpus; other folders of ``name`` go."""
        removed = None if self.boilerplate is None else sorted(self.boilerplate["key"])
        key = params_sha256({"code": code_sha256(), "params": params, "corpus": dataset_key(self.dataset),
                             "boilerplate": removed})
        folder = self.work / f"{name}-{key[:16]}"
        for stale in self.work.glob(f"{name}-*"):  # parts of other code, parameters or input
            if stale != folder:
                shutil.rmtree(stale, ignore_errors=True)
        return folder

    def score(self, step, name: str, **params) -> pd.DataFrame:
        """``step(chunk, **params)`` over every chunk in ``n_jobs`` processes, stacked in corpus
        order; for a large corpus, resumably through Parquet parts in ``work/<name>``."""
        if self.dataset is not None:
            result = run_in_chunks(step, self.chunks(), out=self.work_folder(name, params), n_jobs=self.n_jobs,
                                   total=self.n_chunks(), **params)
            return result.read()
        chunks = progress_bar(self.chunks(), desc=name, total=self.n_chunks(), unit="chunk")
        tables = list(map_chunks(step, chunks, n_jobs=self.jobs, **params))
        if not tables:
            return step(self.corpus.iloc[:0], **params)
        return pd.concat(tables, ignore_index=True) if len(tables) > 1 else tables[0]

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
        """One preprocessor for every stage (its word cache serves them all): in the corpus's one
        language, or each document in its own (``lang="auto"``) on a mixed corpus."""
        return corpus_preprocessor(self.corpus)

    @cached_property
    def events_in_range(self) -> tuple[Event, ...]:
        """The run's events (``params["events"]``) inside the corpus's dates, by date."""
        return events_in_range(self.params.get("events") or (), self.corpus["published"])

    @property
    def events(self) -> dict | None:
        """The events inside the corpus's dates as figure markers ``{label: date}``; None without any."""
        return event_markers(self.events_in_range)

    @property
    def split_event(self) -> Event | None:
        """The event before/after comparisons split at: the first inside the corpus's dates, if any."""
        return self.events_in_range[0] if self.events_in_range else None

    def with_phase(self) -> pd.DataFrame:
        """The corpus with ``phase`` = before/after :attr:`split_event` (undated: missing)."""
        return self.corpus.assign(phase=phase_of(self.corpus["published"], self.split_event))
