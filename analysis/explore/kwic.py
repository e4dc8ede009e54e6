"""Explore a corpus close to the text: keywords in context, collocations, actor co-occurrence.

- :func:`kwic`: every hit of a word, lemma, glob, phrase or regex with its context.
- :func:`collocations` (from :mod:`analysis.explore.collocations`): PMI, log-likelihood and t-scores.
- :func:`actor_network`: how often two actors are named in the same sentence or document.

>>> import pandas as pd
>>> corpus = pd.DataFrame({"doc_id": ["a"], "lang": "de", "text": [
...     "Kim Jong Un schickt Soldaten. Putin dankt den Soldatinnen und Soldaten Nordkoreas."]})
>>> kwic(corpus, "soldat", window=1)[["left", "match", "right"]].values.tolist()
[['schickt', 'Soldaten', '.'], ['den', 'Soldatinnen', 'und'], ['und', 'Soldaten', 'Nordkoreas']]
>>> actor_network(corpus).values.tolist()  # same sentence
[['Nordkorea', 'Putin', 1]]
>>> actor_network(corpus, window="document").values.tolist()
[['Kim Jong Un', 'Nordkorea', 1], ['Kim Jong Un', 'Putin', 1], ['Nordkorea', 'Putin', 1]]
"""

from __future__ import annotations

import numbers
import re
from bisect import bisect_left, bisect_right
from fnmatch import fnmatchcase
from itertools import combinations

import pandas as pd

from analysis.frames.actors import find_actors
from analysis.corpus.schema import require_columns
from analysis.explore.collocations import cached_lemmatizer, collocations
from analysis.text.analysis import document_langs
from analysis.explore.describe import group_labels
from analysis.text.segment import sentence_spans
from analysis.text.tokenize import TOKEN_RE, tokenize

__all__ = ["KWIC_COLUMNS", "NETWORK_COLUMNS", "actor_network", "collocations", "kwic"]

KWIC_COLUMNS = ("doc_id", "left", "match", "right", "start", "end")
NETWORK_COLUMNS = ("actor_a", "actor_b", "weight")
KINDS = ("auto", "lemma", "glob", "regex", "phrase")
_METADATA = ("outlet", "published")
_REGEX_HINT = re.compile(r"[\\(\[|{]")
_GLOB_CHARS = re.compile(r"[*?\[]")


# --- keywords in context ------------------------------------------------------------------

def kwic(corpus: pd.DataFrame, pattern, *, window: int = 8, kind: str = "auto", lang: str | None = None,
         text_col: str = "text") -> pd.DataFrame:
    """Keywords in context: one row per hit of ``pattern``, in corpus order.

    Columns: ``doc_id``, ``left`` (the ``window`` tokens before the hit), ``match`` (the
    hit as written), ``right`` (the ``window`` tokens after it), ``start``/``end``
    (character offsets, ``text[start:end] == match``), then ``outlet`` and ``published``
    when the corpus has them. Contexts are cut from the text between token offsets, so
    they keep the original spacing (line breaks included); punctuation marks count as tokens.

    ``kind`` says how ``pattern`` matches:

    - ``"lemma"``: a token whose lowercased lemma matches (``"soldat"`` finds Soldaten,
      Soldatinnen, Soldat*innen); ``*``/``?`` wildcards allowed (``"nordkorea*"``).
    - ``"glob"``: a lowercased surface token matching a glob (``"Nazi*"``, ``"occupier*"``).
    - ``"phrase"``: consecutive tokens, each matching its word on lemma *or* surface
      (``"special military operation"`` finds ``special military operations``).
    - ``"regex"``: a regular expression (str or compiled) on the raw text; flags such as
      ``(?i)`` are yours to add; hits need not align with tokens.
    - ``"auto"`` (default): ``"regex"`` if the pattern contains ``\\ ( [ | {``, else
      ``"phrase"`` — one or more words, each matched on lemma or surface form.

    With spaces, ``"lemma"`` and ``"glob"`` patterns are phrases too, matched word by word
    their way. Lemmas come from the kit's :class:`~analysis.text.SimplemmaLemmatizer` in
    ``lang`` (``"de"``/``"en"``), or each document's ``lang`` column when None (German when
    missing), so give lemma patterns in dictionary form (``"operation"``, not ``"operations"``).
    """
    require_columns(corpus, "doc_id", text_col)
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {list(KINDS)}, not {kind!r}.")
    if isinstance(window, bool) or not isinstance(window, numbers.Integral) or window < 0:
        raise ValueError(f"window must be a number of tokens (an int >= 0), not {window!r}.")
    matcher, window = _matcher(pattern, kind), int(window)
    extra = [c for c in _METADATA if c in corpus.columns]
    rows, positions = [], []
    for position, (doc_id, text, doc_lang) in enumerate(zip(corpus["doc_id"], corpus[text_col],
                                                             document_langs(corpus, lang))):
        text = text if isinstance(text, str) else ""
        spans, bounds = matcher(text, doc_lang)
        for start, end in spans:
            left, right = _context(text, bounds, start, end, window)
            rows.append((doc_id, left, text[start:end], right, start, end))
            positions.append(position)
    frame = pd.DataFrame(rows, columns=list(KWIC_COLUMNS)).astype({"start": "int64", "end": "int64"})
    for column in extra:
        frame[column] = corpus[column].iloc[positions].reset_index(drop=True)
    return frame


def _matcher(pattern, kind: str):
    """``(text, lang) -> (spans, token bounds)`` for the pattern; bounds only where there are spans."""
    if isinstance(pattern, re.Pattern):
        if kind not in ("auto", "regex"):
            raise ValueError(f"a compiled regular expression needs kind='regex' (or 'auto'), not {kind!r}.")
        return _regex_matcher(pattern)
    if not isinstance(pattern, str) or not pattern.strip():
        raise ValueError(f"pattern must be a non-empty string (or a compiled regex), not {pattern!r}.")
    if kind == "regex" or (kind == "auto" and _REGEX_HINT.search(pattern)):
        try:
            regex = re.compile(pattern)
        except re.error as err:
            raise ValueError(f"pattern {pattern!r} is not a valid regular expression ({err}); pass kind='phrase' "
                             "or kind='glob' to match it as words.") from err
        return _regex_matcher(regex)
    mode = {"lemma": "lemma", "glob": "surface"}.get(kind, "either")
    return _TokenMatcher(_pattern_words(pattern), mode)


def _pattern_words(pattern: str) -> list[str]:
    """Lowercased word patterns, split like the tokenizer splits text (``Russia's`` -> ``russia``, ``'s``)."""
    words = []
    for part in pattern.lower().split():
        words += [part] if _GLOB_CHARS.search(part) else tokenize(part)
    return words


def _regex_matcher(regex: re.Pattern):
    def match(text: str, lang: str):
        spans = [(m.start(), m.end()) for m in regex.finditer(text) if m.end() > m.start()]
        return spans, (_token_bounds(list(TOKEN_RE.finditer(text))) if spans else ([], []))
    return match


def _token_bounds(matches: list) -> tuple[list[int], list[int]]:
    """Start and end offsets of the tokens (``TOKEN_RE`` matches, as :func:`tokenize_spans` finds them)."""
    return [m.start() for m in matches], [m.end() for m in matches]


class _TokenMatcher:
    """Find runs of tokens matching the pattern's words; each distinct chunk/token is tested once."""

    def __init__(self, words: list[str], mode: str):
        self.words, self.mode = words, mode
        self._tokens: dict[tuple[str, str], tuple[bool, ...]] = {}
        self._seen: dict[str, set] = {}  # lang -> whitespace chunks already screened
        self._hits: dict[str, list[set]] = {}  # lang -> per pattern word, the chunks containing a match

    def _test(self, token: str, lang: str) -> tuple[bool, ...]:
        key = (lang, token)
        found = self._tokens.get(key)
        if found is None:
            surface = token.lower()
            lemma = cached_lemmatizer(lang)(token).lower() if self.mode != "surface" else surface
            found = self._tokens[key] = tuple(
                (self.mode != "lemma" and fnmatchcase(surface, w)) or (self.mode != "surface" and fnmatchcase(lemma, w))
                for w in self.words)
        return found

    def _screen(self, text: str, lang: str) -> bool:
        """Cheap test whether every pattern word occurs somewhere in ``text`` (set operations on chunks)."""
        chunks = set(text.split())
        seen = self._seen.setdefault(lang, set())
        hits = self._hits.setdefault(lang, [set() for _ in self.words])
        for chunk in chunks - seen:
            for token in tokenize(chunk):
                for i, hit in enumerate(self._test(token, lang)):
                    if hit:
                        hits[i].add(chunk)
        seen |= chunks
        return all(not chunks.isdisjoint(word_hits) for word_hits in hits)

    def __call__(self, text: str, lang: str):
        if not self._screen(text, lang):
            return [], ([], [])
        tokens = list(TOKEN_RE.finditer(text))
        tests = [self._test(t.group(), lang) for t in tokens]
        k, n = len(self.words), len(tokens)
        spans = [(tokens[i].start(), tokens[i + k - 1].end()) for i, test in enumerate(tests)
                 if test[0] and i + k <= n and all(tests[i + j][j] for j in range(1, k))]
        return spans, _token_bounds(tokens)


def _context(text: str, bounds: tuple, start: int, end: int, window: int) -> tuple[str, str]:
    """The ``window`` tokens before ``start`` and after ``end`` as text (original spacing, ends trimmed)."""
    starts, ends = bounds
    if window == 0 or not starts:
        return "", ""
    before = bisect_right(ends, start)  # tokens ending at or before the hit
    after = bisect_left(starts, end)  # first token starting at or after its end
    left = text[starts[max(0, before - window)]:start] if before else ""
    right = text[end:ends[min(len(ends), after + window) - 1]] if after < len(starts) else ""
    return left.strip(), right.strip()


# --- actor co-occurrence ------------------------------------------------------------------

def actor_network(corpus: pd.DataFrame, actors=None, *, window="sentence", by: str | None = None,
                  text_col: str = "text") -> pd.DataFrame:
    """How often two actors are named together: one row per pair of actors (× group).

    Columns: ``[<by>,] actor_a, actor_b, weight`` with ``actor_a < actor_b``
    alphabetically, sorted by ``weight`` descending (ties by group and names); pairs
    that never co-occur are left out. Mentions come from
    :func:`analysis.frames.actors.find_actors` with ``actors`` (None = the bundled dictionary).

    ``window``:

    - ``"sentence"`` (default): ``weight`` = number of sentences naming both actors
      (sentences from :func:`~analysis.text.sentence_spans` in each document's ``lang``);
    - ``"document"``: number of documents naming both;
    - an int ``n``: number of *mention pairs* of the two actors with at most ``n`` tokens
      between them (0 = adjacent; punctuation marks count as tokens); repeated mentions
      in one passage each count.

    ``by``: a column (e.g. ``"outlet"``); the weights are then counted per group and the
    group is the first column (missing values become ``"(none)"``).
    """
    require_columns(corpus, "doc_id", text_col, by)
    if not (window in ("sentence", "document") or (isinstance(window, numbers.Integral)
                                                      and not isinstance(window, bool) and window >= 0)):
        raise ValueError(f"window must be 'sentence', 'document' or a number of tokens (int >= 0), not {window!r}.")
    texts = [t if isinstance(t, str) else "" for t in corpus[text_col]]
    positional = pd.DataFrame({"doc_id": range(len(texts)), "text": texts})
    mentions = find_actors(positional, actors)
    langs = document_langs(corpus, None)
    groups = group_labels(corpus, by).to_numpy()
    counts: dict[tuple, int] = {}
    for position, doc in mentions.groupby("doc_id", sort=True):
        if doc["actor"].nunique() < 2:
            continue
        text, group = texts[position], groups[position]
        for pair in _pairs(text, doc, window, langs[position]):
            key = (group, *pair)
            counts[key] = counts.get(key, 0) + 1
    frame = pd.DataFrame([(*k, v) for k, v in counts.items()], columns=["_group", *NETWORK_COLUMNS])
    frame = frame.astype({"actor_a": "str", "actor_b": "str", "weight": "int64"})
    frame = frame.sort_values(["weight", "_group", "actor_a", "actor_b"], ascending=[False, True, True, True],
                              kind="stable").reset_index(drop=True)
    if by is None:
        return frame.drop(columns="_group")
    return frame.rename(columns={"_group": by})


def _pairs(text: str, doc: pd.DataFrame, window, lang: str):
    """Yield one sorted actor pair per unit (sentence, document) or per mention pair (int window)."""
    actors, starts, ends = doc["actor"].tolist(), doc["start"].tolist(), doc["end"].tolist()
    if window == "document":
        yield from combinations(sorted(set(actors)), 2)
        return
    if window == "sentence":
        sentence_starts = [s for s, _ in sentence_spans(text, lang=lang)]
        units: dict[int, set] = {}
        for actor, start in zip(actors, starts):
            units.setdefault(bisect_right(sentence_starts, start), set()).add(actor)
        for members in units.values():
            yield from combinations(sorted(members), 2)
        return
    token_starts = [m.start() for m in TOKEN_RE.finditer(text)]
    first = [bisect_right(token_starts, s) - 1 for s in starts]  # token index of each mention's first token
    last = [bisect_left(token_starts, e) - 1 for e in ends]  # … and of its last token
    for i in range(len(actors)):  # mentions are sorted by start, so the gap only grows with j
        for j in range(i + 1, len(actors)):
            if first[j] - last[i] - 1 > window:
                break
            if actors[i] != actors[j]:
                yield tuple(sorted((actors[i], actors[j])))
