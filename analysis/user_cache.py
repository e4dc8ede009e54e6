"""The kit's folder for what it keeps between runs on this machine: simplemma's dictionaries as
tries (:mod:`analysis.text.dictionaries`), the combined sentiment lexicons
(:func:`analysis.sentiment.lexicons.load_lexicon`), the gazetteers' YAML as JSON
(:func:`analysis.frames.yamlfile.load_file`) and the key that signs a report's cached stages
(:func:`analysis.report.stage_store.secret`).

>>> import os
>>> os.environ["FRAMING_KIT_CACHE"] = "/tmp/fk"; str(cache_folder())
'/tmp/fk'
>>> del os.environ["FRAMING_KIT_CACHE"]
"""

from __future__ import annotations

import os
import tempfile
from contextlib import suppress
from pathlib import Path


def cache_folder() -> Path:
    """``$FRAMING_KIT_CACHE`` if set, else ``$XDG_CACHE_HOME/framing-kit`` (``~/.cache/framing-kit``)."""
    chosen = os.environ.get("FRAMING_KIT_CACHE")
    if chosen:
        return Path(chosen)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "framing-kit"


def save_in_cache(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` in the cache folder under a name of its own, then rename it, so a
    process that starts meanwhile never reads half a file; False where the folder cannot be written."""
    partial = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, partial = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-", suffix=".partial")
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.chmod(partial, 0o644)  # mkstemp's 0600 would hide a shared folder's file from its other users
        os.replace(partial, path)
        return True
    except OSError:
        return False
    finally:
        if partial is not None:
            with suppress(OSError):
                os.unlink(partial)
