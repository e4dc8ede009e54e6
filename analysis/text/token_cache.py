"""Parquet caches of preprocessed tokens (or lemmas), so reruns skip preprocessing.

A document's tokens are stored under the SHA-256 of its text, in a folder named by
:func:`preprocessor_key` — the :class:`~analysis.text.preprocessor.Preprocessor`'s
parameters plus the versions of everything that shapes its output (the kit's text code,
bundled stopword and abbreviation lists, the lemmatiser package)::

    <cache_dir>/<preprocessor key>/params.json          the parameters, for people
    <cache_dir>/<preprocessor key>/<batch sha>.parquet  text_sha256, doc_id, tokens

Each Parquet file holds one batch of processed documents: ``text_sha256`` (str, the
key), ``doc_id`` (str, the first document with this text, for people) and ``tokens``
(list of str). A rerun reads only the files holding its texts; a corpus of which some
documents changed re-processes only those; other parameters use another folder. For a
``Preprocessor(lang="auto")`` the key is the SHA-256 of the document's language and text,
so the same text read in two languages is two entries.

>>> import pandas as pd, tempfile
>>> from analysis.text import Preprocessor
>>> corpus = pd.DataFrame({"doc_id": ["a", "b"], "text": ["Soldaten in Kursk.", "Waffenruhe gefordert."]})
>>> folder = tempfile.mkdtemp()
>>> tokens = cached_tokens(corpus, Preprocessor(lang="de"), cache_dir=folder, progress=False)
>>> tokens.tolist(), tokens.attrs["token_cache"]["processed"]
([['soldat', 'kursk'], ['waffenruhe', 'fordern']], 2)
>>> cached_tokens(corpus, Preprocessor(lang="de"), cache_dir=folder).attrs["token_cache"]["processed"]
0
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.reproducibility.hashing import file_sha256, params_sha256, text_sha256
from analysis.text.preprocessor import AUTO, Preprocessor
from analysis.corpus.schema import require_columns

_FILE_ROWS = 50_000  # documents per cache file
_TEXT_CODE = Path(__file__).resolve().parent
_RESOURCES = Path(__file__).resolve().parents[1] / "resources"


def cached_tokens(corpus: pd.DataFrame, preprocessor: Preprocessor, *, cache_dir, text_col: str = "text",
                  progress: bool | None = None, n_jobs: int = 1) -> pd.Series:
    """``preprocessor``'s tokens of every document, read from ``cache_dir`` where possible.

    Returns a Series aligned with ``corpus`` (same index), named ``tokens``, one list of
    str per document — equal to :func:`~analysis.text.preprocessor.corpus_tokens` (each document in
    the language of its ``lang`` column when the preprocessor's is ``"auto"``). Texts
    not yet cached are processed (``n_jobs`` worker processes) and added to the cache.
    ``result.attrs["token_cache"]``: ``documents``, ``cached`` (served from the cache),
    ``processed`` (distinct texts processed now), ``path`` (the cache folder).
    """
    require_columns(corpus, text_col)
    cache = TokenCache(cache_dir, preprocessor)
    doc_ids = corpus["doc_id"].tolist() if "doc_id" in corpus.columns else None
    langs = corpus["lang"].tolist() if "lang" in corpus.columns else None
    tokens = cache.tokens(corpus[text_col], doc_ids=doc_ids, langs=langs, progress=progress, n_jobs=n_jobs)
    result = pd.Series(tokens, index=corpus.index, name="tokens", dtype=object)
    result.attrs["token_cache"] = {**cache.stats, "path": str(cache.path)}
    return result


class TokenCache:
    """The token cache of one preprocessor in ``cache_dir``; call :meth:`tokens` per chunk.

    Keeps a compact index of the cached texts (8 bytes of each text's hash plus a file
    number), built on first use, so a corpus streamed chunk by chunk reads only the cache
    files holding each chunk's texts. ``stats`` describes the last :meth:`tokens` call.
    """

    def __init__(self, cache_dir, preprocessor: Preprocessor):
        if not isinstance(preprocessor, Preprocessor):
            raise TypeError(f"TokenCache needs an analysis.text.Preprocessor, not {type(preprocessor).__name__}.")
        self.preprocessor = preprocessor
        self.key = preprocessor_key(preprocessor)
        self.path = Path(cache_dir).expanduser() / self.key
        self.stats = {"documents": 0, "cached": 0, "processed": 0}
        self._files: list[Path] | None = None
        self._prefixes = np.empty(0, dtype=np.uint64)
        self._file_ids = np.empty(0, dtype=np.int64)

    def tokens(self, texts: Iterable[str], *, doc_ids=None, langs=None, progress: bool | None = None,
               n_jobs: int = 1) -> list[list[str]]:
        """Tokens of each text, in order; uncached texts are processed and stored. ``langs``: each
        text's language, read by a ``Preprocessor(lang="auto")`` (missing values detected)."""
        texts = list(texts)
        bad = next((i for i, t in enumerate(texts) if not isinstance(t, str)), None)
        if bad is not None:
            raise TypeError(f"text {bad} is {type(texts[bad]).__name__}, not str; load the corpus with "
                            "load_corpus, which rejects missing texts.")
        keys, langs = self._keys(texts, langs)
        found = self._lookup(set(keys))
        todo: dict[str, int] = {}
        for i, key in enumerate(keys):
            if key not in found and key not in todo:
                todo[key] = i
        if todo:
            rows = list(todo.values())
            processed = self.preprocessor.process_many([texts[i] for i in rows], langs=[langs[i] for i in rows],
                                                       progress=progress, n_jobs=n_jobs)
            ids = [None if doc_ids is None else str(doc_ids[i]) for i in rows]
            self._store(list(todo), ids, processed)
            found.update(zip(todo, processed))
        self.stats = {"documents": len(texts), "cached": sum(k not in todo for k in keys), "processed": len(todo)}
        return [list(found[key]) for key in keys]

    def _keys(self, texts: list[str], langs) -> tuple[list[str], list[str]]:
        """Each text's cache key and the language it is read in."""
        pre = self.preprocessor
        langs = [None] * len(texts) if langs is None else list(langs)
        if len(langs) != len(texts):
            raise ValueError(f"langs has {len(langs)} values for {len(texts)} texts; pass one language per text.")
        langs = [pre.language_of(t, lang) for t, lang in zip(texts, langs)]
        if pre.lang != AUTO:
            return [text_sha256(t) for t in texts], langs
        return [text_sha256(f"{lang}\n{t}") for t, lang in zip(texts, langs)], langs

    def _index(self) -> None:
        import pyarrow.parquet as pq

        self._files = sorted(self.path.glob("*.parquet")) if self.path.is_dir() else []
        for number, file in enumerate(self._files):
            keys = pq.read_table(file, columns=["text_sha256"]).column(0).to_pylist()
            self._add(keys, number)

    def _add(self, keys: list[str], file_number: int) -> None:
        prefixes = np.array([int(k[:16], 16) for k in keys], dtype=np.uint64)
        prefixes = np.concatenate([self._prefixes, prefixes])
        file_ids = np.concatenate([self._file_ids, np.full(len(keys), file_number)])
        order = np.argsort(prefixes, kind="stable")
        self._prefixes, self._file_ids = prefixes[order], file_ids[order]

    def _lookup(self, keys: set[str]) -> dict[str, list[str]]:
        """Cached tokens of those ``keys`` that are in the cache."""
        import pyarrow.parquet as pq

        if self._files is None:
            self._index()
        if not len(self._prefixes) or not keys:
            return {}
        keys = sorted(keys)
        prefixes = np.array([int(k[:16], 16) for k in keys], dtype=np.uint64)
        at = np.minimum(np.searchsorted(self._prefixes, prefixes), len(self._prefixes) - 1)
        by_file = defaultdict(list)
        for key, hit, file_id in zip(keys, self._prefixes[at] == prefixes, self._file_ids[at]):
            if hit:
                by_file[int(file_id)].append(key)
        found = {}
        for file_id, wanted in by_file.items():
            table = pq.read_table(self._files[file_id], columns=["text_sha256", "tokens"],
                                  filters=[("text_sha256", "in", wanted)])
            found.update(zip(table.column(0).to_pylist(), table.column(1).to_pylist()))
        return found

    def _store(self, keys: list[str], doc_ids: list, tokens: list[list[str]]) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        self.path.mkdir(parents=True, exist_ok=True)
        params = self.path / "params.json"
        if not params.exists():
            params.write_text(json.dumps(_params(self.preprocessor), indent=1, ensure_ascii=False), encoding="utf-8")
        for start in range(0, len(keys), _FILE_ROWS):
            part = slice(start, start + _FILE_ROWS)
            table = pa.table({"text_sha256": pa.array(keys[part], pa.string()),
                              "doc_id": pa.array(doc_ids[part], pa.string()),
                              "tokens": pa.array(tokens[part], pa.list_(pa.string()))})
            file = self.path / f"{text_sha256(''.join(sorted(keys[part])))}.parquet"
            temporary = file.with_name(f".{file.stem}.{os.getpid()}.tmp")
            pq.write_table(table, temporary)
            os.replace(temporary, file)  # readers never see half a file
            self._files.append(file)
            self._add(keys[part], len(self._files) - 1)


def preprocessor_key(preprocessor: Preprocessor) -> str:
    """SHA-256 naming a preprocessor's cache: its parameters and the code and data behind them.

    >>> preprocessor_key(Preprocessor(lang="de")) == preprocessor_key(Preprocessor(lang="de"))
    True
    >>> preprocessor_key(Preprocessor(lang="de")) == preprocessor_key(Preprocessor(lang="de", lemmatize=False))
    False
    """
    return params_sha256(_params(preprocessor))


def _params(preprocessor: Preprocessor) -> dict:
    params = {}
    for name, value in preprocessor.get_params().items():
        if not isinstance(value, (str, bool, int, float, type(None))):
            value = sorted(str(v) for v in value)  # word lists: order does not matter
        params[name] = value
    packages = ["simplemma"] + (["HanTa"] if preprocessor.lemmatizer == "hanta" else [])
    params["versions"] = {package: _version(package) for package in packages}
    params["code"] = _code_sha256()
    return params


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


@lru_cache(maxsize=1)
def _code_sha256() -> str:
    """Hash of the text-processing code and word lists that decide a preprocessor's output."""
    files = [*sorted(_TEXT_CODE.glob("*.py")), *sorted((_RESOURCES / "stopwords").glob("*.txt")),
             *sorted(_RESOURCES.glob("abbreviations_*.txt"))]
    return params_sha256({file.relative_to(_TEXT_CODE.parent).as_posix(): file_sha256(file) for file in files})
