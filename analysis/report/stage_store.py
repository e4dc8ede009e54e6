"""A finished stage on disk as data: a signed JSON entry beside a folder of copied files.

A report folder travels between people, so nothing in it is trusted or executed. An entry
``<name>-<key>.json`` holds the format version, the stage's name and full key, its status,
its table names, its section (anchor, title, HTML parts, notes — field by field) and the
SHA-256 of every file it wrote, plus ``signature``: an HMAC-SHA256 of all that under a
secret kept outside any report folder (:func:`secret`). :func:`read_entry` reuses an entry
only when the JSON parses, the signature matches, the fields have the expected types, the
paths stay inside the report and every stored file has its recorded SHA-256; otherwise it
says why, and the stage is recomputed. An entry made by someone else (another user's
secret) is therefore recomputed too.

>>> import tempfile
>>> from analysis.report.writer import Section
>>> folder = Path(tempfile.mkdtemp())
>>> entry = folder / "count-abc.json"
>>> write_entry(entry, {"stage": "count", "key": "abc", "status": "computed", "tables": [],
...                     "files": {}, "section": section_to_json(Section("count", "Zählung"))})
>>> read_entry(entry, stage="count", key="abc")[0]["section"]["title"]
'Zählung'
>>> _ = entry.write_text(entry.read_text().replace("Zählung", "<script>"))
>>> read_entry(entry, stage="count", key="abc")
(None, 'its signature does not match (changed after it was written, or written by another user or machine)')
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import tempfile
from functools import lru_cache
from pathlib import Path, PurePosixPath

from analysis.reproducibility.hashing import file_sha256
from analysis.report.writer import Section
from analysis.user_cache import cache_folder

FORMAT = 3  # bump when an entry's layout changes (2 was a pickle: never read again)
_SECTION_FIELDS = {"anchor": str, "title": str, "parts": list, "notes": list}


def section_to_json(section: Section) -> dict:
    """A :class:`Section` as plain JSON data, field by field."""
    return {"anchor": section.anchor, "title": section.title, "parts": list(section.parts),
            "notes": list(section.notes)}


def section_from_json(data: dict) -> Section:
    """The :class:`Section` of :func:`section_to_json` (fields checked by :func:`read_entry`)."""
    return Section(data["anchor"], data["title"], list(data["parts"]), list(data["notes"]))


@lru_cache(maxsize=1)
def secret() -> bytes:
    """This user's key for signing stage entries: ``stage-cache.key`` in the kit's
    :func:`~analysis.user_cache.cache_folder` (``~/.cache/framing-kit``), made on first use with
    mode 0600. Where it cannot be kept, a key for this process only (entries are then not reused by
    a later run)."""
    folder = cache_folder()
    path = folder / "stage-cache.key"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            key = path.read_bytes()
        else:
            key = os.urandom(32)
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(key)
        if len(key) >= 32:
            return key
    except OSError:
        pass
    return os.urandom(32)


def _signature(body: dict) -> str:
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return hmac.new(secret(), canonical, hashlib.sha256).hexdigest()


def write_entry(path: Path, body: dict) -> None:
    """Store ``body`` (JSON data) signed at ``path``: temporary file + rename, so an interrupted
    write leaves no broken entry."""
    body = {"format": FORMAT, **body}
    text = json.dumps({**body, "signature": _signature(body)}, ensure_ascii=False, indent=1, sort_keys=True)
    handle = tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, prefix=f".{path.stem}-",
                                         suffix=".tmp", delete=False)
    try:
        with handle:
            handle.write(text)
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


def read_entry(path: Path, *, stage: str, key: str) -> tuple[dict | None, str | None]:
    """``(body, None)`` for a sound entry of ``stage`` under ``key`` whose files (in the folder
    ``path`` without ``.json``) all match their SHA-256; else ``(None, why)`` — ``why`` is None
    when there is no entry at all."""
    if not path.is_file():
        return None, None
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None, "it is not readable JSON"
    if not isinstance(body, dict) or not isinstance(body.get("signature"), str):
        return None, "it has no signature"
    claimed = body.pop("signature")
    if not hmac.compare_digest(claimed, _signature(body)):
        return None, ("its signature does not match (changed after it was written, or written by another user "
                      "or machine)")
    if (body.get("format"), body.get("stage"), body.get("key")) != (FORMAT, stage, key) or not _well_formed(body):
        return None, "it is not an entry of this stage and version"
    stored = path.with_suffix("")
    for relative, sha in body["files"].items():
        file = stored / relative
        if not file.is_file() or file_sha256(file) != sha:
            return None, f"its copy of {relative} is missing or does not match its SHA-256"
    return body, None


def _well_formed(body: dict) -> bool:
    section, files, tables = body.get("section"), body.get("files"), body.get("tables")
    return (isinstance(section, dict) and all(isinstance(section.get(f), t) for f, t in _SECTION_FIELDS.items())
            and all(isinstance(s, str) for s in [*section["parts"], *section["notes"]])
            and isinstance(tables, list) and all(isinstance(t, str) for t in tables)
            and isinstance(body.get("status"), str) and isinstance(files, dict)
            and all(isinstance(f, str) and isinstance(s, str) and inside(f) for f, s in files.items()))


def inside(relative: str) -> bool:
    """Whether ``relative`` names a file inside the report (no absolute path, no ``..``).

    >>> inside("tables/frames.csv"), inside("../.bashrc"), inside("/etc/passwd")
    (True, False, False)
    """
    path = PurePosixPath(relative)
    return bool(relative) and not path.is_absolute() and ".." not in path.parts and "\\" not in relative
