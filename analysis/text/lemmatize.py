"""Offline lemmatisers behind one interface: ``lemmatize(token) -> lemma``, and the kit's one
lemma cache (:func:`lemma`), shared by every measure.

The default is simplemma (dictionary lookup, no model download, fast); it was chosen
over HanTa by measurement (``benchmarks/preprocess.py``). German forms handled the same way
whichever lemmatiser reads the words (:func:`german_lemma`):

- hyphenated compounds lemmatise their last part: ``Ukraine-Kriegs`` -> ``Ukraine-Krieg``;
- gender-inclusive forms (``Soldat*innen``, ``Soldat:innen``, ``SoldatInnen``) and, with
  ``merge_feminine``, feminine person nouns (``Nordkoreanerinnen``, ``Soldatinnen``) map to
  the base lemma (``Soldat``, ``Nordkoreaner``) so that counts are not split by gender.

Corrections of simplemma's own lemmas:

- a capitalised noun that simplemma maps to a verb (``Futter`` -> ``futtern``) stays a noun;
- an unknown capitalised word in ``-s`` is a name's genitive: ``Putins`` -> ``Putin``;
- Swiss spellings become German ones: ``beschoss`` -> ``beschießen``.

>>> lemmatizer = SimplemmaLemmatizer("de")
>>> [lemmatizer(t) for t in ["Soldaten", "Ukraine-Kriegs", "Soldat*innen", "Nordkoreanerinnen", "Futter"]]
['Soldat', 'Ukraine-Krieg', 'Soldat', 'Nordkoreaner', 'Futter']
"""

from __future__ import annotations

import re
from functools import lru_cache

import simplemma
from simplemma.strategies import DefaultStrategy

from analysis.errors import import_extra
from analysis.text.dictionaries import DICTIONARIES, is_known
from analysis.text.language import check_lang

LEMMATIZERS = ("simplemma", "hanta")

_HYPHEN = re.compile("[-\u2010\u2011]")
_INCLUSIVE = re.compile(r"^(?P<base>.+?)(?:[*:_/]in(?:nen)?|(?<=[a-zäöüß])In(?:nen)?)$")
_INCLUSIVE_ENDS = ("in", "In", "nen")  # every word _INCLUSIVE matches ends so (most new words do not: no match tried)
# Person nouns whose feminine is base + "in": Soldat-in, Nordkoreaner-in, Präsident-in, Journalist-in.
_FEMININE = re.compile(r"^(?P<base>.{3,}(?:er|ist|ant|ent|at|ot|eur|or|ard|ar|ld|ig|it))in(?:nen)?$")
_FEMININE_ENDS = ("in", "nen")


_ADJECTIVE = re.compile(r"^(?P<stem>.{3,}(?:isch|ig|lich|bar|los|sam|haft|iv|al|ell|treu|frei|reich|voll|ös|är))(?:e|en|er|em|es)$")
_PARTICIPLE_T = re.compile(r"^(?:(?:ver|be|zer|ent|er|miss)[a-zäöüß]{3,}t|[a-zäöüß]{3,}iert)$")
_ADJ_ENDINGS = frozenset({"e", "en", "er", "em", "es"})
_ADJ_ENDING_TUPLE = tuple(_ADJ_ENDINGS)  # for str.endswith
_NAME_GENITIVE = re.compile(r"^[A-ZÄÖÜ][a-zäöüß]*[a-rt-zäöüß]s$")
# simplemma's lemmatiser without a cache of its own (the kit's, lemma(), asks for each word once),
# its dictionaries loaded from the kit's cached tries (analysis.text.dictionaries)
_SIMPLEMMA = simplemma.Lemmatizer(cache_max_size=0,
                                 lemmatization_strategy=DefaultStrategy(dictionary_factory=DICTIONARIES))


class SimplemmaLemmatizer:
    """Lemmatise single tokens with simplemma plus the German corrections above."""

    name = "simplemma"

    def __init__(self, lang: str = "de", *, merge_gender: bool = True, merge_feminine: bool = True):
        self.lang = lang
        self.merge_gender = merge_gender
        self.merge_feminine = merge_feminine

    def __call__(self, token: str) -> str:
        if self.lang == "de":
            return self._german(token)
        return _SIMPLEMMA.lemmatize(token, self.lang)

    def _german(self, token: str) -> str:
        return german_lemma(token, self._simplemma_german, merge_gender=self.merge_gender,
                            merge_feminine=self.merge_feminine)

    def _simplemma_german(self, token: str) -> str:
        """simplemma's lemma of a German word, with the corrections above."""
        lemma = _SIMPLEMMA.lemmatize(token, "de")
        if token[:1].isupper() and lemma == token.lower() + "n":
            return token  # noun read as a verb stem: Futter -> futtern
        if lemma == token and token.endswith("s") and _NAME_GENITIVE.match(token) and self._is_genitive(token):
            return token[:-1]  # genitive of a name: Putins -> Putin, Russlands -> Russland
        if "iess" in lemma and "iess" not in token:
            return lemma.replace("iess", "ieß")  # Swiss spelling: beschoss -> beschießen
        return self._unknown_form(token) if lemma == token else lemma

    @staticmethod
    def _unknown_form(token: str) -> str:
        """Participles and inflected adjectives that simplemma returns unchanged."""
        if token[:1].isupper() and token[1:].islower() and token.endswith(_ADJ_ENDING_TUPLE):
            lower = token.lower()  # a lemma plus an adjective ending, or simplemma is not asked again
            lowered = _SIMPLEMMA.lemmatize(lower, "de")
            if lowered.islower() and lower.startswith(lowered) and lower[len(lowered):] in _ADJ_ENDINGS:
                return lowered  # sentence-initial adjective: Humanitäre -> humanitär (not Grenze -> grenzen)
        if token.islower() and _PARTICIPLE_T.match(token):
            infinitive = token[:-1] + "en"
            if is_known(infinitive, "de"):
                return infinitive  # bombardiert -> bombardieren
        if is_known(token, "de"):
            return token  # a known form that is its own lemma: darstellen, verteidigen
        lower = token.lower()
        adjective = _ADJECTIVE.match(lower) if lower.endswith(_ADJ_ENDING_TUPLE) else None
        return adjective["stem"] if adjective else token  # völkerrechtswidrigen -> völkerrechtswidrig

    @staticmethod
    def _is_genitive(token: str) -> bool:
        """Unknown word in -s, or a known one whose stem is its own lemma (Russlands)."""
        stem = token[:-1]
        if token.endswith(("as", "us", "os", "is")):  # Thomas, Andreas, Markus end in s themselves
            return not is_known(token, "de") and is_known(stem, "de")
        if not is_known(token, "de"):
            return True
        return len(stem) >= 5 and is_known(stem, "de") and _SIMPLEMMA.lemmatize(stem, "de") == stem


def german_lemma(token: str, lemmatize, *, merge_gender: bool = True, merge_feminine: bool = True) -> str:
    """``lemmatize`` (any ``str -> str`` lemmatiser of German words) with the kit's German forms:
    compounds by their last part, gender-inclusive and (``merge_feminine``) feminine person nouns
    by their base (``merge_gender=False`` keeps the inclusive marker: ``Soldat*in``).

    >>> german_lemma("Soldat*innen", str.lower), german_lemma("Soldat*innen", str.lower, merge_gender=False)
    ('soldat', 'soldat*in')
    """
    if "-" in token or "\u2010" in token or "\u2011" in token:
        parts = _HYPHEN.split(token)
        if all(parts):
            last = german_lemma(parts[-1], lemmatize, merge_gender=merge_gender, merge_feminine=merge_feminine)
            return "-".join(parts[:-1] + [last])
    inclusive = _INCLUSIVE.match(token) if token.endswith(_INCLUSIVE_ENDS) else None
    if inclusive and is_known(inclusive["base"], "de"):
        base = lemmatize(inclusive["base"])
        marker = token[len(inclusive["base"]):].removesuffix("nen")
        return base if merge_gender else base + marker
    lemma = lemmatize(token)
    if merge_feminine and lemma.endswith(_FEMININE_ENDS) and lemma[:1].isupper():
        feminine = _FEMININE.match(lemma)
        if feminine and is_known(feminine["base"], "de"):
            return feminine["base"]
    return lemma


class HanTaLemmatizer:
    """Lemmatise with the Hannover Tagger (HanTa) one token at a time (benchmark comparison).

    HanTa is an optional dependency: ``pip install 'framing-kit[bench]'``.
    """

    name = "hanta"

    def __init__(self, lang: str = "de", *, merge_gender: bool = True, merge_feminine: bool = True):
        HanoverTagger = import_extra("HanTa.HanoverTagger", "bench", "The HanTa lemmatiser")
        model = {"de": "morphmodel_ger.pgz", "en": "morphmodel_en.pgz"}[lang]
        self.lang = lang
        self.merge_gender = merge_gender
        self.merge_feminine = merge_feminine
        self._tagger = HanoverTagger.HanoverTagger(model)

    def __call__(self, token: str) -> str:
        if self.lang == "de":
            return german_lemma(token, self._lemma, merge_gender=self.merge_gender,
                                merge_feminine=self.merge_feminine)
        return self._lemma(token)

    def _lemma(self, token: str) -> str:
        return self._tagger.analyze(token)[0]


def make_lemmatizer(name: str, lang: str):
    """``"simplemma"`` (default) or ``"hanta"``."""
    if name == "simplemma":
        return SimplemmaLemmatizer(lang)
    if name == "hanta":
        return HanTaLemmatizer(lang)
    raise ValueError(f"unknown lemmatizer {name!r}; choose 'simplemma' or 'hanta'.")


def check_lemmatizer(name) -> str:
    if name not in LEMMATIZERS:
        raise ValueError(f"lemmatizer must be one of {list(LEMMATIZERS)}, not {name!r}.")
    return name


@lru_cache(maxsize=16)
def lemmatizer(name: str, lang: str, merge_gender: bool = True):
    """The kit's lemmatiser ``name`` for ``lang`` (one instance per setting)."""
    made = make_lemmatizer(check_lemmatizer(name), check_lang(lang))
    made.merge_gender = made.merge_feminine = merge_gender
    return made


LEMMA_CACHE_SIZE = 500_000  # distinct (token, language, lemmatiser, merge_gender) lemmas kept


@lru_cache(maxsize=LEMMA_CACHE_SIZE)
def _cached_lemma(token: str, lang: str, name: str, merge_gender: bool) -> str:
    return lemmatizer(name, lang, merge_gender)(token)


def lemma(token: str, lang: str, name: str = "simplemma", merge_gender: bool = True) -> str:
    """``token``'s lemma (case as the lemmatiser gives it): the one lemma cache of the kit.

    Every call form (``lemma(t, "de")``, ``lemma(t, "de", "simplemma", True)``) shares one entry.
    """
    return _cached_lemma(token, lang, name, bool(merge_gender))


lemma.cache_info = _cached_lemma.cache_info  # as functools.lru_cache offers them
lemma.cache_clear = _cached_lemma.cache_clear
