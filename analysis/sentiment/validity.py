"""How valid each sentiment method is, as measured: macro-F1 on human-labelled news gold.

The figures live in ``analysis/resources/sentiment/validity.json``, written by
``python benchmarks/sentiment.py --record`` (5-fold cross-validation grouped by sentence on
GerNTSA's public split and NewsMTSC's training split; labels by the datasets' human
annotators). The report and the notebooks quote them next to every sentiment figure, so a
reader sees what a number is and how far to trust it.

>>> note = validity_note("stance", "de")
>>> note.startswith("macro-F1 0.") and "GerNTSA" in note
True
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

PATH = Path(__file__).resolve().parents[1] / "resources" / "sentiment" / "validity.json"
METHODS = {"stance": "the stance model toward a mention (analysis.sentiment.stance)",
           "lexicon_target": "lexicon rules around a mention (LexiconSentiment with the target, default thresholds)",
           "lexicon_sentence": "lexicon rules on a whole sentence (LexiconSentiment without target, tuned thresholds)"}


@lru_cache(maxsize=1)
def _recorded() -> dict:
    if not PATH.is_file():
        raise FileNotFoundError(f"{PATH} is missing: run `python benchmarks/sentiment.py --record`.")
    return json.loads(PATH.read_text(encoding="utf-8"))


def validity(method: str, lang: str) -> dict:
    """``{"macro_f1", "ci_lower", "ci_upper", "n", "gold", "labelled_by", "design"}`` of ``method`` in ``lang``."""
    recorded = _recorded()["methods"]
    if method not in recorded or lang not in recorded[method]:
        raise ValueError(f"no validity recorded for method {method!r} in lang {lang!r}; "
                         f"recorded: {{{', '.join(f'{m}: {sorted(v)}' for m, v in recorded.items())}}}.")
    return {**recorded[method][lang], **_recorded()["gold"][lang], "design": _recorded()["design"]}


def validity_note(method: str, lang: str) -> str:
    """One line for a page or a figure caption: the figure, its interval and the gold it was measured on."""
    v = validity(method, lang)
    return (f"macro-F1 {v['macro_f1']:.2f} [{v['ci_lower']:.2f}, {v['ci_upper']:.2f}] on {v['gold']} "
            f"({v['n']:,} mentions; {v['labelled_by']}), {v['design']}")
