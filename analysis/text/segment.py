"""Split text into paragraphs and sentences, returning character spans.

Sentences end at ``. ! ? …`` (and closing quotes) followed by a capital letter, a digit,
an opening quote or a line break — but not after a known abbreviation (``z.B.``,
``Dr.``, ``Mio.``), a single initial (``Kim J. Un``) or a day/ordinal number
(``am 24. Februar``). A blank line always ends a paragraph and a sentence.

>>> split_sentences("Am 24. Februar griff Russland an. Dr. Müller sagt, z. B. Kiew sei bedroht. Wirklich?")
['Am 24. Februar griff Russland an.', 'Dr. Müller sagt, z. B. Kiew sei bedroht.', 'Wirklich?']
"""

from __future__ import annotations

import re

from analysis.text.wordlists import abbreviations

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
# "[.!?…][.!?…]*", not "[.!?…]+": the same matches, found twice as fast (re skips ahead to the
# characters a match can start with only when the pattern does not start with a repeat)
# The marks, and (group 1) the first letter, digit or line break after them as a sentence would start:
# after whitespace and an opening quote, bracket or dash (no such character: group 1 is None).
_CANDIDATE = re.compile(r"[.!?…][.!?…]*[\"'»«“”‘’)\]]*(?=\s)(?:(?=\s*(?:[\"'„“»«‚‘(\[–-]\s*)?([^\W_]|\n)))?")
_WORD_BEFORE = re.compile(r"([^\W_][\w.]*)$")
_NON_SPACE = re.compile(r"\S")


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each paragraph (blank-line separated), whitespace trimmed."""
    spans, start = [], 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return [s for s in (_trim(text, a, b) for a, b in spans) if s[1] > s[0]]


def sentence_spans(text: str, *, lang: str = "de") -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence; sentences never cross a paragraph break."""
    spans, known = [], abbreviations(lang)
    for p_start, p_end in paragraph_spans(text):  # trimmed: a paragraph starts and ends at a non-space
        start = p_start
        for match in _CANDIDATE.finditer(text, p_start, p_end):
            if _is_boundary(text, match, known):
                # a sentence ends at its marks (no space to trim); whitespace follows them, then the
                # paragraph's next sentence starts, at its first non-space
                spans.append((start, match.end()))
                start = _NON_SPACE.search(text, match.end(), p_end).start()
        spans.append((start, p_end))
    return spans


def split_sentences(text: str, *, lang: str = "de") -> list[str]:
    """The sentences of ``text`` as strings."""
    return [text[a:b] for a, b in sentence_spans(text, lang=lang)]


def split_paragraphs(text: str) -> list[str]:
    """The paragraphs of ``text`` as strings."""
    return [text[a:b] for a, b in paragraph_spans(text)]


def _is_boundary(text: str, match: re.Match, known: frozenset[str]) -> bool:
    """True if the sentence-final marks ``match`` (of :data:`_CANDIDATE`, in one paragraph) end a sentence;
    ``known``: the language's abbreviations."""
    first = match.group(1)
    if first is None or (first != "\n" and first.islower()):
        return False
    marks = match.start()
    if text[marks] != ".":
        return True
    # The word ends at the marks and starts after the last space before them: the search starts
    # there instead of trying every one of 40 positions.
    lowest = max(0, marks - 40)
    after_space = max(lowest, text.rfind(" ", lowest, marks) + 1)
    piece = text[after_space:marks]
    if piece.isalpha():  # most often a plain word: it is the word the search below would find
        return not (piece in known or len(piece) == 1)
    before = _WORD_BEFORE.search(text, after_space, marks)
    if before is None:
        return True
    word = before.group(1)
    if word in known or word.rstrip(".") in known:
        return False
    if len(word) == 1 and word.isalpha():
        return False  # an initial: "Kim J. Un"
    return not (word.isdigit() and len(word) <= 2)  # "am 24. Februar", "der 2. Weltkrieg"


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
