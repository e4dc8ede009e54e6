"""Collocations on the bundled conflict corpus and on small hand-made frames (moved from test_explore.py)."""

import math
import re

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2_contingency

from analysis.explore import collocations


def test_collocations_find_the_conflicts_phrases(conflict):
    bigrams = collocations(conflict, method="llr")
    assert list(bigrams.columns) == ["collocation", "count", "n_docs", "expected", "score"]
    assert bigrams["score"].is_monotonic_decreasing
    top = bigrams["collocation"].head(60).tolist()
    assert "humanitarian corridor" in top and "vladimir putin" in top
    trigrams = collocations(conflict, size=3, method="t")
    assert "special military operation" in trigrams["collocation"].head(40).tolist()
    assert (trigrams["count"] >= 5).all()


def test_collocation_scores_equal_hand_computed_values():
    texts = ["Humanitarian corridors open. Humanitarian aid arrives.", "A humanitarian corridor opens today.",
             "Corridor talks. Humanitarian corridor again; humanitarian workers wait."]
    corpus = pd.DataFrame({"doc_id": ["a", "b", "c"], "lang": "en", "text": texts})
    row = lambda method: collocations(corpus, min_count=2, method=method, stopwords=False).set_index("collocation")
    pmi, llr, t = row("pmi"), row("llr"), row("t")
    # Bigram positions (sentence-internal runs): humanitarian corridor ×3, corridor open, humanitarian aid,
    # aid arrive, a humanitarian, corridor open, open today, corridor talk, corridor again, humanitarian worker,
    # worker wait -> N = 13; "humanitarian" starts 5 of them, "corridor" ends 3.
    o11, r1, c1, n = 3, 5, 3, 13
    assert pmi.loc["humanitarian corridor", "count"] == 3
    assert pmi.loc["humanitarian corridor", "n_docs"] == 3
    assert pmi.loc["humanitarian corridor", "score"] == pytest.approx(math.log2(o11 * n / (r1 * c1)))
    table = np.array([[o11, r1 - o11], [c1 - o11, n - r1 - c1 + o11]])
    g2 = chi2_contingency(table, correction=False, lambda_="log-likelihood")[0]
    assert llr.loc["humanitarian corridor", "score"] == pytest.approx(g2)
    expected = r1 * c1 / n
    assert t.loc["humanitarian corridor", "score"] == pytest.approx((o11 - expected) / math.sqrt(o11))


def test_collocations_stay_inside_sentences_and_drop_stopword_edges():
    corpus = pd.DataFrame({"doc_id": ["a"], "lang": "en",
                           "text": ["Kyiv holds. Kharkiv holds. " * 3 + "The war of the world, the war. " * 3]})
    found = set(collocations(corpus, min_count=2)["collocation"])
    assert "hold kharkiv" not in found and "hold kyiv" not in found  # across sentence ends
    assert "of the" not in found and "the war" not in found
    assert "the war" in set(collocations(corpus, min_count=2, stopwords=False)["collocation"])


@pytest.mark.parametrize("kwargs, message", [
    ({"method": "llr", "size": 3}, "bigrams only"),
    ({"size": 1}, "at least 2"),
    ({"method": "dice"}, "method must be one of"),
    ({"stopwords": "the"}, "single string"),
])
def test_collocations_bad_input(seed, kwargs, message):
    with pytest.raises((ValueError, TypeError), match=re.escape(message)):
        collocations(seed, **kwargs)


def test_collocations_count_the_lemmas_of_the_one_text_analysis():
    from analysis.text import analyze

    text = "Die Soldaten kämpften. Die Soldaten kämpfen weiter, die Soldaten kämpften."
    corpus = pd.DataFrame({"doc_id": ["a"], "lang": ["de"], "text": [text]})
    lemmas = [a.lower() for a in analyze(text, lang="de").lemmas]
    found = collocations(corpus, min_count=2, stopwords=False).set_index("collocation")
    assert found.loc[f"{lemmas[1]} {lemmas[2]}", "count"] == 3  # soldat kämpfen, whatever the inflection


class _MadeUpLemmas:
    """Stands in for HanTa: every form of 'Korridor' has the lemma 'passage'."""

    def __init__(self, lang="de"):
        self.lang = lang

    def __call__(self, token):
        return "passage" if token.lower().startswith("corridor") else token


def test_the_lemmatizer_option_changes_the_lemmas_counted(monkeypatch):
    import analysis.text.lemmatize
    from analysis.text.analysis import clear_cache

    texts = ["Humanitarian corridors open.", "A humanitarian corridor holds.", "Humanitarian corridors again."]
    corpus = pd.DataFrame({"doc_id": list("abc"), "lang": "en", "text": texts})
    monkeypatch.setattr(analysis.text.lemmatize, "HanTaLemmatizer", _MadeUpLemmas)
    clear_cache()
    try:
        assert "humanitarian corridor" in set(collocations(corpus, min_count=3)["collocation"])
        hanta = collocations(corpus, min_count=3, lemmatizer="hanta")
        assert hanta["collocation"].tolist() == ["humanitarian passage"]
    finally:
        monkeypatch.undo()
        clear_cache()


def test_hanta_collocations_run_when_hanta_is_installed():
    pytest.importorskip("HanTa")
    corpus = pd.DataFrame({"doc_id": ["a"], "lang": ["de"], "text": ["Humanitäre Korridore. " * 3]})
    assert len(collocations(corpus, min_count=3, lemmatizer="hanta")) == 1
