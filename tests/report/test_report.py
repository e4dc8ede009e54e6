"""The main job: the framing report on bundled data, on a small sample (resume, determinism) and on hostile text."""

import dataclasses
import hashlib
import html
import json
import pickle
import re
import shutil
import sys
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from analysis.corpus import datasets
from analysis.corpus import readers
from analysis.sentiment.validity import validity_note
from analysis.report import STAGES, ReportOptions, build_report, run_report
from analysis.reproducibility import hashing
from analysis.report.build import InvalidOptionError
from analysis.reproducibility import verify_manifest
from analysis.report import context as report_context
from analysis.report.topic_sections import candidate_ks, choose_k, extension_ks
from analysis.validation import load_session

DATA = Path(__file__).resolve().parents[1] / "data"
EVIL = "<script>alert(1)</script>"
ALWAYS = [stage for stage in STAGES if stage.name != "coded"]  # "coded" runs only with codes: test_coded_section.py
SECTION_TITLES = [stage.title for stage in ALWAYS] + ["About this run"]
VOID = {"meta", "img", "br", "hr", "input", "link", "col", "area", "base", "wbr", "source"}


# --- helpers -------------------------------------------------------------------------------------

class _TagBalance(HTMLParser):
    """Collects unbalanced tags: a valid page closes every non-void element in order."""

    def __init__(self):
        super().__init__()
        self.stack, self.errors = [], []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append((tag, list(self.stack[-3:])))
        else:
            self.stack.pop()


def assert_valid_self_contained(page: str) -> None:
    checker = _TagBalance()
    checker.feed(page)
    assert checker.errors == [] and checker.stack == []
    assert page.startswith("<!DOCTYPE html>")
    assert not re.search(r"<(script|link|iframe|object|embed|base)\b", page, re.I)
    assert not re.search(r"(src|href|action|srcset)\s*=\s*[\"']?\s*(https?:)?//", page, re.I)
    assert not re.search(r"url\(|@import", page, re.I)  # no CSS-loaded resources
    assert all(src.startswith("data:image/png;base64,") for src in re.findall(r'src="([^"]*)"', page))


def tables(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((out / "tables").iterdir())}


def spied(stages, calls: list, *, interrupt_at: str | None = None):
    """The stages with each run recorded in ``calls`` (and one raising KeyboardInterrupt)."""
    def wrap(stage):
        def run(ctx):
            calls.append(stage.name)
            if stage.name == interrupt_at:
                raise KeyboardInterrupt
            return stage.run(ctx)
        return dataclasses.replace(stage, run=run)
    return [wrap(s) for s in stages]


@pytest.fixture(scope="module")
def sample():
    """80 press releases, 40 per source, on both sides of the invasion, with a messy title column."""
    corpus = datasets.load_conflict_corpus().corpus
    picked = corpus.groupby("outlet", observed=True).sample(40, random_state=3)
    return picked[["doc_id", "text", "outlet", "published", "lang", "title"]].reset_index(drop=True)


# --- bundled data: built once, checked from several sides ----------------------------------------

@pytest.fixture(scope="module")
def bundled(tmp_path_factory):
    return run_report(out=tmp_path_factory.mktemp("report"), progress=False)


@pytest.mark.slow
def test_bundled_report_has_every_section_with_figures_and_tables(bundled):
    page = bundled.page.read_text(encoding="utf-8")
    out = bundled.page.parent
    for title in SECTION_TITLES:
        assert f"<h2>{html.escape(title)}</h2>" in page
    # every sentiment section says what its numbers are and how valid they were measured to be
    assert html.escape(f"Validity: English: {validity_note('stance', 'en')}") in page
    assert html.escape(validity_note("lexicon_sentence", "en")) in page
    assert [r.status for r in bundled.stages] == ["computed"] * len(ALWAYS)
    pngs = sorted(p.stem for p in (out / "figures").glob("*.png"))
    assert sorted(p.stem for p in (out / "figures").glob("*.svg")) == pngs
    assert page.count("data:image/png;base64,") == len(pngs) >= 13
    for name in re.findall(r"data: tables/([\w-]+)\.csv", page):  # every figure's data is on disk
        assert (out / "tables" / f"{name}.csv").exists() and (out / "tables" / f"{name}.parquet").exists()
    assert_valid_self_contained(page)


@pytest.mark.slow
def test_bundled_report_numbers_are_consistent(bundled):
    out = bundled.page.parent / "tables"
    search = pd.read_csv(out / "topic_search.csv")
    grid = candidate_ks(1794)
    assert search["k"].tolist() == grid + extension_ks(max(grid), 1794)[:len(search) - len(grid)]
    k = choose_k(search)[0]
    assert pd.read_csv(out / "topic_terms.csv")["topic"].nunique() == k
    for name in ("topic_prevalence_by_group", "sentiment_by_group", "frame_profile_by_group",
                 "actor_sentiment_by_group", "actor_sentiment_before_after", "topic_prevalence_over_time"):
        table = pd.read_csv(out / f"{name}.csv").dropna(subset=["estimate"])
        single = table["n_docs"] == 1  # one document: an estimate without an interval
        assert table.loc[single, ["ci_lower", "ci_upper"]].isna().all().all()
        table = table[~single]
        assert (table["ci_lower"] <= table["estimate"]).all() and (table["estimate"] <= table["ci_upper"]).all()
        assert set(table["outlet"]) == {"Kremlin", "President of Ukraine"}
    shares = pd.read_csv(out / "topic_prevalence_by_group.csv").groupby("outlet")["estimate"].sum()
    assert shares.tolist() == pytest.approx([1, 1], abs=1e-5)  # topic proportions per document sum to 1
    phases = pd.read_csv(out / "actor_sentiment_before_after.csv")
    assert set(phases["phase"]) == {"before", "after"}
    mentions = pd.read_csv(out / "actor_mentions.csv")
    kwic = pd.read_csv(out / "kwic_top_actors.csv")
    assert kwic["actor"].nunique() == 5 and kwic["doc_id"].isin(mentions["doc_id"]).all()
    key = pd.read_csv(out / "keyness_1_kremlin.csv")
    assert key["statistic"].is_monotonic_decreasing
    assert (key.head(20)["count_target"] / 815 > key.head(20)["count_reference"] / 979).all()


@pytest.mark.slow
def test_bundled_tables_are_identical_with_two_jobs(bundled, tmp_path, monkeypatch):
    # the bundled corpus is small enough to stay in one process with --jobs 2; force the workers
    monkeypatch.setattr(report_context, "PARALLEL_MIN_DOCS", 0)
    again = run_report(out=tmp_path, progress=False, n_jobs=2, resume=False)
    assert tables(again.page.parent) == tables(bundled.page.parent)


@pytest.mark.slow
def test_unchanged_rerun_reuses_every_stage(bundled, tmp_path):
    out = tmp_path / "copy"
    shutil.copytree(bundled.page.parent, out)
    shutil.rmtree(out / "tables")  # restored from the cache, byte for byte
    calls = []
    rerun = run_report(out=out, progress=False, stages=spied(ALWAYS, calls))
    assert calls == [] and rerun.reused == [s.name for s in ALWAYS]
    assert tables(out) == tables(bundled.page.parent)
    assert f"{len(ALWAYS)} of {len(ALWAYS)} stages were reused" in rerun.page.read_text(encoding="utf-8")


# --- a small sample: interrupt and resume, determinism, parameters -------------------------------

@pytest.mark.slow
def test_interrupted_report_resumes_and_matches_an_uninterrupted_one(sample, tmp_path):
    names = [s.name for s in ALWAYS]
    calls = []
    with pytest.raises(KeyboardInterrupt):
        run_report(sample, out=tmp_path / "b", progress=False, stages=spied(ALWAYS, calls, interrupt_at="frames"))
    finished = names[:names.index("frames")]
    assert calls == finished + ["frames"]
    assert not (tmp_path / "b" / "index.html").exists()
    cached = sorted(p.name.rsplit("-", 1)[0] for p in (tmp_path / "b" / ".stages").glob("*.json"))
    assert cached == sorted(finished)

    calls.clear()
    resumed = run_report(sample, out=tmp_path / "b", progress=False, stages=spied(ALWAYS, calls))
    assert calls == names[len(finished):] and resumed.reused == finished
    fresh = run_report(sample, out=tmp_path / "a", progress=False, n_jobs=2, resume=False)
    assert tables(tmp_path / "b") == tables(tmp_path / "a")
    page = resumed.page.read_text(encoding="utf-8")
    assert f"{len(finished)} of {len(names)} stages were reused" in page and "reused from cache" in page
    assert [r.status for r in fresh.stages] == ["computed"] * len(names)

    calls.clear()  # another dictionary: only the frame stage and the coding sheet built on it are recomputed
    changed = run_report(sample, out=tmp_path / "b", progress=False, dictionary="generic", stages=spied(ALWAYS, calls))
    assert calls == ["frames", "validation"] and "frames" not in changed.reused
    frames = pd.read_csv(tmp_path / "b" / "tables" / "frame_dictionary.csv")["frame"]
    assert "human_interest" in set(frames) and "military" not in set(frames)


def test_a_changed_corpus_recomputes_every_stage(sample, tmp_path):
    calls = []
    run_report(sample.head(60), out=tmp_path, progress=False, topics=4, stages=spied(STAGES[:3], calls))
    edited = sample.head(60).assign(text=sample.head(60)["text"].str.replace("Ukraine", "Ukraina"))
    calls.clear()
    run_report(edited, out=tmp_path, progress=False, topics=4, stages=spied(STAGES[:3], calls))
    assert calls == [s.name for s in STAGES[:3]]


def test_user_dictionary_file_is_part_of_the_cache_key(sample, tmp_path):
    frames_stage = [s for s in STAGES if s.name in ("load_report", "frames")]
    dictionary = tmp_path / "frames.yaml"
    dictionary.write_text("krieg:\n  - war\n  - attack*\n", encoding="utf-8")
    calls = []
    run_report(sample.head(30), out=tmp_path / "r", progress=False, dictionary=dictionary,
               stages=spied(frames_stage, calls))
    first = pd.read_csv(tmp_path / "r" / "tables" / "frame_scores.csv")
    dictionary.write_text("krieg:\n  - war\n", encoding="utf-8")  # same path, new content
    calls.clear()
    run_report(sample.head(30), out=tmp_path / "r", progress=False, dictionary=dictionary,
               stages=spied(frames_stage, calls))
    assert calls == ["frames"]
    assert pd.read_csv(tmp_path / "r" / "tables" / "frame_scores.csv")["hits"].sum() < first["hits"].sum()


class _Payload:
    """A pickle that creates a file when loaded, as a hostile ``.stages/*.pkl`` would."""

    def __init__(self, path):
        self.path = str(path)

    def __reduce__(self):
        return open, (self.path, "w")


def _forge(entry: Path) -> None:
    """Put markup in the section and a plain SHA-256 of the changed entry where its signature was."""
    body = json.loads(entry.read_text(encoding="utf-8"))
    body["section"]["parts"].append(EVIL)
    del body["signature"]
    body["signature"] = hashlib.sha256(json.dumps(body, sort_keys=True).encode("utf-8")).hexdigest()
    entry.write_text(json.dumps(body), encoding="utf-8")


@pytest.mark.parametrize("tamper", [
    lambda entry: entry.write_bytes(entry.read_bytes()[:-40]),  # cut short
    _forge,
    lambda entry: next(entry.with_suffix("").rglob("*.csv")).write_text("term,score\nÜbergriff,1\n"),
], ids=["corrupt", "forged", "changed-file"])
def test_a_tampered_stage_cache_is_recomputed_and_never_executed(sample, tmp_path, tamper):
    stages = [s for s in STAGES if s.name in ("load_report", "keyness")]
    out, marker, calls = tmp_path / "r", tmp_path / "pwned", []
    one_source = {"events": {"2022-02-24": "Invasion of Ukraine"}}  # 30 Kremlin releases: keyness before/after
    run_report(sample.head(30), out=out, progress=False, stages=stages, **one_source)
    entry = next((out / ".stages").glob("keyness-*.json"))
    with open(entry.with_suffix(".pkl"), "wb") as handle:  # where the old cache kept its pickle
        pickle.dump(_Payload(marker), handle)
    tamper(entry)
    rerun = run_report(sample.head(30), out=out, progress=False, stages=spied(stages, calls), **one_source)
    assert not marker.exists() and not list((out / ".stages").glob("*.pkl"))
    assert calls == ["keyness"] and rerun.reused == ["load_report"]
    page = rerun.page.read_text(encoding="utf-8")
    assert f"Recomputed: the cached result in .stages/{entry.name} was not used because" in page
    assert f"Deleted .stages/{entry.with_suffix('.pkl').name} unread" in page and EVIL not in page
    again = run_report(sample.head(30), out=out, progress=False, stages=spied(stages, calls), **one_source)
    assert again.reused == ["load_report", "keyness"]  # the recomputed entry is sound


# --- hostile and messy input ---------------------------------------------------------------------

def test_markup_in_ids_titles_and_outlets_appears_only_escaped(sample, tmp_path):
    hostile = sample.head(40).copy()
    hostile.loc[:4, "doc_id"] = [f"{EVIL}{i}" for i in range(5)]
    hostile.loc[:4, "title"] = EVIL
    hostile.loc[:4, "text"] = "Putin and Zelenskyy spoke about Ukraine. " + EVIL + " " + hostile.loc[:4, "text"]
    hostile["outlet"] = hostile["outlet"].astype(str).str.replace("Kremlin", f"Kremlin {EVIL}")
    page = build_report(hostile, out=tmp_path, progress=False, topics=4).read_text(encoding="utf-8")
    assert EVIL not in page and "<script" not in page.lower()
    assert html.escape(EVIL) in page  # shown, as text: in the KWIC lines, the topic documents, group names
    assert_valid_self_contained(page)


def test_users_messy_excel_export_with_guessed_columns(tmp_path):
    source = tmp_path / "export.csv"
    shutil.copy(DATA / "messy_de_excel.csv", source)
    with open(source, "ab") as handle:  # a duplicate row whose id is markup: rejected, shown in the page
        handle.write(f'"Böse";"Text";"16.01.2025";"Agentur";"{EVIL}"\r\n"Böse";"Text2";"16.01.2025";"Agentur";"{EVIL}"\r\n'.encode("cp1252"))
    run = run_report(source, out=tmp_path / "out", progress=False)
    page = run.page.read_text(encoding="utf-8")
    assert EVIL not in page and html.escape(EVIL) in page
    used = pd.read_csv(tmp_path / "out" / "tables" / "columns_used.csv").set_index("role")
    assert used.loc["text", "column"] == "Inhalt" and used.loc["date", "column"] == "Datum"
    assert used.loc["outlet", "column"] == "Quelle" and "guessed" in used.loc["outlet", "why"]
    summary = pd.read_csv(tmp_path / "out" / "tables" / "load_summary.csv")
    assert set(summary["reason"].dropna()) >= {"duplicate doc_id", "empty text", "ragged row", "unparseable date"}
    status = {r.name: r.status for r in run.stages}
    assert status["topics"] == "skipped" and "Not computed: a topic model needs at least 30 documents" in page
    assert status["frames"] == "computed" and (tmp_path / "out" / "figures" / "frame_profile_by_group.png").exists()
    assert_valid_self_contained(page)


def test_without_groups_keyness_compares_before_and_after_and_old_files_go(sample, tmp_path):
    stages = [s for s in STAGES if s.name in ("load_report", "keyness")]
    run_report(sample, out=tmp_path, progress=False, stages=stages)
    assert (tmp_path / "tables" / "keyness_1_kremlin.csv").exists()
    run = run_report(sample, out=tmp_path, by=None, progress=False, stages=stages,
                     events={"2022-02-24": "Invasion of Ukraine"})
    key = pd.read_csv(tmp_path / "tables" / "keyness_1_after.csv")
    assert set(key["group"]) == {"after"} and set(key["reference"]) == {"before"}
    assert "all documents form one group" not in run.page.read_text(encoding="utf-8")  # by=None: asked for
    assert sorted(p.name for p in (tmp_path / "figures").iterdir()) == ["keyness_1_after.png", "keyness_1_after.svg"]
    run = run_report(sample.drop(columns="outlet"), out=tmp_path, progress=False, stages=stages, events=["2022-02-24=x"])
    assert "all documents form one group" in run.page.read_text(encoding="utf-8")


def spy_everywhere(monkeypatch, function, calls: list) -> None:
    """Record the first argument of every call of ``function``, under whatever name a module of the kit imported it."""
    def spy(*args, **kwargs):
        calls.append(args[0] if args else None)
        return function(*args, **kwargs)
    for module in [m for name, m in sys.modules.items() if name.startswith("analysis")]:
        for name, value in list(vars(module).items()):
            if value is function:
                monkeypatch.setattr(module, name, spy)


def test_a_csv_report_reads_its_input_once_and_hashes_it_once(sample, tmp_path, monkeypatch):
    source = tmp_path / "archive.csv"
    sample.drop(columns="doc_id").head(30).to_csv(source, index=False, sep=";")  # no ids: generated from rows
    reads, file_hashes, frame_hashes = [], [], []
    spy_everywhere(monkeypatch, readers.iter_source, reads)
    spy_everywhere(monkeypatch, hashing.file_sha256, file_hashes)
    spy_everywhere(monkeypatch, hashing.frame_sha256, frame_hashes)
    run = run_report(source, out=tmp_path / "r", progress=False, stages=[s for s in STAGES if s.name == "load_report"])
    assert [Path(r) for r in reads] == [source]  # columns guessed from the rows it loaded
    assert [Path(p) for p in file_hashes if Path(p) == source] == [source]
    assert sum(isinstance(f, pd.DataFrame) and len(f) == 30 for f in frame_hashes) <= 1
    recorded = json.loads((run.page.parent / "manifest.json").read_text(encoding="utf-8"))
    assert recorded["source"]["sha256"] == hashlib.sha256(source.read_bytes()).hexdigest()
    used = pd.read_csv(tmp_path / "r" / "tables" / "columns_used.csv").set_index("role")
    assert used.loc["text", "column"] == "text" and "generated" in used.loc["id", "why"]


def test_options_object_or_keywords_give_the_same_report(sample, tmp_path):
    stages = [s for s in STAGES if s.name == "load_report"]
    by_keywords = run_report(sample, out=tmp_path / "a", by=None, progress=False, stages=stages)
    by_options = run_report(sample, options=ReportOptions(out=tmp_path / "b", by=None, progress=False), stages=stages)
    assert tables(by_keywords.page.parent) == tables(by_options.page.parent)
    with pytest.raises(TypeError, match="not both"):
        run_report(sample, by=None, options=ReportOptions(out=tmp_path / "c"))


@pytest.mark.parametrize("options, error, message", [
    ({"period": "fortnight"}, InvalidOptionError, "period must be"),
    ({"topics": "many"}, InvalidOptionError, "topics must be 'auto'"),
    ({"n_jobs": 0}, InvalidOptionError, "n_jobs"),
    ({"dictionary": "nope.yaml"}, FileNotFoundError, "no frame dictionary"),
    ({"by": "ressort"}, KeyError, "no column 'ressort' to group by"),
])
def test_bad_options_fail_before_any_work_with_a_hint(sample, tmp_path, options, error, message):
    with pytest.raises(error, match=message):
        run_report(sample, out=tmp_path, progress=False, **options)
    assert not (tmp_path / ".stages").exists()


# --- validation material and the run manifest ----------------------------------------------------

@pytest.mark.slow
def test_bundled_report_writes_blinded_coding_sheet_and_intrusion_items(bundled):
    folder = bundled.page.parent / "validation"
    sheet = pd.read_csv(folder / "coding_sheet.csv", encoding="utf-8-sig")
    key = pd.read_csv(folder / "coding_sheet-key.csv")
    assert len(sheet) == len(key) == 60 and set(sheet["unit"]) == set(key["unit"])
    assert not [c for c in sheet.columns if c.startswith("model_") or c in ("doc_id", "outlet")]
    assert {"model_military", "model_sentiment"} <= set(key.columns)
    assert key["stratum"].value_counts().tolist() == [30, 30]  # stratified by outlet
    words = load_session(folder / "word_intrusion.json")
    k = pd.read_csv(bundled.page.parent / "tables" / "topic_terms.csv")["topic"].nunique()
    assert words.kind == "word" and len(words.items) == k and words.n_answered == 0
    assert load_session(folder / "topic_intrusion.json").kind == "topic"


@pytest.mark.slow
def test_report_runs_twice_to_identical_files_and_its_manifest_verifies(sample, tmp_path):
    source = tmp_path / "sample.csv"
    sample.to_csv(source, index=False)
    first = run_report(source, out=tmp_path / "first", topics=4, progress=False)
    second = run_report(source, out=tmp_path / "second", topics=4, progress=False, resume=False)
    for folder in ("tables", "validation"):
        files = sorted(p.name for p in (first.page.parent / folder).iterdir() if p.suffix != ".xlsx")
        assert files and all((first.page.parent / folder / f).read_bytes() ==
                             (second.page.parent / folder / f).read_bytes() for f in files)
    recorded = json.loads((first.page.parent / "manifest.json").read_text(encoding="utf-8"))
    assert recorded["params"]["random_state"] == 0 and recorded["params"]["topics"] == 4
    assert recorded["source"]["path"] == str(source.resolve()) and recorded["corpus"]["n_docs"] == 80
    assert "tables/frame_scores.csv" in recorded["outputs"] and "validation/coding_sheet.csv" in recorded["outputs"]
    assert verify_manifest(first.page.parent / "manifest.json").ok
    (first.page.parent / "tables" / "frame_scores.csv").write_text("doc_id\n", encoding="utf-8")
    assert not verify_manifest(first.page.parent / "manifest.json").ok


@pytest.mark.slow
def test_a_corpus_of_one_sentence_documents_is_told_why_so_many_score_at_the_ends(tmp_path):
    # English news sentences as documents (NewsMTSC): on the sentence-balance scale most can only
    # score -1, 0 or +1; the page says that this reflects their length, with the median it read
    sentences = datasets.load_newsmtsc().corpus.drop_duplicates("text").head(120)
    corpus = sentences.assign(outlet=["A", "B"] * 60)[["doc_id", "text", "outlet", "lang"]]
    run = run_report(corpus, out=tmp_path / "r", progress=False, topics=3)
    scores = pd.read_csv(tmp_path / "r" / "tables" / "sentiment_documents.csv")
    assert (scores["score"].abs() > 0.9).mean() > 0.25
    page = run.page.read_text(encoding="utf-8")
    median = f"the median document here has {scores['n_tokens'].median():,.0f} words"
    assert "can only score −1, 0 or +1" in page and median in page
