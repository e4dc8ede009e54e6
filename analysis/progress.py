"""Progress bars for long work, switchable for a whole block of calls.

>>> with quiet():
...     list(progress_bar(range(3), desc="counting"))
[0, 1, 2]
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

_ENABLED: ContextVar[bool] = ContextVar("framing_kit_progress", default=True)


def progress_bar(iterable, *, desc: str, total: int | None = None, unit: str = "doc", enabled: bool | None = None):
    """A tqdm bar (notebook-aware) unless disabled here or by :func:`quiet`."""
    from tqdm.auto import tqdm

    show = _ENABLED.get() if enabled is None else enabled and _ENABLED.get()
    return tqdm(iterable, desc=desc, total=total, unit=unit, disable=not show, mininterval=0.5)


@contextmanager
def quiet():
    """Hide every progress bar of the kit inside the ``with`` block."""
    token = _ENABLED.set(False)
    try:
        yield
    finally:
        _ENABLED.reset(token)
