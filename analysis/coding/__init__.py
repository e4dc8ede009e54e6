"""From unlabelled text to corpus-wide measures: Latent Semantic Scaling.

- :class:`LatentSemanticScaling`: scale documents between two poles given by seed words
  (bundled: ``"sentiment"``, ``"conflict"``; or your own ``{word: +1/-1}``), with
  ``term_polarity_`` and ``similar_terms`` for growing a dictionary.
- :func:`suggest_terms`: new terms for each frame of a frame dictionary.
- :func:`load_seeds`: the bundled seed sets (sources in ``analysis/resources/seeds/``).
"""

from analysis.coding.lss import LatentSemanticScaling, suggest_terms
from analysis.coding.seeds import load_seeds

__all__ = ["LatentSemanticScaling", "load_seeds", "suggest_terms"]
