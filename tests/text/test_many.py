"""Many documents analysed at once give the analyses that analyze gives one by one."""

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from analysis.corpus import datasets
from analysis.scale.batch import run_steps_in_chunks
from analysis.text import analysis as shared
from analysis.text import many
from analysis.text.analysis import analyze, scratch
from analysis.text.many import analyze_many
from analysis.text.preprocessor import Preprocessor
from analysis.text.vocabulary import VOCABULARIES, ChunkVocabulary

MESSY = ["", "   ", "\t\n", "  Führende\tPolitiker\u00a0sagen:  „Nein!“ \n", "Kim\u00a0Jong\u3000Un  schickt\n\nSoldaten . . .",
         "Nordkoreanische Soldat*innen kämpfen im Ukraine-Krieg nicht mehr. Kim schickt keine Truppen.",
         "a\u0308rger und Ärger", "--- !!! ...", "z.B. 1.500 Soldat*innen #Krieg @nk http://x.de/a?b=1 (24.02.2022)",
         "Ende\u2028Anfang\u2029 Zeile\x1cX\x85Y", "Kim-Il-Sung-Platz,Pjöngjang.1.500 km²"]
ENGLISH = ["The soldiers didn't fight. North Korea's troops, however, did!", "  U.S. forces cannot win.  "]


def columns(a):
    return (a.words, a.kinds, a.lemmas, a.n_words, a.n_word_tokens, list(a.starts), list(a.ends), a.negated,
            a.sentences)


@pytest.fixture(autouse=True)
def fresh_caches():
    shared.clear_cache()
    yield
    shared.clear_cache()


def one_by_one(text, lang):
    return shared._analyze(text, lang, "simplemma")  # not from the cache analyze_many fills


def test_equal_to_analyze_on_messy_german_and_english_in_one_call():
    texts = MESSY + ENGLISH
    langs = ["de"] * len(MESSY) + ["en"] * len(ENGLISH)
    made = analyze_many(texts, langs=langs)
    assert [columns(a) for a in made] == [columns(one_by_one(t, lang)) for t, lang in zip(texts, langs)]
    assert [a.lang for a in made] == langs


def test_equal_to_analyze_on_real_news_while_the_vocabulary_turns(monkeypatch):
    texts = datasets.load_gnad10().corpus["text"].head(400).tolist()
    vocabulary = VOCABULARIES[("de", "simplemma")] = ChunkVocabulary("de", "simplemma", size=3_000)
    sizes = []
    for start in range(0, len(texts), 50):
        part = texts[start:start + 50]
        made = analyze_many(part, langs=["de"] * len(part))
        assert [columns(a) for a in made] == [columns(one_by_one(t, "de")) for t in part]
        sizes.append(len(vocabulary))
        shared.forget_documents()
    assert max(sizes) < 3_000 + 5_000  # bounded: at most a slice's new chunks beyond the size
    assert len(set(sizes)) > 1 and min(sizes[3:]) < max(sizes)  # it turned


def test_arrow_splits_at_the_whitespace_str_split_splits_at():
    points = [c for c in range(0x110000) if not 0xD800 <= c < 0xE000]  # every code point but surrogates
    parts = pc.list_value_length(pc.utf8_split_whitespace(pa.array([f"a{chr(c)}b" for c in points]))).to_pylist()
    assert [hex(c) for c, n in zip(points, parts) if (n == 2) != chr(c).isspace()] == []


def test_the_analyses_are_what_analyze_returns_next():
    made = analyze_many(MESSY, langs=["de"] * len(MESSY))
    assert all(analyze(t, lang="de") is a for t, a in zip(MESSY, made))


def test_a_text_already_analysed_keeps_its_analysis():
    before = analyze(MESSY[5], lang="de")
    assert analyze_many([MESSY[5]], langs=["de"])[0] is before


def test_inside_scratch_the_shared_cache_is_left_alone():
    with scratch():
        made = analyze_many(MESSY[3:6], langs=["de"] * 3)
        assert analyze(MESSY[4], lang="de") is made[1]
    assert not shared._CACHE


def test_a_long_text_is_analysed_piece_by_piece(monkeypatch):
    monkeypatch.setattr(many, "LONG_TEXT", 40)
    texts = [MESSY[5], "Kurz."]
    made = analyze_many(texts, langs=["de", "de"])
    assert [columns(a) for a in made] == [columns(one_by_one(t, "de")) for t in texts]
    assert len(VOCABULARIES[("de", "simplemma")]) == 1  # only "Kurz." went through the vocabulary


def test_bad_input_is_an_error_that_says_what_to_do():
    with pytest.raises(TypeError, match="text 1 is a float"):
        analyze_many(["Krieg", np.nan], langs=["de", "de"])
    with pytest.raises(ValueError, match="one language per text"):
        analyze_many(["Krieg", "Frieden"], langs=["de"])
    with pytest.raises(ValueError, match="lang must be one of"):
        analyze_many(["Krieg"], langs=["fr"])


def test_the_pass_gives_the_same_tables_with_the_slices_analysed_at_once(tmp_path, monkeypatch):
    from analysis.report.measures import measures
    from analysis.report.term_pass import document_terms
    from analysis.scale import batch

    corpus = datasets.load_gnad10().corpus.head(120).reset_index(drop=True)
    corpus.loc[7, "lang"] = None  # detected, as the steps detect it
    chunks = [corpus.iloc[:70], corpus.iloc[70:]]
    steps = {**measures({"dictionary": "conflict"}),
             "terms": (document_terms, {"by": "outlet", "preprocessor": Preprocessor(lang="de")})}

    def run(folder):
        shared.clear_cache()  # the vocabularies too
        VOCABULARIES[("de", "simplemma")] = ChunkVocabulary("de", "simplemma", size=5_000)  # turns
        out = {name: (step, params, tmp_path / folder / name) for name, (step, params) in steps.items()}
        return {name: result.read() for name, result in run_steps_in_chunks(out, chunks, progress=False).items()}

    monkeypatch.setattr(batch, "SLICE", 25)
    at_once = run("at_once")
    vocabulary = VOCABULARIES[("de", "simplemma")]
    assert vocabulary.turns > 0 and len(vocabulary.coded) == 5  # two lexicons (entries and flags), two matchers, the terms
    monkeypatch.setattr(batch, "_analyse_slice", lambda piece, steps: None)
    monkeypatch.setattr(many, "analyze_many", lambda texts, *, langs, lemmatizer: None)  # nor do the measures
    one_at_a_time = run("one_at_a_time")
    assert len(VOCABULARIES[("de", "simplemma")]) == 0
    for name in steps:
        pd.testing.assert_frame_equal(at_once[name], one_at_a_time[name])


def test_analyses_come_in_order_a_slice_at_a_time_and_reuse_what_is_kept(monkeypatch):
    texts = ["Kim schickt Soldaten.", "Die Soldaten kämpfen nicht.", "Kim schickt Soldaten.",
             "Grüße aus Köln …", "Straße\u00a0gesperrt!"]
    shared.clear_cache()
    before = analyze(texts[1], lang="de")  # kept already: not made again
    calls = []
    monkeypatch.setattr(many, "SLICE", 3)
    monkeypatch.setattr(many, "analyze_many", lambda texts, **kw: calls.append(list(texts)) or analyze_many(texts, **kw))
    made = list(many.analyses(texts, ["de"] * len(texts)))
    assert [a.text for a in made] == texts
    assert made[1] is before and made[0] is made[2]
    assert calls == [texts[3:]]  # the first slice's one new text went through analyze
    assert made[3].token_rows is not None and made[3].lemmas == analyze(texts[3], lang="de").lemmas
    with pytest.raises(TypeError, match="must be a str"):
        list(many.analyses(["Krieg.", float("nan")], ["de", "de"]))
    with pytest.raises(ValueError, match="one language per text"):
        many.analyses(texts, ["de"])


def test_threads_that_share_the_vocabulary_analyse_as_one_thread_does():
    # a Dask worker's threads share the process's chunk vocabularies: slices analysed at the same time
    # must come out as when analysed one after another (were: columns out of step, wrong lemmas)
    from concurrent.futures import ThreadPoolExecutor

    corpus = datasets.load_gnad10().corpus.head(240)
    parts = [corpus["text"].iloc[i::4].tolist() for i in range(4)]

    def lemmas(texts):
        return [a.lemmas for a in many.analyze_many(texts, langs=["de"] * len(texts))]

    shared.clear_cache()
    alone = [lemmas(part) for part in parts]
    for _ in range(3):
        shared.clear_cache()
        with ThreadPoolExecutor(4) as pool:
            assert list(pool.map(lemmas, parts)) == alone
