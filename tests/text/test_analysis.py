"""The one per-document analysis that every measure reads."""

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
import pytest

from analysis.corpus import datasets
from analysis.explore.describe import count_words
from analysis.text import analysis as shared
from analysis.text.analysis import analyze, scratch
from analysis.text.spans import excerpt
from analysis.text.language import document_langs
from analysis.text.tokenize import tokenize_spans

TEXT = ("Nordkoreanische Soldat*innen kämpfen im Ukraine-Krieg nicht mehr. Kim Jong Un schickt keine "
        "Truppen nach Kursk,  sagt der Kreml-Chef.\nDie Waffenruhe (24.02.2022) hält – z.B. in Charkiw.")


def test_tokens_are_the_tokenizers_and_each_has_a_lemma_and_a_negation_flag():
    a = analyze(TEXT, lang="de")
    assert a.tokens == tuple(tokenize_spans(TEXT))
    assert len(a.lemmas) == len(a.negated) == len(a.tokens)
    assert all(TEXT[t.start:t.end] == t.text for t in a.tokens)
    negated = {t.text for t, n in zip(a.tokens, a.negated) if n}
    assert {"mehr", "Truppen"} <= negated and "kämpfen" not in negated
    assert [TEXT[s:e][:3] for s, e in a.sentences] == ["Nor", "Kim", "Die"]


def test_real_news_tokenises_alike_whole_or_chunk_by_chunk():
    texts = datasets.load_gnad10().corpus["text"].head(150)
    assert all(analyze(t, lang="de").tokens == tuple(tokenize_spans(t)) for t in texts)


@pytest.mark.parametrize("text", ["  Führende\tPolitiker\u00a0sagen:  „Nein!“ \n", "\u2003(U.S.-Armee)\u2003don't", "",
                                  " ", "Kim-Il-Sung-Platz,Pjöngjang.1.500 km²",
                                  # one whitespace character between chunks (offsets without a search), and nearly
                                  "Kim sagt:\nNein (41).", "Kim sagt: nein. ", "Kim\u00a0sagt  nein.", "Kim\tsagt\r\nnein"])
def test_columns_and_offsets_match_the_tokenizer_on_messy_whitespace(text):
    a = analyze(text, lang="de")
    tokens = tokenize_spans(text)
    assert a.words == tuple(t.text for t in tokens) and a.kinds == tuple(t.kind for t in tokens)
    assert (list(a.starts), list(a.ends)) == ([t.start for t in tokens], [t.end for t in tokens])
    assert all(text[s:e] == w for w, s, e in zip(a.words, a.starts, a.ends))


@pytest.mark.parametrize("text", [TEXT, "", "  42 %  (1.500)  ", "F-16-Jets, 3D-Drucker & Co. – z.B. @Kyiv #Kursk",
                                  "don't Russia's Soldat:innen\u00a0Ωμέγα 24.02.2022/12:30 ---"])
def test_the_analysis_counts_words_as_count_words_does(text):
    # the report's pass reads n_words from the analysis; the overview of an in-memory corpus from count_words
    for lang in ("de", "en"):
        assert analyze(text, lang=lang).n_words == count_words(text)
    whole = analyze(TEXT, lang="de")
    assert [excerpt(whole, s, e).n_words for s, e in whole.sentences] == [count_words(TEXT[s:e]) for s, e in whole.sentences]


def test_real_news_counts_words_as_count_words_does():
    texts = datasets.load_gnad10().corpus["text"].head(300)
    assert [analyze(t, lang="de").n_words for t in texts] == [count_words(t) for t in texts]


def test_an_analysis_is_made_once_and_the_cache_is_bounded(monkeypatch):
    monkeypatch.setattr(shared, "CACHE_SIZE", 3)
    first = analyze("Erster Text über Kyjiw.", lang="de")
    assert analyze("Erster Text über Kyjiw.", lang="de") is first
    for i in range(5):
        analyze(f"Text Nummer {i} über Kursk.", lang="de")
    assert len(shared._CACHE) <= 3
    assert analyze("Erster Text über Kyjiw.", lang="de") is not first  # pushed out, made again


def test_the_language_and_the_lemmatiser_are_part_of_the_key():
    de, en = analyze("Die Soldaten kämpfen.", lang="de"), analyze("Die Soldaten kämpfen.", lang="en")
    assert de is not en and de.lang == "de" and en.lang == "en"
    with pytest.raises(ValueError, match="lang must be one of"):
        analyze("Les soldats.", lang="fr")
    with pytest.raises(ValueError, match="lemmatizer must be one of"):
        analyze("Die Soldaten.", lang="de", lemmatizer="spacy")
    with pytest.raises(TypeError, match="must be a str"):
        analyze(float("nan"), lang="de")


def test_document_languages_are_given_read_or_detected_never_assumed():
    corpus = pd.DataFrame({"doc_id": ["a", "b", "c"], "lang": ["en", None, pd.NA],
                           "text": ["The troops.", "Die Soldaten sind nicht in Kursk.", "42 %"]})
    assert document_langs(corpus) == ["en", "de", "de"]  # "42 %" takes the corpus's most common language
    assert document_langs(corpus, "en") == ["en"] * 3
    with pytest.raises(ValueError, match="lang must be one of"):
        document_langs(corpus.assign(lang="fr"))
    with pytest.raises(ValueError, match="no document could be detected"):
        document_langs(pd.DataFrame({"doc_id": ["x"], "text": ["42 %"]}))


def test_an_excerpt_equals_the_analysis_of_its_text():
    whole = analyze(TEXT, lang="de")
    for start, end in whole.sentences:
        part, alone = excerpt(whole, start, end), analyze(TEXT[start:end], lang="de")
        assert part.text == alone.text and part.tokens == alone.tokens and part.lemmas == alone.lemmas
        assert part.negated == alone.negated and part.sentences == alone.sentences


def test_an_excerpt_holds_only_the_tokens_wholly_inside_its_span():
    whole = analyze(TEXT, lang="de")
    start, end = TEXT.index("Soldat*innen") + 3, TEXT.index("Ukraine-Krieg") + 4  # both cut in two
    part = excerpt(whole, start, end)
    assert part.words == ("kämpfen", "im")
    assert [part.text[s:e] for s, e in zip(part.starts, part.ends)] == ["kämpfen", "im"]
    assert excerpt(whole, start, start).words == () and excerpt(whole, 0, len(TEXT)).words == whole.words
    assert excerpt(whole, TEXT.index("Kursk,"), TEXT.index("Kursk,") + 6).words == ("Kursk", ",")


def test_analyses_made_in_scratch_do_not_push_documents_out_of_the_cache():
    text = "Selenskyj dankt den Helfern. Die Lage in Cherson bleibt angespannt, sagt das Ministerium."
    document = analyze(text, lang="de")
    before = len(shared._CACHE)
    sentence = excerpt(document, *document.sentences[1])
    with scratch([sentence]):
        assert analyze(sentence.text, lang="de") is sentence
        analyze("Ein ganz anderer Satz über Genf.", lang="de")
    assert len(shared._CACHE) == before
    assert analyze(text, lang="de") is document


def _chunk_from_tokenizer(chunk: str, lang: str) -> tuple:
    """What analyze_chunk must give: the regular expression's tokens, each word lemmatised."""
    from analysis.text.lemmatize import lemma
    from analysis.text.tokenize import holds_letter

    tokens = tokenize_spans(chunk)
    return (tuple(t.text for t in tokens), tuple(t.kind for t in tokens), tuple(t.start for t in tokens),
            tuple(t.end for t in tokens),
            tuple(lemma(t.text, lang) if t.kind in shared.WORD_KINDS else t.text for t in tokens),
            sum(holds_letter(t.text) for t in tokens))


@pytest.mark.parametrize("chunk", ["Soldaten,", "(Ukraine-Krieg):", "„Waffenruhe“", "Größe!", "(Kämpfe)", "Kreml-Chef.",
                                   "Ost-", "-Krieg", "Dr.", "z.B.", "(41)", "Soldat*innen.", "„Nein", "Straße–", "--"])
@pytest.mark.parametrize("lang", ["de", "en"])
def test_a_chunk_is_analysed_as_its_tokenizer_tokens_are(chunk, lang):
    assert shared.analyze_chunk(chunk, lang, "simplemma") == _chunk_from_tokenizer(chunk, lang)


@given(st.text(alphabet="aÄßK-.,()„“»–:!*1", min_size=1, max_size=9))
@settings(max_examples=500, deadline=None)
def test_any_chunk_is_analysed_as_its_tokenizer_tokens_are(chunk):
    assert shared.analyze_chunk(chunk, "de", "simplemma") == _chunk_from_tokenizer(chunk, "de")


@pytest.mark.parametrize("tokens, lang, negated", [
    (["NICHT", "sehr", "gut"], "de", ["sehr", "gut"]),  # any case; an intensifier does not use up the window
    (["Kein", "_", "Erfolg"], "de", []),  # a token without a letter or digit closes the scope
    (["nicht", "²", "gut", "Erfolg", "Frieden", "Ende"], "de", ["²", "gut", "Erfolg"]),  # "²" is a digit
    (["nicht", "nur", "gut"], "de", []),  # "nicht nur … sondern auch" does not negate
    (["kein", "Ukraine-Krieg", "mehr"], "de", ["Ukraine-Krieg", "mehr"]),  # a compound is a word
    (["don’t", "like", "it"], "en", ["like", "it"]),  # a curly apostrophe negates too
    (["ohne", "Hoffnung", "Aber", "Zukunft"], "de", ["Hoffnung"]),  # a contrasting conjunction, capitalised
])
def test_a_negation_scope_reads_odd_tokens_as_words_marks_or_negators(tokens, lang, negated):
    from analysis.text.negation import negation_scope

    assert [t for t, flag in zip(tokens, negation_scope(tokens, lang=lang)) if flag] == negated


@given(st.lists(st.text(alphabet="nichtNICHTkeOoHNeaburİıKΣσß’'-.²1 ", max_size=7), max_size=40),
       st.sampled_from(["de", "en", "fr"]))
@settings(max_examples=300, deadline=None)
def test_a_column_of_tokens_gets_the_negation_codes_each_token_gets_alone(tokens, lang):
    # Arrow's kernels classify the ASCII tokens; "İ", "K" (Kelvin), "σ" lowercase differently in Arrow and str
    import pyarrow as pa

    from analysis.text.negation import negation_code_column, negation_codes

    column = negation_code_column(pa.array(tokens, type=pa.large_string()), lang)
    assert column.tolist() == negation_codes(tokens, lang)
    encoded = pa.array(tokens, type=pa.large_string()).dictionary_encode()  # as the chunk vocabulary passes them
    assert negation_code_column(encoded, lang).tolist() == column.tolist()


def test_token_ranges_of_many_texts_are_each_texts_ranges_shifted_past_the_texts_before():
    from analysis.text.spans import token_ranges_many

    def alone(a, start, end):  # the tokens from the first that starts at or after start, to the last inside end
        first = sum(1 for s in a.starts if s < start)
        last = sum(1 for s in a.starts if s < end)
        while last > first and a.ends[last - 1] > end:
            last -= 1
        return first, last

    texts = [TEXT, "", "Kim (41) schickt 1.500 Soldat*innen.", "   ", "Ja.\n\nNein!"]
    made = [analyze(t, lang="de") for t in texts]
    spans = [a.sentences for a in made]
    spans[0] = (*spans[0], (3, 20), (0, 1), (10, 10))  # spans that cut a token, hold part of one, or nothing
    firsts, lasts = token_ranges_many(made, spans)
    expected, at = [], 0
    for a, text_spans in zip(made, spans):
        expected += [(first + at, last + at) for first, last in (alone(a, *span) for span in text_spans)]
        at += len(a)
    assert list(zip(firsts.tolist(), lasts.tolist())) == expected
    assert len(expected) == sum(map(len, spans)) > 6
