"""The frame section's account of its dictionary: how well it fits the corpus, whether a bundled one
fits better, and how many hits were left out as negated.

>>> fit = pd.DataFrame({"dictionary": ["generic", "conflict"], "coverage": [0.45, 0.40]})
>>> better_dictionary(fit, "conflict")
'generic'
>>> better_dictionary(fit.assign(coverage=[0.42, 0.40]), "conflict") is None  # within the margin
True
"""

from __future__ import annotations

import pandas as pd

from analysis.frames.coverage import compare_dictionaries, coverage_table
from analysis.frames.dictionary import BUNDLED, FrameDictionary, load_dictionary
from analysis.report.frame_scores import FrameScores
from analysis.report.writer import h3, p

FIT_SAMPLE = 2000  # documents the bundled dictionaries are compared on
BETTER_BY = 0.03  # another dictionary fits better when its mean coverage is this much higher (3 points)


def better_dictionary(fit: pd.DataFrame, current: str) -> str | None:
    """The bundled dictionary whose mean coverage beats ``current``'s by at least :data:`BETTER_BY`, if any."""
    own = fit.loc[fit["dictionary"] == current, "coverage"]
    others = fit[(fit["dictionary"] != current) & fit["dictionary"].isin(BUNDLED)]
    if own.empty or others.empty:
        return None
    best = others.sort_values(["coverage", "dictionary"], ascending=[False, True]).iloc[0]
    return str(best["dictionary"]) if best["coverage"] >= float(own.iloc[0]) + BETTER_BY else None


def negation_note(totals) -> str:
    """How many hits were left out because they stand inside a negation's scope (``totals``:
    ``hits`` and ``negated_hits`` summed over the scores)."""
    negated, counted = int(totals["negated_hits"]), int(totals["hits"])
    share = negated / (negated + counted) if negated + counted else 0.0
    return (f"{negated:,} of {negated + counted:,} matches ({share:.1%}) stand inside a negation's scope (\"no "
            "ceasefire\", \"keine Waffenruhe\") and are left out of the scores; tables/frame_scores.csv gives them "
            "per document and frame as negated_hits.")


def fit_parts(ctx, dictionary: FrameDictionary, scores: FrameScores, drawn: pd.Series | None
              ) -> tuple[list[str], str | None]:
    """The fit sub-section's HTML parts, and a note for the section when a bundled dictionary fits better
    (``drawn``: :func:`fit_sample`, whose rows ``scores.sample`` holds)."""
    coverage = coverage_table(scores.coverage, dictionary)
    table = ctx.writer.table(coverage, "frame_dictionary_fit", shown={
        "label": "frame", "docs_with_hit": "documents with ≥ 1 hit", "n_docs": "documents", "share": "share"})
    parts = [h3("How well the dictionary fits this corpus"), p(
        f"Documents in which each frame of '{dictionary.name}' is found at least once (negated hits left out). "
        "A frame found in few documents measures little in this corpus; coverage is a coarse check of fit, not of "
        "validity (a dictionary of broader words covers more)."), table]
    fit = None if drawn is None else _compare(ctx, dictionary, scores.sample, drawn)
    if fit is None:
        return parts, None
    ctx.writer.table(fit, "frame_dictionary_comparison", max_rows=None)
    better = better_dictionary(fit, _own_name(dictionary))
    own = float(fit.loc[fit["dictionary"] == _own_name(dictionary), "coverage"].iloc[0])
    n_docs = int(fit["n_docs"].iloc[0])
    compared = (f"On the same {n_docs:,} {'randomly drawn ' if n_docs < len(ctx.corpus) else ''}documents, the "
                "mean share of documents in which a frame is found, for this dictionary and each bundled one with "
                f"{_LANGS.get(ctx.lang, ctx.lang)} patterns (analysis.frames.compare_dictionaries): " + ", ".join(
                    f"{row.dictionary} {row.coverage:.0%}" for row in fit.itertuples()) + ".")
    if better is None:
        verdict = f"No bundled dictionary covers this corpus better than '{dictionary.name}' ({own:.0%})."
        return [*parts, p(f"{compared} {verdict}")], None
    verdict = (f"The bundled '{better}' dictionary fits this corpus better: its frames are found in "
               f"{float(fit.loc[fit['dictionary'] == better, 'coverage'].iloc[0]):.0%} of the documents on average, "
               f"those of '{dictionary.name}' in {own:.0%}. Rerun with --dictionary {better} to use it.")
    return [*parts, p(f"{compared} {verdict}")], verdict


_LANGS = {"de": "German", "en": "English"}


def _own_name(dictionary: FrameDictionary) -> str:
    """The used dictionary's name in the comparison (a user's file named like a bundled one is marked)."""
    bundled = load_dictionary(dictionary.name) if dictionary.name in BUNDLED else None
    return dictionary.name if bundled is not None and repr(bundled) == repr(dictionary) else f"{dictionary.name} (yours)"


def fit_sample(ctx, dictionary: FrameDictionary) -> pd.Series | None:
    """The ids of the documents the dictionaries are compared on; None when there is nothing to compare."""
    if not _others(ctx, dictionary) or ctx.corpus.empty:
        return None
    return ctx.corpus["doc_id"].sample(min(FIT_SAMPLE, len(ctx.corpus)), random_state=ctx.random_state)


def _others(ctx, dictionary: FrameDictionary) -> dict:
    own = _own_name(dictionary)
    return {name: name for name in BUNDLED if name != own and ctx.lang in load_dictionary(name).languages}


def _compare(ctx, dictionary: FrameDictionary, scores: pd.DataFrame, drawn: pd.Series) -> pd.DataFrame:
    """Mean coverage of the used and each bundled dictionary with patterns in the corpus's language
    (``scores``: the used dictionary's rows of the ``drawn`` documents)."""
    own = _own_name(dictionary)
    others = _others(ctx, dictionary)
    documents = ctx.documents(drawn)
    return compare_dictionaries(documents, {own: dictionary, **others}, n_docs=len(documents),
                                random_state=ctx.random_state, scores={own: scores})
