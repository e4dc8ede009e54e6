"""Sums of many sparse arrays at once, equal to the last bit to what ``np.sum`` gives each.

The lexicon rules score a text or sentence by the sum of its tokens' contributions, an array that
is 0 except at its few sentiment words. :func:`~analysis.sentiment.rules.analyse` sums a text's
array with numpy; the rules for many texts at once (``summaries_many``, ``sentence_scores_many``)
hold only the nonzero values, and :func:`array_sums` adds them in the order numpy would have, so
a label at a threshold never flips between the two.
"""

from __future__ import annotations

import numpy as np

PAIRWISE_BLOCK = 128  # numpy's pairwise summation block: a longer array is summed as two halves


def array_sums(group: np.ndarray, position: np.ndarray, lengths: np.ndarray, values: np.ndarray) -> np.ndarray:
    """For each group ``k`` (a text or sentence of ``lengths[k]`` tokens), ``np.sum`` of its array of
    token contributions: ``values`` at ``position`` (sorted within a group; ``group`` sorted), 0 elsewhere.

    numpy sums an array pairwise: eight running sums over the first multiple of eight entries, added
    as a tree, then the rest one by one (an array under eight: one by one; over 128: each half so).
    Adding zeros changes no sum, so the eight sums are the values' sums by ``position % 8`` (bincount
    adds in order), the rest added in order (``np.add.at``): equal to the last bit. A group of at
    most two values sums them in order either way; a group of more than 128 tokens is summed whole.

    >>> values = np.array([0.1, 0.2, 0.3, 1e-17, 0.7, 0.05])
    >>> group, position = np.array([0, 0, 0, 0, 0, 1]), np.array([0, 3, 8, 9, 13, 2])
    >>> dense = np.zeros(14); dense[position[:5]] = values[:5]
    >>> array_sums(group, position, np.array([14, 5]), values).tolist() == [dense.sum(), 0.05]
    True
    """
    n_groups = len(lengths)
    totals = np.bincount(group, weights=values, minlength=n_groups)  # in order: right for a group of two values
    counts = np.bincount(group, minlength=n_groups)
    lengths = np.asarray(lengths, dtype=np.int64)
    long = np.flatnonzero((counts > 2) & (lengths > PAIRWISE_BLOCK))
    if len(long):
        cuts = np.searchsorted(group, np.arange(n_groups + 1))
        for k in long.tolist():
            dense = np.zeros(lengths[k])
            dense[position[cuts[k]:cuts[k + 1]]] = values[cuts[k]:cuts[k + 1]]
            totals[k] = dense.sum()
    lanes = (counts > 2) & (lengths >= 8) & (lengths <= PAIRWISE_BLOCK)
    if lanes.any():
        mine = lanes[group]
        group, position, values = group[mine], position[mine], values[mine]
        body = position < lengths[group] - lengths[group] % 8
        lane = np.bincount(group[body] * 8 + position[body] % 8, weights=values[body],
                           minlength=8 * n_groups).astype(float).reshape(n_groups, 8)  # float also with no weights
        tree = (((lane[:, 0] + lane[:, 1]) + (lane[:, 2] + lane[:, 3]))
                + ((lane[:, 4] + lane[:, 5]) + (lane[:, 6] + lane[:, 7])))
        np.add.at(tree, group[~body], values[~body])
        totals[lanes] = tree[lanes]
    return totals

