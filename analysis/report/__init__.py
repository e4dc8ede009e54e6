"""The kit's main job: a self-contained HTML framing report of a corpus, resumable.

``build_report`` writes ``<out>/index.html`` (figures embedded, no script, no external
resource, all corpus text HTML-escaped), every figure as PNG and SVG in
``<out>/figures/`` and every table behind it as CSV and Parquet in ``<out>/tables/``.
Sections: what was run, load report (columns used and why), corpus overview, top lemmas,
topics, document and actor sentiment, frames, keyness, keywords in context.

The report is an ordered list of stages (:data:`STAGES`, see :mod:`analysis.report.stages`);
each finished stage is cached in ``<out>/.stages/``, so an interrupted run resumes and
an unchanged rerun only rewrites the page. A corpus larger than memory keeps its texts in
Parquet partitions and only its metadata in memory (:mod:`analysis.report.corpus_access`):
stages read texts chunk by chunk through the :class:`ReportContext`.

>>> import tempfile
>>> from pathlib import Path
>>> from analysis.corpus import datasets
>>> corpus = datasets.load_conflict_corpus().corpus.sample(40, random_state=1)
>>> out = Path(tempfile.mkdtemp())
>>> page = build_report(corpus[["doc_id", "text", "outlet", "published", "lang"]], out=out, progress=False)
>>> page.name, sorted(p.name for p in (out / "tables").glob("frame_*.csv"))
('index.html', ['frame_dictionary.csv', 'frame_dictionary_comparison.csv', 'frame_dictionary_fit.csv', 'frame_prevalence_over_time.csv', 'frame_profile_by_group.csv', 'frame_scores.csv'])
"""

from __future__ import annotations


from analysis.report.build import STAGES, InvalidOptionError, ReportRun, build_report, run_report
from analysis.report.context import ReportContext
from analysis.report.lock import OutputFolderBusy
from analysis.report.options import ReportOptions
from analysis.report.stages import Stage, StageSkipped
from analysis.report.writer import ReportWriter, Section

__all__ = ["STAGES", "InvalidOptionError", "OutputFolderBusy", "ReportContext", "ReportOptions", "ReportRun", "ReportWriter", "Section",
           "Stage", "StageSkipped", "build_report", "run_report"]
