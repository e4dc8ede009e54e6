"""One report run per output folder: ``<out>/.lock`` is held while a run writes there.

A second run into the same folder stops at once with a message that names the running one
(process, machine, start time, corpus and options), instead of mixing its tables with the
other's. A lock left by a run that died (its process is gone, on this machine) is taken over.

>>> import tempfile
>>> from pathlib import Path
>>> out = Path(tempfile.mkdtemp())
>>> with report_lock(out, "bundled corpus, by=outlet"):
...     (out / LOCK).exists()
True
>>> (out / LOCK).exists()
False
"""

from __future__ import annotations

import json
import os
import socket
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

LOCK = ".lock"


class OutputFolderBusy(RuntimeError):
    """Another report run is writing to the output folder; the message names it."""


@contextmanager
def report_lock(out, run: str):
    """Hold ``<out>/.lock`` for the block; ``run`` describes this run for a second one's message."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    path = out / LOCK
    mine = {"pid": os.getpid(), "host": socket.gethostname(),
            "started": datetime.now(timezone.utc).isoformat(timespec="seconds"), "run": run}
    _acquire(path, mine)
    try:
        yield
    finally:
        if _holder(path) == mine:  # never remove a lock another run has taken since
            path.unlink(missing_ok=True)


def _acquire(path: Path, mine: dict) -> None:
    for _ in range(2):
        try:
            handle = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            holder = _holder(path)
            if holder is None or not _gone(holder):
                raise OutputFolderBusy(_busy_message(path, holder)) from None
            path.unlink(missing_ok=True)  # its run died: take the folder over
            continue
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(mine, stream)
        except BaseException:  # a full disk or Ctrl-C: leave no unreadable lock that blocks every later run
            path.unlink(missing_ok=True)
            raise
        return
    raise OutputFolderBusy(_busy_message(path, _holder(path)))


def _holder(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _gone(holder: dict) -> bool:
    """True when the holder's process is known to have ended (only knowable on this machine)."""
    if holder.get("host") != socket.gethostname() or not isinstance(holder.get("pid"), int):
        return False
    try:
        os.kill(holder["pid"], 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _busy_message(path: Path, holder: dict | None) -> str:
    who = (f"process {holder.get('pid')} on {holder.get('host')}, started {holder.get('started')}: {holder.get('run')}"
           if holder else "a run whose lock file cannot be read")
    return (f"another report run is writing to {path.parent} ({who}). Wait for it to finish or pass another --out; "
            f"if no run is active, delete {path}.")
