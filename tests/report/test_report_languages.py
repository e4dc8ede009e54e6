"""The report on a mixed German/English corpus (tests/data/mixed_de_en.csv): each document in its
own language in every term-based section, in memory and on the large (chunked) path; very long
documents flagged on the page."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import analysis
from analysis.explore.term_counts import TermCounts, top_terms_from_counts
from analysis.report import STAGES, corpus_access, run_report
from analysis.text import Preprocessor, stopwords

MIXED = Path(__file__).resolve().parents[1] / "data" / "mixed_de_en.csv"
TERM_STAGES = [s for s in STAGES if s.name in ("overview", "top_lemmas", "topics", "keyness")]


@pytest.fixture(scope="module")
def mixed() -> pd.DataFrame:
    return analysis.load_corpus(MIXED).corpus


@pytest.fixture(scope="module")
def reports(mixed, tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(corpus_access, "PARTITION_ROWS", 100)  # 3 partitions: German, German, English
        return {large: run_report(MIXED, out=tmp_path_factory.mktemp(f"large-{large}"), topics=6, progress=False,
                                  large=large, stages=TERM_STAGES) for large in (False, True)}


def read_table(run, name: str) -> pd.DataFrame:
    return pd.read_csv(run.page.parent / "tables" / f"{name}.csv")


@pytest.mark.parametrize("large", [False, True])
def test_topics_and_top_lemmas_hold_no_english_stopword(reports, large):
    run = reports[large]
    for name in ("topic_terms", "top_terms"):
        terms = set(read_table(run, name)["term"])
        assert not terms & stopwords("en"), (name, sorted(terms & stopwords("en")))
    page = run.page.read_text(encoding="utf-8")
    assert "Each document is read in its own language" in page
    assert "150 documents in German with the German lemmatiser" in page


@pytest.mark.parametrize("large", [False, True])
def test_each_outlets_top_lemmas_are_those_of_its_own_language(reports, mixed, large):
    top = read_table(reports[large], "top_terms")
    for lang, outlet in (("de", "DER STANDARD"), ("en", "Wikinews")):
        docs = mixed[mixed["lang"] == lang]
        counts = TermCounts(by="outlet")
        counts.add(Preprocessor(lang=lang).process_many(docs["text"], progress=False), docs["outlet"])
        expected = top_terms_from_counts(counts, by="outlet", n=15)
        assert top[top["outlet"] == outlet]["term"].tolist() == expected["term"].tolist()


def test_large_path_counts_exactly_as_in_memory(reports):
    for name in ("top_terms", "document_lengths", "keyness_1_der_standard"):
        assert read_table(reports[True], name).equals(read_table(reports[False], name)), name


def test_documents_far_longer_than_the_median_are_flagged(mixed, tmp_path):
    german = mixed[mixed["lang"] == "de"]
    dump = pd.DataFrame({"doc_id": ["ausgabe-komplett"], "text": ["\n\n".join(german["text"])], "outlet": ["DER STANDARD"],
                         "title": ["Gesamtausgabe (PDF-Export)"], "lang": ["de"]})
    corpus = pd.concat([mixed, dump], ignore_index=True)
    run = run_report(corpus, out=tmp_path, progress=False, stages=[s for s in STAGES if s.name == "overview"])
    flagged = read_table(run, "long_documents")
    assert flagged["doc_id"].tolist() == ["ausgabe-komplett"] and flagged["times_median"].iloc[0] > 50
    page = run.page.read_text(encoding="utf-8")
    assert "Very long documents" in page and "ausgabe-komplett (Gesamtausgabe (PDF-Export))" in page
    assert "can dominate the top lemmas and keyness" in page


def test_no_flag_without_long_documents(reports):
    assert not (reports[False].page.parent / "tables" / "long_documents.csv").exists()
    assert "Very long documents" not in reports[False].page.read_text(encoding="utf-8")


def test_sentiment_method_counts_undetected_documents_as_scored(mixed):
    """A document whose language could not be detected is scored with the corpus's majority
    lexicon; the page's method note counts it there, not as German by default."""
    from types import SimpleNamespace

    from analysis.report.sentiment_sections import _method

    english = mixed[mixed["lang"] == "en"].head(5)
    unknown = english.iloc[:1].assign(doc_id="unknown-1", text="42 % — 17:30", lang=pd.NA)
    note = _method(SimpleNamespace(corpus=pd.concat([english, unknown], ignore_index=True)))
    assert "6 English documents" in note
    assert "German" not in note
