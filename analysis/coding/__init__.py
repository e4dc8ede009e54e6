"""From a coded sample to corpus-wide measures: supervised coding, active learning, corrected prevalence.

The loop of a published framing study, in the notebook: code a sample by hand
(:func:`code_units`), train a classifier on it (:func:`train_coder`), check it out of fold
(:meth:`Coder.cross_validate`), pick the units worth coding next (:func:`next_to_code`),
and report shares by outlet and period with the classifier's errors corrected and carried
into the intervals (:func:`estimate_prevalence`; :func:`corrected_scores` for regressions).

>>> from analysis.coding.examples import coded_units
>>> units = coded_units()
>>> coder = train_coder(units.iloc[:16], label_col="frame")
>>> batch = next_to_code(coder, units, n=4, strategy="random")
>>> len(batch), sorted(set(batch["doc_id"]) & set(units["doc_id"].iloc[:16]))
(4, [])
"""

from analysis.coding.active import next_to_code
from analysis.coding.coder import Coder, train_coder
from analysis.coding.crossval import CrossValidation
from analysis.coding.form import CodingForm, code_units
from analysis.coding.prevalence import corrected_scores, estimate_prevalence

__all__ = ["Coder", "CodingForm", "CrossValidation", "code_units", "corrected_scores", "estimate_prevalence",
           "next_to_code", "train_coder"]
