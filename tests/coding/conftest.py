"""Shared data of the coding tests: GerNTSA's public split, real German news sentences with the
sentiment toward one mention each, labelled by crowd annotators (see data/raw/gerntsa/)."""

import pytest

from analysis.corpus import datasets


@pytest.fixture(scope="session")
def gerntsa_mentions():
    """Every GerNTSA mention, loaded once per test run."""
    return datasets.load_gerntsa().corpus


@pytest.fixture(scope="session")
def per_label(gerntsa_mentions):
    """``per_label(n)``: the first ``n`` GerNTSA mentions of each label, in file order."""
    return lambda n: gerntsa_mentions.groupby("label").head(n).reset_index(drop=True)
