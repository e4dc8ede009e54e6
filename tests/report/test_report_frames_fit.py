"""The frame section accounts for its dictionary: fit per frame, a better bundled one named, negated hits
left out and counted, frames shown by their labels."""

import html

import pandas as pd
import pytest

import analysis.report.frame_sections as frame_sections
from analysis.corpus import datasets
from analysis.frames import frame_labels, load_dictionary
from analysis.report import STAGES, run_report

FRAME_STAGES = [s for s in STAGES if s.name in ("load_report", "frames")]


@pytest.fixture(scope="module")
def austrian_news():
    """150 German articles of DER STANDARD (sport, economy, culture, politics …), dated over 2021 with gaps."""
    corpus = datasets.load_gnad10().corpus.sample(150, random_state=2).reset_index(drop=True)
    dates = pd.date_range("2021-01-01", periods=150, freq="2D", tz="UTC").to_series().reset_index(drop=True)
    return corpus.assign(published=dates.where(corpus.index % 17 != 0))  # some undated


@pytest.fixture(scope="module")
def press_releases():
    corpus = datasets.load_conflict_corpus().corpus
    return corpus.groupby("outlet", observed=True).sample(50, random_state=4).reset_index(drop=True)


@pytest.fixture
def plotted(monkeypatch, recorded):
    """The frame values each frame figure is drawn with: ``plotted()`` after the run (:func:`recorded`:
    the figures are made in forked processes)."""
    record, seen = recorded
    for name in ("plot_profile", "plot_prevalence_grid"):
        original = getattr(frame_sections, name)

        def spy(table, *args, _original=original, **kwargs):
            record(set(table["frame"]))
            return _original(table, *args, **kwargs)
        monkeypatch.setattr(frame_sections, name, spy)
    return seen


def section(page_path) -> str:
    page = html.unescape(page_path.read_text(encoding="utf-8"))
    return page[page.index('<section id="frames"'):page.index("</section>", page.index('<section id="frames"'))]


def test_a_general_news_corpus_is_told_the_generic_dictionary_fits_better(austrian_news, tmp_path, plotted):
    run = run_report(austrian_news, out=tmp_path, progress=False, stages=FRAME_STAGES)
    text = section(run.page)
    scores = pd.read_csv(tmp_path / "tables" / "frame_scores.csv")
    fit = pd.read_csv(tmp_path / "tables" / "frame_dictionary_fit.csv")
    found = scores.assign(found=scores["hits"] > 0).groupby("frame", sort=False)["found"].mean()
    assert fit.set_index("frame")["share"].to_dict() == pytest.approx(found.to_dict(), abs=1e-6)
    assert fit["n_docs"].eq(150).all() and fit["label"].tolist() == list(frame_labels("conflict").values())
    comparison = pd.read_csv(tmp_path / "tables" / "frame_dictionary_comparison.csv").set_index("dictionary")
    assert comparison.loc["generic", "coverage"] > comparison.loc["conflict", "coverage"] + 0.03
    assert "Rerun with --dictionary generic to use it." in text
    assert "with German patterns" in text


def test_a_fitting_dictionary_is_not_second_guessed_and_frames_carry_labels(press_releases, tmp_path, plotted):
    run = run_report(press_releases, out=tmp_path, progress=False, stages=FRAME_STAGES)
    text = section(run.page)
    assert "No bundled dictionary covers this corpus better than 'conflict'" in text and "--dictionary" not in text
    labels = frame_labels("conflict")
    codes = set(load_dictionary("conflict").frames)
    assert plotted() and all(frames == set(labels.values()) for frames in plotted())  # every figure by label
    shown_text = text.split("<figure")[0]  # tables and prose (figures are images)
    assert "Security threat" in shown_text and not any(f">{code}<" in shown_text for code in codes)
    profile = pd.read_csv(tmp_path / "tables" / "frame_profile_by_group.csv")
    assert profile.drop_duplicates("frame")["label"].tolist() == list(labels.values())  # dictionary order
    assert dict(zip(profile["frame"], profile["label"])) == labels  # the code stays beside its label


def test_negated_hits_are_left_out_and_the_page_says_how_many(press_releases, tmp_path):
    run = run_report(press_releases, out=tmp_path, progress=False, stages=FRAME_STAGES)
    scores = pd.read_csv(tmp_path / "tables" / "frame_scores.csv")
    negated, counted = int(scores["negated_hits"].sum()), int(scores["hits"].sum())
    assert negated > 0
    assert f"{negated:,} of {negated + counted:,} matches" in section(run.page)
    negated_rows = scores[scores["negated_hits"] > 0]
    assert negated_rows["score"].tolist() == pytest.approx((1000 * negated_rows["hits"] / negated_rows["n_tokens"]).tolist(),
                                                           rel=1e-5)  # the scores count the other hits only
