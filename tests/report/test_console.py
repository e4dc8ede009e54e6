"""What a command-line user is told: the console summary, CLI flags in messages, the manifest's
resolved columns, and file names that survive umlauts."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest

import analysis
from analysis.cli import main
from analysis.report import STAGES, build, run_report
from analysis.report.console import cli_wording
from analysis.report.writer import ReportWriter, slug

DATA = Path(__file__).resolve().parents[1] / "data"
FEW_STAGES = [s for s in STAGES if s.name in ("load_report", "overview", "topics")]


@pytest.fixture(scope="module")
def messy_run(tmp_path_factory):
    """``analysis report messy_de_excel.csv`` (guessed German columns, rejected rows, a bad date) with three
    stages, and what it printed (capsys is per test; this runs once per module)."""
    out, printed = tmp_path_factory.mktemp("messy"), io.StringIO()
    with pytest.MonkeyPatch.context() as patch, contextlib.redirect_stdout(printed):
        patch.setattr(build, "STAGES", FEW_STAGES)
        code = main(["report", str(DATA / "messy_de_excel.csv"), "--out", str(out), "--no-progress", "--jobs", "1"])
    return code, printed.getvalue(), out


def test_console_prints_rows_by_reason_columns_stages_and_the_page(messy_run):
    code, printed, out = messy_run
    load = analysis.load_corpus(DATA / "messy_de_excel.csv")
    assert code == 0
    assert f"{load.n_input} input rows: {len(load.corpus)} kept, {len(load.rejected)} rejected" in printed
    for reason, n in load.rejected["reason"].value_counts().items():
        assert f"rejected, {reason}: {n}" in printed
    for problem, n in load.problems["problem"].value_counts().items():
        assert f"kept with a problem, {problem}: {n}" in printed
    assert "  text: 'Inhalt' (guessed from the column name)" in printed
    stage_lines = [line.split() for line in printed.splitlines() if line.split()[:1] in ([s.name] for s in FEW_STAGES)]
    assert [words[:2] for words in stage_lines] == [["load_report", "computed"], ["overview", "computed"],
                                                    ["topics", "skipped"]]
    assert all(float(words[2]) >= 0 for words in stage_lines)
    assert "a topic model needs at least 30 documents" in printed  # why a stage was skipped
    assert printed.rstrip().endswith(f"report written to {out / 'index.html'}")


def test_manifest_records_the_guessed_columns(messy_run):
    _, _, out = messy_run
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["params"]["columns"] is None  # none given: the rerun guesses again
    assert manifest["columns"]["text"] == {"column": "Inhalt", "why": "guessed from the column name"}
    assert manifest["columns"]["date"]["column"] == "Datum"


def test_manifest_keeps_given_columns_as_given(tmp_path):
    run_report(DATA / "messy_de_excel.csv", out=tmp_path, columns={"text": "Inhalt", "date": None}, progress=False,
               stages=[s for s in STAGES if s.name == "load_report"])
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["params"]["columns"] == {"text": "Inhalt"}
    assert manifest["columns"]["text"]["why"] == "given (--text-col)"
    assert manifest["columns"]["id"] == {"column": "ID", "why": "guessed from the column name"}


def test_page_gives_command_line_advice_not_python(tmp_path):
    """The mixed corpus has 150 undated documents: the time-series warning must not say 'pass period=None'."""
    run = run_report(DATA / "mixed_de_en.csv", out=tmp_path, progress=False,
                     stages=[s for s in STAGES if s.name in ("load_report", "document_sentiment")])
    page = run.page.read_text(encoding="utf-8")
    assert "have no &#x27;published&#x27; date" in page or "have no 'published' date" in page
    assert "pass period=None" not in page and "see .problems" not in page
    assert "left out of the figures over time only" in page


@pytest.mark.parametrize("message, expected", [
    ("corpus has no column 'text'; columns are ['titel', 'inhalt']. Pass text_col='inhalt'.",
     "corpus has no column 'text'; columns are ['titel', 'inhalt']. Pass --text-col 'inhalt' (API: text_col='inhalt')."),
    ("'Datum.1' fits too: pass date_col=… to choose", "'Datum.1' fits too: pass --date-col … (API: date_col=…) to choose"),
    ("x.csv: 3 input rows, 3 kept, 0 rejected; 1 kept with problems (see .problems)",
     "x.csv: 3 input rows, 3 kept, 0 rejected; 1 kept with problems (listed under 'Kept rows with problems' in the "
     "report's Load report; API: .problems)"),
    ("no document could be detected; pass lang='de' or lang='en'.",
     "no document could be detected; pass --lang de or --lang en (API: lang='de' or 'en')."),
    ("topics must be 'auto' or a number of topics ≥ 2, not 'many'.", "topics must be 'auto' or a number of topics ≥ 2, not 'many'."),
])
def test_cli_wording(message, expected):
    assert cli_wording(message) == expected


def test_a_missing_column_error_names_the_flag(tmp_path, capsys):
    assert main(["report", str(DATA / "messy_de_excel.csv"), "--text-col", "body", "--out", str(tmp_path),
                 "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert "no column 'body'" in err and "Pass --text-col 'Inhalt' (API: text_col='Inhalt')." in err


def test_an_empty_field_is_called_empty(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text('id;text\n1;Die Gespräche in Genf sind gescheitert.\n2;\n3;"   "\n4;""\n', encoding="utf-8")
    rejected = analysis.load_corpus(path).rejected.set_index("doc_id")
    assert rejected.loc[["2", "3", "4"], "detail"].tolist() == ["empty", "whitespace only", "empty"]


@pytest.mark.parametrize("label, expected", [
    ("Süddeutsche Zeitung", "sueddeutsche_zeitung"),
    ("Österreichischer Rundfunk", "oesterreichischer_rundfunk"),
    ("Die Straße", "die_strasse"),
    ("ÄRZTE ÜBER ÖL", "aerzte_ueber_oel"),
    ("Le Monde (Éd. française)", "le_monde_ed_francaise"),
    ("Łódź · Gdańsk", "lodz_gdansk"),
    ("kyiv-independent.com", "kyiv_independent_com"),
    ("???", "group"),
    ("Новая газета", "group"),
])
def test_slug_transliterates(label, expected):
    assert slug(label) == expected


def test_slug_is_bounded_and_has_no_trailing_separator():
    assert slug("Frankfurter Allgemeine Zeitung am Sonntag – Ausgabe Süd") == "frankfurter_allgemeine_zeitung_am_sonnta"
    assert slug("a" * 39 + " b") == "a" * 39


def test_colliding_names_get_a_suffix(tmp_path):
    writer = ReportWriter(tmp_path)
    names = [writer.unique_name("keyness_1", label) for label in ("Süddeutsche Zeitung", "Sueddeutsche Zeitung",
                                                                     "süddeutsche-zeitung", "taz")]
    assert names == ["keyness_1_sueddeutsche_zeitung", "keyness_1_sueddeutsche_zeitung_2",
                     "keyness_1_sueddeutsche_zeitung_3", "keyness_1_taz"]


def test_keyness_figure_named_with_transliterated_outlet(tmp_path):
    corpus = analysis.load_corpus(DATA / "mixed_de_en.csv").corpus
    corpus["outlet"] = corpus["outlet"].map({"DER STANDARD": "Süddeutsche Zeitung", "Wikinews": "taz"})
    run = run_report(corpus, out=tmp_path, progress=False, stages=[s for s in STAGES if s.name == "keyness"])
    assert (run.page.parent / "figures" / "keyness_1_sueddeutsche_zeitung.png").is_file()
    assert (run.page.parent / "tables" / "keyness_1_sueddeutsche_zeitung.csv").is_file()
