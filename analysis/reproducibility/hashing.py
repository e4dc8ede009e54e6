"""Content hashes shared by the run manifest, the report's stage cache and token caches.

A hash depends on what a table *says*, not on how it is held in memory: the same
corpus read from CSV or Parquet, with or without a categorical ``outlet``, hashes alike.

>>> import pandas as pd
>>> a = pd.DataFrame({"doc_id": ["1", "2"], "text": ["Krieg in der Ukraine", "Grüße aus Kyjiw"]})
>>> frame_sha256(a) == frame_sha256(a.astype({"doc_id": "category"}))
True
>>> frame_sha256(a) == frame_sha256(a.iloc[::-1])  # row order is content
False
>>> len(params_sha256({"k": 9, "random_state": 0}))
64
"""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pandas as pd


def text_sha256(text: str) -> str:
    """SHA-256 hex digest of a string's UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def frame_sha256(frame: pd.DataFrame, columns=None) -> str:
    """SHA-256 of a frame's column names and cell values, row by row, in order.

    Values are written as text (``NaN``/``NaT``/``None`` alike as an empty cell, dates as
    ISO 8601), so the digest is stable across file formats, dtypes and pandas versions.
    """
    frame = frame if columns is None else frame[list(columns)]
    digest = hashlib.sha256()
    digest.update(json.dumps([str(c) for c in frame.columns]).encode("utf-8"))
    for column in frame.columns:
        digest.update(json.dumps(_cells(frame[column]), ensure_ascii=False).encode("utf-8"))
    return digest.hexdigest()


def chunk_sha256(frame: pd.DataFrame) -> str:
    """SHA-256 of a frame's column names and cell values, as :func:`frame_sha256`, but its text
    columns hashed as Arrow holds them (each cell's UTF-8 bytes, their lengths and which are
    missing) instead of written out as JSON: ~10 times faster on news articles. What a run over a
    corpus's chunks keys each chunk by, to find the chunks a rerun has done
    (:func:`analysis.scale.batch.run_steps_in_chunks`); not the manifest's hash, whose digests
    must stay what they were.

    >>> a = pd.DataFrame({"doc_id": ["1", "2"], "text": ["Krieg in der Ukraine", None]}, dtype="string")
    >>> chunk_sha256(a) == chunk_sha256(a.astype(object)), chunk_sha256(a) == chunk_sha256(a.fillna(""))
    (True, False)
    """
    digest = hashlib.sha256()
    digest.update(json.dumps([str(c) for c in frame.columns]).encode("utf-8"))
    for column in frame.columns:
        texts = _text_array(frame[column])
        if texts is None:  # dates, numbers, mixed values: cell by cell, as frame_sha256 writes them
            digest.update(b"cells" + json.dumps(_cells(frame[column]), ensure_ascii=False).encode("utf-8"))
            continue
        offsets = np.frombuffer(texts.buffers()[1], dtype=np.int64)[texts.offset:texts.offset + len(texts) + 1]
        digest.update(b"texts" + np.packbits(texts.is_null().to_numpy(zero_copy_only=False)).tobytes())
        digest.update((offsets - offsets[0]).tobytes())
        digest.update(memoryview(texts.buffers()[2] or b"")[offsets[0]:offsets[-1]])
    return digest.hexdigest()


def _text_array(values: pd.Series):
    """A column of text (and missing cells) as one Arrow ``large_string`` array; None for any other
    column (an empty one included)."""
    import pyarrow as pa

    if not len(values):
        return None
    try:
        array = pa.array(values, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    is_text = pa.types.is_string(array.type) or pa.types.is_large_string(array.type)
    return array.cast(pa.large_string()) if is_text else None


def _cells(values: pd.Series) -> list:
    """A column's cells as :func:`frame_sha256` writes them: text, or None for a missing value."""
    if isinstance(values.dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_any_dtype(values):
        codes, dates = pd.factorize(values)  # each distinct date written once (a chunk has few)
        written = [date.isoformat() for date in dates]
        return [written[code] if code >= 0 else None for code in codes.tolist()]
    objects = values.astype(object)
    # a missing scalar is missing to isna as to pd.isna; a cell that is not a str takes the cell-by-cell check
    return [None if missing else value if type(value) is str else None if _missing(value) else str(value)
            for value, missing in zip(objects.tolist(), objects.isna().tolist())]


def params_sha256(params: dict) -> str:
    """SHA-256 of JSON-serialisable parameters (keys sorted; non-JSON values by ``str``)."""
    return text_sha256(json.dumps(params, sort_keys=True, default=str, ensure_ascii=False))


def file_sha256(path, *, chunk_size: int = 1 << 20) -> str:
    """SHA-256 of a file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(chunk_size), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _missing(value) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # lists and arrays are values, not missing
        return False
