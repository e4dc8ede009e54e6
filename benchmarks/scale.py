"""The report at 10k, 100k and 1M articles: wall time and peak RSS per stage, docs/s.

Run: ``python benchmarks/scale.py`` (sizes 10000 100000 1000000) or
``python benchmarks/scale.py 10000 100000 --jobs 2 --work /tmp/scale``.

Corpora are made by ``benchmarks/scale_corpus.py``: real German sentences (10kGNAD and the
seed article) resampled into articles; with ``--vocabulary heaps`` (default) a share of words
is replaced by new compounds, names, numbers and typos so the vocabulary keeps growing as in
a real archive (``bounded``: the source's vocabulary only, which flatters per-type caches).
How each archive was made, its word types per prefix and fitted Heaps β are printed. Each size runs
``analysis.report.run_report(archive, large=True, n_jobs=…)`` — the command ``analysis
report ARCHIVE --large`` — in a fresh process: load (stream the archive into Parquet
partitions, keep the metadata), then every report stage (overview, top lemmas, topics
(k chosen on a 20,000-document sample, then a streaming fit), sentiment, actors, frames,
keyness, KWIC, validation material) and the page. The overview runs the one pass over the
partitions (``ReportContext.corpus_pass``: document sentiment, actor stance, frames and each
document's terms, each document analysed once, in 5,000-document chunks); the stages after it
read that pass's Parquet parts, so its time is in the overview's row. Peak RSS is the highest sum over that
process and its worker processes, sampled every 0.2 s, attributed to the stage running:
printed per stage (``peak GiB``; ``main GiB``: the report's own process alone, without its
workers) and for the whole run. A forked child (a figure drawn, a second bootstrap table computed beside
the first) shares its parent's pages, and its RSS counts them all again: the sum of PSS (proportional set
size: a page shared by two processes counts half in each), read once a second, is printed beside it
(``PSS GiB``, ``peak_pss_gib``): the memory the run takes. Every sample is kept in ``<work>/<size>/samples.csv`` beside the
stages' start and end times (``marks.jsonl``). CPU seconds of the same processes
(their own and those of finished workers, from ``/proc``) are printed per stage (``cpu s``):
on a machine shared with other work they vary less than wall seconds; the load average
at the start and end of each size is printed too.

The machine's own speed drifts (by 40 % between two days here), so each size also prints
``reference_s`` before and after its run: the seconds of a fixed workload that does not use the
kit (Python string and dict work on the bundled 10kGNAD test texts, as the pass does; best of 3
in a fresh process). Two runs compare where their references agree, or scaled by them.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


def run_report_timed(archive: Path, work: Path, n_jobs: int) -> dict:
    """Run the report on ``archive``, writing ``(stage, start, end)`` wall-clock marks to
    ``work/marks.jsonl`` as they happen; returns the number of documents."""
    from analysis.progress import quiet
    from analysis.report import STAGES, run_report

    marks = open(work / "marks.jsonl", "w", encoding="utf-8")

    def mark(name, start):
        marks.write(json.dumps({"stage": name, "start": start, "end": time.time()}) + "\n")
        marks.flush()

    loading = [True]

    def timed(stage):
        def run(ctx):
            if loading.pop() if loading else False:
                mark("load", begun)  # the first stage starts when loading has finished
            start = time.time()
            try:
                return stage.run(ctx)
            finally:
                mark(stage.name, start)
        return dataclasses.replace(stage, run=run)

    begun = time.time()
    with quiet():
        run = run_report(str(archive), out=work / "report", large=True, n_jobs=n_jobs, resume=False,
                         progress=False, lang="de", columns={"id": "id", "text": "text", "date": "date", "outlet": "outlet"},
                         stages=[timed(s) for s in STAGES])
    last = max(json.loads(line)["end"] for line in open(work / "marks.jsonl", encoding="utf-8"))
    mark("page", last)
    marks.close()
    failed = {r.name: str(r.error) for r in run.stages if r.status == "failed"}  # the page shows them in error boxes
    return {"n_docs": int(run.load.n_kept), "failed": failed}


def tree_usage(pid: int, *, proportional: bool = False) -> tuple[int, float, int, int | None]:
    """Resident bytes and CPU seconds (user + system, with those of reaped children) of a process
    and all its descendants, the resident bytes of the process alone and, with ``proportional``,
    their proportional set size (PSS: a page shared by k processes counts 1/k in each; None where
    ``/proc/<pid>/smaps_rollup`` is missing). A forked child's RSS counts every page it shares with
    its parent: the sum of RSS counts those twice, the sum of PSS once."""
    rss, ticks, todo, own, pss = 0, 0, [pid], 0, 0 if proportional else None
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/status") as status:
                resident = next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmRSS"))
            rss += resident
            own = resident if current == pid else own
            with open(f"/proc/{current}/stat") as stat:
                ticks += sum(int(v) for v in stat.read().rsplit(")", 1)[1].split()[11:15])
            if pss is not None:
                found = process_pss(current)
                pss = None if found is None else pss + found
            with open(f"/proc/{current}/task/{current}/children") as children:
                todo += [int(c) for c in children.read().split()]
        except (FileNotFoundError, ProcessLookupError, StopIteration):
            continue
    return rss, ticks / os.sysconf("SC_CLK_TCK"), own, pss


def process_pss(pid: int) -> int | None:
    """The PSS bytes of ``pid`` (None where ``smaps_rollup`` cannot be read)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            return next(int(line.split()[1]) * 1024 for line in rollup if line.startswith("Pss:"))
    except (PermissionError, StopIteration):
        return None


PSS_EVERY = 5  # samples (of 0.2 s) between two readings of the processes' PSS

REFERENCE_TEXTS = HERE.parent / "data" / "raw" / "gnad10" / "test.csv"


def reference_workload() -> float:
    """Best of 3 seconds of counting the lowercased words, and their word pairs, of the bundled
    10kGNAD test texts five times over (no part of the kit runs)."""
    words = REFERENCE_TEXTS.read_text(encoding="utf-8").split()
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for _ in range(5):
            lowered = [word.lower() for word in words]
            counts = {}
            for pair in zip(lowered, lowered[1:]):
                counts[pair] = counts.get(pair, 0) + 1
            sorted(set(lowered))
        best = min(best, time.perf_counter() - start)
    return best


def reference_seconds() -> float:
    """:func:`reference_workload` in a fresh process: the machine's speed now."""
    done = subprocess.run([sys.executable, __file__, "--reference"], capture_output=True, text=True, check=True)
    return float(done.stdout.strip().splitlines()[-1])


def measure(size: int, work: Path, n_jobs: int, vocabulary: str) -> dict:
    """Generate the archive, then run the report in a child process while sampling its RSS."""
    from scale_corpus import describe, write_archive

    work.mkdir(parents=True, exist_ok=True)
    archive = work / f"archive-{vocabulary}-{size}.parquet"
    if not archive.exists():
        write_archive(size, archive, vocabulary=vocabulary)
    print(f"{size:,} articles. {describe(archive, vocabulary)}", flush=True)
    run_dir = work / str(size)
    run_dir.mkdir(parents=True, exist_ok=True)
    reference = [reference_seconds()]
    child = subprocess.Popen([sys.executable, __file__, "--child", str(archive), "--work", str(run_dir),
                              "--jobs", str(n_jobs)], stdout=subprocess.PIPE, text=True)
    samples, done, load = [], threading.Event(), [os.getloadavg()[0]]

    def sample():
        cpu, n = 0.0, 0
        while not done.is_set():
            # PSS every PSS_EVERY-th sample (once a second): reading it walks a process's page tables
            rss, used, own, pss = tree_usage(child.pid, proportional=n % PSS_EVERY == 0)
            cpu, n = max(cpu, used), n + 1  # a worker that exited but is not yet reaped drops out for a moment
            samples.append((time.time(), rss, cpu, own, pss))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, _ = child.communicate()
    done.set()
    sampler.join()
    load.append(os.getloadavg()[0])
    reference.append(reference_seconds())
    if child.returncode:
        raise RuntimeError(f"size {size} failed (exit {child.returncode})")
    pd.DataFrame(samples, columns=["time", "tree_bytes", "cpu_s", "main_bytes", "tree_pss_bytes"]).to_csv(
        run_dir / "samples.csv", index=False)
    marks = [json.loads(line) for line in open(run_dir / "marks.jsonl", encoding="utf-8")]
    summary = json.loads(output.strip().splitlines()[-1])
    result = {"n_docs": summary["n_docs"], "failed": summary["failed"], "stages": {}, "load": load,
              "reference": reference}
    for name, error in summary["failed"].items():
        print(f"  section {name} FAILED ({error}): its time is not a valid figure", flush=True)
    def cpu_at(moment):  # CPU seconds used up to the last sample before ``moment``
        return max((cpu for t, _, cpu, _, _ in samples if t <= moment), default=0.0)

    def peak_pss(rows) -> float:
        return max((pss for *_, pss in rows if pss is not None), default=float("nan")) / 2**30

    for m in marks:
        during = [row for row in samples if m["start"] <= row[0] <= m["end"]] or [(0, 0, 0, 0, None)]
        peak, main_peak = max(row[1] for row in during) / 2**30, max(row[3] for row in during) / 2**30
        result["stages"][m["stage"]] = (m["end"] - m["start"], peak, cpu_at(m["end"]) - cpu_at(m["start"]), main_peak,
                                        peak_pss(during))
    result["peak_rss_gib"] = max(row[1] for row in samples) / 2**30
    result["peak_pss_gib"] = peak_pss(samples)
    return result


def table(results: dict[int, dict]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Totals per size, and seconds / peak GiB per stage and size."""
    rows, stages = [], {}
    for size, result in results.items():
        total = sum(seconds for seconds, *_ in result["stages"].values())
        rows.append({"articles": size, "failed_sections": len(result["failed"]), "total_s": round(total, 1), "docs_per_s": round(result["n_docs"] / total),
                     "cpu_s": round(sum(cpu for _, _, cpu, *_ in result["stages"].values()), 1),
                     "peak_rss_gib": round(result["peak_rss_gib"], 2),
                     "peak_pss_gib": round(result["peak_pss_gib"], 2),
                     "load_avg": " → ".join(f"{v:.1f}" for v in result["load"]),
                     "reference_s": " → ".join(f"{v:.2f}" for v in result["reference"])})
        for stage, (seconds, gib, cpu, main_gib, pss_gib) in result["stages"].items():
            stages.setdefault(stage, {})[f"{size:,} s"] = round(seconds, 1)
            stages[stage][f"{size:,} cpu s"] = round(cpu, 1)
            stages[stage][f"{size:,} peak GiB"] = round(gib, 2)
            stages[stage][f"{size:,} main GiB"] = round(main_gib, 2)
            stages[stage][f"{size:,} PSS GiB"] = round(pss_gib, 2)
    frame = pd.DataFrame(rows)
    frame["time_vs_previous"] = (frame["total_s"] / frame["total_s"].shift()).round(2)
    frame["size_vs_previous"] = (frame["articles"] / frame["articles"].shift()).round(1)
    return frame, pd.DataFrame.from_dict(stages, orient="index").rename_axis("stage")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--work", default="/tmp/framing-kit-scale")
    parser.add_argument("--vocabulary", choices=["heaps", "bounded"], default="heaps",
                        help="heaps: vocabulary keeps growing (default); bounded: the source's words only")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--reference", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.reference:
        print(reference_workload())
        return
    if args.child:
        work = Path(args.work)
        work.mkdir(parents=True, exist_ok=True)
        print(json.dumps(run_report_timed(Path(args.child), work, args.jobs)))
        return
    sys.path.insert(0, str(HERE))
    print(f"{os.cpu_count()} cores, {args.jobs} jobs.\n")
    results = {}
    for size in args.sizes:
        results[size] = measure(size, Path(args.work), args.jobs, args.vocabulary)
        totals, stages = table(results)
        print(totals.to_string(index=False))
        print()
        print(stages.to_string(), flush=True)
        print()


if __name__ == "__main__":
    main()
