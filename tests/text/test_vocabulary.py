"""The chunk vocabulary keeps each measure's values per token row and per chunk, and they follow
each analysis while the vocabulary turns."""

import numpy as np
import pytest

from analysis.corpus import datasets
from analysis.text import analysis as shared
from analysis.text.coded_columns import Distinct, chunk_codes, coded_column, slice_codes, token_codes
from analysis.text.many import analyze_many
from analysis.text.preprocessor import Preprocessor
from analysis.text.spans import excerpt
from analysis.text.token_batch import TokenBatch
from analysis.text.vocabulary import VOCABULARIES, ChunkVocabulary

MESSY = ["", "  Führende\tPolitiker\u00a0sagen:  „Nein!“ \n", "Kim\u00a0Jong\u3000Un  schickt\n\nSoldaten . . .",
         "a\u0308rger und Ärger", "z.B. 1.500 Soldat*innen #Krieg @nk http://x.de/a?b=1 (24.02.2022)",
         "NATO-Gipfel, UN-Sicherheitsrat"]


@pytest.fixture(autouse=True)
def fresh_caches():
    shared.clear_cache()
    yield
    shared.clear_cache()


def acronyms(tokens):
    return [word.isupper() and len(word) > 1 for word in tokens.words]


def distinct_acronyms(tokens):
    """:func:`acronyms` as a measure with few values gives them: each distinct value once, and codes into them."""
    return Distinct([True, False], np.array([0 if flag else 1 for flag in acronyms(tokens)]))


def test_values_kept_per_token_and_per_chunk_follow_each_analysis_while_the_vocabulary_turns():
    texts = datasets.load_gnad10().corpus["text"].head(300).tolist() + MESSY
    vocabulary = VOCABULARIES[("de", "simplemma")] = ChunkVocabulary("de", "simplemma", size=3_000)
    made_rows, first = [], None

    def counted(tokens):  # acronyms, counting the rows made
        made_rows.append(len(tokens))
        return acronyms(tokens)

    for start in range(0, len(texts), 50):
        part = texts[start:start + 50]
        turns = vocabulary.turns
        made = analyze_many(part, langs=["de"] * len(part))
        first = first or made[0]
        codes, table = slice_codes(made, "acronyms", None, counted)
        assert [table[c] for c in codes.tolist()] == [flag for a in made for flag in acronyms(TokenBatch(a.words, a.kinds, a.lemmas))]
        codes, table = slice_codes(made, "acronyms as distinct values", None, distinct_acronyms)
        assert [table[c] for c in codes.tolist()] == [flag for a in made for flag in acronyms(TokenBatch(a.words, a.kinds, a.lemmas))]
        for a in made:
            codes, table = token_codes(a, "acronyms", None, counted)
            assert [table[c] for c in codes.tolist()] == acronyms(TokenBatch(a.words, a.kinds, a.lemmas))
            codes, table = chunk_codes(a, "commas", None, lambda chunks: [chunk.count(",") for chunk in chunks])
            assert [table[c] for c in codes.tolist()] == [chunk.count(",") for chunk in a.text.split()]
        if vocabulary.turns > turns and turns:  # a turn keeps the rows made: only the slice's new ones are made
            assert made_rows[-1] < vocabulary.words.n
        shared.forget_documents()
    assert vocabulary.turns > 1
    assert token_codes(first, "acronyms", None, acronyms) is None  # its rows were renumbered since
    assert slice_codes([made[-1], first], "acronyms", None, acronyms) is None  # one of them turned since
    shared.forget_documents()
    alone = shared.analyze(texts[0], lang="de")
    assert alone.token_rows is None and token_codes(alone, "acronyms", None, acronyms) is None  # not made with a slice
    assert chunk_codes(excerpt(made[0], 0, 20), "commas", None, len) is None  # an excerpt has tokens only


@pytest.mark.parametrize("params", [{}, {"lemmatize": False, "lowercase": False, "split_compounds": False},
                                    {"stopwords": False, "min_length": 1, "keep_numbers": True}])
def test_a_preprocessor_gives_the_same_tokens_from_the_slice_analysis(params):
    texts = MESSY + datasets.load_gnad10().corpus["text"].head(60).tolist()
    expected = [Preprocessor(lang="de", **params)(text) for text in texts]
    assert not VOCABULARIES  # read text by text
    analyze_many(texts, langs=["de"] * len(texts))
    assert [Preprocessor(lang="de", **params)(text) for text in texts] == expected
    assert [(name[0], per) for name, per in VOCABULARIES[("de", "simplemma")].coded] == [("preprocessed", "chunk")]


def test_a_column_is_made_once_per_distinct_token_and_a_word_of_two_kinds_is_two_tokens():
    texts = datasets.load_gnad10().corpus["text"].head(100).tolist() + MESSY
    analyze_many(texts, langs=["de"] * len(texts))
    vocabulary = VOCABULARIES[("de", "simplemma")]
    asked = []
    made = [shared.analyze(text, lang="de") for text in texts]
    codes, table = slice_codes(made, "acronyms", None,
                               lambda tokens: asked.extend(tokens.words) or acronyms(tokens))
    assert sorted(asked) == sorted(set(vocabulary.words.view().tolist()))  # each word once: no word has two kinds here
    assert [table[c] for c in codes.tolist()] == [flag for a in made for flag in acronyms(TokenBatch(a.words, a.kinds, a.lemmas))]
    odd = ChunkVocabulary("de", "simplemma")
    for column, values in ((odd.words, ["NATO", "NATO", "Kim", "NATO"]), (odd.lemmas, ["NATO", "NATO", "Kim", "NATO"]),
                           (odd.kinds, ["word", "abbrev", "word", "abbrev"])):
        column.extend(values)
    ids, firsts = odd.distinct_tokens(0, 4)
    assert ids.tolist() == [0, 2, 1, 3] and firsts.tolist() == [0, 2, 1, 3]  # NATO as another kind: tokens of their own
    made = coded_column(odd, "kind", None, lambda tokens: list(tokens.kinds))
    assert [made.table[c] for c in made.codes.view().tolist()] == ["word", "abbrev", "word", "abbrev"]
