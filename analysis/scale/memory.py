"""Give memory that the process has freed back to the operating system.

pandas and pyarrow free a stage's temporary frames, but glibc's allocator and Arrow's
memory pool keep the pages for reuse, so a long run's resident size only grows (loading a
million articles left ~1.6 GB resident that nothing used). :func:`release_memory` is called
between the report's stages; it changes no result.

>>> release_memory()
"""

from __future__ import annotations

import ctypes
import gc


def release_memory() -> None:
    """Collect garbage, then return free pages of Arrow's pool and of glibc's heap (where present)."""
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
