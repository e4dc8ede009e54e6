"""simplemma's dictionaries, loaded in milliseconds: each language's word forms in a MARISA trie,
built once from simplemma's own data and kept in the kit's cache folder.

simplemma decodes a language's dictionary into a ``dict`` in every process that lemmatises:
for German 1.1 million forms, ~1 s and ~100 MB per process, paid by every notebook kernel,
report run and worker. The same forms in a trie (``marisa-trie``, the backend of simplemma's
own ``TrieDictionaryFactory``) load from the cache folder in milliseconds, take ~8 MB and look a
word up about as fast. The first use in a folder builds the file (a few seconds); it is written
under a name of its own and then renamed, so processes that start together never read half a
file. Where the folder cannot be written, simplemma's dictionary is decoded in memory, as
without this module.

The folder is the kit's :func:`~analysis.user_cache.cache_folder` (``$FRAMING_KIT_CACHE``, else
``~/.cache/framing-kit``); a file is named by simplemma's version and the language, so a new
simplemma builds its own.

>>> dictionary("de").get("Soldaten"), dictionary("de").get("Kriegsschauplatz") is None
('Soldat', False)
>>> is_known("Truppen", "de"), is_known("Xqzt", "de")
(True, False)
"""

from __future__ import annotations

import os
import tempfile
import unicodedata
from contextlib import suppress
from collections.abc import Iterator, Mapping
from functools import lru_cache
from pathlib import Path

import marisa_trie
import simplemma
from simplemma.strategies import DictionaryLookupStrategy
from simplemma.strategies.dictionaries import DefaultDictionaryFactory, DictionaryFactory

from analysis.user_cache import cache_folder

# simplemma's decoding, not kept: once a language's trie is made, its dict is garbage
_DECODED = DefaultDictionaryFactory(cache_max_size=0)


def trie_path(lang: str) -> Path:
    """The file that holds ``lang``'s trie."""
    return cache_folder() / f"simplemma-{simplemma.__version__}-{lang}.marisa"


class TrieDictionary(Mapping):
    """simplemma's word form -> lemma mapping of one language, read from a ``marisa_trie.BytesTrie``."""

    __slots__ = ("_trie",)

    def __init__(self, trie: marisa_trie.BytesTrie):
        self._trie = trie

    def get(self, form: str, default=None):
        lemmas = self._trie.get(form)
        return lemmas[0].decode() if lemmas else default

    def __getitem__(self, form: str) -> str:
        lemma = self.get(form)
        if lemma is None:
            raise KeyError(form)
        return lemma

    def __iter__(self) -> Iterator[str]:
        return iter(self._trie.keys())

    def __len__(self) -> int:
        return len(self._trie)


@lru_cache(maxsize=None)
def dictionary(lang: str) -> Mapping[str, str]:
    """``lang``'s dictionary: the cached trie, built and saved on first use (see the module docstring).
    An unsupported language raises simplemma's ValueError."""
    path = trie_path(lang)
    if path.is_file():
        try:
            return TrieDictionary(marisa_trie.BytesTrie().load(str(path)))
        except (OSError, RuntimeError, ValueError):
            pass  # unreadable or damaged: made again below
    forms = _DECODED.get_dictionary(lang)
    partial = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # a name of this write's own (a folder that cannot be written is found before the trie is built)
        descriptor, partial = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-", suffix=".partial")
        os.close(descriptor)
        trie = marisa_trie.BytesTrie((form, lemma.encode()) for form, lemma in forms.items())
        trie.save(partial)
        os.chmod(partial, 0o644)  # mkstemp's 0600 would hide a shared folder's trie from its other users
        os.replace(partial, path)
    except (OSError, RuntimeError):
        return forms  # no cache folder: simplemma's dictionary, decoded in this process
    finally:
        if partial is not None:
            with suppress(OSError):
                os.unlink(partial)
    return TrieDictionary(trie)


class CachedDictionaries(DictionaryFactory):
    """simplemma's ``DictionaryFactory`` protocol over :func:`dictionary`."""

    def get_dictionary(self, lang: str) -> Mapping[str, str]:
        return dictionary(lang)


DICTIONARIES = CachedDictionaries()
_LOOKUP = DictionaryLookupStrategy(DICTIONARIES)


def is_known(word: str, lang: str) -> bool:
    """``simplemma.is_known(word, lang=lang)``, read from :func:`dictionary`."""
    return _LOOKUP.get_lemma(unicodedata.normalize("NFC", word), lang) is not None
