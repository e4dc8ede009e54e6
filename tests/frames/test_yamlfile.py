"""A YAML file is read from its JSON copy in the kit's cache folder, and only while the file is unchanged."""

from datetime import date, datetime

import pytest
import yaml

from analysis.frames import gazetteer, yamlfile

TERMS = """\
# Amtszeiten, von Hand geschrieben
kim_jong_un: {name: {de: Kim Jong-un}, terms: [{office: kp_leader, from: 2011-12-17}]}
selenskyj: {name: {de: "Selenskyj"}, seit: 2019-05, gesehen: 2024-02-24 10:30:00, bemerkung: "Präsident; \\0date"}
leer: ~
"""


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("FRAMING_KIT_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_the_copy_gives_the_data_yaml_gives_dates_and_umlauts_included(cache, tmp_path, monkeypatch):
    path = tmp_path / "amtszeiten.yaml"
    path.write_text(TERMS, encoding="utf-8")
    parsed = yamlfile.load_file(path)
    assert parsed == yaml.safe_load(TERMS)
    assert parsed["kim_jong_un"]["terms"][0]["from"] == date(2011, 12, 17)
    assert parsed["selenskyj"]["seit"] == "2019-05" and isinstance(parsed["selenskyj"]["gesehen"], datetime)
    assert len(list(cache.glob("yaml*.json"))) == 1
    monkeypatch.setattr(yamlfile, "safe_load", lambda stream: pytest.fail("parsed again instead of read"))
    again = yamlfile.load_file(str(path))
    assert again == parsed and type(again["selenskyj"]["gesehen"]) is datetime


def test_an_edited_file_is_parsed_again_and_a_damaged_copy_is_replaced(cache, tmp_path):
    path = tmp_path / "amtszeiten.yaml"
    path.write_text(TERMS, encoding="utf-8")
    yamlfile.load_file(path)
    path.write_text(TERMS.replace("2011-12-17", "2011-12-19"), encoding="utf-8")
    assert yamlfile.load_file(path)["kim_jong_un"]["terms"][0]["from"] == date(2011, 12, 19)
    for copy in cache.glob("yaml*.json"):
        copy.write_text('{"kim_jong_un"', encoding="utf-8")  # cut short
    assert yamlfile.load_file(path) == yaml.safe_load(TERMS.replace("2011-12-17", "2011-12-19"))


def test_a_syntax_error_names_the_file_and_an_unwritable_cache_still_reads_it(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("FRAMING_KIT_CACHE", str(blocker / "cache"))
    path = tmp_path / "kaputt.yaml"
    path.write_text("actors: [nato\n", encoding="utf-8")
    with pytest.raises(yaml.YAMLError, match="kaputt.yaml"):
        yamlfile.load_file(path)
    path.write_text(TERMS, encoding="utf-8")
    assert yamlfile.load_file(path) == yaml.safe_load(TERMS)


def test_the_bundled_gazetteer_read_from_its_copy_is_the_parsed_one(cache):
    gazetteer.bundled_gazetteer.cache_clear()
    try:
        parsed = gazetteer.bundled_gazetteer()
        gazetteer.bundled_gazetteer.cache_clear()
        copied = gazetteer.bundled_gazetteer()
        assert len(list(cache.glob("yaml*.json"))) == 1
        assert copied == parsed and copied is not parsed
        assert copied.holder("us_president", date(2021, 6, 1)) == parsed.holder("us_president", date(2021, 6, 1))
    finally:
        gazetteer.bundled_gazetteer.cache_clear()


@pytest.mark.parametrize("text", ["Jahre: {2022: Invasion, 2023: Gegenoffensive}\n",
                                  "Bild: !!binary R0lGODlhAQABAAAAACw=\n",
                                  'Notiz: {"\\0date": "2024-02-24"}\n'])
def test_data_json_cannot_give_back_is_parsed_each_time_and_gets_no_copy(cache, tmp_path, text):
    path = tmp_path / "sonderfall.yaml"
    path.write_text(text, encoding="utf-8")
    assert yamlfile.load_file(path) == yaml.safe_load(text)
    assert yamlfile.load_file(path) == yaml.safe_load(text)
    assert not list(cache.glob("yaml*.json"))
