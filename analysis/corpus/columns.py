"""Which input column holds the text, id, date, outlet, title: the one column guesser of the kit.

:func:`choose_columns` is used by :func:`~analysis.corpus.load.load_corpus` and by
``analysis report`` alike. A column named by the user is used as given. Every other role
is guessed, first from the column *names* and then, for roles still open, from the
*content* of the first rows:

1. Names are folded (case, umlauts ``ö -> oe``, ``ß -> ss``, punctuation and camelCase
   split into tokens: ``"Veröffentlicht am"`` -> ``veroeffentlicht am``,
   ``"Artikel-ID"`` -> ``artikel id``) and matched against each role's tokens
   (:data:`ROLE_TOKENS`, most specific first): the whole name, then one of its tokens,
   then the head of a German compound (``Erscheinungsdatum`` ends in ``datum``).
   Strong matches win over weak ones (``url``/``link`` are an id only when nothing
   better is there), then the earlier token of the list, then the kind of match,
   then the column further left. Each column serves one role.
2. Content, for roles still open and columns still free: a column with at least 80 % of
   its non-empty values readable as dates (not mere numbers) is the date; the column with
   the longest texts is the text; a column of unique short values without blanks is the id.

Each choice comes with a reason; columns that fit a role just as well as the chosen one
are named in its reason (``'Datum.1' fits too: pass date_col=… to choose``).

>>> guess_columns(["Titel", "Inhalt", "Veröffentlicht am", "Quelle", "Artikel-ID"])
{'text': 'Inhalt', 'id': 'Artikel-ID', 'date': 'Veröffentlicht am', 'outlet': 'Quelle', 'title': 'Titel'}
>>> mapping, why = choose_columns(["Nr", "Inhalt", "Datum"], {"text": "Inhalt"})
>>> mapping.as_keywords()
{'text_col': 'Inhalt', 'id_col': 'Nr', 'date_col': 'Datum', 'outlet_col': None, 'title_col': None}
>>> why[:2]
[('text', 'Inhalt', 'given'), ('id', 'Nr', 'guessed from the column name')]
>>> choose_columns(["Text", "Veröffentlicht am", "Erscheinungsdatum"])[1][2]
('date', 'Veröffentlicht am', "guessed from the column name (word 'veroeffentlicht')")
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass

import pandas as pd

from analysis.corpus.dates import parse_dates

ROLES = ("text", "id", "date", "outlet", "title")  # the roles a user maps onto input columns

# Role -> folded name tokens, most specific first; the corpus frame's own names lead.
ROLE_TOKENS: dict[str, tuple[str, ...]] = {
    "text": ("text", "inhalt", "volltext", "fulltext", "full text", "body", "content", "artikeltext",
             "fliesstext", "article", "artikel", "story", "opinion snippet", "snippet", "abstract"),
    "id": ("doc id", "id", "nr", "kennung", "nummer", "article id", "uuid", "guid", "kennnummer"),
    "date": ("published", "veroeffentlicht", "datum", "date", "publication date", "pubdate", "erschienen",
             "created at", "timestamp", "zeit", "time"),
    "outlet": ("outlet", "medium", "quelle", "zeitung", "source", "publisher", "newspaper", "sender",
               "herausgeber", "verlag", "publikation", "publication", "site", "domain", "portal"),
    "lang": ("lang", "language", "sprache"),
    "title": ("title", "titel", "headline", "ueberschrift", "schlagzeile", "heading"),
}
WEAK_TOKENS = {"id": ("url", "link")}  # used only when no strong token fits
_HOW = ("", " (word {!r})", " (compound ending in {!r})")  # by match kind: whole name, word, compound head
_MIN_HEAD = 4  # a compound head must be at least this long ("id", "nr" only as whole words)
_SAMPLE = 1000  # rows looked at by the content rules
DATE_SHARE = 0.8  # share of non-empty values that must read as dates
ID_MAX_LENGTH = 64


def fold_name(name) -> str:
    """A column name as the guesser compares it: lower case, umlauts spelled out, words split.

    >>> fold_name("Veröffentlicht am"), fold_name("ArtikelID"), fold_name("doc_id")
    ('veroeffentlicht am', 'artikel id', 'doc id')
    """
    text = re.sub(r"(?<=[a-zäöü])(?=[A-ZÄÖÜ])", " ", unicodedata.normalize("NFC", str(name)))
    text = text.lower().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(re.findall(r"[a-z0-9]+", text))


def _name_score(role: str, folded: str):
    """``(weak, token rank, match kind, token)`` of the best match of a folded name, or ``None``."""
    words = folded.split()
    best = None
    for weak, tokens in enumerate((ROLE_TOKENS.get(role, ()), WEAK_TOKENS.get(role, ()))):
        for rank, token in enumerate(tokens):
            if folded == token:
                kind = 0
            elif " " not in token and token in words or " " in token and f" {token} " in f" {folded} ":
                kind = 1
            elif len(token) >= _MIN_HEAD and any(w.endswith(token) and w != token for w in words):
                kind = 2
            else:
                continue
            score = (weak, rank, kind, token)
            best = score if best is None or score < best else best
    return best


def guess_by_name(columns, *, roles=(*ROLES, "lang"), taken=()) -> dict[str, tuple]:
    """Role -> ``(column, reason, also)`` guessed from the names; ``also``: equally good columns."""
    candidates = []
    for position, column in enumerate(columns):
        folded = fold_name(column)
        for role in roles:
            score = _name_score(role, folded)
            if score is not None:
                candidates.append((score[:3], position, role, column, score))
    candidates.sort(key=lambda c: (c[0], c[1]))
    found, used = {}, set(taken)
    for key, _, role, column, score in candidates:
        if role in found or column in used:
            continue
        also = [c[3] for c in candidates if c[2] == role and c[0] == key and c[3] != column and c[3] not in used]
        found[role] = (column, "guessed from the column name" + _HOW[score[2]].format(score[3]), also)
        used.add(column)
    return found


def guess_by_content(records: pd.DataFrame, roles, taken) -> dict[str, tuple]:
    """Role -> ``(column, reason, also)`` for ``date``, ``text``, ``id`` from the first rows' values."""
    sample = records.head(_SAMPLE)
    free = [c for c in sample.columns if c not in set(taken)]
    strings = {c: sample[c].dropna().map(str).str.strip() for c in free if _holds_strings(sample[c])}
    strings = {c: s[s != ""] for c, s in strings.items()}
    found = {}
    if "date" in roles:
        share = {c: _date_share(s) for c, s in strings.items() if len(s)}
        dated = [c for c, v in share.items() if v >= DATE_SHARE]
        if dated:
            best = max(dated, key=lambda c: share[c])
            found["date"] = (best, f"guessed from the content: {share[best]:.0%} of values are dates",
                             [c for c in dated if c != best and share[c] == share[best]])
    left = {c: s for c, s in strings.items() if c not in {v[0] for v in found.values()}}
    if "text" in roles:
        length = {c: float(s.str.len().median()) for c, s in left.items() if len(s)}
        if length:
            best = max(length, key=length.get)
            found["text"] = (best, f"guessed from the content: longest texts (median {length[best]:.0f} characters)",
                             [c for c in length if c != best and length[c] == length[best]])
            left.pop(best)
    if "id" in roles:
        unique = [c for c in free if c not in {v[0] for v in found.values()} and _is_short_key(sample[c])]
        if unique:
            found["id"] = (unique[0], "guessed from the content: unique short values", unique[1:])
    return found


def _holds_strings(values: pd.Series) -> bool:
    """Whether every value is a string or missing (a column of lists or numbers is not text)."""
    return pd.api.types.is_string_dtype(values.dtype) and all(
        isinstance(v, str) or v is None or (isinstance(v, float) and v != v) for v in values)


def _date_share(values: pd.Series) -> float:
    if values.str.fullmatch(r"[\d.,\s+-]*\d").all() and not values.str.contains(r"\d[.-]\d").any():
        return 0.0  # plain numbers are ids or counts, not dates
    return float(parse_dates(values).notna().mean())


def _is_short_key(values: pd.Series) -> bool:
    if not all(map(pd.api.types.is_scalar, values)):
        return False  # lists or records (a nested JSON field) are no key
    text = values.map(lambda v: None if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v).strip())
    if not len(text) or text.isna().any() or (text == "").any() or not text.is_unique:
        return False
    return bool(text.str.len().max() <= ID_MAX_LENGTH and not text.str.contains(r"\s").any())


def choose_columns(records, given: dict | None = None) -> tuple[ColumnMap, list[tuple[str, str, str]]]:
    """The column of each role (:data:`ROLES`) and one ``(role, column, why)`` row per role.

    ``records``: the input's column names, or a DataFrame of its first rows (then the
    content rules apply too). ``given``: role -> column named by the user (``None``: guess;
    ``False``: the role has no column). A given column is returned as given, even if the
    input lacks it (the loader says so). No text column found leaves ``text`` ``None``.
    """
    given = {k: v for k, v in (given or {}).items() if v is not None}
    columns = list(records.columns if isinstance(records, pd.DataFrame) else records)
    taken = [c for c in given.values() if c is not False]
    open_roles = [r for r in ROLES if r not in given]
    found = guess_by_name(columns, roles=open_roles, taken=taken)
    if isinstance(records, pd.DataFrame):
        still = [r for r in open_roles if r not in found]
        found |= guess_by_content(records, still, [*taken, *(v[0] for v in found.values())])
    mapping, why = {}, []
    for role in ROLES:
        if role in given:
            column = None if given[role] is False else given[role]
            reason = "given" if column is not None else "none (given)"
        elif role in found:
            column, reason, also = found[role]
            if also:
                reason += (f"; {', '.join(map(repr, also))} {'fits' if len(also) == 1 else 'fit'} too: "
                           f"pass {role}_col=… to choose")
        else:
            column, reason = None, "no such column found" + ("; ids generated from row numbers" if role == "id" else "")
        mapping[role] = column
        why.append((role, "" if column is None else str(column), reason))
    return ColumnMap(**mapping), why


def guess_columns(columns) -> dict[str, str]:
    """Role -> column guessed from the names alone (``lang`` too), in :data:`ROLES` order.

    >>> guess_columns(["Titel", "Inhalt", "Datum", "Quelle"])
    {'text': 'Inhalt', 'date': 'Datum', 'outlet': 'Quelle', 'title': 'Titel'}
    """
    found = guess_by_name(list(columns))
    return {role: found[role][0] for role in (*ROLES, "lang") if role in found}


def suggest(role: str, columns) -> str:
    """A hint such as ``" Pass text_col='inhalt'."`` or ``""`` when nothing fits."""
    column = guess_columns(columns).get(role)
    return f" Pass {role}_col={column!r}." if column is not None else ""


@dataclass(frozen=True)
class ColumnMap:
    """The input column of each corpus role (:data:`ROLES`), as ``load_corpus`` takes them.

    ``None``: guessed by :func:`choose_columns` (ids are generated when no id column is
    found); ``False``: the role has no input column.
    """

    text: str | int | None = None
    id: str | int | None = None
    date: str | int | None = None
    outlet: str | int | None = None
    title: str | int | None = None

    def as_keywords(self) -> dict:
        """``{"text_col": …, "id_col": …, …}``: :func:`~analysis.corpus.load.load_corpus`'s keywords."""
        return {f"{role}_col": column for role, column in asdict(self).items()}
