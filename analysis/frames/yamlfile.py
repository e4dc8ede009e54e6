"""Read YAML as plain data, with libyaml's C parser where PyYAML has it (10× faster on the gazetteer).

Only the safe loaders are used (``CSafeLoader``, else ``SafeLoader``): they build dicts, lists and
scalars and never construct Python objects, so a YAML file cannot run code. The collector is
paused while a file is read: its tens of thousands of new objects would otherwise start rescans
of everything a run holds by then (the documents' analyses), which cost more than the reading.

>>> safe_load("actors: {nato: {names: [NATO]}}")
{'actors': {'nato': {'names': ['NATO']}}}
"""

from __future__ import annotations

import yaml

from analysis.scale.memory import gc_paused

_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(stream):
    """The document in ``stream`` (a str or an open file) as dicts, lists and scalars."""
    with gc_paused():
        loader = _SAFE_LOADER(stream)
        try:
            return loader.get_single_data()
        finally:
            loader.dispose()
