"""Run manifests: record a kit function's result, then rerun it and compare bit for bit;
changed inputs, tampered outputs and changed environments are reported."""

import json
import shutil
import warnings
from datetime import datetime
from importlib.metadata import version
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import analysis
from analysis.frames import FrameDictionary
from analysis.frames import score_frames
from analysis.reproducibility import file_sha256, frame_sha256
from analysis.reproducibility.manifest import (EnvironmentChangedWarning, environment, record, verify_manifest, write_manifest,
                               write_table)
from analysis.sentiment import score_sentiment

GERMAN = [
    "Nordkoreanische Soldaten kämpfen in Kursk an der Front; die Verluste sind schwer.",
    "Die Regierung in Kyjiw begrüßt die Waffenruhe nicht – Verhandlungen seien gescheitert.",
    "Humanitäre Hilfe für Gaza: Hilfsorganisationen fordern sicheren Zugang für Lkw.",
    "Putin und Kim Jong Un unterzeichnen ein Abkommen über gegenseitigen Beistand.",
    "Die NATO verstärkt ihre Präsenz im Baltikum; Wirtschaftssanktionen treffen Exporteure.",
    "",  # empty text, as real exports have
]


@pytest.fixture(scope="module")
def corpus():
    """A small German corpus: umlauts, NaT dates, a categorical outlet, an empty text."""
    return pd.DataFrame({
        "doc_id": [f"dok-{i}" for i in range(len(GERMAN))],
        "text": GERMAN,
        "outlet": pd.Categorical(["Die Zeit", "Süddeutsche", "Die Zeit", "taz", "Süddeutsche", "taz"]),
        "published": pd.to_datetime(["2024-11-04", None, "2025-01-19", "2024-06-19", None, "2025-02-01"], utc=True),
        "lang": "de",
    })


def sample_units(corpus, *, n, random_state):
    """A stochastic step for the tests: a seeded sample of documents (keeps the corpus index)."""
    return corpus.sample(n=n, random_state=random_state)[["doc_id", "outlet"]]


def outlet_tables(source, *, out, by="outlet"):
    """A report-like step (call="source_out"): reads ``source`` and writes tables into ``out``."""
    corpus = source if isinstance(source, pd.DataFrame) else pd.read_csv(source, encoding="utf-8")
    tables = Path(out) / "tables"
    tables.mkdir(parents=True, exist_ok=True)
    counts = corpus.groupby(by, observed=True).size().rename("n_docs").reset_index()
    lengths = corpus.assign(n_chars=corpus["text"].fillna("").str.len())[["doc_id", by, "n_chars"]]
    return [write_table(counts, tables / "counts.csv"), write_table(lengths, tables / "lengths.parquet")]


STEPS = [
    (score_frames, "frames.csv", {"dictionary": "conflict", "normalize": "share", "negation": "exclude"}),
    (score_sentiment, "sentiment.parquet", {"unit": "sentence"}),
]


@pytest.mark.parametrize("function, name, params", STEPS, ids=["score_frames", "score_sentiment"])
def test_record_then_verify_reproduces(tmp_path, corpus, function, name, params):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # score_sentiment warns about the empty document
        result = record(function, corpus, out=tmp_path / name, **params)
        pd.testing.assert_frame_equal(result, function(corpus, **params))
        check = verify_manifest(tmp_path / f"{name}.manifest.json")
    assert check.ok, check
    assert list(check.checks["role"]) == ["input", "stored", "rerun"]
    assert check.checks["reproduced"].all() and "bit for bit" in repr(check)
    manifest = json.loads((tmp_path / f"{name}.manifest.json").read_text(encoding="utf-8"))
    assert manifest["function"] == f"{function.__module__}.{function.__name__}" and manifest["call"] == "corpus"
    assert (tmp_path / manifest["corpus"]["snapshot"]).is_file()
    defaults = {"score_frames": {"unit": "document", "lang": None},
                "score_sentiment": {"method": "lexicon", "text_col": "text", "lang": None}}[function.__name__]
    assert manifest["params"] == {**manifest["params"], **defaults, **params}  # defaults recorded too


def test_manifest_records_versions_params_hashes_and_times(tmp_path, corpus):
    result = record(sample_units, corpus, out=tmp_path / "sample.csv", n=3, random_state=np.int64(5))
    manifest = json.loads((tmp_path / "sample.csv.manifest.json").read_text(encoding="utf-8"))
    env = manifest["environment"]
    assert env["framing-kit"] == analysis.__version__ and env == environment()
    assert env["pandas"] == version("pandas") and env["scikit-learn"] == version("scikit-learn")
    assert manifest["params"] == {"n": 3, "random_state": 5}
    assert manifest["corpus"]["sha256"] == frame_sha256(corpus) and manifest["corpus"]["n_docs"] == len(corpus)
    assert manifest["outputs"] == {"sample.csv": file_sha256(tmp_path / "sample.csv")}
    started, finished = (datetime.fromisoformat(manifest[k]) for k in ("started", "finished"))
    assert started.utcoffset().total_seconds() == 0 and started <= finished
    assert manifest["duration_s"] == pytest.approx((finished - started).total_seconds(), abs=1e-3)
    stored = pd.read_csv(tmp_path / "sample.csv")
    assert stored["index"].tolist() == result.index.tolist()  # the sampled rows' index is kept as a column
    assert verify_manifest(tmp_path / "sample.csv.manifest.json").ok


def test_tampered_output_is_detected(tmp_path, corpus):
    out = tmp_path / "frames.csv"
    record(score_frames, corpus, out=out, dictionary="conflict")
    out.write_text(out.read_text(encoding="utf-8").replace("military", "militär"), encoding="utf-8")
    check = verify_manifest(f"{out}.manifest.json")
    assert not check.ok
    assert check.checks.set_index("role")["reproduced"].to_dict() == {"input": True, "stored": False, "rerun": True}
    assert "NOT reproduced: stored frames.csv differs" in check.summary()


def test_recorded_params_that_do_not_produce_the_output_are_detected(tmp_path, corpus):
    out = tmp_path / "frames.csv"
    record(score_frames, corpus, out=out, dictionary="conflict", normalize="share")
    manifest_file = Path(f"{out}.manifest.json")
    manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    manifest["params"]["normalize"] = "per_1000_tokens"  # as if the manifest misreported the run
    manifest_file.write_text(json.dumps(manifest), encoding="utf-8")
    check = verify_manifest(manifest_file)
    assert not check.ok and check.checks.set_index("role").loc["rerun", "reproduced"] == False  # noqa: E712


def test_changed_corpus_snapshot_is_detected(tmp_path, corpus):
    out = tmp_path / "sentiment.csv"
    record(score_sentiment, corpus.iloc[:5], out=out)
    snapshot = next(tmp_path.glob("corpus-*.parquet"))
    changed = pd.read_parquet(snapshot)
    changed.loc[0, "text"] = "Die Soldaten feiern einen großartigen Sieg."
    changed.to_parquet(snapshot)
    check = verify_manifest(f"{out}.manifest.json")
    assert not check.ok
    inputs = check.checks.query("role == 'input'")
    assert not inputs["reproduced"].any() and inputs["new_sha256"].iloc[0] == frame_sha256(changed)
    assert f"input corpus ({snapshot.name}) differs" in check.summary()
    snapshot.unlink()
    with pytest.raises(FileNotFoundError, match="snapshot .* is missing"):
        verify_manifest(f"{out}.manifest.json")


def test_changed_environment_warns_but_still_verifies(tmp_path, corpus):
    record(score_frames, corpus, out=tmp_path / "frames.parquet")
    manifest_file = tmp_path / "frames.parquet.manifest.json"
    manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    manifest["environment"]["pandas"] = "2.2.3"
    manifest_file.write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.warns(EnvironmentChangedWarning, match=r"pandas .* \(recorded 2.2.3\)"):
        check = verify_manifest(manifest_file)
    assert check.ok and check.environment_changes == {"pandas": ("2.2.3", version("pandas"))}
    assert "Environment changed: pandas" in repr(check)


def test_dictionary_file_parameter_is_hashed_and_checked(tmp_path, corpus):
    dictionary = FrameDictionary.from_mapping({"militär": ["soldat*", "front"], "humanitär": ["hilfe*"]})
    with pytest.raises(TypeError, match=r"FrameDictionary.*to_yaml"):
        record(score_frames, corpus, out=tmp_path / "frames.csv", dictionary=dictionary)
    assert not (tmp_path / "frames.csv").exists()  # refused before any work
    yaml_file = dictionary.to_yaml(tmp_path / "frames.yaml")
    record(score_frames, corpus, out=tmp_path / "frames.csv", dictionary=str(yaml_file))
    assert verify_manifest(tmp_path / "frames.csv.manifest.json").ok
    FrameDictionary.from_mapping({"militär": ["soldat*"], "humanitär": ["hilfe*"]}).to_yaml(yaml_file)
    check = verify_manifest(tmp_path / "frames.csv.manifest.json")
    assert not check.ok and "params['dictionary']" in check.summary()


def test_unrecordable_steps_are_refused(tmp_path, corpus):
    with pytest.raises(ValueError, match="importable"):
        record(lambda c: c, corpus, out=tmp_path / "x.csv")
    with pytest.raises(TypeError, match="DataFrames only"):
        record(frame_sha256, corpus, out=tmp_path / "x.csv")
    with pytest.raises(ValueError, match=r"\.csv or \.parquet"):
        record(score_frames, corpus, out=tmp_path / "x.xlsx")


def test_source_out_step_reruns_into_a_fresh_folder(tmp_path, corpus):
    source = tmp_path / "input" / "korpus.csv"
    source.parent.mkdir()
    corpus.to_csv(source, index=False, encoding="utf-8")
    out = tmp_path / "report"
    outputs = outlet_tables(source, out=out, by="outlet")
    manifest_file = write_manifest(out / "manifest.json", function=outlet_tables, params={"by": "outlet"},
                                   call="source_out", outputs=outputs, source=source, corpus=corpus)
    manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    assert manifest["call"] == "source_out"
    assert set(manifest["outputs"]) == {"tables/counts.csv", "tables/lengths.parquet"}
    assert manifest["source"]["sha256"] == file_sha256(source)
    check = verify_manifest(manifest_file)
    assert check.ok, check
    assert (check.checks["role"] == "rerun").sum() == 2
    moved = shutil.move(source, tmp_path / "korpus.csv")
    assert verify_manifest(manifest_file, source=moved).ok  # a moved source can be named
    pd.read_csv(moved).iloc[:-1].to_csv(moved, index=False)  # one document fewer
    check = verify_manifest(manifest_file, source=moved)
    failed = check.checks[~check.checks["reproduced"]]
    assert set(failed["role"]) == {"input", "rerun"} and len(failed) == 3


def test_source_out_step_with_a_frame_source_uses_a_snapshot(tmp_path, corpus):
    out = tmp_path / "report"
    outputs = outlet_tables(corpus, out=out)
    manifest_file = write_manifest(out / "manifest.json", function=outlet_tables, params={}, call="source_out",
                                   outputs=outputs, source=corpus)
    assert len(list(out.glob("corpus-*.parquet"))) == 1
    assert verify_manifest(manifest_file).ok


def test_write_table_gives_the_same_bytes_for_the_same_content(tmp_path, corpus):
    for suffix in (".csv", ".parquet"):
        first = write_table(corpus, tmp_path / f"a{suffix}")
        second = write_table(corpus.copy(), tmp_path / f"b{suffix}")
        assert file_sha256(first) == file_sha256(second)
    back = pd.read_csv(tmp_path / "a.csv", encoding="utf-8")
    assert back["outlet"].tolist() == corpus["outlet"].tolist() and back["published"].isna().sum() == 2
