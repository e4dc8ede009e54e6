"""Topic-model benchmark on 10kGNAD (k = 9): the kit's defaults against the usual tools.

Run: ``python benchmarks/topics.py`` (needs the bench extra for tomotopy and gensim:
``pip install -e ".[bench]"``; missing tools are skipped with a note).

Every method gets the *same* token lists (the kit's German preprocessing: simplemma
lemmas with corrections, stopwords removed) and is fitted with 3 seeds in a fresh
process each, so peak memory is the process's own. Printed per method: fit seconds
(median), NPMI of the top-10 terms (document co-occurrence over all 1,028 articles),
NMI between each article's dominant topic and its newspaper section, and peak RSS
increase during the fit (MiB).
"""

from __future__ import annotations

import multiprocessing as mp
import pickle
import resource
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import normalized_mutual_info_score

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import analysis  # noqa: E402
from analysis.topics import npmi_coherence  # noqa: E402
from analysis.progress import quiet  # noqa: E402
from analysis.text import Preprocessor  # noqa: E402

K, SEEDS, TOP = 9, (0, 1, 2), 10


class PreTokenized:
    """Stands in for the Preprocessor: returns the shared token list of a text."""

    def __init__(self, tokens_by_text: dict):
        self.tokens_by_text = tokens_by_text

    def __call__(self, text):
        return self.tokens_by_text[text]

    def process_many(self, texts, **_):
        return [self.tokens_by_text[t] for t in texts]


def kit(tokens, seed, method):
    from analysis.topics import fit_topics
    texts = [f"doc{i}" for i in range(len(tokens))]
    corpus = pd.DataFrame({"doc_id": texts, "text": texts})
    model = fit_topics(corpus, K, method=method, preprocessor=PreTokenized(dict(zip(texts, tokens))), random_state=seed)
    top = model.terms(n=TOP).groupby("topic", sort=False)["term"].apply(list).tolist()
    return top, model.doc_topics(wide=True).drop(columns="doc_id").to_numpy().argmax(axis=1)


def sklearn_plain(tokens, seed):
    from sklearn.decomposition import NMF
    from sklearn.feature_extraction.text import TfidfVectorizer
    vectorizer = TfidfVectorizer(analyzer=lambda t: t, min_df=5, max_df=0.5)
    W = NMF(K, random_state=seed).fit_transform(X := vectorizer.fit_transform(tokens))
    vocab = vectorizer.get_feature_names_out()
    model_h = NMF(K, random_state=seed).fit(X).components_
    return [[vocab[j] for j in np.argsort(-row)[:TOP]] for row in model_h], W.argmax(axis=1)


def tomotopy_lda(tokens, seed):
    import tomotopy as tp
    model = tp.LDAModel(k=K, min_df=5, seed=seed)
    for doc in tokens:
        model.add_doc(doc if doc else ["<leer>"])
    model.train(1000, workers=1)
    top = [[w for w, _ in model.get_topic_words(k, top_n=TOP)] for k in range(K)]
    return top, np.array([np.argmax(doc.get_topic_dist()) for doc in model.docs])


def gensim_lda(tokens, seed):
    from gensim.corpora import Dictionary
    from gensim.models import LdaModel
    dictionary = Dictionary(tokens)
    dictionary.filter_extremes(no_below=5, no_above=0.5, keep_n=None)
    bows = [dictionary.doc2bow(doc) for doc in tokens]
    model = LdaModel(bows, num_topics=K, id2word=dictionary, random_state=seed, passes=10)
    top = [[w for w, _ in model.show_topic(k, topn=TOP)] for k in range(K)]
    dominant = [max(model.get_document_topics(b, minimum_probability=0), key=lambda x: x[1])[0] for b in bows]
    return top, np.array(dominant)


METHODS = {
    "kit fit_topics (NMF, default)": lambda t, s: kit(t, s, "nmf"),
    "kit fit_topics (LDA)": lambda t, s: kit(t, s, "lda"),
    "sklearn tf-idf + NMF (defaults, min_df=5, max_df=0.5)": sklearn_plain,
    "tomotopy LDAModel (1000 iterations)": tomotopy_lda,
    "gensim LdaModel (10 passes)": gensim_lda,
}


def _run(name: str, seed: int, tokens_path: str, queue) -> None:
    warnings.filterwarnings("ignore")
    tokens = pickle.loads(Path(tokens_path).read_bytes())
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    with quiet():
        top, dominant = METHODS[name](tokens, seed)
    seconds = time.perf_counter() - start
    peak = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - baseline) / 1024
    queue.put((top, dominant, seconds, peak))


def measure(name: str, tokens_path: str, reference, labels) -> dict | None:
    rows = []
    for seed in SEEDS:
        queue = mp.get_context("fork").Queue()
        process = mp.get_context("fork").Process(target=_run, args=(name, seed, tokens_path, queue))
        process.start()
        try:
            top, dominant, seconds, peak = queue.get(timeout=900)
        except Exception:  # the child failed (e.g. tomotopy not installed)
            process.join()
            return None
        process.join()
        rows.append((npmi_coherence(top, reference), normalized_mutual_info_score(labels, dominant), seconds, peak))
    npmi, nmi, seconds, peak = map(np.array, zip(*rows))
    return {"method": name, "fit_s": np.median(seconds), "npmi": npmi.mean(), "npmi_sd": npmi.std(),
            "nmi": nmi.mean(), "nmi_sd": nmi.std(), "peak_mib": peak.max()}


def main() -> None:
    corpus = analysis.corpus.datasets.load_gnad10().corpus
    with quiet():
        tokens = Preprocessor(lang="de").process_many(corpus["text"])
    labels = corpus["section"].to_numpy()
    print(f"10kGNAD test split: {len(corpus)} articles, 9 sections (CC BY-NC-SA 4.0); k = {K}; seeds {SEEDS}")
    print(f"tokens: kit Preprocessor('de'), {sum(map(len, tokens))} tokens, {len(set().union(*map(set, tokens)))} types")
    with tempfile.NamedTemporaryFile(suffix=".pkl", delete=False) as handle:
        handle.write(pickle.dumps(tokens))
    rows, skipped = [], []
    for name in METHODS:
        result = measure(name, handle.name, tokens, labels)
        (rows.append(result) if result else skipped.append(name))
    Path(handle.name).unlink()
    table = pd.DataFrame(rows).set_index("method")
    print(table.round({"fit_s": 2, "npmi": 3, "npmi_sd": 3, "nmi": 3, "nmi_sd": 3, "peak_mib": 0}).to_string())
    for name in skipped:
        print(f"skipped (not installed or failed): {name}")
    ours = table.loc["kit fit_topics (NMF, default)"]
    others = table.drop(index=["kit fit_topics (NMF, default)", "kit fit_topics (LDA)"])
    if len(others):
        best_npmi, best_nmi = others["npmi"].max(), others["nmi"].max()
        print(f"target NPMI ≥ best other ({best_npmi:.3f}): {'met' if ours.npmi >= best_npmi else 'missed'}; "
              f"NMI ≥ best other ({best_nmi:.3f}): {'met' if ours.nmi >= best_nmi else 'missed'}")
    if "tomotopy LDAModel (1000 iterations)" in table.index:
        tomo = table.loc["tomotopy LDAModel (1000 iterations)", "fit_s"]
        print(f"target faster than tomotopy ({tomo:.2f} s): {'met' if ours.fit_s < tomo else 'missed'} ({ours.fit_s:.2f} s)")


if __name__ == "__main__":
    main()
