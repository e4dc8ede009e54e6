"""From a coded sample to corpus-wide measures: supervised coding, active learning, corrected
prevalence, and Latent Semantic Scaling.

The loop of a published framing study, in the notebook: code a sample by hand
(:func:`code_units`), train a classifier on it (:func:`train_coder`), check it out of fold
(:meth:`Coder.cross_validate`), pick the units worth coding next (:func:`next_to_code`),
and report shares by outlet and period with the classifier's errors corrected and carried
into the intervals (:func:`estimate_prevalence`; :func:`corrected_scores` for regressions).

Without codes: :class:`LatentSemanticScaling` scales documents between two poles given by seed
words (bundled: ``"sentiment"``, ``"conflict"``, see :func:`load_seeds`; or your own
``{word: +1/-1}``), with ``term_polarity_`` and ``similar_terms`` for growing a dictionary;
:func:`suggest_terms` proposes new terms for each frame of a frame dictionary.

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
from analysis.coding.lss import LatentSemanticScaling, suggest_terms
from analysis.coding.prevalence import corrected_scores, estimate_prevalence
from analysis.coding.seeds import load_seeds

__all__ = ["Coder", "CodingForm", "CrossValidation", "LatentSemanticScaling", "code_units", "corrected_scores",
           "estimate_prevalence", "load_seeds", "next_to_code", "suggest_terms", "train_coder"]
