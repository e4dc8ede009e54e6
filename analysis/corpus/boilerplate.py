"""Boilerplate: lines and sentences that recur across documents (footers, bylines, teasers).

News exports carry text no author wrote for the article: Wikinews' "Kommentar abgeben" and
"Dieser Artikel ist eine Übersetzung eines fremdsprachigen Artikels vom 3. März 2021",
agency bylines "(APA, 11.9.2015)", "Lesen Sie auch:", a press office's sign-off. Left in, they
become top lemmas, topics and keyness terms of whoever carries them.

How it is found (:func:`find_boilerplate`):

- *units*: every line of a document, and every sentence within a line
  (:func:`~analysis.text.segment.sentence_spans`, by the document's ``lang``); a bracketed
  byline after a sentence's end ("… sagte er. (dpa)", "(red, 16. 5. 2016)") is a unit of its own;
- *key*: a unit compared with case folded, runs of whitespace as one space, and every run of
  digits and every month and weekday name (German and English) masked as ``0`` — so
  "vom 3. März 2021" and "vom 12. Mai 2020" are the same unit;
- a unit is boilerplate when its key has at least :data:`MIN_TOKENS` tokens (words or
  numbers: a lone "Warum?" or "Danke." is speech, not boilerplate) or is a one-word line or
  byline that does not end like a sentence (a heading: "Quellen", "(dpa)"), and it occurs in at least
  ``max(min_docs, min_share × documents)`` documents (default: 5 documents and 0.5 %),
  where near-duplicate copies of one story (:func:`~analysis.corpus.dedupe.near_duplicate_labels`,
  Jaccard ≥ :data:`STORY_SIMILARITY` of word 5-grams, compared on the text outside the
  recurring units, or on the whole text when those make up more than half of it) count once:
  an agency report reprinted by six outlets keeps its sentences, and a footer longer than the
  short reports it closes is not found. A sentence in 2 of 300 documents is never boilerplate.

:func:`remove_boilerplate` deletes those units from the texts; lines left empty go, the rest
of each line stays as it was (NFC). The table of what was removed is the researcher's to
check: a slogan or a quote repeated in many documents is boilerplate by this rule too.

>>> import pandas as pd
>>> footer = "Kommentar abgeben\\nDieser Artikel ist eine Übersetzung eines fremdsprachigen Artikels vom {}."
>>> news = ["In Kyjiw wurde am Abend Luftalarm ausgelöst. Die Stadt rief alle Bewohner in die Schutzräume.",
...         "Der Bundestag berät über den Haushalt. Die Opposition kritisiert die Kürzungen bei der Bahn.",
...         "Wien meldet weniger Arbeitslose. Vor allem im Tourismus und am Bau wurden Stellen besetzt.",
...         "In Genf beginnen neue Gespräche. Beide Seiten wollen zuerst über einen Gefangenenaustausch reden.",
...         "Der Wahlkampf in Polen geht in die letzte Woche. Umfragen sehen ein knappes Rennen voraus.",
...         "Ein Sturm trifft die Küste Portugals. Tausende Haushalte sind seit dem Morgen ohne Strom."]
>>> texts = [text + "\\n" + footer.format(f"{i + 1}. März 2021") for i, text in enumerate(news)]
>>> corpus = pd.DataFrame({"doc_id": [f"w{i}" for i in range(6)], "text": texts, "lang": "de"})
>>> found = find_boilerplate(corpus)
>>> found[["text", "n_docs", "doc_id"]].values.tolist()
[['Dieser Artikel ist eine Übersetzung eines fremdsprachigen Artikels vom 1. März 2021.', 6, 'w0'], ['Kommentar abgeben', 6, 'w0']]
>>> remove_boilerplate(corpus, found)["text"].iloc[0]
'In Kyjiw wurde am Abend Luftalarm ausgelöst. Die Stadt rief alle Bewohner in die Schutzräume.'
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter

import numpy as np
import pandas as pd

from analysis.corpus.dedupe import near_duplicate_labels
from analysis.corpus.schema import require_columns
from analysis.text.segment import sentence_spans

MIN_DOCS = 5
MIN_SHARE = 0.005
MIN_TOKENS = 2
STORY_SIMILARITY = 0.5
BOILERPLATE_COLUMNS = ("text", "n_docs", "share", "doc_id", "key")

_MONTHS = ("januar jänner februar feber märz april mai juni juli august september oktober november dezember "
           "january february march may june july october december jan feb mär mar apr jun jul aug sept sep okt "
           "oct nov dez dec")
_DAYS = ("montag dienstag mittwoch donnerstag freitag samstag sonnabend sonntag "
         "monday tuesday wednesday thursday friday saturday sunday")


def _word_trie(words) -> str:
    """A regex matching exactly ``words``, branching letter by letter ("j(?:an(?:uar)?|uni)"): Python's
    ``re`` tries a plain alternation of 60 words one after another at every word start."""
    tree: dict = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def pattern(node: dict) -> str:
        branches = [re.escape(char) + pattern(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return pattern(tree)


_MASK = re.compile(r"\d+|\b" + _word_trie(set((_MONTHS + " " + _DAYS).split())) + r"\b")
_MASKED_DATE_SPACE = re.compile(r"(?<=0)\. (?=0)")  # "16. 5. 2016" reads as "16.5.2016"
_TOKEN = re.compile(r"[^\W_]+")
_LINE = re.compile(r"[^\n]+")
_BLANK_LINES = re.compile(r"\n{3,}")
_BYLINE = re.compile(r"(?<=[.!?…\"“”«»])\s+(\([^()\n]{1,60}\))\s*$")  # "… sagte er. (dpa)", "(red, 16.5.2016)"
_SENTENCE_END = re.compile(r"[.!?…][\"'»«“”‘’)\]]*$")


def boilerplate_key(unit: str) -> str:
    """The form two units must share to count as one: case folded, whitespace collapsed, digits,
    months and weekdays masked as ``0``.

    >>> boilerplate_key("(APA, 11.9.2015)") == boilerplate_key("(apa,  3. 3. 2016)")
    True
    >>> boilerplate_key("Dieser Artikel ist eine Übersetzung … vom 3. März 2021.")
    'dieser artikel ist eine übersetzung … vom 0.0 0.'
    """
    return _MASKED_DATE_SPACE.sub(".", " ".join(_MASK.sub("0", unit.casefold()).split()))


def unit_spans(text: str, *, lang: str = "de") -> list[tuple[int, int]]:
    """``(start, end)`` of each unit of ``text``: the sentences of each line, in order.

    >>> text = "Kyjiw meldet Angriffe. Die Lage ist unklar.\\nKommentar abgeben"
    >>> [text[a:b] for a, b in unit_spans(text)]
    ['Kyjiw meldet Angriffe.', 'Die Lage ist unklar.', 'Kommentar abgeben']
    """
    spans = []
    for line in _LINE.finditer(text):
        spans += [(line.start() + a, line.start() + b) for a, b in _line_units(line.group(), lang)]
    return spans


def find_boilerplate(corpus: pd.DataFrame, *, min_docs: int = MIN_DOCS, min_share: float = MIN_SHARE,
                     text_col: str = "text") -> pd.DataFrame:
    """The units that recur across ``corpus`` by the rule of this module (see its docstring).

    One row per boilerplate unit, most frequent first: ``text`` (as it reads in the first
    document that has it), ``n_docs`` (documents that contain it), ``share`` (of all
    documents), ``doc_id`` (that first document), ``key`` (:func:`boilerplate_key`, what
    :func:`remove_boilerplate` matches). Empty (same columns) when nothing recurs enough.
    """
    return _find(corpus, min_docs, min_share, text_col)[0]


def find_and_remove_boilerplate(corpus: pd.DataFrame, *, min_docs: int = MIN_DOCS, min_share: float = MIN_SHARE,
                                text_col: str = "text") -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`find_boilerplate` and :func:`remove_boilerplate` with its table, in one go: each document
    is split into units once instead of twice. Returns ``(table, corpus without it)``.

    >>> corpus = pd.DataFrame({"doc_id": list("abcde"), "text": [f"Bericht {w}.\\nKommentar abgeben" for w in
    ...                        ["eins", "zwei", "drei", "vier", "fünf"]]})
    >>> table, cleaned = find_and_remove_boilerplate(corpus)
    >>> table["text"].tolist(), cleaned["text"].tolist()[:2]
    (['Kommentar abgeben'], ['Bericht eins.', 'Bericht zwei.'])
    """
    table, parsed = _find(corpus, min_docs, min_share, text_col)
    keys = set(table["key"])
    if not keys:
        return table, corpus.copy()
    cleaned = [_rebuilt(doc, keys) if isinstance(text, str) else text
               for text, doc in zip(corpus[text_col].tolist(), parsed)]
    return table, corpus.assign(**{text_col: pd.Series(cleaned, index=corpus.index, dtype=corpus[text_col].dtype)})


def _find(corpus: pd.DataFrame, min_docs, min_share, text_col: str) -> tuple[pd.DataFrame, list]:
    """The table of :func:`find_boilerplate` and each document's units (:func:`_parse`; empty when too few documents)."""
    require_columns(corpus, "doc_id", text_col, what="the corpus")
    if not isinstance(min_docs, int) or min_docs < 2:
        raise ValueError(f"min_docs must be an int ≥ 2 (a unit in one document is no boilerplate), not {min_docs!r}.")
    if not 0 <= min_share <= 1:
        raise ValueError(f"min_share must be a share between 0 and 1, not {min_share!r}.")
    texts = [t if isinstance(t, str) else "" for t in corpus[text_col].tolist()]
    needed = max(min_docs, math.ceil(min_share * len(texts)))
    if len(texts) < needed:
        return pd.DataFrame(columns=list(BOILERPLATE_COLUMNS)), []
    seen: dict = {}
    parsed = [_parse(text, lang, seen) for text, lang in zip(texts, _langs(corpus))]
    units = [_keyed_units(doc) for doc in parsed]
    n_docs = Counter(key for doc in units for key in doc)
    frequent = {key for key, n in n_docs.items() if n >= needed}
    stories = _stories(texts, parsed, units, frequent) if frequent else np.arange(len(texts))
    story_sets: dict[str, set] = {}
    for story, doc in zip(stories, units):
        for key in frequent.intersection(doc):
            story_sets.setdefault(key, set()).add(story)
    chosen = {key for key, found in story_sets.items() if len(found) >= needed}
    rows, ids = {}, corpus["doc_id"].tolist()
    for doc_id, doc in zip(ids, units):
        for key in chosen.intersection(doc).difference(rows):
            rows[key] = {"text": doc[key], "n_docs": n_docs[key], "share": n_docs[key] / len(texts),
                         "doc_id": doc_id, "key": key}
    table = pd.DataFrame(list(rows.values()), columns=list(BOILERPLATE_COLUMNS))
    return table.sort_values(["n_docs", "key"], ascending=[False, True], kind="stable").reset_index(drop=True), parsed


def remove_boilerplate(corpus: pd.DataFrame, boilerplate, *, text_col: str = "text") -> pd.DataFrame:
    """A copy of ``corpus`` whose texts lack the units of ``boilerplate``.

    ``boilerplate``: the table of :func:`find_boilerplate` (its ``key`` column; a table with
    only ``text``, e.g. edited by hand, is keyed here) or an iterable of unit texts. Units are
    removed wherever their key matches; a line left empty is dropped, the rest of a line keeps
    its words; the text stays NFC. The input is not changed.
    """
    require_columns(corpus, text_col, what="the corpus")
    keys = _keys_of(boilerplate)
    if not keys or corpus.empty:
        return corpus.copy()
    cleaned = [_without(text, keys, lang) if isinstance(text, str) else text
               for text, lang in zip(corpus[text_col].tolist(), _langs(corpus))]
    return corpus.assign(**{text_col: pd.Series(cleaned, index=corpus.index, dtype=corpus[text_col].dtype)})


def _stories(texts: list[str], parsed: list, units: list[dict], frequent: set[str]) -> np.ndarray:
    """A label per document; near-duplicate copies of one story share it. Documents are compared
    on their text outside the ``frequent`` units (a footer must not make two short reports look
    alike), or on their whole text when those units make up more than half of it (agency copies)."""
    compared = []
    for text, doc, keyed in zip(texts, parsed, units):
        rest = _rebuilt(doc, frequent) if not frequent.isdisjoint(keyed) else text
        compared.append(rest if 2 * len(rest) >= len(text) else text)
    return near_duplicate_labels(compared, threshold=STORY_SIMILARITY)


def _keys_of(boilerplate) -> set[str]:
    if isinstance(boilerplate, pd.DataFrame):
        if "key" in boilerplate:
            return set(boilerplate["key"].dropna().astype(str))
        require_columns(boilerplate, "text", what="the boilerplate table")
        return {boilerplate_key(t) for t in boilerplate["text"].dropna().astype(str)}
    if isinstance(boilerplate, str):
        raise TypeError("boilerplate must be the table of find_boilerplate or a list of unit texts, not one string.")
    return {boilerplate_key(str(t)) for t in boilerplate}


def _langs(corpus: pd.DataFrame) -> list[str]:
    if "lang" not in corpus:
        return ["de"] * len(corpus)
    return [lang if lang in ("de", "en") else "de" for lang in corpus["lang"].tolist()]


def _line_units(line: str, lang: str) -> list[tuple[int, int]]:
    """The sentences of one line, a byline in brackets after a sentence's end split off as a unit of its own."""
    spans = []
    for start, end in sentence_spans(line, lang=lang):
        byline = _BYLINE.search(line, start, end)
        spans += [(start, byline.start()), (byline.start(1), end)] if byline else [(start, end)]
    return [(a, b) for a, b in spans if b > a]


def _parse(text: str, lang: str, seen: dict | None = None) -> list[tuple[str, list[tuple[int, int, str]]]]:
    """Each line of ``text`` with its units (:func:`unit_spans`) as ``(start, end, key)`` within the line.

    ``seen``: ``(line, lang) -> units`` of lines parsed before (shared across a corpus's documents:
    a footer, or a dump that repeats its articles, is split and keyed once); the units are shared, read-only."""
    seen = {} if seen is None else seen
    parsed = []
    for line in text.split("\n"):
        units = seen.get((line, lang))
        if units is None:
            units = seen[line, lang] = [(a, b, boilerplate_key(line[a:b])) for a, b in _line_units(line, lang)]
        parsed.append((line, units))
    return parsed


def _keyed_units(parsed: list) -> dict[str, str]:
    """``key -> unit text`` (first occurrence) of the units of a parsed document that may be
    boilerplate: at least :data:`MIN_TOKENS` tokens, or a line of its own or a bracketed byline
    that does not end like a sentence (a heading: "Quellen", "(dpa)")."""
    units, lines = {}, set()
    for line, spans in parsed:
        if line in lines:
            continue  # the same line again: the same units, first occurrences kept already
        lines.add(line)
        for start, end, key in spans:
            unit = line[start:end]
            tokens = len(_TOKEN.findall(key))
            heading = len(spans) == 1 or unit.startswith("(")  # a line of its own, or a byline in brackets
            if tokens >= MIN_TOKENS or (tokens and heading and not _SENTENCE_END.search(unit)):
                units.setdefault(key, unit)
    return units


def _without(text: str, keys: set[str], lang: str) -> str:
    """``text`` without the units whose key is in ``keys``."""
    return _rebuilt(_parse(text, lang), keys)


def _rebuilt(parsed: list, keys: set[str]) -> str:
    """The text of a parsed document without the units whose key is in ``keys``: a line left empty
    goes, a line that lost a unit is its other units joined by one space, the rest stays (NFC)."""
    lines = []
    for line, spans in parsed:
        kept = [line[a:b] for a, b, key in spans if key not in keys]
        if len(kept) == len(spans):
            lines.append(line)
        elif kept:
            lines.append(" ".join(kept))
    return unicodedata.normalize("NFC", _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip())
