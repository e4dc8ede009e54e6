"""The ipywidgets form of an intrusion session: one item at a time, back/next, progress.

Every pick is recorded in the session at once (and saved to ``autosave`` if given), so
closing the notebook loses nothing that was saved. The widgets are attributes
(``choices``, ``back_button``, ``next_button`` …), so the form can also be driven from
code, e.g. in tests: ``form.choices.value = "krieg"; form.next_button.click()``.

The form is a view over a session and imports nothing from it: it reads the session's
public interface (``kind``, ``title``, ``items``, ``option_labels``, ``choice``, ``answer``,
``save`` …). The dependency runs one way, session -> form, for ``session.form()``.
"""

from __future__ import annotations

import html

_QUESTIONS = {"word": "Which word does not belong with the others?",
              "topic": "Which topic does <b>not</b> fit this document?"}


class IntrusionForm:
    """Widget form over an :class:`~analysis.validation.session.IntrusionSession`."""

    def __init__(self, session, *, autosave=None):
        import ipywidgets as widgets

        if autosave is not None and not (isinstance(session.coder, str) and session.coder.strip()):
            raise ValueError("name the coder before autosaving, e.g. session.coder = 'AB'.")
        self.session = session
        self.autosave = autosave
        self.position = session.next_unanswered() or 0
        self._updating = False
        self.header = widgets.HTML()
        self.prompt = widgets.HTML()
        self.choices = widgets.RadioButtons(options=[], layout=widgets.Layout(width="auto"))
        self.back_button = widgets.Button(description="◀ Back", layout=widgets.Layout(width="8em"))
        self.next_button = widgets.Button(description="Next ▶", layout=widgets.Layout(width="8em"))
        self.status = widgets.HTML()
        self.widget = widgets.VBox([self.header, self.prompt, self.choices,
                                    widgets.HBox([self.back_button, self.next_button]), self.status])
        self.choices.observe(self._on_choice, names="value")
        self.back_button.on_click(lambda _: self.show(self.position - 1))
        self.next_button.on_click(lambda _: self.show(self.position + 1))
        self.show(self.position)

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    def show(self, position: int) -> None:
        """Show item ``position`` (clamped to the first and last item)."""
        session = self.session
        self.position = min(max(position, 0), len(session) - 1)
        item = session.items[self.position]
        self._updating = True
        try:
            self.choices.options = list(zip(session.option_labels(item), item["options"]))
            self.choices.value = session.choice(self.position)
        finally:
            self._updating = False
        self.back_button.disabled = self.position == 0
        self.next_button.disabled = self.position == len(session) - 1
        document = ""
        if session.kind == "topic":
            text = html.escape(item["snippet"]).replace("\n", "<br>")
            document = (f'<div style="max-height:14em;overflow-y:auto;border-left:3px solid #999;'
                        f'padding:0.3em 0.8em;margin:0.4em 0">{text}</div>')
        self.prompt.value = f"{document}<p>{_QUESTIONS[session.kind]}</p>"
        self._refresh_header()

    def _refresh_header(self) -> None:
        session = self.session
        self.header.value = (f"<b>{html.escape(session.title)}</b> · coder: {html.escape(session.coder or '(not named)')}"
                             f" · item {self.position + 1} of {len(session)} · {session.n_answered} answered")
        if session.complete:
            self.status.value = ("<p>All items answered. Save with <code>session.save(path)</code> "
                                 "and score with <code>session.score()</code>.</p>")
        else:
            self.status.value = f"<p>saved to {html.escape(str(self.autosave))}</p>" if self.autosave else ""

    def _on_choice(self, change) -> None:
        if self._updating:
            return
        self.session.answer(self.position, change["new"])
        if self.autosave is not None:
            self.session.save(self.autosave)
        self._refresh_header()
