"""Small pure functions that clean raw news text: ``str -> str``, German-safe.

Every function keeps umlauts and ß; none of them folds case or accents.

>>> clean_text("Nordkorea\\u200b schickt <b>Soldaten</b>&nbsp;nach Kursk")
'Nordkorea schickt Soldaten nach Kursk'
"""

from __future__ import annotations

import html
import re
import unicodedata

# Precompiled once: every pattern the cleaning steps use.
# Zero-width characters, soft hyphens, byte-order marks, and C0/C1 control characters except tab
# and newline (carriage returns are handled separately): all dropped, so one scan finds them all.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x85]")
_NEWLINE_CHARS = "\r\u2028\u2029\x85"  # what _NEWLINES changes starts with one of these
# The space characters besides the plain space, one by one: ``c in text`` is a memchr, or no scan at all
# for a character wider than any of the text's (most texts hold none above U+00FF), where a regex visits every one.
_SPACE_CHAR_LIST = ("\t", "\u00a0", *map(chr, range(0x2000, 0x200b)), "\u202f", "\u205f", "\u3000")
_SPACE_CHARS = "".join(_SPACE_CHAR_LIST)  # the same, as a regex character class's contents
# Only runs that need a change: 2+ spaces, or any other space character (a lone " " is left alone).
_SPACES = re.compile(rf" [ {_SPACE_CHARS}]+|[{_SPACE_CHARS}][ {_SPACE_CHARS}]*")
_SPACE_AROUND_NEWLINE = re.compile(r" *\n *")
_MANY_BLANK_LINES = re.compile(r"\n{3,}")
_HTML_HINT = re.compile(r"</?(?:p|br|div|span|a|b|i|em|strong|li|ul|ol|h[1-6]|script|style|html|body|table|tr|td)\b[^>]*>|&(?:[a-z]+|#\d+|#x[0-9a-f]+);", re.IGNORECASE)
_HTML_DROP = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_HTML_BREAK = re.compile(r"<br\s*/?>|</?(?:p|div|li|h[1-6]|tr|table|ul|ol)\b[^>]*>", re.IGNORECASE)
_HTML_TAG = re.compile(r"<[A-Za-z/!][^<>]*>")


def normalize_unicode(text: str) -> str:
    """Compose decomposed umlauts (``u`` + combining diaeresis -> ``ü``): Unicode NFC."""
    return unicodedata.normalize("NFC", text)


def remove_invisible(text: str) -> str:
    """Drop zero-width spaces, soft hyphens, byte-order marks and control characters."""
    # each substitution only where it has something to change: a substring test is many times
    # faster than a regex scan, which counts on a many-MB article
    if any(c in text for c in _NEWLINE_CHARS):
        text = _NEWLINES.sub("\n", text)
    return _INVISIBLE.sub("", text)


def looks_like_html(text: str) -> bool:
    """True when the text carries HTML tags or entities."""
    # every tag starts with "<" and every entity with "&": most texts hold neither, and need no regex scan
    return ("<" in text or "&" in text) and _HTML_HINT.search(text) is not None


def strip_html(text: str) -> str:
    """Remove tags (and script/style bodies), keep paragraph breaks, decode entities."""
    text = _HTML_DROP.sub(" ", text)
    text = _HTML_BREAK.sub("\n\n", text)
    text = _HTML_TAG.sub(" ", text)
    return html.unescape(text)


def normalize_whitespace(text: str) -> str:
    """Collapse runs of spaces, keep paragraph breaks (at most one blank line), trim."""
    # each step only where it has something to change (a one-character test first: it is a memchr)
    if any(c in text for c in _SPACE_CHAR_LIST) or "  " in text:
        text = _SPACES.sub(" ", text)
    if "\n" in text:
        if " \n" in text or "\n " in text:
            text = _SPACE_AROUND_NEWLINE.sub("\n", text)
        if "\n\n\n" in text:
            text = _MANY_BLANK_LINES.sub("\n\n", text)
    return text.strip()


def one_line(text: str, *, limit: int | None = None) -> str:
    """``text`` on one line: words joined by single spaces (``" ".join(text.split())``), cut
    to ``limit`` characters. With a limit only the start of the text is split, so a preview
    of a 50 MB article costs no more than one of a short note.

    >>> one_line("Kim  Jong\\n Un\\tschickt Soldaten", limit=15)
    'Kim Jong Un sch'
    """
    if limit is None:
        return " ".join(text.split())
    size = max(4 * limit, 256)
    while size < len(text):
        words = text[:size].split()
        whole = " ".join(words[:-1])  # the last word may be cut at ``size``; those before it are whole
        if len(whole) >= limit:
            return whole[:limit]
        size *= 2
    return " ".join(text.split())[:limit]


def clean_text(text: str, *, html_markup: str = "auto") -> str:
    """The corpus loader's cleaning: NFC, invisible characters, HTML, whitespace.

    ``html_markup``: ``"auto"`` strips markup only when the text looks like HTML,
    ``"strip"`` always, ``"keep"`` never (then ``<b>`` stays literal text).
    """
    text = remove_invisible(normalize_unicode(text))
    if html_markup == "strip" or (html_markup == "auto" and looks_like_html(text)):
        text = remove_invisible(normalize_unicode(strip_html(text)))
    return normalize_whitespace(text)
