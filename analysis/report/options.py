"""The report's options as one value: built once from the keywords of ``build_report``/``run_report``
(or by the caller) and passed along, instead of a dozen keywords forwarded by hand.

>>> options = ReportOptions(by=None, topics=8)
>>> options.folder, options.user_params()["topics"]
(PosixPath('report'), 8)
>>> ReportOptions.from_arguments({"source": "x.csv", "period": "W", "stages": None}).period
'W'
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path

from analysis.report.events import check_events


@dataclass(frozen=True)
class ReportOptions:
    """What :func:`~analysis.report.build_report` takes besides the source; see its docstring
    for each option. ``out`` is the report folder."""

    out: str | os.PathLike = "report"
    by: str | None = "outlet"
    period: str = "M"
    lang: str | None = None
    columns: dict | None = None
    topics: str | int = "auto"
    dictionary: str | os.PathLike | dict = "conflict"
    n_jobs: int = 1
    random_state: int = 0
    progress: bool = True
    resume: bool = True
    large: bool | None = None
    keep_boilerplate: bool = False
    events: Mapping | tuple | list | None = None
    codes: str | os.PathLike | None = None
    variable: str | None = None

    @classmethod
    def from_arguments(cls, arguments: Mapping) -> ReportOptions:
        """The options among a call's arguments, e.g. ``locals()`` at the start of ``run_report``
        (names that are not options, such as ``source`` or ``stages``, are left out)."""
        return cls(**{f.name: arguments[f.name] for f in fields(cls) if f.name in arguments})

    @property
    def folder(self) -> Path:
        return Path(self.out)

    def user_params(self) -> dict:
        """The options as the user gave them, as recorded in the run manifest (``columns``: only the roles
        given; the manifest records every resolved column separately)."""
        given = {role: column for role, column in (self.columns or {}).items() if column is not None}
        return {"by": self.by, "period": self.period, "lang": self.lang, "columns": given or None,
                "topics": self.topics, "dictionary": str(self.dictionary), "n_jobs": self.n_jobs,
                "random_state": self.random_state, "keep_boilerplate": self.keep_boilerplate,
                "events": None if self.events is None else [f"{e.date}={e.label}" for e in check_events(self.events)],
                **({} if self.codes is None else {"codes": str(self.codes), "variable": self.variable})}
