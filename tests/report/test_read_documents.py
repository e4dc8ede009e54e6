"""A large corpus's texts read for the few documents a section shows: right rows, corpus order, few row groups."""

from __future__ import annotations

import pandas as pd
import pyarrow.parquet as pq
import pytest

from analysis.corpus import parquet_dataset
from analysis.report.corpus_access import load_large, read_documents


@pytest.fixture
def stored(tmp_path, monkeypatch):
    """26 German documents in partitions of 10 input rows and row groups of 3; one empty text is rejected."""
    monkeypatch.setattr(parquet_dataset, "ROW_GROUP_ROWS", 3)
    texts = [f"Bericht {i}: Gefechte bei Kursk, Flüchtlinge in Lwiw – Lage „unübersichtlich“." for i in range(27)]
    texts[4] = ""
    frame = pd.DataFrame({"id": [f"doc-{i:02d}" for i in range(27)], "text": texts,
                          "outlet": ["Süddeutsche", "taz", "Die Welt"] * 9})
    return load_large(frame, {"id_col": "id", "outlet_col": "outlet", "lang": "de"}, tmp_path / "corpus", rows=10,
                      progress=False)


def whole_corpus(stored) -> pd.DataFrame:
    return pd.concat([pq.read_table(p, columns=["doc_id", "text"]).to_pandas() for p in stored.partitions],
                     ignore_index=True)


def test_partitions_are_written_in_row_groups(stored):
    groups = [pq.ParquetFile(p).metadata.num_row_groups for p in stored.partitions]
    assert groups == [3, 4, 3]  # 9, 10 and 7 documents (doc-04 rejected) in groups of at most 3


@pytest.mark.parametrize("wanted", [["doc-26", "doc-00", "doc-13"], ["doc-07", "doc-07", "doc-08"], ["doc-99"],
                                    ["doc-04", "doc-05"], []])
def test_the_wanted_documents_come_in_corpus_order(stored, wanted):
    whole = whole_corpus(stored)
    expected = whole[whole["doc_id"].isin(wanted)].reset_index(drop=True)
    found = read_documents(stored, wanted)
    pd.testing.assert_frame_equal(found, expected)  # unknown and rejected ids are not there; a repeated id once
    assert found.columns.tolist() == ["doc_id", "text"]


def test_only_the_row_groups_that_hold_a_wanted_document_are_read(stored, monkeypatch):
    read = []
    real = pq.ParquetFile.read_row_groups

    def recording(self, row_groups, *args, **kwargs):
        read.append((self.metadata.num_rows, list(row_groups)))
        return real(self, row_groups, *args, **kwargs)

    monkeypatch.setattr(pq.ParquetFile, "read_row_groups", recording)
    found = read_documents(stored, ["doc-14", "doc-00"])
    assert found["text"].str.startswith(("Bericht 0:", "Bericht 14:")).all() and len(found) == 2
    # doc-00: first partition (doc-00..09 without doc-04), group 0; doc-14: second partition (doc-10..19), group 1
    assert read == [(9, [0]), (10, [1])]
