"""The kit's languages (German, English): checked, told apart, and assigned per document.

:func:`detect_language` votes by the most frequent function words (enough for two languages,
no model); :func:`document_langs` gives each document its language (given or detected) and
:func:`check_lang` turns an unsupported one into an error — never silently German.

>>> detect_language("Die Soldaten sind nicht in der Ukraine.")
'de'
>>> detect_language("The soldiers are not in Ukraine.")
'en'
>>> detect_language("42 %") is None
True
"""

from __future__ import annotations

import re

import pandas as pd

LANGS = ("de", "en")

_FUNCTION_WORDS = {
    "de": frozenset("der die das und ist nicht ein eine einen einem einer den dem des sich mit auf für von zu "
                    "im ins vom zum zur beim auch es sie er wir ich wird werden wurde wurden sind hat haben "
                    "hatte bei nach aus wie dass unter über gegen durch ihre ihr sein seine noch nur oder aber "
                    "wenn als um vor seit doch schon mehr dann".split()),
    # not "in", "an", "was", "will": German words too ("an einer Schule in Hagen", "was er will");
    # they count for English only in a text without a German function word (_SHARED)
    "en": frozenset("the and is not a of to on for with that this it he she they were "
                    "are has have by from as at be been which who would their its his her or but "
                    "after into against under over about than".split()),
}
_SHARED = frozenset({"in", "an", "was", "will"})  # English and German words: English only where nothing is German
_WORD = re.compile(r"[^\W\d_]+")
# Spelling cues for texts too short for a function word ("Gute Nachrichten."): letters and
# endings that are frequent in one language and rare in the other.
_CUES = {
    "de": re.compile(r"[äöüß]|sch|cht|(?:ung|heit|keit|lich|isch|chen|ungen)\b|\bz[uw]"),
    "en": re.compile(r"th|wh|(?:ing|tion|ly|ed)\b|['’]s\b"),
}


def detect_language(text: str, *, min_hits: int = 1, sample_chars: int = 5000) -> str | None:
    """``"de"`` or ``"en"`` by function words, else by spelling cues; ``None`` when neither tells.

    >>> detect_language("Gute Nachrichten."), detect_language("Breaking: fighting in Kursk")
    ('de', 'en')
    >>> detect_language("Schüsse an einer Schule in Hagen"), detect_language("McCain was insistent.")
    ('de', 'en')
    """
    sample = text[:sample_chars].lower()
    words = _WORD.findall(sample)
    hits = {lang: sum(w in vocab for w in words) for lang, vocab in _FUNCTION_WORDS.items()}
    if not hits["de"]:
        hits["en"] += sum(w in _SHARED for w in words)
    found = _winner(hits, min_hits)
    if found is None and sum(hits.values()) == 0:
        found = _winner({lang: len(cue.findall(sample)) for lang, cue in _CUES.items()}, 1)
    return found


def _winner(votes: dict, minimum: int) -> str | None:
    best = max(votes, key=votes.get)
    if votes[best] < minimum or list(votes.values()).count(votes[best]) > 1:
        return None
    return best


def check_lang(lang) -> str:
    """``lang`` if the kit supports it, else a ValueError that says what to pass."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {list(LANGS)}, not {lang!r}; pass lang='de' or lang='en' "
                         "(or drop the 'lang' column to detect each document's language).")
    return lang


def document_langs(corpus: pd.DataFrame, lang: str | None = None, *, text_col: str = "text") -> list[str]:
    """The language of each document: ``lang`` if given, else its ``lang`` column, else detected.

    Documents whose language cannot be detected (``"42 %"``) take the corpus's most common
    language; a corpus where no document's language can be told is an error.
    """
    if lang is not None:
        return [check_lang(lang)] * len(corpus)
    given = corpus["lang"].tolist() if "lang" in corpus.columns else [None] * len(corpus)
    langs = [check_lang(v) if isinstance(v, str) else None for v in given]
    missing = [k for k, v in enumerate(langs) if v is None]
    if missing and text_col in corpus.columns:  # only these texts are read (a long one costs a copy)
        for k, text in zip(missing, corpus[text_col].iloc[missing].tolist()):
            langs[k] = detect_language(text) if isinstance(text, str) else None
    if langs and all(v is None for v in langs):
        raise ValueError("the language of no document could be detected; pass lang='de' or lang='en'.")
    return with_majority(langs)


def with_majority(langs: list) -> list:
    """``langs`` with each missing language (None or NA) replaced by the most common one given;
    unchanged when none is given.

    >>> with_majority(["en", None, "en", "de", float("nan")])
    ['en', 'en', 'en', 'de', 'en']
    """
    majority = majority_language(langs)
    return [v if isinstance(v, str) or majority is None else majority for v in langs]


def majority_language(langs) -> str | None:
    """The most common language among ``langs`` (ties: the first of :data:`LANGS`), None when none is given."""
    known = [v for v in langs if isinstance(v, str)]
    return max(LANGS, key=known.count) if known else None


def corpus_language(corpus: pd.DataFrame, *, text_col: str = "text") -> str:
    """The corpus's most common language (its ``lang`` column, detected where missing)."""
    if not len(corpus):
        return LANGS[0]
    langs = document_langs(corpus, text_col=text_col)
    return max(LANGS, key=langs.count)
