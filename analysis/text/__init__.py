"""German-first text processing: cleaning, tokens, sentences, lemmas, stopwords, negation.

The pieces are small pure functions; :class:`Preprocessor` composes them into the
callable that vectorizers and the rest of the kit use.
"""

from analysis.text.analysis import TextAnalysis, analyze
from analysis.text.compounds import split_compound
from analysis.text.language import corpus_language, detect_language, document_langs
from analysis.text.lemmatize import HanTaLemmatizer, SimplemmaLemmatizer, make_lemmatizer
from analysis.text.negation import is_negator, negation_scope
from analysis.text.normalize import clean_text, normalize_unicode, normalize_whitespace, remove_invisible, strip_html
from analysis.text.preprocessor import Preprocessor
from analysis.text.segment import paragraph_spans, sentence_spans, split_paragraphs, split_sentences
from analysis.text.tokenize import Token, is_number, tokenize, tokenize_spans
from analysis.text.wordlists import stopwords

__all__ = [
    "Preprocessor", "TextAnalysis", "Token", "analyze", "corpus_language", "document_langs", "clean_text", "detect_language", "is_negator", "is_number",
    "make_lemmatizer", "HanTaLemmatizer", "SimplemmaLemmatizer", "negation_scope",
    "normalize_unicode", "normalize_whitespace", "paragraph_spans", "remove_invisible",
    "sentence_spans", "split_compound", "split_paragraphs", "split_sentences", "stopwords",
    "strip_html", "tokenize", "tokenize_spans",
]
