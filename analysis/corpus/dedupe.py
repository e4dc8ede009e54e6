"""Find near-duplicate documents (agency copies reprinted by several outlets).

Two documents are near-duplicates when the Jaccard similarity of their word 5-gram
sets (lowercased) reaches ``threshold``; groups are the connected components of that
relation. One document per group is kept: the earliest ``published`` by default
(documents without a date count as latest; ties keep corpus order).

>>> import pandas as pd
>>> text = "Nordkorea hat nach Angaben aus Seoul weitere Soldaten nach Russland geschickt, die in Kursk kämpfen sollen."
>>> corpus = pd.DataFrame({"doc_id": ["dpa", "zeit", "taz"], "text": [text, text + " (dpa)", "Ganz anderer Text über die Wirtschaft in Wien."],
...                        "published": pd.to_datetime(["2025-01-02", "2025-01-01", "2025-01-03"], utc=True)})
>>> result = dedupe(corpus)
>>> result.corpus["doc_id"].tolist()
['zeit', 'taz']
>>> result.groups[["group", "doc_id", "kept"]].to_dict("records")
[{'group': 0, 'doc_id': 'zeit', 'kept': True}, {'group': 0, 'doc_id': 'dpa', 'kept': False}]
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix, csr_matrix
from scipy.sparse.csgraph import connected_components

from analysis.corpus.shingles import shingle_matrix

GROUP_COLUMNS = ("group", "doc_id", "kept", "similarity", "published")


@dataclass
class DedupeResult:
    """The deduplicated corpus and, per duplicate group, which document was kept."""

    corpus: pd.DataFrame
    groups: pd.DataFrame

    def __str__(self) -> str:
        n_groups = self.groups["group"].nunique()
        removed = int((~self.groups["kept"]).sum())
        return f"{n_groups} near-duplicate groups; {removed} documents removed, {len(self.corpus)} kept"


def similar_pairs(texts, *, threshold=0.8, shingle_size=5, max_df=1000):
    """Pairs ``(i, j, jaccard)`` with ``i < j`` and Jaccard similarity ≥ ``threshold``.

    Shingles shared by more than ``max_df`` documents (boilerplate) are ignored when
    looking for candidates, which keeps the sparse product cheap. The pairs of the last texts
    compared are kept (with their SHA-256): the same texts again at the same or a higher
    threshold are answered from them (the report compares its cleaned texts at 0.5 to find
    boilerplate, then at 0.8 to list near-duplicates).

    >>> texts = ["Kim schickt Soldaten nach Kursk an die Front.",
    ...          "Kim schickt Soldaten nach Kursk an die Front, meldet Seoul.", "Ganz anderes Thema."]
    >>> [(int(i), int(j), round(float(s), 3)) for i, j, s in zip(*similar_pairs(texts, threshold=0.5))]
    [(0, 1, 0.667)]
    >>> [len(found) for found in similar_pairs(texts, threshold=0.8)]  # the same texts: filtered, not recomputed
    [0, 0, 0]
    """
    texts = list(texts)
    key = (_texts_sha256(texts), shingle_size, max_df)
    known = _LAST_PAIRS.get(key)
    if known is None or known[0] > threshold:
        known = (threshold, *_similar_pairs(texts, threshold, shingle_size, max_df))
        _LAST_PAIRS.clear()
        _LAST_PAIRS[key] = known
    _, i, j, jaccard = known
    keep = jaccard >= threshold
    return i[keep], j[keep], jaccard[keep]


_LAST_PAIRS: dict = {}  # (texts' SHA-256, shingle size, max_df) -> (threshold, i, j, jaccard): one entry


def _texts_sha256(texts: list) -> str:
    digest = hashlib.sha256()
    for text in texts:
        data = str(text).encode("utf-8", "surrogatepass")
        digest.update(len(data).to_bytes(8, "little"))  # length first: ["ab", "c"] differs from ["a", "bc"]
        digest.update(data)
    return digest.hexdigest()


def _similar_pairs(texts: list, threshold, shingle_size: int, max_df: int):
    matrix = shingle_matrix(texts, shingle_size)
    sizes = np.diff(matrix.indptr)
    matrix = _without_common_columns(matrix, max_df)
    overlap = (matrix @ matrix.T).tocoo()
    upper = overlap.row < overlap.col
    i, j, inter = overlap.row[upper], overlap.col[upper], overlap.data[upper]
    union = sizes[i] + sizes[j] - inter
    jaccard = np.divide(inter, union, out=np.zeros(len(inter)), where=union > 0)
    keep = jaccard >= threshold
    return i[keep], j[keep], jaccard[keep]


def _without_common_columns(matrix: csr_matrix, max_df: int) -> csr_matrix:
    """``matrix`` without the entries of columns of more than ``max_df`` documents."""
    kept = np.bincount(matrix.indices, minlength=matrix.shape[1])[matrix.indices] <= max_df
    rows = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
    return csr_matrix((matrix.data[kept], (rows[kept], matrix.indices[kept])), shape=matrix.shape)


def near_duplicate_labels(texts, *, threshold: float = 0.8, shingle_size: int = 5) -> np.ndarray:
    """One label per text: texts linked by :func:`similar_pairs` (directly or through others) share it.

    >>> near_duplicate_labels(["Kim schickt Soldaten nach Kursk an die Front.",
    ...                        "Kim schickt Soldaten nach Kursk an die Front!", "Ganz anderes Thema heute."]).tolist()
    [0, 0, 1]
    """
    texts = list(texts)
    i, j, _ = similar_pairs(texts, threshold=threshold, shingle_size=shingle_size)
    return _components(len(texts), i, j)


def _components(n: int, i, j) -> np.ndarray:
    graph = coo_matrix((np.ones(len(i)), (i, j)), shape=(n, n))
    return connected_components(graph, directed=False)[1]


def dedupe(corpus: pd.DataFrame, *, threshold: float = 0.8, shingle_size: int = 5,
           keep: str = "earliest") -> DedupeResult:
    """Remove near-duplicates; ``keep`` is ``"earliest"`` (by ``published``) or ``"first"``.

    ``groups`` has one row per document in a duplicate group: ``group``, ``doc_id``,
    ``kept``, ``similarity`` (Jaccard to the kept document; NaN when linked only through
    another member), ``published``.
    """
    if not 0 < threshold <= 1:
        raise ValueError(f"threshold must be in (0, 1], not {threshold}.")
    if keep not in ("earliest", "first"):
        raise ValueError(f"keep must be 'earliest' or 'first', not {keep!r}.")
    n = len(corpus)
    i, j, sim = similar_pairs(corpus["text"].tolist(), threshold=threshold, shingle_size=shingle_size)
    labels = _components(n, i, j)
    published = corpus["published"] if "published" in corpus else pd.Series(pd.NaT, index=corpus.index)
    order = pd.DataFrame({"label": labels, "pos": np.arange(n), "published": published.to_numpy()})
    if keep == "earliest":
        order = order.sort_values(["published", "pos"], na_position="last", kind="stable")
    else:
        order = order.sort_values("pos", kind="stable")
    sizes = np.bincount(labels)
    dup = order[sizes[order["label"]] > 1]
    kept_pos = dup.groupby("label", sort=False)["pos"].first()
    pair_sim = {(a, b): s for a, b, s in zip(i, j, sim)} | {(b, a): s for a, b, s in zip(i, j, sim)}
    group_ids = {label: g for g, label in enumerate(sorted(kept_pos.index, key=lambda lab: kept_pos[lab]))}
    records = []
    for label, pos, date in dup[["label", "pos", "published"]].itertuples(index=False):
        kept = kept_pos[label]
        records.append({"group": group_ids[label], "doc_id": corpus["doc_id"].iat[pos], "kept": pos == kept,
                        "similarity": 1.0 if pos == kept else pair_sim.get((kept, pos), np.nan),
                        "published": date, "_kept_first": pos != kept})
    groups = pd.DataFrame(records, columns=[*GROUP_COLUMNS, "_kept_first"])
    groups = groups.sort_values(["group", "_kept_first"], kind="stable").drop(columns="_kept_first")
    removed = set(groups.loc[~groups["kept"], "doc_id"])
    return DedupeResult(corpus[~corpus["doc_id"].isin(removed)].reset_index(drop=True),
                        groups.reset_index(drop=True))
