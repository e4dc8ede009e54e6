"""Read YAML as plain data, with libyaml's C parser where PyYAML has it (10× faster on the gazetteer).

Only the safe loaders are used (``CSafeLoader``, else ``SafeLoader``): they build dicts, lists and
scalars and never construct Python objects, so a YAML file cannot run code. The collector is
paused while a file is read: its tens of thousands of new objects would otherwise start rescans
of everything a run holds by then (the documents' analyses), which cost more than the reading.

>>> safe_load("actors: {nato: {names: [NATO]}}")
{'actors': {'nato': {'names': ['NATO']}}}
"""

from __future__ import annotations

import hashlib
import io
import json
from datetime import date, datetime
from pathlib import Path

import yaml

from analysis.scale.memory import gc_paused
from analysis.user_cache import cache_folder, save_in_cache

_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_COPY_FORMAT = 1  # in a copy's name: a copy of another format is not read
_DATE_KEYS = {"\0date": date.fromisoformat, "\0datetime": datetime.fromisoformat}  # how a copy keeps dates


def safe_load(stream):
    """The document in ``stream`` (a str or an open file) as dicts, lists and scalars."""
    with gc_paused():
        loader = _SAFE_LOADER(stream)
        try:
            return loader.get_single_data()
        finally:
            loader.dispose()


def load_file(path) -> object:
    """:func:`safe_load` of the YAML file at ``path``, read from its JSON copy in the kit's cache folder
    (:func:`~analysis.user_cache.cache_folder`) where one is kept under the digest of the file's bytes,
    else parsed and the copy saved where it holds the same data (dates are kept; a file whose data JSON
    cannot give back, such as numbers as keys or binary values, gets no copy and is parsed each time): the bundled
    gazetteer is read from it in ~2 ms, parsed in ~25 ms.

    >>> import os, tempfile
    >>> folder = tempfile.mkdtemp(); os.environ["FRAMING_KIT_CACHE"] = folder
    >>> path = Path(folder) / "terms.yaml"; _ = path.write_text("Kim: {from: 2011-12-17, note: ja}")
    >>> load_file(path) == load_file(path) == {"Kim": {"from": date(2011, 12, 17), "note": "ja"}}
    True
    >>> del os.environ["FRAMING_KIT_CACHE"]
    """
    data = (path if hasattr(path, "read_bytes") else Path(path)).read_bytes()  # a path, or a package's file
    copy = cache_folder() / f"yaml{_COPY_FORMAT}-{hashlib.blake2b(data, digest_size=12).hexdigest()}.json"
    with gc_paused():
        try:
            return json.loads(copy.read_bytes(), object_hook=_with_dates)
        except (OSError, ValueError, TypeError):
            pass  # not saved yet, or damaged: parsed again
        stream = io.StringIO(data.decode("utf-8"))
        stream.name = str(path)  # a syntax error names the file
        parsed = safe_load(stream)
        try:
            text = json.dumps(parsed, ensure_ascii=False, default=_tagged_date)
        except (TypeError, ValueError):
            return parsed  # bytes, sets, mappings as keys …: no copy
        if json.loads(text, object_hook=_with_dates) == parsed:  # numbers as keys would come back as strings
            save_in_cache(copy, text.encode())
        return parsed


def _tagged_date(value) -> dict:
    """A date or datetime as the copy keeps it (JSON has none); anything else JSON cannot hold is a TypeError."""
    for key, kind in (("\0datetime", datetime), ("\0date", date)):
        if isinstance(value, kind):
            return {key: value.isoformat()}
    raise TypeError(f"{type(value).__name__} cannot be kept in a JSON copy")


def _with_dates(mapping: dict):
    if len(mapping) == 1:
        key = next(iter(mapping))
        if key in _DATE_KEYS:
            return _DATE_KEYS[key](mapping[key])
    return mapping
