"""Exceptions and warnings of the kit: each names what is wrong and what to do."""


class CorpusReadError(ValueError):
    """A corpus source cannot be read (empty file, unsupported type, malformed JSON)."""


class MissingColumnError(KeyError):
    """A column the caller named (or the default) is not in the input."""

    def __str__(self) -> str:  # KeyError would print the message with quotes around it
        return str(self.args[0]) if self.args else ""


class RejectedRowsWarning(UserWarning):
    """Some input rows were not kept; ``load_corpus(...).rejected`` lists them."""


class MissingExtraError(ImportError):
    """A path of the kit needs a package that only one of its extras installs."""


def import_extra(module: str, extra: str, purpose: str):
    """Import ``module`` or raise :class:`MissingExtraError` naming the extra that installs it.

    >>> import_extra("json", "none", "reading JSON").__name__
    'json'
    >>> import_extra("no_such_module_xyz", "cluster", "a Dask cluster")
    Traceback (most recent call last):
    ...
    analysis.errors.MissingExtraError: a Dask cluster needs the package 'no_such_module_xyz', which the kit's 'cluster' extra installs: python -m pip install "framing-kit[cluster]" (in a clone: python -m pip install -e ".[cluster]").
    """
    import importlib

    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as err:
        if err.name is None or not module.startswith(err.name.split(".")[0]):
            raise
        raise MissingExtraError(
            f"{purpose} needs the package {module.split('.')[0]!r}, which the kit's {extra!r} extra installs: "
            f'python -m pip install "framing-kit[{extra}]" (in a clone: python -m pip install -e ".[{extra}]").'
        ) from None
class EmptyCorpusError(CorpusReadError):
    """The input holds no document to analyse (only a header, an empty list, or every row rejected)."""
