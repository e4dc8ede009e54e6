"""A mixed German/English corpus: every document is read in its own language, in memory and streamed.

``tests/data/mixed_de_en.csv``: 150 DER STANDARD articles (10kGNAD) then 150 Wikinews
articles, without a ``lang`` column — the loader detects each document's language.
"""

from pathlib import Path

import pandas as pd
import pytest

import analysis
from analysis.progress import quiet
from analysis.text import Preprocessor, stopwords
from analysis.text.preprocessor import corpus_preprocessor, corpus_tokens
from analysis.text.token_cache import cached_tokens
from analysis.topics.streaming import fit_topics_streaming

MIXED = Path(__file__).resolve().parents[1] / "data" / "mixed_de_en.csv"


@pytest.fixture(scope="module")
def mixed() -> pd.DataFrame:
    return analysis.load_corpus(MIXED).corpus


def test_the_loader_tells_the_two_languages_apart(mixed):
    by_outlet = mixed.groupby("outlet")["lang"].agg(lambda s: set(s))
    assert by_outlet.to_dict() == {"DER STANDARD": {"de"}, "Wikinews": {"en"}}


def test_each_document_gets_its_own_languages_lemmas_and_stopwords(mixed):
    preprocessor = corpus_preprocessor(mixed)
    assert preprocessor.lang == "auto"
    tokens = corpus_tokens(preprocessor, mixed, progress=False)
    for lang in ("de", "en"):
        rows = (mixed["lang"] == lang).to_numpy()
        alone = Preprocessor(lang=lang).process_many(mixed.loc[rows, "text"], progress=False)
        assert [t for t, row in zip(tokens, rows) if row] == alone
        assert not {t for doc in alone for t in doc} & stopwords(lang)


def test_language_given_per_document_beats_detection():
    english_text = "The soldiers and the diplomats were in the city."
    pre = Preprocessor(lang="auto")
    assert pre(english_text) == ["soldier", "diplomat", "city"]
    read_as_german = pre.process_many([english_text], langs=["de"], progress=False)[0]
    assert "the" in read_as_german and read_as_german == Preprocessor(lang="de")(english_text)
    with pytest.raises(ValueError, match="one language per text"):
        pre.process_many([english_text], langs=["de", "en"])


@pytest.mark.parametrize("fit", ["in_memory", "streamed"])
def test_no_english_stopword_among_topic_terms(mixed, fit):
    with quiet():
        if fit == "in_memory":
            model = analysis.fit_topics(mixed, 6)
        else:  # 100-document chunks: the first ones are all German, later ones English
            model = fit_topics_streaming(mixed, 6, chunk_size=100)
    terms = set(model.terms(n=10)["term"])  # German stopwords such as 'war' are English content words
    assert not terms & stopwords("en"), sorted(terms & stopwords("en"))


def test_a_user_given_preprocessor_is_kept(mixed):
    with quiet():
        model = analysis.fit_topics(mixed, 4, preprocessor=Preprocessor(lang="de"))
    assert model.pipeline.named_steps["vectorizer"].analyzer.lang == "de"


def test_token_cache_keys_language_and_text(mixed, tmp_path):
    two = pd.DataFrame({"doc_id": ["a", "b"], "text": ["The war goes on.", "The war goes on."], "lang": ["en", "de"]})
    tokens = cached_tokens(two, Preprocessor(lang="auto"), cache_dir=tmp_path, progress=False)
    assert tokens.tolist() == [["war", "go"], Preprocessor(lang="de")("The war goes on.")]
    again = cached_tokens(two, Preprocessor(lang="auto"), cache_dir=tmp_path, progress=False)
    assert again.tolist() == tokens.tolist() and again.attrs["token_cache"]["processed"] == 0


def test_a_document_whose_language_cannot_be_told_is_read_in_the_corpus_majority_language(mixed):
    # an English-majority corpus with headline-like snippets no detector can place: they take
    # English lemmas and stopwords (as the measures read them), and the page says so
    from analysis.report.languages import language_note

    english = pd.concat([mixed[mixed["lang"] == "en"].head(30), mixed[mixed["lang"] == "de"].head(1)])
    snippets = pd.DataFrame({"doc_id": ["s1", "s2"], "text": ["Trump’s tweets, 2017", "Obama: 42 %"], "lang": [None, None]})
    corpus = pd.concat([english, snippets], ignore_index=True)
    tokens = corpus_tokens(Preprocessor(lang="auto"), corpus, progress=False)
    assert tokens[-2:] == Preprocessor(lang="en").process_many(snippets["text"], progress=False)
    assert tokens[-2] == ["trump", "tweet"]  # English lemma and stopwords, not German ones
    assert "2 documents in no detectable language, read as English" in language_note(corpus, corpus_preprocessor(corpus))
