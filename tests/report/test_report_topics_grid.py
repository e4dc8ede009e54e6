"""The report's choice of k: ≥ 3 fits per k, and a grid that grows when the best k sits at its edge."""

import html

import numpy as np
import pandas as pd

from analysis.report import STAGES, run_report
from analysis.report.topic_sections import CANDIDATES, EXTENSION, N_SEEDS

TOPIC_STAGES = [s for s in STAGES if s.name in ("load_report", "topics")]
STEMS = ["wahl", "grenze", "hafen", "ernte", "schule", "klinik", "brücke", "zugverkehr", "wald", "fußball", "oper",
         "börse", "steuer", "gericht", "polizei", "feuerwehr", "flut", "impfung", "bahnhof", "kirche", "museum",
         "bäuerin", "strompreis", "miete"]
ENDINGS = ("", "rat", "plan", "streit", "gesetz", "bericht", "amt", "kosten", "büro", "zeit", "leute", "frage")


def local_news(n_themes: int, n_docs: int = 600) -> pd.DataFrame:
    """Short German local-news items, each about one of ``n_themes`` themes with its own words; some undated."""
    rng = np.random.default_rng(7)
    rows = []
    for i in range(n_docs):
        theme = [f"{STEMS[i % n_themes]}{ending}" for ending in ENDINGS]
        words = [*rng.choice(theme, 30), *rng.choice(["heute", "gestern", "sagte", "laut", "über", "mehr"], 6)]
        rng.shuffle(words)
        rows.append({"doc_id": f"Lokal-{i:03d}", "text": " ".join(words).capitalize() + ".", "lang": "de",
                     "outlet": ["Kurier Süd", "Tagblatt Nord"][i % 2],
                     "published": pd.NaT if i % 50 == 0 else pd.Timestamp("2023-01-01", tz="UTC") + pd.Timedelta(days=i)})
    return pd.DataFrame(rows)


def topics_text(page_path) -> str:
    page = html.unescape(page_path.read_text(encoding="utf-8"))
    start = page.index('<section id="topics"')
    return page[start:page.index("</section>", start)]


def test_many_themes_grow_the_grid_and_the_page_says_so(tmp_path):
    run = run_report(local_news(24), out=tmp_path, progress=False, stages=TOPIC_STAGES)
    search = pd.read_csv(tmp_path / "tables" / "topic_search.csv")
    assert search["k"].tolist() == [*CANDIDATES, *EXTENSION]
    text = topics_text(run.page)
    assert f"each fitted {N_SEEDS} times" in text and N_SEEDS >= 3
    assert "the grid was extended to k = 16, 20" in text
    chosen = pd.read_csv(tmp_path / "tables" / "topic_terms.csv")["topic"].nunique()
    assert chosen == max(EXTENSION)  # 24 themes: the search runs to the cap instead of stopping at 12
    assert f"k = {chosen} is the cap of the extended grid" in text


def test_a_few_themes_keep_the_grid(tmp_path):
    run = run_report(local_news(6), out=tmp_path, progress=False, stages=TOPIC_STAGES)
    search = pd.read_csv(tmp_path / "tables" / "topic_search.csv")
    assert search["k"].tolist() == list(CANDIDATES)
    assert "extended" not in topics_text(run.page)
    assert pd.read_csv(tmp_path / "tables" / "topic_terms.csv")["topic"].nunique() < max(CANDIDATES)
