"""The words of a :class:`~analysis.frames.matcher.PatternMatcher`'s patterns: each compiled once, and
an index from a token's form to the patterns whose first word it matches."""

from __future__ import annotations

import re
from typing import Mapping

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

HYPHENS = "-\u2010\u2011"  # hyphen-minus, hyphen, non-breaking hyphen
COMPOUND_PART = re.compile(f"[^{HYPHENS}]+")  # a part of a hyphenated compound
INDEX_CACHE_SIZE = 200_000  # distinct forms remembered per index (then the cache starts afresh)


def is_glob(word: str) -> bool:
    """True if ``word`` holds a ``*`` or ``?`` wildcard."""
    return "*" in word or "?" in word


class PatternWord:
    """One compiled pattern word: a literal or a glob (``*``, ``?``; with ``compounds`` they stay inside one part).

    >>> PatternWord("kreml*", compounds=True).test("kremlchef", True), PatternWord("kreml*", compounds=True).test("kreml-chef", True)
    (True, False)
    """

    __slots__ = ("text", "glob", "compounds", "_regex")

    def __init__(self, text: str, compounds: bool):
        self.text, self.glob, self.compounds, self._regex = text, is_glob(text), compounds, None

    @property
    def regex(self) -> re.Pattern | None:
        """The glob as a regular expression (None for a literal), compiled when first tested: most globs
        start a pattern, and :class:`FirstWordIndex` finds those by their literal head or tail."""
        if self._regex is None and self.glob:
            any_char = f"[^{HYPHENS}]" if self.compounds else "."
            self._regex = re.compile("".join(any_char + "*" if c == "*" else any_char if c == "?" else re.escape(c)
                                             for c in self.text), re.S)
        return self._regex

    def test(self, form: str, is_word: bool) -> bool:
        if self.glob:
            return is_word and self.regex.fullmatch(form) is not None
        return form == self.text


class FirstWordIndex:
    """Pattern indices by their first word: a dict for literals and ``word*``/``*word``, a scan for the rest.

    >>> index = FirstWordIndex([PatternWord(w, False) for w in ["soldat", "soldat*", "*krieg", "*armee*", "k?mpf"]])
    >>> index.lookup("soldaten", True), index.lookup("ukraine-krieg", True), index.lookup("volksarmeen", True)
    ((1,), (2,), (3,))

    ``word*`` (``*word``) patterns are grouped by their first (last) few characters, as many as
    the shortest of them has, so a form costs one dict lookup per kind of pattern and a
    ``startswith`` (``endswith``) for the few patterns that begin (end) like it.
    """

    def __init__(self, words: list[PatternWord]):
        exact: dict[str, list[int]] = {}
        prefix: dict[str, list[int]] = {}
        suffix: dict[str, list[int]] = {}
        self.other: list[tuple[str, PatternWord, int]] = []  # (longest literal piece, word, index)
        for index, word in enumerate(words):
            core = word.text.strip("*")
            leading, trailing = word.text.startswith("*"), word.text.endswith("*")
            if not word.glob:
                exact.setdefault(word.text, []).append(index)
            elif is_glob(core) or (leading and trailing):
                self.other.append((max(re.split(r"[*?]", word.text), key=len), word, index))
            elif trailing:
                prefix.setdefault(core, []).append(index)
            else:
                suffix.setdefault(core, []).append(index)
        self.exact = {form: tuple(indices) for form, indices in exact.items()}  # indices ascend
        self.prefix_len, self.prefixes = _grouped(prefix, tail=False)
        self.suffix_len, self.suffixes = _grouped(suffix, tail=True)
        self.pieces = re.compile("|".join(re.escape(piece) for piece, _, _ in self.other)) if self.other else None
        self.literal_only = not (prefix or suffix or self.other)
        self._cache: dict = {}
        # may_match's tests: the literal first words (made on first use), and one regex for the globs
        self._exact_array = self._first_parts = None  # the first parts: with compounds (may_start)
        self._globs = "|".join([*([f"^(?:{_alternatives(prefix)})"] if prefix else []),
                                *([f"(?:{_alternatives(suffix)})$"] if suffix else []),
                                *([_alternatives(piece for piece, _, _ in self.other)] if self.other else [])]) or None

    def lookup(self, form: str, is_word: bool) -> tuple[int, ...]:
        """The sorted indices of the patterns whose first word matches ``form``."""
        if self.literal_only or not is_word:  # globs match word tokens only
            return self.exact.get(form, ())
        found = self._cache.get(form)
        if found is None:
            if len(self._cache) >= INDEX_CACHE_SIZE:
                self._cache.clear()
            found = self._cache[form] = self._search(form)
        return found

    def may_match(self, forms: pa.Array) -> pa.Array:
        """For each of ``forms`` (Arrow strings), whether a first word may match it: True for every
        form :meth:`lookup` finds patterns for, and for a few it does not (a glob is only tested by
        its head, tail or longest literal piece). Arrow's kernels test the column at once, where
        :meth:`lookup` takes a form at a time.

        >>> index = FirstWordIndex([PatternWord(w, False) for w in ["krieg", "soldat*", "*armee", "*bomb*"]])
        >>> index.may_match(pa.array(["krieg", "soldaten", "volksarmee", "autobombe", "frieden"])).to_pylist()
        [True, True, True, True, False]
        """
        if self._exact_array is None:
            self._exact_array = pa.array(list(self.exact), type=pa.string())
        hits = pc.is_in(forms, value_set=self._exact_array)
        return hits if self._globs is None else pc.or_(hits, pc.match_substring_regex(forms, self._globs))

    def may_start(self, forms: pa.Array, *, compounds: bool = False, genitive: bool = False) -> np.ndarray:
        """For each of ``forms`` (Arrow strings, as a matcher sees tokens), whether a pattern may start
        there: :meth:`may_match`, or with ``genitive`` also the form without a final ``s``; with
        ``compounds`` (literal first words only), whether one of its parts may start one.

        >>> index = FirstWordIndex([PatternWord(w, True) for w in ["Putin", "Kreml-Chef"]])
        >>> forms = pa.array(["Putins", "#Putin", "Kreml-Sprecher", "Moskau", "Moskau-Reise", "Ex-Putin"])
        >>> index.may_start(forms, compounds=True, genitive=True).tolist()
        [True, True, True, False, False, True]
        """
        if not compounds:
            return np.logical_or.reduce([self.may_match(form).to_numpy(zero_copy_only=False)
                                         for form in _with_genitive(forms, genitive)])
        # A match starts at a part (the token's start, a tag's second character, or after a hyphen),
        # and the first word it matches begins with that part: so a part must be a first word's first
        # part. The whole form is tested too (a token that is no word is looked up whole).
        if self._first_parts is None:
            self._first_parts = pa.array(list({(COMPOUND_PART.match(word) or [word])[0] for word in self.exact}),
                                         type=pa.string())
        hits = self._starts_a_part(forms, genitive)
        hyphenated = np.flatnonzero(pc.match_substring_regex(forms, f"[{HYPHENS}]").to_numpy(zero_copy_only=False))
        if len(hyphenated):  # (a form without a hyphen is its one part)
            split = pc.split_pattern_regex(forms.take(pa.array(hyphenated)), f"[{HYPHENS}]+")
            before = np.concatenate(([0], np.cumsum(self._starts_a_part(split.flatten(), genitive))))
            offsets = split.offsets.to_numpy()  # hits among the parts of the forms before
            hits[hyphenated] |= before[offsets[1:]] > before[offsets[:-1]]
        return hits

    def _starts_a_part(self, texts: pa.Array, genitive: bool) -> np.ndarray:
        """Whether each of ``texts``, or it without a tag's ``#`` or ``@`` (or either without a genitive s),
        is a first part."""
        hits = self._is_first_part(texts, genitive)
        tagged = pc.or_(pc.starts_with(texts, "#"), pc.starts_with(texts, "@"))
        tags = np.flatnonzero(tagged.to_numpy(zero_copy_only=False))
        if len(tags):
            hits[tags] |= self._is_first_part(pc.utf8_slice_codeunits(texts.take(pa.array(tags)), 1), genitive)
        return hits

    def _is_first_part(self, texts: pa.Array, genitive: bool) -> np.ndarray:
        return np.logical_or.reduce([pc.is_in(text, value_set=self._first_parts).to_numpy(zero_copy_only=False)
                                     for text in _with_genitive(texts, genitive)])

    def _search(self, form: str) -> tuple[int, ...]:
        """:meth:`lookup` of a word token's form."""
        hits = self.exact.get(form, ())
        more: list[int] = []
        if self.prefixes:
            for core, indices in self.prefixes.get(form[:self.prefix_len], ()):
                if form.startswith(core):
                    more += indices
        if self.suffixes:
            for core, indices in self.suffixes.get(form[-self.suffix_len:], ()):
                if form.endswith(core):
                    more += indices
        if self.pieces is not None and self.pieces.search(form):  # one scan finds forms no glob can match
            more += [index for piece, word, index in self.other if piece in form and word.test(form, True)]
        return sorted_unique([*hits, *more]) if more else hits


def _with_genitive(forms: pa.Array, genitive: bool) -> list[pa.Array]:
    """``forms``, and with ``genitive`` also each without a final ``s`` (Putins: Putin may match)."""
    if not genitive:
        return [forms]
    return [forms, pc.if_else(pc.ends_with(forms, "s"), pc.utf8_slice_codeunits(forms, 0, -1), forms)]


def _alternatives(literals) -> str:
    """A regex that finds any of ``literals`` (longest first)."""
    return "|".join(re.escape(literal) for literal in sorted(set(literals), key=len, reverse=True))


def sorted_unique(hits: list[int]) -> tuple[int, ...]:
    """``hits`` sorted, each once, as a tuple.

    >>> sorted_unique([3, 1, 3])
    (1, 3)
    """
    return tuple(sorted(set(hits))) if len(hits) > 1 else tuple(hits)


def _grouped(affixes: Mapping[str, list[int]], *, tail: bool) -> tuple[int, dict[str, list[tuple[str, list[int]]]]]:
    """The length of the shortest of ``affixes``, and ``(affix, indices)`` grouped by their heads
    (``tail``: their ends) of that length."""
    if not affixes:
        return 0, {}
    size = min(map(len, affixes))
    groups: dict[str, list[tuple[str, list[int]]]] = {}
    for affix, indices in affixes.items():
        groups.setdefault(affix[len(affix) - size:] if tail else affix[:size], []).append((affix, indices))
    return size, groups
