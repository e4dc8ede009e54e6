"""Long per-document score frames: their roles, metadata and validation.

Shared by :mod:`analysis.compare.prevalence` (prevalence, keyness) and :mod:`analysis.compare.effects`.
A score frame has one row per document × item: ``doc_id``, an item column (the first
present of ``topic``, ``frame``, ``actor``, ``label``, ``item``) and a value column (the
first present of ``weight``, ``score``, ``share``, ``value``).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from analysis.errors import MissingColumnError
from analysis.corpus.schema import require_columns, require_unique

ITEM_COLUMNS = ("topic", "frame", "actor", "label", "item")
VALUE_COLUMNS = ("weight", "score", "share", "value")


class DroppedDocumentsWarning(UserWarning):
    """Documents were left out of a comparison; the message says how many and why."""


def score_roles(doc_scores) -> tuple[str, str]:
    """The item and value column names of a long score frame (validated)."""
    if not isinstance(doc_scores, pd.DataFrame):
        raise TypeError("doc_scores must be a DataFrame (one row per document × item), "
                        f"not {type(doc_scores).__name__}.")
    columns = list(doc_scores.columns)
    item = next((c for c in ITEM_COLUMNS if c in columns), None)
    value = next((c for c in VALUE_COLUMNS if c in columns), None)
    for role, name, options in (("id", "doc_id" if "doc_id" in columns else None, ("doc_id",)),
                                ("item", item, ITEM_COLUMNS), ("value", value, VALUE_COLUMNS)):
        if name is None:
            raise MissingColumnError(f"doc_scores has no {role} column; expected one of {list(options)}, columns "
                                     f"are {columns}. Rename yours, e.g. .rename(columns={{'x': {options[0]!r}}}).")
    if not pd.api.types.is_numeric_dtype(doc_scores[value]):
        raise TypeError(f"doc_scores[{value!r}] must be numeric, not {doc_scores[value].dtype}.")
    if doc_scores[value].isna().any():
        bad = doc_scores.loc[doc_scores[value].isna(), "doc_id"].unique()[:3].tolist()
        raise ValueError(f"doc_scores[{value!r}] has {int(doc_scores[value].isna().sum())} missing values "
                         f"(e.g. doc_id {bad}); fill them (0 = no hit) or drop those rows.")
    return item, value


def check_ci(ci) -> None:
    if not 0 < ci < 1:
        raise ValueError(f"ci must be a coverage between 0 and 1 (e.g. 0.95), not {ci!r}.")


def document_metadata(doc_scores: pd.DataFrame, metadata, columns) -> pd.DataFrame:
    """One row per scored document (index ``doc_id``) with ``columns`` from the scores or ``metadata``."""
    own = [c for c in columns if c in doc_scores.columns]
    docs = doc_scores.drop_duplicates("doc_id").set_index("doc_id")[own]
    need = [c for c in columns if c not in own]
    if not need:
        return docs
    if metadata is None:
        raise MissingColumnError(f"doc_scores has no column {need[0]!r}; columns are {list(doc_scores.columns)}. "
                                 "Pass metadata=corpus (joined on doc_id) or add the column.")
    require_columns(metadata, "doc_id", *need, what="metadata")
    require_unique(metadata, "doc_id", what="metadata")
    meta = metadata.set_index("doc_id")
    unknown = docs.index.difference(meta.index)
    if len(unknown):
        raise ValueError(f"{len(unknown)} doc_id values of doc_scores are not in metadata, "
                         f"e.g. {unknown[:3].tolist()}.")
    unscored = meta.index.difference(docs.index)
    if len(unscored):
        warnings.warn(f"{len(unscored)} of {len(meta)} metadata documents have no row in doc_scores and are not "
                      f"counted (e.g. {unscored[:3].tolist()}); add rows with value 0 if they simply had no hit.",
                      DroppedDocumentsWarning, stacklevel=3)
    return docs.join(meta[need])


def doc_item_grid(doc_scores: pd.DataFrame, item: str, value: str, *, sort_docs: bool = True) -> pd.DataFrame:
    """Documents × items of values, 0 where a document has no row; the mean over ``draw`` if present.
    Documents sorted by ``doc_id``, or in order of first appearance (``sort_docs=False``); items sorted."""
    if "draw" in doc_scores.columns:
        sums = doc_scores.groupby(["doc_id", item], observed=True, sort=True)[value].sum()
        grid = (sums / doc_scores["draw"].nunique()).unstack(fill_value=0.0)
        return grid if sort_docs else grid.loc[pd.unique(doc_scores["doc_id"])]
    # codes instead of DataFrame.pivot: a million documents × 12 topics would need ~1 GB more
    doc_codes, doc_ids = pd.factorize(doc_scores["doc_id"], sort=sort_docs)
    item_codes, items = pd.factorize(doc_scores[item], sort=True)
    cells = doc_codes.astype(np.int64) * max(len(items), 1) + item_codes
    if (doc_codes < 0).any() or (item_codes < 0).any():
        raise ValueError(f"doc_scores has missing doc_id or {item} values; drop or name them first.")
    taken = np.zeros(len(doc_ids) * max(len(items), 1), dtype=bool)
    taken[cells] = True  # a cell given twice is taken once: fewer taken than rows (linear, not a sort)
    if np.count_nonzero(taken) < len(cells):
        keys = doc_scores[["doc_id", item]]
        dupes = keys[keys.duplicated()].head(3).values.tolist()
        raise ValueError(f"doc_scores has several rows per doc_id × {item} (e.g. {dupes}); aggregate them first, "
                         "or name the repeats in a 'draw' column if they are posterior draws.")
    grid = np.zeros((len(doc_ids), len(items)))
    grid[doc_codes, item_codes] = np.nan_to_num(doc_scores[value].to_numpy(dtype=float), nan=0.0)
    return pd.DataFrame(grid, index=pd.Index(doc_ids, name="doc_id"), columns=pd.Index(items, name=item))


# --- prevalence -----------------------------------------------------------------------------
