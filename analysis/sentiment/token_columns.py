"""What the lexicon rules read of each token, as arrays: its lexicon entry and its flags.

A token's entry is its weight in the lexicon (its lowercased surface form or its lemma; see
:func:`_lookup`), whether the entry is a noun's, and whether it has one. Its flags say what it is to
a lexicon word beside it (:mod:`analysis.sentiment.rules`): a word, capitalised, a mark a sentence may
start after, an article, an intensifier or diminisher (with its factor).

Both are kept per token row of the chunk vocabulary of texts analysed with their slice
(:func:`analysis.text.vocabulary.slice_codes`: made once per new row, gathered for a whole slice in one
take); a text analysed on its own gets them text by text, through caches of the words met before
(each distinct word's entry looked up once).

>>> from analysis.sentiment.lexicons import load_lexicon, load_modifiers
>>> from analysis.text.analysis import analyze
>>> columns = token_columns([analyze("Sehr gut, sagt die Große Koalition.", lang="de")], load_lexicon("de"),
...                         load_modifiers("de"))
>>> columns.listed.tolist()[:2], columns.flags.tolist()[:2], columns.factor.tolist()[:2]
([False, True], [19, 1], [1.4, 1.0])
"""

from __future__ import annotations

from functools import partial
from typing import NamedTuple

import numpy as np

from analysis.text.analysis import VOCABULARY_FROM, TextAnalysis
from analysis.text.vocabulary import slice_codes

SENTENCE_START = frozenset('.!?:;"„“”»«‚‘’\'(–—-')
ARTICLES = {
    "de": frozenset({"das", "die", "der", "den", "dem", "des", "ein", "eine", "einen", "einem", "eines",
                     "nichts", "etwas", "viel", "alles", "am", "im", "zum", "aufs", "ins", "beim", "vom"}),
    "en": frozenset({"the", "a", "an"}),
}
# Size and age adjectives describe, they do not evaluate ("große Koalition", "hohe Zahl"),
# though the lexicons list them; matched on the lemma, so every inflected form is covered.
NOT_EVALUATIVE = {
    "de": frozenset({"groß", "klein", "hoch", "niedrig", "lang", "kurz", "weit", "alt", "neu", "jung", "gering"}),
    "en": frozenset({"big", "small", "large", "high", "low", "long", "short", "old", "new", "young"}),
}

# What a token is to the rules around a lexicon word: bits of its flags
WORD, CAPITAL, STOP, ARTICLE, MODIFIER = 1, 2, 4, 8, 16  # STOP: a mark a sentence may start after


class TokenColumns(NamedTuple):
    """What the rules read of each token of one or more texts (their tokens one after another)."""

    weight: np.ndarray  # lexicon weight, 0 where the token has no entry
    noun: np.ndarray  # the entry is a noun's
    listed: np.ndarray  # the token has an entry
    flags: np.ndarray  # WORD | CAPITAL | STOP | ARTICLE | MODIFIER
    factor: np.ndarray  # intensifier or diminisher factor, 1 where none


_ENTRIES: dict = {}  # (id of a lexicon, lang, lemmatizer) -> (the lexicon, {token: entry or False})
_FLAGS: dict = {}  # (lang, id of the modifiers) -> (the modifiers, {(token, kind): (flags, factor)})
_ENTRIES_SIZE = 500_000  # words (or tokens) each cache remembers (then it starts afresh)
_VOCABULARY_FROM = VOCABULARY_FROM  # tokens from which a text's lexicon entries are found word by word


def token_columns(text_analyses: list[TextAnalysis], lexicon: dict, modifiers: dict) -> TokenColumns:
    """The :class:`TokenColumns` of the texts (one language), their tokens one after another: gathered
    from their chunk vocabulary's columns where they were analysed with their slice, else made text
    by text through the caches of words met before (each distinct word's entry looked up once)."""
    lang, lemmatizer = text_analyses[0].lang, text_analyses[0].lemmatizer
    known = _held(_ENTRIES, (id(lexicon), lang, lemmatizer), lexicon)
    known_flags = _held(_FLAGS, (lang, id(modifiers)), modifiers)
    make_entries = partial(_new_entries, known, lang, lexicon)
    make_flags = partial(_new_flags, known_flags, ARTICLES[lang], modifiers)
    entries = slice_codes(text_analyses, ("lexicon entries", id(lexicon)), lexicon, make_entries)
    flags = slice_codes(text_analyses, ("sentiment flags", id(modifiers)), modifiers, make_flags)
    if entries is not None and flags is not None:
        return TokenColumns(*(column[entries[0]] for column in _table_columns(entries[1], _entry_columns)),
                            *(column[flags[0]] for column in _table_columns(flags[1], _flag_columns)))
    parts = [_text_columns(a, known, make_entries, make_flags) for a in text_analyses]
    return TokenColumns(*(np.concatenate(column) for column in zip(*parts)))


def _text_columns(text_analysis: TextAnalysis, known: dict, make_entries, make_flags) -> TokenColumns:
    """:func:`token_columns` of one text not analysed with a slice: a long text's words reach their
    tokens through its vocabulary, a sentence's tokens are looked up one by one."""
    if len(text_analysis) < _VOCABULARY_FROM:
        words, ids = text_analysis.words, None
    else:
        words, ids, _ = text_analysis.vocabulary
    entries = list(map(known.get, words))
    if None in entries:  # look up each new word once (a word's lemma follows from its text)
        missing = [k for k, entry in enumerate(entries) if entry is None]
        lemmas, first = text_analysis.lemmas, range(len(words)) if ids is None else text_analysis.vocabulary[2]
        found = make_entries([words[k] for k in missing], None, [lemmas[first[k]] for k in missing])
        for k, entry in zip(missing, found):
            entries[k] = entry
    columns = _entry_columns(entries)
    if ids is not None:
        columns = tuple(column[ids] for column in columns)
    return TokenColumns(*columns, *_flag_columns(make_flags(text_analysis.words, text_analysis.kinds, None)))


def _held(caches: dict, key, owner) -> dict:
    """The cache of words met under ``key``; it holds ``owner``, whose id the key has, so the id is not reused."""
    held = caches.get(key)
    if held is None:
        held = caches[key] = (owner, {})
    return held[1]


def _new_entries(known: dict, lang: str, lexicon: dict, words, kinds, lemmas) -> list:
    """The lexicon entry (or False) of each word, through ``known`` (the words' entries found before)."""
    entries = []
    for word, base in zip(words, lemmas):
        entry = known.get(word)
        if entry is None:
            if len(known) >= _ENTRIES_SIZE:
                known.clear()
            entry = known[word] = _lookup(word, base.lower(), lang, lexicon) or False
        entries.append(entry)
    return entries


def _new_flags(known: dict, articles: frozenset, modifiers: dict, words, kinds, lemmas) -> list[tuple[int, float]]:
    """The ``(flags, factor)`` of each token, through ``known`` (those of the tokens met before)."""
    values = list(map(known.get, zip(words, kinds)))
    if None in values:
        if len(known) >= _ENTRIES_SIZE:
            known.clear()
        for k in [k for k, value in enumerate(values) if value is None]:
            word, kind = words[k], kinds[k]
            low = word.lower()
            values[k] = known[word, kind] = (
                (WORD if kind == "word" else 0) | (CAPITAL if word[:1].isupper() else 0)
                | (STOP if word in SENTENCE_START else 0) | (ARTICLE if low in articles else 0)
                | (MODIFIER if low in modifiers else 0), modifiers.get(low, 1.0))
    return values


def _entry_columns(entries: list) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The weight, noun flag and presence of each entry (``False`` or None: none) as arrays."""
    return (np.array([entry[0] if entry else 0.0 for entry in entries], dtype=float),
            np.array([bool(entry and entry[1]) for entry in entries], dtype=bool),
            np.array([bool(entry) for entry in entries], dtype=bool))


def _flag_columns(values: list) -> tuple[np.ndarray, np.ndarray]:
    """The flags and factors of ``(flags, factor)`` values as arrays (None: no flag, factor 1)."""
    return (np.array([value[0] if value else 0 for value in values], dtype=np.int64),
            np.array([value[1] if value else 1.0 for value in values], dtype=float))


_TABLE_COLUMNS: dict = {}  # id of a coded column's table -> (the table, its length, its columns)


def _table_columns(table: list, columns) -> tuple[np.ndarray, ...]:
    """``columns(table)``: a coded column's table as arrays, made again only when it has grown."""
    held = _TABLE_COLUMNS.get(id(table))
    if held is None or held[0] is not table or held[1] != len(table):
        if len(_TABLE_COLUMNS) >= 16:
            _TABLE_COLUMNS.clear()
        held = _TABLE_COLUMNS[id(table)] = (table, len(table), columns(table))
    return held[2]


def _lookup(word: str, base: str, lang: str, lexicon: dict):
    """The lexicon entry of ``word`` (whose lowercased lemma is ``base``), or None."""
    if not word or (word.isupper() and len(word) > 1):
        return None  # acronyms (BUND, NATO) are names, not words
    if base in NOT_EVALUATIVE[lang]:
        return None
    surface, entry = lexicon.get(word.lower()), lexicon.get(base)
    if surface is None or entry is None:
        return surface if entry is None else entry
    # Both listed: sources that list only base forms (the Polarity Lexicon) still vote for
    # the inflected form, so the lemma's stronger entry wins unless the signs disagree.
    same_sign = (surface[0] > 0) == (entry[0] > 0)
    return entry if same_sign and abs(entry[0]) > abs(surface[0]) else surface
