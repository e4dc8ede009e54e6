"""`analysis report` from the shell: options, the resume message, clean errors, Ctrl-C."""

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import analysis.report
from analysis.corpus import datasets
from analysis.cli import main

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def small_csv(tmp_path_factory):
    """A German-style export of 40 press releases: Titel;Inhalt;Datum;Quelle;ID."""
    corpus = datasets.load_conflict_corpus().corpus.groupby("outlet", observed=True).sample(20, random_state=5)
    export = corpus.rename(columns={"title": "Titel", "text": "Inhalt", "outlet": "Quelle", "doc_id": "ID"})
    export["Datum"] = export["published"].dt.strftime("%d.%m.%Y")
    path = tmp_path_factory.mktemp("cli") / "export.csv"
    export[["Titel", "Inhalt", "Datum", "Quelle", "ID"]].to_csv(path, sep=";", index=False)
    return path


def test_report_then_rerun_says_which_stages_were_reused(small_csv, tmp_path, capsys):
    args = ["report", str(small_csv), "--out", str(tmp_path), "--topics", "3", "--no-progress", "--jobs", "1"]
    assert main(args) == 0
    first = capsys.readouterr().out
    assert f"report written to {tmp_path / 'index.html'}" in first and "11 computed" in first
    assert "  date: 'Datum' (guessed from the column name)" in first  # the console says which column and why
    assert "  id: 'ID' (guessed from the column name)" in first
    assert main(args + ["--dictionary", "generic"]) == 0
    second = capsys.readouterr().out
    assert "9 reused (load_report, duplicates, overview, top_lemmas, topics, document_sentiment, actor_sentiment, " \
           "keyness, kwic), 2 computed" in second  # frames and the validation sheet that shows them


def test_footers_are_removed_and_listed_unless_kept(tmp_path, capsys):
    args = ["report", str(DATA / "wikinews_de_footers.csv"), "--out", str(tmp_path), "--topics", "2",
            "--no-progress", "--jobs", "1"]
    assert main(args) == 0
    listed = pd.read_csv(tmp_path / "tables" / "boilerplate.csv")
    assert list(listed.columns) == ["text", "n_docs", "share", "doc_id"]
    assert {"Kommentar abgeben", "Quellen", "Themenverwandte Artikel"} <= set(listed["text"])
    footer_terms = {"kommentar", "themenverwandte", "übersetzung", "fremdsprachig"}
    assert not footer_terms & set(pd.read_csv(tmp_path / "tables" / "top_terms.csv")["term"])
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "Duplicates and boilerplate" in page and "Kommentar abgeben" in page and "duplicate text of doc04" in page
    capsys.readouterr()
    assert main(args + ["--keep-boilerplate"]) == 0
    assert "reused" not in capsys.readouterr().out  # other texts: no stage of the first run is reused
    assert not (tmp_path / "tables" / "boilerplate.csv").exists()
    assert footer_terms & set(pd.read_csv(tmp_path / "tables" / "top_terms.csv")["term"])
    assert "Boilerplate was kept (--keep-boilerplate)" in (tmp_path / "index.html").read_text(encoding="utf-8")


def test_options_reach_the_report(small_csv, tmp_path, monkeypatch):
    seen = {}
    monkeypatch.setattr(analysis.report, "run_report", lambda source, **kw: seen.update(kw, source=source) or 1 / 0)
    with pytest.raises(ZeroDivisionError):
        main(["report", str(small_csv), "--by", "none", "--period", "W", "--lang", "de", "--topics", "7",
              "--dictionary", "generic", "--jobs", "2", "--random-state", "3", "--text-col", "Inhalt", "--no-resume",
              "--keep-boilerplate"])
    assert seen["by"] is None and seen["period"] == "W" and seen["lang"] == "de" and seen["topics"] == "7"
    assert seen["dictionary"] == "generic" and seen["n_jobs"] == 2 and seen["random_state"] == 3
    assert seen["columns"]["text"] == "Inhalt" and seen["columns"]["date"] is None and seen["resume"] is False
    assert seen["keep_boilerplate"] is True


def test_ctrl_c_exits_130_and_says_how_to_resume(tmp_path, monkeypatch, capsys):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt
    monkeypatch.setattr(analysis.report, "run_report", interrupted)
    assert main(["report", "--out", str(tmp_path), "--no-progress"]) == 130
    err = capsys.readouterr().err
    assert str(tmp_path / ".stages") in err and "run the same command again to resume" in err


@pytest.mark.parametrize("options, message", [
    (["nope.csv"], "does not exist"),
    ([str(DATA / "messy_de_excel.csv"), "--text-col", "body"], "body"),
    ([str(DATA / "messy_de_excel.csv"), "--period", "fortnight"], "period must be"),
    ([str(DATA / "messy_de_excel.csv"), "--topics", "many"], "topics must be 'auto'"),
    ([str(DATA / "messy_de_excel.csv"), "--dictionary", "missing.yaml"], "no frame dictionary"),
    ([str(DATA / "messy_de_excel.csv"), "--by", "Ressort"], "no column 'Ressort' to group by"),
])
def test_bad_input_exits_2_with_a_message_and_no_traceback(tmp_path, capsys, options, message):
    assert main(["report", *options, "--out", str(tmp_path / "r"), "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("analysis report: ") and message in err and "Traceback" not in err


def test_console_script_is_installed():
    result = subprocess.run([sys.executable, "-m", "analysis.cli", "report", "--help"], capture_output=True, text=True)
    assert result.returncode == 0 and "--text-col" in result.stdout and "--jobs" in result.stdout


def test_a_second_run_into_a_busy_folder_stops_and_names_the_running_one(small_csv, tmp_path, capsys):
    import json
    import socket

    from analysis.report.lock import LOCK, report_lock

    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        out = tmp_path / "bericht"
        out.mkdir()
        holder = {"pid": other.pid, "host": socket.gethostname(), "started": "2026-12-04T09:00:00+00:00",
                  "run": "export.csv, options {'by': 'none'}"}
        (out / LOCK).write_text(json.dumps(holder), encoding="utf-8")
        assert main(["report", str(small_csv), "--out", str(out), "--no-progress"]) == 2
        err = capsys.readouterr().err
        assert f"process {other.pid}" in err and "by': 'none'" in err and "another --out" in err
        assert not (out / "index.html").exists() and not (out / "tables").exists()  # nothing of ours mixed in
    finally:
        other.kill()
        other.wait()
    with report_lock(out, "this run"):  # the holder has died: its lock is taken over, and released after
        assert json.loads((out / LOCK).read_text(encoding="utf-8"))["run"] == "this run"
    assert not (out / LOCK).exists()


def test_by_may_name_the_input_column_that_became_the_outlet(small_csv):
    # "Quelle" is read as the outlet: a researcher who groups by the column of their file gets it,
    # and the page says which corpus column that is
    from analysis.report.report_input import grouping, load_for_report

    read = load_for_report(small_csv, None, None)
    grouped, by, note = grouping(read.load.corpus, "Quelle", read.why)
    assert by == "outlet" and "'Quelle'" in note and "'outlet'" in note
    assert grouped["outlet"].value_counts().tolist() == [20, 20]
    with pytest.raises(KeyError, match="no column 'Ressort' to group by"):
        grouping(read.load.corpus, "Ressort", read.why)


@pytest.mark.slow
def test_texts_cut_at_excels_cell_limit_are_named_on_the_console_and_the_page(tmp_path, capsys):
    from analysis.corpus.readers import EXCEL_CELL_LIMIT

    corpus = datasets.load_conflict_corpus().corpus.head(40)
    texts = corpus["text"].tolist()
    texts[3] = (texts[3] + " ") * (EXCEL_CELL_LIMIT // len(texts[3]) + 1)  # Excel cuts it when saving
    path = tmp_path / "export.xlsx"
    corpus.assign(text=texts)[["doc_id", "title", "text", "published", "outlet"]].assign(
        published=lambda c: c["published"].dt.strftime("%d.%m.%Y")).to_excel(path, index=False)
    assert main(["report", str(path), "--out", str(tmp_path / "r"), "--no-progress"]) in (0, 3)
    err = capsys.readouterr().err
    assert "analysis report: warning: 'export.xlsx': cells of exactly 32,767 characters" in err
    assert "Traceback" not in err and "readers.py" not in err  # one line, not a code location
    page = (tmp_path / "r" / "index.html").read_text("utf-8")
    assert "Excel&#x27;s limit for a cell (" in page and " in &#x27;text&#x27;): their texts were probably cut" in page
