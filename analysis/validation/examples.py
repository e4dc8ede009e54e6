"""A tiny German news corpus for the validation module's runnable examples.

Five themes (front, economy, diplomacy, refugees, weather), some documents mixing two,
so that a topic model fitted on it in a second has topics and documents to test.
Real validation uses a real corpus (see :mod:`analysis.corpus.datasets`).
"""

from __future__ import annotations

import pandas as pd

_TEXTS = (
    "Soldaten greifen die Stadt mit Raketen an, die Armee meldet schwere Kämpfe an der Front.",
    "Nordkoreanische Truppen kämpfen an der Front in Kursk, Raketen treffen die Stellungen.",
    "Die Armee verlegt Panzer und Soldaten an die Front.",
    "Die Zentralbank erhöht den Zins, der Euro fällt und die Inflation steigt.",
    "Banken warnen vor Inflation, Zinsen und teurer Energie für die Wirtschaft.",
    "Sanktionen treffen die Wirtschaft, Banken und den Export; die Inflation bleibt hoch.",
    "Außenminister verhandeln in Genf über einen Waffenstillstand und Gespräche.",
    "Diplomaten fordern Verhandlungen, der Gipfel in Genf endet ohne Einigung.",
    "Die Gespräche über einen Waffenstillstand scheitern, Soldaten melden neue Angriffe an der Front.",
    "Flüchtlinge erreichen Österreich, Helfer versorgen Familien in Notquartieren.",
    "Familien fliehen vor den Kämpfen, Helfer und Flüchtlinge warten an der Grenze.",
    "Österreich nimmt Flüchtlinge auf, die Grenze bleibt offen für Familien.",
    "Schnee und Frost in den Alpen, Sturm bringt Glätte auf den Straßen.",
    "Der Sturm bringt Regen und später Schnee, Frost in der Nacht.",
    "Frost und Schnee erschweren die Versorgung der Flüchtlinge an der Grenze.",
    "Sanktionen und Verhandlungen: Diplomaten in Genf sprechen über Energie und Zinsen.",
)


def tiny_corpus() -> pd.DataFrame:
    """16 short German news snippets as a corpus frame (``doc_id``, ``text``, ``outlet``, ``lang``)."""
    return pd.DataFrame({
        "doc_id": [f"d{i:02d}" for i in range(len(_TEXTS))],
        "text": list(_TEXTS),
        "outlet": pd.Categorical(["Kurier" if i % 2 else "Der Standard" for i in range(len(_TEXTS))]),
        "lang": "de",
    })
