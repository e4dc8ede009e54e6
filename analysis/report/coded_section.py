"""Report stage: a supervised measure learned from coded units (``--codes FILE --variable NAME``).

The coded units (:mod:`analysis.report.coded_input`) are joined to the corpus by ``doc_id``; a
classifier learns their codes (:func:`analysis.coding.train_coder`), is checked out of fold
(:meth:`~analysis.coding.Coder.cross_validate`) and codes every document; the shares of each
code by group and period are corrected for its errors, with intervals that carry the coded
sample's error (:func:`analysis.coding.estimate_prevalence`). The stage runs only when codes
are given; its cache key holds the codes' hash, so changed codes recompute it.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.coding import estimate_prevalence, train_coder
from analysis.plotting.compare import plot_prevalence_grid, plot_profile
from analysis.report.coded_input import USED, coded_problem, match_corpus, outcome_summary, read_coded
from analysis.report.stages import StageSkipped
from analysis.report.writer import Section, h3, p
from analysis.text.language import corpus_language

N_SPLITS = 5  # folds of the cross-validation (coded_input.MIN_PER_CODE matches it)


def coded_measure(ctx) -> Section:
    """Train a coder on the coded units, show its cross-validated quality and the corrected shares."""
    path, variable = Path(ctx.params["codes"]), ctx.params["variable"]
    if ctx.large:
        raise StageSkipped("the supervised measure codes every text in memory, and this corpus is streamed from "
                           "Parquet; pass --in-memory, or run analysis.coding.estimate_prevalence in a notebook.")
    rows = match_corpus(read_coded(path, variable), ctx.corpus)
    rows, lang, corpus = _one_language(rows, ctx.corpus)
    problem = coded_problem(rows)
    if problem:
        ctx.writer.table(rows, "coded_units", max_rows=None)
        raise StageSkipped(f"{path.name} joined to the corpus by doc_id: {problem} Every row's outcome is in "
                           "tables/coded_units.csv.")
    used = rows[rows["outcome"] == USED]
    units = used[["doc_id", "code"]].merge(corpus[["doc_id", "text", "lang"]], on="doc_id")
    coder = train_coder(units, label_col="code", lang=lang, random_state=ctx.random_state)
    section = Section("coded", f"Supervised measure: {variable}", _intro(path, variable, len(units), lang))
    section.add(*_coded_units(ctx, rows), *_quality(ctx, coder))
    section.add(*_by_group(ctx, coder, corpus, variable))
    if corpus["published"].notna().any():
        section.add(*_over_time(ctx, coder, corpus, variable))
    section.add(p("To make the measure better, code more units of the codes with low recall or wide intervals — "
                  "analysis.coding.next_to_code picks the units worth coding next (notebooks/06-coding.ipynb) — and "
                  "run the same command again with the grown file: only this section is computed again."))
    if len(corpus) < len(ctx.corpus):
        section.notes.append(f"{len(ctx.corpus) - len(corpus):,} documents not in the coder's language ({lang}) are "
                             "not counted in the shares; train a coder on codes of those documents for them.")
    unknown = rows[rows["outcome"] == "doc_id not in the corpus"]
    if len(unknown):
        section.notes.append(f"{len(unknown)} coded rows name a doc_id that is not in the corpus and were left out "
                             f"(e.g. {unknown['doc_id'].head(3).tolist()}); is the file coded on another corpus, or "
                             "were those documents rejected while loading (see the Load report)?")
    return section


def _one_language(rows: pd.DataFrame, corpus: pd.DataFrame) -> tuple[pd.DataFrame, str, pd.DataFrame]:
    """The coder's language (the coded documents' most common one), the rows with coded units in other
    languages marked, and the corpus's documents in that language."""
    used = corpus[corpus["doc_id"].isin(rows.loc[rows["outcome"] == USED, "doc_id"])]
    lang = corpus_language(used)
    if "lang" not in corpus.columns:
        return rows, lang, corpus.assign(lang=lang)
    same = corpus[corpus["lang"].isna() | (corpus["lang"] == lang)].assign(lang=lang)
    other = (rows["outcome"] == USED) & ~rows["doc_id"].isin(same["doc_id"])
    return rows.assign(outcome=rows["outcome"].where(~other, "not in the coder's language")), lang, same


def _intro(path: Path, variable: str, n_units: int, lang: str) -> list[str]:
    return [p(f"The codes of '{variable}' for {n_units} documents in {path.name} taught a classifier "
              "(analysis.coding.train_coder: word and character n-grams, lexicon and frame-dictionary features, "
              f"logistic regression; language {lang}) to code every document. Below: how well it codes units it has "
              "not seen, and the share of documents with each code by group, corrected for its errors "
              "(analysis.coding.estimate_prevalence), next to the naive share of documents it gives each code."),
            p(f"Who coded these {n_units} units, and how, is unknown to the kit: it takes the codes as given, and the "
              "measure is as good as they are. Report how they were made (coders, codebook, agreement). The "
              f"intervals carry the error of this coded sample of {n_units} units (the correction is refitted on "
              "resampled coded units) as well as the sampling of the corpus's documents. They assume the coded "
              "units are a random sample of the corpus (e.g. the report's coding sheet); units picked because the "
              "classifier was unsure of them make the correction less reliable.", css="caption")]


def _coded_units(ctx, rows: pd.DataFrame) -> list[str]:
    counts = rows.groupby("outcome", sort=False).size().rename("rows").reset_index()
    ctx.writer.table(rows, "coded_units", max_rows=None)
    return [h3("Coded units"), p(f"{outcome_summary(rows)}. Documents coded alike twice are used once; "
                                 "documents coded differently in several rows are left out (the kit cannot tell "
                                 "which code is right). Every row with its outcome: tables/coded_units.csv."),
            counts.to_html(index=False, escape=True, border=0, classes="table")]


def _quality(ctx, coder) -> list[str]:
    cv = coder.cross_validate(N_SPLITS)
    scores = cv.scores
    ctx.writer.table(scores, "coder_cv", max_rows=None)
    wide = scores.assign(value=[_with_interval(r) for r in scores.itertuples()]).pivot(
        index="label", columns="metric", values="value")
    order = [*coder.classes_, "macro", "micro"]
    wide = wide.reindex([label for label in order if label in wide.index])[["precision", "recall", "f1"]]
    wide.columns.name = None
    wide.insert(0, "units coded", scores[scores["metric"] == "recall"].set_index("label")["n"].reindex(wide.index))
    confusion = cv.confusion.reset_index()
    confusion.columns.name = None
    ctx.writer.table(confusion, "coder_confusion", max_rows=None)
    return [h3("How well the classifier codes units it has not seen"), p(
        f"{N_SPLITS}-fold cross-validation on the coded units (identical texts kept in one fold): each unit is coded "
        "by a classifier trained on the other folds and compared with its code. Precision, recall and F1 per code, "
        "with 95 % bootstrap intervals over the coded units; micro F1 is the share coded right. All in "
        "tables/coder_cv.csv; the confusion matrix (rows: coded, columns: predicted) in tables/coder_confusion.csv."),
        wide.reset_index().to_html(index=False, escape=True, border=0, classes="table"),
        confusion.to_html(index=False, escape=True, border=0, classes="table")]


def _with_interval(row) -> str:
    return f"{row.estimate:.2f} [{row.ci_lower:.2f}, {row.ci_upper:.2f}]"


def _by_group(ctx, coder, corpus: pd.DataFrame, variable: str) -> list[str]:
    shares = estimate_prevalence(coder, corpus, by=ctx.by, period=None, random_state=ctx.random_state)
    shares = shares.drop(columns=["period", "period_start"])
    html_table = ctx.writer.table(shares, "coded_prevalence_by_group", max_rows=40)

    def profile_figure():
        ax = plot_profile(shares, hue=ctx.by, naive="naive")
        ax.set_xlabel("share of documents: corrected, with 95 % interval (dot); naive classify-and-count (×)")
        ax.set_ylabel(variable)
        return ax

    figure = ctx.writer.figure(profile_figure, "coded_prevalence_by_group", data="coded_prevalence_by_group",
                               alt=f"Share of documents per code of {variable} by {ctx.by}: corrected with 95 % "
                                   "intervals, and naive")
    return [h3(f"Shares by {ctx.by}: corrected and naive"), p(
        "estimate: the mean of the classifier's probabilities calibrated on its cross-validated codes, with a 95 % "
        "interval; naive: the share of documents the classifier gives the code (classify and count), which is "
        "biased wherever the classifier errs more in one direction than the other."), figure, html_table]


def _over_time(ctx, coder, corpus: pd.DataFrame, variable: str) -> list[str]:
    shares = estimate_prevalence(coder, corpus, by=ctx.by, period=ctx.period, random_state=ctx.random_state)
    ctx.writer.table(shares, "coded_prevalence", max_rows=None)

    def over_time_figure():
        axes = plot_prevalence_grid(shares, items=list(coder.classes_), hue=ctx.by, events=ctx.events,
                                    n_cols=2 if len(coder.classes_) <= 4 else 3)
        for ax in axes.flat:
            ax.set_ylabel("share of documents" if ax.get_ylabel() else "")
            ax.set_title(ax.get_title().replace("label: ", f"{variable}: "), fontsize=10)
        return axes

    return [h3(f"Shares by {ctx.by} and period ({ctx.period})"), p(
        "The corrected share of each code per period with its 95 % interval (hollow points: fewer than 20 "
        "documents); the naive shares are in tables/coded_prevalence.csv beside them."),
        ctx.writer.figure(over_time_figure, "coded_prevalence", data="coded_prevalence",
                          alt=f"Corrected share of each code of {variable} per period and {ctx.by}, 95 % intervals")]
