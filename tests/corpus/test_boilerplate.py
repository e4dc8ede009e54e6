"""Duplicates and boilerplate: exact copies rejected at load, recurring footers found and removed."""

import unicodedata
from pathlib import Path

import pandas as pd
import pytest

from analysis.corpus import datasets, find_boilerplate, iter_corpus, load_corpus, remove_boilerplate
from analysis.corpus.boilerplate import boilerplate_key, find_and_remove_boilerplate
from analysis.corpus.stream import collect

WIKINEWS = Path(__file__).resolve().parents[1] / "data" / "wikinews_de_footers.csv"
TRANSLATED = "Dieser Artikel ist eine Übersetzung eines fremdsprachigen Artikels vom"
IN_TWO = "Die Lage bleibt nach Angaben der Behörden angespannt."


@pytest.fixture(scope="module")
def wikinews():
    return load_corpus(WIKINEWS)


def test_exact_duplicates_without_ids_are_rejected_naming_the_first(wikinews):
    rejected = wikinews.rejected
    assert wikinews.n_input == 17 and len(wikinews.corpus) == 14
    assert rejected["reason"].tolist() == ["duplicate text"] * 3
    assert rejected["detail"].tolist() == ["duplicate text of doc04", "duplicate text of doc08",  # doc15: CRLF, 2 spaces
                                           "duplicate text of doc11"]
    assert rejected["line"].notna().all() and rejected["excerpt"].str.startswith(("Ismailia", "Moskau", "München")).all()
    titles = wikinews.corpus["title"]
    assert titles.is_unique and "Nawalny zu Straflager verurteilt" in set(titles)  # the first copy is kept
    streamed = collect(iter_corpus(WIKINEWS, chunksize=5))  # copies in later chunks than their first
    pd.testing.assert_frame_equal(streamed.rejected, rejected)


def test_same_text_under_two_ids_is_rejected_unless_kept_on_purpose():
    frame = pd.DataFrame({"id": ["dpa-1", "zeit-7", "taz-3"],
                          "text": ["Selenskyj trifft Scholz in Berlin.", "Selenskyj trifft Scholz in Berlin.",
                                   "Ganz andere Meldung aus Wien."]})
    load = load_corpus(frame, id_col="id", lang="de")
    assert load.rejected[["doc_id", "reason", "detail"]].values.tolist() == [
        ["zeit-7", "duplicate text", "duplicate text of dpa-1"]]
    assert len(load_corpus(frame, id_col="id", lang="de", duplicate_texts="keep").corpus) == 3
    with pytest.raises(ValueError, match="duplicate_texts must be 'reject' or 'keep'"):
        load_corpus(frame, duplicate_texts="drop")


def test_wikinews_footers_are_found_listed_and_removed(wikinews):
    corpus = wikinews.corpus
    found = find_boilerplate(corpus)
    listed = dict(zip(found["text"], found["n_docs"]))
    assert listed["Kommentar abgeben"] == listed["Themenverwandte Artikel"] == listed["Quellen"] == 14
    translated = [t for t in listed if t.startswith(TRANSLATED)]  # one unit whatever the date
    assert len(translated) == 1 and listed[translated[0]] == corpus["text"].str.contains(TRANSLATED).sum() == 7
    assert IN_TWO not in listed and not any(t.startswith("Portal:") for t in listed)
    assert set(found["doc_id"]) <= set(corpus["doc_id"])
    cleaned = remove_boilerplate(corpus, found)
    assert not cleaned["text"].str.contains("Kommentar abgeben|Themenverwandte|Übersetzung eines").any()
    assert cleaned["text"].str.contains(IN_TWO, regex=False).sum() == 2
    first_lines = corpus["text"].str.split("\n").str[0]
    assert (cleaned["text"].str.split("\n").str[0] == first_lines).all()  # the articles themselves untouched
    assert corpus["text"].str.contains("Kommentar abgeben").all()  # the input is not changed
    edited = found[found["text"] != "Quellen"][["text"]]  # a table edited by hand, without keys
    assert remove_boilerplate(corpus, edited)["text"].str.contains("\nQuellen\n").all()


def test_in_2_of_300_documents_a_sentence_stays_and_agency_copies_keep_their_text():
    news = datasets.load_gnad10().corpus.iloc[:300].copy()
    news.loc[[17, 230], "text"] = news.loc[[17, 230], "text"].str.replace(". ", f". {IN_TWO} ", n=1, regex=False)
    footer = "\nLesen Sie auch:\nMehr Nachrichten aus der Region finden Sie auf unserer Startseite."
    news.loc[news.index[::4], "text"] += footer  # a footer in 75 of 300 documents
    story = news.at[5, "text"]
    for i, outlet in zip(range(290, 296), ["Kurier", "Presse", "Krone", "Heute", "profil", "Falter"]):
        news.at[i, "text"] = f"{outlet} – {story}"  # one agency report printed by six outlets
    found = set(find_boilerplate(news)["text"])
    assert {"Lesen Sie auch:", "Mehr Nachrichten aus der Region finden Sie auf unserer Startseite."} <= found
    assert IN_TWO not in found
    first_sentence = story.split(". ")[1]
    assert not any(first_sentence in unit for unit in found)  # seven copies of one story count once
    cleaned = remove_boilerplate(news, find_boilerplate(news))
    assert cleaned.loc[[17, 230], "text"].str.contains(IN_TWO, regex=False).all()
    assert not cleaned["text"].str.contains("Lesen Sie auch").any()
    assert (cleaned.loc[290:295, "text"].str.len() > 0.9 * news.loc[290:295, "text"].str.len()).all()


def test_thresholds_and_bad_input():
    footer = "Alle Angaben ohne Gewähr."
    texts = [f"Bericht {word} aus der Hauptstadt über {topic}.\n{footer}" for word, topic in
             zip(["eins", "zwei", "drei", "vier", "fünf"], ["Haushalt", "Bahn", "Schulen", "Renten", "Wetter"])]
    corpus = pd.DataFrame({"doc_id": list("abcde"), "text": texts})
    assert find_boilerplate(corpus)["text"].tolist() == [footer]  # 5 documents: just enough
    assert find_boilerplate(corpus.iloc[:4]).empty  # 4: too few
    assert find_boilerplate(corpus, min_docs=6).empty
    with pytest.raises(ValueError, match="min_docs"):
        find_boilerplate(corpus, min_docs=1)
    with pytest.raises(TypeError, match="not one string"):
        remove_boilerplate(corpus, footer)


def test_kept_text_stays_nfc():
    decomposed = unicodedata.normalize("NFD", "Die Bürgermeisterin von München äußert sich.")
    corpus = pd.DataFrame({"doc_id": ["a"], "text": [decomposed + "\nKommentar abgeben"]})
    cleaned = remove_boilerplate(corpus, ["Kommentar abgeben"])["text"].iloc[0]
    assert cleaned == unicodedata.normalize("NFC", decomposed) and unicodedata.is_normalized("NFC", cleaned)


def test_finding_and_removing_in_one_go_gives_the_two_steps_result(wikinews):
    # the report's path: each document split into units once; a missing text stays missing
    corpus = pd.concat([wikinews.corpus, pd.DataFrame({"doc_id": ["leer"], "text": [None], "lang": ["de"]})],
                       ignore_index=True)
    table, cleaned = find_and_remove_boilerplate(corpus)
    pd.testing.assert_frame_equal(table, find_boilerplate(corpus))
    pd.testing.assert_frame_equal(cleaned, remove_boilerplate(corpus, table))
    assert cleaned["text"].iloc[-1] is None and not cleaned["text"].str.contains("Kommentar abgeben").any()
    none_found, unchanged = find_and_remove_boilerplate(corpus.head(4))  # too few documents to recur in
    assert none_found.empty and unchanged["text"].tolist() == corpus.head(4)["text"].tolist()


def test_a_dump_that_repeats_articles_loses_the_footer_in_every_copy_and_keeps_the_rest(wikinews):
    # lines met before (in this document or another) are split and keyed once: the result must not tell
    articles = wikinews.corpus["text"].head(3).tolist()
    dump = "\n\n".join(articles * 3)
    corpus = pd.concat([wikinews.corpus, pd.DataFrame({"doc_id": ["ausgabe"], "text": [dump], "lang": ["de"]})],
                       ignore_index=True)
    table, cleaned = find_and_remove_boilerplate(corpus)
    pd.testing.assert_frame_equal(table, find_boilerplate(corpus))
    pd.testing.assert_frame_equal(cleaned, remove_boilerplate(corpus, table))
    kept = cleaned["text"].iloc[-1]
    assert "Kommentar abgeben" not in kept
    first_line = articles[0].split("\n")[0]
    assert kept.count(first_line) == 3 * articles.count(articles[0])  # every copy of the article's own text stays


@pytest.mark.parametrize("unit, key", [  # must not change: whole month and weekday names only
    ("(APA, 11. Mai 2015)", "(apa, 0.0 0)"), ("Mai-Demo am Montagabend", "0-demo am montagabend"),
    ("mayday, Mayday!", "mayday, mayday!"), ("12jan und 3 Jänner 2022", "0jan und 0 0 0"), ("Septembers", "septembers"),
    ("Stand: Sonnabend, 1. März", "stand: 0, 0.0"), ("Updated Tuesday 24 February 2022, 10:45", "updated 0 0 0 0, 0:0"),
    ("Märzenbecher im April", "märzenbecher im 0"), ("Sept. 2021", "0.0"), ("JUNI JUNE jun junior", "0 0 0 junior"),
    ("Dezember/Dez./dec", "0/0./0"), ("Ö1-Morgenjournal vom 5. Oktober", "ö0-morgenjournal vom 0.0"),
    ("augustus august aug", "augustus 0 0"),
])
def test_digits_and_whole_month_and_weekday_names_are_masked(unit, key):
    assert boilerplate_key(unit) == key
