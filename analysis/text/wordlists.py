"""Read the bundled word lists in ``analysis/resources/`` (one entry per line, ``#`` comments)."""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files


@lru_cache(maxsize=None)
def read_wordlist(name: str) -> frozenset[str]:
    """Entries of ``analysis/resources/<name>`` as a frozenset, comments and blanks skipped."""
    text = files("analysis").joinpath("resources", name).read_text(encoding="utf-8")
    lines = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return frozenset(line for line in lines if line)


def stopwords(lang: str) -> frozenset[str]:
    """The bundled stopwords of ``lang`` (``"de"`` or ``"en"``), lowercase."""
    if lang not in ("de", "en"):
        raise ValueError(f"no bundled stopwords for lang={lang!r}; use 'de' or 'en', or pass your own list.")
    return read_wordlist(f"stopwords/{lang}.txt")


def abbreviations(lang: str) -> frozenset[str]:
    """Abbreviations (without their final period) that do not end a sentence."""
    return read_wordlist(f"abbreviations_{lang}.txt") if lang in ("de", "en") else frozenset()
