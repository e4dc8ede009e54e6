"""Run manifests: which kit function made a result, from which input, with which parameters
and library versions — and :func:`verify_manifest`, which reruns it and compares bit for bit.

A manifest is JSON next to the outputs. ``"call"`` says how :func:`verify_manifest` reruns
the step: ``"corpus"`` calls ``function(corpus_snapshot, **params)`` and writes the frame
it returns (:func:`record` makes these); ``"source_out"`` calls
``function(source, out=<folder>, **params)``, which writes files into ``out`` (the report).

>>> import tempfile, pandas as pd
>>> from analysis.sentiment import score_sentiment
>>> corpus = pd.DataFrame({"doc_id": ["a", "b"], "lang": ["de", "de"],
...                        "text": ["Die Lage ist katastrophal.", "Gute Nachrichten aus Kyjiw."]})
>>> folder = tempfile.mkdtemp()
>>> scores = record(score_sentiment, corpus, out=f"{folder}/sentiment.csv", unit="document")
>>> verify_manifest(f"{folder}/sentiment.csv.manifest.json").ok
True
"""

from __future__ import annotations

import importlib
import inspect
import json
import os
import platform
import tempfile
import warnings
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path, PurePath

import numpy as np
import pandas as pd

from analysis import __version__
from analysis.reproducibility.hashing import file_sha256, frame_sha256, text_sha256

MANIFEST_VERSION = 1
CALLS = ("corpus", "source_out")
LIBRARIES = ("numpy", "pandas", "scikit-learn", "scipy", "simplemma", "matplotlib", "pyarrow")
CHECK_COLUMNS = ("role", "name", "recorded_sha256", "new_sha256", "reproduced")


class EnvironmentChangedWarning(UserWarning):
    """The versions or platform differ from those recorded: a first suspect when results differ."""


def environment() -> dict:
    """Kit version, Python, platform and versions of the libraries the results depend on.

    >>> sorted(environment())[:3]
    ['framing-kit', 'matplotlib', 'numpy']
    """
    return {"framing-kit": __version__, "python": platform.python_version(), "platform": platform.platform(),
            **{name: _installed(name) for name in LIBRARIES}}


def _installed(name: str) -> str | None:
    try:
        return version(name)
    except PackageNotFoundError:
        return None


def now() -> str:
    """The current UTC time as ISO 8601 with milliseconds: pass it as ``started`` to :func:`write_manifest`.

    >>> now().endswith("+00:00")
    True
    """
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def _import(dotted: str):
    module, _, name = dotted.rpartition(".")
    return getattr(importlib.import_module(module), name)


def _dotted_name(function) -> str:
    """``module.function``, checked to import back to the same function (so a rerun can find it)."""
    name = f"{getattr(function, '__module__', '')}.{getattr(function, '__qualname__', '')}"
    try:
        found = _import(name) is function
    except (ImportError, AttributeError, ValueError):
        found = False
    if not found:
        raise ValueError(f"{function!r} is not a module-level function importable as {name!r}; a manifest can only "
                         "record such functions (no lambdas, local functions or bound methods).")
    return name


def _jsonable(value, where: str = "params"):
    """``value`` as JSON types; anything a rerun could not rebuild from JSON is refused."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, PurePath):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_jsonable(v, f"{where}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        return {k: _jsonable(v, f"{where}[{k!r}]") for k, v in value.items()}
    hint = (" Save it with .to_yaml('my-frames.yaml') and pass the path instead."
            if hasattr(value, "to_yaml") else " Pass a path, name, number, string, list or dict instead.")
    raise TypeError(f"{where} is a {type(value).__name__}, which a manifest cannot record so that the step can be "
                    f"rerun.{hint}")


def _with_defaults(function, params: dict) -> dict:
    """``params`` plus the function's plain keyword defaults (not its first argument or ``out``),
    so a manifest lists every setting even if a later kit version changes a default."""
    arguments = list(inspect.signature(function).parameters.values())[1:]
    defaults = {a.name: a.default for a in arguments if a.name != "out"
                and (a.default is None or isinstance(a.default, (str, bool, int, float)))}
    return {**defaults, **params}


def _path_sha256(path) -> str:
    """SHA-256 of a file, or of a folder's files (relative names and contents, sorted)."""
    path = Path(path)
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file())
        return text_sha256(json.dumps([(p.relative_to(path).as_posix(), file_sha256(p)) for p in files]))
    return file_sha256(path)


def _source_path(source) -> str:
    """A file or folder as an absolute path; a DuckDB source (``duckdb:///…``) as given."""
    return str(source) if _duckdb_database(source) else str(Path(source).resolve())


def source_content_sha256(source) -> str | None:
    """SHA-256 of a source file or folder, or of a DuckDB source's database file; None when missing.
    What a manifest records as the source's ``sha256`` (compute it once and pass it to :func:`write_manifest`)."""
    path = _duckdb_database(source) or Path(source)
    return _path_sha256(path) if path.exists() else None


def _duckdb_database(source) -> Path | None:
    # imported here: analysis.corpus imports the scale and hashing code that imports this package
    from analysis.corpus.duckdb_source import DUCKDB_PREFIX, parse_duckdb_url

    return Path(parse_duckdb_url(source)[0]) if str(source).startswith(DUCKDB_PREFIX) else None


def write_table(frame: pd.DataFrame, path) -> Path:
    """Write ``frame`` as ``.csv`` (UTF-8, ``\\n``) or ``.parquet`` by suffix, same bytes for the same
    content; a non-default index becomes columns. Returns the path.

    >>> import tempfile, pandas as pd
    >>> path = write_table(pd.DataFrame({"outlet": ["Süddeutsche"], "n": [3]}), f"{tempfile.mkdtemp()}/n.csv")
    >>> path.read_bytes().decode("utf-8")
    'outlet,n\\nSüddeutsche,3\\n'
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not isinstance(frame.index, pd.RangeIndex) or frame.index.start != 0 or frame.index.step != 1:
        frame = frame.reset_index()
    if path.suffix.lower() == ".csv":
        frame.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")
    elif path.suffix.lower() == ".parquet":
        frame.to_parquet(path, index=False)
    else:
        raise ValueError(f"cannot write a table to '{path.name}': name it .csv or .parquet.")
    return path


def _snapshot(frame: pd.DataFrame, folder: Path) -> dict:
    """Save ``frame`` content-addressed in ``folder`` (index kept) so the step can be rerun on it."""
    sha = frame_sha256(frame)
    name = f"corpus-{sha[:12]}.parquet"
    if not (folder / name).exists():
        frame.to_parquet(folder / name)
    return {"sha256": sha, "n_docs": len(frame), "snapshot": name}


def _load_snapshot(folder: Path, entry: dict, role: str, checks: list) -> pd.DataFrame:
    path = folder / entry["snapshot"]
    if not path.exists():
        raise FileNotFoundError(f"the {role} snapshot '{path}' is missing; keep the corpus-*.parquet file that was "
                                "written next to the manifest, or the step cannot be rerun.")
    frame = pd.read_parquet(path)
    checks.append(("input", f"{role} ({entry['snapshot']})", entry["sha256"], frame_sha256(frame)))
    return frame


def write_manifest(path, *, function, params: dict, call: str, outputs, corpus=None, source=None,
                   started: str | None = None, source_sha256: str | None = None,
                   corpus_sha256: str | None = None, columns: list | None = None) -> Path:
    """Write a manifest JSON describing one step and return its path.

    ``outputs``: the files the step wrote (recorded by path relative to the manifest's
    folder, with their SHA-256). ``call="corpus"``: ``corpus`` is the input frame, snapshot
    next to the manifest. ``call="source_out"``: the manifest lives in the step's ``out``
    folder; ``source`` is a path (file or folder, hashed), a DataFrame (snapshot) or None,
    and ``corpus`` (optional) the frame read from it, recorded by hash. Keys:
    ``manifest_version, function, call, params`` (those given plus the function's
    defaults; the rerun passes them again), ``param_files`` (SHA-256 of files named by parameters),
    ``environment, corpus, source, columns, outputs, started, finished, duration_s``; ``columns``:
    the input column used for each corpus role and why, ``{role: {"column": …, "why": …}}``, from
    ``columns`` — ``(role, column, why)`` rows as the loader resolved them (given or guessed) — or None;
    times are UTC ISO 8601. ``source_sha256`` (:func:`source_content_sha256` of ``source``) and
    ``corpus_sha256`` (``frame_sha256(corpus)``) pass hashes the caller already computed, so a
    large input is not hashed twice. A report writes ``<out>/manifest.json`` like this:

    >>> import tempfile, pandas as pd
    >>> from analysis.sentiment import score_sentiment
    >>> corpus, folder = pd.DataFrame({"doc_id": ["a"], "text": ["Gute Nachrichten."]}), tempfile.mkdtemp()
    >>> scores = write_table(score_sentiment(corpus), f"{folder}/scores.csv")
    >>> path = write_manifest(f"{folder}/manifest.json", function=score_sentiment, params={}, call="corpus",
    ...                       outputs=[scores], corpus=corpus)
    >>> entry = json.loads(path.read_text(encoding="utf-8"))
    >>> entry["function"], entry["call"], list(entry["outputs"]), entry["corpus"]["n_docs"]
    ('analysis.sentiment.scoring.score_sentiment', 'corpus', ['scores.csv'], 1)
    """
    path, finished = Path(path), now()
    if call not in CALLS:
        raise ValueError(f"call must be one of {CALLS}; got {call!r}.")
    if call == "corpus" and not isinstance(corpus, pd.DataFrame):
        raise TypeError("call='corpus' needs the input frame as corpus=, to snapshot it for the rerun.")
    root = path.parent
    root.mkdir(parents=True, exist_ok=True)
    params = _jsonable(_with_defaults(function, dict(params)))
    entry = {"manifest_version": MANIFEST_VERSION, "function": _dotted_name(function), "call": call, "params": params,
             "param_files": {k: _path_sha256(v) for k, v in params.items() if isinstance(v, str) and Path(v).is_file()},
             "environment": environment(), "corpus": None, "source": None,
             "columns": None if columns is None else {role: {"column": column or None, "why": why}
                                                      for role, column, why in columns}}
    if corpus is not None:
        entry["corpus"] = _snapshot(corpus, root) if call == "corpus" else {
            "sha256": corpus_sha256 or frame_sha256(corpus), "n_docs": len(corpus)}
    if isinstance(source, pd.DataFrame):
        entry["source"] = _snapshot(source, root)
    elif source is not None:
        entry["source"] = {"path": _source_path(source), "sha256": source_sha256 or source_content_sha256(source)}
    entry["outputs"] = {Path(os.path.relpath(p, root)).as_posix(): file_sha256(p) for p in outputs}
    if call == "source_out" and any(name.startswith("..") for name in entry["outputs"]):
        raise ValueError(f"outputs must lie inside the out folder '{root}' that holds the manifest.")
    started = started or finished
    duration = datetime.fromisoformat(finished) - datetime.fromisoformat(started)
    entry.update(started=started, finished=finished, duration_s=round(duration.total_seconds(), 3))
    path.write_text(json.dumps(entry, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def record(function, corpus: pd.DataFrame, *, out, **params) -> pd.DataFrame:
    """Run ``function(corpus, **params)``, write its frame to ``out`` (.csv/.parquet), snapshot
    the corpus next to it and write ``<out>.manifest.json``; return the frame.

    Any kit function taking a corpus frame and returning a frame works, e.g.
    ``record(score_frames, corpus, out="frames.parquet", dictionary="conflict")``. Parameters
    must be JSON-like (numbers, strings, paths, lists, dicts); the function gets them as
    read back from JSON, exactly as :func:`verify_manifest` will.
    """
    name = _dotted_name(function)
    params = json.loads(json.dumps(_jsonable(_with_defaults(function, params))))  # as a rerun will: refuse early
    started = now()
    result = function(corpus, **params)
    if not isinstance(result, pd.DataFrame):
        raise TypeError(f"{name} returned a {type(result).__name__}; record() stores DataFrames only.")
    out = write_table(result, out)
    write_manifest(Path(f"{out}.manifest.json"), function=function, params=params, call="corpus", outputs=[out],
                   corpus=corpus, started=started)
    return result


@dataclass
class Verification:
    """What :func:`verify_manifest` found. ``checks``: one row per input (``role="input"``), per
    output as stored next to the manifest (``"stored"``) and per output of the rerun
    (``"rerun"``); columns ``role, name, recorded_sha256, new_sha256, reproduced``."""

    manifest: Path
    checks: pd.DataFrame
    environment_changes: dict = field(default_factory=dict)  # name -> (recorded, now)

    @property
    def ok(self) -> bool:
        """True if every input is the recorded one, the stored outputs are unchanged and the rerun
        reproduced every output bit for bit."""
        return bool(self.checks["reproduced"].all())

    def summary(self) -> str:
        bad = self.checks[~self.checks["reproduced"]]
        verdict = ("reproduced bit for bit" if self.ok else
                   "NOT reproduced: " + "; ".join(f"{r.role} {r.name} differs" for r in bad.itertuples()))
        changes = _describe(self.environment_changes)
        return f"{self.manifest.name}: {verdict}." + (f" Environment changed: {changes}." if changes else "")

    def __repr__(self) -> str:
        table = self.checks.assign(recorded_sha256=self.checks["recorded_sha256"].str[:12],
                                   new_sha256=self.checks["new_sha256"].str[:12])
        return f"{self.summary()}\n{table.to_string(index=False)}"

    def _repr_html_(self) -> str:
        from html import escape
        return f"<p><b>{escape(self.summary())}</b></p>{self.checks.to_html(index=False)}"


def verify_manifest(path, *, source=None) -> Verification:
    """Rerun the step a manifest records, in a temporary folder, and compare every output's SHA-256.

    Also checked: the outputs stored next to the manifest and the inputs (corpus snapshot,
    source file or folder — pass ``source=`` if it moved — and files named by parameters).
    Warns with :class:`EnvironmentChangedWarning` when versions differ from the recorded
    ones, the first suspect when a result does not reproduce. Returns a :class:`Verification`.
    """
    path = Path(path)
    entry = json.loads(path.read_text(encoding="utf-8"))
    current = environment()
    changes = {k: (v, current.get(k)) for k, v in entry["environment"].items() if current.get(k) != v}
    if changes:
        warnings.warn(f"the environment differs from the recorded one: {_describe(changes)}.",
                      EnvironmentChangedWarning, stacklevel=2)
    params, checks = entry["params"], []
    for name, sha in entry.get("param_files", {}).items():
        checks.append(("input", f"params[{name!r}] ({params[name]})", sha,
                       _path_sha256(params[name]) if Path(params[name]).exists() else None))
    with tempfile.TemporaryDirectory() as tmp:
        new = _rerun(entry, path.parent, Path(tmp), source, checks)
        for name, sha in entry["outputs"].items():
            for role, file in (("stored", path.parent / name), ("rerun", new[name])):
                checks.append((role, name, sha, file_sha256(file) if file.exists() else None))
    table = pd.DataFrame(checks, columns=list(CHECK_COLUMNS[:-1]))
    table["reproduced"] = table["recorded_sha256"] == table["new_sha256"]
    return Verification(path, table, changes)


def _rerun(entry: dict, root: Path, tmp: Path, source, checks: list) -> dict[str, Path]:
    """Call the recorded function by its ``call`` convention into ``tmp``; the new file of each output."""
    function, params = _import(entry["function"]), entry["params"]
    if entry["call"] == "corpus":
        corpus = _load_snapshot(root, entry["corpus"], "corpus", checks)
        (name, _), = entry["outputs"].items()
        return {name: write_table(function(corpus, **params), tmp / Path(name).name)}
    recorded = entry["source"]
    if source is None and recorded is not None:
        source = _load_snapshot(root, recorded, "source", checks) if "snapshot" in recorded else recorded["path"]
    if isinstance(source, (str, PurePath)):
        found = source_content_sha256(source)
        checks.append(("input", f"source ({source})", recorded and recorded["sha256"], found))
    function(source, out=tmp, **params)
    return {name: tmp / name for name in entry["outputs"]}


def _describe(changes: dict) -> str:
    return ", ".join(f"{name} {now_} (recorded {was})" for name, (was, now_) in changes.items())
