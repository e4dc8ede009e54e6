"""Wall time of the bundled report: ``build_report(out=tmpdir, progress=False)`` with its defaults.

Run: ``python benchmarks/report_time.py`` (n_jobs 1 and 2, one run each) or
``python benchmarks/report_time.py --repeats 3 --jobs 1 2``.

Each run is a fresh Python process (this script with ``--child``) writing to a fresh, empty
output folder, on the bundled conflict corpus (1,796 English press releases of the Kremlin
and the President of Ukraine). The child calls ``run_report`` — ``build_report`` is
``run_report(...).page`` — and reports the call's seconds and each stage's seconds
(``ReportRun.stages[i].seconds``) as JSON; the rest of the call (loading, the page, the
manifest) is printed as one row. The actor stance is computed in a forked process from the start
(``analysis/report/ahead.py``), so its stage's seconds are what it still waits for and what it does
with the stance. The parent also times the whole process, imports included,
which is what a user of ``analysis report`` waits for. Of the repeats the fastest process is
kept. Target: the whole process ≤ 25 s.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TARGET_S = 25


def child(n_jobs: int) -> dict:
    """Run the report into a fresh folder; seconds of the call and of each stage."""
    from analysis.report import run_report

    out = Path(tempfile.mkdtemp(prefix="report-time-"))
    try:
        start = time.perf_counter()
        run = run_report(out=out, progress=False, n_jobs=n_jobs)
        call = time.perf_counter() - start
    finally:
        shutil.rmtree(out, ignore_errors=True)
    stages = {stage.name: stage.seconds for stage in run.stages}
    return {"call": call, "stages": stages, "status": {stage.name: stage.status for stage in run.stages}}


def run_child(n_jobs: int) -> dict:
    start = time.perf_counter()
    output = subprocess.run([sys.executable, __file__, "--child", str(n_jobs)], check=True,
                            capture_output=True, text=True).stdout
    return {**json.loads(output.strip().splitlines()[-1]), "process": time.perf_counter() - start}


def column(result: dict) -> pd.Series:
    """Seconds per stage, the rest of the call, the call and the whole process."""
    stages = {f"{name} ({result['status'][name]})": seconds for name, seconds in result["stages"].items()}
    rest = result["call"] - sum(result["stages"].values())
    return pd.Series({**stages, "loading, page, manifest": rest, "report call": result["call"],
                      "whole process (imports included)": result["process"]})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="n_jobs values to run")
    parser.add_argument("--repeats", type=int, default=1, help="fresh processes per n_jobs (fastest is kept)")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child)))
        return
    print(f"Bundled report (conflict corpus, defaults), fresh process and output folder, "
          f"best of {args.repeats}.\n")
    best = {n: min((run_child(n) for _ in range(args.repeats)), key=lambda r: r["process"]) for n in args.jobs}
    table = pd.DataFrame({f"n_jobs={n} s": column(result) for n, result in best.items()}).round(1)
    print(table.rename_axis("stage").to_string())
    times = ", ".join(f"n_jobs={n}: {result['process']:.1f} s" for n, result in best.items())
    verdict = "met" if all(r["process"] <= TARGET_S for r in best.values()) else "missed"
    print(f"\nbundled report ≤ {TARGET_S} s (whole process): {verdict} ({times})")


if __name__ == "__main__":
    main()
