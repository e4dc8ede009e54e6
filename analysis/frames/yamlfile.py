"""Read YAML as plain data, with libyaml's C parser where PyYAML has it (10× faster on the gazetteer).

>>> safe_load("actors: {nato: {names: [NATO]}}")
{'actors': {'nato': {'names': ['NATO']}}}
"""

from __future__ import annotations

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # both build only plain Python data


def safe_load(stream):
    """The document in ``stream`` (a str or an open file) as dicts, lists and scalars."""
    return yaml.load(stream, Loader=_LOADER)
