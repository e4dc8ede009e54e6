"""The report as an ordered list of named stages, each cached on disk so a rerun resumes.

A :class:`Stage` is a function ``ReportContext -> Section`` plus the names of the
parameters it reads and of the earlier stages whose tables it reads. Whatever it writes
through ``ctx.writer`` (tables, figures, other files) is its output. After each stage,
:func:`run_stages` copies every file it wrote to ``<out>/.stages/<name>-<key>/`` and then
stores the section and the SHA-256 of each file as a signed JSON entry ``<name>-<key>.json``
(:mod:`analysis.report.stage_store`; temporary file + rename, so an interrupted write leaves
no broken entry; tables are read back from their Parquet files). The key is a SHA-256 of the
input's content hash, the stage's parameters, the keys of the stages it needs and a hash of
the kit's code and resources; when it matches and the entry and its files check out, the
stage is *reused*: its files are written back and nothing is recomputed. An entry that is
corrupt, changed or not signed by this user is recomputed, with a note in the stage's
section; nothing in the folder is unpickled or executed. Ctrl-C therefore loses only the stage
that was running.

>>> import tempfile, pandas as pd
>>> from types import SimpleNamespace
>>> out = Path(tempfile.mkdtemp())
>>> from analysis.report.writer import Section
>>> def count(ctx):
...     ctx.writer.table(pd.DataFrame({"n": [len(ctx.corpus)]}), "count")
...     return Section("count", "Count")
>>> ctx = SimpleNamespace(corpus=pd.DataFrame({"doc_id": ["a"]}), params={}, tables=Tables(out), notes=[], large=False)
>>> cache = StageCache(out / ".stages", input_hash="abc")
>>> [(r.name, r.status) for r in run_stages([Stage("count", "Count", count)], ctx, cache, out=out)]
[('count', 'computed')]
>>> [(r.name, r.status) for r in run_stages([Stage("count", "Count", count)], ctx, cache, out=out)]
[('count', 'reused')]
"""

from __future__ import annotations

import hashlib
import shutil
import time
import warnings
from dataclasses import dataclass, field, replace
from functools import lru_cache
from collections.abc import Mapping
from pathlib import Path
from typing import Callable

import pandas as pd

from analysis.reproducibility.hashing import file_sha256, params_sha256
from analysis.scale.memory import release_memory
from analysis.progress import progress_bar
from analysis.report.console import cli_wording
from analysis.report.failures import cannot_write, describe, failed_section
from analysis.report.stage_store import FORMAT, read_entry, section_from_json, section_to_json, write_entry
from analysis.report.figure_files import FigureFiles
from analysis.report.writer import ReportWriter, Section

class StageSkipped(Exception):
    """Raised by a stage whose input cannot support it (e.g. too few documents); the message says why."""


@dataclass(frozen=True)
class Stage:
    """A named step of the report: ``run(ctx) -> Section`` under the heading ``title``.

    ``params``: names in ``ctx.params`` the stage reads (part of its cache key);
    ``needs``: earlier stages whose tables it reads from ``ctx.tables``;
    ``ahead``: measures it reads (``ctx.measure``) that may be computed in a forked process while the
    stages before it run (``ctx.compute_ahead``, :mod:`analysis.report.ahead`).
    """

    name: str
    title: str
    run: Callable
    params: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    ahead: tuple[str, ...] = ()


@dataclass
class StageResult:
    """What a stage produced: its section, the names of its tables (``tables/<name>.parquet``)
    and its files (path relative to the report -> SHA-256)."""

    section: Section
    tables: tuple[str, ...] = ()
    files: dict[str, str] = field(default_factory=dict)
    status: str = "computed"  # or "skipped", or "failed" (never cached)
    error: str | None = None  # "Type: message" of a failed stage


@dataclass
class StageRun:
    """How a stage went in this run: ``status`` is computed, reused, skipped or failed
    (``error``: the failed stage's ``Type: message``)."""

    name: str
    status: str
    seconds: float
    section: Section
    reused: bool = False
    files: tuple[str, ...] = ()
    error: str | None = None


@lru_cache(maxsize=1)
def code_sha256() -> str:
    """SHA-256 of the kit's source and resources: new code invalidates every cached stage."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(root).as_posix().encode("utf-8"))
            digest.update(path.read_bytes())
    return digest.hexdigest()


class StageCache:
    """Finished stages on disk under ``folder``, keyed by input hash, parameters and code.

    Each is a signed JSON entry plus a folder of copied files (:mod:`analysis.report.stage_store`);
    nothing is unpickled. Pickled entries of older versions (``<name>-<key>.pkl``) are deleted
    unread.
    """

    def __init__(self, folder: Path, *, input_hash: str):
        self.folder = Path(folder)
        self.input_hash = input_hash

    def key(self, stage: Stage, params: dict, needed_keys: list[str]) -> str:
        missing = [p for p in stage.params if p not in params]
        if missing:
            raise KeyError(f"stage {stage.name!r} reads parameter(s) {missing} that the report does not set.")
        return params_sha256({"format": FORMAT, "stage": stage.name, "input": self.input_hash, "code": code_sha256(),
                              "params": {p: params[p] for p in stage.params}, "needs": needed_keys})

    def _path(self, name: str, key: str) -> Path:
        return self.folder / f"{name}-{key[:20]}.json"

    def has(self, name: str, key: str) -> bool:
        """Whether an entry for the stage and key is on disk (:meth:`load` checks whether it is sound)."""
        return self._path(name, key).is_file()

    def load(self, name: str, key: str) -> tuple[StageResult | None, list[str]]:
        """The stored result (None when absent or not sound) and notes for the page on what was
        found and not trusted."""
        legacy = sorted(self.folder.glob(f"{name}-*.pkl"))
        for old in legacy:
            old.unlink(missing_ok=True)
        notes = [f"Deleted {self.folder.name}/{old.name} unread: cache files of older versions are pickles, "
                 "which could run code." for old in legacy]
        path = self._path(name, key)
        body, why = read_entry(path, stage=name, key=key)
        if why:
            notes.append(f"Recomputed: the cached result in {self.folder.name}/{path.name} was not used because {why}.")
        if body is None:
            return None, notes
        return StageResult(section_from_json(body["section"]), tuple(body["tables"]), dict(body["files"]),
                           body["status"]), notes

    def save(self, name: str, key: str, result: StageResult, *, out: Path) -> None:
        """Copy the stage's files, then store its entry atomically; drop its entries for other keys."""
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self._path(name, key)
        stored = path.with_suffix("")
        shutil.rmtree(stored, ignore_errors=True)
        for relative in result.files:
            target = stored / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(Path(out) / relative, target)
        write_entry(path, {"stage": name, "key": key, "status": result.status, "tables": list(result.tables),
                           "files": dict(result.files), "section": section_to_json(result.section)})
        for old in self.folder.glob(f"{name}-*"):
            if old.with_suffix("") != stored:
                shutil.rmtree(old) if old.is_dir() else old.unlink(missing_ok=True)

    def restore(self, name: str, key: str, result: StageResult, *, out: Path) -> None:
        """Put the stage's stored files (checked by :meth:`load`) back into the report where they
        are missing or changed."""
        stored = self._path(name, key).with_suffix("")
        for relative, sha in result.files.items():
            path = Path(out) / relative
            if not path.is_file() or file_sha256(path) != sha:
                path.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(stored / relative, path)


class Tables(Mapping):
    """The tables written by the stages finished so far, read from ``<out>/tables/<name>.parquet``
    when a later stage asks for one: memory holds no table between stages."""

    def __init__(self, out: Path):
        self.folder = Path(out) / "tables"
        self._names: list[str] = []

    def add(self, names) -> None:
        self._names.extend(n for n in names if n not in self._names)

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.read(name)

    def read(self, name: str, columns: list[str] | None = None, *, doc_ids=None) -> pd.DataFrame:
        """Table ``name`` (only ``columns``, if given; only the rows of ``doc_ids``, if given: the
        other rows of a per-document table are filtered out as it is read)."""
        filters = None if doc_ids is None else [("doc_id", "in", list(doc_ids))]
        return pd.read_parquet(self._path(name), columns=columns, filters=filters)

    def distinct(self, name: str, column: str) -> list:
        """The sorted distinct values of ``column`` in table ``name`` (read batch by batch)."""
        import pyarrow.compute as pc
        import pyarrow.parquet as pq

        values = set()
        for batch in pq.ParquetFile(self._path(name)).iter_batches(columns=[column]):
            values.update(pc.unique(batch.column(column)).drop_null().to_pylist())
        return sorted(values)

    def _path(self, name: str) -> Path:
        if name not in self._names:
            raise KeyError(f"no table {name!r} was written by the stages run so far; tables: {self._names}.")
        return self.folder / f"{name}.parquet"

    def __iter__(self):
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


def run_stages(stages: list[Stage], ctx, cache: StageCache, *, out: Path, resume: bool = True,
               background_figures: bool = True) -> list[StageRun]:
    """Run (or reuse) each stage in order; returns one :class:`StageRun` per stage.

    Each stage gets a fresh ``ctx.writer``; its tables are added to ``ctx.tables`` (:class:`Tables`) for
    the stages after it. Its figures are written in a second process while the next stages run
    (``background_figures``, :mod:`analysis.report.figure_files`; not for a large corpus, whose run
    is minutes of work in worker processes and whose main process is best not forked); a stage is
    cached once its figures are on disk. With them, the measures of the stages to compute that
    may be computed ahead (``Stage.ahead``) are started in a forked process when the stages begin.
    A stage that raises becomes an error box (status ``failed``,
    :mod:`analysis.report.failures`) and the next stages run; neither it nor a stage that needs
    it is cached. An error that means nothing can be written (full disk, read-only folder) and
    ``KeyboardInterrupt`` propagate after the stages finished so far are safely on disk.
    """
    keys: dict[str, str] = {}
    for stage in stages:
        keys[stage.name] = cache.key(stage, ctx.params, [keys[n] for n in stage.needs])
    background = background_figures and not ctx.large
    ahead = [name for stage in stages if background and not (resume and cache.has(stage.name, keys[stage.name]))
             for name in stage.ahead]
    for name in ahead:
        ctx.compute_ahead(name)
    titles = {stage.name: stage.title for stage in stages}
    failed: set[str] = set()
    uncached: set[str] = set()  # failed, or built on a failed stage's missing results
    runs: list[StageRun | None] = []
    drawing: list[_Drawing] = []  # computed stages whose figures are still being written
    bar = progress_bar(None, desc="report", total=len(stages), unit="stage")
    try:
        with FigureFiles(background=background) as figure_files:
            try:
                for stage in stages:
                    bar.set_postfix_str(stage.name)
                    if ctx.large:  # what loading and the stages before have freed (in memory, it would all be
                        release_memory()  # kept anyway; a full collection there costs ~0.1 s per stage)
                    start, key = time.perf_counter(), keys[stage.name]
                    incomplete = any(n in uncached for n in stage.needs)
                    result, notes = cache.load(stage.name, key) if resume and not incomplete else (None, [])
                    runs.append(None)
                    if result is not None:
                        cache.restore(stage.name, key, result, out=out)
                        ctx.tables.add(result.tables)
                        runs[-1] = _stage_run(stage, "reused", start, result, notes)
                    else:
                        after = [titles[n] for n in stage.needs if n in failed]
                        result = _compute(stage, ctx, out, figure_files, after=after)
                        ctx.tables.add(result.tables)
                        if result.status == "failed":
                            failed.add(stage.name)
                        if result.status == "failed" or incomplete:
                            uncached.add(stage.name)
                        drawing.append(_Drawing(len(runs) - 1, stage, key, result, ctx.writer, notes,
                                                time.perf_counter() - start, after, incomplete))
                    _finish_drawn(drawing, runs, cache, out, failed, uncached, wait=False)
                    bar.update()
            finally:  # also after an error: what was computed is stored once its figures are written
                _finish_drawn(drawing, runs, cache, out, failed, uncached, wait=True)
    finally:
        bar.close()
        if ahead:
            ctx.stop_ahead()  # a measure not taken (its stage failed before, or Ctrl-C): its process ends
    return runs


@dataclass
class _Drawing:
    """A computed stage waiting for its figure files, and what storing it needs."""
    index: int
    stage: Stage
    key: str
    result: StageResult
    writer: ReportWriter
    notes: list[str]
    seconds: float
    after: list[str]
    incomplete: bool


def _finish_drawn(drawing: list[_Drawing], runs: list, cache: StageCache, out: Path, failed: set, uncached: set,
                  *, wait: bool) -> None:
    """Store each stage of ``drawing`` whose figures are written (``wait``: all of them): its PNGs
    embedded, its files hashed, and cached unless it failed or built on a failure."""
    for item in [d for d in drawing if wait or all(f.done() for f in d.writer.pending)]:
        drawing.remove(item)
        result, stage = item.result, item.stage
        if result.status == "failed":  # its figures are written but not its files (stale, removed)
            item.writer.embed_figures(result.section)
            runs[item.index] = _stage_run(stage, "failed", 0.0, result, item.notes, seconds=item.seconds)
            continue
        try:
            section = item.writer.embed_figures(result.section)
            files = {name: file_sha256(out / name) for name in dict.fromkeys(item.writer.files)}
            result = replace(result, section=section, files=files)
        except Exception as error:  # noqa: BLE001 — a figure that could not be drawn fails its stage only
            if cannot_write(error):
                raise
            result = StageResult(failed_section(stage.name, stage.title, error, after=item.after), status="failed",
                                 error=describe(error))
            failed.add(stage.name)
            uncached.add(stage.name)
        if result.status != "failed" and not item.incomplete:
            cache.save(stage.name, item.key, result, out=out)
        runs[item.index] = _stage_run(stage, result.status, 0.0, result, item.notes, seconds=item.seconds)


def _stage_run(stage: Stage, status: str, start: float, result: StageResult, notes: list[str], *,
               seconds: float | None = None) -> StageRun:
    """The run of a stage begun at ``start`` (or that took ``seconds``), with its section's notes."""
    section = replace(result.section, notes=[*result.section.notes, *notes])  # not cached
    seconds = time.perf_counter() - start if seconds is None else seconds
    return StageRun(stage.name, status, seconds, section, status == "reused", tuple(result.files), result.error)


def _compute(stage: Stage, ctx, out: Path, figure_files: FigureFiles | None = None, *,
             after: list[str]) -> StageResult:
    """Run ``stage``; its figures may still be being written (``ctx.writer.pending``), so its
    files are hashed when they are (:func:`_finish_drawn`)."""
    ctx.writer = ReportWriter(out, figure_files)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UserWarning)
        try:
            section, status = stage.run(ctx), "computed"
        except StageSkipped as skipped:
            section, status = Section(stage.name, stage.title), "skipped"
            section.notes.append(f"Not computed: {skipped}")
        except Exception as error:  # noqa: BLE001 — any error of one section; the page goes on
            if cannot_write(error):
                raise
            return StageResult(failed_section(stage.name, stage.title, error, after=after), status="failed",
                               error=describe(error))  # its half-written files are left out (stale)
    for message in dict.fromkeys(str(w.message) for w in caught if issubclass(w.category, UserWarning)):
        section.notes.append(cli_wording(message))
    return StageResult(section, tuple(ctx.writer.tables), {}, status)
