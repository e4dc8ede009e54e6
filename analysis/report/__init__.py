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
>>> from analysis.corpus import datasets
>>> corpus = datasets.load_conflict_corpus().corpus.sample(40, random_state=1)
>>> out = Path(tempfile.mkdtemp())
>>> page = build_report(corpus[["doc_id", "text", "outlet", "published", "lang"]], out=out, progress=False)
>>> page.name, sorted(p.name for p in (out / "tables").glob("frame_*.csv"))
('index.html', ['frame_dictionary.csv', 'frame_prevalence_over_time.csv', 'frame_profile_by_group.csv', 'frame_scores.csv'])
"""

from __future__ import annotations

from pathlib import Path

from analysis.report.build import STAGES, ReportRun, run_report
from analysis.report.context import ReportContext
from analysis.report.stages import Stage, StageSkipped
from analysis.report.writer import ReportWriter, Section

__all__ = ["STAGES", "ReportContext", "ReportRun", "ReportWriter", "Section", "Stage", "StageSkipped",
           "build_report", "run_report"]


def build_report(source=None, *, out="report", by: str | None = "outlet", period: str = "M",
                 lang: str | None = None, columns: dict | None = None, topics="auto", dictionary="conflict",
                 n_jobs: int = 1, random_state: int = 0, progress: bool = True, resume: bool = True,
                 large: bool | None = None) -> Path:
    """Write the framing report of ``source`` (default: the bundled conflict corpus) to ``out``; returns the page.

    ``source``: a file, folder or DataFrame that :func:`analysis.load_corpus` reads.
    ``columns`` maps roles (``text``, ``id``, ``date``, ``outlet``, ``title``) to input
    columns; roles not given are guessed from common names. ``by``: the grouping column
    (one group when None or absent). ``period``: ``"M"``, ``"W"``, ``"Q"`` … for time
    series. ``lang``: language of every document (default: detected per document).
    ``topics``: a number of topics or ``"auto"`` (chosen by
    :func:`~analysis.topics.search.compare_n_topics`). ``dictionary``: a bundled frame
    dictionary (``"conflict"``, ``"generic"``) or a ``.yaml``/``.dic`` path. ``n_jobs``:
    worker processes; the tables are identical for any ``n_jobs``. ``random_state``
    seeds the topic search and fit, the bootstrap intervals and the KWIC samples.
    ``resume``: reuse finished stages from ``<out>/.stages/`` when the input and their
    parameters are unchanged (``False`` recomputes everything). ``large``: stream the
    corpus from Parquet partitions in ``<out>/.corpus/`` with only its metadata in memory
    (None: when the input exceeds 256 MB or 100,000 rows; the tables are the same except the
    topic model, which is then fitted in mini-batches and chosen on a 20,000-document sample).
    """
    return run_report(source, out=out, by=by, period=period, lang=lang, columns=columns, topics=topics,
                      dictionary=dictionary, n_jobs=n_jobs, random_state=random_state, progress=progress,
                      resume=resume, large=large).page
