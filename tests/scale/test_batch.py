"""Chunked scoring: same tables whatever the chunking and jobs, resumable after Ctrl-C."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.corpus import datasets
from analysis.scale import workers
from analysis.scale import map_chunks, run_in_chunks
from analysis.frames import score_frames
from analysis.sentiment import score_sentiment

CALLS: list[str] = []
INTERRUPT_AT: set[str] = set()  # first doc_ids of chunks on which "Ctrl-C" is pressed


def counted_frames(chunk: pd.DataFrame, **params) -> pd.DataFrame:
    """score_frames that records which chunks it saw and can simulate Ctrl-C."""
    first = chunk["doc_id"].iloc[0]
    if first in INTERRUPT_AT:
        raise KeyboardInterrupt
    CALLS.append(first)
    return score_frames(chunk, **params)


@pytest.fixture(scope="module")
def news() -> pd.DataFrame:
    corpus = datasets.load_gnad10().corpus.head(120).copy()
    corpus.loc[corpus.index[::7], "published"] = pd.NaT
    return corpus


def chunks_of(corpus: pd.DataFrame, size: int) -> list[pd.DataFrame]:
    return [corpus.iloc[i:i + size] for i in range(0, len(corpus), size)]


def test_chunked_scores_equal_one_pass_and_do_not_depend_on_jobs(news, tmp_path):
    whole = score_frames(news, "conflict")
    one = run_in_chunks(score_frames, chunks_of(news, 25), out=tmp_path / "one", dictionary="conflict",
                        progress=False).read()
    two = run_in_chunks(score_frames, chunks_of(news, 25), out=tmp_path / "two", dictionary="conflict",
                        n_jobs=2, progress=False).read()
    pd.testing.assert_frame_equal(one, whole.reset_index(drop=True), check_categorical=False)
    pd.testing.assert_frame_equal(one, two)
    assert (tmp_path / "one" / "part-00004.parquet").exists()


def slow_length(chunk: pd.DataFrame) -> pd.DataFrame:
    time.sleep(0.2)
    return pd.DataFrame({"n": [len(chunk)]})


def test_workers_read_chunks_as_they_go_not_all_at_once(news):
    """A million articles are 50 partitions: only a few may be in memory at a time."""
    drawn, ahead = [0], []

    def chunks():
        for chunk in chunks_of(news, 10):
            drawn[0] += 1
            yield chunk

    for i, table in enumerate(map_chunks(slow_length, chunks(), n_jobs=2)):
        ahead.append(drawn[0] - i - 1)
        assert table["n"].tolist() == [10]
    assert len(ahead) == 12 and max(ahead) <= 2 * 2 + 2, ahead


def worker_pid(chunk: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"pid": [os.getpid()]})


def running(pid: int) -> bool:
    status = Path(f"/proc/{pid}/status")
    try:
        return not any(line.startswith("State:") and "Z" in line for line in status.read_text().splitlines())
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_idle_workers_exit_instead_of_holding_memory(news, monkeypatch):
    """After a pass the main process fits topics for minutes: its workers must not sit on their memory."""
    monkeypatch.setattr(workers, "IDLE_WORKER_SECONDS", 1)
    pids = {int(t["pid"].iloc[0]) for t in map_chunks(worker_pid, chunks_of(news, 20), n_jobs=2)}
    assert os.getpid() not in pids and all(running(pid) for pid in pids)
    time.sleep(4)
    assert not any(running(pid) for pid in pids)


def test_sentiment_in_chunks_from_a_parquet_dataset(news, tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    for i, chunk in enumerate(chunks_of(news, 40)):
        chunk.to_parquet(folder / f"part-{i:05d}.parquet", index=False)
    result = run_in_chunks(score_sentiment, folder, out=tmp_path / "sentiment", progress=False)
    table = result.read()
    assert result.n_parts == 3 and list(table["doc_id"]) == list(news["doc_id"])
    np.testing.assert_allclose(table["score"], score_sentiment(news)["score"])


def test_resume_skips_finished_chunks_and_gives_the_uninterrupted_result(news, tmp_path):
    chunks = chunks_of(news, 30)
    CALLS.clear()
    INTERRUPT_AT.add(chunks[2]["doc_id"].iloc[0])
    try:
        with pytest.raises(KeyboardInterrupt):
            run_in_chunks(counted_frames, chunks, out=tmp_path / "run", dictionary="conflict", progress=False)
    finally:
        INTERRUPT_AT.clear()
    assert len(list((tmp_path / "run").glob("part-*.parquet"))) == 2
    CALLS.clear()
    resumed = run_in_chunks(counted_frames, chunks, out=tmp_path / "run", dictionary="conflict", progress=False)
    assert CALLS == [c["doc_id"].iloc[0] for c in chunks[2:]] and resumed.n_skipped == 2
    fresh = run_in_chunks(score_frames, chunks, out=tmp_path / "fresh", dictionary="conflict", progress=False)
    for a, b in zip(resumed.parts, fresh.parts):
        assert a.read_bytes() == b.read_bytes()


def test_resume_only_when_parameters_and_inputs_are_unchanged(news, tmp_path):
    chunks = chunks_of(news, 30)
    CALLS.clear()
    run_in_chunks(counted_frames, chunks, out=tmp_path / "run", dictionary="conflict", progress=False)
    CALLS.clear()
    again = run_in_chunks(counted_frames, chunks, out=tmp_path / "run", dictionary="conflict", progress=False)
    assert CALLS == [] and again.n_skipped == 4
    changed = [c.copy() for c in chunks]
    changed[1].loc[changed[1].index[0], "text"] = "Die Bundeswehr schickt Panzer nach Litauen."
    CALLS.clear()
    run_in_chunks(counted_frames, changed, out=tmp_path / "run", dictionary="conflict", progress=False)
    assert CALLS == [changed[1]["doc_id"].iloc[0]]  # only the edited chunk is scored again
    CALLS.clear()
    generic = run_in_chunks(counted_frames, changed, out=tmp_path / "run", dictionary="generic", progress=False)
    assert len(CALLS) == 4 and set(generic.read()["frame"]) >= {"conflict", "morality"}


def test_a_shorter_input_leaves_no_stale_parts(news, tmp_path):
    run_in_chunks(score_frames, chunks_of(news, 30), out=tmp_path / "run", progress=False)
    result = run_in_chunks(score_frames, chunks_of(news.head(50), 30), out=tmp_path / "run", progress=False)
    assert result.n_parts == 2 and set(result.read()["doc_id"]) == set(news.head(50)["doc_id"])


def test_empty_folder_says_what_to_do(tmp_path):
    with pytest.raises(FileNotFoundError, match="no .parquet files"):
        run_in_chunks(score_frames, tmp_path, out=tmp_path / "out", progress=False)


def test_steps_run_together_give_each_steps_own_result_and_resume_each_other(news, tmp_path, monkeypatch):
    from analysis.scale import batch
    from analysis.sentiment import actor_sentiment

    monkeypatch.setattr(batch, "SLICE", 10)  # chunks of 40 documents go through the steps 10 at a time
    steps = {"frames": (score_frames, {"dictionary": "conflict"}, tmp_path / "frames"),
             "sentiment": (score_sentiment, {}, tmp_path / "sentiment"),
             "actors": (actor_sentiment, {}, tmp_path / "actors")}
    together = batch.run_steps_in_chunks(steps, chunks_of(news, 40), n_jobs=2, progress=False)
    pd.testing.assert_frame_equal(together["frames"].read(), score_frames(news, "conflict"), check_categorical=False)
    pd.testing.assert_frame_equal(together["sentiment"].read(), score_sentiment(news))
    pd.testing.assert_frame_equal(together["actors"].read(), actor_sentiment(news))
    # the same step alone over the same input finds the parts written together: nothing to compute
    again = run_in_chunks(score_frames, chunks_of(news, 40), out=tmp_path / "frames", dictionary="conflict",
                          progress=False)
    assert (again.n_parts, again.n_skipped) == (3, 3)
    (tmp_path / "sentiment" / "part-00001.parquet").unlink()  # one part lost: only it is computed again
    resumed = batch.run_steps_in_chunks(steps, chunks_of(news, 40), progress=False)
    assert {name: r.n_skipped for name, r in resumed.items()} == {"frames": 3, "sentiment": 2, "actors": 3}
    pd.testing.assert_frame_equal(resumed["sentiment"].read(), score_sentiment(news))
