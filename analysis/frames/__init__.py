"""Frames and actors: dictionaries, scoring, and who the text names.

- :class:`FrameDictionary`, :func:`load_dictionary`: bundled (``"generic"``, ``"conflict"``)
  or your own (YAML, quanteda/Lexicoder YAML, LIWC ``.dic``).
- :func:`score_frames`, :class:`FrameScorer`, :func:`matches`: hits per document and where.
- :func:`frame_coverage`, :func:`compare_dictionaries`: how well a dictionary fits a corpus.
- :func:`find_actors`, :func:`load_actors`, :func:`load_gazetteer`: mentions of Putin, Selenskyj, NATO …,
  roles resolved by date (gazetteer of heads of state and government since 2000).
- :class:`PatternMatcher`: the one matcher behind frames, actors and :func:`analysis.explore.kwic`.
"""

from analysis.frames.coverage import compare_dictionaries, frame_coverage, frame_labels
from analysis.frames.actors import actor_matcher, actor_patterns, bundled_actors, find_actors, load_actors
from analysis.frames.dictionary import Frame, FrameDictionary, load_dictionary
from analysis.frames.gazetteer import Gazetteer, load_gazetteer
from analysis.frames.matcher import Match, PatternMatcher
from analysis.frames.scoring import FrameScorer, matches, score_frames

__all__ = ["Frame", "FrameDictionary", "FrameScorer", "Gazetteer", "actor_matcher", "actor_patterns", "bundled_actors",
           "compare_dictionaries", "find_actors", "frame_coverage", "frame_labels", "load_actors", "load_dictionary", "load_gazetteer", "Match", "matches", "PatternMatcher",
           "score_frames"]
