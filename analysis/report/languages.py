"""What the page says about the corpus's languages and its very long documents.

>>> import pandas as pd
>>> from analysis.text.preprocessor import corpus_preprocessor
>>> corpus = pd.DataFrame({"doc_id": ["a", "b", "c"], "lang": ["de", "en", "de"]})
>>> language_note(corpus, corpus_preprocessor(corpus)).split(': ')[1].split('.')[0]
'2 documents in German with the German lemmatiser and stopwords; 1 document in English with the English lemmatiser and stopwords'
"""

from __future__ import annotations

import pandas as pd

from analysis.explore.describe import LONG_FACTOR, long_documents
from analysis.text.language import majority_language

LANGUAGE_NAMES = {"de": "German", "en": "English"}
N_SHOWN = 10  # long documents named on the page (all are in the table)


def language_note(corpus: pd.DataFrame, preprocessor) -> str:
    """One sentence: which language(s) the lemmas, stopwords and topics of ``corpus`` come from."""
    if preprocessor.lang != "auto":
        name = LANGUAGE_NAMES[preprocessor.lang]
        return f"All documents are read as {name}: {name} lemmatiser and stopword list."
    langs = corpus["lang"].where(corpus["lang"].isin(list(LANGUAGE_NAMES)), "?") if "lang" in corpus else \
        pd.Series("?", index=corpus.index)
    counts = langs.value_counts()
    parts = [f"{_documents(counts[code])} {name} with the {name} lemmatiser and stopwords"
             for code, name in LANGUAGE_NAMES.items() if code in counts]
    if "?" in counts:
        majority = majority_language(langs.where(langs != "?").tolist())
        parts.append(f"{_documents(counts['?'])} no detectable language, read as "
                     + (f"{LANGUAGE_NAMES[majority]} (the corpus's most common language)" if majority else "German"))
    return (f"Each document is read in its own language (its lang column; --lang sets one for all): "
            f"{'; '.join(parts)}. Their lemmas form one vocabulary, so topics and groups often split by language.")


def _documents(n: int) -> str:
    return f"{n:,} document{'' if n == 1 else 's'} in"


def long_documents_note(lengths: pd.DataFrame, corpus: pd.DataFrame) -> tuple[str, pd.DataFrame] | None:
    """A warning and the table of documents over :data:`~analysis.explore.describe.LONG_FACTOR` × the
    median length (with their titles when the corpus has them), or None when there are none."""
    flagged = long_documents(lengths)
    if flagged.empty:
        return None
    if "title" in corpus:
        titles = corpus.set_index("doc_id")["title"]
        flagged.insert(1, "title", flagged["doc_id"].map(titles).astype(object).where(lambda t: t.notna(), ""))
    names = [f"{d} ({t})" if t else str(d) for d, t in
             zip(flagged["doc_id"], flagged["title"] if "title" in flagged else [""] * len(flagged))]
    more = f" and {len(names) - N_SHOWN:,} more" if len(names) > N_SHOWN else ""
    median = lengths["n_words"].median()
    text = (f"{len(flagged):,} document(s) are more than {LONG_FACTOR}× the median length ({median:,.0f} words): "
            f"{', '.join(names[:N_SHOWN])}{more}. Such documents can dominate the top lemmas and keyness, where "
            "every occurrence of a term counts; check whether they are articles or whole dumps (an issue, a PDF "
            "export), and split or drop them if not.")
    return text, flagged
