"""Figures written in a forked process are the same files as written here, reach the page,
and a stage is stored only with its figures on disk — also when the process dies, for a figure
with a lambda tick formatter, and for a figure made there by the function given."""

import base64
import os
import signal
from contextlib import suppress
from types import SimpleNamespace

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.ticker import FuncFormatter

from analysis.plotting import plot_prevalence_grid
from analysis.report.figure_files import FigureFiles, write_figure
from analysis.report.stages import Stage, StageCache, Tables, run_stages
from analysis.report.writer import ReportWriter, Section


def prevalence_figure():
    """A real figure of the report: topic prevalence per month and outlet, with umlauts."""
    months = pd.date_range("2024-01-01", periods=6, freq="MS")
    rows = [{"group": outlet, "period": m.strftime("%Y-%m"), "period_start": m, "topic": topic,
             "estimate": 0.1 + 0.02 * i + (0.05 if outlet == "Süddeutsche" else 0), "ci_lower": 0.05 + 0.02 * i,
             "ci_upper": 0.2 + 0.02 * i, "n_docs": 12}
            for topic in ("T1 · Krieg, Front, Soldat", "T2 · Gespräche, Waffenruhe, Genf")
            for outlet in ("Süddeutsche", "taz") for i, m in enumerate(months)]
    return plot_prevalence_grid(pd.DataFrame(rows), hue="group", n_cols=2).flat[0].figure


def lambda_formatted_figure():
    fig, ax = plt.subplots(figsize=(4, 3), constrained_layout=True)
    ax.plot([1, 2, 3], [0.2, 0.5, 0.4])
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0%}"))
    ax.set_title("Anteil der Artikel über Waffenlieferungen")
    return fig


def files_of(folder, name):
    return (folder / f"{name}.png").read_bytes(), (folder / f"{name}.svg").read_bytes()


@pytest.mark.parametrize("make", [prevalence_figure, lambda_formatted_figure])
def test_background_files_equal_the_files_written_here(tmp_path, make):
    write_figure(make(), tmp_path / "here.png", tmp_path / "here.svg")
    with FigureFiles() as files:
        pending = files.write(make(), tmp_path / "there.png", tmp_path / "there.svg")
        pending.wait()
    here, there = files_of(tmp_path, "here"), files_of(tmp_path, "there")
    assert here[0][:8] == b"\x89PNG\r\n\x1a\n" and b"<svg" in here[1]
    assert there == here


def test_a_figure_made_in_the_drawing_process_equals_the_one_made_here(tmp_path):
    """The report hands over plotting functions: the child makes the figure (the plotting functions
    return an array of Axes, an Axes or the figure) and writes the same files."""
    write_figure(prevalence_figure(), tmp_path / "here.png", tmp_path / "here.svg")
    grid = lambda: prevalence_figure().axes  # noqa: E731 — a list of Axes
    one = lambda: prevalence_figure().axes[0]  # noqa: E731
    with FigureFiles() as files:
        for name, make in {"figure": prevalence_figure, "grid": grid, "axes": one}.items():
            files.write(make, tmp_path / f"{name}.png", tmp_path / f"{name}.svg").wait()
    assert files_of(tmp_path, "figure") == files_of(tmp_path, "grid") == files_of(tmp_path, "axes") \
        == files_of(tmp_path, "here")


def test_an_error_while_making_a_figure_is_raised_here_and_fails_its_stage_only(tmp_path):
    def broken():
        raise ValueError("keine Daten für die Grafik")

    with FigureFiles() as files:
        with pytest.raises(ValueError, match="keine Daten"):
            files.write(broken, tmp_path / "x.png", tmp_path / "x.svg").wait()

    def stage_run(ctx):
        return Section("broken", "Broken").add(ctx.writer.figure(broken, "broken", alt="kaputt"))

    cache = StageCache(tmp_path / ".stages", input_hash="abc")
    runs = run_stages([Stage("broken", "Broken", stage_run), figure_stage("after")], context(tmp_path), cache,
                      out=tmp_path)
    assert [r.status for r in runs] == ["failed", "computed"]
    assert "keine Daten" in runs[0].section.html()


def test_a_dead_figure_process_leaves_no_figure_unwritten(tmp_path):
    write_figure(prevalence_figure(), tmp_path / "here.png", tmp_path / "here.svg")
    with FigureFiles() as files:
        if not files.background:
            pytest.skip("figures are written in this process on this platform")
        pendings = [files.write(prevalence_figure(), tmp_path / f"{n}.png", tmp_path / f"{n}.svg") for n in "ab"]
        for pending in pendings:
            with suppress(ProcessLookupError):  # a process may finish (and be reaped) before it is killed
                os.kill(pending._process.pid, signal.SIGKILL)
        for pending in pendings:
            pending.wait()
    assert files_of(tmp_path, "a") == files_of(tmp_path, "b") == files_of(tmp_path, "here")


def figure_stage(name):
    def run(ctx):
        return Section(name, name.title()).add(
            ctx.writer.figure(prevalence_figure(), name, alt=f"Prävalenz ({name})"))
    return Stage(name, name.title(), run)


def context(tmp_path):
    return SimpleNamespace(corpus=pd.DataFrame({"doc_id": ["a"]}), params={}, tables=Tables(tmp_path), notes=[],
                           large=False)


def test_the_page_gets_each_png_and_the_cache_its_files(tmp_path):
    cache = StageCache(tmp_path / ".stages", input_hash="abc")
    runs = run_stages([figure_stage("first"), figure_stage("second")], context(tmp_path), cache, out=tmp_path)
    assert [r.status for r in runs] == ["computed", "computed"]
    for run in runs:
        page = run.section.html()
        assert "@@" not in page
        png = (tmp_path / "figures" / f"{run.name}.png").read_bytes()
        assert base64.b64encode(png).decode("ascii") in page
        assert set(run.files) == {f"figures/{run.name}.png", f"figures/{run.name}.svg"}
    again = run_stages([figure_stage("first"), figure_stage("second")], context(tmp_path), cache, out=tmp_path)
    assert [r.status for r in again] == ["reused", "reused"]
    assert [r.section.html() for r in again] == [r.section.html() for r in runs]


def test_ctrl_c_keeps_the_stages_before_it_with_their_figures(tmp_path):
    def interrupted(ctx):
        raise KeyboardInterrupt

    cache = StageCache(tmp_path / ".stages", input_hash="abc")
    with pytest.raises(KeyboardInterrupt):
        run_stages([figure_stage("first"), Stage("stop", "Stop", interrupted)], context(tmp_path), cache, out=tmp_path)
    again = run_stages([figure_stage("first")], context(tmp_path), cache, out=tmp_path)
    assert again[0].status == "reused"
    assert (tmp_path / "figures" / "first.svg").stat().st_size > 0


def test_a_writer_without_figure_files_embeds_at_once(tmp_path):
    html = ReportWriter(tmp_path).figure(prevalence_figure(), "now", alt="Prävalenz")
    assert base64.b64encode((tmp_path / "figures" / "now.png").read_bytes()).decode("ascii") in html
