"""Fixtures shared by the report's tests."""

import os
import pickle
import time

import pytest


@pytest.fixture
def recorded(tmp_path_factory):
    """``(record, seen)``: ``record(value)`` keeps a value, also from a forked process (the report makes
    its figures in forked drawing processes, so a spy on a plotting function is called there);
    ``seen()`` lists the values kept so far."""
    folder = tmp_path_factory.mktemp("recorded")

    def record(value) -> None:
        (folder / f"{time.time_ns()}-{os.getpid()}.pickle").write_bytes(pickle.dumps(value))

    def seen() -> list:
        return [pickle.loads(path.read_bytes()) for path in sorted(folder.iterdir())]
    return record, seen
