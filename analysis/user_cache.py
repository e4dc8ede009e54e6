"""The kit's folder for what it keeps between runs on this machine: simplemma's dictionaries as
tries (:mod:`analysis.text.dictionaries`) and the key that signs a report's cached stages
(:func:`analysis.report.stage_store.secret`).

>>> import os
>>> os.environ["FRAMING_KIT_CACHE"] = "/tmp/fk"; str(cache_folder())
'/tmp/fk'
>>> del os.environ["FRAMING_KIT_CACHE"]
"""

from __future__ import annotations

import os
from pathlib import Path


def cache_folder() -> Path:
    """``$FRAMING_KIT_CACHE`` if set, else ``$XDG_CACHE_HOME/framing-kit`` (``~/.cache/framing-kit``)."""
    chosen = os.environ.get("FRAMING_KIT_CACHE")
    if chosen:
        return Path(chosen)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "framing-kit"
