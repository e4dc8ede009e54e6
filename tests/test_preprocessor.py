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


def test_bad_input_errors():
    with pytest.raises(ValueError, match="lang must be"):
        Preprocessor(lang="fr")
    with pytest.raises(TypeError, match="expects a str"):
        Preprocessor()(None)
    with pytest.raises(ValueError, match="unknown lemmatizer"):
        Preprocessor(lemmatizer="spacy")


def test_process_many_matches_single_calls():
    pre = Preprocessor(lang="de")
    texts = [SEED, "Kiew und Moskau.", ""]
    assert pre.process_many(texts, progress=False) == [pre(t) for t in texts]
