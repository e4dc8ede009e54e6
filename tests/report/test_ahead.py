"""A measure computed ahead in a forked process is the table the stage would compute itself, its
warnings reach the stage, a failed or killed process leaves the work to the stage, and a stage
reused from the cache starts nothing."""

import html
import os
import signal
import sys
import warnings

import pandas as pd
import pytest

from analysis.corpus import datasets
from analysis.report import STAGES, run_report
from analysis.report.ahead import Ahead
from analysis.report.context import ReportContext

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="only Linux forks")


def mentions():
    warnings.warn("3 Erwähnungen ohne Satz: übersprungen", UserWarning)
    return pd.DataFrame({"doc_id": ["ä1", "ö2"], "actor": ["Selenskyj", "Putin"], "score": [0.25, -0.5]})


def test_the_table_and_warnings_come_back_from_the_child():
    ahead = Ahead(mentions)
    with pytest.warns(UserWarning, match="Erwähnungen ohne Satz"):
        table = ahead.result()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pd.testing.assert_frame_equal(table, mentions())


def test_a_failed_or_killed_child_leaves_the_measure_to_the_stage(tmp_path):
    def broken():
        raise ValueError("kein Modell für diese Sprache")

    assert Ahead(broken).result() is None
    slow = Ahead(lambda: __import__("time").sleep(60))
    os.kill(slow._process.pid, signal.SIGKILL)
    assert slow.result() is None


def test_stop_ends_the_child_and_closes_the_pipe():
    ahead = Ahead(lambda: __import__("time").sleep(60))
    pid, reader = ahead._process.pid, ahead._reader
    ahead.stop()
    with pytest.raises(ProcessLookupError):  # ended and reaped
        os.kill(pid, 0)
    assert reader.closed and ahead.result() is None


@pytest.fixture(scope="module")
def press_releases():
    """60 press releases of both presidencies, 2 undated."""
    corpus = datasets.load_conflict_corpus().corpus.sample(60, random_state=5).reset_index(drop=True)
    corpus.loc[[4, 30], "published"] = pd.NaT
    return corpus


STAGE_NAMES = ("load_report", "overview", "actor_sentiment", "kwic")


def stages():
    return [s for s in STAGES if s.name in STAGE_NAMES]


@pytest.fixture
def started(monkeypatch):
    """The measures started ahead in this test."""
    names, original = [], ReportContext.compute_ahead

    def spy(self, name):
        names.append(name)
        original(self, name)
    monkeypatch.setattr(ReportContext, "compute_ahead", spy)
    return names


def test_the_actor_stance_computed_ahead_is_what_the_stage_computes(press_releases, tmp_path, started, monkeypatch):
    ahead = run_report(press_releases, out=tmp_path / "ahead", progress=False, stages=stages())
    assert started == ["actor_sentiment"]
    monkeypatch.setattr(ReportContext, "compute_ahead", lambda self, name: None)
    here = run_report(press_releases, out=tmp_path / "here", progress=False, stages=stages())
    tables = sorted(path.name for path in (tmp_path / "ahead" / "tables").iterdir())
    assert {"actor_mentions.parquet", "actor_sentiment_by_group.parquet", "kwic_top_actors.parquet"} <= set(tables)
    assert tables == sorted(path.name for path in (tmp_path / "here" / "tables").iterdir())
    for table in tables:
        assert (tmp_path / "ahead" / "tables" / table).read_bytes() == (tmp_path / "here" / "tables" / table).read_bytes()
    section = {run.name: html.unescape(run.section.html()) for run in ahead.stages}["actor_sentiment"]
    assert section == {run.name: html.unescape(run.section.html()) for run in here.stages}["actor_sentiment"]


def test_a_stage_reused_from_the_cache_starts_nothing(press_releases, tmp_path, started):
    run_report(press_releases, out=tmp_path, progress=False, stages=stages())
    again = run_report(press_releases, out=tmp_path, progress=False, stages=stages())
    assert {run.name: run.status for run in again.stages}["actor_sentiment"] == "reused"
    assert started == ["actor_sentiment"]  # the first run's only
