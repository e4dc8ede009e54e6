"""How well a frame dictionary fits a corpus: the share of documents in which each frame is found at all.

A dictionary written for war reporting finds few of its frames in local politics, and a
frame that no document triggers measures nothing. :func:`frame_coverage` gives, per
frame, the documents with at least one (counted) hit; :func:`compare_dictionaries` scores
several dictionaries on one random sample of the corpus and ranks them by their mean
coverage over frames. Coverage is a coarse check of fit, not of validity: a dictionary of
broader words covers more documents. Read the matches (:func:`~analysis.frames.scoring.matches`).

>>> scores = pd.DataFrame({"doc_id": ["a", "a", "b", "b"], "frame": ["war", "aid"] * 2, "hits": [2, 0, 1, 0]})
>>> frame_coverage(scores)[["frame", "label", "docs_with_hit", "share"]].values.tolist()
[['war', 'war', 2, 1.0], ['aid', 'aid', 0, 0.0]]
"""

from __future__ import annotations

import pandas as pd

from analysis.corpus.schema import require_columns
from analysis.frames.dictionary import load_dictionary
from analysis.frames.scoring import score_frames

COVERAGE_COLUMNS = ("frame", "label", "n_docs", "docs_with_hit", "share")


def frame_labels(dictionary) -> dict[str, str]:
    """``{frame: label}`` of a dictionary; a frame without a label, or sharing its label with another, keeps its code.

    >>> frame_labels({"frames": {"war": {"label": "Military action", "en": ["war"]}, "aid": {"en": ["aid"]}}})
    {'war': 'Military action', 'aid': 'aid'}
    """
    entries = load_dictionary(dictionary).entries
    labels = {frame: (entry.label or frame).strip() or frame for frame, entry in entries.items()}
    shared = {label for label in labels.values() if list(labels.values()).count(label) > 1}
    return {frame: f"{label} ({frame})" if label in shared else label for frame, label in labels.items()}


def frame_coverage(scores: pd.DataFrame, dictionary=None) -> pd.DataFrame:
    """One row per frame (in the scores' order): ``frame``, ``label`` (the dictionary's, else
    the code), ``n_docs``, ``docs_with_hit`` (documents with ≥ 1 counted hit) and ``share``.

    ``scores``: :func:`~analysis.frames.scoring.score_frames` output (``doc_id``, ``frame``, ``hits``).
    """
    return coverage_table(coverage_counts(scores), dictionary)


def coverage_counts(scores: pd.DataFrame) -> pd.DataFrame:
    """Per frame (index, in the scores' order): ``n_docs`` and ``docs_with_hit``. The counts of
    parts that share no document add up to those of the parts stacked (:func:`coverage_table`
    makes :func:`frame_coverage`'s table of them).

    >>> scores = pd.DataFrame({"doc_id": ["a", "a", "b", "b"], "frame": ["war", "aid"] * 2, "hits": [2, 0, 1, 0]})
    >>> summed = coverage_counts(scores[:2]) + coverage_counts(scores[2:])
    >>> coverage_table(summed).equals(frame_coverage(scores))
    True
    """
    require_columns(scores, "doc_id", "frame", "hits", what="scores")
    found = scores.assign(found=scores["hits"] > 0).groupby("frame", sort=False)
    return pd.DataFrame({"n_docs": found["doc_id"].nunique(), "docs_with_hit": found["found"].sum().astype("int64")})


def coverage_table(counts: pd.DataFrame, dictionary=None) -> pd.DataFrame:
    """:func:`frame_coverage`'s table of :func:`coverage_counts` (labels from ``dictionary``)."""
    labels = frame_labels(dictionary) if dictionary is not None else {}
    table = counts.rename_axis("frame").reset_index()
    table["docs_with_hit"] = table["docs_with_hit"].astype("int64")
    table["share"] = (table["docs_with_hit"] / table["n_docs"].where(table["n_docs"] > 0)).fillna(0.0)
    table.insert(1, "label", table["frame"].map(lambda f: labels.get(f, f)))
    return table[list(COVERAGE_COLUMNS)]


def compare_dictionaries(corpus: pd.DataFrame, dictionaries, *, n_docs: int = 2000, random_state=0,
                         scores: dict | None = None) -> pd.DataFrame:
    """One row per dictionary, best fitting first: ``dictionary``, ``n_frames``, ``n_docs`` (sampled),
    ``coverage`` (mean over frames of the share of documents with ≥ 1 hit), ``weakest_frame``
    and ``weakest_share`` (the frame found in the fewest documents).

    Each dictionary (a bundled name, path, mapping or :class:`~analysis.frames.dictionary.FrameDictionary`)
    is scored on the same random ``n_docs`` documents (all when fewer). ``scores``: per-document
    scores of the whole corpus already computed, by dictionary name; they are used instead of scoring again.

    >>> corpus = pd.DataFrame({"doc_id": ["a", "b"], "lang": "de",
    ...                        "text": ["Soldaten greifen den Stadtrat an.", "Der Stadtrat beschließt den Haushalt."]})
    >>> war, city = {"military": ["soldat"]}, {"budget": ["haushalt"], "council": ["stadtrat"]}
    >>> compare_dictionaries(corpus, {"war": war, "city": city})[["dictionary", "coverage", "weakest_frame"]].values.tolist()
    [['city', 0.75, 'budget'], ['war', 0.5, 'military']]
    """
    require_columns(corpus, "doc_id", "text")
    named = dict(dictionaries) if isinstance(dictionaries, dict) else {str(d): d for d in dictionaries}
    sample = corpus if len(corpus) <= n_docs else corpus.sample(n_docs, random_state=random_state)
    rows = []
    for name, dictionary in named.items():
        given = (scores or {}).get(name)
        found = (given[given["doc_id"].isin(sample["doc_id"])] if given is not None
                 else score_frames(sample, dictionary, normalize=None))
        coverage = frame_coverage(found).sort_values(["share", "frame"])
        weakest = coverage.iloc[0] if len(coverage) else {"frame": None, "share": float("nan")}
        rows.append({"dictionary": name, "n_frames": len(coverage), "n_docs": len(sample),
                     "coverage": float(coverage["share"].mean()) if len(coverage) else float("nan"),
                     "weakest_frame": weakest["frame"], "weakest_share": float(weakest["share"])})
    table = pd.DataFrame(rows, columns=["dictionary", "n_frames", "n_docs", "coverage", "weakest_frame", "weakest_share"])
    return table.sort_values(["coverage", "dictionary"], ascending=[False, True], kind="stable").reset_index(drop=True)
