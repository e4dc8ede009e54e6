"""The report's 'Duplicates and boilerplate' section: agency copies listed, footers removed, in memory and streamed."""

import pandas as pd
import pytest

from analysis.corpus import datasets
from analysis.report import STAGES, run_report

FOOTER = "Lesen Sie auch:\nAlle Nachrichten aus Österreich finden Sie auf unserer Startseite."


@pytest.fixture(scope="module")
def agency_corpus():
    """30 DER STANDARD articles with a site footer, one of them reprinted by two more outlets a day later."""
    news = datasets.load_gnad10().corpus.iloc[:30][["doc_id", "text"]].reset_index(drop=True)
    news["outlet"] = "DER STANDARD"
    news["published"] = pd.Timestamp("2016-05-02", tz="UTC")
    copies = pd.DataFrame({"doc_id": ["kurier-1", "presse-1"], "outlet": ["Kurier", "Die Presse"],
                           "text": [f"{outlet} – {news.at[3, 'text']}" for outlet in ("Wien (Kurier)", "Wien (APA)")],
                           "published": pd.Timestamp("2016-05-03", tz="UTC")})
    corpus = pd.concat([news, copies], ignore_index=True)
    corpus["text"] = corpus["text"] + "\n" + FOOTER
    return corpus


@pytest.mark.parametrize("large", [False, True])
def test_agency_copies_are_listed_and_the_footer_removed(agency_corpus, tmp_path, large):
    stages = [s for s in STAGES if s.name in ("load_report", "duplicates", "top_lemmas")]
    run = run_report(agency_corpus, out=tmp_path, by=None, progress=False, large=large, stages=stages)
    tables = run.page.parent / "tables"
    groups = pd.read_csv(tables / "near_duplicates.csv")
    assert sorted(groups["doc_id"]) == sorted([agency_corpus.at[3, "doc_id"], "kurier-1", "presse-1"])
    assert groups.loc[groups["kept"], "doc_id"].tolist() == [agency_corpus.at[3, "doc_id"]]  # the earliest
    listed = pd.read_csv(tables / "boilerplate.csv")
    assert set(FOOTER.split("\n")) <= set(listed["text"])
    assert not any(s.startswith(agency_corpus.at[3, "text"][:40]) for s in listed["text"])  # copies count once
    assert "startseite" not in set(pd.read_csv(tables / "top_terms.csv")["term"])
    page = run.page.read_text(encoding="utf-8")
    assert "1 group(s) of near-duplicates (3 documents)" in page and "Alle Nachrichten aus Österreich" in page
