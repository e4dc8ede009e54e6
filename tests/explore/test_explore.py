"""KWIC and actor co-occurrence on the bundled corpora and on small hand-made frames."""

import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from analysis.errors import MissingColumnError
from analysis.explore import actor_network, kwic
from analysis.plotting import kwic_table, plot_actor_network
from analysis.text import tokenize

KWIC_COLUMNS = ["doc_id", "left", "match", "right", "start", "end"]


def _texts(corpus):
    return dict(zip(corpus["doc_id"], corpus["text"]))


# --- kwic -----------------------------------------------------------------------------------

def test_kwic_special_military_operation_is_kremlin_language(conflict):
    hits = kwic(conflict, "special military operation")
    assert list(hits.columns) == KWIC_COLUMNS + ["outlet", "published"]
    assert len(hits) >= 15
    assert (hits["outlet"] == "Kremlin").mean() > 0.8
    texts = _texts(conflict)
    assert all(texts[d][s:e] == m for d, s, e, m in zip(hits["doc_id"], hits["start"], hits["end"], hits["match"]))
    assert hits["match"].str.lower().str.startswith("special military operation").all()


def test_kwic_rows_follow_corpus_order_and_offsets(conflict):
    hits = kwic(conflict, "occupier*", kind="glob")
    order = {doc_id: i for i, doc_id in enumerate(conflict["doc_id"])}
    keys = list(zip(hits["doc_id"].map(order), hits["start"]))
    assert keys == sorted(keys)
    assert (hits["outlet"] == "President of Ukraine").mean() > 0.9


def test_kwic_context_is_window_tokens_of_original_text(conflict):
    hits = kwic(conflict, "sanction", kind="lemma", window=3)
    texts = _texts(conflict)
    assert len(hits) > 10
    for doc_id, left, right, start, end in hits[["doc_id", "left", "right", "start", "end"]].itertuples(index=False):
        text = texts[doc_id]
        assert text[:start].rstrip().endswith(left) and text[end:].lstrip().startswith(right)
        assert len(tokenize(left)) == min(3, len(tokenize(text[max(0, start - 300):start])))
        assert len(tokenize(right)) == min(3, len(tokenize(text[end:end + 300])))


def test_phrase_matches_word_by_word_on_lemma_or_surface():
    corpus = pd.DataFrame({"doc_id": ["a", "b"], "lang": "en", "text": [
        "Two special military operations began. A special, military operation?", "The special military operation."]})
    hits = kwic(corpus, "special military operation")
    assert hits["match"].tolist() == ["special military operations", "special military operation"]
    assert hits["doc_id"].tolist() == ["a", "b"]  # "special, military" is broken by the comma
    assert kwic(corpus, "special military operations", kind="glob")["match"].tolist() == ["special military operations"]


def test_lemma_glob_and_surface_differ():
    corpus = pd.DataFrame({"doc_id": ["a"], "lang": "de",
                           "text": ["Soldaten und Soldat*innen, aber kein Soldatenfriedhof."]})
    assert kwic(corpus, "soldat", kind="lemma")["match"].tolist() == ["Soldaten", "Soldat*innen"]
    assert kwic(corpus, "soldat", kind="glob")["match"].tolist() == []
    assert kwic(corpus, "soldat*", kind="glob")["match"].tolist() == ["Soldaten", "Soldat*innen", "Soldatenfriedhof"]


def test_german_seed_lemma_soldat(seed):
    hits = kwic(seed, "soldat")
    text = seed["text"].iloc[0]
    assert len(hits) == sum(t.lower().startswith("soldat") for t in tokenize(text)) == 5
    assert set(hits["match"]) == {"Soldaten"}
    assert all(text[s:e] == m for s, e, m in zip(hits["start"], hits["end"], hits["match"]))


def test_german_seed_glob_nordkorea(seed):
    hits = kwic(seed, "nordkorea*", kind="glob", window=4)
    words = [t for t in tokenize(seed["text"].iloc[0]) if t.lower().startswith("nordkorea")]
    assert hits["match"].tolist() == words
    assert {"Nordkorea", "Nordkoreas", "nordkoreanischen", "Nordkoreanerinnen"} <= set(hits["match"])


def test_regex_on_raw_text_and_auto_detection(conflict):
    pattern = r"(?i)humanitarian\s+corridors?"
    hits = kwic(conflict, pattern)
    expected = sum(len(re.findall(pattern, t)) for t in conflict["text"])
    assert len(hits) == expected > 0
    assert hits["match"].str.contains(r"(?i)^humanitarian\s+corridor").all()
    assert kwic(conflict, re.compile(pattern))[["doc_id", "start"]].equals(hits[["doc_id", "start"]])


def test_window_zero_and_no_hits_keep_the_schema(seed):
    hits = kwic(seed, "Pjöngjang", window=0)
    assert len(hits) > 0 and (hits["left"] == "").all() and (hits["right"] == "").all()
    none = kwic(seed, "Quokka")
    assert none.empty and list(none.columns) == KWIC_COLUMNS + ["outlet", "published"]


@pytest.mark.parametrize("kwargs, error, message", [
    ({"pattern": "soldat", "kind": "fuzzy"}, ValueError, "kind must be one of"),
    ({"pattern": "soldat", "window": -1}, ValueError, "window"),
    ({"pattern": "  "}, ValueError, "non-empty"),
    ({"pattern": "Kim (Jong"}, ValueError, "kind='phrase'"),
    ({"pattern": "soldat", "text_col": "inhalt"}, MissingColumnError, "no column 'inhalt'"),
    ({"pattern": "soldat", "lang": "fr"}, ValueError, "lang must be"),
])
def test_kwic_bad_input(seed, kwargs, error, message):
    with pytest.raises(error, match=re.escape(message)):
        kwic(seed, **kwargs)


def test_kwic_table_aligns_and_escapes():
    hits = pd.DataFrame({"doc_id": ["a", "b"], "left": ["die <b>nordkoreanischen", "Familien der"],
                         "match": ["Soldaten", "Soldaten"], "right": ["haben\nkeine Wahl", "leben"],
                         "start": [0, 1], "end": [2, 3]})
    html = kwic_table(hits, n=1).to_html()
    assert "text-align: right" in html and "font-weight: bold" in html
    assert "&lt;b&gt;nordkoreanischen" in html and "Familien" not in html
    assert "2 hits, first 1 shown" in html


# --- actor network --------------------------------------------------------------------------

def test_seed_article_links_putin_and_kim(seed):
    network = actor_network(seed)
    assert list(network.columns) == ["actor_a", "actor_b", "weight"]
    pairs = dict(zip(zip(network["actor_a"], network["actor_b"]), network["weight"]))
    assert pairs[("Kim Jong Un", "Putin")] >= 2
    assert (network["actor_a"] < network["actor_b"]).all()
    assert network["weight"].is_monotonic_decreasing
    document = actor_network(seed, window="document")
    assert (document["weight"] == 1).all()
    assert set(pairs) <= set(zip(document["actor_a"], document["actor_b"]))


def test_token_window_counts_mention_pairs():
    corpus = pd.DataFrame({"doc_id": ["a"], "text": ["Putin traf Kim Jong Un, dann Putin allein."], "lang": "de"})
    pairs = lambda n: actor_network(corpus, window=n)["weight"].tolist()
    assert pairs(0) == []  # "traf" lies between Putin and Kim
    assert pairs(1) == [1]
    assert pairs(3) == [2]  # Kim Jong Un , dann Putin: three tokens between


def test_network_by_outlet_adds_up(conflict):
    overall = actor_network(conflict)
    by_outlet = actor_network(conflict, by="outlet")
    assert list(by_outlet.columns) == ["outlet", "actor_a", "actor_b", "weight"]
    summed = by_outlet.groupby(["actor_a", "actor_b"])["weight"].sum().sort_index()
    assert summed.equals(overall.set_index(["actor_a", "actor_b"])["weight"].sort_index())
    kremlin = by_outlet[by_outlet["outlet"] == "Kremlin"]
    assert kremlin.iloc[0][["actor_a", "actor_b"]].tolist() == ["Putin", "Russia"]  # English texts, English names


def test_network_with_own_actor_dictionary():
    corpus = pd.DataFrame({"doc_id": ["a", "b"], "text": ["Hamas und das Quokka. Israel meldet.", "Hamas feuert."]})
    network = actor_network(corpus, {"Quokka": ["Quokka*"]}, window="document")
    assert list(network.itertuples(index=False, name=None)) == [
        ("Hamas", "Israel", 1), ("Hamas", "Quokka", 1), ("Israel", "Quokka", 1)]
    alone = actor_network(corpus, {"Quokka": ["Quokka*"], "Hamas": ["Hamas"]}, window="sentence")
    assert alone.values.tolist() == [["Hamas", "Quokka", 1]]


def test_network_bad_window(seed):
    with pytest.raises(ValueError, match="window must be"):
        actor_network(seed, window="paragraph")
    with pytest.raises(MissingColumnError, match="no column 'medium'"):
        actor_network(seed, by="medium")


def test_plot_actor_network_draws_every_node_and_rejects_mixed_groups(seed, conflict):
    network = actor_network(seed)
    for layout in ("circle", "spring"):
        ax = plot_actor_network(network, layout=layout)
        names = {t.get_text() for t in ax.texts}
        assert set(network["actor_a"]) | set(network["actor_b"]) <= names
        plt.close(ax.figure)
    a = plot_actor_network(network, layout="spring").collections[0].get_offsets()
    b = plot_actor_network(network, layout="spring").collections[0].get_offsets()
    assert np.allclose(a, b)  # seeded: the same layout every time
    plt.close("all")
    with pytest.raises(ValueError, match="several outlet groups"):
        plot_actor_network(actor_network(conflict, by="outlet"))
    with pytest.raises(ValueError, match="lower min_weight"):
        plot_actor_network(network, min_weight=1000)


# --- one matcher, one analysis ----------------------------------------------------------------

GERMAN = pd.DataFrame({"doc_id": ["a", "b"], "lang": "de", "text": [
    "Die Soldat*innen im Ukraine-Krieg brauchen humanitäre Hilfe. Es gibt keine Waffenruhe.",
    "Humanitäre, Hilfe? Putins Kreml-Chef-Rolle wächst; Selenskyjs Soldaten kämpfen."]})


def test_kwic_and_frames_find_the_same_hits():
    from analysis.frames import matches
    from analysis.progress import quiet
    for pattern in ["humanitär hilfe", "soldat", "*krieg", "waffenruhe"]:
        hits = kwic(GERMAN, pattern)
        with quiet():
            frames = matches(GERMAN, {"f": [pattern]})
        assert list(zip(hits["doc_id"], hits["start"], hits["end"])) == list(
            zip(frames["doc_id"], frames["start"], frames["end"])), pattern
    assert kwic(GERMAN, "soldat")["match"].tolist() == ["Soldat*innen", "Soldaten"]


def test_kwic_reads_each_documents_language():
    corpus = pd.DataFrame({"doc_id": ["de", "en"], "text": [
        "Die Truppen ziehen ab und die Soldaten bleiben.", "The troops leave and the soldiers stay."]})
    assert kwic(corpus, "soldat", kind="lemma")["doc_id"].tolist() == ["de"]
    assert kwic(corpus, "soldier", kind="lemma")["doc_id"].tolist() == ["en"]
    with pytest.raises(ValueError, match="lang must be one of"):
        kwic(corpus.assign(lang=["de", "fr"]), "soldat")
    with pytest.raises(ValueError, match="could be detected"):
        kwic(pd.DataFrame({"doc_id": ["x"], "text": ["42 %"]}), "soldat")
    with pytest.raises(ValueError, match="lemmatizer must be one of"):
        kwic(corpus, "soldat", lemmatizer="spacy")


def test_explore_modules_keep_their_public_names():
    import analysis.explore as explore
    from analysis.explore.kwic import KWIC_COLUMNS as columns, kwic as kwic_function
    from analysis.explore.network import NETWORK_COLUMNS, actor_network as network_function
    assert explore.kwic is kwic_function and explore.actor_network is network_function
    assert list(columns) == KWIC_COLUMNS and NETWORK_COLUMNS == ("actor_a", "actor_b", "weight")


def test_network_counts_genitives_and_compounds_as_mentions():
    network = actor_network(GERMAN, window="sentence")
    assert network.values.tolist() == [["Putin", "Selenskyj", 1]]  # Putins, Kreml-Chef, Selenskyjs
    assert actor_network(GERMAN.drop(columns="lang"), lang="de").equals(network)


def test_kwic_with_an_actor_matcher_finds_what_find_actors_finds():
    from analysis.frames import actor_matcher, find_actors, load_actors

    corpus = pd.DataFrame({"doc_id": ["a"], "lang": "de", "text": [
        "Putins Truppen rücken vor. Der Kreml-Chef schweigt, während Wladimir Putin in Moskau bleibt."]})
    matcher = actor_matcher({"Putin": load_actors()["Putin"]})
    hits = kwic(corpus, matcher, window=2)
    mentions = find_actors(corpus).query("actor == 'Putin'")
    assert hits[["start", "end"]].values.tolist() == mentions[["start", "end"]].values.tolist()
    assert hits["match"].tolist()[0] == "Putins"
    with pytest.raises(ValueError, match="kind='auto'"):
        kwic(corpus, matcher, kind="regex")


def test_kwic_with_labelled_patterns_gives_each_label_its_own_hits():
    from analysis.frames import actor_matcher, load_actors

    actors = load_actors()
    corpus = pd.DataFrame({"doc_id": ["a", "b", "a2", "c"], "lang": ["de", "de", None, "de"], "published": pd.to_datetime(
        ["2022-02-24", None, "2023-01-05", "2024-11-05"], utc=True), "text": [
        "Putins Kreml-Chef-Rolle wächst; der Kreml-Sprecher schweigt, Russlands Soldaten im Ukraine-Krieg.",
        "Der Kreml und Wladimir Putin: Soldat*innen, Kreml-Chef Putin und die Ukraine.", None,
        "Selenskyjs Berater in Kiew; Russland droht der Ukraine, Putin nicht."]})
    patterns = {"Putin": actor_matcher({"Putin": [*actors["Putin"], "Kreml-Chef*"]}),  # overlaps Russland's "Kreml"
                "Russland": actor_matcher({"Russland": actors["Russland"]}),
                "Ukraine": actor_matcher({"Ukraine": actors["Ukraine"]}),
                "Truppen": "soldat", "Krieg": r"\w+-Krieg"}
    hits = kwic(corpus, patterns, window=2)
    assert list(hits.columns) == ["label", *KWIC_COLUMNS, "published"]
    for label, pattern in patterns.items():  # each label: exactly its hits alone, in the same order
        alone = kwic(corpus, pattern, window=2)
        assert hits[hits["label"] == label].drop(columns="label").reset_index(drop=True).equals(alone), label
    # "Kreml" in Kreml-Chef is Russland's as well as Putin's (an actor matcher alone is exclusive only within itself)
    kreml = hits[(hits["doc_id"] == "a") & (hits["start"] == 7)]
    assert sorted(kreml["label"]) == ["Putin", "Russland"] and set(kreml["match"]) == {"Kreml-Chef", "Kreml"}
    order = {label: k for k, label in enumerate(patterns)}
    keys = list(zip(hits["doc_id"].map({"a": 0, "b": 1, "c": 3}), hits["label"].map(order), hits["start"]))
    assert keys == sorted(keys)


def test_kwic_with_an_empty_dict_of_patterns_says_what_to_pass(seed):
    with pytest.raises(ValueError, match="at least one"):
        kwic(seed, {})
    with pytest.raises(ValueError, match="non-empty string"):
        kwic(seed, {"leer": " "})
