"""Run a scoring step chunk by chunk over a large corpus, in parallel, resumably.

Sentiment, frame and actor scoring are per-document work: ``run_in_chunks`` feeds corpus
chunks (:func:`analysis.corpus.stream.corpus_chunks`: the data files of a Parquet dataset,
or any iterable of corpus frames) to a step in worker processes, writes each chunk's result to
``out/part-NNNNN.parquet`` as soon as it is done, and keeps at most ``2 × n_jobs``
chunks in memory. Parts already written by an interrupted run with the same step and
parameters and the same input chunk (by content hash) are skipped, so Ctrl-C loses at
most the chunks in flight. Results do not
depend on ``n_jobs``: each chunk is scored alone and parts keep the input's order.

>>> import tempfile, pandas as pd
>>> from analysis.frames.scoring import score_frames
>>> chunks = [pd.DataFrame({"doc_id": ["a"], "lang": ["de"], "text": ["Soldaten an der Front."]}),
...           pd.DataFrame({"doc_id": ["b"], "lang": ["de"], "text": ["Humanitäre Hilfe für Kyjiw."]})]
>>> result = run_in_chunks(score_frames, chunks, out=tempfile.mkdtemp(), dictionary="conflict",
...                        normalize=None, progress=False)
>>> table = result.read()
>>> table.loc[table["hits"] > 0, ["doc_id", "frame"]].values.tolist()
[['a', 'military'], ['b', 'humanitarian']]
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from itertools import count
from pathlib import Path
from typing import Callable, Iterable, Iterator

import pandas as pd

from analysis.corpus import stream as corpus_stream  # a module: corpus.stream imports scale.memory
from analysis.reproducibility.hashing import chunk_sha256, params_sha256
from analysis.scale.memory import gc_paused, release_memory
from analysis.progress import progress_bar, quiet
from analysis.scale.workers import map_in_order
from analysis.text.analysis import forget_documents
from analysis.text.language import document_langs
from analysis.text.many import SLICE, analyze_many  # SLICE: documents a worker takes through every step together

_MARKER = "_step.json"
_INPUTS = "_inputs.json"  # part index -> content hash of the chunk it was computed from


@dataclass
class ChunkedResult:
    """The parts a chunked step wrote: ``path`` (folder), ``n_parts``, ``n_skipped`` (resumed)."""

    path: Path
    n_parts: int
    n_skipped: int

    @property
    def parts(self) -> list[Path]:
        return sorted(self.path.glob("part-*.parquet"))

    def read(self, columns=None) -> pd.DataFrame:
        """All parts as one frame, in input order (only for results that fit in memory)."""
        frames = list(self.iter_parts(columns))
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()

    def iter_parts(self, columns=None) -> Iterator[pd.DataFrame]:
        """The parts one at a time, in input order (for results too large to hold whole)."""
        return (pd.read_parquet(part, columns=columns) for part in self.parts)

    @property
    def n_rows(self) -> int:
        """Rows of all parts (from their Parquet footers; nothing else is read)."""
        import pyarrow.parquet as pq

        return sum(pq.read_metadata(part).num_rows for part in self.parts)


def run_in_chunks(step: Callable[..., pd.DataFrame], source, *, out, n_jobs: int = 1,
                  progress: bool = True, total: int | None = None, **params) -> ChunkedResult:
    """Apply ``step(chunk, **params)`` to every corpus chunk of ``source``; write one Parquet
    part per chunk to ``out``. ``step`` must be importable (a module-level function).

    ``total`` is the number of chunks, for the progress bar (counted for a folder).
    Returns a :class:`ChunkedResult`; its ``read()`` concatenates the parts.
    """
    return run_steps_in_chunks({"result": (step, params, out)}, source, n_jobs=n_jobs, progress=progress,
                               total=total)["result"]


def run_steps_in_chunks(steps: dict, source, *, n_jobs: int = 1, progress: bool = True,
                        total: int | None = None) -> dict[str, ChunkedResult]:
    """Several steps in one pass: ``steps`` is ``{name: (step, params, out)}``; every chunk of
    ``source`` is read once and each step's part written to its own ``out``, as
    :func:`run_in_chunks` would write it (so either resumes the other's parts).

    In a worker, the steps take a chunk together, :data:`SLICE` documents at a time, so each
    document is analysed once (:func:`analysis.text.analysis.analyze`) for all of them.
    """
    chunks = corpus_stream.corpus_chunks(source)  # checks the source before anything is written
    outs = {name: Path(out) for name, (_, _, out) in steps.items()}
    inputs = {}
    for name, (step, params, _) in steps.items():
        outs[name].mkdir(parents=True, exist_ok=True)
        _claim(outs[name], _step_key(step, params))
        inputs[name] = _read_inputs(outs[name])
    if total is None and isinstance(source, (str, os.PathLike)):
        total = len(corpus_stream.parquet_data_files(source))
    label = " + ".join(getattr(step, "__name__", "step") for step, _, _ in steps.values())
    bar = progress_bar(None, desc=label, total=total, unit="chunk", enabled=progress)
    seen, skipped, hashes = [0], dict.fromkeys(steps, 0), {}

    def todo():
        for i, chunk in enumerate(chunks):
            seen[0], hashes[i] = i + 1, chunk_sha256(chunk)
            missing = {}
            for name, (step, params, _) in steps.items():
                if inputs[name].get(str(i)) == hashes[i] and _part(outs[name], i).exists():
                    skipped[name] += 1
                else:
                    missing[name] = (step, params)
            if missing:
                yield i, (chunk, missing)
            else:
                bar.update()

    for i, tables in _map(_steps_together, todo(), {}, n_jobs):
        for name, table in tables.items():
            _write_atomically(table, _part(outs[name], i))
            inputs[name][str(i)] = hashes[i]
            _write_inputs(outs[name], inputs[name])
        bar.update()
    bar.close()
    for out in outs.values():
        for extra in out.glob("part-*.parquet"):  # left from an earlier, longer input
            if int(extra.stem.removeprefix("part-")) >= seen[0]:
                extra.unlink()
    return {name: ChunkedResult(outs[name], seen[0], skipped[name]) for name in steps}


def _steps_together(work) -> dict[str, pd.DataFrame]:
    """Each step's table of one chunk, computed slice by slice (see :data:`SLICE`)."""
    chunk, steps = work
    if len(steps) == 1:  # nothing to share: the step takes the whole chunk
        (name, (step, params)), = steps.items()
        return {name: step(chunk, **params)}
    parts: dict[str, list] = {name: [] for name in steps}
    for start in range(0, max(len(chunk), 1), SLICE):
        piece = chunk.iloc[start:start + SLICE]
        _analyse_slice(piece, steps.values())
        for name, (step, params) in steps.items():
            parts[name].append(step(piece, **params))
        forget_documents()  # the slice's analyses served all its steps; the next slice holds other documents
    return {name: pd.concat(tables, ignore_index=True) if len(tables) > 1 else tables[0]
            for name, tables in parts.items()}


def _analyse_slice(piece: pd.DataFrame, steps) -> None:
    """Analyse the slice's documents all at once (:func:`analysis.text.many.analyze_many`: the
    steps then find each analysis made), in each language, text column and lemmatiser a step reads."""
    for text_col, lang, lemmatizer in {(params.get("text_col", "text"), params.get("lang"),
                                        params.get("lemmatizer", "simplemma")) for _, params in steps}:
        if text_col in piece.columns and len(piece):
            texts = piece[text_col].tolist()
            if all(isinstance(text, str) for text in texts):  # else the step says what is wrong
                analyze_many(texts, langs=document_langs(piece, lang, text_col=text_col), lemmatizer=lemmatizer)


def map_chunks(step: Callable[..., pd.DataFrame], chunks: Iterable[pd.DataFrame], *, n_jobs: int = 1,
               **params) -> Iterable[pd.DataFrame]:
    """``step(chunk, **params)`` for each chunk, in input order, computed in ``n_jobs``
    processes with at most ``2 × n_jobs`` chunks in flight (nothing written to disk).

    >>> from analysis.frames.scoring import score_frames
    >>> chunks = [pd.DataFrame({"doc_id": ["a"], "lang": ["de"], "text": ["Panzer rollen."]})]
    >>> [len(t) > 0 for t in map_chunks(score_frames, chunks, dictionary="conflict")]
    [True]
    """
    return (table for _, table in _map(step, enumerate(chunks), params, n_jobs))


def _map(step, numbered_chunks, params: dict, n_jobs: int):
    """Yield ``(index, result)`` in input order, at most ``2 * n_jobs`` chunks in flight."""
    if n_jobs == 1:
        for n, (i, chunk) in enumerate(numbered_chunks):
            if n:  # give back what the chunk before freed (an in-memory corpus is one chunk: a full
                _release_after_chunk()  # collection over its cached analyses would cost ~0.2 s for nothing)
            yield i, _score_chunk(step, chunk, params)
        return
    # chunks drawn as workers free up (a list of chunks would hold them all in memory: 50 partitions
    # of 20,000 articles are ~2.5 GB)
    for result in map_in_order(_score_numbered, numbered_chunks, n_jobs, step=step, params=params):
        yield result
        # the chunk this process read and sent, and the result it received, are freed by now: their pages
        # go back (a 1M-article pass's main process held 1.0-1.3 GB of them, ~0.5 when trimmed per chunk)
        release_memory(collect=False)


def _score_numbered(numbered_chunk: tuple[int, pd.DataFrame], *, step, params: dict):
    """In a worker process: score the chunk, then drop its documents' analyses (they do not come
    again; the main process keeps its own, which the next stage reuses)."""
    index, chunk = numbered_chunk
    result = _score_chunk(step, chunk, params)
    forget_documents()
    _release_after_chunk()  # an idle worker would otherwise keep its last chunk's pages
    return index, result


COLLECT_EVERY = 10  # chunks between full garbage collections of a process that scores chunks
_chunks_scored = count(1)


def _release_after_chunk() -> None:
    """Give a chunk's freed pages back; collect garbage after every :data:`COLLECT_EVERY`-th chunk only.
    Steps run with the collector paused and leave next to no cyclic garbage (none after a chunk of the
    report's pass), while a full collection rescans every cached word: ~0.5 s per 5,000-article chunk
    of a large archive, 6 % of the chunk."""
    release_memory(collect=next(_chunks_scored) % COLLECT_EVERY == 0)


def _score_chunk(step, chunk: pd.DataFrame, params: dict) -> pd.DataFrame:
    # one bar over chunks, not one per chunk; the collector paused, else it rescans the caches' millions
    # of tuples (a chunk's cyclic garbage waits for the next collection, see _release_after_chunk)
    with quiet(), gc_paused():
        return step(chunk, **params)


def _part(out: Path, index: int) -> Path:
    return out / f"part-{index:05d}.parquet"


def _write_atomically(table: pd.DataFrame, path: Path) -> None:
    temporary = path.with_suffix(".tmp")
    table.to_parquet(temporary, index=False)
    os.replace(temporary, path)


def _read_inputs(out: Path) -> dict:
    path = out / _INPUTS
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def _write_inputs(out: Path, inputs: dict) -> None:
    temporary = out / (_INPUTS + ".tmp")
    temporary.write_text(json.dumps(inputs, sort_keys=True), encoding="utf-8")
    os.replace(temporary, out / _INPUTS)


def _step_key(step, params: dict) -> dict:
    name = f"{getattr(step, '__module__', '?')}.{getattr(step, '__qualname__', repr(step))}"
    return {"step": name, "params_sha256": params_sha256(params)}


def _claim(out: Path, key: dict) -> None:
    """Record which step owns ``out``; parts of a different step or parameters are removed."""
    marker = out / _MARKER
    if marker.exists() and json.loads(marker.read_text(encoding="utf-8")) != key:
        for stale in [*out.glob("part-*.parquet"), out / _INPUTS]:
            stale.unlink(missing_ok=True)
    marker.write_text(json.dumps(key), encoding="utf-8")
