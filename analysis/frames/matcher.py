"""The one pattern matcher of the kit: frame dictionaries, keywords in context and actors.

A :class:`PatternMatcher` compiles labelled patterns once and finds them in the tokens of a
:class:`~analysis.text.analysis.TextAnalysis` (from :func:`~analysis.text.analysis.analyze`),
so every measure agrees on what a token, a lemma and a match are.

- A pattern is a word or a phrase; a phrase matches *consecutive* tokens (a comma or a
  full stop between two words breaks it). Words are split like the tokenizer splits
  text, so ``"Russia's army"`` is the tokens ``Russia ' s army``.
- ``*`` (any characters) and ``?`` (one character) are globs within one token:
  ``*krieg`` finds Ukraine-Krieg and Angriffskrieg. Globs and lemmas apply to word tokens;
  numbers and punctuation match only when written out.
- ``on`` says what a token shows the pattern: ``"lemma_or_surface"`` (default), ``"lemma"`` or
  ``"surface"``; ``ignore_case=True`` compares lowercased forms (patterns are lowercased too).
- At one position the longest match wins. ``exclusive=False``: labels may overlap, but a
  stretch matched for a label starts no further match of that label (frames, KWIC);
  ``exclusive=True``: each stretch of text belongs to one label (actors).
- Names (``on="surface", ignore_case=False``) can also take ``genitive=True``: a pattern
  matches with an added ``s`` or ``'s`` (``Putins``, ``Russia's``); and ``compounds=True``:
  a pattern may match parts of a hyphenated compound (``Ukraine`` in ``Ukraine-Krieg``),
  and a ``*`` stays inside one part (``Kreml-Chef*`` finds ``Kreml-Chef`` in ``Kreml-Chef-Rolle``).

>>> from analysis.text.analysis import analyze
>>> frames = PatternMatcher({"military": ["soldat", "*krieg"], "humanitarian": ["humanitär hilfe"]})
>>> a = analyze("Soldat*innen im Ukraine-Krieg. Humanitäre Hilfe? Humanitär, Hilfe.", lang="de")
>>> [(m.label, a.text[m.start:m.end], m.first, m.last) for m in frames.find(a)]
[('military', 'Soldat*innen', 0, 0), ('military', 'Ukraine-Krieg', 2, 2), ('humanitarian', 'Humanitäre Hilfe', 4, 5)]
>>> names = PatternMatcher({"Putin": ["Putin*", "Kreml-Chef*"], "Russland": ["Kreml", "Russia"]},
...     on="surface", ignore_case=False, genitive=True, compounds=True, exclusive=True)
>>> a = analyze("Putins Kreml-Chef-Rolle, der Kreml-Sprecher und Russia's army.", lang="de")
>>> [(m.label, a.text[m.start:m.end]) for m in names.find(a)]
[('Putin', 'Putins'), ('Putin', 'Kreml-Chef'), ('Russland', 'Kreml'), ('Russland', "Russia's")]
"""

from __future__ import annotations

import re
from functools import partial
from typing import Iterable, Mapping, NamedTuple, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from analysis.frames.candidates import token_candidates
from analysis.frames.pattern_words import COMPOUND_PART, HYPHENS, FirstWordIndex, PatternWord, is_glob, sorted_unique
from analysis.text.analysis import WORD_KINDS, TextAnalysis
from analysis.text.token_batch import TokenBatch
from analysis.text.tokenize import tokenize

ON = ("lemma_or_surface", "lemma", "surface")
_HAS_HYPHEN = re.compile(f"[{HYPHENS}]")
_APOSTROPHES = {"\u2019": "'", "\u2018": "'", "`": "'"}
_APOSTROPHE_MARKS = pa.array(list(_APOSTROPHES), type=pa.large_string())  # the same, as forms (lowercasing keeps them)
_GLOB_HEAD = re.compile(r"[^*?]*")  # a pattern word up to its first wildcard
SURFACES_SIZE = 200_000  # (text, kind) a compound matcher keeps the form and parts of (then it starts afresh)
TEST_COLUMNS_FROM = 500  # new tokens from which their forms are tested as Arrow columns (fewer: one by one)


class Match(NamedTuple):
    """One match: its label and pattern, first and last token (inclusive), character offsets."""

    label: str
    pattern: str
    first: int
    last: int
    start: int
    end: int


def split_pattern(pattern: str) -> list[str]:
    """A pattern's words as the tokenizer splits text; glob words stay whole.

    >>> split_pattern("Russia's army"), split_pattern("nordkorea* soldat")
    (['Russia', "'", 's', 'army'], ['nordkorea*', 'soldat'])
    """
    words: list[str] = []
    for part in pattern.split():  # a word of letters is one token (as analysis.analyze_chunk reads it too)
        words += [part] if part.isalpha() or is_glob(part) else tokenize(part)
    return words


class PatternMatcher:
    """Labelled patterns compiled once; :meth:`find` gives their matches in one analysed text.

    ``patterns``: ``{label: [pattern, ...]}`` or a list of patterns (each its own label).
    Options as in the module docstring; ``genitive`` and ``compounds`` need ``on="surface"``.
    """

    def __init__(self, patterns: Mapping[str, Iterable[str]] | Iterable[str], *, on: str = "lemma_or_surface",
                 ignore_case: bool = True, genitive: bool = False, compounds: bool = False,
                 exclusive: bool = False):
        if on not in ON:
            raise ValueError(f"on must be one of {list(ON)}, not {on!r}.")
        if (genitive or compounds) and on != "surface":
            raise ValueError("genitive and compounds work on the written form: pass on='surface'.")
        self.on, self.ignore_case, self.genitive = on, ignore_case, genitive
        self.compounds, self.exclusive = compounds, exclusive
        items = patterns.items() if isinstance(patterns, Mapping) else ((p, [p]) for p in patterns)
        self.patterns: list[tuple[str, str, tuple[PatternWord, ...]]] = []
        for label, group in items:
            if isinstance(group, str):
                raise ValueError(f"{label!r}: patterns must be a list of strings, not the string {group!r}.")
            for pattern in group:
                words = split_pattern(pattern.lower() if ignore_case else pattern) if isinstance(pattern, str) else []
                if not words or not any(w.strip("*?") for w in words):
                    raise ValueError(f"{label!r}: pattern {pattern!r} is empty or would match every word.")
                self.patterns.append((label, pattern, tuple(PatternWord(w, compounds) for w in words)))
        self._index = FirstWordIndex([words[0] for _, _, words in self.patterns])
        self._single_word = [len(words) == 1 for _, _, words in self.patterns]
        # what a phrase's second word starts with whatever its globs match (it is compared from a token's start)
        self._second_heads = [_GLOB_HEAD.match(words[1].text).group() if len(words) > 1 else ""
                              for _, _, words in self.patterns]
        # (language, lemmatiser) -> token -> its candidate patterns (with compounds: per starting part); () if none
        self._tokens: dict[tuple[str, str], dict] = {}
        self._surfaces: dict[tuple[str, str], tuple] = {}  # (text, kind) -> (form, parts), with compounds

    def __repr__(self) -> str:
        return f"PatternMatcher({len(self.patterns)} patterns, on={self.on!r}, exclusive={self.exclusive})"

    @property
    def labels(self) -> list[str]:
        """The labels, in pattern order."""
        return list(dict.fromkeys(label for label, _, _ in self.patterns))

    def find(self, analysis: TextAnalysis) -> list[Match]:
        """Every match in ``analysis``, left to right (longest at a position; see ``exclusive``)."""
        if self.compounds:
            return _CompoundSearch(self, analysis).run()
        candidates = token_candidates(self._cache(analysis), analysis, self._candidates, self._may_match)
        found, covered = [], {}
        hits = candidates.hits()
        if not hits:
            return found
        starts, ends, single = analysis.starts, analysis.ends, self._single_word
        for i in hits:
            best: dict = {}  # label (or None when exclusive) -> (last token, end, pattern index)
            for index in candidates[i]:
                label, _, words = self.patterns[index]
                if i < covered.get(None if self.exclusive else label, 0):
                    continue
                last = i if single[index] else self._rest(words, analysis, i)  # a word's candidate matches it
                if last is None:
                    continue
                end = ends[last]
                if self.genitive:
                    last, end = _possessive(analysis, last)
                key = None if self.exclusive else label
                if key not in best or end > best[key][1]:
                    best[key] = (last, end, index)
            for key, (last, end, index) in best.items():
                covered[key] = last + 1
                label, pattern, _ = self.patterns[index]
                found.append(Match(label, pattern, i, last, starts[i], end))
        return found

    def _cache(self, analysis: TextAnalysis) -> dict:
        """The token cache for ``analysis``'s language and lemmatiser (one for all when lemmas do not count)."""
        key = ("", "") if self.on == "surface" else (analysis.lang, analysis.lemmatizer)
        cache = self._tokens.get(key)
        return cache if cache is not None else self._tokens.setdefault(key, {})

    def _rest(self, words, analysis: TextAnalysis, i: int) -> int | None:
        """Index of the last token if ``words[1:]`` match the tokens after ``i``, else None."""
        last = i + len(words) - 1
        if last >= len(analysis.words):
            return None
        texts, kinds, lemmas = analysis.words, analysis.kinds, analysis.lemmas
        for word, k in zip(words[1:], range(i + 1, last + 1)):
            forms, is_word = self.forms(texts[k], kinds[k], lemmas[k]), kinds[k] in WORD_KINDS
            if not any(word.test(f, is_word) for f in forms):
                if not (self.genitive and word is words[-1] and self._genitive_form(word, forms, is_word)):
                    return None
        return last

    @staticmethod
    def _genitive_form(word: PatternWord, forms, is_word: bool) -> bool:
        return any(f.endswith("s") and word.test(f[:-1], is_word) for f in forms)

    def forms(self, text: str, kind: str, lemma: str) -> tuple[str, ...]:
        """What the patterns are compared with for a token: its lemma and/or surface, cased by the options."""
        if kind not in WORD_KINDS:
            text = _APOSTROPHES.get(text, text)
        surface = text.lower() if self.ignore_case else text
        if self.on == "surface" or kind not in WORD_KINDS:
            return (surface,)
        lemma = lemma.lower() if self.ignore_case else lemma
        return (lemma,) if self.on == "lemma" or lemma == surface else (lemma, surface)

    def _may_match(self, tokens: TokenBatch) -> Sequence[int]:
        """The tokens (indices) that may have candidate patterns: every one that has, and a few
        that have not. Their forms are tested a column at a time with Arrow's kernels
        (:meth:`FirstWordIndex.may_start`), so :meth:`_candidates` looks up only these."""
        n = len(tokens)
        if n < TEST_COLUMNS_FROM or (self.compounds and not self._index.literal_only):
            return range(n)  # few tokens; or a glob that may start inside a part
        forms, flagged = self._forms(tokens, "words")
        flagged |= pc.is_in(forms, value_set=_APOSTROPHE_MARKS).to_numpy(zero_copy_only=False)  # forms() maps them
        flagged |= self._may_start(forms)
        if self.on != "surface":  # a lemma equal to its word was tested as the word
            differ = np.flatnonzero(tokens.lemmas != tokens.words)
            forms, unsure = self._forms(tokens, "lemmas")
            flagged[differ] |= unsure[differ] | self._may_start(forms.take(pa.array(differ)))
        return np.flatnonzero(flagged).tolist()

    def _forms(self, tokens: TokenBatch, column: str) -> tuple[pa.Array, np.ndarray]:
        """The ``"words"`` or ``"lemmas"`` of ``tokens`` as Arrow strings, cased as :meth:`forms` cases
        them, and the tokens whose form may differ from that (lowercased beyond Latin-1: flagged
        to be looked up one by one)."""
        if not self.ignore_case:
            return tokens.strings(column), np.zeros(len(tokens), dtype=bool)
        lowered, exact = tokens.lower(column)
        return lowered, ~exact

    def _may_start(self, forms: pa.Array) -> np.ndarray:
        """:meth:`FirstWordIndex.may_start` of a column of forms."""
        return self._index.may_start(forms, compounds=self.compounds, genitive=self.genitive)

    def _candidates(self, text: str, kind: str, lemma: str) -> tuple[int, ...]:
        """The patterns whose first word a token matches (sorted indices), cached by its text."""
        forms, is_word = self.forms(text, kind, lemma), kind in WORD_KINDS
        if len(forms) == 1 and not self.genitive:  # the lookup's tuple as it is
            return self._index.lookup(forms[0], is_word)
        hits: list[int] = []
        for form in forms:
            hits += self._index.lookup(form, is_word)
            if self.genitive and form.endswith("s"):  # Putins: only the last word takes a genitive
                hits += [i for i in self._index.lookup(form[:-1], is_word) if self._single_word[i]]
        return sorted_unique(hits)


def _possessive(analysis: TextAnalysis, last: int) -> tuple[int, int]:
    """Extend a match ending at token ``last`` over a directly following ``'s`` (Russia's)."""
    words, starts, ends = analysis.words, analysis.starts, analysis.ends
    if (last + 2 < len(words) and _APOSTROPHES.get(words[last + 1], words[last + 1]) == "'"
            and words[last + 2] == "s" and starts[last + 1] == ends[last] and starts[last + 2] == ends[last + 1]):
        return last + 2, ends[last + 2]
    return last, ends[last]


class _CompoundSearch:
    """:meth:`PatternMatcher.find` where matches may start and end at the parts of hyphenated compounds."""

    def __init__(self, matcher: PatternMatcher, analysis: TextAnalysis):
        self.m, self.analysis = matcher, analysis
        self.candidates = token_candidates(matcher._cache(analysis), analysis,
                                           partial(_compound_candidates, matcher), matcher._may_match)
        self._surfaces = matcher._surfaces

    def token(self, k: int) -> tuple[str, tuple[tuple[int, int], ...]]:
        """``(form, parts)`` of token ``k``: its surface as the patterns see it and its parts' offsets
        (kept by the matcher for each (text, kind) it has met)."""
        key = self.analysis.words[k], self.analysis.kinds[k]
        found = self._surfaces.get(key)
        if found is None:
            if len(self._surfaces) >= SURFACES_SIZE:
                self._surfaces.clear()
            found = self._surfaces[key] = self.m.forms(key[0], key[1], key[0])[0], _parts(*key)
        return found

    def run(self) -> list[Match]:
        found, covered = [], {}
        hits = self.candidates.hits()
        starts = self.analysis.starts if hits else ()
        n = len(self.analysis.kinds)
        single, heads = self.m._single_word, self.m._second_heads
        for i in hits:
            following = self.token(i + 1) if i + 1 < n else None  # read by every phrase that starts at i
            # most phrases fail at once: the next token does not start like their second word
            after, at = (following[0], following[1][0][0]) if following is not None else ("", 0)
            for a, (part_start, _) in enumerate(self.token(i)[1]):
                start = starts[i] + part_start
                best: dict = {}
                for index in self.candidates[i][a]:
                    if not single[index] and (following is None or not after.startswith(heads[index], at)):
                        continue
                    label, _, words = self.m.patterns[index]
                    key = None if self.m.exclusive else label
                    if start < covered.get(key, 0):
                        continue
                    hit = self._match(index, i, a)
                    if hit is not None and (key not in best or hit[1] > best[key][1]):
                        best[key] = (*hit, index)
                for key, (last, end, index) in best.items():
                    covered[key] = end
                    label, pattern, _ = self.m.patterns[index]
                    found.append(Match(label, pattern, i, last, start, end))
        return found

    def _match(self, index: int, i: int, a: int) -> tuple[int, int] | None:
        """``(last token, end offset)`` of the longest match of pattern ``index`` from part ``a`` of token ``i``
        (a phrase's: :meth:`run` has found token ``i + 1`` to start like its second word)."""
        words = self.m.patterns[index][2]
        j = i + len(words) - 1
        kinds = self.analysis.kinds
        if j >= len(kinds):
            return None
        if j > i:  # a phrase: its first word is the rest of token i, its middle words whole tokens
            form, parts = self.token(i)
            if not words[0].test(form[parts[a][0]:parts[-1][1]], kinds[i] in WORD_KINDS):
                return None
            for word, k in zip(words[1:-1], range(i + 1, j)):
                form, parts = self.token(k)
                if not word.test(form[parts[0][0]:parts[-1][1]], kinds[k] in WORD_KINDS):
                    return None
            a = 0
        form, parts = self.token(j)
        last, is_word, genitive, start = words[-1], kinds[j] in WORD_KINDS, self.m.genitive, parts[a][0]
        for b in range(len(parts) - 1, a - 1, -1):  # longest first
            span = form[start:parts[b][1]]
            if last.test(span, is_word) or (genitive and span.endswith("s") and last.test(span[:-1], is_word)):
                if b == len(parts) - 1:
                    return _possessive(self.analysis, j) if genitive else (j, self.analysis.ends[j])
                return j, self.analysis.starts[j] + parts[b][1]
        return None


def _compound_candidates(matcher: PatternMatcher, text: str, kind: str, lemma: str = "") -> tuple[tuple[int, ...], ...]:
    """A token's candidate patterns per starting part (one part unless it is a compound), ``()`` if none
    (the parts are read from the surface: ``lemma`` is not used).

    Only candidates that can match are kept: a phrase's first word is compared with the whole
    rest of the token, a genitive ``s`` is taken off the last word only (see ``_match``).
    """
    form, parts, is_word = matcher.forms(text, kind, text)[0], _parts(text, kind), kind in WORD_KINDS
    lookup, genitive, single = matcher._index.lookup, matcher.genitive, matcher._single_word
    if len(parts) == 1 and parts[0][0] == 0:  # most tokens: one part, the token itself
        hits = lookup(form, is_word)
        if genitive and form.endswith("s"):
            more = [index for index in lookup(form[:-1], is_word) if single[index]]
            hits = sorted_unique([*hits, *more]) if more else hits
        return (hits,) if hits else ()
    candidates, last = [], len(parts) - 1
    for a in range(len(parts)):
        hits: list[int] = []
        for b in range(a, len(parts)):
            span = form[parts[a][0]:parts[b][1]]
            found = lookup(span, is_word)
            hits += found if b == last else [index for index in found if single[index]]
            if genitive and span.endswith("s"):
                hits += [index for index in lookup(span[:-1], is_word) if single[index]]
        candidates.append(sorted_unique(hits))
    return tuple(candidates) if any(candidates) else ()


_WHOLE = tuple(((0, n),) for n in range(64))  # the parts of a token that is one part, by its length


def _parts(text: str, kind: str) -> tuple[tuple[int, int], ...]:
    """Offsets of the parts of a hyphenated compound (``#`` of a hashtag dropped); the token itself otherwise."""
    if kind not in WORD_KINDS or (kind != "tag" and not _HAS_HYPHEN.search(text)):
        n = len(text)
        return _WHOLE[n] if n < len(_WHOLE) else ((0, n),)
    offset = 1 if kind == "tag" else 0
    parts = tuple((m.start() + offset, m.end() + offset) for m in COMPOUND_PART.finditer(text[offset:]))
    return parts or ((0, len(text)),)
