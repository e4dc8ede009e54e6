"""A coder's intrusion-test session: items, answers with timestamps, save and resume.

A session is what one coder sees and answers. It shows itself in a notebook as an HTML
summary with the items table, opens an ipywidgets form (:meth:`IntrusionSession.form`),
and offers a plain table (:meth:`IntrusionSession.table`) for viewers without widgets:
fill its ``answer`` column and read it back with :meth:`IntrusionSession.read_answers`.
"""

from __future__ import annotations

import html
import json
import numbers
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from analysis.validation.form import IntrusionForm
from analysis.validation.intrusion_scores import score_intrusion
from analysis.validation.spreadsheet import read_coders_csv

FORMAT = "framing-kit intrusion session"
KINDS = {"word": "Word intrusion", "topic": "Topic intrusion"}


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class IntrusionSession:
    """Items of a word- or topic-intrusion test and one coder's answers.

    ``kind`` is ``"word"`` or ``"topic"``; ``items`` are dicts with ``item`` (0-based
    position), ``options`` (as shown) and ``intruder``; ``answers`` maps an item's
    position to ``{"choice": option, "answered_at": UTC ISO time}``. ``model`` records
    the tested model (method, topics, corpus SHA-256, ``n_top``).
    """

    def __init__(self, kind: str, items: list[dict], *, coder: str | None = None, random_state=0,
                 model: dict | None = None, answers: dict | None = None, created: str | None = None):
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {list(KINDS)}, not {kind!r}.")
        self.kind = kind
        self.items = items
        self.coder = coder
        self.random_state = random_state
        self.model = dict(model or {})
        self.answers = {int(i): dict(a) for i, a in (answers or {}).items()}
        self.created = created or _now()

    def __len__(self) -> int:
        return len(self.items)

    def __repr__(self) -> str:
        return (f"IntrusionSession(kind={self.kind!r}, coder={self.coder!r}, "
                f"answered={self.n_answered}/{len(self)})")

    @property
    def title(self) -> str:
        """The test's name for headings: ``"Word intrusion"`` or ``"Topic intrusion"``."""
        return KINDS[self.kind]

    @property
    def n_answered(self) -> int:
        return len(self.answers)

    @property
    def complete(self) -> bool:
        return self.n_answered == len(self)

    def next_unanswered(self) -> int | None:
        """Position of the first item without an answer (``None`` when all are answered)."""
        return next((i for i in range(len(self)) if i not in self.answers), None)

    def answer(self, i: int, choice) -> None:
        """Record the coder's pick for item ``i``: an option as shown, or its 1-based number
        (``None`` clears the answer). Topic items also accept the topic's words."""
        item = self._item(i)
        i = item["item"]
        if choice is None:
            self.answers.pop(i, None)
            return
        self.answers[i] = {"choice": self._option(item, choice), "answered_at": _now()}

    def choice(self, i: int) -> str | None:
        """The recorded pick for item ``i`` (``None`` if unanswered)."""
        return self.answers.get(self._item(i)["item"], {}).get("choice")

    def _item(self, i) -> dict:
        if isinstance(i, bool) or not isinstance(i, numbers.Integral) or not 0 <= i < len(self):
            raise IndexError(f"no item {i!r}; items are numbered 0 to {len(self) - 1}.")
        return self.items[i]

    def _option(self, item: dict, choice) -> str:
        options, shown = item["options"], self.option_labels(item)
        text = " ".join(str(choice).split()).casefold()
        for option, label in zip(options, shown):
            if text in {option.casefold(), label.casefold(), label.split(": ", 1)[-1].casefold()}:
                return option
        number = _as_number(choice)
        if number is not None and 1 <= number <= len(options):
            return options[number - 1]
        raise ValueError(f"item {item['item']}: {choice!r} is not one of its options {shown}; "
                         f"give an option as shown or its number 1–{len(options)}.")

    def option_labels(self, item: dict) -> list[str]:
        """Options as a coder sees them: words, or ``"T3: krieg, soldat, …"`` for topics."""
        if self.kind == "word":
            return list(item["options"])
        return [f"{topic}: {terms}" for topic, terms in zip(item["options"], item["option_terms"])]

    def for_coder(self, coder: str) -> IntrusionSession:
        """The same items, unanswered, for another coder (for agreement across coders)."""
        return IntrusionSession(self.kind, [dict(item) for item in self.items], coder=coder,
                                random_state=self.random_state, model=self.model)

    # --- plain table: works in any notebook viewer and in a spreadsheet ---------------------
    def table(self) -> pd.DataFrame:
        """One row per item: ``item``, (``doc_id``, ``text`` for topic items), ``option_1`` …
        ``option_k`` as shown, and ``answer`` (the recorded pick or empty) for the coder to fill."""
        rows = []
        for item in self.items:
            row = {"item": item["item"]}
            if self.kind == "topic":
                row.update(doc_id=item["doc_id"], text=item["snippet"])
            row.update({f"option_{j}": label for j, label in enumerate(self.option_labels(item), start=1)})
            row["answer"] = self.answers.get(item["item"], {}).get("choice", "")
            rows.append(row)
        table = pd.DataFrame(rows)
        table["answer"] = table["answer"].astype(object)  # coders may type numbers
        return table

    def read_answers(self, table) -> IntrusionSession:
        """Record answers from a filled :meth:`table` (a DataFrame or a CSV/XLSX path).
        Empty answers are skipped; a bad answer raises an error naming its item."""
        if not isinstance(table, pd.DataFrame):
            path = Path(table)
            table = pd.read_excel(path, dtype=object) if path.suffix.lower() in (".xlsx", ".xlsm") else \
                read_coders_csv(path, dtype=object, encoding="utf-8-sig", sep=None, engine="python")
        missing = [c for c in ("item", "answer") if c not in table.columns]
        if missing:
            raise KeyError(f"the answers table has no column {missing[0]!r}; use session.table() as the template.")
        for item, value in zip(table["item"], table["answer"]):
            if pd.isna(value) or not str(value).strip():
                continue
            self.answer(int(float(item)), value)
        return self

    # --- scoring and presentation ---------------------------------------------------------------
    def score(self, *, ci: float = 0.95, n_boot: int = 1000, random_state=0):
        """:func:`~analysis.validation.intrusion_scores.score_intrusion` of this session alone."""
        return score_intrusion([self], ci=ci, n_boot=n_boot, random_state=random_state)

    def form(self, *, autosave=None):
        """An ipywidgets form showing one item at a time; each pick is recorded here (and
        written to ``autosave``, a JSON path, if given). Starts at the first unanswered item."""
        return IntrusionForm(self, autosave=autosave)

    def _repr_html_(self) -> str:
        model = self.model
        about = (f"{self.title} test · coder: {self.coder or '(not named)'} · "
                 f"{self.n_answered} of {len(self)} items answered · model: {model.get('method', '?')}, "
                 f"{model.get('n_topics', '?')} topics, {model.get('n_docs', '?')} documents")
        hint = ("Answer in a widget form with <code>session.form()</code>, or fill the "
                "<code>answer</code> column of <code>session.table()</code> and read it back with "
                "<code>session.read_answers(...)</code>.")
        return f"<p><b>{html.escape(about)}</b><br>{hint}</p>" + self.table().to_html(index=False)

    # --- files --------------------------------------------------------------------------------
    def to_dict(self) -> dict:
        return {"format": FORMAT, "version": 1, "kind": self.kind, "coder": self.coder,
                "random_state": self.random_state, "created": self.created, "saved": _now(),
                "model": self.model, "items": self.items,
                "answers": [{"item": i, **self.answers[i]} for i in sorted(self.answers)]}

    def save(self, path) -> Path:
        """Write the session as UTF-8 JSON (umlauts kept readable); returns the path."""
        if not (isinstance(self.coder, str) and self.coder.strip()):
            raise ValueError("name the coder before saving, e.g. session.coder = 'AB' (initials will do); "
                             "scores across coders need to tell the sessions apart.")
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(self.to_dict(), ensure_ascii=False, indent=1, default=_json_default)
        temporary = path.with_name(path.name + ".part")
        temporary.write_text(text + "\n", encoding="utf-8")
        temporary.replace(path)  # a crash mid-write never leaves a broken session file
        return path


def _as_number(value) -> int | None:
    """An option number typed as 2, 2.0 or "2" (spreadsheets turn one into the other)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return int(number) if number.is_integer() and not isinstance(value, bool) else None


def _json_default(value):
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    raise TypeError(f"cannot store {type(value).__name__} in a session file.")


def load_session(path) -> IntrusionSession:
    """Read a session written by :meth:`IntrusionSession.save` to resume or score it.

    >>> import tempfile, os
    >>> session = IntrusionSession("word", [{"item": 0, "topic": "T1", "options": ["krieg", "größe", "soldat"],
    ...                                      "intruder": "größe"}], coder="Zoë")
    >>> session.answer(0, "Größe ")
    >>> path = session.save(os.path.join(tempfile.mkdtemp(), "zoe.json"))
    >>> resumed = load_session(path)
    >>> resumed.coder, resumed.choice(0), resumed.next_unanswered()
    ('Zoë', 'größe', None)
    """
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FileNotFoundError(f"no session file at '{path}'.") from None
    except json.JSONDecodeError as error:
        raise ValueError(f"'{path}' is not a session file (invalid JSON: {error}).") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError(f"'{path}' is not a framing-kit intrusion session (no \"format\": \"{FORMAT}\").")
    answers = {int(a["item"]): {"choice": a["choice"], "answered_at": a.get("answered_at")} for a in data["answers"]}
    return IntrusionSession(data["kind"], data["items"], coder=data.get("coder"), random_state=data.get("random_state"),
                            model=data.get("model"), answers=answers, created=data.get("created"))
