"""The package's house rules: a folder per concern, the verbs at the top level, no private imports across modules."""

import ast
import importlib
import re
from pathlib import Path

import pytest

import analysis

ROOT = Path(analysis.__file__).resolve().parent
README = ROOT.parent / "README.md"

VERBS = ["load_corpus", "Preprocessor", "fit_topics", "compare_n_topics", "score_sentiment", "actor_sentiment",
         "find_actors", "score_frames", "prevalence", "estimate_effect", "keyness", "kwic", "collocations", "dedupe",
         "split_units", "word_intrusion", "coding_sheet", "krippendorff_alpha", "build_report"]
STABLE_PATHS = {
    "analysis.topics": ["fit_topics", "compare_n_topics"],
    "analysis.compare": ["prevalence", "estimate_effect", "keyness"],
    "analysis.sentiment": ["LexiconSentiment", "SentimentClassifier", "score_sentiment", "actor_sentiment"],
    "analysis.frames": ["score_frames", "FrameScorer"],
    "analysis.text": ["Preprocessor"],
}


@pytest.mark.parametrize("verb", VERBS)
def test_the_verbs_are_at_the_top_level(verb):
    assert callable(getattr(analysis, verb))
    assert verb in dir(analysis)


@pytest.mark.parametrize("module, names", STABLE_PATHS.items())
def test_promised_import_paths_stay(module, names):
    package = importlib.import_module(module)
    for name in names:
        assert getattr(package, name) is getattr(analysis, name, getattr(package, name))
        assert name in package.__all__


def test_few_loose_modules_and_every_package_in_the_readme_layout():
    loose = sorted(p.name for p in ROOT.glob("*.py") if p.name != "__init__.py")
    assert len(loose) <= 6, loose
    packages = sorted(p.name for p in ROOT.iterdir() if p.is_dir() and not p.name.startswith(("_", ".")))
    layout = README.read_text(encoding="utf-8").split("## Layout", 1)[1]
    documented = set(re.findall(r"`analysis/([a-z_]+)/`", layout))
    assert documented == set(packages), (documented ^ set(packages))
    for module in loose:
        assert f"`{module}`" in layout or f"`analysis/{module}`" in layout or module in layout, module


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("analysis"):
            yield node


def test_no_private_names_imported_across_modules():
    offenders = []
    for path in ROOT.rglob("*.py"):
        for node in _imports(path):
            offenders += [f"{path.relative_to(ROOT)}: {node.module}.{a.name}" for a in node.names
                          if a.name.startswith("_") and a.name != "__version__"]
    assert offenders == []


def test_every_package_exports_what_it_lists():
    for init in ROOT.glob("*/__init__.py"):
        package = importlib.import_module(f"analysis.{init.parent.name}")
        for name in getattr(package, "__all__", []):
            assert hasattr(package, name), f"analysis.{init.parent.name} lists {name!r} but has no such name"
