"""The report's duplicates and boilerplate: found once after loading, shown in one section.

- Exact duplicate texts are rejected while loading (``duplicate text of <doc_id>``, among the
  rejected rows of the load report).
- Boilerplate (:func:`~analysis.corpus.boilerplate.find_boilerplate`: lines and sentences that
  recur across documents, digits and dates masked) is found by :func:`report_boilerplate` and
  removed before every analysis: from the in-memory corpus at once (:func:`cleaned_input`),
  from a large corpus's partitions as they are streamed (``ReportContext.chunks``). For a large
  corpus it is found in a sample of partitions (:func:`sample_texts`). ``--keep-boilerplate``
  (``keep_boilerplate=True``) keeps it.
- Near-duplicates (agency copies, :func:`~analysis.corpus.dedupe.dedupe`) are listed, not removed,
  compared on the cleaned texts (of the same sample, for a large corpus).

>>> import pandas as pd
>>> from analysis.corpus.boilerplate import BOILERPLATE_COLUMNS
>>> corpus = pd.DataFrame({"doc_id": ["a"], "text": ["Kyjiw meldet Angriffe.\\nKommentar abgeben"]})
>>> table = pd.DataFrame([["Kommentar abgeben", 9, 0.5, "a", "kommentar abgeben"]], columns=list(BOILERPLATE_COLUMNS))
>>> without_boilerplate(corpus, table)["text"].tolist()
['Kyjiw meldet Angriffe.']
"""

from __future__ import annotations

import math

import pandas as pd

from analysis.corpus.boilerplate import (MIN_DOCS, MIN_SHARE, STORY_SIMILARITY, find_and_remove_boilerplate,
                                         find_boilerplate, remove_boilerplate)
from analysis.corpus.dedupe import dedupe
from analysis.report.writer import Section, h3, p

SAMPLE_DOCS = 20_000  # documents of a large corpus searched for boilerplate and near-duplicates
NEAR_DUPLICATE_SIMILARITY = 0.8


def report_boilerplate(read, *, keep: bool) -> pd.DataFrame | None:
    """The boilerplate table of the report's input (``read``: a ``ReportInput``), or ``None`` when kept."""
    if keep:
        return None
    if read.dataset is None:
        return find_boilerplate(read.corpus)
    return find_boilerplate(sample_texts(read.dataset)[0])


def cleaned_input(read, *, keep: bool) -> tuple[pd.DataFrame | None, pd.DataFrame]:
    """:func:`report_boilerplate` and the in-memory corpus of ``read`` without it (``read.corpus``
    when kept); an in-memory corpus is split into units once for both."""
    if keep:
        return None, read.corpus
    if read.dataset is None:
        return find_and_remove_boilerplate(read.corpus)
    boilerplate = report_boilerplate(read, keep=False)
    return boilerplate, without_boilerplate(read.corpus, boilerplate)


def without_boilerplate(corpus: pd.DataFrame, boilerplate: pd.DataFrame | None) -> pd.DataFrame:
    """``corpus`` with the boilerplate removed from its texts (unchanged when ``boilerplate`` is None,
    or when the corpus holds no texts: a large corpus's metadata)."""
    if boilerplate is None or "text" not in corpus:
        return corpus
    return remove_boilerplate(corpus, boilerplate)


def sample_texts(dataset) -> tuple[pd.DataFrame, int]:
    """Documents of evenly spaced partitions of a large corpus, at least :data:`SAMPLE_DOCS` of them
    when there are that many (all partitions of a smaller one), and the number of partitions read."""
    partitions = dataset.partitions
    rows = max(dataset.n_kept / max(len(partitions), 1), 1)
    wanted = min(len(partitions), math.ceil(SAMPLE_DOCS / rows))
    step = len(partitions) / max(wanted, 1)
    chosen = sorted({partitions[int(i * step)] for i in range(wanted)})
    frames = [pd.read_parquet(part, columns=["doc_id", "text", "published", "lang"]) for part in chosen]
    sample = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["doc_id", "text", "published", "lang"])
    return sample, len(chosen)


def duplicates_and_boilerplate(ctx) -> Section:
    """Exact duplicates rejected, boilerplate removed (``tables/boilerplate.csv``), near-duplicates listed."""
    section = Section("duplicates", "Duplicates and boilerplate")
    n_exact = int((ctx.load.rejected["reason"] == "duplicate text").sum())
    section.add(p(f"{n_exact:,} document(s) rejected as exact duplicates of an earlier text (case and spacing "
                  "ignored); they are listed among the rejected rows of the load report."))
    texts, scope = _texts(ctx)
    section.add(h3("Boilerplate removed before analysis"), *_boilerplate_parts(ctx, len(texts), scope))
    groups = dedupe(texts, threshold=NEAR_DUPLICATE_SIMILARITY).groups
    found = (f"{groups['group'].nunique():,} group(s) of near-duplicates ({len(groups):,} documents)" if len(groups)
             else "No near-duplicates")
    section.add(h3("Near-duplicates (kept)"), p(
        f"{found}{scope}: texts whose word 5-grams overlap by a Jaccard similarity ≥ {NEAR_DUPLICATE_SIMILARITY} "
        "after boilerplate removal, such as one agency report printed by several outlets. The report keeps them "
        "all; in the table the earliest of each group is marked kept=True."),
        ctx.writer.table(groups, "near_duplicates", max_rows=30 if len(groups) else None))
    return section


def _texts(ctx) -> tuple[pd.DataFrame, str]:
    """The cleaned texts the section searches (all of them, or a large corpus's sample) and how to say so."""
    if ctx.dataset is None:
        return ctx.corpus[["doc_id", "text", "published"]], ""
    sample, n_read = sample_texts(ctx.dataset)
    scope = "" if n_read == len(ctx.dataset.partitions) else \
        f" among {len(sample):,} documents of {n_read} of the {len(ctx.dataset.partitions)} partitions"
    return without_boilerplate(sample, ctx.boilerplate), scope


def _boilerplate_parts(ctx, n_docs: int, scope: str) -> list[str]:
    if ctx.boilerplate is None:
        return [p("Boilerplate was kept (--keep-boilerplate): recurring footers, bylines and sign-offs are "
                  "part of the texts every analysis below reads.")]
    needed = max(MIN_DOCS, math.ceil(MIN_SHARE * n_docs))
    rule = (f"Lines and sentences of at least two words (or a one-word line that is no sentence, such as the "
            f"heading 'Quellen') that recur in ≥ {needed:,} documents (max({MIN_DOCS}, "
            f"{MIN_SHARE:.1%} of {n_docs:,}){scope}; digits, month and weekday names masked; near-duplicate "
            f"copies of one story, Jaccard ≥ {STORY_SIMILARITY}, counted once) are removed from every text before "
            "topics, top lemmas, keyness, sentiment and frames. ")
    found = ctx.boilerplate
    if found.empty:
        return [p(rule + "None was found."), ctx.writer.table(found.drop(columns="key"), "boilerplate", max_rows=None)]
    emptied = ""
    if ctx.dataset is None:
        n_empty = int((ctx.corpus["text"].str.len() == 0).sum())
        emptied = f" {n_empty:,} document(s) held nothing else and are now empty." if n_empty else ""
    return [p(rule + f"{len(found):,} recurring unit(s) were removed.{emptied} Check the list: a slogan or "
              "a quote repeated in many documents counts too; rerun with --keep-boilerplate to keep everything."),
            ctx.writer.table(found.drop(columns="key"), "boilerplate", max_rows=15)]
