"""The report's large-corpus path: texts streamed from Parquet partitions, only metadata in memory.

On a small corpus forced through that path (several partitions), every table equals the
in-memory report's except the topic model's, which is fitted in mini-batches.
"""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from analysis.corpus import datasets
from analysis.report import STAGES, run_report
from analysis.report import corpus_access, term_pass

TOPIC_TABLES = ("topic_terms", "topic_top_documents", "doc_topics", "topic_prevalence_by_group",
                "topic_prevalence_over_time")


@pytest.fixture(scope="module")
def sample():
    """90 press releases of both sources around the invasion, with a missing date and umlauts."""
    corpus = datasets.load_conflict_corpus().corpus
    picked = corpus.groupby("outlet", observed=True).sample(45, random_state=5).reset_index(drop=True)
    picked.loc[3, "published"] = pd.NaT
    picked.loc[4, "text"] = "Die Bundesländer prüfen Gespräche über Waffenstillstand. " + picked.loc[4, "text"]
    return picked[["doc_id", "text", "outlet", "published", "lang", "title"]]


@pytest.fixture(scope="module")
def reports(sample, tmp_path_factory, monkeypatch_module):
    monkeypatch_module.setattr(corpus_access, "PARTITION_ROWS", 20)  # 5 partitions
    memory = run_report(sample, out=tmp_path_factory.mktemp("memory"), topics=4, progress=False, large=False)
    large = run_report(sample, out=tmp_path_factory.mktemp("large"), topics=4, progress=False, large=True, n_jobs=2)
    return memory, large


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def table_bytes(run, suffix: str = ".csv") -> dict[str, bytes]:
    folder = run.page.parent / "tables"
    return {p.stem: p.read_bytes() for p in sorted(folder.glob(f"*{suffix}"))}


@pytest.mark.slow
def test_large_path_gives_the_in_memory_tables_except_the_topic_model(reports):
    memory, large = reports
    assert (large.page.parent / ".corpus" / "part-00004.parquet").is_file()
    in_memory, streamed = table_bytes(memory), table_bytes(large)
    assert streamed.keys() == in_memory.keys()
    differing = sorted(name for name in in_memory if in_memory[name] != streamed[name])
    assert set(differing) <= set(TOPIC_TABLES), differing
    for name in ("frame_scores", "sentiment_documents", "actor_mentions", "keyness_1_kremlin", "top_terms",
                 "document_lengths", "kwic_top_actors"):
        assert name in in_memory  # the chunked tables exist and were compared
    # the large path writes frame scores part by part: its Parquet table holds the same rows
    assert pd.read_parquet(large.page.parent / "tables" / "frame_scores.parquet").equals(
        pd.read_parquet(memory.page.parent / "tables" / "frame_scores.parquet"))
    for name in ("coding_sheet.csv", "coding_sheet-key.csv"):
        assert (memory.page.parent / "validation" / name).read_bytes() == \
               (large.page.parent / "validation" / name).read_bytes()


@pytest.mark.slow
def test_large_path_topic_model_covers_every_document_with_proportions(reports, sample):
    _, large = reports
    doc_topics = pd.read_parquet(large.page.parent / "tables" / "doc_topics.parquet")
    assert sorted(doc_topics["doc_id"].unique()) == sorted(sample["doc_id"])
    assert doc_topics["topic"].nunique() == 4
    sums = doc_topics.groupby("doc_id")["weight"].sum()
    assert ((sums - 1).abs() < 1e-6).mean() > 0.9  # empty documents may have all-zero rows
    page = large.page.read_text(encoding="utf-8")
    assert "fit_topics_streaming" in page and "Large corpus" in page
    assert (large.page.parent / "validation" / "word_intrusion.json").is_file()


@pytest.mark.slow
def test_large_report_resumes_and_reuses_its_parquet_copy(sample, tmp_path, monkeypatch):
    monkeypatch.setattr(corpus_access, "PARTITION_ROWS", 30)
    calls, interrupt = [], ["keyness"]

    def spied(stage):
        def run(ctx):
            calls.append(stage.name)
            if stage.name in interrupt:
                interrupt.clear()
                raise KeyboardInterrupt
            return stage.run(ctx)
        return dataclasses.replace(stage, run=run)

    source = tmp_path / "archive.csv"
    sample.to_csv(source, index=False)
    with pytest.raises(KeyboardInterrupt):
        run_report(source, out=tmp_path / "r", topics=4, progress=False, large=True, stages=[spied(s) for s in STAGES])
    first_part = tmp_path / "r" / ".corpus" / "part-00000.parquet"
    written = first_part.stat().st_mtime_ns
    calls.clear()
    run = run_report(source, out=tmp_path / "r", topics=4, progress=False, large=True,
                     stages=[spied(s) for s in STAGES])
    assert calls == ["keyness", "kwic", "validation"]
    assert first_part.stat().st_mtime_ns == written  # the Parquet copy was reused, not rewritten
    assert run.reused == [s.name for s in STAGES if s.name not in calls and s.name != "coded"]  # coded: only with codes


def test_size_decides_the_path(tmp_path, monkeypatch):
    source = tmp_path / "archive.csv"
    pd.DataFrame({"text": ["Krieg in der Ukraine."] * 50}).to_csv(source, index=False)
    assert not corpus_access.is_large(source)
    monkeypatch.setattr(corpus_access, "LARGE_BYTES", 100)
    assert corpus_access.is_large(source)
    assert corpus_access.is_large(pd.DataFrame({"text": ["x"] * 5})) is False


def test_large_path_reads_a_duckdb_table(sample, tmp_path):
    import duckdb

    database = tmp_path / "archive.db"
    with duckdb.connect(str(database)) as con:
        con.register("frame", sample.assign(published=sample["published"].dt.strftime("%Y-%m-%d")))
        con.execute("CREATE TABLE articles AS SELECT * FROM frame")
    run = run_report(f"duckdb:///{database}?table=articles", out=tmp_path / "r", topics=4, progress=False,
                     large=True, stages=[s for s in STAGES if s.name in ("load_report", "overview", "frames")])
    lengths = pd.read_csv(tmp_path / "r" / "tables" / "document_lengths.csv")
    assert sorted(lengths["doc_id"]) == sorted(sample["doc_id"])
    assert [r.status for r in run.stages] == ["computed"] * 3


def test_topic_model_reads_the_term_counts_the_term_pass_saved(sample, tmp_path, monkeypatch):
    """The term pass saves each part's counts; the topic model reads them instead of counting the
    parts again, and counts again (to the same topics) where they were not saved."""
    monkeypatch.setattr(corpus_access, "PARTITION_ROWS", 30)
    source = tmp_path / "archive.csv"
    sample.to_csv(source, index=False)
    recounted, count_part = [], term_pass.count_part
    monkeypatch.setattr(term_pass, "count_part", lambda path: recounted.append(path) or count_part(path))
    run_report(source, out=tmp_path / "saved", topics=4, progress=False, large=True)
    assert recounted == []
    monkeypatch.setattr(term_pass, "save_counts", lambda *args: None)
    run_report(source, out=tmp_path / "unsaved", topics=4, progress=False, large=True)
    assert len(recounted) == 3  # the pass's three parts (90 documents, 30 per partition)
    for name in ("topic_terms", "topic_top_documents"):
        pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "unsaved" / "tables" / f"{name}.csv"),
                                      pd.read_csv(tmp_path / "saved" / "tables" / f"{name}.csv"))


@pytest.mark.parametrize("joined", [
    ["krieg\x1fsoldat\x1fkrieg", "", "Ärger\x1fstraße\x1f🙂", "", "krieg"],  # empty documents between others
    ["", ""], [], ["solo"]])
def test_terms_are_counted_in_arrow_as_token_lists_are(joined):
    """The pass's parts store each document's terms joined; counting them in Arrow gives the very
    counts of the token lists (the same terms in the same order, the same matrix and dtypes)."""
    import pyarrow as pa

    from analysis.explore.term_counts import count_tokens

    terms, counts = count_tokens(term_pass.split_terms(joined))
    for given in (joined, pa.chunked_array([pa.array(joined[:1], pa.large_string()), pa.array(joined[1:], pa.large_string())])):
        got_terms, got = term_pass.count_joined(given)
        assert got_terms.dtype == object and got_terms.tolist() == terms.tolist()
        assert got.shape == counts.shape and got.dtype == counts.dtype and got.indices.dtype == counts.indices.dtype
        assert (got.indptr == counts.indptr).all() and (got.indices == counts.indices).all() and (got.data == counts.data).all()
