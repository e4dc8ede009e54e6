"""Figures from the kit's tidy frames: ``plot_*(frame, *, ax=None, ...) -> Axes``.

Compute elsewhere, draw here. No function calls ``plt.show`` or ``savefig`` or changes
global ``rcParams``; groups keep one colour in every figure (:func:`group_colors`).
"""

from analysis.plotting.compare import plot_effects, plot_prevalence, plot_prevalence_grid, plot_profile
from analysis.plotting.corpus import (group_colors, plot_document_counts, plot_lengths, plot_top_terms,
                                      plot_top_terms_grid)
from analysis.plotting.explore import kwic_table, plot_actor_network, plot_keyness
from analysis.plotting.scaling import plot_term_polarity
from analysis.plotting.topics import plot_n_topics, plot_topic_terms

__all__ = ["group_colors", "kwic_table", "plot_actor_network", "plot_document_counts", "plot_effects",
           "plot_keyness", "plot_lengths", "plot_n_topics", "plot_prevalence", "plot_prevalence_grid", "plot_profile",
           "plot_term_polarity", "plot_top_terms", "plot_top_terms_grid", "plot_topic_terms"]
