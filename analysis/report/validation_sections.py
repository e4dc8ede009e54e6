"""Report stage: validation material — a blinded frame coding sheet and topic-intrusion items.

The report cannot validate itself; it hands a researcher the files to do it: a coding
sheet of sampled documents (frame and sentiment columns to fill in, the model's scores
in a separate key) and word-/topic-intrusion items for the report's topic model, with
the instructions to score them (:mod:`analysis.validation`).
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from analysis.compare.scores import doc_item_grid
from analysis.report.stages import StageSkipped
from analysis.report.writer import Section, h3, p
from analysis.report.topic_sections import fit_report_model, search_sample
from analysis.validation import coding_sheet, n_intrusion_documents, topic_intrusion, word_intrusion
from analysis.validation.spreadsheet import write_coders_csv

SHEET_SIZE = 60
N_TOPIC_ITEMS = 20
SENTIMENT_CODES = ["negative", "neutral", "positive"]


def validation_material(ctx) -> Section:
    """Coding sheet for the frames (and document sentiment), intrusion items for the topics."""
    corpus = ctx.corpus
    if len(corpus) < 10:
        raise StageSkipped(f"a validation sample needs at least 10 documents; the corpus has {len(corpus)}.")
    section = Section("validation", "Validation material", [p(
        "Files for checking the measures above against human judgement (analysis.validation). Code them, "
        "then score them in a notebook as notebooks/05-validation.ipynb shows; report the precision, recall "
        "and agreement with their intervals.")])
    section.add(*_coding_sheet(ctx))
    if "topic_terms" in ctx.tables:
        section.add(*_intrusion_items(ctx))
    else:
        section.add(p("No topic model in this report, so no intrusion items."))
    return section


def _coding_sheet(ctx) -> list[str]:
    frames = ctx.tables.distinct("frame_scores", "frame")
    corpus = ctx.corpus
    stratify = ctx.by if ctx.by in corpus and corpus[ctx.by].nunique() > 1 else None
    variables = {**{f"frame_{f}": ["yes", "no"] for f in frames}, "sentiment": SENTIMENT_CODES}
    sheet = coding_sheet(corpus, n=min(SHEET_SIZE, len(corpus)), stratify_by=stratify, variables=variables,
                         random_state=ctx.random_state, texts=ctx.texts)  # the draw does not depend on the scores
    sheet.key = pd.concat([sheet.key, _model_codes(ctx, sheet.key["doc_id"], frames)], axis=1)
    sheet.to_csv(ctx.writer.output_path("validation/coding_sheet.csv"))
    sheet.to_excel(ctx.writer.output_path("validation/coding_sheet.xlsx"))
    sheet.key.to_csv(ctx.writer.output_path("validation/coding_sheet-key.csv"), index=False, lineterminator="\n")
    strata = f", stratified by {stratify}" if stratify else ""
    return [h3("Coding sheet"), p(
        f"{len(sheet.sheet)} documents drawn at random{strata} (random_state={ctx.random_state}) in "
        f"validation/coding_sheet.xlsx (and .csv): for each, whether each of the {len(frames)} frames is present "
        "and the document's overall tone. The coders' sheet shows only the text; the model's frame scores and "
        "sentiment labels are in validation/coding_sheet-key.csv — keep it from the coders. Read the filled "
        "sheet with analysis.validation.read_codes and compare with analysis.validation.score_codes.")]


def _model_codes(ctx, doc_ids: pd.Series, frames: list) -> pd.DataFrame:
    """The model's frame scores (``model_<frame>``) and sentiment label (``model_sentiment``) of the drawn
    documents, in their order: only their rows are read from the tables (a million documents' scores are not)."""
    wanted = doc_ids.tolist()
    wide = doc_item_grid(ctx.tables.read("frame_scores", ["doc_id", "frame", "score"], doc_ids=wanted),
                         "frame", "score").reindex(columns=frames)
    rows = wide.index.get_indexer(doc_ids)
    model = {f"model_{f}": np.where(rows >= 0, wide[f].to_numpy()[rows], np.nan) for f in frames}
    labels = ctx.tables.read("sentiment_documents", ["doc_id", "label"], doc_ids=wanted).set_index("doc_id")["label"]
    return pd.DataFrame({**model, "model_sentiment": labels.reindex(doc_ids).to_numpy()})


def _intrusion_items(ctx) -> list[str]:
    k = ctx.tables.read("topic_terms", ["topic"])["topic"].nunique()
    model = fit_report_model(ctx, k)  # the topics stage's model (refitted when that stage was reused)
    sessions = {"word_intrusion": word_intrusion(model, random_state=ctx.random_state)}
    documents = search_sample(ctx) if ctx.large else None  # topic intrusion needs texts
    n_documents = min(N_TOPIC_ITEMS, n_intrusion_documents(model, documents))
    if n_documents:
        sessions["topic_intrusion"] = topic_intrusion(model, n_items=n_documents, corpus=documents,
                                                      random_state=ctx.random_state)
    for name, session in sessions.items():
        write_coders_csv(session.table(), ctx.writer.output_path(f"validation/{name}.csv"), lineterminator="\n")
        with open(ctx.writer.output_path(f"validation/{name}.json"), "w", encoding="utf-8") as handle:
            handle.write(_session_json(session))
    words = sessions["word_intrusion"]
    documents = (f"{n_documents} topic-intrusion items (a document with its three main topics and one intruder) "
                 "in validation/topic_intrusion.csv" if n_documents else
                 "no topic-intrusion items (they need at least 4 topics and documents with a clearly improbable topic)")
    parts = [h3("Topic-intrusion tests"), p(
        f"{len(words.items)} word-intrusion items (each topic's top 5 terms plus one intruder, Chang et al. 2009) "
        f"in validation/word_intrusion.csv, and {documents}. In JupyterLab, "
        "analysis.validation.load_session('validation/word_intrusion.json') then .form() presents them one by "
        "one and .score() gives model precision per topic (and topic log odds for topic intrusion).")]
    preview = pd.DataFrame([{"item": i + 1, "options": ", ".join(item["options"])}
                            for i, item in enumerate(words.items[:5])])
    parts.append(preview.to_html(index=False, escape=True, border=0, classes="table"))
    return parts


def _session_json(session) -> str:
    """The session as a file to load with ``load_session``, without a coder or timestamps
    (so reruns write identical bytes); the coder names themselves before saving answers."""
    data = {key: value for key, value in session.to_dict().items() if key not in ("created", "saved")}
    return json.dumps({**data, "coder": None}, ensure_ascii=False, indent=1, sort_keys=True, default=_plain)


def _plain(value):
    return value.item() if hasattr(value, "item") else str(value)
