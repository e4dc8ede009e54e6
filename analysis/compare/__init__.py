"""Compare outlets and periods: prevalence with intervals, regression effects, keyness.

Every function takes per-document scores in long format (one row per document × item),
so topic proportions, frame scores and actor mentions all fit (see :mod:`analysis.compare.scores`).
"""

from analysis.compare.effects import dirichlet_draws, estimate_effect
from analysis.compare.keyness import keyness, keyness_from_counts
from analysis.compare.prevalence import prevalence, wide_prevalence
from analysis.compare.scores import ITEM_COLUMNS, VALUE_COLUMNS, DroppedDocumentsWarning

__all__ = ["DroppedDocumentsWarning", "ITEM_COLUMNS", "VALUE_COLUMNS", "dirichlet_draws", "estimate_effect",
           "keyness", "keyness_from_counts", "prevalence", "wide_prevalence"]
