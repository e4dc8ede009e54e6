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

from analysis.frames.coverage import compare_dictionaries, frame_coverage
from analysis.frames.dictionary import BUNDLED, FrameDictionary, load_dictionary
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


def negation_note(scores: pd.DataFrame) -> str:
    """How many hits were left out because they stand inside a negation's scope."""
    negated, counted = int(scores["negated_hits"].sum()), int(scores["hits"].sum())
    share = negated / (negated + counted) if negated + counted else 0.0
    return (f"{negated:,} of {negated + counted:,} matches ({share:.1%}) stand inside a negation's scope (\"no "
            "ceasefire\", \"keine Waffenruhe\") and are left out of the scores; tables/frame_scores.csv gives them "
            "per document and frame as negated_hits.")


def fit_parts(ctx, dictionary: FrameDictionary, scores: pd.DataFrame) -> tuple[list[str], str | None]:
    """The fit sub-section's HTML parts, and a note for the section when a bundled dictionary fits better."""
    coverage = frame_coverage(scores, dictionary)
    table = ctx.writer.table(coverage, "frame_dictionary_fit", shown={
        "label": "frame", "docs_with_hit": "documents with ≥ 1 hit", "n_docs": "documents", "share": "share"})
    parts = [h3("How well the dictionary fits this corpus"), p(
        f"Documents in which each frame of '{dictionary.name}' is found at least once (negated hits left out). "
        "A frame found in few documents measures little in this corpus; coverage is a coarse check of fit, not of "
        "validity (a dictionary of broader words covers more)."), table]
    fit = _compare(ctx, dictionary, scores)
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


def _compare(ctx, dictionary: FrameDictionary, scores: pd.DataFrame) -> pd.DataFrame | None:
    """Mean coverage of the used and each bundled dictionary with patterns in the corpus's language."""
    own = _own_name(dictionary)
    others = {name: name for name in BUNDLED if name != own and ctx.lang in load_dictionary(name).languages}
    if not others or ctx.corpus.empty:
        return None
    drawn = ctx.corpus["doc_id"].sample(min(FIT_SAMPLE, len(ctx.corpus)), random_state=ctx.random_state)
    documents = ctx.documents(drawn)
    return compare_dictionaries(documents, {own: dictionary, **others}, n_docs=len(documents),
                                random_state=ctx.random_state, scores={own: scores})
