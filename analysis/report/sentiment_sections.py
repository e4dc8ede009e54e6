"""Report stages: sentiment of documents, and toward the most mentioned actors.

>>> scores = pd.DataFrame({"doc_id": ["a", "b"], "score": [0.8, -0.2], "label": ["positive", "neutral"]})
>>> document_items(scores).values.tolist()
[['a', 'mean polarity', 0.8], ['b', 'mean polarity', -0.2], ['a', 'share negative', 0.0], ['b', 'share negative', 0.0], ['a', 'share positive', 1.0], ['b', 'share positive', 0.0]]
"""

from __future__ import annotations

from functools import partial

import matplotlib.pyplot as plt
import pandas as pd

from analysis.compare.prevalence import prevalence
from analysis.corpus.id_sets import is_in
from analysis.plotting.compare import plot_prevalence_grid, plot_profile
from analysis.report.report_input import in_order
from analysis.report.events import PHASES
from analysis.report.stages import StageSkipped
from analysis.report.writer import Section, bullets, h3, p
from analysis.sentiment import summarize_actor_sentiment
from analysis.sentiment.validity import validity_note
from analysis.text.language import document_langs

N_ACTORS = 8
LEXICONS = {"de": "SentiWS v1.8c, Rauh's political sentiment dictionary and the German Polarity Lexicon, "
                  "combined by agreement", "en": "the VADER lexicon"}
_ITEM_TITLES = {"mean polarity": "positive minus negative sentence share (−1 … 1)", "share negative": "share of documents labelled negative",
                "share positive": "share of documents labelled positive"}


STANCE_SCALE = "P(positive) − P(negative)"


def _validity(method: str, langs) -> str:
    """The method's measured validity in each of ``langs`` (German and/or English), for the page."""
    names = {"de": "German", "en": "English"}
    return "; ".join(f"{names[lang]}: {validity_note(method, lang)}" for lang in sorted(set(langs)) if lang in names)


def document_items(scores: pd.DataFrame) -> pd.DataFrame:
    """Long per-document items for :func:`~analysis.compare.prevalence.prevalence`: the polarity and 0/1 label indicators."""
    parts = [("mean polarity", scores["score"].astype(float)),
             ("share negative", (scores["label"] == "negative").astype(float)),
             ("share positive", (scores["label"] == "positive").astype(float))]
    return pd.concat([pd.DataFrame({"doc_id": scores["doc_id"].to_numpy(), "item": name, "score": values.to_numpy()})
                      for name, values in parts], ignore_index=True)


def _method(ctx) -> str:
    counts = pd.Series(document_langs(ctx.corpus)).value_counts()  # as scored: undetected ones take the majority
    used = "; ".join(f"{n:,} {'German' if lang == 'de' else 'English'} documents with {LEXICONS[lang]}"
                     for lang, n in counts.sort_index().items())
    return (f"Lexicon and rules (analysis.sentiment.LexiconSentiment, negation and intensifiers handled), each "
            f"document in its own language: {used}. Each sentence is labelled positive, neutral or negative by "
            "thresholds tuned on human-labelled news sentences (GerNTSA, NewsMTSC); a document's score is its share "
            "of positive minus its share of negative sentences (−1 … 1; it neither saturates nor grows with length) "
            "and its label the more frequent polar sentence label. Validity of the sentence labels the scale is "
            f"built from: {_validity('lexicon_sentence', counts.index)}. There is no document-level gold: "
            "validate the document scale on a sample before you interpret differences.")


def document_sentiment(ctx) -> Section:
    """Document polarity and label shares by group and by period, with bootstrap intervals."""
    corpus, by, writer = ctx.corpus, ctx.by, ctx.writer
    scores = ctx.measure("sentiment")
    writer.table(scores, "sentiment_documents", max_rows=None)
    items = document_items(scores)
    section = Section("sentiment", "Sentiment of documents", [p(_method(ctx))])
    unmatched, extreme = float((scores["n_matched"] == 0).mean()), float((scores["score"].abs() > 0.9).mean())
    section.add(p(f"{unmatched:.0%} of the documents contain no sentiment word and score 0 (neutral); "
                  f"{extreme:.1%} score beyond ±0.9." + (_short_documents(scores) if extreme > SHORT_NOTE_FROM else "")))
    random_state = ctx.random_state  # the tables read only their data (they are sent to another process)
    profile, over_time = ctx.prevalence_tables(
        lambda period: prevalence(items, by=by, period=period, metadata=corpus, random_state=random_state))
    shown = profile.drop(columns=["period", "period_start"])
    section.add(h3(f"By {by}"), writer.table(shown, "sentiment_by_group", caption=(
        "Mean per document with 95 % percentile-bootstrap interval (1,000 resamples of the documents).")))
    if over_time is not None:
        writer.table(over_time, "sentiment_over_time", max_rows=None)

        def over_time_figure():
            axes = plot_prevalence_grid(over_time, hue=by, events=ctx.events, n_cols=3)
            for ax in axes.flat:
                ax.set_title(_ITEM_TITLES.get(ax.get_title().removeprefix("item: "), ax.get_title()))
                ax.set_ylabel("")
            return axes

        section.add(h3(f"By {by} and period ({ctx.period})"),
                    writer.figure(over_time_figure, "sentiment_over_time", data="sentiment_over_time",
                                  alt=f"Document sentiment per period and {by}, shaded 95 % intervals"))
    return section


SHORT_NOTE_FROM = 0.25  # share of documents beyond ±0.9 from which the page explains it
SHORT_WORDS = 60  # median words per document (about three sentences) below which that is the reason


def _short_documents(scores: pd.DataFrame) -> str:
    """Why many documents sit at the ends of the balance scale, when their length is the reason."""
    words = float(scores["n_tokens"].median()) if len(scores) else 0.0
    return (f" A document of one sentence can only score −1, 0 or +1 on this scale, and the median document here "
            f"has {words:,.0f} words: a large share beyond ±0.9 says that documents are short, not that their "
            "language is strong. Compare groups by the shares of positive and negative documents below."
            if words < SHORT_WORDS else "")


def top_actors(mentions: pd.DataFrame, n: int = N_ACTORS) -> list[str]:
    """The ``n`` actors named in the most documents (ties by name)."""
    docs = mentions.groupby("actor")["doc_id"].nunique().reset_index(name="n_docs")
    return docs.sort_values(["n_docs", "actor"], ascending=[False, True])["actor"].head(n).tolist()


def actor_sentiment_stage(ctx) -> Section:
    """Stance toward the most mentioned actors, by group (and before/after the run's event, if any)."""
    corpus, by, writer = ctx.corpus, ctx.by, ctx.writer
    mentions = ctx.measure("actor_sentiment")
    if mentions.empty:
        raise StageSkipped("no actor of the bundled actor dictionary is mentioned in the corpus.")
    writer.table(mentions, "actor_mentions", max_rows=None)
    groups = corpus[["doc_id", by]].merge(mentions[["doc_id", "actor"]], on="doc_id")
    counts = (groups.groupby(["actor", by], observed=True)["doc_id"].nunique().unstack(fill_value=0)
              .rename(columns=lambda g: f"docs: {g}").rename_axis(columns=None))
    counts.insert(0, "mentions", mentions.groupby("actor").size())
    counts.insert(1, "documents", mentions.groupby("actor")["doc_id"].nunique())
    counts = counts.reset_index().sort_values(["documents", "actor"], ascending=[False, True])
    top = top_actors(mentions)
    langs = corpus["lang"].where(corpus["lang"].isin(["de", "en"])).dropna().unique()
    section = Section("actor-sentiment", "Stance toward actors", [p(
        "Each mention of an actor of the bundled German/English actor gazetteer (analysis.frames.actors) is scored as "
        "the target of its sentence by the bundled stance model of its language (analysis.sentiment.stance: a "
        "target-aware logistic regression trained on human-labelled news sentences, GerNTSA for German and NewsMTSC "
        "for English; score = P(positive) − P(negative)). "
        f"Validity: {_validity('stance', langs)}. "
        "An actor's score in a document is the mean over its mentions there; estimates average over the "
        "documents that mention the actor, with 95 % bootstrap intervals. Shown: the "
        f"{len(top)} actors named in most documents.")])
    section.add(h3("Most mentioned actors"), writer.table(counts, "actor_counts", max_rows=15))
    chosen = mentions[mentions["actor"].isin(top)]
    by_group = summarize_actor_sentiment(chosen, corpus, by=by, period=None, random_state=ctx.random_state)
    by_group = in_order(by_group.drop(columns=["period", "period_start"]), "actor", top)
    writer.table(by_group, "actor_sentiment_by_group", max_rows=None)

    def profile_figure():
        ax = plot_profile(by_group, hue=by)
        ax.set_xlabel(f"stance toward the actor, {STANCE_SCALE}, mean per document, 95 % interval")
        ax.axvline(0, color="0.5", linewidth=0.8)
        return ax

    section.add(h3(f"By {by}"), writer.figure(profile_figure, "actor_sentiment_by_group",
                                              data="actor_sentiment_by_group",
                                              alt=f"Sentiment toward the top actors by {by}"))
    if ctx.split_event is not None:
        section.add(*_before_after(ctx, chosen, top))
    return section


def _before_after_figure(summary: pd.DataFrame, top: list[str], by: str, event):
    fig, axes = plt.subplots(1, 2, figsize=(12, 0.5 * len(top) + 1.6), sharex=True)
    grid = pd.MultiIndex.from_product([top, sorted(summary[by].astype(str).unique())], names=["actor", by])
    for ax, phase in zip(axes, PHASES):  # every actor in both panels, in the same order
        part = summary[summary["phase"] == phase].astype({by: str}).set_index(["actor", by]).reindex(grid)
        plot_profile(part.reset_index(), hue=by, ax=ax)
        ax.set_title(f"{phase} {event.label} ({event.when.day} {event.when:%b %Y})")
        ax.axvline(0, color="0.5", linewidth=0.8)
        ax.set_xlabel(f"stance toward the actor, {STANCE_SCALE}")
    axes[0].get_legend().remove()
    axes[1].tick_params(labelleft=False)
    fig.tight_layout()
    return fig


def _before_after(ctx, chosen: pd.DataFrame, top: list[str]) -> list[str]:
    by, metadata, event = ctx.by, ctx.with_phase(), ctx.split_event
    day = f"{event.when.day} {event.when:%B %Y}"
    undated = int(metadata["phase"].isna().sum())
    metadata = metadata[metadata["phase"].notna()]  # undated documents are neither before nor after
    chosen = chosen[is_in(chosen["doc_id"], metadata["doc_id"])]
    summary = summarize_actor_sentiment(chosen, metadata, by=[by, "phase"], period=None, random_state=ctx.random_state)
    summary = in_order(summary.drop(columns=["period", "period_start"]), "actor", top)
    ctx.writer.table(summary, "actor_sentiment_before_after", max_rows=None)
    others = ctx.events_in_range[1:]
    split = (f"Documents are split at the first event inside the corpus's dates: {event.label} ({day}); a document "
             "published on that day counts as after it" + (f"; {undated:,} undated documents are left out." if undated
                                                             else ".") + (" The later events (" + ", ".join(
                 f"{e.label}, {e.date}" for e in others) + ") are marked in the time figures only." if others else ""))
    return [h3(f"Before and after {event.label} ({day})"), p(split),
            ctx.writer.figure(partial(_before_after_figure, summary, top, by, event), "actor_sentiment_before_after",
                              data="actor_sentiment_before_after",
                              alt=f"Sentiment toward the top actors by {by}, before and after {event.label} ({day})"),
            bullets([f"Documents per {by} and phase: " + ", ".join(
                f"{g} {ph}: {n:,}" for (g, ph), n in
                metadata.groupby([by, "phase"], observed=True).size().items())])]
