"""Do frames, actors, stance, sentiment and KWIC give the same results as at another commit? For speed work that must change nothing.

Run: ``python benchmarks/same_results.py --before main`` (any git revision; ``--limit 200`` for a
quicker look).

Data: the 10kGNAD test split (``analysis.corpus.datasets.load_gnad10()``, 1,028 German
articles) and a small messy corpus written below (German and English, umlauts, compounds,
genitives, multi-word names, a duplicate id, missing and unparseable dates, a missing language).
The revision is unpacked with ``git archive`` into a temporary folder; each side runs in its own
Python process and writes its results as Parquet files, which are then compared cell by cell.

Compared: ``score_frames`` (both bundled dictionaries, documents and sentences),
``matches``, ``find_actors`` (default; capital cities and no dates), ``actor_sentiment`` by the stance
model and by the lexicon (scores to the last bit), ``score_sentiment`` (documents on both scales, and
sentences), ``kwic`` (auto, lemma, glob,
phrase and regex patterns, actor matchers) and a names matcher with compounds and genitives.
Printed: one row per result with its rows before and now and whether they are equal; then the verdict.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
MESSY = pd.DataFrame({
    "doc_id": ["a", "a", "b", "c", "d", "e", "f", "g"],
    "lang": ["de", "de", "en", "de", "en", None, "de", "de"],
    "published": ["2022-02-24", None, "2019-05-01", "2005-03-01", None, "2024-11-05", "not a date", "1999-12-31"],
    "text": ["Putins Kreml-Chef-Rolle: der Kreml-Sprecher und Russia's army. Nordkoreas Soldat*innen im Ukraine-Krieg.",
             "Keine Waffenruhe! Humanitäre Hilfe? Humanitär, Hilfe. Der russische Präsident Wladimir Putin, der Kremlchef.",
             "Russia's president met Kim Darroch. The US-president and NATO's chief; the Kremlin's war, no ceasefire.",
             "Der ukrainische Präsident traf Kim Jong Un. Kim sagte: US-Dollar, US-Regierung, Hamas-Kämpfer, #Putin @NATO.",
             "Zelenskyy's army fights the occupiers; special military operations \u2014 Moscow's sanctions on the EU’s exports.",
             "Selenskyj und Selenskyjs Berater im Kim-Il-Sung-Platz; Moskau droht, Washington Post berichtet. Lawrow.",
             "Bundeskanzler Scholz, Kanzlerin Merkel und US-Präsident Biden; Ärzte ohne Grenzen; Flüchtlinge strömen.",
             "Ministerpräsident Netanjahu, die Hamas-Führung und Israels Armee; Drohnenangriffe, Raketenangriff."]})
KWIC = [("soldat", "auto"), ("*krieg", "auto"), ("humanitär hilfe", "auto"), ("special military operation", "auto"),
        (r"Kreml\w*", "regex"), ("nordkorea*", "lemma"), ("Putin*", "glob"), ("russisch präsident", "phrase")]
ACTORS = ["Putin", "Kim Jong Un", "Russland", "NATO", "Selenskyj"]


def results(limit: int | None) -> dict[str, pd.DataFrame]:
    """Every compared result by name, as a frame."""
    from analysis.corpus import datasets
    from analysis.explore import kwic
    from analysis.frames import PatternMatcher, actor_matcher, find_actors, load_actors, matches, score_frames
    from analysis.progress import quiet
    from analysis.sentiment import actor_sentiment, score_sentiment
    from analysis.text.analysis import analyze
    from analysis.text.language import document_langs

    messy = MESSY.assign(published=pd.to_datetime(MESSY["published"], errors="coerce", utc=True))
    corpora = {"gnad": datasets.load_gnad10().corpus.head(limit), "messy": messy}
    names = PatternMatcher({"x": ["Kreml-Chef*", "Putin", "US", "?ato"], "y": ["der russische Präsident", "Ukraine"]},
                           on="surface", ignore_case=False, genitive=True, compounds=True)
    out = {}
    with quiet():
        for name, corpus in corpora.items():
            unique = corpus.assign(doc_id=[f"{d}{i}" for i, d in enumerate(corpus["doc_id"])])
            for d in ("conflict", "generic"):
                out[f"{name} score_frames {d}"] = score_frames(unique, d)
                out[f"{name} score_frames {d} sentences"] = score_frames(unique, d, unit="sentence", normalize="share")
                out[f"{name} matches {d}"] = matches(unique, d)
            out[f"{name} find_actors"] = find_actors(corpus)
            out[f"{name} find_actors metonyms, no dates"] = find_actors(corpus, metonyms=True, date_col=None)
            out[f"{name} actor_sentiment stance"] = actor_sentiment(unique, method="stance")
            out[f"{name} actor_sentiment lexicon"] = actor_sentiment(unique, method="lexicon")
            for scale in ("balance", "text"):
                out[f"{name} score_sentiment {scale}"] = score_sentiment(unique, scale=scale)
            out[f"{name} score_sentiment sentences"] = score_sentiment(unique, unit="sentence")
            for pattern, kind in KWIC:
                out[f"{name} kwic {pattern!r} {kind}"] = kwic(corpus, pattern, kind=kind, window=3)
            for actor in ACTORS:
                out[f"{name} kwic actor {actor}"] = kwic(corpus, actor_matcher({actor: load_actors()[actor]}), window=2)
            out[f"{name} names matcher"] = pd.DataFrame(
                [(n, *m) for n, (t, lang) in enumerate(zip(corpus["text"], document_langs(corpus)))
                 for m in names.find(analyze(t, lang=lang))], columns=["doc", "label", "pattern", "first", "last",
                                                                      "start", "end"])
    return out


def run_side(tree: Path, folder: Path, limit: int | None) -> None:
    command = [sys.executable, __file__, "--child", str(tree), str(folder)] + (["--limit", str(limit)] if limit else [])
    subprocess.run(command, check=True, capture_output=True, text=True)


def compare(before: Path, now: Path) -> pd.DataFrame:
    rows = []
    names = pd.read_parquet(now / "names.parquet")["name"]
    for number, name in enumerate(names):
        path = now / f"{number}.parquet"
        new = pd.read_parquet(path)
        old = pd.read_parquet(before / path.name)
        try:
            pd.testing.assert_frame_equal(old, new, check_exact=True)
            equal = True
        except AssertionError:
            equal = False
        rows.append((name, len(old), len(new), equal))
    return pd.DataFrame(rows, columns=["result", "rows before", "rows now", "equal"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default="main", help="git revision to compare with (default: main)")
    parser.add_argument("--limit", type=int, help="use only the first LIMIT 10kGNAD texts")
    parser.add_argument("--child", nargs=2, metavar=("TREE", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        tree, folder = map(Path, args.child)
        sys.path.insert(0, str(tree))
        names = []
        for number, (name, frame) in enumerate(results(args.limit).items()):
            frame.reset_index(drop=True).to_parquet(Path(folder) / f"{number}.parquet")
            names.append(name)
        pd.DataFrame({"name": names}).to_parquet(Path(folder) / "names.parquet")
        return
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        archive = subprocess.run(["git", "archive", args.before], cwd=ROOT, check=True, capture_output=True).stdout
        with tarfile.open(fileobj=BytesIO(archive)) as tar:
            tar.extractall(tmp / "tree", filter="data")
        for side, tree in (("before", tmp / "tree"), ("now", ROOT)):
            (tmp / side).mkdir()
            run_side(tree, tmp / side, args.limit)
        table = compare(tmp / "before", tmp / "now")
    print(f"Results at {args.before!r} and in the working tree ({ROOT}); 10kGNAD test split"
          f"{f', first {args.limit} texts' if args.limit else ''} and {len(MESSY)} messy documents.\n")
    print(table.to_string(index=False))
    different = table.loc[~table["equal"], "result"].tolist()
    print(f"\n{len(table)} results compared: " + ("all equal." if not different else f"{len(different)} differ: {different}"))


if __name__ == "__main__":
    main()
