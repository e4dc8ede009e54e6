"""Packaging: the licence is an SPDX string, every import is a declared dependency, and the paths
that need an extra say which one when it is missing."""

import ast
import importlib
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

from analysis.errors import MissingExtraError

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
EXTRA_ONLY = {"duckdb": "duckdb", "dask": "cluster", "HanTa": "bench"}  # module → the extra that installs it


def _names(requirements) -> set[str]:
    return {re.split(r"[\[<>=!~ ;]", r, maxsplit=1)[0].lower().replace("_", "-") for r in requirements}


def _imported_modules() -> set[str]:
    modules = set()
    for path in (ROOT / "analysis").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules.add(node.module.split(".")[0])
    return modules - set(sys.stdlib_module_names) - {"analysis"}


def test_licence_is_an_spdx_expression_with_its_file():
    assert PROJECT["license"] == "MIT"
    assert all((ROOT / name).is_file() for name in PROJECT["license-files"])
    assert "MIT License" in (ROOT / "LICENSE").read_text(encoding="utf-8")


def test_every_third_party_import_is_a_declared_runtime_dependency():
    declared = _names(PROJECT["dependencies"])
    distributions = packages_distributions()
    undeclared = {module for module in _imported_modules() - set(EXTRA_ONLY)
                  if not {d.lower().replace("_", "-") for d in distributions.get(module, [module])} & declared}
    assert not undeclared, f"imported by analysis/ but not in [project] dependencies: {sorted(undeclared)}"


def test_extra_only_packages_are_in_their_extra_not_in_every_install():
    extras = PROJECT["optional-dependencies"]
    for module, extra in EXTRA_ONLY.items():
        assert module.lower() in _names(extras[extra])
        assert module.lower() not in _names(PROJECT["dependencies"])
    assert {"duckdb", "dask", "hanta"} <= _names(extras["test"])  # the suite runs these paths


def test_duckdb_source_without_the_extra_names_it(monkeypatch, tmp_path):
    from analysis.corpus import load_corpus

    monkeypatch.setitem(sys.modules, "duckdb", None)  # as if not installed
    with pytest.raises(MissingExtraError, match=r'framing-kit\[duckdb\]'):
        load_corpus(f"duckdb:///{tmp_path / 'archiv.db'}?table=artikel")


def test_cluster_module_without_dask_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "dask", None)
    monkeypatch.setitem(sys.modules, "dask.dataframe", None)
    monkeypatch.delitem(sys.modules, "analysis.scale.distributed", raising=False)
    with pytest.raises(MissingExtraError, match=r"framing-kit\[cluster\]"):
        importlib.import_module("analysis.scale.distributed")
