"""Many documents analysed at once: their whitespace chunks found with Arrow, their columns gathered with numpy.

:func:`~analysis.text.analysis.analyze` reads a text chunk by chunk (``"Ukraine-Krieg:"``), each
looked up in a Python dict of the chunks it has met: a few hundred look-ups per article and a
join of their tokens, in Python. :func:`analyze_many` does the same for a slice of a corpus at
once: Arrow's compute kernels split every text at whitespace and find each chunk's number in the
process's :class:`~analysis.text.vocabulary.ChunkVocabulary` (C++ loops, no Python string made for
a known chunk); a chunk met for the first time is tokenised and lemmatised by the same function as
``analyze`` uses (:func:`~analysis.text.analysis.analyze_chunk`); each document's words, kinds and
lemmas are then gathered from the vocabulary's token columns with numpy, its offsets summed from the
tokens' lengths there, and its negation scopes walked only where a token's code says negator. The
analyses are equal to ``analyze``'s, column by column, and go into its cache, so the measures that
call ``analyze`` next find them made (:func:`analysis.scale.batch.run_steps_in_chunks` does this for
each slice of a large corpus), and read what they keep per word from the vocabulary's columns
(:mod:`analysis.text.vocabulary`). A measure that loops over a corpus in memory takes its analyses
from :func:`analyses`, which makes them a slice at a time the same way.

Whitespace is the same for both: Arrow's ``utf8_split_whitespace`` and ``str.split`` split at
the same code points (every one was compared). A text longer than :data:`LONG_TEXT` characters
is left to ``analyze``, which reads it piece by piece.

>>> texts = ["Kim schickt Soldaten.", "Die Soldaten kämpfen nicht.", ""]
>>> made = analyze_many(texts, langs=["de", "de", "de"])
>>> [a.lemmas for a in made][:2]
[('Kim', 'schicken', 'Soldat', '.'), ('der', 'Soldat', 'kämpfen', 'nicht', '.')]
>>> made[1] is analyze("Die Soldaten kämpfen nicht.", lang="de")  # in analyze's cache
True
"""

from __future__ import annotations

from typing import Iterable, Iterator

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from analysis.text.analysis import TextAnalysis, analyze, keep, kept, offset_array
from analysis.text.language import check_lang
from analysis.text.lemmatize import check_lemmatizer
from analysis.text.negation import NEGATOR, scope_of_codes
from analysis.text.vocabulary import VOCABULARY_LOCK, chunk_vocabulary, expand_rows

LONG_TEXT = 1 << 20  # characters: a longer text is analysed by analyze, piece by piece
SLICE = 1000  # texts analysed together by analyses() (well inside analyze's cache)


def analyze_many(texts, *, langs, lemmatizer: str = "simplemma") -> list[TextAnalysis]:
    """The analysis of each of ``texts`` (strings) in its language ``langs[i]``, equal to
    ``analyze(texts[i], lang=langs[i], lemmatizer=lemmatizer)`` and kept in its cache."""
    texts, langs = _as_list(texts), _as_list(langs)
    if len(langs) != len(texts):
        raise ValueError(f"langs has {len(langs)} values for {len(texts)} texts; pass one language per text.")
    lemmatizer = check_lemmatizer(lemmatizer)
    made: list[TextAnalysis | None] = [None] * len(texts)
    groups: dict[str, list[int]] = {}
    for i, (text, lang) in enumerate(zip(texts, langs)):
        if not isinstance(text, str):
            raise TypeError(f"text {i} is a {type(text).__name__}, not a str; drop or fill missing texts first.")
        if len(text) > LONG_TEXT:
            made[i] = analyze(text, lang=lang, lemmatizer=lemmatizer)
        else:
            groups.setdefault(check_lang(lang), []).append(i)
    for lang, at in groups.items():
        with VOCABULARY_LOCK:
            group = _analyze_group([texts[i] for i in at], lang, lemmatizer)
        for i, analysis in zip(at, group):
            made[i] = keep(analysis)
    return made


def analyses(texts: Iterable, langs: Iterable, *, lemmatizer: str = "simplemma") -> Iterator[TextAnalysis]:
    """Each text's analysis, in order, as :func:`analyze` gives it; those not kept yet are made
    :data:`SLICE` texts at a time by :func:`analyze_many`, so that a measure looping over a corpus
    reads its words' values from their chunk vocabulary. A text that is not a str raises
    :func:`analyze`'s error when its turn comes.

    >>> [a.lemmas[1] for a in analyses(["Kim schickt Soldaten.", "Truppen kämpfen."], ["de", "de"])]
    ['schicken', 'kämpfen']
    """
    texts, langs = _as_list(texts), _as_list(langs)
    if len(langs) != len(texts):
        raise ValueError(f"langs has {len(langs)} values for {len(texts)} texts; pass one language per text.")
    return _analyses(texts, langs, lemmatizer)


def _as_list(values) -> list:
    """``values`` as a list: a Series or an array through ``tolist`` (its Arrow strings are not read one by one)."""
    return values.tolist() if hasattr(values, "tolist") else list(values)


def _analyses(texts: list, langs: list, lemmatizer: str) -> Iterator[TextAnalysis]:
    for start in range(0, len(texts), SLICE):
        part = range(start, min(start + SLICE, len(texts)))
        new = list(dict.fromkeys((texts[i], langs[i]) for i in part if isinstance(texts[i], str)
                                 and kept(texts[i], lang=langs[i], lemmatizer=lemmatizer) is None))
        if len(new) > 1:  # one text costs less through analyze
            analyze_many([text for text, _ in new], langs=[lang for _, lang in new], lemmatizer=lemmatizer)
        for i in part:
            yield analyze(texts[i], lang=langs[i], lemmatizer=lemmatizer)


def _analyze_group(texts: list[str], lang: str, lemmatizer: str) -> list[TextAnalysis]:
    vocabulary = chunk_vocabulary(lang, lemmatizer)
    split = pc.utf8_split_whitespace(pa.array(texts, type=pa.large_string()))
    chunks = split.flatten()
    nonempty = pc.not_equal(pc.binary_length(chunks), 0)  # Arrow keeps an empty chunk at either end of a text
    kept = np.concatenate(([0], np.cumsum(nonempty.to_numpy(zero_copy_only=False))))
    doc_chunks = kept[split.offsets.to_numpy()]  # each text's chunks: doc_chunks[i] … doc_chunks[i + 1]
    numbers = vocabulary.numbers(chunks.filter(nonempty))
    counts = vocabulary.count.view()[numbers]
    rows = expand_rows(vocabulary.first.view()[numbers], counts)
    doc_tokens = np.concatenate(([0], np.cumsum(counts)))[doc_chunks]
    n_words = np.concatenate(([0], np.cumsum(vocabulary.n_words.view()[numbers])))[doc_chunks].tolist()
    n_word_tokens = np.concatenate(([0], np.cumsum(vocabulary.word_kind.view()[rows])))[doc_tokens].tolist()
    words, kinds, lemmas = (column.view()[rows] for column in (vocabulary.words, vocabulary.kinds, vocabulary.lemmas))
    records = vocabulary.records.view()[numbers]
    starts, ends, spaced = _offsets(texts, vocabulary.lengths.view()[rows], counts, doc_chunks, doc_tokens)
    codes = vocabulary.codes.view()[rows]
    negators = np.zeros(len(texts), dtype=bool)
    negators[np.searchsorted(doc_tokens, np.flatnonzero(codes == NEGATOR), side="right") - 1] = True
    doc_chunks, doc_tokens, negators = doc_chunks.tolist(), doc_tokens.tolist(), negators.tolist()
    rows, chunk_numbers = rows.astype(np.int32), numbers.astype(np.int32)  # 4 bytes per token kept with each analysis
    made = []
    for i, text in enumerate(texts):
        a, b = doc_tokens[i], doc_tokens[i + 1]
        made.append(TextAnalysis(
            text, lang, tuple(words[a:b].tolist()), tuple(kinds[a:b].tolist()), tuple(lemmas[a:b].tolist()),
            lemmatizer, n_words=n_words[i + 1] - n_words[i], n_word_tokens=n_word_tokens[i + 1] - n_word_tokens[i],
            negated=tuple(scope_of_codes(codes[a:b].tolist())) if negators[i] else (False,) * (b - a),
            **({"chunks": records[doc_chunks[i]:doc_chunks[i + 1]].tolist()} if spaced[i] else
               {"starts": offset_array(starts[a:b]), "ends": offset_array(ends[a:b])})))
        made[-1].token_rows = (vocabulary, vocabulary.turns, rows[a:b],
                               chunk_numbers[doc_chunks[i]:doc_chunks[i + 1]])
    return made


def _offsets(texts, lengths, counts, doc_chunks, doc_tokens) -> tuple[np.ndarray, np.ndarray, list[bool]]:
    """Each token's start and end offset in its text where the text's chunks are one whitespace
    character apart (most are), as :meth:`TextAnalysis._offsets` finds them; ``spaced``: the texts
    with other whitespace, whose offsets their analysis finds from the text when asked."""
    gaps = np.zeros(len(lengths), dtype=np.int64)
    gaps[np.cumsum(counts) - counts] = 1  # one character before each chunk's first token …
    gaps[doc_tokens[:-1][doc_tokens[:-1] < len(gaps)]] = 0  # … but a text's first
    reach = np.cumsum(lengths + gaps)
    ends = reach - np.repeat(np.concatenate(([0], reach))[doc_tokens[:-1]], np.diff(doc_tokens))
    letters = np.concatenate(([0], np.cumsum(lengths)))[doc_tokens]
    one_apart = (np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)) - np.diff(letters)
                 == np.diff(doc_chunks) - 1)
    spaced = [not apart or text[:1].isspace() for apart, text in zip(one_apart.tolist(), texts)]
    return ends - lengths, ends, spaced
