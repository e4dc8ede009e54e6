"""The ipywidgets view of a :class:`~analysis.coding.form.CodingForm`: one unit at a time.

A button row (``ToggleButtons``) per variable, back/next buttons, and a shortcut box: with
the cursor in it, ``1``–``9`` picks that code of the highlighted variable (then the next
variable is highlighted, and after the last one the next unit is shown), ``0`` clears it,
``n`` or ``.`` shows the next unit, ``b`` or ``,`` the previous one. Every pick goes through
:meth:`CodingForm.answer`, so it is saved at once. The widgets are attributes
(``choices[variable]``, ``keys``, ``back_button``, ``next_button``), so the form can be driven
from code, e.g. in tests: ``widget.keys.value = "1"``.
"""

from __future__ import annotations

import html

NEXT_KEYS, BACK_KEYS, CLEAR_KEY = ("n", "."), ("b", ","), "0"


class CodingWidget:
    """Widget form over a coding form (see the module docstring); ``widget`` is the VBox to show."""

    def __init__(self, form):
        import ipywidgets as widgets

        self.coding = form
        self.active = 0  # the variable the number keys code
        self._updating = False
        self.header = widgets.HTML()
        self.text = widgets.HTML()
        self.choices = {name: widgets.ToggleButtons(options=codes, value=None, description=name,
                                                    tooltips=[f"key {i}" for i in range(1, len(codes) + 1)],
                                                    style={"description_width": "initial"})
                        for name, codes in form.variables.items()}
        self.keys = widgets.Text(placeholder="click here, then type 1–9 to code, n next, b back, 0 clear",
                                 continuous_update=True, layout=widgets.Layout(width="32em"))
        self.back_button = widgets.Button(description="◀ Back", layout=widgets.Layout(width="8em"))
        self.next_button = widgets.Button(description="Next ▶", layout=widgets.Layout(width="8em"))
        self.status = widgets.HTML()
        self.widget = widgets.VBox([self.header, self.text, *self.choices.values(),
                                    widgets.HBox([self.back_button, self.next_button, self.keys]), self.status])
        for name, toggle in self.choices.items():
            toggle.observe(lambda change, name=name: self._on_choice(name, change["new"]), names="value")
        self.keys.observe(self._on_keys, names="value")
        self.back_button.on_click(lambda _: self.show(self.coding.position - 1))
        self.next_button.on_click(lambda _: self.show(self.coding.position + 1))
        self.show(form.position)

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    def show(self, position: int) -> None:
        """Show unit ``position`` (clamped to the first and last unit)."""
        form = self.coding
        form.position = min(max(position, 0), len(form) - 1)
        self._updating = True
        try:
            for name, toggle in self.choices.items():
                toggle.value = form.code(form.position, name)
        finally:
            self._updating = False
        self.active = 0
        text = html.escape(form.units["text"].iloc[form.position]).replace("\n", "<br>")
        self.text.value = (f'<div style="max-height:16em;overflow-y:auto;border-left:3px solid #999;'
                           f'padding:0.3em 0.8em;margin:0.4em 0">{text}</div>')
        self.back_button.disabled = form.position == 0
        self.next_button.disabled = form.position == len(form) - 1
        self._refresh()

    def _refresh(self) -> None:
        form = self.coding
        doc_id = html.escape(form.units["doc_id"].iloc[form.position])
        self.header.value = (f"<b>unit {form.position + 1} of {len(form)}</b> ({doc_id}) · {form.n_coded} coded · "
                             f"saved to {html.escape(str(form.path))}")
        for i, toggle in enumerate(self.choices.values()):
            toggle.button_style = "info" if i == self.active else ""
        done = form.next_uncoded() is None
        self.status.value = "<p>All units coded. Train with <code>train_coder(form.codes(), ...)</code>.</p>" \
            if done else ""

    def _on_choice(self, name: str, value) -> None:
        if self._updating:
            return
        self.coding.answer(self.coding.position, name, value)
        self._refresh()

    def _on_keys(self, change) -> None:
        typed = change["new"]
        if not typed:
            return
        self.keys.value = ""  # the box stays empty: each key acts once
        for key in typed.lower():
            self._key(key)

    def _key(self, key: str) -> None:
        names = list(self.choices)
        toggle = self.choices[names[self.active]]
        if key in NEXT_KEYS:
            self.show(self.coding.position + 1)
        elif key in BACK_KEYS:
            self.show(self.coding.position - 1)
        elif key == CLEAR_KEY:
            toggle.value = None
        elif key.isdigit() and 1 <= int(key) <= len(toggle.options):
            toggle.value = toggle.options[int(key) - 1]
            if self.active + 1 < len(names):
                self.active += 1
                self._refresh()
            elif self.coding.position + 1 < len(self.coding):
                self.show(self.coding.position + 1)
