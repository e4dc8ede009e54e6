"""Human validation inside the notebook: intrusion tests and coding sheets (oolong for Python).

Did the topics and dictionaries measure what they claim? Two checks reviewers ask for:

- **Intrusion tests** (Chang et al. 2009, "Reading tea leaves"; Chan & Sältzer 2020,
  oolong): :func:`word_intrusion` and :func:`topic_intrusion` build items from a fitted
  topic model; a coder answers them in a widget form (``session.form()``) or a plain
  table; ``session.save(path)`` / :func:`load_session` keep and resume the work;
  ``session.score()`` / :func:`score_intrusion` give model precision and topic log odds.
- **Coding sheets**: :func:`coding_sheet` draws a (stratified) sample for manual coding
  with the model's scores blinded in a separate key; coders fill the CSV or XLSX;
  :func:`read_codes` reads it back; :func:`score_codes` gives precision, recall and F1
  of the model's predictions against the human codes, with bootstrap intervals.
- **Agreement** between coders: :func:`krippendorff_alpha`, :func:`agreement_report`.

>>> import analysis
>>> from analysis.topics.fit import fit_topics
>>> corpus = analysis.corpus.datasets.load_gnad10().corpus.groupby("section").head(10)
>>> model = fit_topics(corpus, 6)
>>> session = word_intrusion(model, coder="Anna")
>>> len(session), session.n_answered
(6, 0)
>>> for i, item in enumerate(session.items):  # an illustration: a coder who always finds the intruder
...     session.answer(i, item["intruder"])
>>> session.score().summary[["metric", "estimate", "n"]].values.tolist()
[['model_precision', 1.0, 6]]
"""

from analysis.validation.agreement import agreement_report, krippendorff_alpha
from analysis.validation.codes import read_codes, score_codes
from analysis.validation.coding_sheet import CodingSheet, coding_sheet
from analysis.validation.form import IntrusionForm
from analysis.validation.intrusion import n_intrusion_documents, topic_intrusion, word_intrusion
from analysis.validation.intrusion_scores import IntrusionScores, score_intrusion
from analysis.validation.session import IntrusionSession, load_session

__all__ = ["CodingSheet", "IntrusionForm", "IntrusionScores", "IntrusionSession", "agreement_report", "coding_sheet",
           "krippendorff_alpha", "load_session", "n_intrusion_documents", "read_codes", "score_codes", "score_intrusion", "topic_intrusion", "word_intrusion"]
