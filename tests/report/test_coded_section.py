"""`--codes FILE --variable NAME`: the report's supervised measure from coded units.

The codes in tests/data/conflict_codes.csv were made by a keyword rule (make_conflict_codes.py),
not by human coding; they stand in for a researcher's file with its usual mess.
"""

import html
import json
import re
import unicodedata
from pathlib import Path

import pandas as pd
import pytest

from analysis.cli import main
from analysis.corpus import datasets
from analysis.report import STAGES, InvalidOptionError, run_report
from analysis.report.coded_input import MIN_PER_CODE, MIN_UNITS, CodesError, read_coded
from analysis.validation import coding_sheet

DATA = Path(__file__).resolve().parents[1] / "data"
CODES = DATA / "conflict_codes.csv"
CODED = [s for s in STAGES if s.name == "coded"]
FRAMES = {"anderes", "diplomatisch", "humanitär", "militärisch"}


@pytest.fixture(scope="module")
def codes():
    return pd.read_csv(CODES, sep=";", encoding="utf-8-sig", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def corpus(codes):
    """Every coded press release plus 150 others: 270 documents of both outlets, before and after the invasion."""
    full = datasets.load_conflict_corpus().corpus[["doc_id", "text", "outlet", "published", "lang"]]
    others = full[~full["doc_id"].isin(codes["doc_id"])].sample(150, random_state=4)
    return pd.concat([full[full["doc_id"].isin(codes["doc_id"])], others]).reset_index(drop=True)


def usable(codes: pd.DataFrame, corpus: pd.DataFrame) -> pd.DataFrame:
    """The coded documents a coder may learn from, worked out independently of the kit: coded, in the
    corpus, and never coded differently in two rows."""
    coded = codes[codes["frame"].str.strip() != ""]
    n_codes = coded.groupby("doc_id")["frame"].nunique()
    agreed = coded[coded["doc_id"].isin(n_codes.index[n_codes == 1])].drop_duplicates("doc_id")
    return agreed[agreed["doc_id"].isin(corpus["doc_id"])]


# --- reading the codes: every row kept or reported ------------------------------------------------

def test_every_row_of_a_messy_codes_file_gets_an_outcome(codes, corpus):
    rows = read_coded(CODES, "Frame")  # the column matched ignoring case
    assert len(rows) == len(codes)
    assert set(rows["code"].dropna()) == FRAMES  # umlauts intact, the BOM and ';' of German Excel handled
    blank = codes.index[codes["frame"] == ""]
    assert (rows.loc[blank, "outcome"] == "no code").all()
    twice = codes[codes.duplicated(["doc_id", "frame"], keep=False)]["doc_id"].unique()
    for doc_id in twice:  # coded alike twice: used once
        assert rows.loc[rows["doc_id"] == doc_id, "outcome"].tolist() == ["used", "same code again"]
    clash = codes[codes["frame"] != ""].groupby("doc_id")["frame"].nunique().pipe(lambda n: n.index[n > 1])
    assert len(clash) and (rows.loc[rows["doc_id"].isin(clash), "outcome"] == "conflicting codes").all()


def test_a_filled_coding_sheet_is_read_through_its_key(corpus, codes, tmp_path):
    coded = corpus[corpus["doc_id"].isin(usable(codes, corpus)["doc_id"])]
    sheet = coding_sheet(coded, n=40, variables={"frame": sorted(FRAMES)}, random_state=2)
    paths = sheet.write(tmp_path)
    truth = usable(codes, corpus).set_index("doc_id")["frame"]
    given = sheet.key.set_index("unit")["doc_id"].map(truth)
    decomposed = given.map(lambda code: unicodedata.normalize("NFD", code) + " ")  # as a Mac's Excel may save it
    sheet.sheet.assign(frame=sheet.sheet["unit"].map(decomposed)).to_excel(paths["xlsx"], index=False)
    rows = read_coded(paths["xlsx"], "frame")
    assert rows["where"].str.startswith("unit ").all() and (rows["outcome"] == "used").all()
    assert rows.set_index("doc_id")["code"].to_dict() == truth.loc[sheet.key["doc_id"]].to_dict()
    paths["key"].unlink()
    with pytest.raises(CodesError, match="coding_sheet-key.csv"):
        read_coded(paths["xlsx"], "frame")


# --- bad options: clear errors before any work ----------------------------------------------------

@pytest.mark.parametrize(("options", "message"), [
    ({"variable": "frame"}, "needs --codes FILE"),
    ({"codes": "no/such/codes.csv", "variable": "frame"}, "does not exist"),
    ({"codes": CODES}, r"needs --variable NAME .*one of \['frame', 'Anmerkung'\]"),
    ({"codes": CODES, "variable": "Rahmen"}, r"no column 'Rahmen'.*one of \['frame', 'Anmerkung'\]"),
    ({"codes": DATA / "wikinews_de_footers.csv", "variable": "Titel"}, "no doc_id column"),
])
def test_bad_codes_options_stop_before_loading(options, message, tmp_path):
    with pytest.raises(InvalidOptionError, match=message):
        run_report(out=tmp_path, progress=False, **options)
    assert not (tmp_path / "index.html").exists()


def test_too_few_units_or_codes_are_refused_with_the_reason(codes, tmp_path):
    path = tmp_path / "codes.csv"
    few = codes[codes["frame"] != ""].drop_duplicates("doc_id", keep=False).head(MIN_UNITS - 1)
    few.to_csv(path, index=False)
    with pytest.raises(InvalidOptionError, match=f"{MIN_UNITS - 1} coded units can be used"):
        run_report(out=tmp_path / "r", progress=False, codes=path, variable="frame")
    codes.assign(frame="militärisch").to_csv(path, index=False)
    with pytest.raises(InvalidOptionError, match="every usable unit has the code 'militärisch'"):
        run_report(out=tmp_path / "r", progress=False, codes=path, variable="frame")
    rare = codes[codes["frame"] != "humanitär"].copy()
    once = rare.index[~rare["doc_id"].duplicated(keep=False) & (rare["frame"] != "")]
    rare.loc[once[:MIN_PER_CODE - 1], "frame"] = "humanitär"
    rare.to_csv(path, index=False)
    with pytest.raises(InvalidOptionError, match=rf"'humanitär' \({MIN_PER_CODE - 1}\).*merge them"):
        run_report(out=tmp_path / "r", progress=False, codes=path, variable="frame")


def test_cli_exits_2_with_one_line_for_bad_codes_options(tmp_path, capsys):
    assert main(["report", "--out", str(tmp_path), "--no-progress", "--variable", "frame"]) == 2
    assert main(["report", "--out", str(tmp_path), "--no-progress", "--codes", str(CODES), "--variable", "x"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2 and all(line.startswith("analysis report: ") for line in err)
    assert "--codes FILE" in err[0] and "no column 'x'" in err[1]
    assert not (tmp_path / "index.html").exists()


# --- the section ----------------------------------------------------------------------------------

def test_no_codes_no_section(corpus, tmp_path):
    run = run_report(corpus.head(30), out=tmp_path, progress=False, stages=CODED)
    assert run.stages == [] and "Supervised measure" not in run.page.read_text(encoding="utf-8")


@pytest.mark.slow
def test_section_shows_the_coders_quality_and_corrected_shares_and_recomputes_for_new_codes(corpus, codes, tmp_path):
    run = run_report(corpus, out=tmp_path, progress=False, codes=CODES, variable="frame", stages=CODED)
    assert [(r.name, r.status) for r in run.stages] == [("coded", "computed")]
    tables = tmp_path / "tables"
    used = usable(codes, corpus)
    units = pd.read_csv(tables / "coded_units.csv")
    assert len(units) == len(codes) and (units["outcome"] == "used").sum() == len(used)
    unknown = set(codes["doc_id"]) - set(corpus["doc_id"])
    assert set(units.loc[units["outcome"] == "doc_id not in the corpus", "doc_id"]) == unknown

    cv = pd.read_csv(tables / "coder_cv.csv")
    assert set(cv["label"]) == FRAMES | {"macro", "micro"} and set(cv["metric"]) == {"precision", "recall", "f1"}
    assert (cv["ci_lower"] <= cv["estimate"]).all() and (cv["estimate"] <= cv["ci_upper"]).all()
    recall_n = cv[cv["metric"] == "recall"].set_index("label")["n"]
    assert recall_n.drop(["macro", "micro"]).to_dict() == used["frame"].value_counts().to_dict()

    shares = pd.read_csv(tables / "coded_prevalence_by_group.csv")
    assert shares.columns.tolist() == ["outlet", "label", "estimate", "ci_lower", "ci_upper", "naive", "n_docs"]
    assert shares.groupby("outlet")["estimate"].sum().round(6).eq(1).all()
    assert shares.groupby("outlet")["naive"].sum().round(6).eq(1).all()
    assert (shares["ci_lower"] <= shares["estimate"]).all() and (shares["estimate"] <= shares["ci_upper"]).all()
    assert shares.groupby("outlet")["n_docs"].first().to_dict() == corpus["outlet"].value_counts().to_dict()
    over_time = pd.read_csv(tables / "coded_prevalence.csv")
    assert over_time.groupby("label")["n_docs"].sum().eq(len(corpus)).all()

    page = run.page.read_text(encoding="utf-8")
    section = re.search(r'<section id="coded">.*?</section>', page, re.S).group(0)
    assert "<h2>Supervised measure: frame</h2>" in section and "unknown to the kit" in section
    assert f"coded sample of {len(used)} units" in section and html.escape("humanitär") in section
    assert "figures/coded_prevalence_by_group.png" in section and "figures/coded_prevalence.png" in section
    assert "3 coded rows name a doc_id that is not in the corpus" in section
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["params"]["codes"] == str(CODES) and manifest["params"]["variable"] == "frame"

    again = run_report(corpus, out=tmp_path, progress=False, codes=CODES, variable="frame", stages=CODED)
    assert again.reused == ["coded"]
    changed = tmp_path / "recoded.csv"
    codes.assign(frame=codes["frame"].replace({"anderes": "sonstiges"})).to_csv(changed, sep=";", index=False)
    recoded = run_report(corpus, out=tmp_path, progress=False, codes=changed, variable="frame", stages=CODED)
    assert recoded.reused == [] and "sonstiges" in set(pd.read_csv(tables / "coder_cv.csv")["label"])


def test_too_few_codes_in_the_corpus_skip_the_section_with_a_note(corpus, codes, tmp_path):
    few = corpus[~corpus["doc_id"].isin(usable(codes, corpus)["doc_id"].iloc[MIN_UNITS - 1:])]  # 19 coded ones left
    run = run_report(few, out=tmp_path, progress=False, codes=CODES, variable="frame", stages=CODED)
    assert [(r.name, r.status) for r in run.stages] == [("coded", "skipped")]
    note = run.stages[0].section.notes[0]
    assert "coded units can be used" in note and "doc_id not in the corpus" in note and "coded_units.csv" in note
    assert (tmp_path / "tables" / "coded_units.csv").exists()
