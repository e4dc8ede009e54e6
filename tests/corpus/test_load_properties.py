"""Property: whatever the rows look like, every input row is kept or reported."""

import json

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import MissingColumnError, load_corpus

texts = st.one_of(st.none(), st.just(""), st.just("  \n "), st.text(max_size=40),
                  st.sampled_from(["Kim Jong Un schickt Soldaten.", "<p>Größe</p>", "Soldat*innen"]))
ids = st.one_of(st.none(), st.integers(0, 5), st.sampled_from(["a", "b", " a ", "ä"]))
dates = st.one_of(st.none(), st.sampled_from(["24.02.2022", "2022-02-24", "gestern", "", "31.02.2022"]))
rows = st.lists(st.tuples(ids, texts, dates), max_size=25)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows)
def test_no_row_is_ever_unaccounted_for(rows):
    frame = pd.DataFrame(rows, columns=["id", "text", "date"], dtype=object)
    load = load_corpus(frame, id_col="id", date_col="date")
    assert len(load.corpus) + len(load.rejected) == len(frame) == load.n_input
    assert sorted(load.rejected["row"].tolist()) == load.rejected["row"].tolist()
    assert load.rejected["row"].is_unique  # each input row is rejected at most once
    assert load.corpus["doc_id"].is_unique
    assert all(isinstance(t, str) and t.strip() for t in load.corpus["text"])
    assert str(load.corpus["published"].dtype) == "datetime64[ns, UTC]"


@settings(max_examples=80, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=30), st.builds(json.dumps, st.dictionaries(
    st.sampled_from(["text", "id"]), st.one_of(st.text(max_size=20), st.integers())))), min_size=1, max_size=15))
def test_jsonl_lines_are_all_accounted_for(tmp_path_factory, lines):
    lines = [line.replace("\n", " ").replace("\r", " ") for line in lines]
    content = "\n".join(lines)
    if not content:
        return  # a zero-byte file is an error, tested elsewhere
    path = tmp_path_factory.mktemp("jsonl") / "c.jsonl"
    path.write_text(content, encoding="utf-8", newline="")
    try:
        load = load_corpus(path)
    except MissingColumnError:
        assert '"text"' not in content  # no record has the text column at all
        return
    physical = content.split("\n")
    last_record = max((i + 1 for i, line in enumerate(physical) if line.strip()), default=0)
    assert len(load.corpus) + len(load.rejected) == load.n_input
    assert last_record <= load.n_input <= len(physical)  # trailing blank lines are not records
