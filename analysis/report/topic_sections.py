"""Report stage: topics — k chosen with evidence (or given), terms, prevalence by group and period.

>>> search = pd.DataFrame({"k": [4, 6, 8], "npmi": [0.30, 0.33, 0.34], "stability": [0.95, 0.9, 0.6]})
>>> choose_k(search)[0]
6
>>> candidate_ks(120), candidate_ks(5000)
([4], [4, 6, 8, 10, 12])
>>> extension_ks(12, 5000), extension_ks(12, 450)
([16, 20], [16])
"""

from __future__ import annotations

from functools import partial

import numpy as np
import pandas as pd

from analysis.compare.prevalence import wide_prevalence
from analysis.corpus.id_sets import is_in
from analysis.plotting.compare import plot_prevalence_grid, plot_profile
from analysis.plotting.topics import plot_n_topics, plot_topic_terms
from analysis.report.report_input import in_order
from analysis.report.languages import language_note
from analysis.report.stages import StageSkipped
from analysis.report.term_pass import corpus_document_frequencies, corpus_terms, partition_counts, terms_at
from analysis.report.writer import Section, h3, p
from analysis.topics.search import compare_n_topics
from analysis.topics.fit import STREAMING_MIN_DOCS, fit_topics
from analysis.topics.in_memory import fit_topics_in_memory
from analysis.topics.pipeline import MAX_DF, MAX_TERMS, DocumentTerms, TooFewTermsError, auto_min_df, vectorise
from analysis.topics.streaming import fit_topics_streaming

MIN_DOCS = 30
CANDIDATES = (4, 6, 8, 10, 12)
EXTENSION = (16, 20)  # tried in turn while the chosen k is the largest searched; 20 is the cap
DOCS_PER_TOPIC = 25  # a candidate k needs at least this many documents per topic
MIN_STABILITY = 0.8
N_SEEDS = 3
SEARCH_TOL = 1e-3  # NMF tolerance of the search fits: ~40 % fewer iterations, same topics (benchmarks/report_time.py)
RELEVANCE = 0.6
SEARCH_DOCS = 20_000  # the choice of k on a large corpus is made on a random sample this size


def candidate_ks(n_docs: int) -> list[int]:
    """The grid searched for ``--topics auto``: the candidates with enough documents per topic."""
    return [k for k in CANDIDATES if k * DOCS_PER_TOPIC <= n_docs] or [CANDIDATES[0]]


def extension_ks(largest: int, n_docs: int) -> list[int]:
    """The k the grid may grow to beyond its ``largest`` candidate, for a corpus of ``n_docs`` documents."""
    return [k for k in EXTENSION if k > largest and k * DOCS_PER_TOPIC <= n_docs]


def choose_k(search: pd.DataFrame) -> tuple[int, str]:
    """The k with the highest NPMI coherence among those stable across subsamples, and why.

    Stable: ``stability >= 0.8``. Without any stable k, the most stable one. Ties go to the smaller k.
    """
    stable = search[search["stability"] >= MIN_STABILITY]
    if stable.empty:
        best = search.sort_values(["stability", "k"], ascending=[False, True]).iloc[0]
        return int(best["k"]), (f"no candidate reached a stability of {MIN_STABILITY} across subsamples, so the "
                                f"most stable one was taken (stability {best['stability']:.2f}).")
    best = stable.sort_values(["npmi", "k"], ascending=[False, True]).iloc[0]
    return int(best["k"]), (f"it has the highest NPMI coherence ({best['npmi']:.3f}) among the candidates whose "
                            f"topics were reproducible across subsamples (stability ≥ {MIN_STABILITY}: k = "
                            f"{', '.join(str(k) for k in stable['k'])}).")


def topics(ctx) -> Section:
    """Topic model: choice of k, top terms, representative documents, prevalence by group and period."""
    corpus, writer = ctx.corpus, ctx.writer
    if len(corpus) < MIN_DOCS:
        raise StageSkipped(f"a topic model needs at least {MIN_DOCS} documents; the corpus has {len(corpus)}.")
    section = Section("topics", "Topics")
    try:
        k = _choose(ctx, section)
        if k >= len(corpus):
            raise StageSkipped(f"{k} topics need more than {k} documents; the corpus has {len(corpus)}.")
        model = fit_report_model(ctx, k)
    except TooFewTermsError as too_alike:  # e.g. one press release repeated with another date
        raise StageSkipped(str(too_alike)) from too_alike
    terms = model.terms(n=10, relevance=RELEVANCE)
    names = {t: f"{t} · {', '.join(g['term'].head(3))}" for t, g in terms.groupby("topic", sort=False)}
    fitted = ("fitted in mini-batches over the corpus's Parquet partitions (analysis.topics.streaming."
              "fit_topics_streaming, fixed vocabulary)" if ctx.large else "")
    section.add(h3("Top terms"), p(
        f"NMF on sublinear tf-idf of lemmas (vocabulary: the terms in at least {auto_min_df(len(corpus))} "
        f"documents and at most {MAX_DF:.0%} of them; at most {MAX_TERMS:,}, those in the most documents)"
        f"{', ' + fitted if fitted else ''}, {k} topics "
        f"(random_state={ctx.random_state}). Terms are ranked by "
        f"relevance (λ = {RELEVANCE}, Sievert & Shirley 2014), which favours terms distinctive for a topic; "
        "bars show each term's share of the topic's weight. Topic names below are their first three terms. "
        + language_note(ctx.corpus, ctx.preprocessor)))
    writer.table(terms, "topic_terms", max_rows=None)
    section.add(writer.figure(partial(plot_topic_terms, terms, labels=names), "topic_terms",
                              alt=f"Top 10 terms of each of {k} topics", data="topic_terms"))
    top_documents = _top_documents(model, names, ctx)
    writer.table(top_documents, "topic_top_documents", max_rows=None)
    section.add(h3("Most representative documents"), p(
        "The two documents with the highest share of each topic (three, with their opening text, in "
        "tables/topic_top_documents.csv): read them before naming a topic."), _compact(top_documents, ctx.by))
    # written part by part: a million documents × k topics are too many rows to hold as one table
    with writer.table_in_parts("doc_topics", n_rows=len(model.corpus) * len(model.labels)) as table:
        for part in model.iter_doc_topics():
            table.add(part)
    section.add(*_prevalence(ctx, model.doc_topics(wide=True).set_index("doc_id"), names))
    return section


def fit_report_model(ctx, k: int):
    """The report's topic model with ``k`` topics, fitted once per run (kept in ``ctx.models``):
    in memory, or streamed over the partitions of a large corpus."""
    key = ("topics", k)
    if key not in ctx.models:
        if ctx.large:
            # whole partitions: the online fit's batches (shuffled within each chunk) do not depend on the
            # corpus pass's chunk size; the terms are the corpus pass's, counted in workers, and their
            # document frequencies the term pass's; no text is read but the top documents'
            ctx.models[key] = fit_topics_streaming(ctx.metadata_chunks(), k, preprocessor=ctx.preprocessor,
                                                   random_state=ctx.random_state, n_jobs=ctx.n_jobs,
                                                   counts=partition_counts(ctx),
                                                   document_frequencies=corpus_document_frequencies(ctx),
                                                   texts=ctx.texts)
        elif len(ctx.corpus) >= STREAMING_MIN_DOCS:  # fit_topics streams it
            ctx.models[key] = fit_topics(ctx.corpus, k, preprocessor=ctx.preprocessor, random_state=ctx.random_state,
                                         n_jobs=ctx.jobs)
        else:  # fit_topics's in-memory fit, on the search's features
            ctx.models[key] = fit_topics_in_memory(ctx.corpus, k, preprocessor=ctx.preprocessor,
                                                   random_state=ctx.random_state, features=document_terms(ctx, k))
    return ctx.models[key]


def document_terms(ctx, k: int) -> DocumentTerms:
    """The in-memory corpus's tokens (the report preprocessor's) vectorised once per run (kept in
    ``ctx.models``) for the search for k and the final fit; checked for ``k`` topics when first made."""
    if "document_terms" not in ctx.models:
        ctx.models["document_terms"] = vectorise(corpus_terms(ctx), "nmf", n_topics=k)
    return ctx.models["document_terms"]


def search_sample(ctx) -> pd.DataFrame:
    """The documents the choice of k is made on: all, or a random :data:`SEARCH_DOCS` of a large corpus."""
    if not ctx.large:
        return ctx.corpus
    if "search_sample" not in ctx.models:
        ctx.models["search_sample"] = ctx.documents(_search_ids(ctx))
    return ctx.models["search_sample"]


def _search_ids(ctx) -> pd.Series:
    return ctx.corpus["doc_id"].sample(min(SEARCH_DOCS, len(ctx.corpus)), random_state=ctx.random_state)


def _search_input(ctx, k: int) -> tuple[pd.DataFrame, dict]:
    """The documents k is chosen on (:func:`search_sample`'s) and what :func:`compare_n_topics` reads of
    them: for a large corpus, their tokens from the corpus pass (:func:`~analysis.report.term_pass.split_terms`),
    so no text is read again; else the corpus's features, shared with the final fit (:func:`document_terms`;
    ``k``: the smallest candidate)."""
    if not ctx.large:
        return ctx.corpus, {"features": document_terms(ctx, k)}
    drawn = np.flatnonzero(is_in(ctx.corpus["doc_id"], _search_ids(ctx)))  # in corpus order
    return ctx.corpus.iloc[drawn], {"tokens": terms_at(ctx, drawn)}


def _choose(ctx, section: Section) -> int:
    given = ctx.params["topics"]
    if given != "auto":
        section.add(p(f"Number of topics given: k = {given}."))
        return int(given)
    grid = candidate_ks(len(ctx.corpus))
    if len(grid) == 1:
        section.add(p(f"Number of topics: k = {grid[0]} (the corpus is too small to compare several k)."))
        return grid[0]
    sample, terms = _search_input(ctx, min(grid))
    search = compare_n_topics(sample, grid, n_seeds=N_SEEDS, preprocessor=ctx.preprocessor, **terms,
                              random_state=ctx.random_state, n_jobs=ctx.jobs,
                              extend=extension_ks(max(grid), len(sample)),
                              choose=lambda table: choose_k(table)[0], tol=SEARCH_TOL).drop(columns="seconds")
    k, why = choose_k(search)
    on = f" of a random sample of {len(sample):,} documents" if len(sample) < len(ctx.corpus) else ""
    section.add(h3("Choosing the number of topics"), p(
        f"Candidates k = {', '.join(map(str, grid))} were each fitted {N_SEEDS} times on random 80 % subsamples{on} "
        f"(analysis.topics.search.compare_n_topics). {_grid_note(grid, search, k, len(sample))}Chosen: k = {k}, "
        f"because {why} Other metrics are shown for judgement; pass --topics K to override."))
    section.add(ctx.writer.figure(partial(plot_n_topics, search, chosen=k), "topic_search",
                                  alt=f"Evidence for each number of topics k; the dashed "
                                  f"line marks k = {k}"), ctx.writer.table(search, "topic_search"))
    return k


def _grid_note(grid: list[int], search: pd.DataFrame, k: int, n_docs: int) -> str:
    """What happened at the edges of the grid: extended, capped, or limited by the corpus size."""
    added = [int(x) for x in search["k"] if x not in grid]
    note = (f"The best k was the largest candidate, so the grid was extended to k = {', '.join(map(str, added))} "
            "(each also fitted {n} times). ".format(n=N_SEEDS) if added else "")
    largest = int(search["k"].max())
    if k == largest and largest == max(EXTENSION):
        note += (f"k = {k} is the cap of the extended grid: its topics may still merge themes; try a larger "
                 "--topics to see. ")
    elif k == largest:
        note += (f"k = {k} is the largest k the corpus supports at {DOCS_PER_TOPIC} documents per topic ({n_docs:,} "
                 "documents searched). ")
    elif k == min(grid):
        note += f"k = {k} is the smallest candidate; pass --topics 2 or 3 to see fewer, broader topics. "
    return note


def _top_documents(model, names: dict, ctx, n: int = 3) -> pd.DataFrame:
    rows = pd.concat([model.top_documents(t, n=n) for t in model.labels], ignore_index=True)
    rows["topic"] = rows["topic"].map(names)
    if ctx.by not in rows:  # the report's groups beside each document, whatever column they come from
        rows.insert(3, ctx.by, rows["doc_id"].map(ctx.corpus.set_index("doc_id")[ctx.by]))
    if "published" in rows:
        rows["published"] = rows["published"].dt.strftime("%Y-%m-%d")
    rows["text"] = rows["text"].str.slice(0, 160).str.replace(r"\s+", " ", regex=True) + "…"
    return rows


def _compact(top_documents: pd.DataFrame, by: str) -> str:
    """Two documents per topic: topic, share, group (``by``), date and the title (or the opening text)."""
    shown = top_documents.groupby("topic", sort=False).head(2)
    heading = shown["title"].fillna(shown["text"]) if "title" in shown else shown["text"]
    view = pd.DataFrame({"topic": shown["topic"], "share": shown["weight"].round(2)})
    for column in (by, "published"):
        if column in shown:
            view[column] = shown[column]
    view["title or opening"] = heading.str.slice(0, 110)
    return view.to_html(index=False, escape=True, border=0, classes="table", na_rep="")


def _prevalence(ctx, doc_topics: pd.DataFrame, names: dict) -> list[str]:
    """``doc_topics``: one row per document (index ``doc_id``), one column per topic label."""
    writer, by = ctx.writer, ctx.by
    named = doc_topics[sorted(names)].rename(columns=names)  # columns as the long table's sorted labels
    order = list(names.values())  # T1, T2 … T10, not T1, T10, T2
    metadata, random_state = ctx.corpus, ctx.random_state  # what the tables read (sent to another process)
    profile, over_time = ctx.prevalence_tables(lambda period: in_order(wide_prevalence(
        named, item="topic", by=by, period=period, metadata=metadata, random_state=random_state), "topic", order))
    parts = [h3(f"Topic prevalence by {by}"), p(
        "Mean topic proportion per document with 95 % percentile-bootstrap intervals (documents resampled "
        "1,000 times within each group; analysis.compare.prevalence.prevalence).")]
    writer.table(profile.drop(columns=["period", "period_start"]), "topic_prevalence_by_group", max_rows=None)

    def profile_figure():
        ax = plot_profile(profile, hue=by)
        ax.figure.set_size_inches(8, 0.5 * len(names) + 1.5)
        return ax

    parts.append(writer.figure(profile_figure, "topic_prevalence_by_group",
                               alt=f"Topic prevalence by {by}, 95 % intervals",
                               data="topic_prevalence_by_group"))
    if over_time is not None:
        writer.table(over_time, "topic_prevalence_over_time", max_rows=None)
        draw = partial(plot_prevalence_grid, over_time, hue=by, events=ctx.events, n_cols=4)
        parts += [h3(f"Topic prevalence by {by} and period ({ctx.period})"),
                  writer.figure(draw, "topic_prevalence_over_time", data="topic_prevalence_over_time",
                                alt=f"Topic prevalence per period and {by}, shaded 95 % intervals")]
    return parts
