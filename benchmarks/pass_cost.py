"""What one article costs in the large report's pass, step by step, in one process.

Run: ``python benchmarks/pass_cost.py`` (a 100,000-article Heaps archive, made once in
``--work`` as ``benchmarks/scale.py`` makes it) or
``python benchmarks/pass_cost.py --archive /work/scale1m/archive-heaps-1000000.parquet --at 700000``.

The report's large path runs one pass over the corpus (``ReportContext.corpus_pass``): document
sentiment, actor stance, frames and each document's terms, every document analysed once
(:func:`analysis.text.analysis.analyze`). This script runs the same steps with the same parameters
(:func:`analysis.report.measures.measures` and ``document_terms``) through
:func:`analysis.scale.batch.run_steps_in_chunks` in this process (``n_jobs=1``), 5,000 articles per
chunk as the report takes them, on ``--docs`` articles from row ``--at`` of the archive, after
``--warm`` articles before them have filled the caches (lemmas, chunks, matchers), as in a worker
deep into a large corpus. The pass analyses each slice of a chunk at once before its steps
(:func:`analysis.text.many.analyze_many`: tokens, lemmas, offsets, negation scopes), timed as
``analysis, each slice at once``; a first step, ``analysis``, then asks for each article's
analysis with its sentences, so the measures after it find their analyses made and their own
work shows.

Printed: milliseconds per article for each step and for the whole pass (the steps plus writing
the parts), and what that gives a 1M-article pass on ``--jobs`` processes if they scaled
perfectly: a lower bound for the overview stage of ``benchmarks/scale.py``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

CHUNK = 5_000  # the report's LARGE_CHUNK_DOCS


def analyse_documents(chunk: pd.DataFrame) -> pd.DataFrame:
    """Analyse each article of ``chunk`` fully (what the measures read); one row per article."""
    from analysis.text.analysis import analyze

    n_tokens = []
    for text, lang in zip(chunk["text"], chunk["lang"]):
        analysis = analyze(text, lang=lang)
        analysis.negated, analysis.sentences, analysis.starts  # made on first use: made here
        n_tokens.append(len(analysis))
    return pd.DataFrame({"doc_id": chunk["doc_id"].to_numpy(), "n_tokens": n_tokens})


class Timed:
    """A pass step that adds up the seconds it takes."""

    def __init__(self, step):
        self.step, self.seconds = step, 0.0
        self.__name__ = self.__qualname__ = getattr(step, "__name__", "step")

    def __call__(self, *args, **params):
        start = time.perf_counter()
        try:
            return self.step(*args, **params)
        finally:
            self.seconds += time.perf_counter() - start


def read_rows(archive: Path, first: int, n: int) -> pd.DataFrame:
    """Rows ``first`` to ``first + n`` of the archive as a corpus frame (``doc_id``, ``text``,
    ``outlet``, ``published``, ``lang``)."""
    source = pq.ParquetFile(archive)
    groups, offset, start = [], 0, None
    for g in range(source.num_row_groups):  # only the row groups that hold the rows are read
        size = source.metadata.row_group(g).num_rows
        if offset + size > first and offset < first + n:
            groups.append(g)
            start = offset if start is None else start
        offset += size
    frame = source.read_row_groups(groups).slice(first - start, n).to_pandas()
    frame = frame.rename(columns={"id": "doc_id"})
    return frame.assign(published=pd.to_datetime(frame.pop("date"), errors="coerce", utc=True), lang="de")


def pass_steps() -> dict:
    """The report's pass: ``{name: (step, params)}`` with an ``analysis`` step first."""
    from analysis.report.measures import measures
    from analysis.report.term_pass import document_terms
    from analysis.text import Preprocessor

    return {"analysis": (analyse_documents, {}), **measures({"dictionary": "conflict"}),
            "terms": (document_terms, {"by": "outlet", "preprocessor": Preprocessor(lang="de")})}


def measure(archive: Path, at: int, docs: int, warm: int) -> tuple[pd.DataFrame, float]:
    """Seconds per step on ``docs`` articles from row ``at`` (after ``warm`` before them), and the whole pass's."""
    from analysis.progress import quiet
    from analysis.scale import batch
    from analysis.scale.batch import run_steps_in_chunks

    rows = read_rows(archive, at - warm, warm + docs)
    chunks = lambda frame: [frame.iloc[s:s + CHUNK] for s in range(0, len(frame), CHUNK)]  # noqa: E731
    steps = pass_steps()
    with tempfile.TemporaryDirectory() as folder, quiet():
        warm_steps = {name: (step, params, Path(folder) / "warm" / name) for name, (step, params) in steps.items()}
        run_steps_in_chunks(warm_steps, chunks(rows.iloc[:warm]), progress=False)
        timed = {name: Timed(step) for name, (step, _) in steps.items()}
        body = {name: (timed[name], params, Path(folder) / name) for name, (_, params) in steps.items()}
        at_once = batch._analyse_slice = Timed(batch._analyse_slice)
        try:
            start = time.perf_counter()
            run_steps_in_chunks(body, chunks(rows.iloc[warm:]), progress=False)
            whole = time.perf_counter() - start
        finally:
            batch._analyse_slice = at_once.step
    timed = {"analysis, each slice at once": at_once, **timed}
    table = pd.DataFrame({"step": list(timed), "ms_per_article": [1000 * t.seconds / docs for t in timed.values()]})
    table["share"] = table["ms_per_article"] / table["ms_per_article"].sum()
    return table, 1000 * whole / docs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archive", type=Path, help="a Parquet archive (default: a 100,000-article Heaps archive)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/framing-kit-scale"), help="where the archive is made")
    parser.add_argument("--at", type=int, help="first measured row (default: the last --docs rows)")
    parser.add_argument("--docs", type=int, default=10_000, help="articles measured")
    parser.add_argument("--warm", type=int, default=20_000, help="articles before them that fill the caches")
    parser.add_argument("--jobs", type=int, default=2, help="processes of the 1M estimate")
    args = parser.parse_args()
    archive = args.archive
    if archive is None:
        from scale_corpus import write_archive

        archive = args.work / "archive-heaps-100000.parquet"
        if not archive.exists():
            args.work.mkdir(parents=True, exist_ok=True)
            write_archive(100_000, archive, vocabulary="heaps")
    n_rows = pq.read_metadata(archive).num_rows
    at = n_rows - args.docs if args.at is None else args.at
    if not args.warm <= at <= n_rows - args.docs:
        raise SystemExit(f"--at must leave {args.warm:,} rows before it and {args.docs:,} after it in {n_rows:,} rows.")
    table, whole = measure(archive, at, args.docs, args.warm)
    print(f"{archive} ({n_rows:,} articles): rows {at:,}-{at + args.docs:,} after {args.warm:,} warming the caches; "
          f"one process, {CHUNK:,} articles per chunk.\n")
    print(table.round({"ms_per_article": 3, "share": 3}).to_string(index=False))
    print(f"\nsteps together: {table['ms_per_article'].sum():.3f} ms per article; the whole pass (steps, "
          f"parts written): {whole:.3f} ms")
    print(f"1M articles on {args.jobs} processes, scaling perfectly: {whole * 1e6 / 1000 / args.jobs:,.0f} s for the "
          "pass alone")


if __name__ == "__main__":
    main()
