"""Per-document scoring over worker processes, in ordered chunks of the corpus.

Sentiment, actor and frame scores of a document do not depend on any other document,
so the corpus is cut into consecutive chunks, scored in ``n_jobs`` processes and the
results stacked in corpus order: the frame is identical to one call on the whole corpus.

>>> import pandas as pd
>>> corpus = pd.DataFrame({"doc_id": list("abcde"), "text": ["x", "yy", "zzz", "", "w"]})
>>> def lengths(chunk):
...     return pd.DataFrame({"doc_id": chunk["doc_id"], "n": chunk["text"].str.len()})
>>> score_in_chunks(lengths, corpus, n_jobs=1)["n"].tolist()
[1, 2, 3, 0, 1]
"""

from __future__ import annotations

import pandas as pd

from analysis.progress import progress_bar, quiet

CHUNKS_PER_JOB = 4  # a few chunks per worker keep both cores busy to the end


def score_in_chunks(score, corpus: pd.DataFrame, *, n_jobs: int = 1, desc: str = "scoring") -> pd.DataFrame:
    """``score(corpus)`` computed chunk by chunk in ``n_jobs`` processes (one call when ``n_jobs == 1``).

    ``score`` must be a picklable function (module level, or a ``functools.partial`` of
    one) of a corpus frame returning one frame whose rows belong to the chunk's documents.
    """
    if n_jobs == 1 or len(corpus) < 2:
        return score(corpus)
    from joblib import Parallel, delayed

    n_chunks = min(len(corpus), CHUNKS_PER_JOB * n_jobs)
    bounds = [round(i * len(corpus) / n_chunks) for i in range(n_chunks + 1)]
    chunks = [corpus.iloc[start:end] for start, end in zip(bounds, bounds[1:])]
    bar = progress_bar(chunks, desc=f"{desc} ({n_jobs} jobs)", unit="chunk")
    parts = Parallel(n_jobs=n_jobs)(delayed(_quietly)(score, chunk) for chunk in bar)
    return pd.concat(parts, ignore_index=True)


def _quietly(score, chunk: pd.DataFrame) -> pd.DataFrame:
    with quiet():  # one bar over chunks in the parent, none per worker
        return score(chunk)
