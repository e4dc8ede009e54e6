"""Time and peak memory of every measure and of the whole report on one very long German article.

Run: ``python benchmarks/document_size.py`` (0.5, 1, 2, 5 and 50 MB) or
``python benchmarks/document_size.py --sizes 0.5,1,2,5 --stages actor_stance,report``.

Corpus: one long German article of the given size (MB of UTF-8 text) plus ``--normal`` (30)
ordinary articles, so that topics, keyness and the group comparisons have something to
compare. The long article is built from the repository's bundled German news
(``data/raw/gnad10``: DER STANDARD articles, CC BY-NC-SA 4.0; ``data/raw/gerntsa``: news
sentences, CC BY 4.0; ``data/raw/seed``: the seed article, which names Putin, Kim Jong Un,
Russland and the Ukraine), article after article as paragraphs, with a seed paragraph and
GerNTSA sentences that name an actor every few articles; the pool is repeated until the
size is reached (50 MB repeats it about 15 times). The ordinary articles are the first
``--normal`` GNAD articles (outlet ``DER STANDARD``); the long one has outlet ``Langtext``.
No ``lang`` column: every measure detects the language, as it does on a user's file.

Each size × stage runs in a fresh Python process (this script with ``--child``), so caches
of one stage do not help another and the peak resident memory (``ru_maxrss``, the process
and its children) belongs to that stage alone. Printed per row: seconds of the call (after
imports and building the corpus), its CPU seconds (user + system: what the stage costs
when other processes share the machine), the process's peak RSS, and ``growth`` = peak minus the
RSS before the call (what the stage itself held at its peak). A stage that runs longer than
``--timeout`` seconds is stopped and shown as ``timeout``. Linear cost means seconds per MB
(``s_per_mb``, ``cpu_s_per_mb``) stays flat down the sizes of one stage.

Stages: ``load`` (:func:`analysis.load_corpus` of the frame), ``language`` (detection),
``dedupe`` (near-duplicates), ``preprocessor`` (``Preprocessor.process_many``),
``top_lemmas`` (:func:`analysis.explore.term_counts.top_terms`), ``keyness``, ``topics``
(``fit_topics``, 3 topics), ``document_sentiment`` (``score_sentiment``), ``actor_stance``
and ``actor_lexicon`` (``actor_sentiment`` with ``method="stance"``/``"lexicon"``),
``frames`` (``score_frames``, conflict dictionary), ``kwic`` (every hit of Putin),
``report`` (``run_report(..., n_jobs=1, topics=3)`` into a fresh folder; its own stages'
seconds follow as ``report: <stage>`` rows, without memory: they share the report's process).
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SIZES = (0.5, 1, 2, 5, 50)
N_NORMAL = 30
LONG_OUTLET = "Langtext"
ACTOR_SENTENCES = ("Putin", "Selenskyj", "Russland", "Ukraine", "Kim", "Scholz", "Biden", "Nato", "NATO")


def _pool() -> tuple[list[str], list[str], list[str]]:
    """GNAD articles (the ones not used as ordinary documents), seed paragraphs, GerNTSA sentences naming an actor."""
    from analysis.corpus import datasets

    articles = datasets.load_gnad10().corpus["text"].astype(str).tolist()
    seed = [p.strip() for p in datasets.load_seed_article().corpus["text"].iloc[0].split("\n\n") if p.strip()]
    sentences = datasets.load_gerntsa().corpus["text"].astype(str).drop_duplicates()
    naming = [s for s in sentences if any(name in s for name in ACTOR_SENTENCES)]
    return articles, seed, naming


def long_article(megabytes: float, n_normal: int = N_NORMAL) -> str:
    """About ``megabytes`` MB (UTF-8) of German news text: see the module docstring."""
    articles, seed, naming = _pool()
    articles = articles[n_normal:]
    target, parts, size, i = int(megabytes * 1e6), [], 0, 0
    while size < target:
        part = articles[i % len(articles)]
        if i % 5 == 0:  # every fifth article: a seed paragraph and two sentences that name actors
            part += "\n\n" + seed[(i // 5) % len(seed)] + " " + " ".join(
                naming[(i // 5 * 2 + k) % len(naming)] for k in range(2))
        parts.append(part)
        size += len(part.encode("utf-8")) + 2
        i += 1
    return "\n\n".join(parts)


def build_corpus(megabytes: float, n_normal: int = N_NORMAL) -> pd.DataFrame:
    """The long article (``doc_id`` ``long``) and ``n_normal`` ordinary GNAD articles, dated over two months."""
    from analysis.corpus import datasets

    normal = datasets.load_gnad10().corpus.head(n_normal)
    texts = [long_article(megabytes, n_normal), *normal["text"].astype(str)]
    days = pd.date_range("2022-02-01", periods=len(texts), freq="2D", tz="UTC")
    return pd.DataFrame({"doc_id": ["long", *(f"gnad-{i}" for i in range(n_normal))], "text": texts,
                         "outlet": [LONG_OUTLET] + ["DER STANDARD"] * n_normal, "published": days})


def _stages() -> dict:
    """Stage name -> function of the corpus frame (imports on first use)."""
    import analysis as ak
    from analysis.explore.term_counts import top_terms
    from analysis.report import run_report
    from analysis.text.language import document_langs

    def report(corpus):
        out = Path(tempfile.mkdtemp(prefix="document-size-"))
        try:
            run = run_report(corpus, out=out / "report", n_jobs=1, topics=3, progress=False)
            failed = [s.name for s in run.stages if s.status not in ("computed", "reused", "skipped")]
            if failed:
                raise RuntimeError(f"report stages failed: {failed}")
        finally:
            shutil.rmtree(out, ignore_errors=True)
        return {stage.name: stage.seconds for stage in run.stages}

    return {
        "load": lambda c: ak.load_corpus(c),
        "language": lambda c: document_langs(c),
        "dedupe": lambda c: ak.dedupe(c),
        "preprocessor": lambda c: ak.Preprocessor(lang="de").process_many(c["text"], progress=False),
        "top_lemmas": lambda c: top_terms(c, by="outlet"),
        "keyness": lambda c: ak.keyness(c, by="outlet", target=LONG_OUTLET),
        "topics": lambda c: ak.fit_topics(c, 3),
        "document_sentiment": lambda c: ak.score_sentiment(c),
        "actor_stance": lambda c: ak.actor_sentiment(c, method="stance"),
        "actor_lexicon": lambda c: ak.actor_sentiment(c, method="lexicon"),
        "frames": lambda c: ak.score_frames(c, "conflict"),
        "kwic": lambda c: ak.kwic(c, "Putin"),
        "report": report,
    }


STAGES = ("load", "language", "dedupe", "preprocessor", "top_lemmas", "keyness", "topics", "document_sentiment",
          "actor_stance", "actor_lexicon", "frames", "kwic", "report")


def _cpu_seconds() -> float:
    """User + system CPU seconds of this process and its finished children so far."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _peak_mb() -> float:
    """Peak resident memory of this process and its finished children, MB (Linux: ru_maxrss is in KiB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def child(megabytes: float, stage: str, n_normal: int) -> dict:
    """Build the corpus, run ``stage`` once; seconds and memory as a dict."""
    from analysis.progress import quiet

    corpus = build_corpus(megabytes, n_normal)
    call = _stages()[stage]
    before, cpu = _peak_mb(), _cpu_seconds()
    with quiet():
        start = time.perf_counter()
        result = call(corpus)
        seconds = time.perf_counter() - start
    cpu = _cpu_seconds() - cpu
    peak = _peak_mb()
    parts = result if stage == "report" else {}  # the report's own stages, timed by run_report
    return {"seconds": seconds, "cpu_s": cpu, "peak_mb": peak, "growth_mb": peak - before, "parts": parts,
            "long_mb": len(corpus["text"].iloc[0].encode("utf-8")) / 1e6}


def run_child(megabytes: float, stage: str, n_normal: int, timeout: float) -> dict:
    command = [sys.executable, __file__, "--child", f"{megabytes}:{stage}", "--normal", str(n_normal)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"status": f"timeout (> {timeout:.0f} s)"}
    if done.returncode != 0:
        return {"status": "failed: " + (done.stderr.strip().splitlines() or ["?"])[-1][:120]}
    return {"status": "ok", **json.loads(done.stdout.strip().splitlines()[-1])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="MB of the long article, comma-separated")
    parser.add_argument("--stages", default=",".join(STAGES), help=f"comma-separated subset of {', '.join(STAGES)}")
    parser.add_argument("--normal", type=int, default=N_NORMAL, help="ordinary articles beside the long one")
    parser.add_argument("--timeout", type=float, default=600, help="seconds before a stage is stopped")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        size, stage = args.child.split(":")
        print(json.dumps(child(float(size), stage, args.normal)))
        return
    sizes = [float(s) for s in args.sizes.split(",")]
    stages = [s.strip() for s in args.stages.split(",")]
    unknown = sorted(set(stages) - set(STAGES))
    if unknown:
        parser.error(f"unknown stages {unknown}; choose from {', '.join(STAGES)}")
    print(f"One long German article + {args.normal} ordinary ones; a fresh process per size and stage; "
          f"seconds exclude imports and building the corpus.\n", flush=True)
    rows = []
    for stage in stages:
        for size in sizes:
            result = run_child(size, stage, args.normal, args.timeout)
            parts = result.pop("parts", {})
            rows.append({"size_mb": size, "stage": stage, **result})
            ok = result["status"] == "ok"
            print(f"{size:>6g} MB  {stage:<19} " + (f"{result['seconds']:8.1f} s  {result['cpu_s']:8.1f} s CPU  {result['peak_mb']:7.0f} MB peak  "
                  f"{result['growth_mb']:7.0f} MB growth" if ok else result["status"]), flush=True)
            for name, seconds in parts.items():
                rows.append({"size_mb": size, "stage": f"  report: {name}", "seconds": seconds, "status": "ok"})
                print(f"{'':>9}  {'  ' + name:<19} {seconds:8.1f} s", flush=True)
    table = pd.DataFrame(rows)
    if "seconds" in table:
        table["s_per_mb"] = table["seconds"] / table["size_mb"]
    if "cpu_s" in table:
        table["cpu_s_per_mb"] = table["cpu_s"] / table["size_mb"]
    columns = [c for c in ("stage", "size_mb", "seconds", "s_per_mb", "cpu_s", "cpu_s_per_mb", "peak_mb", "growth_mb",
                           "status") if c in table]
    print("\n" + table[columns].round(2).round({"peak_mb": 0, "growth_mb": 0}).to_string(index=False))


if __name__ == "__main__":
    main()
