"""When a report section fails: its error box on the page, and the errors that stop the whole run.

A stage that raises does not take the page down: its section becomes an error box — what
failed, the message, how to work around it (naming the command-line options that help) and
the traceback, folded — and the other sections are written. A failed section is never
cached, so the next run tries it again. Errors that mean nothing more can be written — a
full disk, a read-only or forbidden output folder — stop the run instead
(:func:`cannot_write`); the stages finished before stay cached in ``<out>/.stages``.

>>> box = failed_section("topics", "Topics", ValueError("NMF did not converge")).html()
>>> "ValueError: NMF did not converge" in box, "--topics 4" in box
(True, True)
>>> import errno
>>> cannot_write(OSError(errno.ENOSPC, "No space left on device")), cannot_write(ValueError("x"))
(True, False)
"""

from __future__ import annotations

import errno
import html
import traceback

from analysis.report.writer import Section

# errors of the output folder: no space, no permission, read-only, not a folder
OUTPUT_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EACCES, errno.EPERM,
                           errno.ENOTDIR, errno.EEXIST})
WORKAROUNDS = {
    "load_report": "name the input columns yourself (--text-col, --id-col, --date-col, --outlet-col, --title-col).",
    "overview": "group by another column or by none (--by none); name the date column (--date-col).",
    "top_lemmas": "set the language (--lang de or --lang en), or group by none (--by none).",
    "topics": "set the number of topics yourself (e.g. --topics 4) instead of choosing it (--topics auto).",
    "document_sentiment": "set the language (--lang de or --lang en), or group by none (--by none).",
    "actor_sentiment": "set the language (--lang de or --lang en), or group by none (--by none).",
    "frames": "use a bundled dictionary (--dictionary conflict or --dictionary generic), or check your dictionary file.",
    "keyness": "group by another column or by none (--by none: keyness then compares before and after the invasion).",
    "kwic": "group by none (--by none); this section reads the actors found by the stance section.",
    "validation": "group by none (--by none) for an unstratified coding sheet, or set --topics yourself.",
}
GENERIC = ("run the same command again with --jobs 1 --no-resume; if it fails again, report this error with the "
           "command you ran.")
OUT_OF_MEMORY = "keep the texts on disk (--large) and use one process (--jobs 1)."


def cannot_write(error: BaseException) -> bool:
    """Whether ``error`` means the report's files cannot be written (full disk, quota, read-only
    file system, no permission, ``--out`` not a folder): such an error ends the run."""
    return output_errno(error) is not None


def output_errno(error: BaseException) -> int | None:
    """The ``errno`` of an error writing the output (one of :data:`OUTPUT_ERRNOS`), else None."""
    code = error.errno if isinstance(error, OSError) else None
    return code if code in OUTPUT_ERRNOS else None


def describe(error: BaseException) -> str:
    """``Type: message`` of an error, in one line."""
    text = str(error.args[0]) if isinstance(error, KeyError) and len(error.args) == 1 else str(error)  # unquoted
    message = " ".join(text.split())
    return f"{type(error).__name__}: {message}" if message else type(error).__name__


def failed_section(name: str, title: str, error: BaseException, *, after: list[str] | tuple = ()) -> Section:
    """The section of stage ``name`` (heading ``title``) that raised ``error``: an error box.
    ``after``: titles of the sections it needs that failed before it (the likely cause)."""
    hint = OUT_OF_MEMORY if isinstance(error, MemoryError) else WORKAROUNDS.get(name, GENERIC)
    otherwise = f" If that does not help: {GENERIC}" if hint != GENERIC else ""
    cause = (f" It reads the results of {', '.join(after)}, which failed above: fix that first."
             if after else "")
    trace = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    box = (f"<div class='failed'><p><strong>This section failed</strong> and shows no results; the sections that do "
           f"not build on it are complete.{html.escape(cause)}</p><p>Error: <code>{html.escape(describe(error))}</code></p>"
           f"<p>To work around it: {html.escape(hint)}{html.escape(otherwise)}</p>"
           f"<details><summary>Traceback</summary><pre>{html.escape(trace)}</pre></details></div>")
    return Section(name, title, [box], ["Failed: not cached, so the next run of the same command tries it again."])
