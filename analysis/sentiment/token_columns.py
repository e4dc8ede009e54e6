"""What the lexicon rules read of each token, as arrays: its lexicon entry and its flags.

A token's entry is its weight in the lexicon (its lowercased surface form or its lemma; see
:func:`_token_values`), whether the entry is a noun's, and whether it has one. Its flags say what it is to
a lexicon word beside it (:mod:`analysis.sentiment.rules`): a word, capitalised, a mark a sentence may
start after, an article, an intensifier or diminisher (with its factor).

Both are made a column at a time for the distinct tokens new to a process and kept per token row of
the chunk vocabulary of texts analysed with their slice
(:func:`analysis.text.coded_columns.slice_codes`: gathered for a whole slice in one take); a text
analysed on its own gets them text by text, through a cache of the tokens met before.

>>> from analysis.sentiment.lexicons import load_lexicon, load_modifiers
>>> from analysis.text.analysis import analyze
>>> columns = token_columns([analyze("Sehr gut, sagt die Große Koalition.", lang="de")], load_lexicon("de"),
...                         load_modifiers("de"))
>>> columns.listed.tolist()[:2], columns.flags.tolist()[:2], columns.factor.tolist()[:2]
([False, True], [19, 1], [1.4, 1.0])
"""

from __future__ import annotations

from functools import partial
from itertools import repeat
from operator import itemgetter
from typing import NamedTuple

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from analysis.text.analysis import VOCABULARY_FROM, TextAnalysis
from analysis.text.token_batch import TokenBatch
from analysis.text.coded_columns import Distinct, slice_codes

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


_ENTRIES: dict = {}  # (ids of a lexicon and modifiers, lang, lemmatizer) -> (both, {(token, kind): its values})
_ENTRIES_SIZE = 500_000  # tokens the cache remembers (then it starts afresh)
_VOCABULARY_FROM = VOCABULARY_FROM  # tokens from which a text's values are found word by word


def token_columns(text_analyses: list[TextAnalysis], lexicon: dict, modifiers: dict) -> TokenColumns:
    """The :class:`TokenColumns` of the texts (one language), their tokens one after another: gathered
    from their chunk vocabulary's column where they were analysed with their slice, else made text
    by text through the cache of tokens met before (each distinct token's values made once)."""
    lang, lemmatizer = text_analyses[0].lang, text_analyses[0].lemmatizer
    key = (id(lexicon), id(modifiers), lang, lemmatizer)
    held = _ENTRIES.get(key)
    if held is None:  # held with the lexicon and modifiers, so their ids stay theirs while the key lives
        held = _ENTRIES[key] = ((lexicon, modifiers), {})
    owner, known = held  # owner: the same tuple each call, as the vocabulary's column asks
    make = partial(_token_values, lang, lexicon, modifiers)
    coded = slice_codes(text_analyses, ("sentiment tokens", *key[:2]), owner, make)  # a column per lexicon
    if coded is not None:
        codes, table = coded
        return TokenColumns(*(column[codes] for column in _table_columns(table)))
    parts = [_text_columns(a, known, make) for a in text_analyses]
    return TokenColumns(*(np.concatenate(column) for column in zip(*parts)))


def _text_columns(text_analysis: TextAnalysis, known: dict, make) -> tuple[np.ndarray, ...]:
    """:func:`token_columns` of one text not analysed with a slice: a long text's distinct tokens
    reach their tokens through its vocabulary, a sentence's tokens are looked up one by one."""
    if len(text_analysis) < _VOCABULARY_FROM:
        at, ids = range(len(text_analysis)), None
    else:
        _, ids, at = text_analysis.vocabulary
    words, kinds, lemmas = text_analysis.words, text_analysis.kinds, text_analysis.lemmas
    keys = [(words[k], kinds[k]) for k in at]
    values = list(map(known.get, keys))
    if None in values:  # make each new token's values once (its lemma follows from its text and kind)
        missing = [k for k, value in enumerate(values) if value is None]
        firsts = [at[k] for k in missing]
        made = make(TokenBatch(*([column[k] for k in firsts] for column in (words, kinds, lemmas)))).expanded()
        if len(known) + len(made) > _ENTRIES_SIZE:
            known.clear()
        remember = len(made) <= _ENTRIES_SIZE  # the cache stays bounded
        for k, value in zip(missing, made):
            values[k] = value
            if remember:
                known[keys[k]] = value
    columns = _value_columns(values)
    return columns if ids is None else tuple(column[ids] for column in columns)


def _token_values(lang: str, lexicon: dict, modifiers: dict, tokens: TokenBatch) -> Distinct:
    """``(weight, noun, listed, flags, factor)`` of each token (its lexicon entry and its flags), a
    column at a time, as :class:`~analysis.text.coded_columns.Distinct` values (a few dozen in all).

    A token's entry is that of its lowercased surface form or its lowercased lemma; where both are
    listed, sources that list only base forms (the Polarity Lexicon) still vote for the inflected
    form, so the lemma's stronger entry wins unless the signs disagree. Acronyms (BUND, NATO) are
    names, and size and age adjectives (:data:`NOT_EVALUATIVE`) describe: neither has an entry.

    Most tokens have no entry and are no modifier: Arrow's kernels find them among the forms the batch
    lowercased as ``str.lower`` does (:meth:`~analysis.text.token_batch.TokenBatch.lower`) and give
    them their flags; the others are looked up one by one (:func:`_looked_up_values`).
    """
    n = len(tokens)
    surfaces, (low, exact_low), (base, exact_base) = (tokens.strings("words"), tokens.lower("words"),
                                                      tokens.lower("lemmas"))
    keys, modifier_keys = _key_arrays(lexicon, modifiers)
    plain = exact_low & exact_base & ~(_in(low, keys) | _in(base, keys) | _in(low, modifier_keys))
    weight, noun, listed, factor = np.zeros(n), np.zeros(n, dtype=bool), np.zeros(n, dtype=bool), np.ones(n)
    flags = np.where(tokens.kinds == "word", WORD, 0)
    flags[plain] |= (CAPITAL * _upper_first(surfaces) | STOP * _in(surfaces, _SENTENCE_START_ARRAY)
                     | ARTICLE * _in(low, _ARTICLE_ARRAYS[lang]))[plain]
    rows = np.flatnonzero(~plain)
    if len(rows):
        looked_up = _looked_up_values(lang, lexicon, modifiers, *(column[rows] for column in
                                                                  (tokens.words, tokens.kinds, tokens.lemmas)))
        for column, values in zip((weight, noun, listed, flags, factor), looked_up):
            column[rows] = values
    return _distinct(weight, noun, listed, flags, factor)


_KEY_ARRAYS: dict = {}  # (ids of a lexicon and modifiers) -> (both, their keys as Arrow strings)
_SENTENCE_START_ARRAY = pa.array(sorted(SENTENCE_START), type=pa.large_string())
_ARTICLE_ARRAYS = {lang: pa.array(sorted(words), type=pa.large_string()) for lang, words in ARTICLES.items()}


def _key_arrays(lexicon: dict, modifiers: dict) -> tuple[pa.Array, pa.Array]:
    """The lexicon's and the modifiers' keys as Arrow strings (made once per lexicon)."""
    key = (id(lexicon), id(modifiers))
    held = _KEY_ARRAYS.get(key)
    if held is None or held[0][0] is not lexicon or held[0][1] is not modifiers:
        if len(_KEY_ARRAYS) >= 8:
            _KEY_ARRAYS.clear()
        arrays = tuple(pa.array(list(table), type=pa.large_string()) for table in (lexicon, modifiers))
        held = _KEY_ARRAYS[key] = ((lexicon, modifiers), arrays)
    return held[1]


def _upper_first(strings: pa.Array) -> np.ndarray:
    """``s[:1].isupper()`` of each string (for a Latin-1 character Arrow and ``str`` agree, each checked)."""
    return pc.utf8_is_upper(pc.utf8_slice_codeunits(strings, 0, 1)).to_numpy(zero_copy_only=False)


def _in(strings: pa.Array, value_set: pa.Array) -> np.ndarray:
    return pc.is_in(strings, value_set=value_set).to_numpy(zero_copy_only=False)


def _looked_up_values(lang: str, lexicon: dict, modifiers: dict, words, kinds, lemmas) -> tuple[np.ndarray, ...]:
    """The five columns of tokens (numpy object arrays) looked up one by one, as :func:`_token_values` gives them."""
    n = len(words)
    words, lemmas = np.asarray(words, dtype=object), np.asarray(lemmas, dtype=object)
    low = np.fromiter(map(str.lower, words), dtype=object, count=n)
    differ = np.flatnonzero(lemmas != words)  # a lemma equal to its word has the word's entry
    base = low.copy()
    base[differ] = list(map(str.lower, lemmas[differ]))
    surface = np.fromiter(map(lexicon.get, low), dtype=object, count=n)
    entry = surface.copy()
    entry[differ] = list(map(lexicon.get, base[differ]))
    has_surface, has_entry = surface != None, entry != None  # noqa: E711 (element by element)
    chosen = np.where(has_surface, surface, entry)
    for k in differ[has_surface[differ] & has_entry[differ]].tolist():
        s, e = surface[k], entry[k]
        if (s[0] > 0) == (e[0] > 0) and abs(e[0]) > abs(s[0]):
            chosen[k] = e
    lengths = np.fromiter(map(len, words), dtype=np.int64, count=n)
    listed = (has_surface | has_entry) & (lengths > 0)
    listed &= ~(np.fromiter(map(str.isupper, words), dtype=bool, count=n) & (lengths > 1))
    listed &= ~np.fromiter(map(NOT_EVALUATIVE[lang].__contains__, base), dtype=bool, count=n)
    entries = chosen[listed].tolist()
    weight, noun = np.zeros(n), np.zeros(n, dtype=bool)
    weight[listed], noun[listed] = [e[0] for e in entries], [bool(e[1]) for e in entries]
    flags = np.where(np.asarray(kinds, dtype=object) == "word", WORD, 0)
    flags |= CAPITAL * np.fromiter(map(str.isupper, map(_FIRST, words)), dtype=bool, count=n)
    flags |= STOP * np.fromiter(map(SENTENCE_START.__contains__, words), dtype=bool, count=n)
    flags |= ARTICLE * np.fromiter(map(ARTICLES[lang].__contains__, low), dtype=bool, count=n)
    flags |= MODIFIER * np.fromiter(map(modifiers.__contains__, low), dtype=bool, count=n)
    factor = np.fromiter(map(modifiers.get, low, repeat(1.0)), dtype=float, count=n)
    return weight, noun, listed, flags, factor


def _distinct(weight, noun, listed, flags, factor) -> Distinct:
    """The five columns as :class:`~analysis.text.coded_columns.Distinct` values: a token without an entry
    or a factor is told by its flags alone (below ``2 * MODIFIER``), the others by their five values."""
    key = flags.astype(np.int64)
    own = np.flatnonzero(listed | (factor != 1.0))
    if len(own):  # numbered by weight, factor and the three others' bits (np.unique: 0.0 and -0.0 are one)
        weights, factors = (np.unique(column[own], return_inverse=True)[1].reshape(-1) for column in (weight, factor))
        bits = flags[own] + 2 * MODIFIER * (noun[own] + 2 * listed[own])
        key[own] = 2 * MODIFIER + bits + 8 * MODIFIER * (weights + (weights.max() + 1) * factors)
    _, firsts, codes = np.unique(key, return_index=True, return_inverse=True)
    return Distinct(list(zip(*(column[firsts].tolist() for column in (weight, noun, listed, flags, factor)))),
                    codes.reshape(-1))


_FIRST = itemgetter(slice(0, 1))  # a string's first character ('' for '')


def _value_columns(values: list) -> tuple[np.ndarray, ...]:
    """``(weight, noun, listed, flags, factor)`` values as five arrays (None: no entry, no flag, factor 1)."""
    return (np.array([value[0] if value else 0.0 for value in values], dtype=float),
            np.array([bool(value and value[1]) for value in values], dtype=bool),
            np.array([bool(value and value[2]) for value in values], dtype=bool),
            np.array([value[3] if value else 0 for value in values], dtype=np.int64),
            np.array([value[4] if value else 1.0 for value in values], dtype=float))


_TABLE_COLUMNS: dict = {}  # id of a coded column's table -> (the table, its length, its columns)


def _table_columns(table: list) -> tuple[np.ndarray, ...]:
    """A coded column's table as arrays (:func:`_value_columns`), made again only when it has grown."""
    held = _TABLE_COLUMNS.get(id(table))
    if held is None or held[0] is not table or held[1] != len(table):
        if len(_TABLE_COLUMNS) >= 16:
            _TABLE_COLUMNS.clear()
        held = _TABLE_COLUMNS[id(table)] = (table, len(table), _value_columns(table))
    return held[2]
