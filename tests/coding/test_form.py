"""code_units: every answer saved at once, resumed where the coder stopped, keys and the plain table."""

import pandas as pd
import pytest

from analysis.coding import code_units, train_coder
from analysis.coding.examples import coded_units
from analysis.validation.spreadsheet import read_coders_csv

VARIABLES = {"frame": ["military", "humanitarian"], "tone": ["negativ", "neutral", "positiv"]}


@pytest.fixture
def units():
    units = coded_units().drop(columns="frame").head(6)
    units.loc[1, "text"] = '=HYPERLINK("http://evil.example") Grüße aus Kyjiw'  # a formula a spreadsheet would run
    units.loc[4, "text"] = "Zeile eins\nZeile zwei: Soldat*innen in Saporischschja"
    return units


def test_each_answer_is_on_disk_at_once_and_a_new_form_resumes(units, tmp_path):
    path = tmp_path / "codes" / "frames.csv"
    form = code_units(units, VARIABLES, path)
    form.answer("u00", "frame", "military")
    assert read_coders_csv(path, dtype=str, keep_default_na=False)["frame"].tolist() == ["military"]
    form.answer("u00", "tone", " Negativ")
    form.answer(1, "frame", "HUMANITARIAN")
    assert not list(path.parent.glob("*.part"))  # the temporary file replaced the codes
    resumed = code_units(units, VARIABLES, path)
    assert resumed.position == 1  # u01 still lacks its tone
    assert resumed.code("u00", "tone") == "negativ" and resumed.code("u01", "frame") == "humanitarian"
    codes = resumed.codes()
    assert codes["doc_id"].tolist() == ["u00", "u01"]
    assert codes.loc[1, "text"] == units.loc[1, "text"]  # the formula text comes back as it was


def test_keyboard_shortcuts_code_variable_by_variable_then_move_on(units, tmp_path):
    form = code_units(units, VARIABLES, tmp_path / "codes.csv")
    widget = form.form()
    widget.keys.value = "1"  # frame: military; the tone row is highlighted next
    assert widget.active == 1 and widget.keys.value == ""
    widget.keys.value = "3"  # tone: positiv; the last variable, so the next unit opens
    assert form.position == 1 and form.code("u00", "tone") == "positiv"
    widget.keys.value = "2"
    widget.keys.value = "b"
    assert form.position == 0 and widget.choices["frame"].value == "military"
    widget.keys.value = "0"  # clears the highlighted (first) variable
    assert form.code("u00", "frame") is None
    widget.choices["frame"].value = "humanitarian"  # a click saves like a key
    assert code_units(units, VARIABLES, tmp_path / "codes.csv").code("u00", "frame") == "humanitarian"
    widget.next_button.click()
    assert form.position == 1 and "unit 2 of 6" in widget.header.value


def test_the_plain_table_fallback_reads_back_and_trains_a_coder(units, tmp_path):
    form = code_units(units, {"frame": VARIABLES["frame"]}, tmp_path / "codes.csv")
    table = form.table()
    assert table.columns.tolist() == ["doc_id", "text", "frame"]
    table["frame"] = ["military", "humanitarian", "military", "", "Humanitarian ", "military"]
    table.to_csv(tmp_path / "filled.csv", index=False)
    form.read_table(tmp_path / "filled.csv")
    assert form.n_coded == 5 and form.next_uncoded() == 3
    assert "5 coded" in form._repr_html_()
    coder = train_coder(form.codes(), label_col="frame")
    assert coder.classes_.tolist() == ["humanitarian", "military"]


def test_wrong_codes_and_foreign_files_are_refused(units, tmp_path):
    form = code_units(units, VARIABLES, tmp_path / "codes.csv")
    with pytest.raises(ValueError, match="'kriegerisch' is not a code of 'frame'"):
        form.answer("u00", "frame", "kriegerisch")
    with pytest.raises(KeyError, match="no unit with doc_id 'u99'"):
        form.answer("u99", "frame", "military")
    form.answer("u00", "frame", "military")
    with pytest.raises(ValueError, match="units not in units"):
        code_units(units.tail(3), VARIABLES, tmp_path / "codes.csv")
    with pytest.raises(ValueError, match="no column 'actor'"):
        code_units(units, {"actor": ["Putin", "Selenskyj"]}, tmp_path / "codes.csv")
    with pytest.raises(ValueError, match="at least two codes"):
        code_units(units, {"frame": ["military"]}, tmp_path / "other.csv")
    with pytest.raises(ValueError, match="duplicate doc_id"):
        code_units(pd.concat([units, units.head(1)]), VARIABLES, tmp_path / "dup.csv")
