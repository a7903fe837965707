"""The dashboard page: parameters, controls, first drawing, visitor's address, redraws.

See the package docstring (:mod:`dashboard`) for the notebook side.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

import ipywidgets as widgets
from IPython.display import display

from widgets.controls import ParameterControls

from . import kernel
from .address import Address, as_problem, read_address, sync_url
from .binding import Accept, Key, check_value, holds_pair, show_value
from .exceptions import ControlError, DashboardError, ParameterError
from .schema import Parameter, validate_parameters

log = logging.getLogger(__name__)

Draw = Callable[[dict[str, Any]], Any]
"""Parameter values → the view drawn (whatever the notebook wants tests to read)."""

_pages: list[Page] = []


def current_page() -> Page:
    """The last :class:`Page` this kernel created (what tests read after a run)."""
    if not _pages:
        raise DashboardError("Ce notebook n'a pas créé de page (dashboard.Page()).")
    return _pages[-1]


class Page:
    """One dashboard: create it in the cell after the parameters cell.

    Attributes
    ----------
    declared
        Name → :class:`~dashboard.schema.Parameter`, read from the parameters cell.
    values
        The parameters' values the notebook runs with (defaults, or papermill's).
    address
        The visitor's address once :meth:`show` has read it (values and problems).
    view
        What the draw function returned last; ``shown`` the values it drew.
    """

    def __init__(self) -> None:
        ns = kernel.namespace()
        self.declared: dict[str, Parameter] = kernel.notebook_parameters(ns)
        self.values: dict[str, Any] = validate_parameters(
            {name: ns[name] for name in self.declared}, self.declared
        )
        self.address = Address(self.declared, self.values)
        self.view: Any = None
        self.shown: dict[str, Any] | None = None
        self._controls: ParameterControls | None = None
        self._accept: dict[str, Accept] = {}
        self._draw: Draw | None = None
        # Displayed here, at the top of the page, so a refused address is read first.
        self._notice = widgets.VBox([self.address.notice])
        display(self._notice)  # type: ignore[no-untyped-call]
        _pages.append(self)

    def __getitem__(self, name: str) -> Any:
        return self.values[name]

    def controls(
        self,
        controls: Mapping[Key, widgets.Widget] | None = None,
        /,
        *,
        accept: Mapping[str, Accept] | None = None,
        **named: widgets.Widget,
    ) -> ParameterControls:
        """Bind one control per parameter (``foret=w.dropdown("Forêt", choices)``; a
        period: ``{("debut", "fin"): w.date_range(...)}``) and show the notebook's values.

        A drop-down's options are its parameter's choices, for the notebook's values as
        for the address. ``accept`` maps a parameter to a function turning its value into
        the control's (a name into an id), raising ``ValueError`` in French to refuse it.
        A value the controls cannot show stops the notebook with a French
        :class:`~dashboard.exceptions.ParameterError`.
        """
        bound: dict[Key, widgets.Widget] = dict(controls or {})
        bound.update(named)
        self._accept = dict(accept or {})
        for key in bound:
            for name in key if isinstance(key, tuple) else (key,):
                if name not in self.declared:
                    raise ControlError(
                        f"« {name} » n'est pas un paramètre de ce notebook "
                        f"(paramètres : {', '.join(self.declared) or 'aucun'})."
                    )
        self._controls = ParameterControls(bound)
        for name, control, index in self._parts():
            try:
                value = check_value(name, control, self.values[name], self._accept.get(name))
            except ValueError as exc:
                raise ParameterError(f"{as_problem(exc)}.", name=name) from None
            show_value(control, index, value)
        return self._controls

    def draw(self, draw: Draw) -> Any:
        """Draw the page now with the controls' values (a preheated kernel does it before
        anyone visits), and again with each change of the controls. Returns the view."""
        self._draw = draw
        return self._redraw(self._bound().values)

    def show(self, board: widgets.Widget) -> None:
        """Read the visitor's address (a preheated kernel waits here for them), apply what
        it changes, redraw only if something did, keep the address in step with the
        controls, and display ``board``.

        The address's values are set control by control, in the controls' order, with the
        notebook's callbacks (``controls.observe``) running: one that gives a drop-down
        the options of another's value (the lines of a mode) is registered before
        ``show``, and each value is checked against the options the previous ones left.
        """
        controls = self._bound()
        parts = {name: control for name, control, _ in self._parts()}
        choices = {name: self._checker(name, control) for name, control in parts.items()}
        fixed = {name: [self.values[name]] for name in self.declared if name not in parts}
        self.address = read_address(self.declared, self.values, {**fixed, **choices})
        self._notice.children = (self.address.notice,)
        # One control at a time, in their order, the notebook's own callbacks running: a
        # value is checked against the options the previous ones left (a mode's lines).
        self._apply(self.address)
        if controls.values != self.shown:
            self._redraw(controls.values)
        controls.observe(self._redraw)
        sync_url(controls, self.address)
        display(board)  # type: ignore[no-untyped-call]

    def _bound(self) -> ParameterControls:
        if self._controls is None:
            raise DashboardError("Déclarez les contrôles (page.controls(...)) avant de dessiner.")
        return self._controls

    def _parts(self) -> list[tuple[str, widgets.Widget, int | None]]:
        """(parameter, widget showing it, its item in the widget's pair or None): a
        period's pickers one by one, a point picker's latitude then longitude."""
        parts: list[tuple[str, widgets.Widget, int | None]] = []
        for key, control in self._bound().controls.items():
            if not isinstance(key, tuple):
                parts.append((key, control, None))
            elif holds_pair(control, len(key)):
                parts.extend((name, control, index) for index, name in enumerate(key))
            else:
                parts.extend(
                    (name, child, None) for name, child in zip(key, control.children, strict=True)
                )
        return parts

    def _checker(self, name: str, control: widgets.Widget) -> Callable[[Any], None]:
        def check(value: Any) -> None:
            check_value(name, control, value, self._accept.get(name))

        return check

    def _apply(self, address: Address) -> None:
        for name, control, index in self._parts():
            if name not in address.from_url:
                continue
            try:
                value = check_value(name, control, address.from_url[name], self._accept.get(name))
            except ValueError as exc:
                address.refuse(name, as_problem(exc))
            else:
                show_value(control, index, value)

    def _redraw(self, values: dict[str, Any]) -> Any:
        if self._draw is None:
            raise DashboardError("Donnez la fonction qui dessine la page (page.draw(...)).")
        self.view = self._draw(values)
        self.shown = dict(values)
        return self.view
