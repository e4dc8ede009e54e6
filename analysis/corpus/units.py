"""Split documents into sentences or paragraphs, keeping where each unit came from.

The result is itself a corpus frame (``doc_id`` unique), so every function that takes a
corpus takes units too.

>>> import pandas as pd
>>> corpus = pd.DataFrame({"doc_id": ["a"], "text": ["Kim schickt Soldaten. Putin zahlt.\\n\\nNeuer Absatz."]})
>>> split_units(corpus, unit="sentence")[["doc_id", "parent_id", "position", "text"]].to_dict("records")
[{'doc_id': 'a#s0', 'parent_id': 'a', 'position': 0, 'text': 'Kim schickt Soldaten.'}, {'doc_id': 'a#s1', 'parent_id': 'a', 'position': 1, 'text': 'Putin zahlt.'}, {'doc_id': 'a#s2', 'parent_id': 'a', 'position': 2, 'text': 'Neuer Absatz.'}]
"""

from __future__ import annotations

import pandas as pd

from analysis.text.segment import paragraph_spans, sentence_spans
from analysis.corpus.schema import require_columns

UNIT_COLUMNS = ("doc_id", "parent_id", "unit", "position", "start", "end", "text")


def unit_id(parent, unit: str, position: int) -> str:
    """The id of a document's ``position``-th sentence or paragraph: ``"<parent>#s<n>"`` / ``"<parent>#p<n>"``."""
    return f"{parent}#{unit[0]}{position}"


def split_units(corpus: pd.DataFrame, *, unit: str = "sentence", text_col: str = "text") -> pd.DataFrame:
    """One row per sentence or paragraph of each document.

    Columns: ``doc_id`` (``"<parent>#s<n>"`` or ``"<parent>#p<n>"``), ``parent_id``,
    ``unit``, ``position`` (0-based within the parent), ``start``/``end`` (character
    offsets into the parent text), ``text``, then the parent's other columns
    (``outlet``, ``published``, ``lang`` …). Sentence rules follow each document's
    ``lang`` (German when missing).
    """
    if unit not in ("sentence", "paragraph"):
        raise ValueError(f"unit must be 'sentence' or 'paragraph', not {unit!r}.")
    require_columns(corpus, "doc_id", text_col)
    langs = corpus["lang"] if "lang" in corpus.columns else pd.Series("de", index=corpus.index)
    records = []
    for row, doc_id, text, lang in zip(corpus.index, corpus["doc_id"], corpus[text_col], langs):
        text = text if isinstance(text, str) else ""
        lang = lang if lang in ("de", "en") else "de"
        spans = sentence_spans(text, lang=lang) if unit == "sentence" else paragraph_spans(text)
        for position, (start, end) in enumerate(spans):
            records.append((row, unit_id(doc_id, unit, position), doc_id, unit, position, start, end, text[start:end]))
    units = pd.DataFrame.from_records(records, columns=["_row", *UNIT_COLUMNS])
    metadata = corpus.drop(columns=["doc_id", text_col]).loc[units["_row"]].reset_index(drop=True)
    return pd.concat([units.drop(columns="_row"), metadata], axis=1)
