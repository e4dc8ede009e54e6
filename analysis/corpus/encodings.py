"""Detect a file's text encoding the way a German news export needs: a BOM if present,
else the first of UTF-8, cp1252 and latin-1 that decodes every byte (latin-1 always does).

>>> decode_bytes("Grüße aus Kyjiw".encode("cp1252"))
('Grüße aus Kyjiw', 'cp1252')
>>> decode_bytes("Grüße".encode("utf-8"))[1]
'utf-8'
"""

from __future__ import annotations

import codecs
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

ENCODINGS = ("utf-8", "cp1252", "latin-1")  # latin-1 decodes any byte: the last resort
_ERRORS = {"utf-8-sig": "replace"}  # a BOM says UTF-8: stray bytes become U+FFFD
_BLOCK = 1 << 18  # bytes per block when scanning a file's encoding


def _encoding_of(head: bytes, blocks: Callable[[], Iterable[bytes]]) -> str:
    """A BOM's encoding, else the first of UTF-8, cp1252, latin-1 that decodes every block."""
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    for encoding in ENCODINGS:
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            for block in blocks():
                decoder.decode(block)
            decoder.decode(b"", final=True)
            return encoding
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes every byte")  # pragma: no cover


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode with a BOM if present, else the first of UTF-8, cp1252, latin-1 that fits."""
    encoding = _encoding_of(data[:4], lambda: [data])
    return data.decode(encoding, errors=_ERRORS.get(encoding, "strict")), encoding


def detect_encoding(path: Path) -> str:
    """:func:`decode_bytes`' choice for a file, scanned block by block (memory stays flat)."""
    with open(path, "rb") as handle:
        head = handle.read(4)
    return _encoding_of(head, lambda: _file_blocks(path))


def _file_blocks(path: Path) -> Iterator[bytes]:
    with open(path, "rb") as handle:
        yield from iter(lambda: handle.read(_BLOCK), b"")


def open_text(path: Path, encoding: str, *, newline: str = ""):
    """Open a text file in ``encoding`` (a BOM-marked UTF-8 file tolerates stray bytes)."""
    return open(path, encoding=encoding, errors=_ERRORS.get(encoding, "strict"), newline=newline)
