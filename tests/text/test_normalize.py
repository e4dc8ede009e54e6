"""Cleaning keeps German text intact and removes what is not text."""

import unicodedata

import pytest

from analysis.text import clean_text


@pytest.mark.parametrize(("raw", "clean"), [
    (unicodedata.normalize("NFD", "Nordkoreaner müssen für Größe büßen"), "Nordkoreaner müssen für Größe büßen"),
    ("Kim\u200bJong\u00adUn\ufeff", "KimJongUn"),
    ("Kontroll\x00zeichen\x07 weg", "Kontrollzeichen weg"),
    ("<p>Putin &amp; Kim</p><p>treffen sich&nbsp;in Pjöngjang</p>", "Putin & Kim\n\ntreffen sich in Pjöngjang"),
    ("<script>alert(1)</script>Text", "Text"),
    ("Zeile 1\r\nZeile 2\r\n\r\n\r\n\r\nAbsatz", "Zeile 1\nZeile 2\n\nAbsatz"),
    ("  viele   Leerzeichen\t hier  ", "viele Leerzeichen hier"),
    ("3 < 5 und 7 > 4", "3 < 5 und 7 > 4"),  # not HTML: kept literally
])
def test_clean_text(raw, clean):
    assert clean_text(raw) == clean


def test_html_can_be_kept_literally():
    assert clean_text("<b>fett</b>", html_markup="keep") == "<b>fett</b>"
