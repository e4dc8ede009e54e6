"""Corpora shared by the explore tests."""

import pytest

from analysis.corpus import datasets


@pytest.fixture(scope="module")
def conflict():
    """300 press releases, 150 per outlet (a fixed sample keeps the tests fast)."""
    corpus = datasets.load_conflict_corpus().corpus
    return corpus.groupby("outlet", observed=True, group_keys=False).sample(150, random_state=2)


@pytest.fixture(scope="module")
def seed():
    return datasets.load_seed_article().corpus
