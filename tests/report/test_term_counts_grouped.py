"""The large report's term counts: parts added up in groups in the workers give what part-by-part merging gives."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.explore.term_counts import TermCounts
from analysis.report.events import Event
from analysis.report.term_pass import count_terms_part, count_terms_parts, document_terms
from analysis.text import Preprocessor

CHUNKS = [
    pd.DataFrame({"doc_id": ["a1", "a2"], "outlet": ["taz", "Süddeutsche"],
                  "text": ["Soldaten im Krieg um Kursk.", "Flüchtlinge erreichen Lwiw; die Lage bleibt „unübersichtlich“."]}),
    pd.DataFrame({"doc_id": ["b1"], "outlet": ["Die Welt"], "text": ["Drohnenangriffe auf Odessa, Getreideexporte gestoppt."]}),
    pd.DataFrame({"doc_id": ["c1", "c2", "c3"], "outlet": ["Süddeutsche", "taz", "Die Welt"],
                  "text": ["Waffenruhe in Gaza verlängert.", "42", "Soldaten und Soldatinnen kehren aus Kursk zurück."]}),
]
PUBLISHED = pd.Series(pd.to_datetime(["2024-02-20", None, "2024-02-26", "2024-02-23", "2024-03-01", None], utc=True))


def dated_parts(tmp_path) -> list[tuple]:
    parts, offset = [], 0
    for i, chunk in enumerate(CHUNKS):
        path = tmp_path / f"part-{i:05d}.parquet"
        document_terms(chunk, by="outlet", preprocessor=Preprocessor(lang="de")).to_parquet(path, index=False)
        parts.append((i, path, PUBLISHED.iloc[offset:offset + len(chunk)].reset_index(drop=True)))
        offset += len(chunk)
    return parts


def test_parts_added_up_together_equal_parts_merged_one_by_one(tmp_path):
    split = Event("2024-02-24", "Offensive")
    parts = dated_parts(tmp_path)
    (tmp_path / "one").mkdir(), (tmp_path / "together").mkdir()
    by_group, by_phase, lengths = TermCounts(by="outlet"), TermCounts(by="phase"), []
    for dated in parts:
        part = count_terms_part(dated, by="outlet", split=split, folder=tmp_path / "one")
        lengths.append(part.lengths)
        by_group.update(part.by_group)
        by_phase.update(part.by_phase)
    together = count_terms_parts(parts, by="outlet", split=split, folder=tmp_path / "together")
    assert together.n_parts == 3
    pd.testing.assert_frame_equal(together.lengths, pd.concat(lengths, ignore_index=True))
    for mine, theirs in ((together.by_group.compact(), by_group.compact()), (together.by_phase.compact(), by_phase.compact())):
        assert mine.groups == theirs.groups
        assert np.array_equal(mine.terms, theirs.terms)
        assert (mine.counts != theirs.counts).nnz == 0 and (mine.doc_counts != theirs.doc_counts).nnz == 0
        assert np.array_equal(mine.n_docs, theirs.n_docs)
    assert together.by_group.groups == ["Die Welt", "Süddeutsche", "taz"]
    assert "soldat" in together.by_group.terms.tolist() and together.by_phase.n_docs.sum() == 4  # dated documents
    # each part's counts are saved for the topic model, whichever way they were added up
    assert sorted(p.name for p in (tmp_path / "together").iterdir()) == sorted(p.name for p in (tmp_path / "one").iterdir())
