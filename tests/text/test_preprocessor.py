"""The Preprocessor as users rely on it: German tokens out, usable inside scikit-learn."""

import pickle

import pytest
from sklearn.base import clone
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.pipeline import make_pipeline

from analysis.text import Preprocessor

SEED = ("Kim Jong Un schickt Russland Kanonenfutter: Nordkoreanische Soldaten sprengen sich im "
        "Ukraine-Krieg selbst in die Luft, bevor sie in Gefangenschaft geraten. Wladimir Putins "
        "Gegenleistung dafür ist eine Gefahr für die koreanische Halbinsel.")


def test_defaults_give_lowercased_lemmas_without_stopwords_punctuation_or_numbers():
    tokens = Preprocessor(lang="de")(SEED + " 1.500 Touristen, 2024.")
    assert tokens[:6] == ["kim", "jong", "un", "schicken", "russland", "kanonenfutter"]
    assert "ukraine-krieg" in tokens and "putin" in tokens and "gefangenschaft" in tokens
    assert not {"die", "sich", "in", "ist", ":", ",", "1.500", "2024"} & set(tokens)


@pytest.mark.parametrize(("text", "expected"), [
    ("Soldat*innen, Soldat:innen, SoldatInnen und Soldatinnen", ["soldat"] * 4),
    ("Nordkoreanerinnen und Nordkoreaner", ["nordkoreaner", "nordkoreaner"]),
    ("Größe Äußerung Straße", ["größe", "äußerung", "straße"]),  # must not change
])
def test_german_forms(text, expected):
    assert Preprocessor(lang="de")(text) == expected


def test_options_keep_gender_case_and_split_compounds():
    assert Preprocessor(lang="de", merge_gender=False)("Soldat*innen und Soldatinnen") == ["soldat*in", "soldatin"]
    assert Preprocessor(lang="de", lowercase=False)("Die Soldaten kämpfen") == ["Soldat", "kämpfen"]
    assert Preprocessor(lang="de", split_compounds=True)("Waffenlieferungen im Ukraine-Krieg") == [
        "waffe", "lieferung", "ukraine", "krieg"]
    assert Preprocessor(lang="de", extra_stopwords=["russland"])("Russland und Nordkorea") == ["nordkorea"]
    assert Preprocessor(lang="de", lemmatize=False)("Soldaten kämpften") == ["soldaten", "kämpften"]


@pytest.mark.parametrize(("lang", "text", "expected"), [
    ("de", "Das ist kein Erfolg und nicht sehr gut, aber Frieden.", ["NEG_erfolg", "NEG_gut", "frieden"]),
    ("de", "ohne Hoffnung", ["NEG_hoffnung"]),
    ("de", "nicht nur isoliert, sondern auch schwach", ["isolieren", "schwach"]),
    ("en", "This is not a success, but peace. They don't win.", ["NEG_success", "peace", "NEG_win"]),
])
def test_negation_marking(lang, text, expected):
    assert Preprocessor(lang=lang, negation=True)(text) == expected


def test_same_output_whether_cache_is_cold_or_warm():
    pre = Preprocessor(lang="de")
    first = pre(SEED)
    assert pre(SEED) == first == Preprocessor(lang="de")(SEED)


def test_picklable_and_clonable_inside_a_pipeline():
    pre = Preprocessor(lang="de", negation=True)
    pre(SEED)
    restored = pickle.loads(pickle.dumps(pre))
    assert restored(SEED) == pre(SEED) and restored.negation is True
    pipeline = make_pipeline(TfidfVectorizer(analyzer=pre))
    cloned = clone(pipeline).fit([SEED, "Russland und die Ukraine verhandeln."])
    assert "kanonenfutter" in cloned[0].get_feature_names_out()


def test_vectorizer_analyzer_counts_lemmas():
    vectorizer = CountVectorizer(analyzer=Preprocessor(lang="de"))
    matrix = vectorizer.fit_transform(["Die Soldaten kämpfen.", "Ein Soldat kämpfte."])
    vocabulary = list(vectorizer.get_feature_names_out())
    assert vocabulary == ["kämpfen", "soldat"]
    assert matrix.toarray().tolist() == [[1, 1], [1, 1]]


def test_bad_input_errors_at_first_use():
    bad_lang, bad_lemmatizer = Preprocessor(lang="fr"), Preprocessor(lemmatizer="spacy")  # only stored
    with pytest.raises(ValueError, match="lang must be"):
        bad_lang("Text")
    with pytest.raises(TypeError, match="expects a str"):
        Preprocessor()(None)
    with pytest.raises(ValueError, match="unknown lemmatizer"):
        bad_lemmatizer.process_many(["Text"], progress=False)
    with pytest.raises(TypeError, match="single string"):
        Preprocessor(extra_stopwords="kiew")("Kiew")


def test_process_many_matches_single_calls():
    pre = Preprocessor(lang="de")
    texts = [SEED, "Kiew und Moskau.", ""]
    assert pre.process_many(texts, progress=False) == [pre(t) for t in texts]


# --- the scikit-learn estimator contract ------------------------------------------------------

def test_get_params_round_trip_and_clone():
    pre = Preprocessor(lang="en", negation=True, extra_stopwords=["kyiv"])
    params = pre.get_params()
    assert params["lang"] == "en" and params["negation"] is True and params["extra_stopwords"] == ["kyiv"]
    twin = clone(pre)
    assert twin is not pre and twin.get_params() == params
    assert twin("Kyiv is not safe.") == pre("Kyiv is not safe.") == ["NEG_safe"]


@pytest.mark.parametrize(("params", "text", "expected"), [
    ({"lemmatize": False}, "Die Soldaten kämpften", ["soldaten", "kämpften"]),
    ({"negation": True}, "kein Erfolg", ["NEG_erfolg"]),
    ({"extra_stopwords": ["russland"]}, "Russland und Nordkorea", ["nordkorea"]),
    ({"lang": "en"}, "The soldiers were fighting", ["soldier", "fight"]),
    ({"merge_gender": False}, "Soldat*innen", ["soldat*in"]),
])
def test_set_params_takes_effect_after_use(params, text, expected):
    pre = Preprocessor(lang="de")
    pre(text)  # caches filled with the old parameters
    assert pre.set_params(**params) is pre
    assert pre(text) == expected == Preprocessor(**{"lang": "de", **params})(text)


def test_set_params_reaches_the_analyzer_inside_a_pipeline():
    pipeline = make_pipeline(CountVectorizer(analyzer=Preprocessor(lang="de")))
    docs = ["Die Soldaten kämpfen.", "Ein Soldat kämpfte."]
    assert list(pipeline.fit(docs)[0].get_feature_names_out()) == ["kämpfen", "soldat"]
    pipeline.set_params(countvectorizer__analyzer__lemmatize=False)
    assert list(pipeline.fit(docs)[0].get_feature_names_out()) == ["kämpfen", "kämpfte", "soldat", "soldaten"]


def test_repr_shows_only_changed_parameters():
    assert repr(Preprocessor()) == "Preprocessor()"
    assert repr(Preprocessor(lang="en", negation=True)) == "Preprocessor(lang='en', negation=True)"


def test_pickle_keeps_parameters_not_caches():
    pre = Preprocessor(lang="de", split_compounds=True)
    pre(SEED)
    data = pickle.dumps(pre)
    assert len(data) < 2_000  # the token caches stay behind
    restored = pickle.loads(data)
    assert restored.get_params() == pre.get_params() and restored(SEED) == pre(SEED)


def test_copies_unpickled_in_a_process_take_up_the_caches_of_the_copy_before(monkeypatch):
    """A worker gets a copy with each chunk of a large corpus: the next copy of the same preprocessor
    starts warm, one with other parameters does not, and caches over the limit start afresh."""
    import analysis.text.preprocessor as module

    monkeypatch.setattr(module, "_WORKER_CACHES", {})
    data, plain = pickle.dumps(Preprocessor(lang="de")), Preprocessor(lang="de", lemmatize=False)
    first = pickle.loads(data)
    assert first(SEED) == Preprocessor(lang="de")(SEED)
    second = pickle.loads(data)
    assert second.cache_info()["chunks"] > 0 and second(SEED) == first(SEED)
    other = pickle.loads(pickle.dumps(plain))
    assert other.cache_info()["chunks"] == 0 and other(SEED) == plain(SEED) and "soldaten" in other(SEED)
    again = pickle.loads(data)  # the other preprocessor's copy came between: these caches went
    assert again.cache_info()["chunks"] == 0 and again(SEED) == first(SEED)
    monkeypatch.setattr(module, "WORKER_CACHE_SIZE", 5)
    assert pickle.loads(data).cache_info()["chunks"] == 0  # over the limit: afresh
    second.set_params(lemmatize=False)  # a changed copy builds its own caches and leaves the shared ones alone
    assert second(SEED) == plain(SEED) and pickle.loads(data)(SEED) == first(SEED)


def test_caches_are_bounded_and_a_full_cache_does_not_change_the_output(monkeypatch):
    import analysis.text.preprocessor as module

    texts = [f"Soldaten{i} kämpfen in Kursk-{i}, Putins Truppen{i} ziehen ab." for i in range(50)]
    expected = Preprocessor(lang="de").process_many(texts, progress=False)
    monkeypatch.setattr(module, "CACHE_SIZE", 8)
    pre = Preprocessor(lang="de")
    assert pre.process_many(texts, progress=False) == expected
    info = pre.cache_info()
    assert info["maxsize"] == 8 and info["chunks"] <= 8 and info["tokens"] <= 8


def test_hanta_lemmas_come_from_the_shared_lemma_cache():
    pytest.importorskip("HanTa")
    from analysis.text.lemmatize import lemma

    tokens = Preprocessor(lang="de", lemmatizer="hanta", stopwords=False)("Soldaten kämpften")
    assert tokens == [lemma("Soldaten", "de", "hanta").lower(), lemma("kämpften", "de", "hanta").lower()]
