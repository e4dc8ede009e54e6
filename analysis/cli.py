"""The ``analysis`` command. ``analysis report [CORPUS] --out DIR`` builds the HTML framing report.

>>> _parser().parse_args(["report", "--topics", "8", "--jobs", "2"]).topics
'8'
>>> _parser().parse_args(["report", "--event", "2022-02-24=Invasion of Ukraine", "--event", "2022-03-29=Talks"]).events
['2022-02-24=Invasion of Ukraine', '2022-03-29=Talks']
"""

from __future__ import annotations

import argparse
import errno
import sys
import warnings
from pathlib import Path

from analysis.errors import CorpusReadError, MissingColumnError

EXIT_STATUS = ("exit status: 0 report written; 2 bad input or options, no documents to analyse, or another run "
               "writing to OUT (one line on stderr, no report); 3 report written, but some sections failed (each shows an error box with a "
               "work-around); 4 the output folder cannot be written (disk full, read-only, no permission); 130 "
               "interrupted (Ctrl-C). After 3, 4 and 130 the finished stages stay cached in OUT/.stages: the same "
               "command resumes from them.")
ROLES = ("text", "id", "date", "outlet", "title")  # analysis.corpus.columns.ROLES, spelled out: importing
# analysis.corpus loads pandas, and `analysis --help` should answer at once


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="analysis", description="framing-kit: how news outlets frame armed conflicts.")
    commands = parser.add_subparsers(dest="command", required=True)
    report = commands.add_parser(
        "report", help="build the HTML framing report of a corpus",
        description="Build a self-contained HTML framing report (index.html, figures/, tables/) of a corpus. "
                    "Finished stages are cached in OUT/.stages: after Ctrl-C, run the same command again to resume.",
        epilog=EXIT_STATUS)
    report.add_argument("corpus", nargs="?", help="CSV/TSV/JSON/JSONL/Parquet file or folder of .txt files "
                        "(default: the bundled conflict corpus)")
    report.add_argument("--out", default="report", help="output folder (default: report)")
    report.add_argument("--by", default="outlet", help="grouping column, or 'none' (default: outlet); of more "
                        "than 10 values the 9 largest are compared and the rest merged into '(other)'")
    report.add_argument("--period", default="M", help="period of time series: M (month), W (week), Q (quarter)")
    report.add_argument("--lang", choices=["de", "en"], help="language of all documents (default: detected)")
    report.add_argument("--topics", default="auto", help="number of topics, or 'auto' to choose it (default)")
    report.add_argument("--dictionary", default="conflict",
                        help="frame dictionary: conflict, generic, or a .yaml/.dic file (default: conflict)")
    report.add_argument("--event", action="append", metavar="DATE=LABEL", dest="events",
                        help="an event to mark in time figures and compare before and after, e.g. "
                             "--event 2022-02-24=\"Invasion of Ukraine\" (repeatable; default: none, or the "
                             "bundled corpus's own)")
    report.add_argument("--codes", metavar="FILE",
                        help="CSV/XLSX of hand-coded documents (doc_id and a column of codes, or a filled coding "
                             "sheet with its key): adds a supervised measure of them, corrected shares by group "
                             "and period (needs --variable)")
    report.add_argument("--variable", metavar="NAME", help="the column of --codes holding the codes, e.g. frame")
    report.add_argument("--jobs", type=int, default=1,
                        help="worker processes, used from 5,000 documents on (results do not depend on it)")
    report.add_argument("--random-state", type=int, default=0, help="seed of topics, intervals and samples")
    report.add_argument("--no-resume", action="store_true", help="recompute every stage instead of reusing the cache")
    report.add_argument("--keep-boilerplate", action="store_true",
                        help="keep lines and sentences that recur across documents (footers, bylines); by default "
                             "they are removed before analysis and listed in tables/boilerplate.csv")
    size = report.add_mutually_exclusive_group()
    size.add_argument("--large", action="store_const", const=True, dest="large",
                      help="stream the corpus from Parquet partitions, only metadata in memory "
                           "(default: when the input exceeds 256 MB or 100,000 rows)")
    size.add_argument("--in-memory", action="store_const", const=False, dest="large",
                      help="load the whole corpus into memory whatever its size")
    for role in ROLES:
        report.add_argument(f"--{role}-col", help=f"input column holding the {role} (default: guessed)")
    report.add_argument("--no-progress", action="store_true", help="hide progress bars")
    return parser


def main(argv=None) -> int:
    """Run the command; returns the exit status (see :data:`EXIT_STATUS`). Expected failures end
    with one line on stderr, never a traceback."""
    args = _parser().parse_args(argv)
    try:
        return _report(args)
    except KeyboardInterrupt:
        _say(f"interrupted; {_kept(args.out)}: run the same command again to resume from them.")
        return 130
    except OSError as err:
        from analysis.report.failures import output_errno
        code = output_errno(err)
        if code is None:
            raise
        where = err.filename or args.out
        if code in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
            _say(f"no space left to write {where} ({err.strerror or err}); {_kept(args.out)}. Free some space or "
                 "pass --out a folder on another disk, then run the same command again to resume.")
        else:
            _say(f"cannot write {where}: {err.strerror or err}. Pass --out a folder you can write to.")
        return 4


def _report(args) -> int:
    from analysis import report  # the report's stack (pandas, scikit-learn …) only when a command runs
    from analysis.report.console import cli_wording, console_summary

    columns = {role: getattr(args, f"{role}_col") for role in ROLES}
    with warnings.catch_warnings():  # restored after the run (main() may be called in a process that goes on)
        warnings.showwarning = _warn  # a warning about the input is one line to the user, not a code location
        try:
            run = report.run_report(args.corpus, out=args.out, by=None if args.by.lower() == "none" else args.by,
                                    period=args.period, lang=args.lang, columns=columns, topics=args.topics,
                                    dictionary=args.dictionary, n_jobs=args.jobs, random_state=args.random_state,
                                    progress=not args.no_progress, resume=not args.no_resume, large=args.large,
                                    keep_boilerplate=args.keep_boilerplate, events=args.events, codes=args.codes,
                                    variable=args.variable)
        except (FileNotFoundError, CorpusReadError, MissingColumnError, report.InvalidOptionError,
                report.OutputFolderBusy) as err:
            _say(cli_wording(str(err)))
            return 2
    print(console_summary(run))
    if run.failed:
        failed = [f"{r.section.title} ({r.error})" for r in run.stages if r.status == "failed"]
        _say(f"{len(failed)} section(s) failed: {'; '.join(failed)}. The rest of the report is written; "
             f"each failed section shows an error box with a work-around in {run.page}.")
        return 3
    return 0


def _say(message: str) -> None:
    print(f"analysis report: {message}", file=sys.stderr)


def _warn(message, category, filename, lineno, file=None, line=None) -> None:
    _say(f"warning: {message}")


def _kept(out) -> str:
    """How many finished stages the cache holds, for the line after an interruption."""
    stages = Path(out) / ".stages"
    n = len(list(stages.glob("*.json"))) if stages.is_dir() else 0
    return f"{n} finished stage{'' if n == 1 else 's'} kept in {stages}"


if __name__ == "__main__":
    sys.exit(main())
