"""Topic models: one pipeline (in memory, streamed or on Dask), the evidence for k, seeded topics, quality metrics.

- :func:`fit_topics` → :class:`TopicModel` (sublinear tf-idf + NMF, or LDA; streamed in
  mini-batches from 100,000 documents on, :func:`fit_topics_streaming`). ``TopicModel`` is
  the result (tidy frames to read), its ``pipeline`` the fitted scikit-learn estimator.
- :mod:`analysis.topics.pipeline`: what the in-memory, streaming and Dask
  (:func:`analysis.scale.distributed.fit_topics_distributed`) back-ends share.
- :func:`compare_n_topics`: coherence, diversity, exclusivity, held-out fit and stability per k.
- :mod:`analysis.topics.metrics`: coherence (NPMI, UMass), diversity, exclusivity, stability.
- :class:`OnlineNMF`: scikit-learn's ``MiniBatchNMF`` (the streamed fit's model), same bits, faster.
"""

from analysis.topics.fit import fit_topics
from analysis.topics.metrics import (exclusivity, frex, match_topics, npmi_coherence, topic_diversity,
                                     topic_stability, umass_coherence)
from analysis.topics.model import StreamedTopicModel, TopicModel
from analysis.topics.online_nmf import OnlineNMF
from analysis.topics.search import compare_n_topics
from analysis.topics.seeded import fit_seeded_nmf
from analysis.topics.streaming import fit_topics_streaming

__all__ = ["OnlineNMF", "StreamedTopicModel", "TopicModel", "compare_n_topics", "exclusivity", "fit_seeded_nmf",
           "fit_topics", "fit_topics_streaming", "frex", "match_topics", "npmi_coherence", "topic_diversity",
           "topic_stability", "umass_coherence"]
