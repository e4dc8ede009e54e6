"""The HTML page around the sections: header, what was run (and reused), navigation, style.

The page is self-contained: inline CSS, figures as ``data:`` URIs, no script, no external
resource. Every string from the corpus or the user is escaped before it gets here or here.
"""

from __future__ import annotations

import html
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from analysis import __version__
from analysis.report.writer import Section, p

CSS = """body{font-family:system-ui,sans-serif;max-width:1150px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
h2{border-top:2px solid #ddd;padding-top:.8em;margin-top:2em}h3{margin-top:1.5em}
table{border-collapse:collapse;font-size:.85em;margin:.5em 0}td,th{padding:.2em .6em;border-bottom:1px solid #ddd;text-align:left}
img{max-width:100%}.note{color:#666;font-size:.85em}figcaption,.caption{color:#555;font-size:.9em}
.scroll{overflow-x:auto}nav{background:#f6f6f6;padding:.6em 1em;line-height:1.9}nav a{margin-right:.2em}
.notes{background:#fff8e5;border-left:4px solid #edae49;padding:.3em 1em;margin:1em 0;font-size:.9em}
.skipped{color:#a33}.failed{background:#fdecea;border-left:4px solid #d1495b;padding:.3em 1em;margin:1em 0}
.failed pre{white-space:pre-wrap;font-size:.8em}"""

_STATUS = {"computed": "computed", "reused": "reused from cache", "skipped": "skipped (see its notes)",
           "failed": "failed (see its error box)"}


def run_section(params: dict, runs, stages_folder: Path) -> Section:
    """What this run did: its parameters and, per stage, whether it was computed or reused."""
    section = Section("run", "About this run")
    section.add(p(reuse_note(runs, stages_folder)))
    shown = {k: v for k, v in params.items() if k not in ("columns", "dictionary_sha")}
    unset = {"lang": "detected per document", "by": "none (one group)"}
    table = pd.DataFrame({"parameter": list(shown),
                          "value": [unset.get(k, "none") if v is None else str(v) for k, v in shown.items()]})
    stages = pd.DataFrame({"stage": [r.name for r in runs], "status": [_STATUS[r.status] for r in runs],
                           "seconds": [f"{r.seconds:.1f}" for r in runs]})
    for frame in (table, stages):
        section.add(frame.to_html(index=False, escape=True, border=0, classes="table"))
    section.add(p("manifest.json beside this page records the kit's and libraries' versions, the SHA-256 of the "
                  "input and of every table and validation file, all parameters and seeds, and the run's times. "
                  "analysis.reproducibility.manifest.verify_manifest('manifest.json') reruns the report and says whether every "
                  "table reproduces bit for bit."))
    return section


def reuse_note(runs, stages_folder: Path) -> str:
    """Which stages came from the cache (and which failed), in one or two sentences."""
    reused = [r.name for r in runs if r.reused]
    failed = [r.section.title for r in runs if r.status == "failed"]
    if not reused:
        note = f"All {len(runs)} stages were computed in this run (cached in {stages_folder} for the next one)."
    else:
        note = (f"{len(reused)} of {len(runs)} stages were reused from {stages_folder} because the input and their "
                f"parameters were unchanged: {', '.join(reused)}.")
    if failed:
        note += (f" {len(failed)} section(s) failed and show an error box instead of results: {', '.join(failed)}; "
                 "the other sections are complete.")
    return note


def render_page(title: str, corpus_label: str, sections: list[Section], *, lead: str = "") -> str:
    """The whole page: header (with ``lead``, a plain-text remark), navigation and sections."""
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    nav = " · ".join(f'<a href="#{html.escape(s.anchor)}"{_class(s)}>{html.escape(s.title)}</a>' for s in sections)
    intro = p(f"Corpus: {corpus_label}. Built by framing-kit {__version__} on {when}. Every figure is in figures/ "
              "(PNG and SVG) and every table behind it in tables/ (CSV and Parquet), next to this page. " + lead)
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
            f"<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>{html.escape(title)}</title><style>{CSS}</style></head><body>"
            f"<h1>{html.escape(title)}</h1>{intro}<nav>{nav}</nav>{''.join(s.html() for s in sections)}</body></html>")


def _class(section: Section) -> str:
    return " class='skipped'" if any(n.startswith(("Not computed", "Failed")) for n in section.notes) else ""
