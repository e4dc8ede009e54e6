"""The report's pipeline at 10k, 100k and 1M articles: wall time per stage, docs/s, peak RSS.

Run: ``python benchmarks/scale.py`` (sizes 10000 100000 1000000) or
``python benchmarks/scale.py 10000 100000 --jobs 2 --work /tmp/scale``.

Corpora are made by ``benchmarks/scale_corpus.py``: real German sentences (10kGNAD and the
seed article) resampled into articles — real text, but a vocabulary bounded by the source,
which flatters per-type caches compared with a real archive. Each size runs in a fresh
process; peak RSS is the highest sum over that process and its worker processes, sampled
every 0.2 s. Stages, as the report runs them on a large corpus:

- load: ``write_parquet_dataset`` (checks every row, ids, dates; Parquet partitions)
- topics: ``fit_topics_streaming`` (k=10, NMF, fixed vocabulary, MiniBatchNMF)
- sentiment: ``run_in_chunks(score_sentiment)``, document level
- frames: ``run_in_chunks(score_frames, dictionary="conflict")``
- actors: ``run_in_chunks(actor_sentiment)``
- summaries: ``prevalence`` of document sentiment by outlet and month with bootstrap intervals
"""

from __future__ import annotations

import argparse
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
STAGES = ("load", "topics", "sentiment", "frames", "actors", "summaries")


def run_stages(archive: Path, work: Path, n_jobs: int) -> dict[str, float]:
    """Run every stage on ``archive``; seconds per stage."""
    from analysis.batch import run_in_chunks
    from analysis.compare import prevalence
    from analysis.frames import score_frames
    from analysis.progress import quiet
    from analysis.sentiment import actor_sentiment, score_sentiment
    from analysis.stream import write_parquet_dataset
    from analysis.topics_stream import fit_topics_streaming

    corpus, seconds = work / "corpus", {}

    def timed(name, func):
        start = time.perf_counter()
        result = func()
        seconds[name] = time.perf_counter() - start
        return result

    with quiet():
        stored = timed("load", lambda: write_parquet_dataset(
            archive, corpus, chunksize=5_000, overwrite=True, text_col="text", id_col="id", date_col="date",
            outlet_col="outlet", lang="de"))
        model = timed("topics", lambda: fit_topics_streaming(corpus, 10, random_state=0))
        model.doc_topics().to_parquet(work / "doc_topics.parquet", index=False)
        sentiment = timed("sentiment", lambda: run_in_chunks(score_sentiment, corpus, out=work / "sentiment",
                                                             n_jobs=n_jobs))
        timed("frames", lambda: run_in_chunks(score_frames, corpus, out=work / "frames", n_jobs=n_jobs,
                                              dictionary="conflict"))
        timed("actors", lambda: run_in_chunks(actor_sentiment, corpus, out=work / "actors", n_jobs=n_jobs))

        def summaries():
            scores = sentiment.read(columns=["doc_id", "score"])
            metadata = pd.concat(stored.iter_partitions(columns=["doc_id", "outlet", "published"]), ignore_index=True)
            return prevalence(scores.rename(columns={"score": "value"}).assign(item="sentiment"),
                              by="outlet", period="M", metadata=metadata, n_boot=200)
        import warnings
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # undated documents are dropped from monthly series, by design
            timed("summaries", summaries)
    seconds["n_docs"] = stored.n_kept
    return seconds


def tree_rss(pid: int) -> int:
    """Resident bytes of a process and all its descendants."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/status") as status:
                total += next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmRSS"))
            with open(f"/proc/{current}/task/{current}/children") as children:
                todo += [int(c) for c in children.read().split()]
        except (FileNotFoundError, ProcessLookupError, StopIteration):
            continue
    return total


def measure(size: int, work: Path, n_jobs: int) -> dict:
    """Generate the archive, then run the stages in a child process while sampling its RSS."""
    from scale_corpus import write_archive

    work.mkdir(parents=True, exist_ok=True)
    archive = work / f"archive-{size}.parquet"
    if not archive.exists():
        write_archive(size, archive)
    child = subprocess.Popen([sys.executable, __file__, "--child", str(archive), "--work", str(work / str(size)),
                              "--jobs", str(n_jobs)], stdout=subprocess.PIPE, text=True)
    peak, done = [0], threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], tree_rss(child.pid))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, _ = child.communicate()
    done.set()
    sampler.join()
    if child.returncode:
        raise RuntimeError(f"size {size} failed (exit {child.returncode})")
    result = json.loads(output.strip().splitlines()[-1])
    result["peak_rss_gib"] = peak[0] / 2**30
    return result


def table(results: dict[int, dict]) -> pd.DataFrame:
    rows = []
    for size, result in results.items():
        total = sum(result[s] for s in STAGES)
        row = {"articles": size, **{f"{s}_s": round(result[s], 1) for s in STAGES}, "total_s": round(total, 1),
               "docs_per_s": round(result["n_docs"] / total), "peak_rss_gib": round(result["peak_rss_gib"], 2)}
        rows.append(row)
    frame = pd.DataFrame(rows)
    frame["time_vs_previous"] = (frame["total_s"] / frame["total_s"].shift()).round(2)
    frame["size_vs_previous"] = (frame["articles"] / frame["articles"].shift()).round(1)
    return frame


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--work", default="/tmp/framing-kit-scale")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        work = Path(args.work)
        work.mkdir(parents=True, exist_ok=True)
        print(json.dumps(run_stages(Path(args.child), work, args.jobs)))
        return
    sys.path.insert(0, str(HERE))
    print("Synthetic archives: real German news sentences (10kGNAD + seed article) resampled into articles "
          "(6-30 sentences, ~2,100 characters); bounded vocabulary flatters caches.")
    print(f"{os.cpu_count()} cores, {args.jobs} jobs.\n")
    results = {}
    for size in args.sizes:
        results[size] = measure(size, Path(args.work), args.jobs)
        print(table(results).to_string(index=False), flush=True)
        print()


if __name__ == "__main__":
    main()
