"""Many groups into few: the largest groups kept, all others merged into one ``"(other)"`` group.

A grouping column with hundreds of values (places, authors, sections) gives unreadable
figures and strata too small to sample. :func:`largest_groups` keeps the most frequent
labels and merges the rest, so comparisons stay readable and every document stays counted.

>>> places = pd.Series(["Köln"] * 3 + ["Görlitz"] * 2 + ["Fürth", "Jena", "Jena"])
>>> largest_groups(places, keep=3).tolist()
['Köln', 'Köln', 'Köln', 'Görlitz', 'Görlitz', '(other)', '(other)', '(other)']
"""

from __future__ import annotations

import pandas as pd

OTHER = "(other)"


def largest_groups(labels: pd.Series, *, keep: int, other: str = OTHER) -> pd.Series:
    """``labels`` with at most ``keep`` distinct values: the ``keep - 1`` most frequent stay (ties
    broken by label, so the result does not depend on row order), all others become ``other``.
    Returned unchanged when there are ``keep`` labels or fewer; missing labels stay missing.

    >>> largest_groups(pd.Series(["a", "b", "b"]), keep=2).tolist()
    ['a', 'b', 'b']
    """
    if not isinstance(keep, int) or keep < 2:
        raise ValueError(f"keep must be an integer ≥ 2 (the largest groups plus {other!r}), not {keep!r}.")
    counts = labels.value_counts()
    if len(counts) <= keep:
        return labels
    ranked = sorted(counts.items(), key=lambda item: (-item[1], str(item[0])))
    kept = [label for label, _ in ranked[:keep - 1]]
    return labels.astype(object).where(labels.isin(kept) | labels.isna(), other)
