"""Scores of intrusion tests (Chang et al. 2009): model precision and topic log odds.

Model precision of topic k: the share of answers to k's word-intrusion items that
picked the intruder, MP_k = (1/S) Σ_s 1[chosen_s = intruder]. Topic log odds of a
document d: TLO_d = (1/S) Σ_s (log θ_d,intruder − log θ_d,chosen_s) — 0 when every
coder found the intruder, more negative the more probable the topic they picked
instead. Shares get Wilson intervals, means percentile-bootstrap intervals.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import pandas as pd
from statsmodels.stats.proportion import proportion_confint

from analysis.compare.bootstrap import bootstrap_means
from analysis.compare.scores import check_ci

THETA_FLOOR = 1e-6  # NMF proportions can be exactly 0: floored so the log odds stay finite
SCORE_COLUMNS = ["metric", "estimate", "ci_lower", "ci_upper", "n"]


@dataclass
class IntrusionScores:
    """``answers``: one row per coder × answered item. ``per_unit``: one row per topic
    (word intrusion) or document (topic intrusion) × metric. ``summary``: one row per metric.
    Estimate columns: ``metric, estimate, ci_lower, ci_upper, n`` (``n`` answers)."""

    answers: pd.DataFrame
    per_unit: pd.DataFrame
    summary: pd.DataFrame

    def _repr_html_(self) -> str:
        return ("<p><b>Summary</b></p>" + self.summary.to_html(index=False, float_format="{:.3f}".format)
                + "<p><b>Per unit</b></p>" + self.per_unit.to_html(index=False, float_format="{:.3f}".format))


def score_intrusion(sessions, *, ci: float = 0.95, n_boot: int = 1000, random_state=0) -> IntrusionScores:
    """Score one or more coders' sessions over the same items.

    Word intrusion: ``per_unit`` has ``topic`` + estimate columns with metric
    ``model_precision`` (Wilson interval); ``summary`` pools all answers (the mean of the
    topics' precisions when each topic has as many answers). Topic intrusion:
    ``per_unit`` has ``doc_id`` + metrics ``topic_log_odds`` (bootstrap over coders) and
    ``precision``; ``summary`` has both over all answers. Unanswered items are left out.

    >>> from analysis.validation.session import IntrusionSession
    >>> items = [{"item": 0, "topic": "T1", "options": ["krieg", "zins", "soldat"], "intruder": "zins"},
    ...          {"item": 1, "topic": "T2", "options": ["bank", "euro", "front"], "intruder": "front"}]
    >>> anna, ben = IntrusionSession("word", items, coder="Anna"), IntrusionSession("word", items, coder="Ben")
    >>> anna.answer(0, "zins"); anna.answer(1, "front"); ben.answer(0, "zins"); ben.answer(1, "euro")
    >>> score_intrusion([anna, ben]).per_unit[["topic", "estimate", "n"]].values.tolist()
    [['T1', 1.0, 2], ['T2', 0.5, 2]]
    """
    sessions = _checked_sessions(sessions)
    check_ci(ci)
    answers = _answers(sessions)
    if answers.empty:
        raise ValueError("no item has an answer yet; answer some with session.answer(i, choice) or session.form().")
    if sessions[0].kind == "word":
        per_unit = pd.concat([_share(group["correct"], ci, "model_precision").assign(topic=topic)
                              for topic, group in answers.groupby("topic", sort=True)], ignore_index=True)
        summary = _share(answers["correct"], ci, "model_precision")
        return IntrusionScores(answers, per_unit[["topic", *SCORE_COLUMNS]], summary)
    rng = np.random.default_rng(random_state)
    rows = []
    for doc_id, group in answers.groupby("doc_id", sort=False):
        rows += [_mean(group["topic_log_odds"], ci, rng, n_boot).assign(doc_id=doc_id),
                 _share(group["correct"], ci).assign(doc_id=doc_id)]
    per_unit = pd.concat(rows, ignore_index=True)[["doc_id", *SCORE_COLUMNS]]
    summary = pd.concat([_mean(answers["topic_log_odds"], ci, rng, n_boot), _share(answers["correct"], ci)],
                        ignore_index=True)
    return IntrusionScores(answers, per_unit, summary[SCORE_COLUMNS])


def _checked_sessions(sessions) -> list:
    if hasattr(sessions, "items") and hasattr(sessions, "answers"):
        sessions = [sessions]
    sessions = list(sessions)
    if not sessions:
        raise ValueError("pass at least one session.")
    first = sessions[0]
    fingerprint = json.dumps(first.items, sort_keys=True, default=str)
    for session in sessions[1:]:
        if session.kind != first.kind or json.dumps(session.items, sort_keys=True, default=str) != fingerprint:
            raise ValueError(f"session of coder {session.coder!r} has other items than that of {first.coder!r}; "
                             "give every coder the same items (session.for_coder(name)).")
    names = [s.coder or f"session {i + 1}" for i, s in enumerate(sessions)]
    if len(set(names)) < len(names):
        raise ValueError(f"coder names repeat ({names}); each session must be a different coder.")
    return sessions


def _answers(sessions) -> pd.DataFrame:
    """One row per coder × answered item, with ``correct`` and (topic items) ``topic_log_odds``."""
    rows = []
    for i, session in enumerate(sessions):
        coder = session.coder or f"session {i + 1}"
        for position in sorted(session.answers):
            item, chosen = session.items[position], session.answers[position]["choice"]
            row = {"coder": coder, "item": position}
            if session.kind == "word":
                row["topic"] = item["topic"]
            else:
                row["doc_id"] = item["doc_id"]
            row.update(intruder=item["intruder"], chosen=chosen, correct=chosen == item["intruder"])
            if session.kind == "topic":
                theta = item["theta"]
                row["topic_log_odds"] = float(np.log(max(theta[item["intruder"]], THETA_FLOOR))
                                              - np.log(max(theta[chosen], THETA_FLOOR)))
            rows.append(row)
    columns = ["coder", "item", "topic" if sessions[0].kind == "word" else "doc_id", "intruder", "chosen", "correct"]
    return pd.DataFrame(rows, columns=columns + (["topic_log_odds"] if sessions[0].kind == "topic" else []))


def _share(correct: pd.Series, ci: float, metric: str = "precision") -> pd.DataFrame:
    """Share of true values with its Wilson score interval."""
    n, hits = len(correct), int(correct.sum())
    lower, upper = proportion_confint(hits, n, alpha=1 - ci, method="wilson")
    return pd.DataFrame([{"metric": metric, "estimate": hits / n, "ci_lower": float(lower),
                          "ci_upper": float(upper), "n": n}])


def _mean(values: pd.Series, ci: float, rng, n_boot: int) -> pd.DataFrame:
    """Mean topic log odds with its percentile-bootstrap interval."""
    estimate, lower, upper = bootstrap_means(values.to_numpy(dtype=float)[:, None], rng, int(n_boot), ci)
    return pd.DataFrame([{"metric": "topic_log_odds", "estimate": float(estimate[0]), "ci_lower": float(lower[0]),
                          "ci_upper": float(upper[0]), "n": len(values)}])
