"""What the kit's text estimators share: they take texts, not a numeric matrix.

>>> from sklearn.base import BaseEstimator
>>> class Echo(TextInputMixin, BaseEstimator):
...     requires_fit = False
>>> tags = Echo().__sklearn_tags__()
>>> tags.input_tags.string, tags.input_tags.two_d_array, tags.requires_fit
(True, False, False)
"""

from __future__ import annotations


class TextInputMixin:
    """Tags for scikit-learn: input is a list, Series or 1-D array of str (so its numeric-matrix
    checks are skipped); ``requires_fit = False`` on a class that works unfitted (lexicons)."""

    requires_fit = True

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.requires_fit = self.requires_fit
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        return tags
