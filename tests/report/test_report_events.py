"""The report imposes no event: none unless given (--event, events=) or carried by the bundled dataset."""

import html
import sys

import pandas as pd
import pytest

import analysis.report
from analysis.cli import main
from analysis.corpus import datasets
from analysis.plotting import corpus as plotting_corpus
from analysis.report import STAGES, InvalidOptionError, run_report
from analysis.report.build import run_events

STAGE_NAMES = ("load_report", "overview", "actor_sentiment", "keyness")


@pytest.fixture(scope="module")
def spanning():
    """70 press releases of one Austrian-named outlet, Oct 2021 – Jun 2022 (so across 24 Feb 2022), 3 undated."""
    corpus = datasets.load_conflict_corpus().corpus.sample(70, random_state=11).reset_index(drop=True)
    corpus = corpus[["doc_id", "text", "published", "lang"]].assign(outlet="Österreichische Wochenschau")
    corpus.loc[[3, 17, 40], "published"] = pd.NaT
    return corpus


@pytest.fixture
def marked(monkeypatch, recorded):
    """Every ``events`` argument the figures' event markers receive, in every module that imported them:
    ``marked()`` after the run (:func:`recorded`: the figures are made in forked processes)."""
    record, seen = recorded
    original = plotting_corpus.mark_events

    def spy(ax, events):
        record(events)
        return original(ax, events)
    for module in [m for name, m in sys.modules.items() if name.startswith("analysis")]:
        if getattr(module, "mark_events", None) is original:
            monkeypatch.setattr(module, "mark_events", spy)
    return seen


def stages(*names):
    return [s for s in STAGES if s.name in (names or STAGE_NAMES)]


def test_a_corpus_spanning_the_invasion_gets_no_event_unless_given(spanning, tmp_path, marked):
    run = run_report(spanning, out=tmp_path, progress=False, stages=stages())
    page = html.unescape(run.page.read_text(encoding="utf-8"))
    assert "nvasion" not in page.replace('--event 2022-02-24="Invasion of Ukraine"', "")  # only the hint names it
    assert "Before and after" not in page and "does not span" not in page
    assert "pass --event DATE=LABEL" in page  # the one group cannot be compared, and the page says how it could
    assert not (tmp_path / "tables" / "actor_sentiment_before_after.csv").exists()
    assert marked() and all(events is None for events in marked())  # no dashed line in any figure
    assert {r.name: r.status for r in run.stages}["keyness"] == "skipped"


def test_given_events_are_marked_and_the_first_inside_the_dates_splits(spanning, tmp_path, marked):
    events = {"2022-03-29": "Istanbul-Gespräche", "2022-02-24": "Invasion of Ukraine", "2023-05-01": "Später"}
    run = run_report(spanning, out=tmp_path, progress=False, stages=stages(), events=events)
    page = html.unescape(run.page.read_text(encoding="utf-8"))
    assert "Before and after Invasion of Ukraine (24 February 2022)" in page
    assert "The later events (Istanbul-Gespräche, 2022-03-29) are marked in the time figures only." in page
    assert "Outside the corpus's dates, not used: Später (2023-05-01)." in page
    assert marked() and all(m == {"Invasion of Ukraine": "2022-02-24", "Istanbul-Gespräche": "2022-03-29"}
                            for m in marked())
    split = pd.read_csv(tmp_path / "tables" / "actor_sentiment_before_after.csv")
    assert set(split["phase"]) == {"before", "after"}  # the column keeps its name
    keyness = pd.read_csv(tmp_path / "tables" / "keyness_1_after.csv")
    assert set(keyness["reference"]) == {"before"}
    assert "Invasion of Ukraine (2022-02-24); Istanbul-Gespräche (2022-03-29); Später (2023-05-01) (given)" in page


def test_an_event_outside_the_dates_marks_nothing_and_says_so(spanning, tmp_path, marked):
    run = run_report(spanning, out=tmp_path, progress=False, stages=stages("load_report", "overview"),
                     events=["2004-03-11=Madrid"])
    page = html.unescape(run.page.read_text(encoding="utf-8"))
    assert "No event lies inside the corpus's dates" in page and "not used: Madrid (2004-03-11)" in page
    assert marked() and all(events is None for events in marked())


def test_the_bundled_corpus_carries_its_event_and_given_events_replace_it():
    load = datasets.load_conflict_corpus()
    assert [(e.date, e.label) for e in run_events(None, load)] == [("2022-02-24", "Invasion of Ukraine")]
    assert run_events({}, load) == ()  # asked for none
    assert [e.label for e in run_events(["2022-03-29=Talks"], load)] == ["Talks"]
    user = analysis.load_corpus(load.corpus[["doc_id", "text", "published"]].head(5))
    assert run_events(None, user) == ()


@pytest.mark.parametrize("events, message", [
    (["24.02.2022 Invasion"], "DATE=LABEL"),
    (["gestern=Invasion"], "not a date"),
    ({"2022-02-24": " "}, "no label"),
    ("2022-02-24=Invasion", "not the string"),
])
def test_bad_events_fail_before_any_work(spanning, tmp_path, events, message):
    with pytest.raises(InvalidOptionError, match=message):
        run_report(spanning, out=tmp_path, progress=False, events=events)
    assert not (tmp_path / "tables").exists()


def test_cli_events_reach_the_report_and_a_bad_one_exits_2(tmp_path, monkeypatch, capsys):
    seen = {}
    monkeypatch.setattr(analysis.report, "run_report", lambda source, **kw: seen.update(kw) or 1 / 0)
    with pytest.raises(ZeroDivisionError):
        main(["report", "--event", '2022-02-24="Invasion of Ukraine"', "--event", "2022-03-29=Gespräche"])
    assert seen["events"] == ['2022-02-24="Invasion of Ukraine"', "2022-03-29=Gespräche"]
    with pytest.raises(ZeroDivisionError):
        main(["report"])
    assert seen["events"] is None  # no --event: the dataset's own events (the bundled corpus's invasion)
    monkeypatch.undo()
    assert main(["report", "--out", str(tmp_path), "--event", "Invasion", "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("analysis report: events: ") and "DATE=LABEL" in err
