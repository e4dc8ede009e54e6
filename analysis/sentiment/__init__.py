"""Sentiment toward documents, sentences and named actors — German first, English second.

- :class:`LexiconSentiment`: lexicon and rules (negation, intensifiers, lemmas, target
  context); no training data needed.
- :class:`SentimentClassifier`: a trainable, calibrated scikit-learn pipeline (tf-idf on
  target-marked text plus lexicon features).
- :class:`StanceModel`, :func:`stance_model`: sentiment toward a mention, trained on news
  target-sentiment gold (GerNTSA, NewsMTSC) and bundled as JSON + NPZ.
- :func:`score_sentiment`, :func:`actor_sentiment`, :func:`summarize_actor_sentiment`:
  tidy frames for a corpus.
- :func:`evaluate`, :func:`plot_confusion`: validation against gold labels.
"""

from analysis.sentiment.classifier import SentimentClassifier
from analysis.sentiment.evaluate import evaluate, plot_confusion
from analysis.sentiment.inputs import LABELS, TargetNotFoundWarning
from analysis.sentiment.lexicon import LexiconSentiment
from analysis.sentiment.lexicons import load_lexicon
from analysis.sentiment.stance import StanceModel, stance_model
from analysis.sentiment.scoring import actor_sentiment, score_sentiment, summarize_actor_sentiment

__all__ = ["LABELS", "LexiconSentiment", "SentimentClassifier", "StanceModel", "TargetNotFoundWarning",
           "actor_sentiment", "evaluate", "load_lexicon", "plot_confusion", "score_sentiment", "stance_model",
           "summarize_actor_sentiment"]
