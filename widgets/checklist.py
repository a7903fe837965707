"""Tick boxes for choosing several options, one parameter for all of them.

A :class:`Checklist` shows one tick box per option (easier on a phone than a multiple
selection list) and has a ``value`` trait: the ticked values, in the options' order.
In :class:`~widgets.controls.ParameterControls` that value becomes the parameter's
comma-separated text (``"arrets,bornes"``).
"""

from __future__ import annotations

import html
import logging
from collections.abc import Mapping, Sequence
from typing import Any

import ipywidgets as widgets
import traitlets

from .colors import swatch_html

log = logging.getLogger(__name__)


class Checklist(widgets.VBox):
    """A labelled group of tick boxes whose ``value`` is the tuple of ticked values.

    Parameters
    ----------
    label
        What is chosen (« Couches »), shown above the boxes.
    options
        (French label, value) pairs, in display order.
    value
        Values ticked at first; unknown values raise ``ValueError`` in French.
    colors
        Value → colour: a swatch before the label, so the list doubles as a legend.
    """

    value = traitlets.Tuple()

    def __init__(
        self,
        label: str,
        options: Sequence[tuple[str, Any]],
        value: Sequence[Any] = (),
        *,
        colors: Mapping[Any, str] | None = None,
    ) -> None:
        self.options = [tuple(o) for o in options]
        known = [v for _, v in self.options]
        unknown = [v for v in value if v not in known]
        if unknown:
            raise ValueError(
                f"« {', '.join(map(str, unknown))} » : choix impossible pour « {label} » "
                f"(choix possibles : {', '.join(f'« {v} »' for v in known)})."
            )
        colors = dict(colors or {})
        self.boxes = {
            v: widgets.Checkbox(
                value=v in value,
                description=_option_html(text, colors.get(v)),
                description_allow_html=True,
                indent=False,
                layout=widgets.Layout(width="auto", margin="0 1em 0 0"),
            )
            for text, v in self.options
        }
        self.title = widgets.HTML(f'<span class="rr-checklist-title">{html.escape(label)}</span>')
        row = widgets.HBox(
            list(self.boxes.values()), layout=widgets.Layout(flex_flow="row wrap", width="100%")
        )
        super().__init__([self.title, row], layout=widgets.Layout(width="100%"))
        self.add_class("rr-checklist")
        self._syncing = False
        self.value = self._ticked()
        for box in self.boxes.values():
            box.observe(self._box_changed, names="value")

    def _ticked(self) -> tuple:
        return tuple(v for v, box in self.boxes.items() if box.value)

    def _box_changed(self, _change: dict) -> None:
        if not self._syncing:
            self.value = self._ticked()

    @traitlets.validate("value")
    def _valid_value(self, proposal: dict) -> tuple:
        wanted = tuple(proposal["value"])
        unknown = [v for v in wanted if v not in self.boxes]
        if unknown:
            raise traitlets.TraitError(f"unknown options {unknown!r}")
        return tuple(v for v in self.boxes if v in wanted)

    @traitlets.observe("value")
    def _value_changed(self, change: dict) -> None:
        wanted = set(change["new"])
        self._syncing = True
        try:
            for v, box in self.boxes.items():
                box.value = v in wanted
        finally:
            self._syncing = False


def _option_html(text: str, color: str | None) -> str:
    return f"{swatch_html(color) if color else ''}{html.escape(text)}"


def checklist(
    label: str,
    options: Sequence[tuple[str, Any]],
    value: Sequence[Any] = (),
    *,
    colors: Mapping[Any, str] | None = None,
) -> Checklist:
    """Tick boxes for several choices (see :class:`Checklist`)."""
    return Checklist(label, options, value, colors=colors)
