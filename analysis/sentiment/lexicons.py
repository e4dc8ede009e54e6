"""The bundled sentiment lexicons (``analysis/resources/sentiment/``) and how they combine.

German: SentiWS v1.8c, Rauh's political sentiment dictionary and the German Polarity
Lexicon; English: the VADER lexicon. Sources, licences and the measurements behind the
defaults are in ``analysis/resources/sentiment/README.md``.

A loaded lexicon maps a lowercased word form to ``(weight, noun)``: ``weight`` is a
signed polarity in [-1, 1] and ``noun`` says whether the entry is a noun (matched in any
case) or not (an adjective, verb or adverb, which must not match a capitalised word inside
a name such as *Freie Wähler* or *Große Koalition*).

German sources are combined by agreement: each source votes with the sign of its entry
(SentiWS and the Polarity Lexicon one vote each; Rauh half a vote, because it was built
from SentiWS and GermanPolarityClues and so is not independent evidence). Entries on which
the sources disagree are dropped; the weight is ``min(1, votes / 2)``, rescaled so that the
strongest possible entry of the chosen sources weighs 1. A word two sources agree on thus
counts twice as much as a word only one lists. Stopwords and negators never count as
sentiment words (``no`` and ``like`` are in VADER; they are operators or prepositions here).

>>> lexicon = load_lexicon("de")
>>> lexicon["schlecht"], lexicon["erfolg"]
((-1.0, False), (1.0, True))
>>> load_lexicon("de", ("sentiws",))["krieg"]
(-1.0, True)
"""

from __future__ import annotations

import csv
import hashlib
import json
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

import numpy as np

from analysis.scale.memory import gc_paused
from analysis.text import negation
from analysis.text.negation import is_negator
from analysis.text.wordlists import stopwords
from analysis.user_cache import cache_folder, save_in_cache

SOURCES = {"de": ("sentiws", "rauh", "gpl"), "en": ("vader",)}
DEFAULT_SOURCES = {"de": ("sentiws", "rauh", "gpl"), "en": ("vader",)}
_VOTES = {"sentiws": 1.0, "gpl": 1.0, "rauh": 0.5, "vader": 2.0}
_SENTIWS_FLOOR = 0.05  # weaker SentiWS entries (mostly the automatic ±0.004 ones) are not used
_NOT_SENTIMENT = {"en": frozenset({"like", "likes", "liked"}), "de": frozenset()}
_FILES = {"sentiws": ("sentiws_v1.8c_positive.txt", "sentiws_v1.8c_negative.txt"), "rauh": ("rauh_de.csv",),
          "gpl": ("german_polarity_lexicon.tsv",), "vader": ("vader_lexicon.tsv",)}


def _resource(name: str):
    return files("analysis").joinpath("resources", "sentiment", name)


def _lines(name: str) -> list[str]:
    """The file's lines without blank lines and ``#`` comments (the file read at once)."""
    text = _resource(name).read_text(encoding="utf-8")
    return [line for line in text.split("\n") if line and not line.startswith("#") and not line.isspace()]


def read_sentiws() -> dict[str, tuple[float, bool]]:
    """SentiWS: every base and inflected form -> (weight, is_noun)."""
    entries: dict[str, tuple[float, bool]] = {}
    for name in _FILES["sentiws"]:
        for line in _lines(name):
            parts = line.rstrip("\n").split("\t")
            word, pos = parts[0].split("|")
            weight = float(parts[1])
            if abs(weight) < _SENTIWS_FLOOR:
                continue
            inflected = parts[2].split(",") if len(parts) > 2 and parts[2] else []
            for form in [word, *inflected]:
                entries.setdefault(form.lower(), (weight, pos == "NN"))
    return entries


def read_rauh() -> dict[str, tuple[float, bool]]:
    """Rauh (2018): lowercased forms -> (±1, noun unknown: True)."""
    rows = csv.reader(_lines(*_FILES["rauh"]))
    next(rows)  # header
    return {word.strip(): (float(value), True) for word, value in rows}


def read_gpl() -> dict[str, tuple[float, bool]]:
    """German Polarity Lexicon: form -> (polarity, capitalised form = noun)."""
    rows = csv.reader(_lines(*_FILES["gpl"]), delimiter="\t")
    next(rows)
    return {form.lower(): (float(value), form[:1].isupper()) for form, value, _ in rows}


def read_vader() -> dict[str, tuple[float, bool]]:
    """VADER: token -> (mean valence / 2.5 clipped to [-1, 1], not a noun).

    Dividing the -4..4 ratings by 2.5 puts a word as clearly rated as *good* (1.9) at 0.76,
    so that, as in German, one clear sentiment word crosses the default threshold of ±0.5.
    """
    rows = csv.reader(_lines(*_FILES["vader"]), delimiter="\t")
    next(rows)
    return {token: (max(-1.0, min(1.0, float(value) / 2.5)), False) for token, value in rows}


_READERS = {"sentiws": read_sentiws, "rauh": read_rauh, "gpl": read_gpl, "vader": read_vader}


def check_sources(lang: str, sources) -> tuple[str, ...]:
    """The lexicon sources for ``lang`` (None -> the defaults), validated."""
    if lang not in SOURCES:
        raise ValueError(f"lang must be 'de' or 'en', not {lang!r}.")
    if sources is None:
        return DEFAULT_SOURCES[lang]
    if isinstance(sources, str):
        sources = (sources,)
    sources = tuple(sources)
    unknown = [s for s in sources if s not in SOURCES[lang]]
    if unknown or not sources:
        raise ValueError(f"unknown lexicon(s) {unknown} for lang={lang!r}; choose from {list(SOURCES[lang])}.")
    return sources


@lru_cache(maxsize=16)
def load_lexicon(lang: str = "de", sources: tuple[str, ...] | None = None) -> dict[str, tuple[float, bool]]:
    """The combined lexicon for ``lang``: lowercased form -> (weight in [-1, 1], is_noun).

    Combined once per machine (~0.13 s for German) and kept in the kit's cache folder
    (:func:`~analysis.user_cache.cache_folder`) under a digest of everything the combination reads:
    the sources' files, this module, the negators and the stopwords. A process then reads it in ~10 ms
    (:func:`_saved_form`).
    """
    sources = check_sources(lang, sources)
    with gc_paused():  # some 40,000 entries: the collector would rescan them again and again
        path = cache_folder() / f"lexicon-{lang}-{'-'.join(sources)}-{_digest(lang, sources)}.bin"
        try:
            return _read_saved(path.read_bytes())
        except (OSError, ValueError, TypeError, KeyError, IndexError):
            pass  # not saved yet, or damaged: combined again
        combined = _combine([(_VOTES[s], _READERS[s]()) for s in sources], lang)
        if not any("\n" in form for form in combined):  # (no source's line holds two forms)
            save_in_cache(path, _saved_form(combined))
        return combined


def _saved_form(lexicon: dict[str, tuple[float, bool]]) -> bytes:
    """``lexicon`` as the cache keeps it: its few distinct entries (JSON), each form's entry as a number
    (4 bytes) and the forms (UTF-8, a line each), so it is read back without parsing 40,000 of each.

    >>> _read_saved(_saved_form({"gut": (1.0, False), "Erfolg": (1.0, True), "schlecht": (-1.0, False)}))
    {'gut': (1.0, False), 'Erfolg': (1.0, True), 'schlecht': (-1.0, False)}
    """
    entries = list(dict.fromkeys(lexicon.values()))
    numbers = {entry: number for number, entry in enumerate(entries)}
    head = json.dumps({"entries": entries, "forms": len(lexicon)}).encode()
    codes = np.array([numbers[entry] for entry in lexicon.values()], dtype="<u4")
    return len(head).to_bytes(4, "little") + head + codes.tobytes() + "\n".join(lexicon).encode()


def _read_saved(data: bytes) -> dict[str, tuple[float, bool]]:
    """The lexicon that :func:`_saved_form` wrote as ``data`` (a ValueError if it is cut short)."""
    size = int.from_bytes(data[:4], "little")
    head = json.loads(data[4:4 + size])
    n, entries = head["forms"], [(float(weight), bool(noun)) for weight, noun in head["entries"]]
    numbers = np.frombuffer(data, dtype="<u4", count=n, offset=4 + size).tolist()
    forms = data[4 + size + 4 * n:].decode().split("\n") if n else []
    if len(forms) != n:
        raise ValueError(f"the saved lexicon holds {len(forms)} forms, not {n}")
    return dict(zip(forms, map(entries.__getitem__, numbers)))


def _digest(lang: str, sources: tuple[str, ...]) -> str:
    """A digest of what combining ``sources`` reads: their files, this module, the negators, the stopwords."""
    digest = hashlib.blake2b(digest_size=12)
    for data in (*(_resource(name).read_bytes() for source in sources for name in _FILES[source]),
                 Path(__file__).read_bytes(), Path(negation.__file__).read_bytes(),
                 "\n".join(sorted(stopwords(lang))).encode()):
        digest.update(len(data).to_bytes(8, "little") + data)
    return digest.hexdigest()


def _combine(tables: list[tuple[float, dict]], lang: str) -> dict[str, tuple[float, bool]]:
    """The sources' entries combined by agreement (see the module docstring)."""
    strongest = min(1.0, sum(votes for votes, _ in tables) / 2)
    graded = lang == "en"  # VADER's ratings are graded human means; German sources vote by sign
    # Per form: votes for a positive and for a negative sign, whether every source calls it a
    # noun, and the first source's weight; one pass over each table.
    tally: dict[str, list] = {}
    for votes, table in tables:
        for form, (weight, noun) in table.items():
            counts = tally.get(form)
            if counts is None:
                counts = tally[form] = [0.0, 0.0, noun, weight]
            elif not noun:
                counts[2] = False
            if weight > 0:
                counts[0] += votes
            elif weight < 0:
                counts[1] += votes
    excluded = set(stopwords(lang)) | _NOT_SENTIMENT[lang]
    combined: dict[str, tuple[float, bool]] = {}
    for form, (positive, negative, noun, first) in tally.items():
        if (positive > 0) == (negative > 0) or form in excluded or is_negator(form, lang):
            continue  # the sources disagree or all say 0; or not a sentiment word
        size = min(1.0, abs(first) if graded else min(1.0, (positive or negative) / 2) / strongest)
        combined[form] = (round(size if positive else -size, 4), noun)
    return combined


@lru_cache(maxsize=4)
def load_modifiers(lang: str = "de") -> dict[str, float]:
    """Intensifiers (factor > 1) and diminishers (< 1) for ``lang`` from ``modifiers.tsv``."""
    rows = csv.reader(_lines("modifiers.tsv"), delimiter="\t")
    next(rows)
    return {word: float(factor) for row_lang, word, factor in rows if row_lang == lang}
