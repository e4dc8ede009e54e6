"""Short German news snippets with illustrative frame codes, for the coding module's runnable examples.

The codes were written with the snippets to illustrate the functions; they are not
human coding of real news. Real work uses a corpus and codes from a coding sheet.
"""

from __future__ import annotations

import pandas as pd

_MILITARY = (
    "Soldaten greifen die Stadt mit Raketen an, die Armee meldet schwere Kämpfe an der Front.",
    "Nordkoreanische Truppen kämpfen in Kursk, Raketen treffen die Stellungen.",
    "Die Armee verlegt Panzer und Soldaten an die Front.",
    "Drohnenangriffe auf Kyjiw: Die Luftabwehr schießt 30 Drohnen ab.",
    "Russische Truppen rücken bei Pokrowsk vor, ukrainische Einheiten ziehen sich zurück.",
    "Die NATO verstärkt ihre Ostflanke mit zusätzlichen Kampfjets und Soldat*innen.",
    "Artilleriebeschuss an der Frontlinie: Die Offensive stockt nach schweren Verlusten.",
    "Das Militär meldet den Abschuss eines Kampfhubschraubers über dem Schwarzen Meer.",
    "Panzerverbände durchbrechen die Verteidigungslinie südlich von Saporischschja.",
    "Der Generalstab kündigt eine neue Mobilisierung von Reservisten an.",
    "Raketenangriff auf ein Munitionsdepot, Explosionen sind kilometerweit zu hören.",
    "Scharfschützen und Artillerie halten die Stellung am Fluss, Nachschub fehlt.",
)
_HUMANITARIAN = (
    "Flüchtlinge erreichen Österreich, Helfer versorgen Familien in Notquartieren.",
    "Familien fliehen vor den Kämpfen, Helferinnen verteilen Decken an der Grenze.",
    "Das Rote Kreuz bringt Medikamente und Trinkwasser in die zerstörte Stadt.",
    "UNICEF warnt: Tausende Kinder sind ohne Schule und ohne Heizung.",
    "In den Notunterkünften fehlt es an Betten, Ärztinnen behandeln Verletzte rund um die Uhr.",
    "Hilfsorganisationen fordern einen sicheren Korridor für die Evakuierung der Zivilbevölkerung.",
    "Spenden für die Opfer: Die Caritas sammelt Lebensmittel und Winterkleidung.",
    "Ältere Menschen harren ohne Strom in ihren Wohnungen aus, Freiwillige bringen Essen.",
    "Die UN-Flüchtlingshilfe zählt mehr als eine Million Vertriebene im Land.",
    "Ein Krankenhaus nimmt verletzte Zivilisten auf, die Blutkonserven werden knapp.",
    "Humanitäre Hilfe erreicht das belagerte Viertel erst nach Tagen.",
    "Geflüchtete Mütter und Kinder finden in Wien eine Unterkunft.",
)


def coded_units() -> pd.DataFrame:
    """24 coded snippets: ``doc_id``, ``text``, ``frame`` (``military``/``humanitarian``),
    ``outlet`` (category), ``published`` (UTC), ``lang``."""
    texts = [*_MILITARY, *_HUMANITARIAN]
    return pd.DataFrame({
        "doc_id": [f"u{i:02d}" for i in range(len(texts))],
        "text": texts,
        "frame": ["military"] * len(_MILITARY) + ["humanitarian"] * len(_HUMANITARIAN),
        "outlet": pd.Categorical(["Kurier" if i % 2 else "Der Standard" for i in range(len(texts))]),
        "published": pd.date_range("2024-01-03", periods=len(texts), freq="5D", tz="UTC"),
        "lang": "de",
    })
