"""The measures keep what they know per word beside the chunk vocabulary
(:class:`~analysis.text.vocabulary.ChunkVocabulary`): a :class:`CodedColumn` holds a
measure's value for each token row (a lexicon entry, a matcher's candidate patterns) or each chunk
(a :class:`~analysis.text.Preprocessor`'s tokens), made once when the row is new and gathered by a
document's token rows (:func:`token_codes`, :func:`slice_codes`, :func:`chunk_codes`) instead of one
dict look-up per token. The columns keep their rows when the vocabulary turns; an analysis made
before a turn, by :func:`~analysis.text.analysis.analyze`, or cut by
:func:`~analysis.text.spans.excerpt` (no chunks) reads nothing from them, and the measure looks
its words up as before.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from analysis.text.analysis import TextAnalysis
from analysis.text.vocabulary import VOCABULARY_LOCK, ChunkVocabulary, GrowingColumn

CODED_COLUMNS = 16  # coded columns kept per vocabulary


class Distinct(NamedTuple):
    """Values given by their distinct ones, as a measure's ``make`` may return them to
    :func:`coded_column` when few values repeat (no Python object per token):
    value ``i`` is ``values[codes[i]]``.

    >>> Distinct([0.0, 0.5], np.array([1, 0, 1])).expanded()
    [0.5, 0.0, 0.5]
    """

    values: list
    codes: np.ndarray

    def expanded(self) -> list:
        """The values one by one."""
        return list(map(self.values.__getitem__, self.codes.tolist()))


class CodedColumn:
    """A measure's value for each token row (or each chunk) of a :class:`ChunkVocabulary`, as codes
    into ``table``, its distinct values (equal values share a code): code 0 is ``table[0]``, any
    value that is false (no entry, no candidate pattern), so a text's tokens that have one are
    ``np.flatnonzero(codes)``."""

    __slots__ = ("owner", "codes", "table", "_index")

    def __init__(self, owner):
        self.owner, self.codes, self.table, self._index = owner, GrowingColumn(np.int32), [None], {}

    def extend(self, values, ids: np.ndarray | None = None) -> None:
        """Append the codes of ``values`` (a list, or :class:`Distinct`), one per row, or of
        ``values[ids[i]]`` for each row i."""
        if isinstance(values, Distinct):
            codes = np.asarray(self._codes(values.values), dtype=np.int32)[values.codes]
        else:
            codes = self._codes(values)
        self.codes.extend(codes if ids is None else np.asarray(codes, dtype=np.int32)[ids])

    def _codes(self, values) -> list[int]:
        index, table = self._index, self.table
        codes = []
        for value in values:
            if not value:
                table[0] = value
                codes.append(0)
                continue
            code = index.get(value)
            if code is None:
                code = index[value] = len(table)
                table.append(value)
            codes.append(code)
        return codes


def token_codes(analysis: TextAnalysis, name, owner, make) -> tuple[np.ndarray, list] | None:
    """``(codes, table)``: each token's value, ``table[codes[i]]``, read from the column ``name``
    of the chunk vocabulary that made ``analysis`` (see :func:`coded_column`), or
    None when ``analysis`` was not made by :func:`~analysis.text.many.analyze_many` or its
    vocabulary has turned since.
    ``make(tokens)`` gives the values of token rows new to the column (a
    :class:`~analysis.text.token_batch.TokenBatch`): each must depend on its word, kind and lemma
    only, as a measure's per-word cache would.

    >>> from analysis.text.many import analyze_many
    >>> made = analyze_many(["Kim droht, Kim schweigt."], langs=["de"])[0]
    >>> codes, table = token_codes(made, "capital", None, lambda tokens: [w[:1].isupper() for w in tokens.words])
    >>> codes.tolist(), [table[c] for c in codes.tolist()][:2]
    ([1, 0, 0, 1, 0, 0], [True, False])
    """
    return _gathered([analysis], name, owner, make, "token")


def slice_codes(analyses: list[TextAnalysis], name, owner, make) -> tuple[np.ndarray, list] | None:
    """:func:`token_codes` of several analyses at once: their tokens' codes in one array, in order,
    or None unless every one was made by the same chunk vocabulary since its last turn.

    >>> from analysis.text.many import analyze_many
    >>> made = analyze_many(["Kim droht.", "Kim schweigt."], langs=["de", "de"])
    >>> codes, table = slice_codes(made, "capital", None, lambda tokens: [w[:1].isupper() for w in tokens.words])
    >>> [table[c] for c in codes.tolist()]
    [True, False, False, True, False, False]
    """
    return _gathered(analyses, name, owner, make, "token")


def chunk_codes(analysis: TextAnalysis, name, owner, make) -> tuple[np.ndarray, list] | None:
    """:func:`token_codes` for each whitespace chunk of ``analysis`` (``text.split()``):
    ``make(chunks)`` gives the values of chunks (str) new to the column.

    >>> from analysis.text.many import analyze_many
    >>> made = analyze_many(["Kim droht, Kim schweigt."], langs=["de"])[0]
    >>> codes, table = chunk_codes(made, "commas", None, lambda chunks: [chunk.count(",") for chunk in chunks])
    >>> [table[c] for c in codes.tolist()]
    [0, 1, 0, 0]
    """
    return _gathered([analysis], name, owner, make, "chunk")


def _gathered(analyses: list[TextAnalysis], name, owner, make, per: str) -> tuple[np.ndarray, list] | None:
    """The column's codes for the tokens (``per="token"``) or chunks of ``analyses``, in order, or
    None unless every one was made by the same vocabulary since its last turn (and kept its chunks)."""
    held = [analysis.token_rows for analysis in analyses]
    if not held or any(rows is None for rows in held):
        return None
    vocabulary, at = held[0][0], 2 if per == "token" else 3
    with VOCABULARY_LOCK:
        if any(rows[0] is not vocabulary or rows[1] != vocabulary.turns or rows[at] is None for rows in held):
            return None
        column = coded_column(vocabulary, name, owner, make, per=per)
        picked = held[0][at] if len(held) == 1 else np.concatenate([rows[at] for rows in held])
        return column.codes.view()[picked], column.table


def coded_column(vocabulary: ChunkVocabulary, name, owner, make, *, per: str = "token") -> CodedColumn:
    """``vocabulary``'s column ``name`` of values per token row (``per="token"``) or per chunk
    (``per="chunk"``), kept for ``owner`` (the measure whose values they are: a lexicon, a
    matcher, a preprocessor's settings). ``make`` gives the values of rows it does not hold
    yet: ``make(tokens)`` of tokens, a :class:`~analysis.text.token_batch.TokenBatch` of the
    distinct tokens among them (its ``token_batch``), ``make(chunks)`` of chunks (a list of str);
    a list of values, or :class:`Distinct` values.
    At most :data:`CODED_COLUMNS` are kept (the oldest is dropped)."""
    key = (name, per)
    column = vocabulary.coded.get(key)
    if column is None or column.owner is not owner:
        if len(vocabulary.coded) >= CODED_COLUMNS:
            del vocabulary.coded[next(iter(vocabulary.coded))]
        column = vocabulary.coded[key] = CodedColumn(owner)
    done = column.codes.n
    if per == "token" and done < vocabulary.words.n:
        ids, tokens = vocabulary.token_batch(done, vocabulary.words.n)
        column.extend(make(tokens), ids)
    elif per == "chunk" and done < len(vocabulary):
        column.extend(make(vocabulary.strings[done:].to_pylist()))
    return column
