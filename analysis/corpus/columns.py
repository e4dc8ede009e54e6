"""Which input column holds the text, id, date, outlet…: common names in German and English.

Used to suggest the right argument when a column is missing, and by ``analysis report``
to guess the mapping of a researcher's own file.

>>> guess_columns(["Titel", "Inhalt", "Datum", "Quelle"])
{'text': 'Inhalt', 'date': 'Datum', 'outlet': 'Quelle', 'title': 'Titel'}
>>> ColumnMap(text="Inhalt", date="Datum").as_keywords()
{'text_col': 'Inhalt', 'id_col': None, 'date_col': 'Datum', 'outlet_col': None, 'title_col': None}
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

ROLES = ("text", "id", "date", "outlet", "title")  # the roles a user maps onto input columns

# Corpus-frame role -> common input names, most specific first (compared case-insensitively).
COMMON_NAMES: dict[str, tuple[str, ...]] = {
    "text": ("text", "body", "content", "inhalt", "artikel", "article", "fulltext",
             "full_text", "volltext", "story", "opinion_snippet", "snippet", "abstract"),
    "id": ("doc_id", "id", "article_id", "uuid", "guid", "link", "url"),
    "date": ("published", "date", "datum", "veröffentlicht", "veroeffentlicht",
             "publication_date", "pubdate", "created_at", "timestamp", "time", "zeit"),
    "outlet": ("outlet", "source", "quelle", "medium", "publisher", "newspaper",
               "zeitung", "site", "domain"),
    "lang": ("lang", "language", "sprache"),
    "title": ("title", "titel", "headline", "überschrift", "ueberschrift", "heading"),
}


def guess_columns(columns) -> dict[str, str]:
    """Map each corpus role to the first input column with a common name for it.

    A column is used for one role only; ``url``/``link`` serve as id only when no
    better id column exists.
    """
    by_lower = {str(c).strip().lower(): c for c in columns}
    found: dict[str, str] = {}
    used: set = set()
    for role, names in COMMON_NAMES.items():
        for name in names:
            column = by_lower.get(name)
            if column is not None and column not in used:
                found[role] = column
                used.add(column)
                break
    return found


def suggest(role: str, columns) -> str:
    """A hint such as ``" Pass text_col='inhalt'."`` or ``""`` when nothing fits."""
    column = guess_columns(columns).get(role)
    return f" Pass {role}_col={column!r}." if column is not None else ""


@dataclass(frozen=True)
class ColumnMap:
    """The input column of each corpus role (:data:`ROLES`), as ``load_corpus`` takes them.

    ``None`` for ``id``/``date``/``outlet``/``title``: the standard column (``doc_id``,
    ``published``, ``outlet``, ``title``) when the input has it; else ids are generated
    and the other roles stay empty.
    """

    text: str | int = "text"
    id: str | int | None = None
    date: str | int | None = None
    outlet: str | int | None = None
    title: str | int | None = None

    def as_keywords(self) -> dict:
        """``{"text_col": …, "id_col": …, …}``: :func:`~analysis.corpus.load.load_corpus`'s keywords."""
        return {f"{role}_col": column for role, column in asdict(self).items()}
