"""Write ``conflict_codes.csv``: codes of a ``frame`` variable for 120 documents of the bundled
conflict corpus, made by a keyword rule (not by human coding), plus the mess a real coding file
has. Run from the repository root: ``PYTHONPATH=$PWD python tests/data/make_conflict_codes.py``.

The rule counts the terms of each frame below (at a word start) in a document's lowercased text and gives the
frame with most hits (``anderes`` when none is found; ties go to the first frame listed).
"""

import re
from pathlib import Path

import pandas as pd

RULE = {"militärisch": ["military", "troops", "armed forces", "shelling", "missile", "weapon", "army", "combat"],
        "diplomatisch": ["negotiat", "talks", "summit", "telephone conversation", "agreement", "diplomat"],
        "humanitär": ["humanitarian", "refugee", "civilian", "evacuat", "aid", "hospital"]}


def rule_code(text: str) -> str:
    lowered = text.lower()
    hits = {frame: sum(len(re.findall(rf"\b{term}", lowered)) for term in terms) for frame, terms in RULE.items()}
    best = max(hits, key=hits.get)
    return best if hits[best] else "anderes"


def main() -> None:
    from analysis.corpus import datasets

    corpus = datasets.load_conflict_corpus().corpus
    sample = corpus.groupby("outlet", observed=True).sample(60, random_state=7)
    codes = pd.DataFrame({"doc_id": sample["doc_id"].to_numpy(), "frame": sample["text"].map(rule_code).to_numpy(),
                          "Anmerkung": ""})
    twice = codes.iloc[[3, 10]].assign(Anmerkung="doppelt codiert, gleicher Code")
    other = {"militärisch": "diplomatisch"}
    conflicting = codes.iloc[[20]].assign(frame=lambda f: f["frame"].map(lambda c: other.get(c, "militärisch")),
                                          Anmerkung="zweite Coderin: anderer Code")
    unknown = pd.DataFrame({"doc_id": ["http://en.kremlin.ru/events/president/news/99999",
                                       "https://www.president.gov.ua/en/news/nicht-im-korpus-1",
                                       "Beitrag-Nr. 17 (Düsseldorf)"],
                            "frame": ["militärisch", "humanitär", "diplomatisch"], "Anmerkung": "nicht im Korpus"})
    blank = codes.iloc[[30]].assign(frame="", Anmerkung="übersprungen – später codieren")
    rows = pd.concat([codes, twice, conflicting, unknown, blank], ignore_index=True)
    path = Path(__file__).with_name("conflict_codes.csv")
    rows.to_csv(path, sep=";", index=False, encoding="utf-8-sig", lineterminator="\r\n")  # German Excel's CSV
    print(rows["frame"].value_counts().to_string(), f"\n{len(rows)} rows written to {path}")


if __name__ == "__main__":
    main()
