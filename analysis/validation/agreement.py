"""Agreement between human coders: Krippendorff's alpha, pairwise agreement and Cohen's kappa.

``codes`` is a DataFrame with one row per coded unit (a document, a sentence) and one
column per coder; a cell holds the coder's code (number or label) or NaN where that coder
did not code the unit. Labels are ordered for ``level="ordinal"`` by their pandas
Categorical order when the columns are categorical, else sorted.

>>> import numpy as np, pandas as pd
>>> codes = pd.DataFrame({"anna": ["pro", "contra", "neutral", "pro"],
...                       "jörg": ["pro", "contra", "pro", np.nan]})
>>> round(krippendorff_alpha(codes), 3)
0.545
"""

from __future__ import annotations

import itertools
import warnings

import krippendorff
import numpy as np
import pandas as pd

LEVELS = ("nominal", "ordinal", "interval")
REPORT_COLUMNS = ("coder_a", "coder_b", "statistic", "estimate", "ci_lower", "ci_upper", "n_units")


def _check_codes(codes) -> pd.DataFrame:
    if not isinstance(codes, pd.DataFrame):
        raise TypeError(f"codes must be a DataFrame with one row per unit and one column per coder; "
                        f"got {type(codes).__name__}.")
    if codes.shape[1] < 2:
        raise ValueError(f"codes has {codes.shape[1]} coder column(s) {list(codes.columns)}; agreement needs at "
                         "least 2 coders, one column each (units as rows; pivot long codes with "
                         "codes.pivot(index='unit', columns='coder', values='code')).")
    if codes.columns.duplicated().any():
        raise ValueError(f"coder columns must be unique; {list(codes.columns[codes.columns.duplicated()])} repeat.")
    if not (codes.notna().sum(axis=1) >= 2).any():
        raise ValueError("no unit was coded by 2 or more coders, so there is nothing to compare; "
                         "let coders overlap on (some of) the same units.")
    return codes


def _categories(codes: pd.DataFrame, values: np.ndarray) -> list:
    """The categories in order: the Categorical order if the columns have one, else sorted."""
    orders = {tuple(codes[c].cat.categories) for c in codes.columns if isinstance(codes[c].dtype, pd.CategoricalDtype)}
    if len(orders) > 1:
        raise ValueError("the coder columns are Categoricals with different categories or orders; give them "
                         "all the same categories, e.g. codes.astype(pd.CategoricalDtype(order, ordered=True)).")
    if orders:
        categories = list(orders.pop())
        unknown = set(values) - set(categories)
        if unknown:
            raise ValueError(f"codes {sorted(map(str, unknown))} are not among the categories {categories}.")
        return categories
    try:
        return sorted(set(values))
    except TypeError:
        raise TypeError("codes mix numbers and labels, which cannot be ordered; use one kind of code "
                        "(or a Categorical with the order you want).") from None


def _coded(codes: pd.DataFrame, level: str) -> tuple[np.ndarray, np.ndarray]:
    """Units × coders integer matrix (-1 = not coded) and the category values."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}; got {level!r}.")
    codes = _check_codes(codes)
    cells, present = codes.to_numpy(dtype=object), codes.notna().to_numpy()
    categories = _categories(codes, cells[present])
    if level == "interval" and not all(isinstance(c, (int, float, np.number)) and not isinstance(c, bool)
                                       for c in categories):
        raise TypeError(f"level='interval' needs numeric codes; got labels like {categories[0]!r}. "
                        "Use level='ordinal' for ordered labels or map them to numbers first.")
    index = {c: i for i, c in enumerate(categories)}
    coded = np.full(cells.shape, -1, dtype=np.int64)
    coded[present] = [index[v] for v in cells[present]]
    return coded, np.asarray(categories, dtype=float if level == "interval" else object)


def _value_counts(coded: np.ndarray, n_values: int) -> np.ndarray:
    """Units × values: how many coders gave each value to each unit."""
    rows, cols = np.nonzero(coded >= 0)
    counts = np.zeros((coded.shape[0], n_values))
    np.add.at(counts, (rows, coded[rows, cols]), 1)
    return counts


def _alpha(counts: np.ndarray, level: str, values: np.ndarray) -> float:
    """α from a units × values count matrix, computed by the ``krippendorff`` package; NaN when the
    pairable units (coded by 2+ coders) hold fewer than two distinct values (α is then undefined)."""
    pairable = counts[counts.sum(axis=1) >= 2]
    if np.count_nonzero(pairable.sum(axis=0)) < 2:
        return float("nan")
    domain = values if level == "interval" else np.arange(len(values))  # ordinal: the categories' order
    return float(krippendorff.alpha(value_counts=pairable, value_domain=domain, level_of_measurement=level))


def krippendorff_alpha(codes: pd.DataFrame, *, level: str = "nominal") -> float:
    """Krippendorff's alpha: chance-corrected agreement of any number of coders, missing codes allowed.

    α = 1 - D_o / D_e = 1 - (n - 1) Σ_ck o_ck δ²_ck / Σ_ck n_c n_k δ²_ck, from the
    coincidence matrix o_ck = Σ_u (number of c-k pairs of codes in unit u) / (m_u - 1)
    over units coded by m_u ≥ 2 coders, n_c = Σ_k o_ck and n = Σ_c n_c (Krippendorff
    2011, "Computing Krippendorff's Alpha-Reliability"). δ²: ``nominal`` 1 if c ≠ k;
    ``ordinal`` (Σ_{g=c..k} n_g - (n_c + n_k)/2)², categories in Categorical order, else
    sorted; ``interval`` (c - k)², numeric codes. 1 is perfect agreement, 0 chance level;
    Krippendorff asks for α ≥ 0.800 (≥ 0.667 for tentative conclusions). NaN (with a
    warning) when all pairable codes are one value. The arithmetic is the ``krippendorff`` package's
    (Castro 2017); the kit adds labels and Categorical order, missing codes and the checks above.

    >>> import numpy as np, pandas as pd
    >>> nan = np.nan  # Krippendorff (2011), 4 coders × 12 units: nominal 0.743, interval 0.849
    >>> codes = pd.DataFrame({"A": [1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
    ...                       "B": [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
    ...                       "C": [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
    ...                       "D": [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan]})
    >>> [round(krippendorff_alpha(codes, level=lv), 3) for lv in ("nominal", "ordinal", "interval")]
    [0.743, 0.815, 0.849]
    """
    coded, values = _coded(codes, level)
    alpha = _alpha(_value_counts(coded, len(values)), level, values)
    if np.isnan(alpha):
        warnings.warn("all codes of units coded by 2+ coders are the same value, so alpha is undefined (NaN).",
                      RuntimeWarning, stacklevel=2)
    return alpha


def _pair_stats(a: np.ndarray, b: np.ndarray, n_values: int) -> tuple[float, float]:
    """Percent agreement p_o and Cohen's kappa (p_o - p_e) / (1 - p_e) of two coders' integer
    codes on their shared units; p_e = Σ_c p_a(c) p_b(c). Kappa is NaN when p_e = 1."""
    if len(a) == 0:
        return float("nan"), float("nan")
    observed = float(np.mean(a == b))
    expected = float(np.bincount(a, minlength=n_values) @ np.bincount(b, minlength=n_values)) / len(a) ** 2
    return observed, float("nan") if expected == 1 else (observed - expected) / (1 - expected)


def _mean_agreement(coded: np.ndarray) -> float:
    """Mean over coder pairs of their percent agreement (pairs without shared units skipped)."""
    shares = []
    for i, j in itertools.combinations(range(coded.shape[1]), 2):
        both = (coded[:, i] >= 0) & (coded[:, j] >= 0)
        if both.any():
            shares.append(np.mean(coded[both, i] == coded[both, j]))
    return float(np.mean(shares)) if shares else float("nan")


def _interval(samples, ci: float) -> tuple[float, float]:
    samples = np.asarray(samples, dtype=float)
    samples = samples[~np.isnan(samples)]
    if len(samples) == 0:
        return float("nan"), float("nan")
    lower, upper = np.quantile(samples, [(1 - ci) / 2, (1 + ci) / 2])
    return float(lower), float(upper)


def agreement_report(codes: pd.DataFrame, *, level: str = "nominal", n_boot: int = 1000, ci: float = 0.95,
                     random_state=0) -> pd.DataFrame:
    """Agreement of every pair of coders and of all coders together, with bootstrap intervals.

    One row per coder pair and statistic, then the overall rows (``coder_a`` and
    ``coder_b`` missing). Columns ``coder_a, coder_b, statistic, estimate, ci_lower, ci_upper,
    n_units``. Statistics: ``percent_agreement`` (share of the units both coded with the
    same code), ``cohen_kappa`` (κ = (p_o - p_e) / (1 - p_e), p_e = Σ_c p_a(c) p_b(c) from each
    coder's own code frequencies on the units both coded; Cohen 1960; unweighted, equal to
    :func:`sklearn.metrics.cohen_kappa_score`), overall ``mean_percent_agreement`` (mean over pairs) and
    ``krippendorff_alpha`` at ``level`` (:func:`krippendorff_alpha`; Krippendorff 2011).
    ``n_units``: units both coders coded, or overall the units coded by ≥ 2 coders.
    Intervals: percentile bootstrap over units (``n_boot`` resamples, seeded by
    ``random_state``; Zapf et al. 2016); ``n_boot=0`` gives NaN bounds. Percent agreement
    and κ compare codes for equality, so they suit categorical codes only.

    >>> import pandas as pd
    >>> codes = pd.DataFrame({"anna": ["pro", "contra", "neutral", "pro", "contra"],
    ...                       "jörg": ["pro", "contra", "pro", None, "contra"]})
    >>> agreement_report(codes, n_boot=0)[["coder_a", "statistic", "estimate", "n_units"]].round(3)
      coder_a               statistic  estimate  n_units
    0    anna       percent_agreement     0.750        4
    1    anna             cohen_kappa     0.600        4
    2     NaN  mean_percent_agreement     0.750        4
    3     NaN      krippendorff_alpha     0.632        4
    """
    if not 0 < ci < 1:
        raise ValueError(f"ci must be a coverage in (0, 1), e.g. 0.95; got {ci!r}.")
    coded, values = _coded(codes, level)
    counts = _value_counts(coded, len(values))
    rng = np.random.default_rng(random_state)
    rows = []
    for i, j in itertools.combinations(range(coded.shape[1]), 2):
        shared = np.flatnonzero((coded[:, i] >= 0) & (coded[:, j] >= 0))
        a, b = coded[shared, i], coded[shared, j]
        samples = rng.integers(0, len(shared), (n_boot if len(shared) else 0, len(shared)))
        boot = np.array([_pair_stats(a[s], b[s], len(values)) for s in samples]).reshape(-1, 2)
        estimates = _pair_stats(a, b, len(values))
        for k, statistic in enumerate(("percent_agreement", "cohen_kappa")):
            bounds = _interval(boot[:, k], ci)
            rows.append((codes.columns[i], codes.columns[j], statistic, estimates[k], *bounds, len(shared)))
    pairable = np.flatnonzero((coded >= 0).sum(axis=1) >= 2)
    samples = pairable[rng.integers(0, len(pairable), (n_boot, len(pairable)))]
    overall = (("mean_percent_agreement", lambda units: _mean_agreement(coded[units])),
               ("krippendorff_alpha", lambda units: _alpha(counts[units], level, values)))
    for statistic, compute in overall:
        bounds = _interval([compute(s) for s in samples], ci)
        rows.append((None, None, statistic, compute(pairable), *bounds, len(pairable)))
    report = pd.DataFrame(rows, columns=list(REPORT_COLUMNS))
    return report.astype({"estimate": float, "ci_lower": float, "ci_upper": float, "n_units": "int64"})
