"""The report's table files: a table written part by part is the table written whole."""

import pandas as pd
import pytest

from analysis.report import writer as report_writer
from analysis.report.writer import ReportWriter


def messy_scores() -> pd.DataFrame:
    return pd.DataFrame({
        "doc_id": ["taz-1", "taz-1", "zeit-ä", "zeit-ä", "spiegel/3", "spiegel/3", "x", "x"],
        "frame": ["militär", "humanitär"] * 4,
        "score": [1 / 3, 0.0, 2.5, float("nan"), 1e-7, 12345678.9, 0.0, 1.0],
        "published": pd.to_datetime(["2024-02-24", None, "2024-03-01", "2024-03-01", None, None, "2022-01-01",
                                     "2022-01-01"], utc=True),
        "note": [None, "Gespräch", 3, None, "", "Kriegs-Rhetorik", None, 1.5],  # mixed objects, as str in Parquet
    })


def test_a_table_written_in_parts_has_the_files_of_the_whole_table(tmp_path):
    scores = messy_scores()
    whole, parted = ReportWriter(tmp_path / "whole"), ReportWriter(tmp_path / "parts")
    whole.table(scores, "frame_scores", max_rows=None)
    with parted.table_in_parts("frame_scores", n_rows=len(scores)) as table:
        for start, stop in ((0, 3), (3, 3), (3, 6), (6, 8)):  # an empty part too
            table.add(scores.iloc[start:stop])
    files = ["tables/frame_scores.csv", "tables/frame_scores.parquet"]
    assert parted.files == whole.files == files and parted.tables == ["frame_scores"]
    assert (parted.out / files[0]).read_bytes() == (whole.out / files[0]).read_bytes()
    assert pd.read_parquet(parted.out / files[1]).equals(pd.read_parquet(whole.out / files[1]))


def test_a_table_in_parts_beyond_the_csv_limit_is_parquet_only(tmp_path, monkeypatch):
    monkeypatch.setattr(report_writer, "CSV_MAX_ROWS", 5)
    writer = ReportWriter(tmp_path)
    with writer.table_in_parts("doc_topics", n_rows=8) as table:
        table.add(messy_scores()[:4])
        table.add(messy_scores()[4:])
    assert writer.files == ["tables/doc_topics.parquet"]
    assert len(pd.read_parquet(tmp_path / "tables" / "doc_topics.parquet")) == 8


def test_parts_that_do_not_add_up_to_the_announced_rows_are_an_error(tmp_path):
    writer = ReportWriter(tmp_path)
    with pytest.raises(ValueError, match="announced with 9 rows and got 8"):
        with writer.table_in_parts("scores", n_rows=9) as table:
            table.add(messy_scores())
    with pytest.raises(ValueError, match="in no part"):
        with writer.table_in_parts("empty", n_rows=0):
            pass
