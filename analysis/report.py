"""The kit's main job: a self-contained HTML report of a corpus.

``build_report`` writes ``<out>/index.html`` (figures embedded, no external scripts or
network requests, all corpus text HTML-escaped), every figure as PNG and SVG in
``<out>/figures/`` and every table behind it as CSV in ``<out>/tables/``.
Sections so far: which columns were used and why, the load report, a corpus overview
(documents per group over time, lengths) and the top lemmas per group.

>>> from pathlib import Path; import tempfile
>>> page = build_report(out=Path(tempfile.mkdtemp()), progress=False)  # bundled conflict corpus
>>> page.name, (page.parent / "tables" / "top_terms.csv").exists()
('index.html', True)
"""

from __future__ import annotations

import base64
import html
import io
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # the report renders files; never needs a screen
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from analysis import __version__, datasets  # noqa: E402
from analysis.columns import guess_columns  # noqa: E402
from analysis.corpus import CorpusLoad, load_corpus  # noqa: E402
from analysis.describe import corpus_language, count_documents, document_lengths, top_terms  # noqa: E402
from analysis.plotting import plot_document_counts, plot_lengths, plot_top_terms_grid  # noqa: E402
from analysis.progress import progress_bar, quiet  # noqa: E402
from analysis.readers import read_source  # noqa: E402
from analysis.text.preprocessor import Preprocessor  # noqa: E402

_ROLES = ("text", "id", "date", "outlet", "title")


@dataclass
class Section:
    """One part of the page: a title, escaped HTML body parts, and the files it wrote."""

    title: str
    parts: list[str] = field(default_factory=list)

    def html(self) -> str:
        anchor = self.title.lower().replace(" ", "-")
        return f'<section id="{html.escape(anchor)}"><h2>{html.escape(self.title)}</h2>{"".join(self.parts)}</section>'


class ReportWriter:
    """Writes tables and figures of a report and returns the HTML that shows them."""

    def __init__(self, out: Path):
        self.out = out
        for sub in ("figures", "tables"):
            (out / sub).mkdir(parents=True, exist_ok=True)

    def table(self, frame: pd.DataFrame, name: str, *, max_rows: int = 30) -> str:
        frame.to_csv(self.out / "tables" / f"{name}.csv", index=False)
        shown = frame.head(max_rows)
        note = f"<p class='note'>First {max_rows} of {len(frame)} rows; all in tables/{name}.csv.</p>" if len(frame) > max_rows else ""
        return shown.to_html(index=False, escape=True, border=0, classes="table", na_rep="") + note

    def figure(self, fig, name: str, *, alt: str) -> str:
        fig.savefig(self.out / "figures" / f"{name}.png", dpi=150, bbox_inches="tight")
        fig.savefig(self.out / "figures" / f"{name}.svg", bbox_inches="tight")
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
        plt.close(fig)
        data = base64.b64encode(buffer.getvalue()).decode("ascii")
        return f'<figure><img alt="{html.escape(alt)}" src="data:image/png;base64,{data}"><figcaption>{html.escape(alt)}</figcaption></figure>'


def p(text: str) -> str:
    """An escaped paragraph."""
    return f"<p>{html.escape(text)}</p>"


def resolve_columns(source, given: dict | None) -> tuple[dict, list[tuple[str, str, str]]]:
    """Column for each corpus role: given by the user, else guessed from common names.

    Returns the mapping for :func:`load_corpus` and ``(role, column, why)`` rows.
    """
    given = {k: v for k, v in (given or {}).items() if v is not None}
    columns = list(read_source(source).records.columns)
    guessed = guess_columns(columns)
    mapping, why = {}, []
    for role in _ROLES:
        if role in given:
            mapping[role], reason = given[role], f"given (--{role}-col)"
        elif role in guessed:
            mapping[role], reason = guessed[role], "guessed from the column name"
        else:
            reason = "no such column found" + ("; ids generated from row numbers" if role == "id" else "")
            mapping[role] = None
        why.append((role, "" if mapping[role] is None else str(mapping[role]), reason))
    return mapping, why


def load_for_report(source, columns: dict | None, lang) -> tuple[CorpusLoad, list[tuple[str, str, str]]]:
    """Load the bundled conflict corpus (``source=None``) or the user's source."""
    if source is None:
        load = datasets.load_conflict_corpus()
        why = [("text", "body", "bundled conflict corpus"), ("id", "link", "bundled conflict corpus"),
               ("date", "date", "bundled conflict corpus"), ("outlet", "(file)", "Kremlin vs President of Ukraine"),
               ("title", "headline", "bundled conflict corpus")]
        return load, why
    mapping, why = resolve_columns(source, columns)
    if mapping["text"] is None:
        mapping["text"] = "text"  # load_corpus then names the existing columns in its error
    load = load_corpus(source, text_col=mapping["text"], id_col=mapping["id"], date_col=mapping["date"],
                       outlet_col=mapping["outlet"], title_col=mapping["title"], lang=lang)
    return load, why


def section_load(load: CorpusLoad, why, writer: ReportWriter) -> Section:
    section = Section("Load report", [p(str(load))])
    section.parts.append(writer.table(pd.DataFrame(why, columns=["role", "column", "why"]), "columns_used"))
    section.parts.append(writer.table(load.summary(), "load_summary"))
    if len(load.rejected):
        section.parts.append("<h3>Rejected rows</h3>" + writer.table(load.rejected, "rejected_rows"))
    if len(load.problems):
        section.parts.append("<h3>Kept rows with problems</h3>" + writer.table(load.problems, "problem_rows"))
    return section


def section_overview(corpus: pd.DataFrame, by, period: str, writer: ReportWriter, preprocessor) -> Section:
    section = Section("Corpus overview")
    dated = corpus["published"].notna()
    span = (f"from {corpus.loc[dated, 'published'].min():%Y-%m-%d} to {corpus.loc[dated, 'published'].max():%Y-%m-%d}"
            if dated.any() else "no dates")
    section.parts.append(p(f"{len(corpus)} documents, {dated.sum()} dated ({span}); grouped by {by or 'nothing'}."))
    if dated.any():
        counts = count_documents(corpus, by=by, period=period)
        events = {"Invasion of Ukraine": datasets.INVASION_DATE} if _spans(corpus, datasets.INVASION_DATE) else None
        fig, ax = plt.subplots(figsize=(9, 4))
        plot_document_counts(counts, by=by or "group", events=events, ax=ax)
        section.parts.append(writer.figure(fig, "documents_over_time", alt=f"Documents per period ({period}) and {by or 'group'}"))
        writer.table(counts, "documents_over_time")
    lengths = document_lengths(corpus, by=by, preprocessor=preprocessor)
    fig, ax = plt.subplots(figsize=(9, 1.2 + 0.6 * lengths[by or "group"].nunique()))
    plot_lengths(lengths, by=by or "group", ax=ax)
    section.parts.append(writer.figure(fig, "document_lengths", alt="Words per document, by group"))
    summary = lengths.groupby(by or "group", observed=True).agg(
        n_docs=("doc_id", "size"), median_words=("n_words", "median"), mean_words=("n_words", "mean"),
        max_words=("n_words", "max"), median_terms=("n_terms", "median")).round(1)
    section.parts.append(writer.table(summary.reset_index(), "document_lengths_summary"))
    writer.table(lengths, "document_lengths")
    return section


def _spans(corpus: pd.DataFrame, date: str) -> bool:
    when = pd.Timestamp(date, tz="UTC")
    return bool(corpus["published"].min() < when < corpus["published"].max())


def section_terms(corpus: pd.DataFrame, by, writer: ReportWriter, preprocessor, n_terms: int = 15) -> Section:
    terms = top_terms(corpus, by=by, n=n_terms, preprocessor=preprocessor)
    axes = plot_top_terms_grid(terms, by=by or "group")
    section = Section("Top lemmas per group", [p(
        "Most frequent lemmas after removing stopwords, punctuation and numbers; share of each group's terms.")])
    section.parts.append(writer.figure(axes.flat[0].figure, "top_terms", alt="Top lemmas per group"))
    shown = terms.round({"share": 4, "doc_share": 3})
    section.parts.append(writer.table(shown, "top_terms", max_rows=n_terms * 4))
    return section


_CSS = """body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;font-size:.85em;margin:.5em 0}td,th{padding:.2em .6em;border-bottom:1px solid #ddd;text-align:left}
img{max-width:100%}.note{color:#666;font-size:.85em}figcaption{color:#555;font-size:.9em}"""


def build_report(source=None, *, out="report", by: str | None = "outlet", period: str = "M",
                 lang: str | None = None, columns: dict | None = None, progress: bool = True) -> Path:
    """Write the HTML report of ``source`` (default: the bundled conflict corpus) to ``out``.

    ``columns`` maps roles (``text``, ``id``, ``date``, ``outlet``, ``title``) to input
    columns; roles not given are guessed from common names. Returns the page's path.
    """
    with nullcontext() if progress else quiet():
        return _build(source, Path(out), by, period, lang, columns)


def _build(source, out: Path, by, period, lang, columns) -> Path:
    writer = ReportWriter(out)
    stages = progress_bar(None, desc="report", total=3, unit="stage")
    load, why = load_for_report(source, columns, lang)
    corpus = load.corpus
    if by is not None and (by not in corpus.columns or corpus[by].isna().all()):
        by = None  # nothing to group by: one group
    sections = [section_load(load, why, writer)]
    stages.update()
    preprocessor = Preprocessor(lang=corpus_language(corpus))  # one instance: its cache serves every section
    sections.append(section_overview(corpus, by, period, writer, preprocessor))
    stages.update()
    sections.append(section_terms(corpus, by, writer, preprocessor))
    stages.update()
    stages.close()
    page = out / "index.html"
    page.write_text(_page(load, sections), encoding="utf-8")
    return page


def _page(load: CorpusLoad, sections: list[Section]) -> str:
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    nav = " · ".join(f'<a href="#{html.escape(s.title.lower().replace(" ", "-"))}">{html.escape(s.title)}</a>' for s in sections)
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Framing report: "
            f"{html.escape(Path(load.source).name)}</title><style>{_CSS}</style></head><body>"
            f"<h1>Framing report</h1>{p(f'Corpus: {load.source}. framing-kit {__version__}, {when}.')}"
            f"<nav>{nav}</nav>{''.join(s.html() for s in sections)}</body></html>")
