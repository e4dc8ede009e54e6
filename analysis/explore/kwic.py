"""Keywords in context: every hit of a word, lemma, glob, phrase or regex with its context.

Word, lemma, glob and phrase patterns are found by the kit's one
:class:`~analysis.frames.matcher.PatternMatcher` on each document's
:func:`~analysis.text.analysis.analyze`, so a KWIC line shows exactly what frames count.

>>> import pandas as pd
>>> corpus = pd.DataFrame({"doc_id": ["a"], "lang": "de", "text": [
...     "Kim Jong Un schickt Soldaten. Putin dankt den Soldatinnen und Soldaten Nordkoreas."]})
>>> kwic(corpus, "soldat", window=1)[["left", "match", "right"]].values.tolist()
[['schickt', 'Soldaten', '.'], ['den', 'Soldatinnen', 'und'], ['und', 'Soldaten', 'Nordkoreas']]
>>> kwic(corpus, {"Truppen": "soldat", "Nordkorea": "nordkorea*"}, window=0)[["label", "match"]].values.tolist()
[['Truppen', 'Soldaten'], ['Truppen', 'Soldatinnen'], ['Truppen', 'Soldaten'], ['Nordkorea', 'Nordkoreas']]
"""

from __future__ import annotations

import numbers
import re
from bisect import bisect_left, bisect_right
from collections.abc import Mapping
from operator import itemgetter

import pandas as pd

from analysis.corpus.schema import require_columns
from analysis.frames.matcher import PatternMatcher
from analysis.scale.memory import gc_paused
from analysis.text.analysis import analyze
from analysis.text.language import document_langs
from analysis.text.lemmatize import check_lemmatizer
from analysis.text.tokenize import tokenize_spans

__all__ = ["KWIC_COLUMNS", "kwic"]

KWIC_COLUMNS = ("doc_id", "left", "match", "right", "start", "end")
KINDS = ("auto", "lemma", "glob", "regex", "phrase")
_ON = {"lemma": "lemma", "glob": "surface", "phrase": "lemma_or_surface", "auto": "lemma_or_surface"}
_METADATA = ("outlet", "published")
_REGEX_HINT = re.compile(r"[\\(\[|{]")


def kwic(corpus: pd.DataFrame, pattern, *, window: int = 8, kind: str = "auto", lang: str | None = None,
         lemmatizer: str = "simplemma", text_col: str = "text") -> pd.DataFrame:
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

    ``pattern`` may also be a :class:`~analysis.frames.matcher.PatternMatcher`, e.g. an
    actor's (:func:`analysis.frames.actor_matcher`), which then matches as it always does.

    Several patterns at once: a dict ``{label: pattern}`` (each value anything ``pattern`` may
    be) gives each label exactly the hits ``kwic(corpus, value)`` gives, with a first column
    ``label``; rows in corpus order, within a document by label (the dict's order), then by
    position. Each document is analysed once, and matchers that differ only in their patterns
    (one label each, e.g. one :func:`~analysis.frames.actor_matcher` per actor) run as one.

    With spaces, ``"lemma"`` and ``"glob"`` patterns are phrases too, matched word by word
    their way; punctuation between the words breaks a phrase. Lemmas come from
    ``lemmatizer`` (``"simplemma"`` or ``"hanta"``) in each document's language: ``lang``,
    else its ``lang`` column, else detected (an unknown language is an error), so give
    lemma patterns in dictionary form (``"operation"``, not ``"operations"``).
    """
    require_columns(corpus, "doc_id", text_col)
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {list(KINDS)}, not {kind!r}.")
    if isinstance(window, bool) or not isinstance(window, numbers.Integral) or window < 0:
        raise ValueError(f"window must be a number of tokens (an int >= 0), not {window!r}.")
    check_lemmatizer(lemmatizer)
    labelled = isinstance(pattern, Mapping)
    searches = _labelled_searches(pattern, kind) if labelled else [(0, _search(pattern, kind))]
    labels, window = list(pattern) if labelled else [None], int(window)
    rank = {label: k for k, label in enumerate(labels)}
    langs = document_langs(corpus, lang, text_col=text_col)
    rows, positions = [], []
    with gc_paused():
        # lists: a Series of Arrow strings is slow to read one by one
        documents = zip(corpus["doc_id"].tolist(), corpus[text_col].tolist(), langs)
        for position, (doc_id, text, doc_lang) in enumerate(documents):
            text = text if isinstance(text, str) else ""
            found = []  # (label's rank, start, end, token bounds) of every search's hits
            for label, search in searches:
                spans, bounds = _hits(search, text, doc_lang, lemmatizer)
                found += [(rank[hit] if label is None else label, start, end, bounds) for hit, start, end in spans]
            if len(searches) > 1:
                found.sort(key=itemgetter(0))  # stable: each label's hits stay in text order
            for k, start, end, bounds in found:
                left, right = _context(text, bounds, start, end, window)
                rows.append((labels[k], doc_id, left, text[start:end], right, start, end))
                positions.append(position)
    frame = pd.DataFrame(rows, columns=["label", *KWIC_COLUMNS]).astype({"start": "int64", "end": "int64"})
    if not labelled:
        frame = frame.drop(columns="label")
    for column in (c for c in _METADATA if c in corpus.columns):
        frame[column] = corpus[column].iloc[positions].reset_index(drop=True)
    return frame


def _labelled_searches(patterns: Mapping, kind: str) -> list[tuple[int | None, re.Pattern | PatternMatcher]]:
    """``(rank of the label, search)`` for each labelled pattern; matchers of one label each that share
    their options merged into one non-exclusive matcher labelled by the labels (rank ``None``: a hit's
    label is its match's). Per label that finds what each finds alone: a one-label matcher's
    exclusivity is the per-label covering of a non-exclusive one."""
    if not patterns:
        raise ValueError("pattern is an empty dict: give at least one {label: pattern}.")
    searches, groups = [], {}
    for k, (label, pattern) in enumerate(patterns.items()):
        search = _search(pattern, kind)
        if isinstance(search, PatternMatcher) and len(search.labels) == 1:
            options = (search.on, search.ignore_case, search.genitive, search.compounds)
            groups.setdefault(options, []).append((k, label, search))
        else:
            searches.append((k, search))
    for (on, ignore_case, genitive, compounds), group in groups.items():
        if len(group) == 1:
            searches.append(group[0][::2])
            continue
        merged = {label: [p for _, p, _ in matcher.patterns] for _, label, matcher in group}
        searches.append((None, PatternMatcher(merged, on=on, ignore_case=ignore_case, genitive=genitive,
                                              compounds=compounds)))
    return searches


def _search(pattern, kind: str) -> re.Pattern | PatternMatcher:
    """A compiled regex (kind ``"regex"``) or the pattern's :class:`PatternMatcher`."""
    if isinstance(pattern, PatternMatcher):
        if kind != "auto":
            raise ValueError(f"a PatternMatcher matches its own way: pass kind='auto', not {kind!r}.")
        return pattern
    if isinstance(pattern, re.Pattern):
        if kind not in ("auto", "regex"):
            raise ValueError(f"a compiled regular expression needs kind='regex' (or 'auto'), not {kind!r}.")
        return pattern
    if not isinstance(pattern, str) or not pattern.strip():
        raise ValueError(f"pattern must be a non-empty string (or a compiled regex), not {pattern!r}.")
    if kind == "regex" or (kind == "auto" and _REGEX_HINT.search(pattern)):
        try:
            return re.compile(pattern)
        except re.error as err:
            raise ValueError(f"pattern {pattern!r} is not a valid regular expression ({err}); pass kind='phrase' "
                             "or kind='glob' to match it as words.") from err
    return PatternMatcher([pattern], on=_ON[kind])


def _hits(search, text: str, lang: str, lemmatizer: str):
    """``(hits, (token starts, token ends))`` of ``search`` in ``text``, a hit ``(label, start, end)`` (label
    None for a regex); token offsets only where there are hits, read from the analysis's offset columns
    (no token objects for a whole long document)."""
    if isinstance(search, re.Pattern):
        spans = [(None, m.start(), m.end()) for m in search.finditer(text) if m.end() > m.start()]
        tokens = tokenize_spans(text) if spans else []
        return spans, ([t.start for t in tokens], [t.end for t in tokens])
    analysis = analyze(text, lang=lang, lemmatizer=lemmatizer)
    spans = [(m.label, m.start, m.end) for m in search.find(analysis)]
    return spans, ((analysis.starts, analysis.ends) if spans else ([], []))


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
