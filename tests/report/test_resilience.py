"""No section takes the page down: failing sections, empty and uniform corpora, hundreds of groups,
a full disk, a read-only folder and Ctrl-C each end with a page or one clear line, never a traceback."""

import dataclasses
import errno
import html
import json
import os
import stat
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import analysis.report.build as build
from analysis.cli import main
from analysis.corpus import datasets
from analysis.errors import CorpusReadError, EmptyCorpusError
from analysis.report import STAGES, Stage, build_report, run_report
from analysis.report.lock import LOCK
from analysis.report.writer import ReportWriter, Section

FIRST = {s.name: s for s in STAGES}
QUICK = [FIRST["load_report"], FIRST["overview"], FIRST["top_lemmas"]]  # cheap real stages


@pytest.fixture(scope="module")
def export(tmp_path_factory):
    """40 German press releases as a semicolon CSV with German column names."""
    corpus = datasets.load_conflict_corpus().corpus.groupby("outlet", observed=True).sample(20, random_state=7)
    frame = corpus.rename(columns={"text": "Inhalt", "outlet": "Quelle", "doc_id": "ID"})
    frame["Datum"] = frame["published"].dt.strftime("%d.%m.%Y")
    path = tmp_path_factory.mktemp("export") / "export.csv"
    frame[["ID", "Inhalt", "Datum", "Quelle"]].to_csv(path, sep=";", index=False)
    return path


def cli(source, out, *options):
    return main(["report", str(source), "--out", str(out), "--no-progress", "--jobs", "1", *options])


def cached(out: Path) -> list[str]:
    return sorted(p.name.rsplit("-", 1)[0] for p in (out / ".stages").glob("*.json"))


def assert_one_clean_line(err: str) -> None:
    assert err.count("analysis report: ") == 1 and "Traceback" not in err


# --- a section that fails ---------------------------------------------------------------------------

def broken_frames(ctx) -> Section:
    ctx.writer.table(pd.DataFrame({"doc_id": ["x"], "score": [1.0]}), "frame_scores")  # half-written output
    raise ValueError("Wörterbuch <kaputt>: Eintrag 'Krieg*' ohne Frame")


def frame_summary(ctx) -> Section:
    ctx.tables["frame_scores"]  # the failed stage's table
    return Section("frame-summary", "Frame summary")


FAILING = [*QUICK[:2], Stage("frames", "Frames", broken_frames), Stage("frame_summary", "Frame summary",
           frame_summary, needs=("frames",)), QUICK[2]]


def test_a_failing_section_shows_an_error_box_and_the_rest_of_the_page_is_written(export, tmp_path, monkeypatch,
                                                                                    capsys):
    monkeypatch.setattr(build, "STAGES", FAILING)
    assert cli(export, tmp_path) == 3
    captured = capsys.readouterr()
    assert_one_clean_line(captured.err)
    assert "2 section(s) failed: Frames (ValueError: Wörterbuch <kaputt>" in captured.err
    assert "report written to" in captured.out and "2 failed (frames, frame_summary)" in captured.out
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    for title in ("Load report", "Corpus overview", "Top lemmas per group", "About this run"):
        assert f"<h2>{title}</h2>" in page
    box = page.split("<h2>Frames</h2>", 1)[1].split("</section>", 1)[0]
    assert "class='failed'" in box and "Wörterbuch &lt;kaputt&gt;" in box and "<kaputt>" not in page
    assert "--dictionary generic" in box  # how to work around it, with the option that does it
    summary = page.split("<h2>Frame summary</h2>", 1)[1].split("</section>", 1)[0]
    assert "It reads the results of Frames, which failed above" in summary
    assert "failed (see its error box)" in page
    assert not (tmp_path / "tables" / "frame_scores.csv").exists()  # the failed stage's half output is gone
    assert (tmp_path / "tables" / "top_terms.csv").exists() and (tmp_path / "manifest.json").exists()
    assert cached(tmp_path) == ["load_report", "overview", "top_lemmas"]  # failures are never cached
    assert not (tmp_path / LOCK).exists()

    fixed = [*FAILING[:2], FIRST["frames"], FAILING[3], QUICK[2]]
    monkeypatch.setattr(build, "STAGES", fixed)
    assert cli(export, tmp_path) == 0  # the next run retries just the failed sections
    assert "3 reused (load_report, overview, top_lemmas), 2 computed" in capsys.readouterr().out


def test_the_api_lists_failed_sections_and_build_report_warns(export, tmp_path, monkeypatch):
    run = run_report(export, out=tmp_path / "a", progress=False, stages=FAILING)
    assert run.failed == ["frames", "frame_summary"] and run.page.exists()
    assert [r.status for r in run.stages] == ["computed", "computed", "failed", "failed", "computed"]
    assert run.stages[2].error == "ValueError: Wörterbuch <kaputt>: Eintrag 'Krieg*' ohne Frame"
    monkeypatch.setattr(build, "STAGES", FAILING)
    with pytest.warns(UserWarning, match=r"2 section\(s\) of the report failed: frames \(ValueError"):
        assert build_report(export, out=tmp_path / "b", progress=False).exists()


# --- inputs without documents -----------------------------------------------------------------------

EMPTY_INPUTS = {
    "header_only.csv": "ID;Titel;Inhalt;Datum;Quelle\n",
    "empty.json": "[]",
    "empty_texts.csv": "ID;Titel;Inhalt;Quelle\nA1;Grüße aus Kyjiw;;taz\nA2;Überfall;   ;Die Welt\nA3;Öl;\t;taz\n",
}


@pytest.mark.parametrize("name", EMPTY_INPUTS)
def test_an_input_without_documents_ends_with_one_line_and_exit_2(tmp_path, capsys, name):
    source = tmp_path / name
    source.write_text(EMPTY_INPUTS[name], encoding="utf-8")
    assert cli(source, tmp_path / "out") == 2
    err = capsys.readouterr().err
    assert_one_clean_line(err)
    assert err.startswith(f"analysis report: no documents to analyse in {source}: ")
    assert ("3 rejected (3 empty text)" in err and "--text-col" in err) if name == "empty_texts.csv" \
        else "0 input rows" in err
    assert not (tmp_path / "out" / "index.html").exists() and not (tmp_path / "out" / LOCK).exists()
    with pytest.raises(EmptyCorpusError):
        run_report(source, out=tmp_path / "api", progress=False)
    assert issubclass(EmptyCorpusError, CorpusReadError)


# --- corpora too uniform for topics -----------------------------------------------------------------

def near_identical(n: int) -> pd.DataFrame:
    """One press release repeated ``n`` times, only a number changed in each."""
    return pd.DataFrame({
        "doc_id": [f"pm-{i}" for i in range(n)],
        "text": [f"Die Bundesregierung hat heute {i + 3} weitere Hilfspakete für die Ukraine beschlossen. "
                 "Der Krieg gegen die Ukraine dauert an, sagte die Außenministerin in Berlin." for i in range(n)],
        "outlet": ["Auswärtiges Amt", "Bundesregierung"] * (n // 2) + ["Bundesregierung"] * (n % 2),
        "published": pd.date_range("2023-01-02", periods=n, freq="D", tz="UTC")})


@pytest.mark.slow
@pytest.mark.parametrize("n, reason", [(40, "too alike for a topic model"), (3, "needs at least 30 documents")])
def test_a_corpus_too_uniform_for_topics_skips_them_with_a_note(tmp_path, n, reason):
    run = run_report(near_identical(n), out=tmp_path, progress=False)
    status = {r.name: r.status for r in run.stages}
    assert status["topics"] == "skipped" and run.failed == []
    assert status["frames"] == status["document_sentiment"] == "computed"
    page = run.page.read_text(encoding="utf-8")
    assert reason in html.unescape(page.split("<h2>Topics</h2>", 1)[1].split("</section>", 1)[0])
    assert "<h2>Frames</h2>" in page and "<h2>About this run</h2>" in page


# --- hundreds of groups -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def places(tmp_path_factory):
    """600 short German news texts, 300 places: nine large ones, the rest with one to three documents."""
    corpus = datasets.load_gnad10().corpus.head(600).reset_index(drop=True)
    rng = np.random.default_rng(4)
    names = [f"Gemeinde {i:03d} (Süd)" for i in range(300)]
    ort = names + list(rng.choice(names[:9], size=200)) + list(rng.choice(names[9:], size=100))
    frame = pd.DataFrame({"id": corpus["doc_id"], "text": corpus["text"].str.slice(0, 300), "ort": ort,
                          "datum": pd.date_range("2022-01-03", periods=600, freq="12h").strftime("%Y-%m-%d")})
    path = tmp_path_factory.mktemp("places") / "orte.csv"
    frame.to_csv(path, index=False)
    return path, frame


@pytest.mark.slow
def test_a_group_column_with_300_values_compares_the_largest_and_merges_the_rest(places, tmp_path, capsys):
    path, frame = places
    assert cli(path, tmp_path, "--by", "ort", "--topics", "3") == 0
    capsys.readouterr()
    tables = tmp_path / "tables"
    groups = pd.read_csv(tables / "groups.csv")
    assert len(groups) == 300 and groups["n_docs"].sum() == 600  # every value and document accounted for
    largest = frame["ort"].value_counts().head(9).index
    assert set(groups["group"]) == set(largest) | {"(other)"}
    for name in ("frame_profile_by_group", "topic_prevalence_by_group", "sentiment_by_group"):
        assert set(pd.read_csv(tables / f"{name}.csv")["ort"]) == set(largest) | {"(other)"}, name
    key = pd.read_csv(tmp_path / "validation" / "coding_sheet-key.csv")
    assert key["stratum"].nunique() <= 10 and "(other)" in set(key["stratum"])
    assert key["sampling_weight"].sum() == pytest.approx(600)  # weighted back, the sheet stands for the corpus
    from PIL import Image
    for figure in (tmp_path / "figures").glob("*.png"):
        assert max(Image.open(figure).size) < 5000, figure.name
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert html.escape("'ort' has 300 values") in page
    assert "ort · date</th>" in page  # the concordance's group column is named after --by, not "outlet"
    top = pd.read_csv(tables / "topic_top_documents.csv")  # each representative document with its group
    assert set(top["ort"]) <= set(largest) | {"(other)"} and top["ort"].notna().all()


# --- a full disk, a read-only folder ----------------------------------------------------------------

def test_a_full_disk_stops_with_one_line_and_keeps_the_finished_stages(export, tmp_path, monkeypatch, capsys):
    table = ReportWriter.table

    def full_disk(self, frame, name, **options):
        if name == "top_terms":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self.out / "tables" / f"{name}.csv"))
        return table(self, frame, name, **options)

    monkeypatch.setattr(build, "STAGES", QUICK)
    monkeypatch.setattr(ReportWriter, "table", full_disk)
    assert cli(export, tmp_path) == 4
    err = capsys.readouterr().err
    assert_one_clean_line(err)
    assert "no space left to write" in err and f"2 finished stages kept in {tmp_path / '.stages'}" in err
    assert cached(tmp_path) == ["load_report", "overview"]
    assert not (tmp_path / "index.html").exists() and not (tmp_path / ".index.html.tmp").exists()
    assert not (tmp_path / LOCK).exists()
    monkeypatch.setattr(ReportWriter, "table", table)  # space freed: the same command resumes
    assert cli(export, tmp_path) == 0
    assert "2 reused (load_report, overview), 1 computed" in capsys.readouterr().out


def test_a_full_disk_while_taking_the_lock_leaves_no_lock_behind(tmp_path, monkeypatch):
    import analysis.report.lock as lock

    def full_disk(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(lock.json, "dump", full_disk)
    with pytest.raises(OSError):
        with lock.report_lock(tmp_path, "this run"):
            pass
    assert not (tmp_path / LOCK).exists()  # else every later run would be told the folder is busy


def test_a_read_only_output_folder_gives_one_line(export, tmp_path, capsys):
    out = tmp_path / "bericht"
    out.mkdir()
    out.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        if os.access(out, os.W_OK):
            pytest.skip("permissions do not bind this user (root)")
        assert cli(export, out) == 4
        err = capsys.readouterr().err
        assert_one_clean_line(err)
        assert f"cannot write {out}" in err and "Pass --out a folder you can write to" in err
    finally:
        out.chmod(stat.S_IRWXU)


def test_a_read_only_file_system_gives_one_line(export, tmp_path, monkeypatch, capsys):
    out = tmp_path / "mnt" / "bericht"
    mkdir = Path.mkdir

    def read_only(self, *args, **kwargs):
        if self == out:
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(self))
        return mkdir(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", read_only)
    assert cli(export, out) == 4
    err = capsys.readouterr().err
    assert_one_clean_line(err)
    assert f"cannot write {out}: Read-only file system" in err


# --- Ctrl-C ----------------------------------------------------------------------------------------

def test_ctrl_c_at_start_up_gives_one_line_and_releases_the_lock(export, tmp_path, monkeypatch, capsys):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(build, "load_for_report", interrupted)
    assert cli(export, tmp_path) == 130
    err = capsys.readouterr().err
    assert_one_clean_line(err)
    assert "interrupted; 0 finished stages kept" in err and not (tmp_path / LOCK).exists()


def test_ctrl_c_mid_run_keeps_the_finished_stages_and_releases_the_lock(export, tmp_path, monkeypatch, capsys):
    def interrupted(ctx):
        raise KeyboardInterrupt

    monkeypatch.setattr(build, "STAGES", [*QUICK[:2], dataclasses.replace(QUICK[2], run=interrupted)])
    assert cli(export, tmp_path) == 130
    err = capsys.readouterr().err
    assert_one_clean_line(err)
    assert f"2 finished stages kept in {tmp_path / '.stages'}" in err and "run the same command again" in err
    assert cached(tmp_path) == ["load_report", "overview"] and not (tmp_path / LOCK).exists()
    assert not (tmp_path / "index.html").exists()
    monkeypatch.setattr(build, "STAGES", QUICK)
    assert cli(export, tmp_path) == 0
    assert "2 reused (load_report, overview), 1 computed" in capsys.readouterr().out
    assert json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
