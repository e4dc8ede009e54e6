"""The bundled corpora in ``data/raw/`` (source and licence in ``data/raw/README.md``).

Each loader returns a :class:`~analysis.corpus.load.CorpusLoad` in the standard corpus frame.
The data ship with the repository, not the wheel: install the kit with
``pip install -e .`` from a clone, or point ``FRAMING_KIT_DATA`` at a copy of ``data/raw``.

>>> conflict = load_conflict_corpus()
>>> conflict.corpus["outlet"].value_counts().to_dict()
{'President of Ukraine': 979, 'Kremlin': 815}
>>> conflict.rejected["reason"].tolist()  # two releases repeat an earlier one's text word for word
['duplicate text', 'duplicate text']
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd

from analysis.corpus.load import CorpusLoad, load_corpus

INVASION_DATE = "2022-02-24"
CONFLICT_EVENTS = {INVASION_DATE: "Invasion of Ukraine"}  # the conflict corpus's own event: its load carries it
_FILES = {
    "seed": "seed/nordkorea-russland-2025-01.txt",
    "kremlin": "press-releases-ua-ru/kremlin.csv",
    "president-ukraine": "press-releases-ua-ru/president-ukraine.csv",
    "gnad10": "gnad10/test.csv",
    "gerntsa": "gerntsa/GerNTSA-public.json",
    "newsmtsc": "newsmtsc/train.jsonl",
    "wikinews-2019": "wikinews-en/wikinews_2019.csv",
    "wikinews-2020": "wikinews-en/wikinews_2020.csv",
}


def data_dir() -> Path:
    """Folder of the bundled raw data (``FRAMING_KIT_DATA`` or the repository's ``data/raw``)."""
    folder = Path(os.environ.get("FRAMING_KIT_DATA", Path(__file__).resolve().parents[2] / "data" / "raw"))
    if not folder.is_dir():
        raise FileNotFoundError(
            f"bundled data not found at '{folder}'. Install the kit from a clone of its repository "
            "(pip install -e .) or set FRAMING_KIT_DATA to a copy of data/raw."
        )
    return folder


def path(name: str) -> Path:
    """Path of a bundled file: one of ``seed``, ``kremlin``, ``president-ukraine``, ``gnad10``,
    ``gerntsa``, ``newsmtsc``, ``wikinews-2019``, ``wikinews-2020``."""
    if name not in _FILES:
        raise KeyError(f"no bundled dataset {name!r}; choose one of {sorted(_FILES)}.")
    return data_dir() / _FILES[name]


def combine_loads(loads: list[CorpusLoad], *, source: str) -> CorpusLoad:
    """Stack several loads into one; rejected rows keep their file in ``source``."""
    corpus = pd.concat([load.corpus for load in loads], ignore_index=True)
    outlets = [c for load in loads for c in load.corpus["outlet"].cat.categories]
    corpus["outlet"] = pd.Categorical(corpus["outlet"].astype(object), categories=list(dict.fromkeys(outlets)))
    rejected = pd.concat([load.rejected for load in loads], ignore_index=True)
    problems = pd.concat([load.problems for load in loads], ignore_index=True)
    n_input = sum(load.n_input for load in loads)
    return CorpusLoad(corpus, rejected, problems, source, n_input, loads[0].columns)


def load_conflict_corpus() -> CorpusLoad:
    """English press releases of the Kremlin (816) and the President of Ukraine (980),
    Oct 2021 – Jun 2022; ``outlet`` names the source, ``title`` is the headline. CC BY 4.0.
    Two releases repeat an earlier one's text word for word and are rejected as ``duplicate text``:
    1,794 are kept (815 and 979). Its ``events`` are :data:`CONFLICT_EVENTS` (the report marks them when
    it is given none)."""
    loads = []
    for name, outlet in (("kremlin", "Kremlin"), ("president-ukraine", "President of Ukraine")):
        load = load_corpus(path(name), text_col="body", id_col="link", date_col="date",
                           title_col="headline", lang="en")
        load.corpus["outlet"] = pd.Categorical([outlet] * len(load.corpus))
        loads.append(load)
    combined = combine_loads(loads, source="press-releases-ua-ru")
    combined.events = dict(CONFLICT_EVENTS)
    return combined


def load_gnad10() -> CorpusLoad:
    """1,028 Austrian news articles (DER STANDARD, 10kGNAD test split) with their ``section``."""
    load = load_corpus(path("gnad10"), text_col=1, lang="de",
                       csv_options={"header": False, "quotechar": "'", "delimiter": ";"})
    corpus = load.corpus.rename(columns={"0": "section"})
    corpus["outlet"] = pd.Categorical(["DER STANDARD"] * len(corpus))
    load.corpus = corpus
    return load


def load_gerntsa() -> CorpusLoad:
    """3,041 German news sentences with a ``target``, its offsets and the gold ``label``."""
    load = load_corpus(path("gerntsa"), text_col="opinion_snippet", id_col="id", lang="de",
                       html_markup="keep", duplicate_texts="keep")  # one sentence, several targets
    load.corpus = load.corpus.rename(columns={
        "target_anchor.from": "target_start", "target_anchor.to": "target_end", "sentiment.polarity": "label"})
    load.corpus = reanchor_targets(load.corpus)
    return load


def load_newsmtsc() -> CorpusLoad:
    """8,739 target mentions in 7,758 English political news sentences (NewsMTSC training split).

    One row per mention: ``doc_id`` (the mention's ``Input.gid``), ``text`` (the sentence),
    ``target``, ``target_start``/``target_end`` (character offsets) and the gold ``label``
    (upstream polarity 2/4/6 as ``negative``/``neutral``/``positive``), ``sentence`` (the
    line number: mentions of one sentence share it).
    """
    polarity = {2.0: "negative", 4.0: "neutral", 6.0: "positive"}
    records = []
    with path("newsmtsc").open(encoding="utf-8") as lines:
        for line_number, line in enumerate(lines):
            record = json.loads(line)
            records += [{"doc_id": t["Input.gid"], "text": record["sentence_normalized"], "target": t["mention"],
                         "target_start": t["from"], "target_end": t["to"], "label": polarity[t["polarity"]],
                         "sentence": line_number} for t in record["targets"]]
    load = load_corpus(pd.DataFrame(records), lang="en", html_markup="keep", duplicate_texts="keep")
    load.corpus, load.source = reanchor_targets(load.corpus), str(path("newsmtsc"))
    return load


def reanchor_targets(corpus: pd.DataFrame) -> pd.DataFrame:
    """Offsets that point at ``target`` again after text cleaning moved it (a removed control
    or zero-width character shifts what follows): the occurrence nearest the old start wins."""
    starts, ends = corpus["target_start"].to_numpy().copy(), corpus["target_end"].to_numpy().copy()
    for i, (text, target, start) in enumerate(zip(corpus["text"].tolist(), corpus["target"].tolist(), starts)):
        if text[start:start + len(target)] == target:
            continue
        found = [m for m in range(len(text)) if text.startswith(target, m)]
        if found:
            starts[i] = min(found, key=lambda m: abs(m - start))
            ends[i] = starts[i] + len(target)
    return corpus.assign(target_start=starts, target_end=ends)


def load_wikinews() -> CorpusLoad:
    """295 dated English Wikinews articles, 2019–2020 (CC BY 2.5)."""
    loads = [load_corpus(path(name), text_col="text", id_col="url", date_col="date", lang="en")
             for name in ("wikinews-2019", "wikinews-2020")]
    combined = combine_loads(loads, source="wikinews-en")
    combined.corpus["outlet"] = pd.Categorical(["Wikinews"] * len(combined.corpus))
    return combined


def load_seed_article() -> CorpusLoad:
    """The German article the kit was commissioned with (January 2025, North Korean
    soldiers in Russia's war). Its first line is metadata: the date and a headline of that day."""
    raw = path("seed").read_text(encoding="utf-8")
    meta, _, body = raw.lstrip().partition("\n")
    _, date, headline_of_day = (meta.split(" ", 2) + ["", ""])[:3]
    frame = pd.DataFrame({"doc_id": [path("seed").stem], "text": [body], "published": [date],
                          "headline_of_day": [headline_of_day]})
    load = load_corpus(frame, lang="de")
    load.source = str(path("seed"))
    return load
