"""Report stages: frame profiles, keyness between groups, keywords in context for the top actors.

>>> comparisons(pd.Series({"Kremlin": 816, "President of Ukraine": 980}), phases=False)
[('Kremlin', 'President of Ukraine')]
>>> comparisons(pd.Series({"A": 5, "B": 9, "C": 7}), phases=False)
[('B', None), ('C', None), ('A', None)]
"""

from __future__ import annotations

import html
from functools import partial

import pandas as pd

from analysis.corpus.id_sets import is_in
from analysis.frames.actors import actor_matcher, actor_patterns
from analysis.compare.prevalence import wide_prevalence
from analysis.explore.kwic import kwic
from analysis.frames.coverage import frame_labels
from analysis.frames.dictionary import load_dictionary
from analysis.compare.keyness import keyness_from_counts
from analysis.plotting.compare import plot_prevalence_grid, plot_profile
from analysis.plotting.explore import kwic_table, plot_keyness
from analysis.report.report_input import in_order
from analysis.report.frame_fit import fit_parts, fit_sample, negation_note
from analysis.report.frame_scores import FrameScores
from analysis.report.languages import language_note, long_documents_note
from analysis.report.sentiment_sections import top_actors
from analysis.report.stages import StageSkipped
from analysis.report.term_pass import term_pass
from analysis.report.writer import Section, h3, p

MAX_COMPARISONS = 4
N_KEY_TERMS = 15
N_KWIC_ACTORS = 5
KWIC_DOCS = 20  # documents drawn per actor and group
KWIC_SHOWN = 3  # lines shown per actor and group
KWIC_WINDOW = 7


def frames(ctx) -> Section:
    """Frame scores per document; the dictionary's fit; profiles by group and by period, with bootstrap intervals."""
    corpus, by, writer = ctx.corpus, ctx.by, ctx.writer
    dictionary = load_dictionary(ctx.params["dictionary"])
    labels = frame_labels(dictionary)
    drawn = fit_sample(ctx, dictionary)
    n_rows, parts = ctx.measure_parts("frames")  # a million documents' scores are read part by part
    with writer.table_in_parts("frame_scores", n_rows=n_rows) as table:
        scores = FrameScores.of(parts, sample_ids=() if drawn is None else drawn, table=table)
    described = pd.DataFrame([{"label": labels[f], **{f"patterns_{lang}": len(dictionary.patterns(f, lang))
                                                      for lang in ("de", "en")}, "description": e.description, "frame": f}
                              for f, e in dictionary.entries.items()])
    section = Section("frames", "Frames", [p(
        f"Frame dictionary '{dictionary.name}': hits of each frame's indicator terms (lemmas, globs, multi-word "
        "expressions; analysis.frames.scoring.score_frames) per 1,000 word tokens of a document, in the document's "
        "language. A hit is an indicator of a frame, not a human coding of it: read the matches "
        "(analysis.frames.scoring.matches) and code a sample before you interpret a difference."),
        writer.table(described, "frame_dictionary", shown={"label": "frame", "patterns_de": "patterns_de",
                                                           "patterns_en": "patterns_en", "description": "description"}),
        p(negation_note(scores.totals))])
    fit, better = fit_parts(ctx, dictionary, scores, drawn)
    section.add(*fit)
    if better:
        section.notes.append(better)
    grid = scores.grid  # documents in the scores' order × frames, for both prevalence tables
    random_state = ctx.random_state  # the tables read only their data (they are sent to another process)
    profile, over_time = ctx.prevalence_tables(lambda period: _labelled(wide_prevalence(
        grid, item="frame", by=by, period=period, metadata=corpus, random_state=random_state), labels))
    writer.table(profile.drop(columns=["period", "period_start"]), "frame_profile_by_group", max_rows=None)

    def profile_figure():
        ax = plot_profile(profile.assign(frame=profile["label"]), hue=by)
        ax.set_xlabel("mean hits per 1,000 tokens per document, 95 % bootstrap interval")
        return ax

    section.add(h3(f"Frame profile by {by}"), writer.figure(profile_figure, "frame_profile_by_group",
                                                            data="frame_profile_by_group",
                                                            alt=f"Frame profile by {by}, 95 % intervals"))
    if over_time is not None:
        writer.table(over_time, "frame_prevalence_over_time", max_rows=None)

        def over_time_figure():
            axes = plot_prevalence_grid(over_time.assign(frame=over_time["label"]), items=list(labels.values()),
                                        hue=by, events=ctx.events, n_cols=4)
            for ax in axes.flat:
                ax.set_ylabel("hits per 1,000 tokens" if ax.get_ylabel() else "")
                ax.set_title(ax.get_title().removeprefix("frame: "), fontsize=10)
            return axes

        section.add(h3(f"Frames by {by} and period ({ctx.period})"),
                    writer.figure(over_time_figure, "frame_prevalence_over_time", data="frame_prevalence_over_time",
                                  alt=f"Frame hits per 1,000 tokens per period and {by}, shaded 95 % intervals"))
    return section


def _keyness_figure(table: pd.DataFrame, title: str):
    ax = plot_keyness(table, n=N_KEY_TERMS)
    ax.set_title(title, pad=26)
    return ax


def _labelled(table: pd.DataFrame, labels: dict) -> pd.DataFrame:
    """``table`` with each frame's ``label`` beside its code, frames in the dictionary's order."""
    labelled = in_order(table, "frame", list(labels))
    labelled.insert(labelled.columns.get_loc("frame") + 1, "label", labelled["frame"].map(labels))
    return labelled


def comparisons(sizes: pd.Series, *, phases: bool) -> list[tuple]:
    """Keyness comparisons ``(target, reference)`` for groups of these sizes (reference None = all others).

    Two groups: one against the other. More: each of the largest few against all others.
    One group: after against before the run's event when ``phases``, else none.
    """
    groups = sorted(map(str, sizes.index))
    if len(groups) == 2:
        return [(groups[0], groups[1])]
    if len(groups) > 2:
        largest = sizes.rename(index=str).reset_index().set_axis(["group", "n"], axis=1)
        largest = largest.sort_values(["n", "group"], ascending=[False, True])["group"].head(MAX_COMPARISONS)
        return [(g, None) for g in largest]
    return [("after", "before")] if phases else []


def keyness_stage(ctx) -> Section:
    """Terms that distinguish the groups (or the periods before/after the run's event) from each other."""
    sizes = ctx.corpus[ctx.by].value_counts()
    event = ctx.split_event
    pairs = comparisons(sizes, phases=event is not None)
    if not pairs:
        raise StageSkipped(f"keyness compares groups, and the corpus has one group by '{ctx.by}'; pass --by with a "
                           "column that has several values, or --event DATE=LABEL to compare before and after "
                           "an event inside the corpus's dates.")
    counts = term_pass(ctx).by_group if len(sizes) > 1 else term_pass(ctx).by_phase
    section = Section("keyness", "Keyness: distinctive terms", [p(
        "Which lemmas are more typical of one side than of the other: log-odds ratio with an informative "
        "Dirichlet prior (Monroe, Colaresi & Quinn 2008), ranked by its z-score; terms counted fewer than 5 "
        "times are left out. p-values in the tables are not corrected for the many terms tested. "
        + language_note(ctx.corpus, ctx.preprocessor))])
    flagged = long_documents_note(term_pass(ctx).lengths, ctx.corpus)
    if flagged is not None:
        section.notes.append(flagged[0])
    for i, (target, reference) in enumerate(pairs, start=1):
        table = keyness_from_counts(counts, target=target, reference=reference)
        name = ctx.writer.unique_name(f"keyness_{i}", target)
        ctx.writer.table(table, name, max_rows=None)
        label = f"{target} vs {table['reference'].iloc[0] if len(table) else reference or 'all others'}"
        if len(sizes) == 1:
            label += f" {event.label} ({event.date})"
        draw = partial(_keyness_figure, table, label)
        section.add(h3(label), ctx.writer.figure(draw, name, data=name, alt=f"Keyness: {label}"))
    return section


def kwic_stage(ctx) -> Section:
    """Keywords in context for the actors named in most documents, from a sample of their documents."""
    mentions = ctx.tables.read("actor_mentions", ["doc_id", "actor"]) if "actor_mentions" in ctx.tables else None
    if mentions is None or mentions.empty:
        raise StageSkipped("no actor mentions were found (see 'Stance toward actors').")
    actors = top_actors(mentions, n=N_KWIC_ACTORS)
    section = Section("kwic", "Keywords in context: top actors", [p(
        f"How the {len(actors)} actors named in most documents appear in the text. For each actor and {ctx.by}, "
        f"{KWIC_DOCS} documents naming the actor are drawn at random (random_state={ctx.random_state}); shown is "
        f"one line from each of the first {KWIC_SHOWN}, in date order, and every line of the drawn documents is in "
        "tables/kwic_top_actors.csv. Read them before trusting any count above.")])
    naming = {actor: mentions.loc[mentions["actor"] == actor, "doc_id"].unique() for actor in actors}
    drawn = {actor: _sample_documents(ctx, ids) for actor, ids in naming.items()}
    # one read of the texts and one matcher pass over each drawn document for all actors (names are matched
    # on the written form, so a document's hits do not depend on the other documents drawn with it)
    hits = kwic(ctx.documents(pd.concat(drawn.values())["doc_id"]),
                {actor: actor_matcher({actor: actor_patterns(actor)}) for actor in actors}, window=KWIC_WINDOW)
    lines = []
    for actor in actors:
        docs = drawn[actor]
        found = _in_drawn_order(hits, actor, docs["doc_id"])
        found.insert(0, "actor", actor)
        found[ctx.by] = docs.set_index("doc_id").loc[found["doc_id"], ctx.by].to_numpy()
        lines.append(found)
        section.add(_concordance(ctx, actor, found, docs, len(naming[actor])))
    ctx.writer.table(pd.concat(lines, ignore_index=True), "kwic_top_actors", max_rows=None)
    return section


def _sample_documents(ctx, doc_ids) -> pd.DataFrame:
    """Up to ``KWIC_DOCS`` random documents per group among ``doc_ids``, in the drawn order (without texts)."""
    docs = ctx.corpus[is_in(ctx.corpus["doc_id"], doc_ids)].drop(columns="text", errors="ignore")
    return (docs.sample(frac=1, random_state=ctx.random_state).groupby(ctx.by, sort=False).head(KWIC_DOCS)
            .reset_index(drop=True))


def _in_drawn_order(hits: pd.DataFrame, label: str, doc_ids: pd.Series) -> pd.DataFrame:
    """The KWIC rows of ``label`` in the documents ``doc_ids``, in their order (a document's rows in text order),
    without the label column: what ``kwic`` gives for this label on these documents alone."""
    rank = pd.Series(range(len(doc_ids)), index=doc_ids.to_numpy())
    mine = hits[(hits["label"] == label).to_numpy() & is_in(hits["doc_id"], rank.index)]
    order = rank.loc[mine["doc_id"]].to_numpy().argsort(kind="stable")
    return mine.iloc[order].drop(columns="label").reset_index(drop=True)


def _concordance(ctx, actor: str, found: pd.DataFrame, docs: pd.DataFrame, n_naming: int) -> str:
    """One line per drawn document, the first few documents of each group, in date order."""
    first = found.drop_duplicates("doc_id").set_index("doc_id")
    shown = docs.groupby(ctx.by, sort=True).head(KWIC_SHOWN)["doc_id"]
    sample = first.loc[shown[shown.isin(first.index)]].reset_index()
    if "published" in sample:  # the date goes beside the group, where kwic_table shows "outlet"
        sample = sample.sort_values(["published", "doc_id"], kind="stable")
        sample["outlet"] = sample[ctx.by].astype(str) + " · " + sample["published"].dt.strftime("%Y-%m-%d").fillna("undated")
    styler = kwic_table(sample, n=len(sample)).set_uuid(ctx.writer.unique_name("kwic", actor)).set_caption("")
    if "published" in sample:  # the column holds the group and the date: say so in its header
        styler = styler.relabel_index([f"{ctx.by} · date" if c == "outlet" else c for c in styler.data.columns],
                                      axis="columns")
    caption = (f"{actor}: {len(sample)} of the {len(found):,} lines in {len(docs)} drawn documents "
               f"({n_naming:,} documents name {actor})")
    return f"{h3(actor)}<p class='caption'>{html.escape(caption)}</p><div class='scroll'>{styler.to_html()}</div>"
