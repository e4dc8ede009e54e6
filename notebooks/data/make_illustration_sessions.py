"""Write the two ILLUSTRATION intrusion sessions that notebook 05 loads.

The answers are NOT human judgements. They are made by two transparent rules, so that the
notebook can show how a session is stored, loaded and scored without a person at the
keyboard. Replace them with your own answers (see the notebook).

- word intrusion: the rule picks the option whose removal leaves the most coherent set,
  i.e. the five remaining words with the highest mean NPMI (document co-occurrence in the
  press releases the model was fitted on; ``analysis.topics.metrics.npmi_coherence``). This is a
  simple automatic "intruder detector" in the spirit of Lau, Newman & Baldwin (2014).
- topic intrusion: the rule picks the shown topic of which the fewest of its top words
  occur (as the model's lemmas) in the snippet the coder sees (title + first 600
  characters); ties go to the topic shown first.

The model and the items are those of notebook 05 (the topic model of notebook 02: the
bundled conflict corpus, 12 NMF topics, English preprocessor, ``random_state=0``).
Run from the repository root:  python notebooks/data/make_illustration_sessions.py
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from analysis.corpus import datasets
from analysis.topics import npmi_coherence
from analysis.progress import quiet
from analysis.text import Preprocessor
from analysis.topics import fit_topics
from analysis.validation import topic_intrusion, word_intrusion

HERE = Path(__file__).resolve().parent
# the settings notebook 05 uses: keep both in step
K, N_WORD_ITEMS, N_TOPIC_ITEMS, N_TOP_WORDS, N_TOP_TOPIC_WORDS = 12, 24, 20, 5, 8
CODER = "illustration (not a human judgement)"
RULES = {
    "word": ("Answers made by a rule, not by a person: the option whose removal leaves the most coherent "
             "set (highest mean NPMI of the remaining words, document co-occurrence in the model's corpus) "
             "is picked. See notebooks/data/README.md."),
    "topic": ("Answers made by a rule, not by a person: the shown topic of which the fewest top words occur "
              "in the snippet (title + first 600 characters, the model's lemmas) is picked; ties go to the "
              "topic shown first. See notebooks/data/README.md."),
}


def main() -> None:
    corpus = datasets.load_conflict_corpus().corpus
    with quiet():
        model = fit_topics(corpus, K, preprocessor=Preprocessor(lang="en"))
        words = word_intrusion(model, n_items=N_WORD_ITEMS, n_top=N_TOP_WORDS, coder=CODER, random_state=0)
        topics = topic_intrusion(model, n_items=N_TOPIC_ITEMS, n_top=N_TOP_TOPIC_WORDS, coder=CODER, random_state=0)
        vectorizer = model.pipeline[0]
        X, vocabulary = vectorizer.transform(model.corpus["text"]), list(model.vocabulary)
    for i, item in enumerate(words.items):
        coherence = [npmi_coherence([[o for o in item["options"] if o != left_out]], X, vocabulary)
                     for left_out in item["options"]]
        words.answer(i, item["options"][int(np.argmax(coherence))])
    lemmas = vectorizer.build_analyzer()
    for i, item in enumerate(topics.items):
        in_snippet = set(lemmas(item["snippet"]))
        overlap = [len(in_snippet & set(terms.split(", "))) for terms in item["option_terms"]]
        topics.answer(i, item["options"][int(np.argmin(overlap))])
    for kind, session in (("word", words), ("topic", topics)):
        path = session.save(HERE / f"illustration-{kind}-intrusion.json")
        data = json.loads(path.read_text(encoding="utf-8"))
        data = {"note": RULES[kind], **data}  # load_session ignores the note; it is for people reading the file
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"{path.name}: {session.n_answered} answers, {session.score().summary.to_dict('records')}")


if __name__ == "__main__":
    main()
