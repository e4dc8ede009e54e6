"""German-first tokenising: one regular expression, with character offsets.

Decisions (each has a "must not change" row in ``tests/test_tokenize.py``):

- Hyphenated compounds stay one token: ``Ukraine-Krieg``, ``Kim-Diktatur``, ``F-16``.
- Gender-inclusive forms stay one token: ``Soldat*innen``, ``Soldat:innen``,
  ``Soldat_innen``, ``Soldat/innen``, ``SoldatInnen``.
- Umlauts and ß are letters like any other; nothing is folded.
- Numbers keep their German separators: ``1.500``, ``3,5``, ``24.02.2022``.
- Abbreviations with inner dots stay whole (``z.B.``, ``U.S.``); URLs, e-mail addresses,
  hashtags and @-mentions are single tokens; English ``don't`` stays whole, possessive
  ``'s`` is split off.
- Every other non-space character is a punctuation token.

>>> tokenize("Nordkoreas Soldat*innen im Ukraine-Krieg: 1.500 Tote?")
['Nordkoreas', 'Soldat*innen', 'im', 'Ukraine-Krieg', ':', '1.500', 'Tote', '?']
"""

from __future__ import annotations

import re
from typing import Iterator, NamedTuple

_L = r"[^\W\d_]"  # a letter, umlauts and ß included
_A = r"[^\W_]"  # a letter or digit
_HYPHEN = "-\u2010\u2011"
_GENDER = r"(?:[*:_/]in(?:nen)?(?![^\W_]))"
_LOCAL_PART = r"[\w.+-]{1,64}"  # an address's local part is at most 64 characters (RFC 5321)
_PATTERNS = {
    "url": r"(?:https?://|www\.)[^\s<>\"]+[^\s<>\".,;:!?)\]]",
    # Tried at every position, as an address may start right after a hashtag or @-mention
    # ("@nk_news@example.org": "@nk", "_news@example.org"); the bounded local part keeps a long
    # run of dashes or dots ("-----…") linear: each position reads at most 64 characters ahead.
    "email": _LOCAL_PART + r"@[\w-]+(?:\.[\w-]+)+",
    "tag": r"[#@]" + _A + r"+",
    "abbreviation": r"(?:" + _L + r"{1,2}\.){2,}",
    "negated": _A + r"+n['’]t(?![^\W_])",
    "number": r"\d+(?:[.,:/]\d+)*(?![^\W_])",
    "word": r"(?:" + _A + r"*" + _L + _A + r"*|\d+)(?:[" + _HYPHEN + r"]" + _A + r"+)*" + _GENDER + r"?",
    "punct": r"\S",
}
TOKEN_RE = re.compile("|".join(f"(?P<{k}>{v})" for k, v in _PATTERNS.items()))
# The same alternatives without group names: faster when only the strings are needed.
_PLAIN_RE = re.compile("|".join(f"(?:{v})" for v in _PATTERNS.values()))
_WORD_RE = re.compile(_PATTERNS["word"])
_NUMBER_RE = re.compile(r"[+-]?\d+(?:[.,:/]\d+)*\.?")


class Token(NamedTuple):
    """One token with its kind and character offsets into the original text."""

    text: str
    kind: str  # url, email, tag, abbreviation, negated, number, word, punct
    start: int
    end: int


PIECE_CHARS = 1 << 20  # characters of a long text split or tokenised at once
_SPACE = re.compile(r"\s")


def text_pieces(text: str, *, size: int = PIECE_CHARS) -> Iterator[str]:
    """``text`` in consecutive slices of about ``size`` characters, each cut at whitespace, so no
    token spans two of them: a long text split or tokenised piece by piece holds only one
    piece's words at once (``text.split()`` of a 50 MB article makes 8 million strings).

    >>> list(text_pieces("Kim Jong Un schickt Soldaten", size=6))
    ['Kim Jong', ' Un schickt', ' Soldaten']
    """
    start, n = 0, len(text)
    while start < n:
        end = start + size
        if end < n:
            found = _SPACE.search(text, end)
            end = found.start() if found else n
        yield text[start:end]
        start = end


def tokenize(text: str) -> list[str]:
    """Split ``text`` into token strings (see the module docstring for the rules)."""
    return _PLAIN_RE.findall(text)


def tokenize_spans(text: str) -> list[Token]:
    """Tokens with their kind and ``start``/``end`` offsets, for KWIC and actor windows."""
    return [Token(m.group(), m.lastgroup, m.start(), m.end()) for m in TOKEN_RE.finditer(text)]


# One punctuation mark that no token pattern joins to letters next to it (no hyphen-minus before
# letters, no "'" before "t" or "s"): a chunk shaped [one of _LEADING] word [one of _TRAILING], the
# word letters or letter compounds joined by "-", is split without the regular expression.
_LEADING = frozenset('(["„“‚‘»«')
_TRAILING = frozenset(',.:;?!)]"“”»«–—-')


def tokenize_chunk(chunk: str) -> list[Token]:
    """:func:`tokenize_spans` of a whitespace-free ``chunk``, the common shapes (``Krieg,``,
    ``(Ukraine-Krieg)``) split without the regular expression; a token never spans whitespace,
    so a text's tokens are its chunks' tokens.

    >>> [(t.text, t.kind, t.start) for t in tokenize_chunk("(Ukraine-Krieg):")]
    [('(', 'punct', 0), ('Ukraine-Krieg', 'word', 1), (')', 'punct', 14), (':', 'punct', 15)]
    >>> tokenize_chunk("„Waffenruhe“") == tokenize_spans("„Waffenruhe“")
    True
    """
    shape = plain_shape(chunk)
    if shape is None:
        return tokenize_spans(chunk)
    first, last = shape
    tokens = [Token(chunk[0], "punct", 0, 1)] if first else []
    tokens.append(Token(chunk[first:last], "word", first, last))
    if last < len(chunk):
        tokens.append(Token(chunk[-1], "punct", last, len(chunk)))
    return tokens


def plain_shape(chunk: str) -> tuple[int, int] | None:
    """``(first, last)``: where the word of a whitespace-free ``chunk`` shaped [one of _LEADING] word
    [one of _TRAILING] starts and ends (the word letters, or letter compounds joined by "-"), or None
    for a chunk of another shape, which the regular expression splits.

    >>> plain_shape("(Ukraine-Krieg)"), plain_shape("Krieg:"), plain_shape("2:1-Sieg")
    ((1, 14), (0, 5), None)
    """
    n = len(chunk)
    first = 1 if n > 1 and chunk[0] in _LEADING else 0
    last = n - 1 if n > first + 1 and chunk[-1] in _TRAILING else n
    word = chunk[first:last]
    if word.isalpha() or ("-" in word and all(part.isalpha() for part in word.split("-"))):
        return first, last
    return None


def holds_letter(token: str) -> bool:
    """True if ``token`` holds a letter: what makes a token a word when words are counted
    (:func:`analysis.explore.describe.count_words`, :attr:`analysis.text.analysis.TextAnalysis.n_words`).

    >>> holds_letter("F-16"), holds_letter("1.500"), holds_letter("Kämpfe")
    (True, False, True)
    """
    return any(map(str.isalpha, token))


def token_kind(token: str) -> str:
    """Classify a token string as :func:`tokenize_spans` would."""
    match = TOKEN_RE.fullmatch(token)
    return match.lastgroup if match else "punct"


def is_number(token: str) -> bool:
    """True for ``1.500``, ``3,5``, ``24.02.2022``, ``14:30``."""
    return _NUMBER_RE.fullmatch(token) is not None
