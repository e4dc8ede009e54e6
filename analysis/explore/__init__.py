"""Explore a corpus close to the text: overview tables, keywords in context, collocations, actor networks."""

from analysis.explore.collocations import collocations
from analysis.explore.describe import count_documents, document_lengths, long_documents
from analysis.explore.term_counts import TermCounts, count_terms, top_terms
from analysis.explore.kwic import kwic
from analysis.explore.network import actor_network

__all__ = ["TermCounts", "actor_network", "collocations", "count_documents", "count_terms", "document_lengths",
           "kwic", "long_documents", "top_terms"]
