"""A section's two prevalence tables (by group; by group and period) are the same whether the second
is computed beside the first in a fresh process or after it in this one; that process holds only the
tables' data, not this process's memory; an undated corpus has no second table, and a failed process
leaves the second table to this one."""

import os
import warnings
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from analysis.compare import prevalence
from analysis.compare.scores import DroppedDocumentsWarning
from analysis.report import context
from analysis.report.context import ReportContext


@pytest.fixture(scope="module")
def sentiment():
    """600 documents of three outlets (umlauts, one without an outlet), a tenth undated; a score and a
    label share per document."""
    rng = np.random.default_rng(3)
    n = 600
    corpus = pd.DataFrame({
        "doc_id": [f"dok-{i:03d}-ä" for i in range(n)],
        "outlet": rng.choice(["Süddeutsche", "Die Zeit", "Tagesspiegel", None], size=n, p=[0.4, 0.3, 0.29, 0.01]),
        "published": pd.to_datetime("2022-01-01", utc=True) + pd.to_timedelta(rng.integers(0, 400, n), unit="D")})
    corpus.loc[rng.choice(n, 60, replace=False), "published"] = pd.NaT
    scores = pd.DataFrame({"doc_id": corpus["doc_id"], "item": "score", "value": rng.uniform(-1, 1, n)})
    return corpus, scores


class ComputedIn(UserWarning):
    """Names the process that computed a table (a forked child's warnings are raised again here)."""


def tables_of(corpus, items, jobs):
    """The two tables, the warnings raised (but :class:`ComputedIn`) and the processes that computed them."""
    def prevalence_of(period):
        warnings.warn(str(os.getpid()), ComputedIn)
        return prevalence(items, by="outlet", period=period, metadata=corpus, random_state=7)

    ctx = SimpleNamespace(corpus=corpus, jobs=jobs, period="M")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        profile, over_time = ReportContext.prevalence_tables(ctx, prevalence_of)
    pids = {int(str(w.message)) for w in caught if w.category is ComputedIn}
    return profile, over_time, [w.category for w in caught if w.category is not ComputedIn], pids


def test_side_by_side_gives_the_same_tables_and_warnings(sentiment, monkeypatch):
    corpus, items = sentiment
    profile, over_time, warned, alone_pids = tables_of(corpus, items, 1)
    monkeypatch.setattr(context, "SIDE_BY_SIDE_MIN_DOCS", 100)
    profile_beside, over_time_beside, warned_beside, beside_pids = tables_of(corpus, items, 2)
    assert alone_pids == {os.getpid()} and len(beside_pids) == 2  # the second table came from the child
    pd.testing.assert_frame_equal(profile_beside, profile)
    pd.testing.assert_frame_equal(over_time_beside, over_time)
    assert len(over_time) > len(profile) and set(over_time["period"]) > {"2022-01"}
    assert warned == warned_beside == [DroppedDocumentsWarning]  # the 60 undated documents, raised here again


def test_a_small_corpus_or_one_job_stays_in_this_process(sentiment):
    corpus, items = sentiment
    assert tables_of(corpus, items, 2)[3] == {os.getpid()}  # 600 documents: below SIDE_BY_SIDE_MIN_DOCS


def test_an_undated_corpus_has_no_second_table(sentiment, monkeypatch):
    corpus, items = sentiment
    monkeypatch.setattr(context, "SIDE_BY_SIDE_MIN_DOCS", 100)
    profile, over_time, _, pids = tables_of(corpus.assign(published=pd.NaT), items, 2)
    assert over_time is None and pids == {os.getpid()} and profile["period"].eq("all").all()


def test_a_failed_child_leaves_the_second_table_to_this_process(sentiment, monkeypatch):
    corpus, items = sentiment
    monkeypatch.setattr(context, "SIDE_BY_SIDE_MIN_DOCS", 100)
    parent = os.getpid()

    def prevalence_of(period):
        if os.getpid() != parent:
            raise MemoryError("kein Speicher für die Stichproben")
        return prevalence(items, by="outlet", period=period, metadata=corpus, random_state=7)

    ctx = SimpleNamespace(corpus=corpus, jobs=2, period="M")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DroppedDocumentsWarning)
        _, over_time = ReportContext.prevalence_tables(ctx, prevalence_of)
        expected = prevalence(items, by="outlet", period="M", metadata=corpus, random_state=7)
    pd.testing.assert_frame_equal(over_time, expected)


def _rss_bytes() -> int:
    with open(f"/proc/{os.getpid()}/status") as status:
        return next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmRSS:"))


class RssOf(UserWarning):
    """The resident memory of the process that computed a table, in bytes."""


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="reads /proc")
def test_the_second_table_is_computed_in_a_process_that_holds_only_its_data(sentiment, monkeypatch):
    """A forked child would count this process's pages in its RSS: a large corpus's report would
    report twice the memory it takes."""
    corpus, items = sentiment
    monkeypatch.setattr(context, "SIDE_BY_SIDE_MIN_DOCS", 100)
    held = np.ones(800 * 2**20 // 8)  # 800 MB this process holds (and a fork would share)

    def prevalence_of(period):
        warnings.warn(str(_rss_bytes()), RssOf)
        return prevalence(items, by="outlet", period=period, metadata=corpus, random_state=7)

    ctx = SimpleNamespace(corpus=corpus, jobs=2, period="M")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ReportContext.prevalence_tables(ctx, prevalence_of)
    rss = [int(str(w.message)) for w in caught if w.category is RssOf]
    assert len(rss) == 2 and held.sum() == len(held)
    assert max(rss) > 800 * 2**20  # this process's table
    assert min(rss) < 500 * 2**20  # the other process's: its imports and the tables' data
