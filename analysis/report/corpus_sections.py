"""Report stages about the corpus itself: load report, overview, top lemmas."""

from __future__ import annotations

from functools import partial

import matplotlib.pyplot as plt
import pandas as pd

from analysis.explore.describe import count_documents
from analysis.explore.term_counts import top_terms_from_counts
from analysis.plotting.corpus import plot_document_counts, plot_lengths, plot_top_terms_grid
from analysis.report.events import check_events, describe_events
from analysis.report.console import cli_wording
from analysis.report.languages import language_note, long_documents_note
from analysis.report.term_pass import term_pass
from analysis.report.writer import Section, h3, p

N_TERMS = 15


def load_report(ctx) -> Section:
    """Which columns were used and why; every input row kept or rejected with its reason."""
    section = Section("load-report", "Load report", [p(cli_wording(str(ctx.load)))])
    section.add(h3("Columns used"), ctx.writer.table(pd.DataFrame(ctx.why, columns=["role", "column", "why"]),
                                                      "columns_used"))
    section.add(h3("Input rows"), ctx.writer.table(ctx.load.summary(), "load_summary"))
    if len(ctx.load.rejected):
        section.add(h3("Rejected rows"), ctx.writer.table(ctx.load.rejected, "rejected_rows"))
    if len(ctx.load.problems):
        section.add(h3("Kept rows with problems"), ctx.writer.table(ctx.load.problems, "problem_rows"))
    if ctx.groups is not None:
        section.add(h3(f"Groups by '{ctx.by}'"), ctx.writer.table(ctx.groups, "groups", max_rows=12))
    section.notes.extend(ctx.notes)
    return section


def overview(ctx) -> Section:
    """Documents per group over time, and their lengths."""
    corpus, by, writer = ctx.corpus, ctx.by, ctx.writer
    section = Section("overview", "Corpus overview")
    dated = corpus["published"].notna()
    span = (f"from {corpus.loc[dated, 'published'].min():%Y-%m-%d} to {corpus.loc[dated, 'published'].max():%Y-%m-%d}"
            if dated.any() else "no dates")
    groups = corpus[by].value_counts().sort_index()
    section.add(p(f"{len(corpus):,} documents, {dated.sum():,} dated ({span}), in {len(groups)} group(s) by "
                  f"'{by}': " + ", ".join(f"{g} ({n:,})" for g, n in groups.items()) + "."))
    if dated.any():
        counts = count_documents(corpus, by=by, period=ctx.period)
        writer.table(counts, "documents_over_time", max_rows=None)
        draw = partial(_counts_figure, counts, by=by, events=ctx.events)
        section.add(writer.figure(draw, "documents_over_time", data="documents_over_time",
                                  alt=f"Documents per period ({ctx.period}) and {by}"), p(_events_note(ctx)))
    lengths = term_pass(ctx).lengths
    writer.table(lengths, "document_lengths", max_rows=None)
    section.add(writer.figure(partial(_lengths_figure, lengths, by=by), "document_lengths",
                              alt=f"Words per document, by {by}", data="document_lengths"))
    summary = lengths.groupby(by, observed=True).agg(
        n_docs=("doc_id", "size"), median_words=("n_words", "median"), mean_words=("n_words", "mean"),
        max_words=("n_words", "max"), median_terms=("n_terms", "median")).round(1)
    section.add(writer.table(summary.reset_index(), "document_lengths_summary"))
    flagged = long_documents_note(lengths, corpus)
    if flagged is not None:
        section.add(h3("Very long documents"), p(flagged[0], css="notes"), writer.table(flagged[1], "long_documents"))
    return section


def _counts_figure(counts: pd.DataFrame, *, by: str, events):
    fig, ax = plt.subplots(figsize=(9, 3.6))
    plot_document_counts(counts, by=by, events=events, ax=ax)
    return fig


def _lengths_figure(lengths: pd.DataFrame, *, by: str):
    fig, ax = plt.subplots(figsize=(9, 1.2 + 0.6 * lengths[by].nunique()))
    plot_lengths(lengths, by=by, ax=ax)
    return fig


def _events_note(ctx) -> str:
    """Which events the time figures mark and the before/after comparisons split at, and which lie outside."""
    inside = ctx.events_in_range
    outside = [e for e in check_events(ctx.params.get("events")) if e not in inside]
    if not inside and not outside:
        return ("No events are marked: pass --event DATE=LABEL (repeatable), e.g. --event "
                "2022-02-24=\"Invasion of Ukraine\", to mark events in the time figures and compare before and after.")
    note = (f"Dashed lines in the time figures mark {describe_events(inside)}; stance toward actors and (with one "
            f"group) keyness are compared before and after {inside[0].label}." if inside else
            "No event lies inside the corpus's dates, so none is marked and nothing is compared before and after.")
    if outside:
        note += f" Outside the corpus's dates, not used: {describe_events(outside)}."
    return note


def top_lemmas(ctx) -> Section:
    """The most frequent lemmas of each group."""
    terms = top_terms_from_counts(term_pass(ctx).by_group, by=ctx.by, n=N_TERMS)
    section = Section("top-lemmas", "Top lemmas per group", [p(
        "Most frequent lemmas after removing stopwords, punctuation and numbers, as a share of each group's "
        "terms. Frequent is not distinctive: the keyness section below shows what sets the groups apart. "
        + language_note(ctx.corpus, ctx.preprocessor))])
    flagged = long_documents_note(term_pass(ctx).lengths, ctx.corpus)
    if flagged is not None:
        section.notes.append(flagged[0])
    section.add(ctx.writer.figure(partial(plot_top_terms_grid, terms, by=ctx.by), "top_terms",
                                  alt=f"Top lemmas per {ctx.by}", data="top_terms"))
    ctx.writer.table(terms, "top_terms", max_rows=None)
    return section
