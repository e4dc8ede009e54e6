"""The per-document measures of the report: what each one runs, with which parameters.

Document sentiment, actor sentiment and frames read the same analysis of each document
(:func:`analysis.text.analysis.analyze`). On a large corpus :meth:`ReportContext.measure
<analysis.report.context.ReportContext.measure>` runs them together in one pass over the
partitions, so each document is analysed once instead of once per measure.
"""

from __future__ import annotations

from analysis.frames.dictionary import load_dictionary
from analysis.frames.scoring import score_frames
from analysis.sentiment import actor_sentiment, score_sentiment


def measures(params: dict) -> dict[str, tuple]:
    """``{name: (step, step_params)}`` for the report's run parameters ``params``."""
    return {"sentiment": (score_sentiment, {}),
            "actor_sentiment": (actor_sentiment, {"method": "stance"}),
            "frames": (score_frames, {"dictionary": load_dictionary(params["dictionary"])})}
