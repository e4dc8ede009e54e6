"""Exceptions and warnings of the kit: each names what is wrong and what to do."""


class CorpusReadError(ValueError):
    """A corpus source cannot be read (empty file, unsupported type, malformed JSON)."""


class MissingColumnError(KeyError):
    """A column the caller named (or the default) is not in the input."""

    def __str__(self) -> str:  # KeyError would print the message with quotes around it
        return str(self.args[0]) if self.args else ""


class RejectedRowsWarning(UserWarning):
    """Some input rows were not kept; ``load_corpus(...).rejected`` lists them."""


class EmptyCorpusError(CorpusReadError):
    """The input holds no document to analyse (only a header, an empty list, or every row rejected)."""
