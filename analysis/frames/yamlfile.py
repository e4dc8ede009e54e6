"""Read YAML as plain data, with libyaml's C parser where PyYAML has it (10× faster on the gazetteer).

Only the safe loaders are used (``CSafeLoader``, else ``SafeLoader``): they build dicts, lists and
scalars and never construct Python objects, so a YAML file cannot run code.

>>> safe_load("actors: {nato: {names: [NATO]}}")
{'actors': {'nato': {'names': ['NATO']}}}
"""

from __future__ import annotations

import yaml

_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(stream):
    """The document in ``stream`` (a str or an open file) as dicts, lists and scalars."""
    loader = _SAFE_LOADER(stream)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()
