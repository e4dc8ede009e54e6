"""The main job: `analysis report` on bundled data and on a researcher's messy file."""

import html
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis.cli import main
from analysis.report import build_report

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def bundled_report(tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    return build_report(out=out, progress=False)


def test_bundled_report_has_every_section_figure_and_table(bundled_report):
    page = bundled_report.read_text(encoding="utf-8")
    for title in ("Load report", "Corpus overview", "Top lemmas per group"):
        assert f"<h2>{title}</h2>" in page
    assert page.count("data:image/png;base64,") == 3
    figures = {p.name for p in (bundled_report.parent / "figures").iterdir()}
    for name in ("documents_over_time", "document_lengths", "top_terms"):
        assert {f"{name}.png", f"{name}.svg"} <= figures
    terms = pd.read_csv(bundled_report.parent / "tables" / "top_terms.csv")
    assert set(terms["outlet"]) == {"Kremlin", "President of Ukraine"}
    assert terms.groupby("outlet")["rank"].max().tolist() == [15, 15]


def test_page_is_self_contained(bundled_report):
    page = bundled_report.read_text(encoding="utf-8")
    assert not re.search(r"<(script|link|iframe)\b", page)
    assert not re.search(r"(src|href)=[\"']?(https?:)?//", page)


def test_users_messy_excel_export_with_guessed_columns_and_escaped_text(tmp_path):
    source = tmp_path / "export.csv"
    shutil.copy(DATA / "messy_de_excel.csv", source)
    evil = "<script>alert(1)</script>"
    with open(source, "ab") as handle:  # a duplicate row whose id is markup: rejected, shown in the page
        handle.write(f'"Böse";"Text";"16.01.2025";"Agentur";"{evil}"\r\n"Böse";"Text2";"16.01.2025";"Agentur";"{evil}"\r\n'.encode("cp1252"))
    page = build_report(source, out=tmp_path / "out", progress=False).read_text(encoding="utf-8")
    assert evil not in page and html.escape(evil) in page
    used = pd.read_csv(tmp_path / "out" / "tables" / "columns_used.csv").set_index("role")
    assert used.loc["text", "column"] == "Inhalt" and used.loc["date", "column"] == "Datum"
    assert used.loc["outlet", "column"] == "Quelle" and "guessed" in used.loc["outlet", "why"]
    summary = pd.read_csv(tmp_path / "out" / "tables" / "load_summary.csv")
    assert set(summary["reason"].dropna()) >= {"duplicate doc_id", "empty text", "ragged row", "unparseable date"}


def test_cli_runs_and_reports_bad_input_cleanly(tmp_path, capsys):
    assert main(["report", str(DATA / "messy_de_excel.csv"), "--out", str(tmp_path / "r"), "--no-progress",
                 "--text-col", "Inhalt", "--lang", "de"]) == 0
    assert (tmp_path / "r" / "index.html").exists()
    assert main(["report", str(tmp_path / "nope.csv"), "--out", str(tmp_path / "r2"), "--no-progress"]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert main(["report", str(DATA / "messy_de_excel.csv"), "--text-col", "body", "--out",
                 str(tmp_path / "r3"), "--no-progress"]) == 2


def test_console_script_is_installed(tmp_path):
    result = subprocess.run([sys.executable, "-m", "analysis.cli", "report", "--help"], capture_output=True, text=True)
    assert result.returncode == 0 and "--text-col" in result.stdout
