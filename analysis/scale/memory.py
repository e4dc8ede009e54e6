"""Memory over a long run: give freed memory back to the operating system, and keep the
garbage collector out of loops over many documents (:func:`gc_paused`).

pandas and pyarrow free a stage's temporary frames, but glibc's allocator and Arrow's
memory pool keep the pages for reuse, so a long run's resident size only grows (loading a
million articles left ~1.6 GB resident that nothing used). :func:`release_memory` is called
between the report's stages; it changes no result.

>>> release_memory()
"""

from __future__ import annotations

import ctypes
import gc
from contextlib import contextmanager


def release_memory(*, collect: bool = True) -> None:
    """Collect garbage (unless ``collect`` is False), then return free pages of Arrow's pool and of
    glibc's heap (where present)."""
    if collect:
        gc.collect()
    try:
        import pyarrow

        pyarrow.default_memory_pool().release_unused()
    except (ImportError, AttributeError):
        pass
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc (macOS, Windows, musl)
        pass


@contextmanager
def gc_paused():
    """Pause Python's cyclic garbage collector inside the block (for loops over many documents).

    Matching a corpus allocates millions of small tuples (tokens, lemmas) that the analysis
    cache keeps alive; the collector would rescan them again and again (a third of the run
    time on the bundled corpus) although the loop creates no reference cycles. Memory is still
    freed by reference counting; a collector that was already off stays off.

    On the way out, what the block left alive joins the oldest generation unscanned (``gc.freeze``
    then ``gc.unfreeze``: two list splices), as objects that survived collections would: else the
    first young collection after the block scans all of them at once (~6 % of scoring a corpus's
    frames, sentiment and actors). Cyclic garbage among them is still collected, by the next full
    collection. Skipped when the program has frozen objects of its own (``unfreeze`` would thaw them).

    >>> with gc_paused():
    ...     kept = [[n] for n in range(1000)]
    >>> gc.isenabled()
    True
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if not gc.get_freeze_count():
                gc.freeze()
                gc.unfreeze()
            gc.enable()
