"""Synthetic news archives of any size, made from real German news sentences.

Used by ``benchmarks/scale.py``. Each article is 6–30 sentences drawn with replacement from
the bundled 10kGNAD articles and the seed article (real German text, so tokenising,
lemmatising and dictionary lookups do realistic work). Articles get one of five outlets and
a date between 2021 and 2023, some dates missing. Written as one Parquet file (an archive
export) in row groups, so no step needs it whole in memory.

Vocabulary (``--vocabulary``):

- ``bounded``: the sentences as they are. The number of word types stops growing at the
  source's ~55,000, which flatters every per-type cache compared with a real archive.
- ``heaps`` (default): the same articles, but in about 4 % of the word tokens one word of a
  sentence is replaced by a new form — a compound of two real nouns (``Grenzraketenabkommen``),
  a name made of syllables, a number or date, or a typo. The forms are drawn Zipf-like
  (exponent 1.5, 100,000 forms per rank), so new ones keep appearing and some recur, as
  in real news: the type count keeps growing like K·N^β (Heaps' law; β ≈ 0.6 fitted on
  10⁴–10⁷-token prefixes, against 0.36 for ``bounded``). Articles, outlets and dates are the
  same as in ``bounded`` for the same seed.

Run: ``python benchmarks/scale_corpus.py 10000 /tmp/archive-10k.parquet [--vocabulary bounded]``;
it prints how the archive was made, the word types at 10k/50k/100k/1M/10M-token prefixes and
the fitted β (a word: letters or digits, joined by ``- . , /``; case kept).
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from analysis.corpus import datasets  # noqa: E402
from analysis.text import split_sentences  # noqa: E402

OUTLETS = ["Nordkurier", "Rheinblatt", "Alpenpost", "Hansezeitung", "Elbe-Echo"]
START, DAYS = pd.Timestamp("2021-01-01", tz="UTC"), 3 * 365
NOVEL_SHARE, ZIPF_A, FORMS_PER_RANK = 0.04, 1.5, 100_000
SYLLABLES = ("ka ro mi sel ber tan go lu wen dra pos ki mar hel zu fri no bas te vik ol rin da"
             " schu gor len ty wal mo ek").split()
WORD = re.compile(r"\w+(?:[-.,/]\w+)*")  # keeps 1.234, 17.3.2024, Nord-Korea whole
SLOT = re.compile(r"(?<=\s)[A-ZÄÖÜ][a-zäöüß]{3,}\b")  # a capitalised word after the first
PREFIX_TOKENS = (10_000, 50_000, 100_000, 1_000_000, 10_000_000)


def source_sentences() -> list[str]:
    """Sentences of the bundled German news, in a fixed order."""
    texts = list(datasets.load_gnad10().corpus["text"]) + list(datasets.load_seed_article().corpus["text"])
    return [s for text in texts for s in split_sentences(text, lang="de") if len(s) > 20]


@dataclass
class Source:
    """The source sentences, each split around one replaceable word, and the words new forms are made of."""

    sentences: np.ndarray
    heads: np.ndarray
    tails: np.ndarray
    has_slot: np.ndarray
    nouns: list[str]
    words: list[str]
    slot_rate: float  # share of sentences that get a new form, so that NOVEL_SHARE of tokens are new


def load_source(random_state: int = 0) -> Source:
    rng = np.random.default_rng([random_state, 2])
    sentences = source_sentences()
    heads, tails, has_slot = [], [], []
    for sentence in sentences:
        slots = list(SLOT.finditer(sentence))
        slot = slots[rng.integers(len(slots))] if slots else None
        heads.append(sentence[:slot.start()] if slot else sentence)
        tails.append(sentence[slot.end():] if slot else "")
        has_slot.append(slot is not None)
    tokens = [w for s in sentences for w in WORD.findall(s)]
    nouns = sorted({w for w in tokens if w.isalpha() and w[0].isupper() and w[1:].islower() and 4 <= len(w) <= 14})
    words = sorted({w for w in tokens if w.isalpha() and len(w) >= 5})
    as_array = lambda values: np.asarray(values, dtype=object)  # noqa: E731
    rate = min(1.0, NOVEL_SHARE * len(tokens) / sum(has_slot))
    return Source(as_array(sentences), as_array(heads), as_array(tails), np.asarray(has_slot), nouns, words, rate)


def novel_word(index: int, source: Source) -> str:
    """The new form number ``index``: half compounds, a quarter names, numbers and dates, typos."""
    kind, j = index % 20, index // 20
    if kind < 10:
        nouns, j = source.nouns, j * 10 + kind
        return nouns[j % len(nouns)] + nouns[j // len(nouns) % len(nouns)].lower()
    if kind < 15:
        j = j * 5 + kind - 10
        parts = [SYLLABLES[j % len(SYLLABLES)]]
        while (j := j // len(SYLLABLES)) and len(parts) < 5:
            parts.append(SYLLABLES[j % len(SYLLABLES)])
        return "".join(parts).capitalize() + ("ow" if len(parts) == 1 else "")
    if kind == 15:
        return f"{j % 28 + 1}.{j // 28 % 12 + 1}.{1990 + j // 336 % 40}"
    if kind < 18:
        return f"{j:,}".replace(",", ".") if kind == 16 else f"{j // 10},{j % 10}"
    words, j = source.words, j * 2 + kind - 18
    word = words[j % len(words)]
    at = j // len(words) % (len(word) - 1)
    return word[:at] + word[at + 1] + word[at] + word[at + 2:]


def with_novel_words(picks: np.ndarray, source: Source, rng: np.random.Generator) -> np.ndarray:
    """The picked sentences, some with their replaceable word swapped for a new form."""
    out = source.sentences[picks]
    chosen = np.flatnonzero(source.has_slot[picks] & (rng.random(picks.size) < source.slot_rate))
    ranks = np.minimum(rng.zipf(ZIPF_A, chosen.size), 10**12) - 1
    unique, inverse = np.unique(ranks * FORMS_PER_RANK + rng.integers(0, FORMS_PER_RANK, chosen.size),
                                return_inverse=True)
    forms = np.asarray([novel_word(i, source) for i in unique.tolist()], dtype=object)
    out[chosen] = source.heads[picks[chosen]] + forms[inverse] + source.tails[picks[chosen]]
    return out


def write_archive(n_docs: int, path, *, vocabulary: str = "heaps", row_group: int = 50_000,
                  random_state: int = 0) -> Path:
    """Write ``n_docs`` articles to the Parquet file ``path``; returns the path."""
    if vocabulary not in ("heaps", "bounded"):
        raise ValueError(f"vocabulary must be 'heaps' or 'bounded', not {vocabulary!r}.")
    path = Path(path)
    source = load_source(random_state)
    rng, novel_rng = np.random.default_rng(random_state), np.random.default_rng([random_state, 1])
    writer = None
    for first in range(0, n_docs, row_group):
        size = min(row_group, n_docs - first)
        lengths = rng.integers(6, 31, size)
        picks = rng.integers(0, len(source.sentences), lengths.sum())
        sentences = with_novel_words(picks, source, novel_rng) if vocabulary == "heaps" else source.sentences[picks]
        bounds = np.concatenate([[0], np.cumsum(lengths)])
        texts = [" ".join(sentences[a:b]) for a, b in zip(bounds[:-1], bounds[1:])]
        published = pd.Series(START + pd.to_timedelta(rng.integers(0, DAYS, size), unit="D"))
        published = published.where(rng.random(size) > 0.02)  # 2 % undated, as in real exports
        frame = pd.DataFrame({"id": [f"a{first + i:07d}" for i in range(size)], "text": texts,
                              "outlet": np.asarray(OUTLETS, dtype=object)[rng.integers(0, len(OUTLETS), size)],
                              "date": published.dt.strftime("%Y-%m-%d"), "lang": "de"})
        table = pa.Table.from_pandas(frame, preserve_index=False)
        writer = writer or pq.ParquetWriter(path, table.schema)
        writer.write_table(table)
    writer.close()
    return path


def vocabulary_growth(path, sizes=PREFIX_TOKENS) -> pd.DataFrame:
    """Word types in the archive's first N word tokens, for each N in ``sizes`` the archive reaches."""
    seen, n_tokens, rows, sizes = set(), 0, [], list(sizes)
    for batch in pq.ParquetFile(path).iter_batches(batch_size=2_000, columns=["text"]):
        for text in batch.column(0).to_pylist():
            tokens = WORD.findall(text)
            while sizes and n_tokens + len(tokens) >= sizes[0]:
                seen.update(tokens[:sizes[0] - n_tokens])
                rows.append({"tokens": sizes[0], "types": len(seen)})
                sizes.pop(0)
            seen.update(tokens)
            n_tokens += len(tokens)
        if not sizes:
            break
    return pd.DataFrame(rows, columns=["tokens", "types"])


def heaps_beta(growth: pd.DataFrame) -> float:
    """β of types ≈ K·tokens^β, fitted on log–log scale (NaN with fewer than two sizes)."""
    if len(growth) < 2:
        return float("nan")
    return float(np.polyfit(np.log(growth["tokens"]), np.log(growth["types"]), 1)[0])


def describe(path, vocabulary: str) -> str:
    """How the archive was made, with its vocabulary growth and fitted β."""
    how = {"bounded": "sentences as they are (vocabulary bounded by the source: flatters per-type caches)",
           "heaps": f"{NOVEL_SHARE:.0%} of word tokens replaced by new compounds, names, numbers and typos, "
                    f"drawn Zipf-like (a={ZIPF_A}) so the vocabulary keeps growing"}[vocabulary]
    growth = vocabulary_growth(path)
    sizes = ", ".join(f"{t:,} tokens: {v:,} types" for t, v in growth.itertuples(index=False))
    return (f"Synthetic archive: real German news sentences (10kGNAD + seed article) resampled into articles "
            f"(6-30 sentences); vocabulary '{vocabulary}': {how}.\nHeaps fit: β = {heaps_beta(growth):.2f} "
            f"({sizes}).")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n_docs", type=int)
    parser.add_argument("out")
    parser.add_argument("--vocabulary", choices=["heaps", "bounded"], default="heaps")
    args = parser.parse_args()
    print(write_archive(args.n_docs, args.out, vocabulary=args.vocabulary))
    print(describe(args.out, args.vocabulary))
