"""The frame section's summary of frame scores read part by part equals that of the scores held whole."""

import pytest

from analysis.compare.scores import doc_item_grid
from analysis.corpus import datasets
from analysis.frames import score_frames
from analysis.frames.coverage import coverage_table, frame_coverage
from analysis.report.frame_scores import FrameScores
from analysis.report.stages import Tables
from analysis.report.writer import ReportWriter


@pytest.fixture(scope="module")
def scores():
    corpus = datasets.load_conflict_corpus().corpus.head(60)
    corpus.loc[5, "text"] = "Keine Waffenruhe in Sicht: Soldaten rücken vor, die Flüchtlinge brauchen humanitäre Hilfe."
    return score_frames(corpus, "conflict")


def test_parts_sum_to_the_summary_of_the_whole(scores):
    n_frames = scores["frame"].nunique()
    cuts = [0, 7 * n_frames, 7 * n_frames, 40 * n_frames, len(scores)]  # whole documents per part, one part empty
    drawn = scores["doc_id"].drop_duplicates().sample(9, random_state=1)
    summary = FrameScores.of([scores.iloc[a:b] for a, b in zip(cuts, cuts[1:])], sample_ids=drawn)
    assert summary.grid.equals(doc_item_grid(scores, "frame", "score", sort_docs=False))
    assert coverage_table(summary.coverage, "conflict").equals(frame_coverage(scores, "conflict"))
    assert summary.totals.to_dict() == {"hits": scores["hits"].sum(), "negated_hits": scores["negated_hits"].sum()}
    assert summary.totals["negated_hits"] > 0
    assert summary.sample.equals(scores[scores["doc_id"].isin(drawn)].reset_index(drop=True))


def test_a_document_in_two_parts_is_an_error(scores):
    first = scores["doc_id"].iloc[0]
    with pytest.raises(ValueError, match=f"doc_id '{first}' is in several parts"):
        FrameScores.of([scores, scores[scores["doc_id"] == first]])
    with pytest.raises(ValueError, match="no part of frame scores"):
        FrameScores.of([])


def test_later_stages_read_only_the_rows_and_values_they_need(scores, tmp_path):
    writer = ReportWriter(tmp_path)
    writer.table(scores, "frame_scores", max_rows=None)
    tables = Tables(tmp_path)
    tables.add(writer.tables)
    wanted = [scores["doc_id"].iloc[-1], "nicht-im-korpus", scores["doc_id"].iloc[0]]
    rows = tables.read("frame_scores", ["doc_id", "frame", "score"], doc_ids=wanted)
    assert rows.equals(scores.loc[scores["doc_id"].isin(wanted), ["doc_id", "frame", "score"]].reset_index(drop=True))
    assert tables.distinct("frame_scores", "frame") == sorted(scores["frame"].unique())
    with pytest.raises(KeyError, match="no table 'topic_terms'"):
        tables.distinct("topic_terms", "topic")
