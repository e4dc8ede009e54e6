"""What the report says to a command-line user: the console summary of a run, and advice in CLI terms.

Messages written for Python users (``pass date_col=…``, ``see .problems``) reach the page and
the console too; :func:`cli_wording` names the command's flag first and the keyword after.

>>> cli_wording("'Datum.1' fits too: pass date_col=… to choose")
"'Datum.1' fits too: pass --date-col … (API: date_col=…) to choose"
>>> cli_wording("x.csv: 3 input rows, 2 kept, 1 rejected; 1 kept with problems (see .problems)")
"x.csv: 3 input rows, 2 kept, 1 rejected; 1 kept with problems (listed under 'Kept rows with problems' in the report's Load report; API: .problems)"
"""

from __future__ import annotations

import re

_ROLES = "text|id|date|outlet|title"
_REWRITES = [
    (re.compile(rf"\b([Pp])ass ({_ROLES})_col=('[^']*'|…|\S+?)(?=[ .;,)]|$)"),
     lambda m: f"{m[1]}ass --{m[2]}-col {m[3]} (API: {m[2]}_col={m[3]})"),
    (re.compile(r"\bpass lang='de' or lang='en'"), lambda m: "pass --lang de or --lang en (API: lang='de' or 'en')"),
    (re.compile(r"; pass period=None to include them\."),
     lambda m: "; they are left out of the figures over time only, and counted in those by group (API: period=None)."),
    (re.compile(r"\(see \.problems\)"),
     lambda m: "(listed under 'Kept rows with problems' in the report's Load report; API: .problems)"),
    (re.compile(r"Use load_corpus\(\.\.\.\)\.rejected to see them\."),
     lambda m: "They are listed under 'Rejected rows' in the report's Load report (API: load_corpus(...).rejected)."),
]


def cli_wording(message: str) -> str:
    """``message`` with Python advice turned into the ``analysis report`` flag (the keyword kept in brackets)."""
    for pattern, replacement in _REWRITES:
        message = pattern.sub(replacement, message)
    return message


def console_summary(run) -> str:
    """The lines ``analysis report`` prints when done: the input's rows (kept, rejected and kept with a
    problem, by reason), the columns used and why, each stage with its status and time, the page's path.
    ``run``: a :class:`~analysis.report.build.ReportRun`.
    """
    lines = _load_lines(run.load) if run.load is not None else []
    lines += ["columns used:", run.columns_summary(), "stages (seconds):"]
    width = max((len(r.name) for r in run.stages), default=0)
    for stage in run.stages:
        why = next((n for n in stage.section.notes if n.startswith("Not computed")), "") if stage.status == "skipped" else ""
        lines.append(f"  {stage.name:<{width}}  {stage.status:<8} {stage.seconds:7.1f}" + (f"  {why}" if why else ""))
    lines += [f"  {'total':<{width}}  {'':<8} {sum(r.seconds for r in run.stages):7.1f}", run.summary(),
              f"report written to {run.page}"]
    return "\n".join(lines)


def _load_lines(load) -> list[str]:
    """``input: <source>``, the row counts, and one line per rejection reason and problem."""
    summary = load.summary()
    kept = int(summary.loc[summary["outcome"] == "kept", "n"].sum())
    rejected = summary[summary["outcome"] == "rejected"]
    problems = summary[summary["outcome"] == "kept with problem"]
    lines = [f"input: {load.source}",
             f"  {load.n_input:,} input rows: {kept:,} kept, {int(rejected['n'].sum()):,} rejected"]
    lines += [f"    rejected, {reason}: {n:,}" for reason, n in zip(rejected["reason"], rejected["n"])]
    lines += [f"    kept with a problem, {reason}: {n:,}" for reason, n in zip(problems["reason"], problems["n"])]
    if len(rejected) or len(problems):
        lines.append("  each row is listed in the page's Load report (tables/rejected_rows.csv, tables/problem_rows.csv)")
    return lines
