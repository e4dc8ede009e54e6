"""The pattern matcher finds what its patterns say, whatever shortcut it takes to find it.

The matcher looks up each distinct word once, through an index of the patterns' first words
(literals, ``word*`` and ``*word`` grouped by their first or last letters, other globs by a
literal piece) and a cache per language; names with compounds and genitives keep only the
candidates that can match. These tests hold its results to the patterns' plain meaning.
"""

import gc
import re
from fnmatch import fnmatchcase

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.explore import kwic
from analysis.frames import PatternMatcher, find_actors, load_dictionary
from analysis.frames.yamlfile import safe_load
from analysis.text.analysis import analyze
from analysis.text.token_batch import TokenBatch

# words of German news with umlauts, ß and compounds; glob patterns cut from them
LETTERS = "aäbdefgiklmnoörsßtuü"
words = st.text(LETTERS, min_size=1, max_size=9)
hyphenated = st.lists(words, min_size=2, max_size=3).map("-".join)
globs = st.one_of(
    words,  # a literal
    words.map(lambda w: w + "*"), words.map(lambda w: "*" + w), words.map(lambda w: f"*{w}*"),
    st.tuples(words, words).map(lambda p: f"{p[0]}?{p[1]}"), st.tuples(words, words).map(lambda p: f"{p[0]}*{p[1]}"))


def token_hits(text, patterns):
    """Each word token of ``text`` (lowercased) with the labels of the patterns it matches, as fnmatch reads globs."""
    analysis = analyze(text, lang="de")
    return analysis, [(i, label) for i, word in enumerate(analysis.words) if analysis.kinds[i] == "word"
                      for label, group in patterns.items() if any(fnmatchcase(word.lower(), p) for p in group)]


@given(st.lists(st.one_of(words, hyphenated), min_size=1, max_size=25),
       st.dictionaries(st.sampled_from(["military", "economy", "diplomacy"]), st.lists(globs, min_size=1, max_size=6),
                       min_size=1))
@settings(max_examples=300, deadline=None)
def test_single_word_globs_match_exactly_the_tokens_fnmatch_matches(tokens, patterns):
    patterns = {label: [p for p in group if p.strip("*?")] or ["x"] for label, group in patterns.items()}
    text = " ".join(tokens)
    analysis, expected = token_hits(text, patterns)
    found = PatternMatcher(patterns, on="surface").find(analysis)
    assert sorted((m.first, m.label) for m in found) == sorted(expected)
    assert all(m.first == m.last and text[m.start:m.end] == analysis.words[m.first] for m in found)


def test_one_matcher_over_a_corpus_finds_what_a_fresh_matcher_finds_per_document():
    """The word cache is shared by every document of a corpus: a word met before is matched the same."""
    dictionary = load_dictionary("conflict")
    patterns = {frame: dictionary.patterns(frame, "de") for frame in dictionary.frames}
    texts = ["Nordkoreanische Soldat*innen im Ukraine-Krieg; Drohnenangriffe auf Kiew.",
             "Keine Waffenruhe: Sanktionen gegen Russlands Energieexporte, Flüchtlinge an der Grenze.",
             "Die Militärübung der Armee; Raketen- und Drohnenangriffe; Soldaten, Soldatinnen.",
             "Nordkoreanische Soldat*innen im Ukraine-Krieg; Drohnenangriffe auf Kiew."]
    shared = PatternMatcher(patterns)
    for text in texts:
        analysis = analyze(text, lang="de")
        assert shared.find(analysis) == PatternMatcher(patterns).find(analysis)
    hits = [(m.label, texts[1][m.start:m.end]) for m in shared.find(analyze(texts[1], lang="de"))]
    assert hits == [("diplomacy", "Waffenruhe"), ("economy", "Sanktionen"), ("economy", "Energieexporte"),
                    ("humanitarian", "Flüchtlinge")]


@pytest.mark.parametrize("vocabulary_from", [0, 10**9])
def test_long_and_short_texts_find_the_same_matches(monkeypatch, vocabulary_from):
    """A long text's words are looked up through its vocabulary, a shorter one's token by token: the
    same frames and actors either way, whether the words are new to the matcher or known to it."""
    from analysis.frames import candidates as matcher  # where the matcher keeps its words' candidates
    from analysis.frames.scoring import score_frames
    from analysis.corpus.datasets import load_seed_article

    corpus = pd.concat([load_seed_article().corpus, pd.DataFrame({
        "doc_id": ["kurz-1", "kurz-2"], "lang": ["de", "de"],  # words repeated within and across texts
        "text": ["Putins Krieg: Kreml-Chef Putin, Putin und Selenskyj. Drohnenangriffe, Drohnenangriffe!",
                 "Sanktionen gegen Russlands Energieexporte; Kim Jong Uns Soldat*innen in Kursk."]})],
        ignore_index=True)
    expected = find_actors(corpus), score_frames(corpus, "conflict")
    monkeypatch.setattr(matcher, "VOCABULARY_FROM", vocabulary_from)
    for cache_size in (0, matcher.CACHE_SIZE, matcher.CACHE_SIZE):  # every word new to each text, then known
        monkeypatch.setattr(matcher, "CACHE_SIZE", cache_size)
        pd.testing.assert_frame_equal(find_actors(corpus), expected[0])
        pd.testing.assert_frame_equal(score_frames(corpus, "conflict"), expected[1])


@pytest.mark.parametrize(("patterns", "text", "expected"), [
    # a genitive s comes off the last word only: "des" is no genitive of "de" in "de Mistura"
    ({"d": ["de Mistura"]}, "Der Plan des Mistura und de Misturas Plan.", ["de Misturas"]),
    ({"k": ["Kim Jong Un"]}, "Kim Jong Uns Truppen; Kims Jong Un.", ["Kim Jong Uns"]),
    ({"p": ["Putin"]}, "Putins Krieg, Putin-Regierung, Putin's war.", ["Putins", "Putin", "Putin's"]),
    # a phrase's first word is the whole rest of its token, a part of a compound for single words
    ({"c": ["Chef Putin"]}, "Kreml-Chef Putin, Chef-Rolle Putin.", ["Chef Putin"]),
    ({"c": ["Kreml-Chef*"]}, "Kreml-Chef-Rolle und Kreml-Chefs Worte.", ["Kreml-Chef", "Kreml-Chefs"]),
    ({"u": ["US Präsident"]}, "Der US Präsidentschaftskandidat, der US-Präsident.", []),
    ({"u": ["US"]}, "Der US-Präsident und #US, USA.", ["US", "US"]),
    # umlauts and ß stay as written (names are case-sensitive)
    ({"b": ["Außenminister", "Österreich"]}, "Österreichs Außenministerin, Außenminister-Treffen.",
     ["Österreichs", "Außenminister"]),
])
def test_names_with_compounds_and_genitives(patterns, text, expected):
    matcher = PatternMatcher(patterns, on="surface", ignore_case=False, genitive=True, compounds=True, exclusive=True)
    assert [text[m.start:m.end] for m in matcher.find(analyze(text, lang="de"))] == expected


def test_find_actors_is_the_same_document_by_document_or_as_a_corpus():
    """Duplicate ids, missing dates and both languages: each document's mentions do not depend on its neighbours."""
    corpus = pd.DataFrame({
        "doc_id": ["a", "a", "b", "c", "d"],
        "lang": ["de", "de", "en", "de", "en"],
        "published": pd.to_datetime(["2022-02-24", None, "2019-05-01", "not a date", None], errors="coerce"),
        "text": ["Putins Kreml-Sprecher und Russlands Armee; der ukrainische Präsident.",
                 "Der russische Präsident Wladimir Putin traf Kim Jong Un. Kim sagte: US-Dollar, US-Regierung.",
                 "Russia's president met Kim Darroch; Zelenskyy's army and NATO's chief in the EU’s capital.",
                 "Selenskyj und Selenskyjs Berater, Bundeskanzler Scholz, Hamas-Kämpfer, die Washington Post.",
                 "The US-president and the Kremlin's war: Moscow's sanctions."]})
    whole = find_actors(corpus, metonyms=True)
    parts = [find_actors(corpus.iloc[[i]], metonyms=True) for i in range(len(corpus))]
    for text, part in zip(corpus["text"], parts):
        assert [text[s:e] for s, e in zip(part["start"], part["end"])] == part["mention"].tolist()
    columns = list(whole.columns)
    pd.testing.assert_frame_equal(whole.sort_values(columns).reset_index(drop=True),
                                  pd.concat(parts[::-1]).sort_values(columns).reset_index(drop=True))
    assert {"vladimir_putin", "kim_jong_un", "nato", "volodymyr_zelenskyy", "hamas", "russia"} <= set(whole["actor_id"])


def test_kwic_finds_what_the_glob_says_in_messy_text():
    corpus = pd.DataFrame({"doc_id": ["x", "y"], "lang": ["de", "en"],
                           "text": ["Kreml-Chef, KREMLSPRECHER, kreml; Kremls Sprecher.", "The Kremlin's Kreml."]})
    hits = kwic(corpus, "kreml*", kind="glob", window=1)
    expected = [(d, m.group()) for d, t in zip(corpus["doc_id"], corpus["text"])
                for m in re.finditer(r"\w+(?:-\w+)*", t) if fnmatchcase(m.group().lower(), "kreml*")]
    assert list(zip(hits["doc_id"], hits["match"])) == expected


@pytest.mark.parametrize("enabled", [True, False])
def test_reading_yaml_leaves_the_collector_as_it_was(enabled):
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        assert safe_load("frames: {military: {de: [soldat*]}}") == {"frames": {"military": {"de": ["soldat*"]}}}
        assert gc.isenabled() is enabled
        with pytest.raises(Exception):
            safe_load("frames: [unclosed")
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


names = st.one_of(words.map(str.capitalize), st.lists(words.map(str.capitalize), min_size=2, max_size=2).map("-".join))
tokens = st.one_of(words, words.map(str.capitalize), hyphenated, hyphenated.map(str.title), names.map("#".__add__),
                   names.map("@".__add__), names.map(lambda n: n + "s"), names.map(lambda n: "Kreml-" + n),
                   st.sampled_from(["’", "'", "-", ".", "1.500", "-Chef", "Ex\u2010Kanzlers", "Ex-Kanzler",
                                    "İSTANBUL", "ΟΔΟΣ", "\u212aREML", "STRASSE", "Straẞe"]))  # lowercased apart by Arrow and str


@given(st.lists(tokens, min_size=1, max_size=60), st.lists(globs, min_size=1, max_size=5),
       st.lists(names, min_size=1, max_size=5), st.booleans())
@settings(max_examples=200, deadline=None)
def test_the_column_test_keeps_every_token_that_has_candidates(text_words, patterns, name_patterns, case):
    """_may_match may flag a token that has no candidate, never drop one that has (tested as Arrow
    columns however few the tokens)."""
    from functools import partial

    from analysis.frames import matcher as module

    near = [f"{a}{core}{b}" for core in [re.sub("[*?]", "", p) for p in patterns + name_patterns]
            for a, b in [("", ""), ("", "en"), ("Anti", ""), ("#", ""), ("", "s"), ("Kreml-", "-Chef")]]
    analysis = analyze(" ".join(text_words + near), lang="de")  # words like the patterns' too
    columns = analysis.words, analysis.kinds, analysis.lemmas
    patterns = patterns + ["i\u0307stanbul*", "οδος", "kreml"]  # what str.lower makes of İSTANBUL, ΟΔΟΣ, \u212aREML
    for m in (PatternMatcher({"frame": patterns}, ignore_case=case),
              PatternMatcher({"frame": patterns}, on="surface", genitive=True),
              PatternMatcher({"name": name_patterns}, on="surface", ignore_case=case, genitive=True, compounds=True),
              # a first word that begins at a hyphen, or is one, is looked up whole
              PatternMatcher({"name": name_patterns + ["-", "-Chef", "Ex\u2010Kanzler"]}, on="surface", genitive=True,
                             compounds=True)):
        make = partial(module._compound_candidates, m) if m.compounds else m._candidates
        having = [k for k, token in enumerate(zip(*columns)) if make(*token)]
        with pytest.MonkeyPatch.context() as patched:
            patched.setattr(module, "TEST_COLUMNS_FROM", 0)
            flagged = m._may_match(TokenBatch(*columns))
        assert set(having) <= set(flagged), m
