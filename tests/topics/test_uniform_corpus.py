"""A corpus too uniform for topics fails with one clear error, whatever the back-end."""

import pandas as pd
import pytest

from analysis.topics import compare_n_topics, fit_topics, fit_topics_streaming
from analysis.topics.pipeline import TooFewTermsError


def releases(n: int, *, sides: tuple[str, str] | None = None) -> pd.DataFrame:
    """One German press release ``n`` times with only a number changed (and, with ``sides``, one of
    two sentences alternating)."""
    extra = [f" {sides[i % 2]}" if sides else "" for i in range(n)]
    return pd.DataFrame({"doc_id": [f"pm-{i}" for i in range(n)],
                         "text": [f"Die Außenministerin kündigte {i + 3} weitere Hilfspakete für die Ukraine an."
                                  f"{extra[i]}" for i in range(n)]})


@pytest.mark.parametrize("fit", [
    lambda corpus: fit_topics(corpus, 4),
    lambda corpus: fit_topics_streaming(corpus, 4, chunk_size=15),
    lambda corpus: compare_n_topics(corpus, [4, 6], n_seeds=1),
], ids=["in_memory", "streaming", "search"])
def test_near_identical_documents_raise_too_few_terms(fit):
    with pytest.raises(TooFewTermsError, match="too alike for a topic model|too uniform for a topic model"):
        fit(releases(40))


def test_more_topics_than_terms_is_the_same_clear_error():
    corpus = releases(40, sides=("Panzer rollen über die Grenze nach Charkiw.", "Gespräche über Waffenruhe in Genf."))
    assert fit_topics(corpus, 2).terms(n=3)["topic"].nunique() == 2  # a few distinct terms carry two topics
    with pytest.raises(TooFewTermsError, match=r"only \d+ terms occur .* too few for 40 topics"):
        fit_topics(corpus, 40)
    assert issubclass(TooFewTermsError, ValueError)  # callers catching ValueError keep working
