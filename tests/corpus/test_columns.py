"""One column guesser for load_corpus and `analysis report`: by folded names, then by content."""

from pathlib import Path

import pandas as pd
import pytest

from analysis import MissingColumnError, load_corpus
from analysis.corpus.columns import choose_columns, fold_name, guess_columns
from analysis.report.report_input import resolve_columns

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.mark.parametrize(("columns", "role", "expected"), [
    (["Veröffentlicht am", "Inhalt"], "date", "Veröffentlicht am"),
    (["veroeffentlicht_am", "Inhalt"], "date", "veroeffentlicht_am"),
    (["Erscheinungsdatum", "Volltext"], "date", "Erscheinungsdatum"),    # head of a German compound
    (["Artikel-ID", "Inhalt"], "id", "Artikel-ID"),
    (["Nr", "Inhalt"], "id", "Nr"),
    (["ARTIKELTEXT", "Titel"], "text", "ARTIKELTEXT"),
    (["Zeitung", "Inhalt"], "outlet", "Zeitung"),                        # not a date ("zeit")
    (["Artikel-Nr", "Portal", "Volltext"], "outlet", "Portal"),          # a news site's export
    (["Nachrichtenportal", "Volltext"], "outlet", "Nachrichtenportal"),
    (["Text", "Zeitung", "Uhrzeit"], "date", "Uhrzeit"),
    (["url", "Kennung", "Inhalt"], "id", "Kennung"),                    # a url only when nothing better
    (["url", "Inhalt"], "id", "url"),
    (["Inhalt", "Valid"], "id", None),                                   # "id" only as a whole word
])
def test_names_are_matched_folded_by_words_and_compound_heads(columns, role, expected):
    assert guess_columns(columns).get(role) == expected


def test_fold_name_spells_out_umlauts_and_splits_words():
    assert [fold_name(n) for n in ["Veröffentlicht am", "ÜBERSCHRIFT", "ArtikelID", "Straße-Nr."]] == [
        "veroeffentlicht am", "ueberschrift", "artikel id", "strasse nr"]


def test_content_decides_when_names_say_nothing():
    records = pd.DataFrame({
        "spalte_a": ["k-01", "k-02", "k-03", "k-04", "k-05"],
        "spalte_b": ["Kiew meldet neue Angriffe auf die Energieversorgung.", "Kurz", "In Kursk kämpfen Soldaten.",
                     "Pjöngjang schweigt zu den Berichten aus Seoul.", "Ein Waffenstillstand ist nicht in Sicht."],
        "spalte_c": ["24.02.2022", "2022-03-01", "13. Januar 2025", "1.1.2024", "nicht bekannt"],
        "spalte_d": ["taz", "taz", "Die Zeit", "taz", "Die Zeit"],
    })
    mapping, why = choose_columns(records)
    assert (mapping.text, mapping.id, mapping.date, mapping.outlet) == ("spalte_b", "spalte_a", "spalte_c", None)
    reasons = {role: reason for role, _, reason in why}
    assert reasons["date"] == "guessed from the content: 80% of values are dates"
    assert reasons["text"].startswith("guessed from the content: longest texts")
    assert reasons["id"] == "guessed from the content: unique short values"


def test_below_80_percent_dates_and_plain_numbers_are_no_date():
    records = pd.DataFrame({"inhalt": ["a b c"] * 4, "x": ["24.02.2022", "gestern", "heute", "1.1.2024"],
                            "nummer_alt": ["20220224", "20220225", "20220226", "20220227"]})
    assert choose_columns(records)[0].date is None


def test_equally_good_columns_are_named_in_the_reason():
    _, why = choose_columns(["Text", "Datum Print", "Datum Online"])
    assert why[2] == ("date", "Datum Print",
                      "guessed from the column name (word 'datum'); 'Datum Online' fits too: pass date_col=… to choose")


def test_api_and_cli_guess_the_same_columns_with_the_same_reasons():
    records = pd.read_csv(DATA / "de_columns_cp1252.csv", sep=";", encoding="cp1252", dtype=str)
    api, api_why = choose_columns(records)
    cli, cli_why = resolve_columns(records, {"outlet": "Medium"})
    assert api == cli
    assert api_why[:3] == cli_why[:3] and api_why[4] == cli_why[4] and cli_why[3] == ("outlet", "Medium", "given (--outlet-col)")


def test_load_corpus_guesses_german_columns_of_a_cp1252_export():
    load = load_corpus(DATA / "de_columns_cp1252.csv")
    assert load.columns == {"text": "Inhalt", "id": "Artikel-ID", "date": "Veröffentlicht am",
                            "outlet": "Medium", "title": "Überschrift"}
    assert load.corpus["doc_id"].tolist() == ["wn-4711", "wn-4712", "wn-4713", "wn-4714"]
    assert load.corpus["published"].dt.strftime("%Y-%m-%d").fillna("NaT").tolist() == [
        "2023-02-24", "2025-01-13", "NaT", "2024-05-07"]
    assert load.corpus["outlet"].tolist() == ["Wikinews", "Der Standard", "Wikinews", "Der Standard"]
    assert "Nr" in load.corpus.columns  # the unused id candidate is kept as metadata
    used = load.columns_used().set_index("role")
    assert used.loc["date", "why"] == "guessed from the column name (word 'veroeffentlicht')"


def test_given_columns_win_and_false_means_none():
    load = load_corpus(DATA / "de_columns_cp1252.csv", id_col="Nr", date_col=False)
    assert load.corpus["doc_id"].tolist() == ["1", "2", "3", "4"] and load.corpus["published"].isna().all()
    assert load.columns_used().set_index("role").loc["date", "why"] == "none (given)"


def test_a_frame_without_any_text_column_says_what_to_pass():
    with pytest.raises(MissingColumnError, match=r"found no text column.*columns are \['n', 'wert'\]\. Pass text_col="):
        load_corpus(pd.DataFrame({"n": [1, 2], "wert": [0.5, 0.7]}))
