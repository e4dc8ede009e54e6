"""frame_sha256 keeps its digests (the same bytes as its definition: each column the JSON list of its
cells); chunk_sha256 tells chunks apart by their cells."""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pandas as pd
import pytest

from analysis.reproducibility.hashing import chunk_sha256, frame_sha256


def defined_sha256(frame: pd.DataFrame) -> str:
    """The digest as frame_sha256 defines it, written cell by cell (the reference its faster code must match)."""
    def missing(value) -> bool:
        try:
            return bool(pd.isna(value))
        except (TypeError, ValueError):
            return False

    digest = hashlib.sha256()
    digest.update(json.dumps([str(c) for c in frame.columns]).encode("utf-8"))
    for column in frame.columns:
        values = frame[column]
        if isinstance(values.dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_any_dtype(values):
            cells = [None if pd.isna(v) else v.isoformat() for v in values]
        else:
            cells = [None if missing(v) else str(v) for v in values.astype(object)]
        digest.update(json.dumps(cells, ensure_ascii=False).encode("utf-8"))
    return digest.hexdigest()


TEXTS = ["Kim schickt Truppen.\nPutin dankt „herzlich“.", 'Er sagte: "Wir kämpfen"', "Pfad C:\\Daten\\ukraine.csv",
         "Tab\tund\x07Glocke\x1f", "", None, "Ünïcödé – Kyjiw ✓ 🇺🇦", "\u2028Zeilentrenner\u2029", np.nan, "Ende."]


@pytest.mark.parametrize("text_dtype", [object, "str", "string[pyarrow]", "string[python]"])
def test_digest_is_the_defined_one_for_messy_frames(text_dtype):
    n = len(TEXTS)
    frame = pd.DataFrame({
        "doc_id": pd.Series([f"id-{i % 7}" for i in range(n)], dtype=text_dtype),  # repeated ids
        "text": pd.Series(TEXTS, dtype=text_dtype),
        "outlet": pd.Categorical(["taz", None, "Süddeutsche", "taz", "Die Welt"] * 2),
        "published": pd.to_datetime(["2024-02-24 05:00", None, "2024-02-24 05:00", "2023-12-31 23:59:59.123456789"] * 2
                                    + ["2024-03-01", "NaT"], utc=True, format="mixed"),
        "naive": pd.to_datetime(["2024-02-24", None] * 5),
        "page": [1, 2, None, 4, 5, 6, 7, 8, 9, 10],
        "mixed": [1, "zwei", None, [3, 4], [np.nan], (), 2.5, np.int64(7), pd.NA, {"a": 1}],
    })
    assert frame_sha256(frame) == defined_sha256(frame)
    assert frame_sha256(frame.iloc[3:]) == defined_sha256(frame.iloc[3:])
    assert frame_sha256(frame.iloc[:0]) == defined_sha256(frame.iloc[:0])


def test_a_changed_character_changes_the_digest():
    frame = pd.DataFrame({"doc_id": ["a", "b"], "text": ["Waffenruhe in Gaza.", 'Er sagte: "Nein"']})
    other = frame.assign(text=["Waffenruhe in Gaza.", 'Er sagte: "Nein!"'])
    assert frame_sha256(frame) != frame_sha256(other)


@pytest.mark.parametrize("text_dtype", [object, "str", "string[pyarrow]", "string[python]"])
def test_a_chunk_digest_depends_on_the_cells_not_on_how_they_are_held(text_dtype):
    n = len(TEXTS)
    frame = pd.DataFrame({"doc_id": [f"id-{i % 7}" for i in range(n)], "text": TEXTS,
                          "published": pd.to_datetime(["2024-02-24", None] * 5)}).astype({"text": "string[pyarrow]"})
    held = frame.astype({"doc_id": text_dtype, "text": text_dtype})
    sliced = pd.concat([frame.head(3), frame]).iloc[3:]  # a slice of longer Arrow buffers
    assert chunk_sha256(held) == chunk_sha256(frame) == chunk_sha256(sliced)
    changed = ["Kim schickt Truppen.\nPutin dankt „herzlich“!", *TEXTS[1:]]
    other_date = pd.to_datetime(["2024-02-25", None] * 5)
    for other in (frame.assign(text=changed), frame.fillna({"text": ""}), frame.iloc[::-1], frame.iloc[1:],
                  frame.assign(published=other_date), frame.rename(columns={"text": "body"})):
        assert chunk_sha256(other) != chunk_sha256(frame)


def test_a_chunk_digest_sees_where_one_text_ends_and_the_next_begins():
    def digest(texts):
        return chunk_sha256(pd.DataFrame({"text": texts}))

    assert digest(["Kyjiw", "Kursk"]) != digest(["KyjiwK", "ursk"])
    assert digest(["Gaza", None]) != digest([None, "Gaza"])
