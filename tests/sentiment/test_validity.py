"""The recorded validity that the report and notebook 03 quote next to sentiment figures."""


import pytest

from analysis.sentiment import validity as module
from analysis.sentiment.validity import METHODS, validity, validity_note


@pytest.mark.parametrize("lang, gold", [("de", "GerNTSA"), ("en", "NewsMTSC")])
def test_every_method_has_a_measured_figure_on_human_gold_in_each_language(lang, gold):
    for method in METHODS:
        v = validity(method, lang)
        assert v["ci_lower"] <= v["macro_f1"] <= v["ci_upper"] and 0.2 < v["macro_f1"] < 1
        assert gold in v["gold"] and "human labels" in v["labelled_by"] and "grouped by sentence" in v["design"]
        assert validity_note(method, lang).startswith(f"macro-F1 {v['macro_f1']:.2f} [")


def test_the_stance_model_is_recorded_as_at_least_as_valid_as_the_lexicon_around_a_mention():
    for lang in ("de", "en"):
        assert validity("stance", lang)["macro_f1"] >= validity("lexicon_target", lang)["macro_f1"] - 0.01


def test_an_unrecorded_method_or_a_missing_file_says_what_to_run(tmp_path, monkeypatch):
    with pytest.raises(ValueError, match="no validity recorded for method 'bert'"):
        validity("bert", "de")
    monkeypatch.setattr(module, "PATH", tmp_path / "validity.json")
    module._recorded.cache_clear()
    try:
        with pytest.raises(FileNotFoundError, match="benchmarks/sentiment.py --record"):
            validity("stance", "de")
    finally:
        module._recorded.cache_clear()
