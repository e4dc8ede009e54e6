"""Human validation: intrusion items, coder sessions, widget form, coding sheets, scores."""

import html
import json
import math

import numpy as np
import openpyxl
import pandas as pd
import pytest
from sklearn.metrics import precision_recall_fscore_support

from analysis.corpus import datasets
from analysis.progress import quiet
from analysis.topics import fit_topics
from analysis.validation.coding_sheet import EXCEL_CELL_CHARS
from analysis.validation import (IntrusionSession, coding_sheet, load_session, read_codes, score_codes, score_intrusion,
                               n_intrusion_documents, topic_intrusion, word_intrusion)

N_TOP = 5


@pytest.fixture(scope="module")
def gnad():
    corpus = datasets.load_gnad10().corpus
    return corpus.groupby("section", sort=True).head(15).reset_index(drop=True)


@pytest.fixture(scope="module")
def model(gnad):
    with quiet():
        return fit_topics(gnad, 8)


def _word_session(model, **kwargs):
    return word_intrusion(model, n_top=N_TOP, **kwargs)


# --- word intrusion items ------------------------------------------------------------------------

def test_word_items_hold_top_words_and_an_improbable_intruder(model):
    session = _word_session(model)
    terms = model.terms(n=10)
    vocabulary = list(model.vocabulary)
    assert len(session) == len(model.labels) and sorted(i["topic"] for i in session.items) == sorted(model.labels)
    for item in session.items:
        top = terms.query("topic == @item['topic'] and rank <= @N_TOP")["term"].tolist()
        assert len(item["options"]) == N_TOP + 1 == len(set(item["options"]))
        assert set(item["options"]) - {item["intruder"]} == set(top)
        assert item["intruder"] not in top
        others = terms.query("topic != @item['topic']")["term"]
        assert item["intruder"] in set(others)  # probable in another topic ...
        k, j = model.labels.index(item["topic"]), vocabulary.index(item["intruder"])
        assert model.topic_term[k, j] <= np.median(model.topic_term[k])  # ... improbable in this one


def test_word_items_are_deterministic_and_shuffled(model):
    first, again, other = _word_session(model), _word_session(model), _word_session(model, random_state=7)
    assert first.items == again.items
    assert first.items != other.items
    positions = [item["options"].index(item["intruder"]) for item in first.items]
    assert len(set(positions)) > 1  # the intruder is not always in the same place


def test_more_items_than_topics_cycle_through_all_topics(model):
    session = _word_session(model, n_items=20)
    counts = pd.Series([item["topic"] for item in session.items]).value_counts()
    assert len(session) == 20 and set(counts.index) == set(model.labels)
    assert counts.max() - counts.min() <= 1


@pytest.mark.parametrize("kwargs, message", [({"n_top": 1}, "n_top"), ({"n_items": 0}, "n_items"),
                                             ({"n_items": 2.5}, "n_items")])
def test_word_intrusion_rejects_bad_settings(model, kwargs, message):
    with pytest.raises(ValueError, match=message):
        word_intrusion(model, **kwargs)


def test_intrusion_needs_a_fitted_topic_model(gnad):
    with pytest.raises(TypeError, match="fit_topics"):
        word_intrusion(gnad)


# --- topic intrusion items -----------------------------------------------------------------------

def test_topic_items_show_three_top_topics_and_a_less_probable_intruder(model, gnad):
    session = topic_intrusion(model, gnad, n_items=10, n_top=4)
    wide = model.doc_topics(wide=True).set_index("doc_id")
    terms = model.terms(n=4).groupby("topic")["term"].apply(", ".join)
    assert len(session) == 10 and len({i["doc_id"] for i in session.items}) == 10
    for item in session.items:
        theta = wide.loc[item["doc_id"]]
        top3 = set(theta.sort_values(ascending=False, kind="stable").index[:3])
        assert set(item["options"]) - {item["intruder"]} == top3
        assert theta[item["intruder"]] < theta[list(top3)].min()
        assert item["option_terms"] == [terms[t] for t in item["options"]]
        text = " ".join(gnad.set_index("doc_id").loc[item["doc_id"], "text"].split())
        assert text.startswith(item["snippet"].removesuffix(" …"))
        assert item["theta"] == pytest.approx(theta[item["options"]].to_dict())
    assert session.items == topic_intrusion(model, gnad, n_items=10, n_top=4).items


def test_topic_intrusion_places_unseen_documents_with_the_model(model):
    corpus = datasets.load_gnad10().corpus
    unseen = corpus[~corpus["doc_id"].isin(model.corpus["doc_id"])].head(40)
    session = topic_intrusion(model, unseen, n_items=5)
    transformed = model.transform(unseen, wide=True).set_index("doc_id")
    for item in session.items:
        assert item["doc_id"] in set(unseen["doc_id"])
        assert item["theta"] == pytest.approx(transformed.loc[item["doc_id"], item["options"]].to_dict())


def test_topic_intrusion_errors_say_what_to_do(model, gnad):
    with pytest.raises(ValueError, match="n_items <="):
        topic_intrusion(model, gnad.head(5), n_items=5)
    with quiet():
        small = fit_topics(gnad, 3)
    with pytest.raises(ValueError, match="at least 4 topics"):
        topic_intrusion(small)
    assert n_intrusion_documents(small) == 0


def test_n_intrusion_documents_is_exactly_how_many_items_can_be_drawn(model, gnad):
    few = gnad.head(12)
    n = n_intrusion_documents(model, few)
    assert 0 < n < len(few)
    assert len(topic_intrusion(model, few, n_items=n).items) == n
    with pytest.raises(ValueError, match=f"n_items <= {n}"):
        topic_intrusion(model, few, n_items=n + 1)


# --- sessions: answers, files, table fallback ---------------------------------------------------

ITEMS = [{"item": 0, "topic": "T1", "options": ["krieg", "größe", "soldat"], "intruder": "größe"},
         {"item": 1, "topic": "T2", "options": ["bank", "euro", "front"], "intruder": "front"},
         {"item": 2, "topic": "T1", "options": ["armee", "übung", "zins"], "intruder": "zins"}]


def test_answers_accept_number_case_and_spaces_and_reject_others():
    session = IntrusionSession("word", ITEMS, coder="Zoë")
    session.answer(0, "  GRÖSSE ".replace("SS", "ß"))
    session.answer(1, 3)
    assert (session.choice(0), session.choice(1), session.choice(2)) == ("größe", "front", None)
    with pytest.raises(ValueError, match=r"item 2: 'panzer' is not one of its options"):
        session.answer(2, "panzer")
    with pytest.raises(ValueError, match="its number 1–3"):
        session.answer(2, 4)
    with pytest.raises(IndexError, match="0 to 2"):
        session.answer(3, "zins")
    session.answer(1, None)
    assert session.n_answered == 1 and session.next_unanswered() == 1


def test_session_round_trip_keeps_umlauts_and_resumes_in_the_middle(model, tmp_path):
    session = _word_session(model, coder="Jürgen Weiß")
    session.answer(0, session.items[0]["options"][0])
    session.answer(1, session.items[1]["intruder"])
    path = session.save(tmp_path / "sitzung" / "jürgen.json")
    raw = path.read_text(encoding="utf-8")
    assert "Jürgen Weiß" in raw  # readable, not \u-escaped
    data = json.loads(raw)
    assert data["random_state"] == 0 and data["model"]["n_top"] == N_TOP and len(data["model"]["corpus_sha256"]) == 64
    resumed = load_session(path)
    assert resumed.items == session.items and resumed.coder == "Jürgen Weiß"
    assert resumed.answers == session.answers
    assert resumed.next_unanswered() == 2
    resumed.answer(2, resumed.items[2]["intruder"])
    resumed.save(path)
    assert load_session(path).n_answered == 3


def test_save_needs_a_coder_and_load_rejects_other_files(tmp_path):
    with pytest.raises(ValueError, match="name the coder"):
        IntrusionSession("word", ITEMS).save(tmp_path / "x.json")
    (tmp_path / "other.json").write_text('{"a": 1}', encoding="utf-8")
    with pytest.raises(ValueError, match="not a framing-kit intrusion session"):
        load_session(tmp_path / "other.json")
    with pytest.raises(FileNotFoundError, match="no session file"):
        load_session(tmp_path / "missing.json")


def test_table_fallback_round_trip_through_csv(model, gnad, tmp_path):
    session = topic_intrusion(model, gnad, n_items=4, coder="Lea")
    table = session.table()
    assert list(table.columns) == ["item", "doc_id", "text", "option_1", "option_2", "option_3", "option_4", "answer"]
    assert table["answer"].eq("").all()
    first, second = session.items[0], session.items[1]
    table.loc[0, "answer"] = 2  # by number
    table.loc[1, "answer"] = f" {second['intruder']} "  # by topic label
    table.to_csv(tmp_path / "antworten.csv", index=False, encoding="utf-8-sig")
    session.read_answers(tmp_path / "antworten.csv")
    assert session.choice(0) == first["options"][1] and session.choice(1) == second["intruder"]
    assert session.n_answered == 2
    assert "2 of 4 items answered" in session._repr_html_()
    table.loc[2, "answer"] = "kein Thema"
    with pytest.raises(ValueError, match="item 2"):
        session.read_answers(table)


# --- widget form ---------------------------------------------------------------------------------

def test_form_records_clicks_navigates_and_autosaves(model, tmp_path):
    session = _word_session(model, coder="Anna")
    path = tmp_path / "anna.json"
    form = session.form(autosave=path)
    assert form.position == 0 and form.back_button.disabled
    assert [value for _, value in form.choices.options] == session.items[0]["options"]
    form.choices.value = session.items[0]["intruder"]
    assert session.choice(0) == session.items[0]["intruder"]
    assert load_session(path).choice(0) == session.items[0]["intruder"]
    form.next_button.click()
    assert form.position == 1 and form.choices.value is None and session.n_answered == 1
    assert "item 2 of 8" in form.header.value and "1 answered" in form.header.value
    form.choices.value = session.items[1]["options"][0]
    form.back_button.click()
    assert form.choices.value == session.items[0]["intruder"]
    resumed = load_session(path).form()
    assert resumed.position == 2  # the first unanswered item


def test_topic_form_shows_the_document_and_finishes(model, gnad):
    session = topic_intrusion(model, gnad, n_items=2, coder="Ben")
    form = session.form()
    assert html.escape(session.items[0]["snippet"][:40]) in form.prompt.value
    labels = [label for label, _ in form.choices.options]
    assert labels == session.option_labels(session.items[0]) and labels[0].startswith(session.items[0]["options"][0] + ": ")
    for _ in range(2):
        form.choices.value = session.items[form.position]["options"][0]
        form.next_button.click()
    assert session.complete and "All items answered" in form.status.value


# --- intrusion scores -----------------------------------------------------------------------------

def test_model_precision_per_topic_with_wilson_intervals():
    anna, ben = IntrusionSession("word", ITEMS, coder="Anna"), IntrusionSession("word", ITEMS, coder="Ben")
    for i, item in enumerate(ITEMS):
        anna.answer(i, item["intruder"])
    ben.answer(0, "krieg")
    ben.answer(1, "front")  # ben's item 2 stays unanswered
    scores = score_intrusion([anna, ben])
    by_topic = scores.per_unit.set_index("topic")
    assert list(scores.per_unit.columns) == ["topic", "metric", "estimate", "ci_lower", "ci_upper", "n"]
    assert by_topic.loc["T1", "estimate"] == pytest.approx(2 / 3) and by_topic.loc["T1", "n"] == 3
    assert by_topic.loc["T2", "estimate"] == 1.0 and by_topic.loc["T2", "n"] == 2
    # Wilson interval of 2 hits in 3, by hand
    z, p, n = 1.959963984540054, 2 / 3, 3
    centre, half = (p + z * z / (2 * n)) / (1 + z * z / n), z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    assert by_topic.loc["T1", ["ci_lower", "ci_upper"]].tolist() == pytest.approx([centre - half, centre + half])
    summary = scores.summary.iloc[0]
    assert (summary["metric"], summary["estimate"], summary["n"]) == ("model_precision", 0.8, 5)


def test_topic_log_odds_by_hand():
    theta = {"T1": 0.6, "T2": 0.3, "T3": 0.08, "T4": 0.0}
    item = {"item": 0, "doc_id": "ä1", "snippet": "Text", "options": ["T1", "T2", "T3", "T4"],
            "option_terms": ["a", "b", "c", "d"], "intruder": "T4", "theta": theta}
    coders = [IntrusionSession("topic", [item], coder=name) for name in ("A", "B", "C")]
    for session, pick in zip(coders, ["T4", "T2", "T3"]):
        session.answer(0, pick)
    scores = score_intrusion(coders, n_boot=200)
    floor = 1e-6  # NMF zeros are floored
    expected = [0.0, math.log(floor) - math.log(0.3), math.log(floor) - math.log(0.08)]
    assert scores.answers["topic_log_odds"].tolist() == pytest.approx(expected)
    tlo = scores.summary.set_index("metric").loc["topic_log_odds"]
    assert tlo["estimate"] == pytest.approx(np.mean(expected)) and tlo["n"] == 3
    assert tlo["ci_lower"] <= tlo["estimate"] <= tlo["ci_upper"]
    assert scores.summary.set_index("metric").loc["precision", "estimate"] == pytest.approx(1 / 3)
    assert set(scores.per_unit["doc_id"]) == {"ä1"}


def test_scoring_errors():
    session = IntrusionSession("word", ITEMS, coder="A")
    with pytest.raises(ValueError, match="no item has an answer"):
        session.score()
    session.answer(0, 1)
    other = IntrusionSession("word", ITEMS[:2], coder="B")
    with pytest.raises(ValueError, match="other items"):
        score_intrusion([session, other])
    with pytest.raises(ValueError, match="coder names repeat"):
        score_intrusion([session, session.for_coder("A")])


# --- coding sheets --------------------------------------------------------------------------------

VARIABLES = {"frame_military": ["yes", "no"], "sentiment": ["negative", "neutral", "positive"],
             "relevance": ["1", "2", "3"]}


@pytest.fixture(scope="module")
def scored(gnad):
    """Sections with a tiny one, and a model score that must not reach the coder."""
    corpus = pd.concat([gnad[gnad["section"] != "Etat"], gnad[gnad["section"] == "Etat"].head(2)], ignore_index=True)
    return corpus.assign(score_military=np.linspace(0, 1, len(corpus)))


def test_coding_sheet_stratifies_equally_and_blinds_the_coder(scored):
    sheet = coding_sheet(scored, n=45, stratify_by="section", variables=VARIABLES, random_state=3)
    assert list(sheet.sheet.columns) == ["unit", "text", *VARIABLES, "note"]
    assert sheet.sheet[list(VARIABLES)].eq("").all().all()
    counts = sheet.key["stratum"].value_counts()
    assert counts["Etat"] == 2 and counts.drop("Etat").between(5, 6).all() and counts.sum() == 45
    key = sheet.key.set_index("unit")
    corpus = scored.set_index("doc_id")
    for unit, text in zip(sheet.sheet["unit"], sheet.sheet["text"]):
        assert corpus.loc[key.loc[unit, "doc_id"], "text"] == text
    assert "score_military" in sheet.key.columns and "doc_id" not in sheet.sheet.columns
    assert sheet.key.groupby("stratum")["sampling_weight"].sum().to_dict() == pytest.approx(
        scored["section"].value_counts().to_dict())
    assert sheet.key["stratum"].tolist() != sorted(sheet.key["stratum"])  # order does not reveal strata
    again = coding_sheet(scored, n=45, stratify_by="section", variables=VARIABLES, random_state=3)
    pd.testing.assert_frame_equal(again.key, sheet.key)


@pytest.mark.parametrize("kwargs, error, message", [
    ({"n": 10_000}, ValueError, "corpus size"),
    ({"stratify_by": "ressort"}, KeyError, "no column 'ressort'"),
    ({"variables": {"section": ["a", "b"]}}, ValueError, "clashes"),
    ({"variables": {"frame": "yes/no"}}, ValueError, "non-empty list"),
    ({"variables": {"frame": ["Ja", "ja"]}}, ValueError, "repeats a code"),
])
def test_coding_sheet_errors(scored, kwargs, error, message):
    with pytest.raises(error, match=message):
        coding_sheet(scored, **{"n": 10, "variables": VARIABLES, **kwargs})


def test_coding_sheet_rejects_duplicate_ids(scored):
    with pytest.raises(ValueError, match="duplicate doc_id"):
        coding_sheet(pd.concat([scored, scored.head(1)]), n=5, variables=VARIABLES)


@pytest.fixture(scope="module")
def messy(scored):
    """Titles with umlauts or none, NaN dates, and in the two-document stratum 'Etat' (always drawn in
    full) one missing text and one longer than an Excel cell."""
    etat = np.flatnonzero(scored["section"].eq("Etat"))
    text = scored["text"].astype(object)
    text.iloc[etat[0]] = None
    text.iloc[etat[1]] = "Überfall auf die Ukraine: Flüchtlinge, Kämpfe, Straßen. " * 700
    published = scored["published"].where(np.arange(len(scored)) % 4 != 1)
    titles = [None if i % 3 == 0 else f"Öffentliche Äußerung Nr. {i} über Selenskyj" for i in range(len(scored))]
    return scored.assign(text=text, published=published, title=titles)


def _text_source(corpus, calls):
    """What a Parquet reader does: the stored rows of the requested ids, in storage order."""
    stored = corpus.set_index("doc_id")["text"]

    def texts(doc_ids):
        calls.append(list(doc_ids))
        return stored[stored.index.isin(doc_ids)]
    return texts


@pytest.mark.parametrize("stratify_by, random_state", [("section", 3), (None, 11), (["section", "lang"], 0)])
def test_coding_sheet_from_metadata_equals_the_full_corpus_sheet(messy, stratify_by, random_state):
    full = coding_sheet(messy, n=40, stratify_by=stratify_by, variables=VARIABLES, random_state=random_state)
    calls = []
    lean = coding_sheet(messy.drop(columns="text"), n=40, stratify_by=stratify_by, variables=VARIABLES,
                        random_state=random_state, texts=_text_source(messy, calls))
    pd.testing.assert_frame_equal(lean.sheet, full.sheet)
    pd.testing.assert_frame_equal(lean.key, full.key)
    assert calls == [full.key["doc_id"].tolist()]  # one call, only the drawn ids, in sheet order
    assert "text" not in lean.key.columns and lean.key["published"].isna().any()
    if isinstance(stratify_by, list):
        assert lean.key["stratum"].eq(lean.key["section"] + " | " + lean.key["lang"]).all()
    if stratify_by == "section":  # the tiny stratum is drawn whole: the missing and the overlong text
        texts = lean.sheet.set_index(lean.key["doc_id"])["text"]
        etat = messy.loc[messy["section"].eq("Etat"), "doc_id"]
        assert texts[etat.iloc[0]] == ""
        assert texts[etat.iloc[1]].endswith(" […]") and len(texts[etat.iloc[1]]) == EXCEL_CELL_CHARS + 4
        assert texts[etat.iloc[1]].startswith("Überfall auf die Ukraine: Flüchtlinge")


def test_coding_sheet_with_texts_keeps_a_corpus_own_text(messy):
    def fail(doc_ids):
        raise AssertionError("texts must not be called when the corpus has its text")
    with_texts = coding_sheet(messy, n=10, variables=VARIABLES, texts=fail)
    pd.testing.assert_frame_equal(with_texts.key, coding_sheet(messy, n=10, variables=VARIABLES).key)


def test_coding_sheet_without_text_says_to_pass_texts(messy):
    with pytest.raises(KeyError, match=r"no column 'text'.*texts="):
        coding_sheet(messy.drop(columns="text"), n=10, variables=VARIABLES)


@pytest.mark.parametrize("texts, error, message", [
    (lambda ids: pd.Series({i: "Text über Kursk" for i in ids[2:]}), ValueError, r"no text for 2 of the 10"),
    (lambda ids: {i: "Text" for i in ids}, TypeError, "must return a pandas.Series"),
    (lambda ids: pd.Series(["a", "b"], index=[ids[0], ids[0]]), ValueError, "several texts"),
    ("texts.parquet", TypeError, "texts must be a function"),
])
def test_coding_sheet_texts_errors_say_what_is_wrong(messy, texts, error, message):
    with pytest.raises(error, match=message):
        coding_sheet(messy.drop(columns="text"), n=10, variables=VARIABLES, texts=texts)


def test_coding_sheet_missing_ids_error_names_them(messy):
    kept = messy["doc_id"].iloc[::2]  # the text store lacks every other document
    stored = messy.set_index("doc_id").loc[kept, "text"]
    with pytest.raises(ValueError) as raised:
        coding_sheet(messy.drop(columns="text"), n=30, variables=VARIABLES, texts=lambda ids: stored.reindex(
            [i for i in ids if i in stored.index]))
    lacking = set(messy["doc_id"]) - set(kept)
    named = [i for i in lacking if repr(i) in str(raised.value)]
    assert named and len(named) <= 5


def test_xlsx_layout_and_round_trip_with_messy_codes(scored, tmp_path):
    sheet = coding_sheet(scored, n=6, variables={**VARIABLES, "bemerkung_frei": None}, random_state=1)
    paths = sheet.write(tmp_path / "kodierung")
    book = openpyxl.load_workbook(paths["xlsx"])
    codes_ws = book["codes"]
    assert codes_ws.freeze_panes == "B2" and book["codebook"].sheet_state == "hidden"
    assert codes_ws["C2"].alignment.wrap_text
    lists = {dv.formula1 for dv in codes_ws.data_validations.dataValidation}
    assert {'"yes,no"', '"negative,neutral,positive"', '"1,2,3"'} <= lists
    header = [cell.value for cell in codes_ws[1]]
    col = {name: header.index(name) + 1 for name in header}
    messy = [("Yes ", " Negative", 2, "Grüße"), ("no", "neutral", 3.0, None), (None, None, None, None),
             ("YES", "positive", "1", "Ü")]
    for row, (frame, sentiment, relevance, note) in zip((2, 3, 4, 5), messy):
        for name, value in (("frame_military", frame), ("sentiment", sentiment), ("relevance", relevance),
                            ("bemerkung_frei", note)):
            codes_ws.cell(row=row, column=col[name], value=value)
    codes_ws.insert_rows(4)  # a blank row between coded rows
    book.save(paths["xlsx"])
    codes = read_codes(paths["xlsx"], key=paths["key"])
    assert list(codes.columns) == ["unit", "doc_id", *VARIABLES, "bemerkung_frei", "note"]
    assert len(codes) == 6  # the inserted blank row is gone, uncoded units stay
    assert codes["frame_military"].tolist()[:5] == ["yes", "no", np.nan, "yes", np.nan]
    assert codes["relevance"].tolist()[:4] == ["2", "3", np.nan, "1"]
    assert codes["bemerkung_frei"].tolist()[:4] == ["Grüße", np.nan, np.nan, "Ü"]
    assert list(codes["sentiment"].cat.categories) == VARIABLES["sentiment"]
    assert codes["doc_id"].tolist() == sheet.key["doc_id"].tolist()


def test_codes_with_commas_get_their_drop_down_from_the_codebook(scored, tmp_path):
    sheet = coding_sheet(scored, n=3, variables={"akteur": ["Putin, Wladimir", "Selenskyj, Wolodymyr"]})
    book = openpyxl.load_workbook(sheet.to_excel(tmp_path / "akteure.xlsx"))
    assert [dv.formula1 for dv in book["codes"].data_validations.dataValidation] == ["codebook!$B$2:$B$3"]
    assert [book["codebook"][f"B{row}"].value for row in (2, 3)] == ["Putin, Wladimir", "Selenskyj, Wolodymyr"]


def test_bad_code_error_names_the_row_and_unit(scored, tmp_path):
    sheet = coding_sheet(scored, n=4, variables=VARIABLES)
    paths = sheet.write(tmp_path)
    filled = sheet.sheet.assign(frame_military=["yes", "vielleicht", "", "no"])
    filled.to_csv(paths["csv"], index=False, sep=";", encoding="utf-8-sig")  # as a German Excel saves it
    unit = sheet.sheet["unit"].iloc[1]
    with pytest.raises(ValueError, match=rf"row 3 \(unit {unit}\): 'vielleicht' is not an allowed code"):
        read_codes(paths["csv"])
    filled.assign(frame_military=["yes", "No", "", "no"]).to_csv(paths["csv"], index=False, sep=";", encoding="utf-8-sig")
    codes = read_codes(paths["csv"])  # codebook and key found next to the sheet
    assert codes["frame_military"].tolist() == ["yes", "no", np.nan, "no"]
    assert codes["doc_id"].tolist() == sheet.key["doc_id"].tolist()


def test_read_codes_needs_a_codebook(tmp_path):
    pd.DataFrame({"unit": ["U1"], "frame": ["ja"]}).to_csv(tmp_path / "lose.csv", index=False)
    with pytest.raises(ValueError, match="no codebook"):
        read_codes(tmp_path / "lose.csv")
    assert read_codes(tmp_path / "lose.csv", variables={"frame": ["Ja", "Nein"]})["frame"].tolist() == ["Ja"]


# --- scoring codes --------------------------------------------------------------------------------

def test_score_codes_matches_sklearn_and_has_intervals():
    rng = np.random.default_rng(0)
    truth = rng.choice(["negative", "neutral", "positive"], size=60, p=[0.5, 0.3, 0.2])
    guess = np.where(rng.random(60) < 0.7, truth, rng.choice(["negative", "neutral", "positive"], size=60))
    ids = [f"dok-{i}" for i in range(60)]
    codes = pd.DataFrame({"doc_id": ids, "sentiment": truth})
    codes.loc[5, "sentiment"] = np.nan  # not coded: left out
    predictions = pd.DataFrame({"doc_id": ids[::-1], "sentiment": guess[::-1]})
    scores = score_codes(codes, predictions, n_boot=300, random_state=1)
    assert list(scores.columns) == ["variable", "category", "metric", "estimate", "ci_lower", "ci_upper", "n"]
    keep = np.arange(60) != 5
    labels = ["negative", "neutral", "positive"]
    p, r, f, support = precision_recall_fscore_support(truth[keep], guess[keep], labels=labels, zero_division=0)
    table = scores.set_index(["category", "metric"])["estimate"]
    for j, label in enumerate(labels):
        assert table[(label, "precision")] == pytest.approx(p[j]) and table[(label, "f1")] == pytest.approx(f[j])
        assert scores.set_index(["category", "metric"]).loc[(label, "recall"), "n"] == support[j]
    macro = precision_recall_fscore_support(truth[keep], guess[keep], labels=labels, average="macro", zero_division=0)
    assert [table[("macro", m)] for m in ("precision", "recall", "f1")] == pytest.approx(macro[:3])
    assert table[("micro", "f1")] == pytest.approx(np.mean(truth[keep] == guess[keep]))
    assert (scores["ci_lower"] <= scores["estimate"]).all() and (scores["estimate"] <= scores["ci_upper"]).all()
    assert (scores["ci_upper"] - scores["ci_lower"]).gt(0).all()
    pd.testing.assert_frame_equal(scores, score_codes(codes, predictions, n_boot=300, random_state=1))


def test_score_codes_tolerates_excel_numbers_and_explains_mismatches():
    codes = pd.DataFrame({"unit": ["U1", "U2", "U3"], "relevance": ["1", "2", "2"]})
    predictions = pd.DataFrame({"unit": ["U1", "U2", "U3"], "relevance": [1.0, 2.0, 1.0]})
    recall = score_codes(codes, predictions, n_boot=50).set_index(["category", "metric"]).loc[("2", "recall"), "estimate"]
    assert recall == 0.5
    with pytest.raises(ValueError, match="have no prediction"):
        score_codes(codes, predictions.head(2))
    with pytest.raises(ValueError, match="map them first"):
        score_codes(codes, predictions.assign(relevance=["hoch", "tief", "hoch"]))
    with pytest.raises(KeyError, match="shared id column"):
        score_codes(codes.rename(columns={"unit": "id"}), predictions)
