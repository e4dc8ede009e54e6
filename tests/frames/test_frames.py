"""Frame dictionaries and scoring: what a framing study relies on."""

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone

from analysis.frames import FrameDictionary, load_dictionary
from analysis.frames import FrameScorer, matches, score_frames
from analysis.progress import quiet

MILITARY = {"military": ["soldat", "*krieg", "rakete", "kämpfen"], "humanitarian": ["humanitär hilfe", "zivilist"],
            "diplomacy": ["waffenruhe", "verhandlung*"]}
CORPUS = pd.DataFrame({
    "doc_id": ["de1", "de2", "en1"],
    "lang": ["de", "de", "en"],
    "text": ["Nordkoreanische Soldatinnen und Soldat*innen kämpfen im Ukraine-Krieg. Humanitäre Hilfe für Zivilisten bleibt aus.",
             "Es gibt keine Waffenruhe und keine Verhandlungen.",
             "Soldiers fight; civilians need humanitarian aid."],
})
BILINGUAL = {"frames": {
    "military": {"label": "Military", "de": ["soldat", "*krieg", "kämpfen"], "en": ["soldier", "fight"]},
    "humanitarian": {"label": "Humanitarian", "de": ["humanitär hilfe", "zivilist"], "en": ["humanitarian aid", "civilian"]},
}}


def scores(corpus, dictionary, **kwargs):
    with quiet():
        return score_frames(corpus, dictionary, **kwargs)


def test_lemmas_globs_gender_forms_and_phrases():
    result = scores(CORPUS.iloc[:1], MILITARY, normalize=None).set_index("frame")["hits"]
    assert result.to_dict() == {"military": 4, "humanitarian": 2, "diplomacy": 0}


def test_a_phrase_counts_once_for_its_frame():
    dictionary = {"military": ["special military operation", "military", "operation"], "law": ["operation"]}
    result = scores(pd.DataFrame({"doc_id": ["k"], "lang": ["en"], "text": ["The special military operation goes on."]}),
                    dictionary, normalize=None).set_index("frame")["hits"]
    assert result.to_dict() == {"military": 1, "law": 1}


def test_negated_hits_are_flagged_and_can_be_excluded():
    with quiet():
        found = matches(CORPUS.iloc[1:2], MILITARY)
    assert found["match"].tolist() == ["Waffenruhe", "Verhandlungen"] and found["negated"].all()
    counted = scores(CORPUS.iloc[1:2], MILITARY, normalize=None, negation="exclude")
    assert counted["hits"].sum() == 0


def test_negated_hits_are_left_out_by_default_and_reported():
    corpus = pd.DataFrame({"doc_id": ["d1", "d1 ", "e1"], "lang": ["de", "de", "en"], "text": [
        "Es gibt keine Waffenruhe, aber Verhandlungen über Zivilisten in Mariupol.",
        "Keine Soldaten, keine Raketen: die Zivilisten fliehen trotzdem.",
        "There is no ceasefire and no humanitarian aid; soldiers fight on."]})
    dictionary = {**MILITARY, "military": MILITARY["military"] + ["soldier", "fight"],
                  "diplomacy": MILITARY["diplomacy"] + ["ceasefire"], "humanitarian": ["humanitarian aid", "zivilist"]}
    default = scores(corpus, dictionary, normalize=None).set_index(["doc_id", "frame"])
    counted = scores(corpus, dictionary, normalize=None, negation="count").set_index(["doc_id", "frame"])
    assert default["negated_hits"].equals(counted["negated_hits"])  # reported whatever is counted
    assert (counted["hits"] - default["hits"]).equals(default["negated_hits"])
    assert default.loc[("d1", "diplomacy"), ["hits", "negated_hits"]].tolist() == [1, 1]  # Verhandlungen; ¬Waffenruhe
    assert default.loc[("d1 ", "military"), ["hits", "negated_hits"]].tolist() == [0, 2]  # ¬Soldaten, ¬Raketen
    assert default.loc[("e1", "military"), "hits"] == 2 and default.loc[("e1", "diplomacy"), "negated_hits"] == 1
    scorer = FrameScorer(dictionary=dictionary, normalize=None).fit()
    assert scorer.get_params()["negation"] == "exclude"
    np.testing.assert_array_equal(scorer.transform(corpus).ravel(), default["hits"].to_numpy())


def test_matches_point_into_the_text_with_their_sentence():
    with quiet():
        found = matches(CORPUS.iloc[:1], MILITARY)
    text = CORPUS["text"].iloc[0]
    for row in found.itertuples():
        assert text[row.start:row.end] == row.match
        assert row.match in row.sentence_text
    assert set(found.loc[found["frame"] == "humanitarian", "sentence"]) == {1}


def test_languages_share_frame_columns():
    result = scores(CORPUS, BILINGUAL, normalize=None)
    wide = result.pivot(index="doc_id", columns="frame", values="hits")
    assert wide.loc["en1"].to_dict() == {"humanitarian": 2, "military": 2}
    assert wide.loc["de1", "military"] == 4


@pytest.mark.parametrize("normalize", ["per_1000_tokens", "share", None])
def test_schema_and_normalisation(normalize):
    result = scores(CORPUS, MILITARY, normalize=normalize)
    assert list(result.columns) == ["doc_id", "frame", "hits", "negated_hits", "n_tokens", "score"]
    assert len(result) == 3 * 3  # every document × frame, zeros included
    de1 = result[result["doc_id"] == "de1"].set_index("frame")
    if normalize == "share":
        assert de1["score"].sum() == pytest.approx(1.0)
    elif normalize == "per_1000_tokens":
        assert de1.loc["military", "score"] == pytest.approx(1000 * 4 / de1.loc["military", "n_tokens"])


def test_sentence_units_keep_their_parent():
    result = scores(CORPUS.iloc[:1], MILITARY, unit="sentence", normalize=None)
    assert result["parent_id"].eq("de1").all()
    assert result.groupby("doc_id")["hits"].sum().tolist() == [4, 2]


def test_yaml_and_liwc_round_trips(tmp_path):
    dictionary = load_dictionary(BILINGUAL)
    again = load_dictionary(dictionary.to_yaml(tmp_path / "d.yaml"))
    assert again.patterns("humanitarian", "de") == ["humanitär hilfe", "zivilist"]
    liwc = load_dictionary(dictionary.to_dic(tmp_path / "d.dic", lang="en"))
    assert liwc.frames == ["military", "humanitarian"] and liwc.patterns("military", "de") == ["soldier", "fight"]
    (tmp_path / "quanteda.yml").write_text("war:\n  military: [soldat*, truppe*]\npeace: [frieden]\n", encoding="utf-8")
    nested = load_dictionary(tmp_path / "quanteda.yml")
    assert nested.frames == ["war.military", "peace"]


def test_frame_scorer_is_a_transformer():
    scorer = FrameScorer(dictionary=MILITARY, lang="de", normalize=None)
    assert clone(scorer).get_params()["dictionary"] == MILITARY
    with pytest.raises(Exception, match="not fitted"):
        scorer.transform(["x"])
    with quiet():
        out = scorer.fit(["x"]).set_output(transform="pandas").transform(CORPUS["text"].iloc[:2])
    assert list(out.columns) == ["military", "humanitarian", "diplomacy"]
    np.testing.assert_array_equal(out.to_numpy()[:, 0], [4.0, 0.0])


def test_bad_dictionaries_and_arguments(tmp_path):
    with pytest.raises(FileNotFoundError, match="bundled name"):
        load_dictionary("nope")
    with pytest.raises(ValueError, match="match every word"):
        load_dictionary({"x": ["*"]})
    with pytest.raises(ValueError, match="list of strings"):
        FrameDictionary.from_mapping({"x": "soldat"})
    with pytest.raises(ValueError, match="normalize"):
        scores(CORPUS, MILITARY, normalize="tfidf")


def test_bundled_dictionaries_on_the_seed_article():
    from analysis.corpus import datasets
    seed = datasets.load_seed_article().corpus
    with quiet():
        conflict = matches(seed, "conflict")
        generic = matches(seed, "generic")
    assert {"military", "humanitarian", "economy"} <= set(conflict["frame"])
    assert {"human_interest", "morality", "economic_consequences"} <= set(generic["frame"])
    economy = set(conflict.loc[conflict["frame"] == "economy", "match"])
    assert {"Devisen", "Sanktionen"} <= economy
    bundled = [load_dictionary(name) for name in ("generic", "conflict")]
    for dictionary in bundled:
        assert dictionary.languages == ["de", "en"]
        assert all(dictionary.patterns(f, "de") and dictionary.patterns(f, "en") for f in dictionary.frames)


# --- the one pattern matcher ------------------------------------------------------------------

from analysis.frames import PatternMatcher  # noqa: E402
from analysis.text.analysis import analyze  # noqa: E402

GERMAN = ("Die Soldat*innen der Ukraine kämpfen im Ukraine-Krieg; Ärzte versorgen Flüchtlinge. "
          "Humanitäre Hilfe kommt an, humanitäre, Hilfe nicht. Es gibt keine Waffenruhe.")


def found(patterns, text=GERMAN, lang="de", **options):
    analysis = analyze(text, lang=lang)
    return [(m.label, text[m.start:m.end]) for m in PatternMatcher(patterns, **options).find(analysis)]


@pytest.mark.parametrize(("patterns", "options", "expected"), [
    # lemma or surface, lowercased: gender star form, umlauts, plural lemmas
    ({"m": ["soldat", "arzt", "flüchtling"]}, {}, [("m", "Soldat*innen"), ("m", "Ärzte"), ("m", "Flüchtlinge")]),
    # globs inside one token: suffix, prefix, single character
    ({"m": ["*krieg", "flücht*", "ärzt?"]}, {}, [("m", "Ukraine-Krieg"), ("m", "Ärzte"), ("m", "Flüchtlinge")]),
    ({"m": ["*krieg*", "k*mpf*"]}, {}, [("m", "kämpfen"), ("m", "Ukraine-Krieg")]),
    # a phrase needs consecutive tokens: the comma breaks the second one
    ({"h": ["humanitär hilfe"]}, {}, [("h", "Humanitäre Hilfe")]),
    # longest match at a position wins within a label; labels may overlap
    ({"h": ["humanitär hilfe", "hilfe"], "x": ["hilfe"]}, {},
     [("h", "Humanitäre Hilfe"), ("x", "Hilfe"), ("h", "Hilfe"), ("x", "Hilfe")]),
    # lemma only: the surface form "soldat*innen" is not a lemma
    ({"m": ["soldat*innen"]}, {"on": "lemma"}, []),
    ({"m": ["soldat*innen"]}, {"on": "surface"}, [("m", "Soldat*innen")]),
    # case-sensitive surface for names
    ({"u": ["Ukraine"]}, {"on": "surface", "ignore_case": False}, [("u", "Ukraine")]),
    ({"u": ["Ukraine"]}, {"on": "surface", "ignore_case": False, "compounds": True},
     [("u", "Ukraine"), ("u", "Ukraine")]),
])
def test_pattern_matcher_rules(patterns, options, expected):
    assert found(patterns, **options) == expected


def test_pattern_matcher_offsets_tokens_and_negation_come_from_the_analysis():
    analysis = analyze(GERMAN, lang="de")
    hits = PatternMatcher({"d": ["waffenruhe"], "h": ["humanitär hilfe"]}).find(analysis)
    for m in hits:
        assert analysis.tokens[m.first].start == m.start and analysis.tokens[m.last].end == m.end
    assert [(m.label, analysis.negated[m.first]) for m in hits] == [("h", False), ("d", True)]


@pytest.mark.parametrize("options", [{}, {"on": "surface", "ignore_case": False, "compounds": True, "genitive": True}])
def test_pattern_matcher_gives_the_same_matches_when_its_word_cache_overflows(monkeypatch, options):
    """Each distinct word is looked up once per text; a cache that starts afresh mid-corpus changes nothing."""
    from analysis.frames import candidates as matcher_module  # the word cache its candidates go through

    patterns = {"m": ["soldat", "ukraine", "*krieg"], "h": ["humanitär hilfe"], "u": ["Ukraine"]}
    texts = [GERMAN, "Ukraine-Krieg: Putins Soldaten, Soldaten und nochmals Soldaten. Ukraines Hilfe.", GERMAN]
    expected = [found(patterns, text, **options) for text in texts]
    monkeypatch.setattr(matcher_module, "CACHE_SIZE", 3)
    matcher = PatternMatcher(patterns, **options)  # one matcher (one cache) across the texts, as score_frames uses it
    got = [[(m.label, t[m.start:m.end]) for m in matcher.find(analyze(t, lang="de"))] for t in texts]
    assert got == expected
    matched = [text.lower() for hits in got for _, text in hits]
    assert matched and all(any(word in text for word in ("soldat", "ukraine", "krieg", "hilfe")) for text in matched)
    if not options:  # lemma or surface: every repeat of a word counts, not only its first token
        assert matched.count("soldaten") == 3


def test_pattern_matcher_rejects_bad_patterns_and_options():
    with pytest.raises(ValueError, match="would match every word"):
        PatternMatcher({"x": ["*"]})
    with pytest.raises(ValueError, match="list of strings"):
        PatternMatcher({"x": "soldat"})
    with pytest.raises(ValueError, match="on must be one of"):
        PatternMatcher(["soldat"], on="stem")
    with pytest.raises(ValueError, match="on='surface'"):
        PatternMatcher(["Putin"], genitive=True)


# --- languages and lemmatisers ---------------------------------------------------------------

def test_each_document_is_read_in_its_detected_language():
    corpus = pd.DataFrame({"doc_id": ["de", "en"], "text": [
        "Die Soldaten kämpfen und die Zivilisten fliehen.", "The soldiers fight and the civilians flee."]})
    wide = scores(corpus, BILINGUAL, normalize=None).pivot(index="doc_id", columns="frame", values="hits")
    assert wide.to_dict("index") == {"de": {"humanitarian": 1, "military": 2}, "en": {"humanitarian": 1, "military": 2}}


@pytest.mark.parametrize(("corpus", "kwargs", "message"), [
    (CORPUS.assign(lang=["de", "fr", "en"]), {}, "lang must be one of"),
    (CORPUS, {"lang": "fr"}, "lang must be one of"),
    (pd.DataFrame({"doc_id": ["a"], "text": ["42 %"]}), {}, "could be detected"),
    (CORPUS, {"lemmatizer": "spacy"}, "lemmatizer must be one of"),
])
def test_unknown_language_or_lemmatizer_is_an_error_not_german(corpus, kwargs, message):
    with pytest.raises(ValueError, match=message):
        scores(corpus, MILITARY, **kwargs)
    with pytest.raises(ValueError, match=message):
        with quiet():
            matches(corpus, MILITARY, **kwargs)


def test_lemmatizer_option_reaches_the_analysis():
    try:
        import HanTa  # noqa: F401
    except ImportError:
        with pytest.raises(ImportError, match="HanTa"):
            scores(CORPUS.iloc[:1], MILITARY, lemmatizer="hanta")
        return
    result = scores(CORPUS.iloc[:1], MILITARY, lemmatizer="hanta", normalize=None).set_index("frame")["hits"]
    assert result["military"] >= 3


def test_missing_text_names_the_document():
    corpus = CORPUS.assign(text=[CORPUS["text"].iloc[0], None, "x"])
    with pytest.raises(ValueError, match=r"missing or non-text.*'de2'"):
        scores(corpus, MILITARY)


# --- FrameScorer: the scikit-learn contract ---------------------------------------------------

def test_frame_scorer_reads_a_frame_a_series_or_a_list_alike():
    scorer = FrameScorer(dictionary=BILINGUAL, normalize=None).fit()
    from_frame = scorer.transform(CORPUS)  # uses the text and lang columns
    from_series = scorer.transform(CORPUS["text"].iloc[:2])  # languages detected
    from_list = FrameScorer(dictionary=BILINGUAL, normalize=None, lang="de").fit().transform(list(CORPUS["text"])[:2])
    np.testing.assert_array_equal(from_frame, [[4, 2], [0, 0], [2, 2]])
    np.testing.assert_array_equal(from_series, from_frame[:2])
    np.testing.assert_array_equal(from_list, from_frame[:2])
    expected = scores(CORPUS, BILINGUAL).pivot(index="doc_id", columns="frame", values="score")
    np.testing.assert_allclose(FrameScorer(dictionary=BILINGUAL).fit().transform(CORPUS),
                               expected.loc[CORPUS["doc_id"], ["military", "humanitarian"]].to_numpy())


def test_frame_scorer_empty_input_keeps_the_columns():
    scorer = FrameScorer(dictionary=MILITARY).fit()
    assert scorer.transform([]).shape == (0, 3)
    empty = scorer.set_output(transform="pandas").transform(pd.Series([], dtype=object))
    assert list(empty.columns) == ["military", "humanitarian", "diplomacy"] and empty.empty


@pytest.mark.parametrize("X", [["Soldaten kämpfen.", None], pd.Series(["Soldaten kämpfen.", np.nan]),
                               pd.DataFrame({"text": ["Soldaten kämpfen.", None], "lang": "de"})])
def test_frame_scorer_missing_text_names_its_position(X):
    scorer = FrameScorer(dictionary=MILITARY, lang="de").fit()
    with pytest.raises(ValueError, match="position 1"):
        scorer.transform(X)


def test_frame_scorer_checks_options_in_fit_not_init():
    scorer = FrameScorer(dictionary=MILITARY, normalize="tfidf")  # sklearn: __init__ only stores
    assert scorer.get_params()["normalize"] == "tfidf"
    with pytest.raises(ValueError, match="normalize must be one of"):
        scorer.fit()
    for bad, message in [({"negation": "drop"}, "negation"), ({"lang": "fr"}, "lang must be"),
                         ({"lemmatizer": "spacy"}, "lemmatizer"), ({"progress": "yes"}, "progress")]:
        with pytest.raises(ValueError, match=message):
            FrameScorer(dictionary=MILITARY, **bad).fit()
    with pytest.raises(TypeError, match="single string"):
        FrameScorer(dictionary=MILITARY).fit().transform("Soldaten kämpfen.")


def test_frame_scorer_clone_round_trip_and_feature_names():
    scorer = FrameScorer(dictionary=BILINGUAL, lang="en", normalize="share", negation="exclude", progress=True)
    again = clone(scorer)
    assert again.get_params() == scorer.get_params()
    assert FrameScorer(**scorer.get_params()).get_params() == scorer.get_params()
    again.set_params(lang="de")
    assert again.lang == "de" and scorer.lang == "en"
    assert again.fit().get_feature_names_out().tolist() == ["military", "humanitarian"]


def test_frame_scorer_shows_progress_only_when_asked(capsys):
    FrameScorer(dictionary=MILITARY, lang="de").fit().transform(["Soldaten kämpfen."] * 3)
    assert "frames" not in capsys.readouterr().err
    FrameScorer(dictionary=MILITARY, lang="de", progress=True).fit().transform(["Soldaten kämpfen."] * 3)
    assert "frames" in capsys.readouterr().err
