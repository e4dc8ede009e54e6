"""OnlineNMF: MiniBatchNMF's topics and proportions, bit for bit, on real tf-idf features."""

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.decomposition import MiniBatchNMF

from analysis.corpus import datasets
from analysis.text import Preprocessor
from analysis.topics import OnlineNMF
from analysis.topics.pipeline import make_vectorizer


@pytest.fixture(scope="module")
def tfidf():
    """Sublinear tf-idf of 600 Austrian news articles (lemmas), as the streamed fit sees them."""
    texts = datasets.load_gnad10().corpus["text"].head(600)
    pre = Preprocessor(lang="de")
    return make_vectorizer("nmf", min_df=2).fit_transform([pre(t) for t in texts]).tocsr()


@pytest.mark.parametrize("params", [{}, {"fresh_restarts": True, "max_iter": 3}, {"beta_loss": "kullback-leibler"},
                                    {"alpha_W": 0.001}, {"alpha_H": 0.01, "l1_ratio": 0.5}])
def test_online_nmf_gives_the_bits_of_minibatch_nmf(tfidf, params):
    """Batch by batch (the streamed fit's partial_fit, which skips the batch cost), then transform; settings
    the short way does not cover fall back to MiniBatchNMF's own solve; fit (whose early stopping reads
    the batch cost) gives the same bits too."""
    settings = dict(n_components=6, init="nndsvda", batch_size=128, random_state=0, **params)
    mine, theirs = OnlineNMF(**settings), MiniBatchNMF(**settings)
    for start in range(0, tfidf.shape[0], 128):
        mine.partial_fit(tfidf[start:start + 128])
        theirs.partial_fit(tfidf[start:start + 128])
    np.testing.assert_array_equal(mine.components_, theirs.components_)
    assert mine.n_steps_ == theirs.n_steps_ and "_partial" not in vars(mine)
    np.testing.assert_array_equal(mine.transform(tfidf), theirs.transform(tfidf))
    assert (mine.transform(tfidf) > 0).any()
    whole = {"max_iter": 3, "tol": 0}  # fit over all rows, three epochs (its convergence is not the point)
    np.testing.assert_array_equal(clone(mine).set_params(**whole).fit_transform(tfidf),
                                  clone(theirs).set_params(**whole).fit_transform(tfidf))
