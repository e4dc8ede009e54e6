"""The ``analysis`` command. ``analysis report [CORPUS] --out DIR`` builds the HTML report."""

from __future__ import annotations

import argparse
import sys

from analysis.errors import CorpusReadError, MissingColumnError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="analysis", description="framing-kit: how news outlets frame armed conflicts.")
    commands = parser.add_subparsers(dest="command", required=True)
    report = commands.add_parser("report", help="build the HTML framing report of a corpus")
    report.add_argument("corpus", nargs="?", help="CSV/TSV/JSON/JSONL/Parquet file or folder of .txt files "
                        "(default: the bundled conflict corpus)")
    report.add_argument("--out", default="report", help="output folder (default: report)")
    report.add_argument("--by", default="outlet", help="grouping column (default: outlet)")
    report.add_argument("--period", default="M", help="period for time series: M (month) or W (week)")
    report.add_argument("--lang", choices=["de", "en"], help="language of all documents (default: detect)")
    for role in ("text", "id", "date", "outlet", "title"):
        report.add_argument(f"--{role}-col", help=f"input column holding the {role} (default: guessed)")
    report.add_argument("--no-progress", action="store_true", help="hide progress bars")
    return parser


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    from analysis.report import build_report

    columns = {role: getattr(args, f"{role}_col") for role in ("text", "id", "date", "outlet", "title")}
    try:
        page = build_report(args.corpus, out=args.out, by=args.by, period=args.period, lang=args.lang,
                            columns=columns, progress=not args.no_progress)
    except (FileNotFoundError, CorpusReadError, MissingColumnError) as err:
        print(f"analysis report: {err}", file=sys.stderr)
        return 2
    print(f"report written to {page}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
