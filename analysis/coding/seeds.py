"""Seed words for Latent Semantic Scaling: the bundled sets, user dicts, and matching them to a vocabulary.

A seed set is ``{word: weight}``: a positive weight for one pole, a negative weight for the
other (``{"gut": 1, "schlecht": -1}``). Bundled sets live in ``analysis/resources/seeds/``
(sources and licences in their headers and in ``analysis/resources/README.md``):
``"sentiment"`` (Turney & Littman's 7 + 7 paradigm words) and ``"conflict"`` (confrontation
vs cooperation).

>>> seeds = load_seeds("sentiment", lang="en")
>>> seeds["good"], seeds["bad"], len(seeds)
(1.0, -1.0, 14)
>>> poles("conflict")
{'positive': 'confrontation', 'negative': 'cooperation'}
"""

from __future__ import annotations

import fnmatch
import numbers
from functools import lru_cache
from importlib.resources import files

import numpy as np
import pandas as pd

from analysis.frames.matcher import is_glob
from analysis.frames.yamlfile import safe_load
from analysis.text.language import check_lang

BUNDLED = ("sentiment", "conflict")
SEED_COLUMNS = ("seed", "term", "polarity", "weight", "n_units")


@lru_cache(maxsize=4)
def _bundled(name: str) -> dict:
    if name not in BUNDLED:
        raise ValueError(f"no bundled seed set {name!r}; choose one of {list(BUNDLED)} "
                         "or pass your own dict {{word: +1 or -1}}.")
    return safe_load(files("analysis").joinpath("resources", "seeds", f"{name}.yaml").read_text(encoding="utf-8"))


def load_seeds(name: str, *, lang: str = "de") -> dict[str, float]:
    """The bundled seed set ``name`` (``"sentiment"``, ``"conflict"``) for ``lang`` as ``{word: ±1.0}``."""
    spec = _bundled(name)[check_lang(lang)]
    return {**{w: 1.0 for w in spec["positive"]}, **{w: -1.0 for w in spec["negative"]}}


def poles(name: str) -> dict[str, str]:
    """What the positive and negative end of the bundled seed set ``name`` stand for."""
    return dict(_bundled(name)["poles"])


def check_seeds(seeds, lang: str) -> dict[str, float]:
    """``seeds`` as ``{word: weight}``: a bundled name, or a user dict checked for both poles."""
    if isinstance(seeds, str):
        return load_seeds(seeds, lang=lang)
    if not isinstance(seeds, dict) or not seeds:
        raise TypeError(f"seeds must be a bundled name {list(BUNDLED)} or a non-empty dict {{word: +1 or -1}}, "
                        f"not {type(seeds).__name__}.")
    bad = {w: v for w, v in seeds.items() if not isinstance(w, str) or not w.strip() or isinstance(v, bool)
           or not isinstance(v, numbers.Real) or not np.isfinite(v) or v == 0}
    if bad:
        raise ValueError(f"seeds must map words to non-zero numbers (+1 for one pole, -1 for the other); "
                         f"these are not: {dict(list(bad.items())[:5])}.")
    if not any(v > 0 for v in seeds.values()) or not any(v < 0 for v in seeds.values()):
        raise ValueError("seeds need words for both poles: some with a positive and some with a negative weight, "
                         f"got {seeds}.")
    return {w.strip(): float(v) for w, v in seeds.items()}


def match_seeds(seeds: dict[str, float], vocabulary: dict[str, int], n_units: np.ndarray, lemmatize) -> pd.DataFrame:
    """One row per (seed, vocabulary term it matches): ``seed, term, polarity, weight, n_units``.

    A plain word is lemmatised with ``lemmatize`` (``str -> list[str]``, the model's
    preprocessor) and must give one known lemma; a glob (``hervorrag*``) matches lowercased
    lemmas. Weights follow LSX (Watanabe 2021): each pole sums to 1 (negative pole: -1); a seed's
    share of its pole grows with the log of how many units hold it (a seed seen twice is
    barely measured), and a glob's share is split evenly among its matches. Seeds that match
    nothing keep one row with an empty ``term`` and weight 0.
    """
    rows = []
    for seed, value in seeds.items():
        terms = expand_word(seed, vocabulary, lemmatize)
        units = sum(int(n_units[vocabulary[t]]) for t in terms)
        rows += [(seed, t, np.sign(value), abs(value) * np.log1p(units) / len(terms), int(n_units[vocabulary[t]]))
                 for t in terms] or [(seed, "", np.sign(value), 0.0, 0)]
    table = pd.DataFrame(rows, columns=list(SEED_COLUMNS))
    for sign, pole in ((1.0, "positive"), (-1.0, "negative")):
        side = table["polarity"] == sign
        if table.loc[side, "weight"].sum() == 0:
            raise ValueError(f"none of the {pole} seeds {list(table.loc[side, 'seed'])} occurs in the corpus "
                             f"(as lemmas in at least min_df units). Fit on a larger corpus, lower min_df, "
                             f"or choose seeds that occur (check with analysis.explore.describe).")
        table.loc[side, "weight"] = table.loc[side, "weight"] * sign / table.loc[side, "weight"].sum() + 0.0
    return table


def expand_word(word: str, vocabulary, lemmatize) -> list[str]:
    """The vocabulary lemmas ``word`` stands for: its one lemma (by ``lemmatize``, ``str ->
    list[str]``) if known, or every lemma a glob (``hervorrag*``) matches; ``[]`` if none."""
    if is_glob(word):
        pattern = word.lower()
        return sorted(t for t in vocabulary if fnmatch.fnmatchcase(t, pattern))
    lemmas = lemmatize(word)
    return [lemmas[0]] if len(lemmas) == 1 and lemmas[0] in vocabulary else []
