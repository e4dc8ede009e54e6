"""Term counts per group, accumulated chunk by chunk, and the top terms (lemmas) of each group.

:class:`TermCounts` sums the terms of one chunk after another (or of chunks counted in worker
processes, merged with :meth:`TermCounts.update`), so a corpus larger than memory is counted in
one streaming pass; :func:`count_terms` does so for corpus frames, :func:`top_terms` reads the
most frequent terms of each group.

>>> import pandas as pd
>>> corpus = pd.DataFrame({"doc_id": ["a", "b", "c"], "outlet": ["taz", "taz", "Zeit"], "lang": "de",
...     "text": ["Soldaten kämpfen.", "Die Soldaten fliehen.", "Diplomaten verhandeln."]})
>>> top_terms(corpus, by="outlet", n=1)[["outlet", "term", "count"]].values.tolist()
[['Zeit', 'diplomat', 1], ['taz', 'soldat', 2]]
"""

from __future__ import annotations

from itertools import chain

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from scipy import sparse

from analysis.corpus.schema import require_columns
from analysis.explore.describe import as_labels, group_labels
from analysis.progress import progress_bar
from analysis.text.preprocessor import corpus_preprocessor, corpus_tokens

MERGE_SLACK = 1_000_000  # entries a TermCounts keeps pending beyond its merged ones before it merges
TOP_TERMS_COLUMNS = ("rank", "term", "count", "share", "doc_share")  # after the group column


def string_order(strings: np.ndarray) -> np.ndarray:
    """The indices that sort an object array of distinct strings as Python sorts them (by code
    point), by Arrow's sort of their UTF-8 bytes, which orders alike: 1.6 s for 1.9 million terms,
    where numpy's takes 3.8 s. numpy's when a string cannot be encoded (a lone surrogate).

    >>> string_order(np.array(["zoll", "Ärger", "abend", "Zoll", "ärger", "🙂"], dtype=object)).tolist()
    [3, 2, 0, 1, 4, 5]
    """
    try:
        return pc.sort_indices(pa.array(strings, type=pa.large_string())).to_numpy()
    except (pa.ArrowException, UnicodeEncodeError):
        return np.argsort(strings, kind="stable")


def count_tokens(tokens) -> tuple[np.ndarray, sparse.csr_matrix]:
    """``(terms, counts)`` of token lists: the distinct terms in order of first use and a documents ×
    terms CSR matrix (int32) of their counts, one row per list.

    >>> terms, counts = count_tokens([["krieg", "soldat", "krieg"], [], ["frieden"]])
    >>> terms.tolist(), counts.toarray().tolist()
    (['krieg', 'soldat', 'frieden'], [[2, 1, 0], [0, 0, 0], [0, 0, 1]])
    """
    tokens = tokens if isinstance(tokens, list) else list(tokens)
    lengths = np.fromiter(map(len, tokens), dtype=np.int64, count=len(tokens))
    # one hash table in C over all the tokens (a dict lookup per token in Python costs ~4 × as much)
    columns, terms = pd.factorize(np.fromiter(chain.from_iterable(tokens), dtype=object, count=int(lengths.sum())))
    return np.asarray(terms, dtype=object), token_matrix(columns, lengths, len(terms))


def token_matrix(columns: np.ndarray, lengths: np.ndarray, n_terms: int) -> sparse.csr_matrix:
    """The documents × terms CSR matrix (int32) of :func:`count_tokens`: ``columns``, each token's
    term in document order; ``lengths``, each document's number of tokens.

    >>> token_matrix(np.array([0, 1, 0, 2]), np.array([3, 0, 1]), 3).toarray().tolist()
    [[2, 1, 0], [0, 0, 0], [0, 0, 1]]
    """
    indptr = np.concatenate([[0], np.cumsum(lengths, dtype=np.int64)])
    counts = sparse.csr_matrix((np.ones(len(columns), dtype=np.int32), columns, indptr), shape=(len(lengths), n_terms))
    counts.sum_duplicates()
    return counts


class TermCounts:
    """Term counts per group, accumulated chunk by chunk (sums, so the order of chunks does not matter).

    :meth:`add` takes one chunk's tokens and group labels; memory grows with the
    vocabulary × groups, not with the documents. ``by`` names the grouping column (for
    tables and messages). Read the sums from ``groups`` (sorted labels), ``terms`` (sorted
    vocabulary, as ``CountVectorizer.get_feature_names_out``), ``counts`` and
    ``doc_counts`` (``len(groups) × len(terms)`` CSR matrices: occurrences of each term
    in the group, and how many of the group's documents contain it) and ``n_docs``
    (documents per group, those without any term included).

    >>> counts = TermCounts(by="outlet")
    >>> counts.add([["krieg", "soldat", "krieg"], []], ["taz", "taz"])
    >>> counts.add([["soldat"]], [None])
    >>> counts.groups, counts.terms.tolist(), counts.n_docs.tolist()
    (['(none)', 'taz'], ['krieg', 'soldat'], [1, 2])
    >>> counts.counts.toarray().tolist(), counts.doc_counts.toarray().tolist()
    ([[0, 1], [2, 1]], [[0, 1], [1, 1]])
    """

    def __init__(self, *, by: str | None = None):
        self.by = by
        # term -> column, in order of first appearance; None once sorted (the columns are then ``_terms``)
        self._term_ids: dict[str, int] | None = {}
        self._terms: np.ndarray | None = None
        self._group_ids: dict[str, int] = {}
        self._n_docs = np.zeros(0, dtype=np.int64)
        self._parts: list[tuple[np.ndarray, ...]] = []  # (group, term, count, doc count) entries to merge
        self._merged: tuple[sparse.csr_matrix, sparse.csr_matrix] | None = None
        self._sorted = False  # whether groups, terms and matrices are in the properties' sorted order

    def add(self, tokens: list[list[str]], groups) -> None:
        """Count one chunk: ``tokens`` has one list per document, ``groups`` one label per
        document (missing labels become ``"(none)"``, others strings, as :func:`top_terms` does)."""
        if len(groups) != len(tokens):
            raise ValueError(f"{len(tokens)} token lists but {len(groups)} group labels; pass one label per document.")
        self.add_counts(*count_tokens(tokens), groups)

    def add_counts(self, terms, counts: sparse.csr_matrix, groups) -> None:
        """Count one chunk counted already: ``counts`` (documents × ``terms``, e.g. the pair of
        :func:`count_tokens`) and one group label per document, as :meth:`add`.
        Terms without a count in these documents are not added.

        >>> a, b = TermCounts(by="outlet"), TermCounts(by="outlet")
        >>> a.add([["krieg", "soldat", "krieg"], []], ["taz", "Zeit"])
        >>> b.add_counts(["krieg", "soldat", "frieden"], sparse.csr_matrix([[2, 1, 0], [0, 0, 0]]), ["taz", "Zeit"])
        >>> b.terms.tolist() == a.terms.tolist() and (b.counts != a.counts).nnz == 0 and b.n_docs.tolist() == a.n_docs.tolist()
        True
        """
        labels = as_labels(pd.Series(np.asarray(groups, dtype=object), dtype=object))
        if len(labels) != counts.shape[0]:
            raise ValueError(f"{counts.shape[0]} documents counted but {len(labels)} group labels; pass one label per "
                             "document.")
        codes, present = pd.factorize(labels)
        group_ids = np.array([self._group_ids.setdefault(g, len(self._group_ids)) for g in present], dtype=np.int64)
        self._n_docs = np.pad(self._n_docs, (0, len(self._group_ids) - len(self._n_docs)))
        self._n_docs[group_ids] += np.bincount(codes, minlength=len(present))
        self._sorted = False
        docs = sparse.csr_matrix(counts, dtype=np.int64, copy=True)
        docs.eliminate_zeros()
        if not docs.nnz:
            return
        term_index = self._term_index()
        used = np.flatnonzero(np.bincount(docs.indices, minlength=len(terms)))  # in the order of the terms
        term_ids = np.full(len(terms), -1, dtype=np.int64)
        term_ids[used] = [term_index.setdefault(t, len(term_index)) for t in np.asarray(terms, dtype=object)[used].tolist()]
        # documents × chunk terms, summed over each group's documents
        member = sparse.csr_matrix((np.ones(len(codes), dtype=np.int64), (codes, np.arange(len(codes)))),
                                   shape=(len(present), len(codes)))
        count = (member @ docs).tocsr()
        docs.data[:] = 1
        doc_count = (member @ docs).tocsr()  # same sparsity as count: a term is present iff counted
        count.sort_indices()
        doc_count.sort_indices()
        rows = np.repeat(group_ids, np.diff(count.indptr))
        self._pend(rows, term_ids[count.indices], count.data, doc_count.data)

    def update(self, other: "TermCounts") -> None:
        """Add the counts of ``other`` (e.g. a chunk counted in a worker process) to these.

        >>> a, b = TermCounts(by="outlet"), TermCounts(by="outlet")
        >>> a.add([["krieg"]], ["taz"]); b.add([["frieden", "krieg"], []], ["Zeit", "taz"])
        >>> a.update(b)
        >>> a.groups, a.counts.toarray().tolist(), a.n_docs.tolist()
        (['Zeit', 'taz'], [[1, 1], [0, 1]], [1, 2])
        """
        other._merge()
        term_index = self._term_index()
        group_ids = np.array([self._group_ids.setdefault(g, len(self._group_ids)) for g in other._group_ids],
                             dtype=np.int64)
        term_ids = np.array([term_index.setdefault(t, len(term_index)) for t in other._columns()], dtype=np.int64)
        self._n_docs = np.pad(self._n_docs, (0, len(self._group_ids) - len(self._n_docs)))
        self._n_docs[group_ids] += other._n_docs
        self._sorted = False
        rows, cols, count, doc_count = _entries(*other._merged)
        if len(rows):
            self._pend(group_ids[rows], term_ids[cols], count, doc_count)

    def compact(self) -> "TermCounts":
        """Merge and sort the counts now, as reading any property does: the vocabulary is then held as
        a sorted array, not a ``term -> column`` dict (two counts of 6 million terms: 0.9 GB instead of
        1.8 GB, ``benchmarks/term_counts.py``). Adding later rebuilds the dict. Returns the counts.

        >>> counts = TermCounts(by="outlet")
        >>> counts.add([["krieg", "soldat", "krieg"]], ["taz"])
        >>> counts.compact().terms.tolist()
        ['krieg', 'soldat']
        """
        self._view()
        return self

    def document_frequencies(self) -> pd.Series:
        """Documents containing each term over all groups (index: the sorted terms; each document is in
        one group).

        >>> counts = TermCounts(by="outlet")
        >>> counts.add([["krieg", "krieg"], ["krieg", "soldat"], []], ["taz", "Zeit", "taz"])
        >>> counts.document_frequencies().to_dict()
        {'krieg': 2, 'soldat': 1}
        """
        return pd.Series(np.asarray(self.doc_counts.sum(axis=0)).ravel(), index=pd.Index(self.terms, dtype=object))

    def _term_index(self) -> dict[str, int]:
        """``term -> column``, rebuilt from the sorted terms when counting goes on after a read."""
        if self._term_ids is None:
            self._term_ids, self._terms = {term: i for i, term in enumerate(self._terms)}, None
        return self._term_ids

    def _columns(self):
        """The terms in column order."""
        return self._terms if self._term_ids is None else self._term_ids.keys()

    def _merged_size(self) -> int:
        return 0 if self._merged is None else self._merged[0].nnz

    def _pend(self, rows, cols, count, doc_count) -> None:
        """Keep one chunk's (group, term, count, doc count) entries to merge; merge once they outnumber
        the merged entries plus :data:`MERGE_SLACK`: amortised, and a merge holds ~3 × the merged entries
        at most (merging at twice the merged ones peaked 0.4 GB higher adding up the 200 parts of a
        1M-article report's pass, 5 million entries)."""
        self._parts.append((rows.astype(np.int32), cols.astype(np.int32), count, doc_count))
        if sum(len(part[0]) for part in self._parts) > self._merged_size() + MERGE_SLACK:
            self._merge()

    def _merge(self) -> None:
        """Sum the pending entries into the merged matrices (counts and doc counts share their sparsity:
        a term is in a group's documents iff it is counted there)."""
        shape = (len(self._group_ids), len(self._columns()))
        parts, self._parts = self._parts, []
        if self._merged is not None:
            parts.append(_entries(*self._merged))
            self._merged = None
        rows, cols, count, doc_count = (np.concatenate([part[i] for part in parts]) if parts
                                        else np.zeros(0, dtype=np.int32 if i < 2 else np.int64) for i in range(4))
        del parts
        # coo -> csr sums duplicates; the same (row, col)s give both matrices the same sparsity
        self._merged = tuple(sparse.coo_matrix((data, (rows, cols)), shape=shape).tocsr()
                             for data in (count, doc_count))

    def _view(self):
        """Groups and terms sorted, the matrices reordered to match: kept so until the next add, with
        the terms as an array instead of the term -> column dict (see :meth:`compact`)."""
        if not self._sorted:
            self._merge()
            groups = np.array(list(self._group_ids), dtype=object)
            terms = np.fromiter(self._columns(), dtype=object, count=len(self._columns()))
            group_order, term_order = np.argsort(groups, kind="stable"), string_order(terms)
            self._merged = tuple(m[group_order][:, term_order].tocsr() for m in self._merged)
            for m in self._merged:
                m.sort_indices()
            self._group_ids = {group: i for i, group in enumerate(groups[group_order])}
            self._n_docs = self._n_docs[group_order]
            self._term_ids, self._terms = None, terms[term_order]
            self._sorted = True
        return list(self._group_ids), self._terms, *self._merged, self._n_docs

    @property
    def groups(self) -> list[str]:
        return self._view()[0]

    @property
    def terms(self) -> np.ndarray:
        return self._view()[1]

    @property
    def counts(self) -> sparse.csr_matrix:
        return self._view()[2]

    @property
    def doc_counts(self) -> sparse.csr_matrix:
        return self._view()[3]

    @property
    def n_docs(self) -> np.ndarray:
        return self._view()[4]


def count_terms(chunks, *, by: str | None = "outlet", preprocessor=None) -> TermCounts:
    """Term counts per group of a corpus frame, or of an iterable of corpus-frame chunks.

    Groups are the values of ``by`` as strings (``"(none)"`` where missing; one group
    ``"all"`` when ``by`` is None). ``preprocessor`` (a :class:`Preprocessor` or any
    ``str -> list[str]`` callable) defaults to :func:`~analysis.text.preprocessor.corpus_preprocessor`:
    the corpus's one language, or each document in its own (``lang="auto"``) for a mixed corpus
    or chunks (whose later parts may be in another language).
    Counting chunks gives exactly the counts of their concatenation. For
    :func:`~analysis.corpus.stream.iter_corpus`, pass ``(load.corpus for load in iter_corpus(...))``.

    >>> corpus = pd.DataFrame({"doc_id": ["a", "b", "c"], "outlet": ["taz", "taz", "Zeit"], "lang": "de",
    ...     "text": ["Soldaten kämpfen.", "Die Soldaten fliehen.", "Diplomaten verhandeln."]})
    >>> counts = count_terms([corpus[:2], corpus[2:]], by="outlet")
    >>> counts.groups, counts.terms.tolist(), counts.counts.toarray().tolist()
    (['Zeit', 'taz'], ['diplomat', 'fliehen', 'kämpfen', 'soldat', 'verhandeln'], [[1, 0, 0, 0, 1], [0, 1, 1, 2, 0]])
    """
    one_frame = isinstance(chunks, pd.DataFrame)
    frames = [chunks] if one_frame else progress_bar(chunks, desc="counting terms", unit="chunk")
    counts = TermCounts(by=by)
    for chunk in frames:
        if not isinstance(chunk, pd.DataFrame):
            raise TypeError(f"count_terms takes a corpus frame or corpus-frame chunks, not {type(chunk).__name__}; "
                            "for iter_corpus pass (load.corpus for load in iter_corpus(...)).")
        require_columns(chunk, "text", by)
        preprocessor = preprocessor or corpus_preprocessor(chunk if one_frame else None)
        counts.add(corpus_tokens(preprocessor, chunk, progress=None if one_frame else False),
                   group_labels(chunk, by))
    return counts


def top_terms_from_counts(counts: TermCounts, *, by: str | None = None, n: int = 15) -> pd.DataFrame:
    """The ``n`` most frequent terms of each group of ``counts``, as :func:`top_terms` gives them.

    ``by`` names the group column (default ``counts.by``, else ``"group"``).

    >>> counts = TermCounts(by="outlet")
    >>> counts.add([["krieg", "soldat", "krieg"], ["soldat"]], ["taz", "taz"])
    >>> top_terms_from_counts(counts, n=1).values.tolist()
    [['taz', 1, 'krieg', 2, 0.5, 0.5]]
    """
    matrix, docs, n_docs = counts.counts, counts.doc_counts, counts.n_docs
    columns = {by or counts.by or "group": [], **{name: [] for name in TOP_TERMS_COLUMNS}}
    parts = []
    for g, group in enumerate(counts.groups):
        row = slice(matrix.indptr[g], matrix.indptr[g + 1])
        values = matrix.data[row]  # columns in alphabetical order, so a stable sort breaks ties alphabetically
        order = np.argsort(-values, kind="stable")[:n]
        parts.append((np.full(len(order), group, dtype=object), np.arange(1, len(order) + 1),
                      counts.terms[matrix.indices[row][order]], values[order], values[order] / values.sum(),
                      docs.data[row][order] / n_docs[g]))
    if not parts:
        return pd.DataFrame(columns)
    return pd.DataFrame({name: np.concatenate([part[i] for part in parts]) for i, name in enumerate(columns)})


def top_terms(corpus: pd.DataFrame, *, by: str | None = "outlet", n: int = 15, preprocessor=None) -> pd.DataFrame:
    """The ``n`` most frequent terms (lemmas by default) of each group.

    One row per group × rank. Columns: ``<by>``, ``rank`` (1 = most frequent), ``term``,
    ``count``, ``share`` (of the group's terms), ``doc_share`` (share of the group's
    documents containing the term). Ties are broken alphabetically. A group without any
    term has no rows. For a corpus in chunks: :func:`count_terms`, then
    :func:`top_terms_from_counts`.
    """
    return top_terms_from_counts(count_terms(corpus, by=by, preprocessor=preprocessor), by=by, n=n)


def _entries(counts: sparse.csr_matrix, doc_counts: sparse.csr_matrix) -> tuple[np.ndarray, ...]:
    """``(rows, cols, counts, doc counts)`` of a pair of count matrices with the same sparsity
    (int32 rows and columns, one set for both)."""
    rows = np.repeat(np.arange(counts.shape[0], dtype=np.int32), np.diff(counts.indptr))
    return rows, counts.indices.astype(np.int32, copy=False), counts.data, doc_counts.data
