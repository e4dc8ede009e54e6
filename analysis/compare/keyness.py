"""Keyness: which terms distinguish one group of documents (an outlet, a period) from another.

Three statistics on the term counts of a *target* and a *reference* group:

- ``"log_odds_dirichlet"`` (default): the log-odds ratio with an informative Dirichlet
  prior of Monroe, Colaresi & Quinn (2008, "Fightin' words", *Political Analysis* 16(4),
  372–403, eqs. 16 and 22) and its z-score. The prior is the pooled relative frequency
  ``p_w`` of each term in the *whole* corpus (all documents, whatever their group),
  scaled to a total of ``a0 = prior · N`` pseudo-counts (``N`` = number of term tokens in
  the corpus): ``α_w = a0 · p_w = prior · count_w``. With ``prior=0.01`` each term's
  prior is 1 % of its corpus count, which shrinks the log-odds of rare terms towards 0
  and stabilises their variance. ``statistic`` is the z-score (the paper ranks by it).
- ``"likelihood_ratio"``: Dunning's (1993) G² of the 2×2 table (term / other terms ×
  target / reference); ``"chi2"``: Pearson's χ² of the same table without continuity
  correction — both as quanteda's ``textstat_keyness(..., correction = "none")``.
  ``statistic`` is the value, signed negative when the term is relatively more frequent
  in the reference; ``p_value`` from χ²(1).

Whatever the method: ``z`` is a standard-normal deviate (Monroe's z for the log-odds,
the signed square root of χ² or G² otherwise), ``log_odds_ratio`` the prior-smoothed
log-odds ratio δ̂ (an effect size: ``> 0`` = more typical of the target) and ``p_value``
is two-sided. Terms are the kit's lemmas (:class:`~analysis.text.Preprocessor`).

>>> import pandas as pd
>>> corpus = pd.DataFrame({"doc_id": list("abcd"), "lang": "en", "outlet": ["K", "K", "U", "U"], "text": [
...     "The special military operation continues.", "Special operation goals.",
...     "Occupiers shell Kharkiv.", "The occupiers retreat from Kyiv; the operation failed."]})
>>> key = keyness(corpus, by="outlet", target="K", min_count=2)
>>> key[["term", "group", "reference", "count_target", "count_reference"]].values.tolist()
[['operation', 'K', 'U', 2, 1], ['special', 'K', 'U', 2, 0], ['occupier', 'K', 'U', 0, 2]]
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from analysis.explore.describe import group_labels
from analysis.explore.term_counts import TermCounts, count_terms
from analysis.corpus.schema import require_columns

KEYNESS_COLUMNS = ("term", "group", "reference", "count_target", "count_reference", "statistic", "p_value", "z",
                   "log_odds_ratio")
KEYNESS_METHODS = ("log_odds_dirichlet", "chi2", "likelihood_ratio")


def keyness(corpus: pd.DataFrame, *, by: str, target, reference=None, method: str = "log_odds_dirichlet",
            min_count: int = 5, preprocessor=None, prior: float = 0.01) -> pd.DataFrame:
    """Keyness of every term for ``target`` against ``reference``.

    ``target``: a value of the ``by`` column or a list of values (pooled). ``reference``:
    None for all other documents, or a value / list of values; documents in neither
    group only inform the log-odds prior. Terms counted fewer than ``min_count`` times in
    target and reference together are left out. ``preprocessor`` (a ``str -> list[str]``
    callable) defaults to the corpus's language, or each document in its own on a mixed corpus
    (:func:`~analysis.text.preprocessor.corpus_preprocessor`).

    One row per term, sorted by ``statistic`` descending: the most distinctive terms of
    the target first, those of the reference (negative values) last. Columns: ``term``,
    ``group`` (the target label; values joined by ``" + "``), ``reference`` (its label),
    ``count_target``, ``count_reference`` (raw counts), ``statistic``, ``p_value``
    (two-sided, not corrected for the many terms tested), ``z``, ``log_odds_ratio``.
    See the module docstring for the formulas. For a corpus in chunks:
    :func:`~analysis.explore.term_counts.count_terms`, then :func:`keyness_from_counts`.
    """
    require_columns(corpus, "text", by)
    _check_options(method, min_count, prior)
    _sides(group_labels(corpus, by), by, target, reference)  # bad groups fail before the corpus is preprocessed
    counts = count_terms(corpus, by=by, preprocessor=preprocessor)
    return keyness_from_counts(counts, target=target, reference=reference, method=method, min_count=min_count,
                               prior=prior)


def keyness_from_counts(counts: TermCounts, *, target, reference=None, method: str = "log_odds_dirichlet",
                        min_count: int = 5, prior: float = 0.01) -> pd.DataFrame:
    """:func:`keyness` from term counts per group (:func:`~analysis.explore.term_counts.count_terms`).

    ``target`` and ``reference`` name groups of ``counts`` (as in :func:`keyness`); every
    group's counts inform the prior. Same result as :func:`keyness` on the counted corpus.

    >>> counts = TermCounts(by="phase")
    >>> counts.add([["krieg", "krieg", "waffe"], ["frieden", "waffe"]], ["before", "after"])
    >>> key = keyness_from_counts(counts, target="after", min_count=1)
    >>> key[["term", "count_target", "count_reference"]].values.tolist()
    [['frieden', 1, 0], ['waffe', 1, 1], ['krieg', 0, 2]]
    """
    _check_options(method, min_count, prior)
    in_target, in_reference, labels = _sides(pd.Series(counts.groups, dtype=object), counts.by or "group", target,
                                             reference)
    matrix = counts.counts
    total = np.asarray(matrix.sum(axis=0)).ravel().astype(float)
    a = np.asarray(matrix[in_target.to_numpy()].sum(axis=0)).ravel().astype(float)
    b = np.asarray(matrix[in_reference.to_numpy()].sum(axis=0)).ravel().astype(float)
    if a.sum() == 0 or b.sum() == 0:
        empty = labels[0] if a.sum() == 0 else labels[1]
        raise ValueError(f"group {empty!r} has no terms after preprocessing; check its texts and the preprocessor.")
    delta, z_log_odds = log_odds_dirichlet(a, b, prior * total)
    keep = (a + b) >= min_count
    if method == "log_odds_dirichlet":
        statistic, z = z_log_odds, z_log_odds
        p_value = 2 * stats.norm.sf(np.abs(z))
    else:
        statistic = two_by_two(a, b, likelihood_ratio=method == "likelihood_ratio")
        z = np.sign(statistic) * np.sqrt(np.abs(statistic))
        p_value = stats.chi2.sf(np.abs(statistic), df=1)
    frame = pd.DataFrame({"term": counts.terms, "group": labels[0], "reference": labels[1],
                          "count_target": a.astype("int64"), "count_reference": b.astype("int64"),
                          "statistic": statistic, "p_value": p_value, "z": z, "log_odds_ratio": delta},
                         columns=list(KEYNESS_COLUMNS))[keep]
    frame = frame.sort_values(["statistic", "term"], ascending=[False, True], kind="stable").reset_index(drop=True)
    frame.attrs["method"] = method  # read by plot_keyness for its axis label
    return frame


def _check_options(method: str, min_count: int, prior: float) -> None:
    if method not in KEYNESS_METHODS:
        raise ValueError(f"method must be one of {list(KEYNESS_METHODS)}, not {method!r}.")
    if not prior > 0:
        raise ValueError(f"prior must be a positive share of the corpus counts (e.g. 0.01), not {prior!r}.")
    if int(min_count) < 1:
        raise ValueError(f"min_count must be at least 1, not {min_count!r}.")


def log_odds_dirichlet(a: np.ndarray, b: np.ndarray, alpha: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Monroe et al. (2008) log-odds ratio δ̂ and its z-score for counts ``a`` vs ``b``, prior ``alpha``.

    δ̂_w = log[(a_w+α_w) / (n_a+α_0−a_w−α_w)] − log[(b_w+α_w) / (n_b+α_0−b_w−α_w)],
    σ²(δ̂_w) ≈ 1/(a_w+α_w) + 1/(b_w+α_w), z = δ̂/σ.

    >>> delta, z = log_odds_dirichlet(np.array([10., 0.]), np.array([0., 10.]), np.array([1., 1.]))
    >>> np.round(delta, 3).tolist(), np.round(z, 3).tolist()
    ([4.796, -4.796], [4.592, -4.592])
    """
    n_a, n_b, a0 = a.sum(), b.sum(), alpha.sum()
    delta = (np.log((a + alpha) / (n_a + a0 - a - alpha)) - np.log((b + alpha) / (n_b + a0 - b - alpha)))
    return delta, delta / np.sqrt(1 / (a + alpha) + 1 / (b + alpha))


def two_by_two(a: np.ndarray, b: np.ndarray, *, likelihood_ratio: bool) -> np.ndarray:
    """Signed Pearson χ² (or Dunning G²) of each term's 2×2 table, no continuity correction.

    Rows: the term / all other terms; columns: target (``a``) / reference (``b``). The sign
    is that of ``a/n_a − b/n_b`` (positive = relatively more frequent in the target).

    >>> two_by_two(np.array([10., 5.]), np.array([2., 8.]), likelihood_ratio=False).round(3).tolist()
    [5.235, -5.235]
    """
    n_a, n_b = a.sum(), b.sum()
    observed = np.stack([a, b, n_a - a, n_b - b])
    row = np.stack([a + b, a + b, n_a + n_b - a - b, n_a + n_b - a - b])
    expected = row * np.array([n_a, n_b, n_a, n_b])[:, None] / (n_a + n_b)
    with np.errstate(divide="ignore", invalid="ignore"):
        if likelihood_ratio:
            value = 2 * np.where(observed > 0, observed * np.log(observed / expected), 0.0).sum(axis=0)
        else:
            value = ((observed - expected) ** 2 / expected).sum(axis=0)
    return np.sign(a / n_a - b / n_b) * np.maximum(value, 0.0)


def _sides(groups: pd.Series, by: str, target, reference) -> tuple[pd.Series, pd.Series, tuple[str, str]]:
    """Boolean masks of the target and reference documents and their labels."""
    present = sorted(groups.unique())
    wanted_target = _values(target, "target")
    for value in wanted_target:
        if value not in present:
            raise ValueError(f"target {value!r} is not a value of column {by!r}; values are {present}.")
    in_target = groups.isin(wanted_target)
    if reference is None:
        others = [g for g in present if g not in wanted_target]
        if not others:
            raise ValueError(f"target {wanted_target} covers every value of {by!r}; nothing is left as reference.")
        in_reference = ~in_target
        ref_label = others[0] if len(others) == 1 else f"other ({len(others)} groups)"
    else:
        wanted_reference = _values(reference, "reference")
        for value in wanted_reference:
            if value not in present:
                raise ValueError(f"reference {value!r} is not a value of column {by!r}; values are {present}.")
        overlap = sorted(set(wanted_target) & set(wanted_reference))
        if overlap:
            raise ValueError(f"{overlap} is both target and reference; a group can be on one side only.")
        in_reference = groups.isin(wanted_reference)
        ref_label = " + ".join(wanted_reference)
    return in_target, in_reference, (" + ".join(wanted_target), ref_label)


def _values(value, role: str) -> list[str]:
    values = [value] if isinstance(value, str) or not hasattr(value, "__iter__") else list(value)
    if not values:
        raise ValueError(f"{role} must name at least one group.")
    return [str(v) for v in values]
