"""The dashboard page: parameters, controls, first drawing, visitor's address, redraws.

See the package docstring (:mod:`dashboard`) for the notebook side.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

import ipywidgets as widgets
from IPython.display import display

from widgets.controls import ParameterControls, set_options

from . import kernel
from .address import Address, as_problem, read_address, sync_url
from .binding import (
    Accept,
    Key,
    Offer,
    check_value,
    holds_pair,
    label_of,
    named_parameters,
    options_of,
    reads_others,
    short_choice,
    show_value,
)
from .exceptions import ControlError, DashboardError, ParameterError
from .notices import ChoiceError, url_text
from .schema import Parameter, validate_parameters

log = logging.getLogger(__name__)

Draw = Callable[[dict[str, Any]], Any]
"""Parameter values → the view drawn (whatever the notebook wants tests to read)."""
Part = tuple[str, widgets.Widget, int | None]
"""A parameter, the widget showing it, its item in the widget's pair (or None)."""

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
        self._offer: dict[str, Offer] = {}
        self._reads: dict[str, tuple[str, ...]] = {}
        self._order: list[Part] = []
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
        options: Mapping[str, Offer] | None = None,
        **named: widgets.Widget,
    ) -> ParameterControls:
        """Bind one control per parameter (``foret=w.dropdown("Forêt", choices)``; a
        period: ``{("debut", "fin"): w.date_range(...)}``) and show the notebook's values.

        A drop-down's options are its parameter's choices, for the notebook's values as
        for the address. ``accept`` maps a parameter to a function turning its value into
        the control's (a name into an id), raising ``ValueError`` in French to refuse it;
        a function naming the parameter and others (``debut=lambda debut, fin: …``) gets
        their values too: it checks the parameters together or derives one from the others
        (an empty start from the end), after them. ``options`` maps a drop-down's parameter
        to a function of the parameters it names giving its options
        (``ligne=lambda mode: lines_of(mode)``): set now, checked against, and given again
        each time those change (the value falls back to the first option when it is not
        offered any more). A value the controls cannot show stops the notebook with a
        French :class:`~dashboard.exceptions.ParameterError`.
        """
        bound: dict[Key, widgets.Widget] = dict(controls or {})
        bound.update(named)
        self._accept = dict(accept or {})
        self._offer = dict(options or {})
        parts = _parts_of(bound)
        for name in [n for n, _, _ in parts] + list(self._accept) + list(self._offer):
            if name not in self.declared:
                raise ControlError(
                    f"« {name} » n'est pas un paramètre de ce notebook "
                    f"(paramètres : {', '.join(self.declared) or 'aucun'})."
                )
        self._reads = {name: self._reads_of(name, control) for name, control, _ in parts}
        self._order = _ordered(parts, self._reads)
        for key, control in bound.items():  # before ParameterControls: options first
            names = key if isinstance(key, tuple) else (key,)
            for name, dropdown, _ in parts:
                if name in self._offer and set(self._reads[name]) & set(names):
                    control.observe(self._follower(name, dropdown), names="value")
        follows = {  # a drop-down's options follow the parameters its function names
            name: [n for n in named_parameters(self._offer[name]) or () if n != name]
            for name, _, _ in parts
            if name in self._offer
        }
        self._controls = ParameterControls(bound, follows=follows)
        for name, control, index in self._order:
            try:
                value = self._check(name, control, self.values[name], self.values)
            except ValueError as exc:
                raise ParameterError(f"{as_problem(exc)}.", name=name) from None
            show_value(control, index, value)
        return self._controls

    def draw(self, draw: Draw) -> None:
        """Draw the page now with the controls' values (a preheated kernel does it before
        anyone visits), and again with each change of the controls. The view ``draw``
        returns is kept as ``page.view`` (tests read it); nothing is returned, so a cell
        ending with ``page.draw(...)`` shows nothing on the page."""
        self._draw = draw
        self._redraw(self._bound().values)

    def show(self, board: widgets.Widget) -> None:
        """Read the visitor's address (a preheated kernel waits here for them), apply what
        it changes, redraw only if something did, keep the address in step with the
        controls, and display ``board``.

        The address's values are set control by control, in the controls' order (each
        after the parameters it is checked with: a line after its mode, a start after its
        end), with the notebook's callbacks (``controls.observe``) running, and each value
        is checked against the options the previous ones left. A value checked with others
        is checked again with the address's values even when it does not come from the
        address (a start derived from the address's end).
        """
        controls = self._bound()
        parts = {name: control for name, control, _ in self._parts()}
        # Values checked with others (a place and its type, a start and its end) are
        # checked once the others are known (_apply); the rest at once, on their own.
        choices = {
            name: self._checker(name, control)
            for name, control in parts.items()
            if not self._reads[name]
        }
        fixed = {name: [self.values[name]] for name in self.declared if name not in parts}
        self.address = read_address(self.declared, self.values, {**fixed, **choices})
        self._notice.children = (self.address.notice,)
        # One control at a time, the notebook's own callbacks running: a value is checked
        # against the options the previous ones left (a mode's lines).
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

    def _parts(self) -> list[Part]:
        return _parts_of(self._bound().controls)

    def _reads_of(self, name: str, control: widgets.Widget) -> tuple[str, ...]:
        """The other parameters ``name``'s value is checked with (its accept function's
        and its options function's)."""
        reads = (
            reads_others(name, self._accept[name], self.declared) if name in self._accept else ()
        )
        if name in self._offer:
            names = named_parameters(self._offer[name])
            unknown = sorted(set(names or ("*",)) - set(self.declared))
            if unknown or options_of(control) is None:
                raise ControlError(
                    f"Les choix de « {name} » se calculent à partir de paramètres du notebook, "
                    "nommés par la fonction (options={"
                    f'"{name}": lambda mode: ...}}) et pour une liste déroulante'
                    + (f" : {', '.join(unknown)} n'en est pas un." if unknown else ".")
                )
            reads += tuple(n for n in names or () if n not in reads and n != name)
        return reads

    def _offered(self, name: str, values: Mapping[str, Any]) -> list[tuple[str, Any]]:
        """(label, value) of the options of ``name`` for ``values`` of what it reads."""
        offer = self._offer[name]
        given = named_parameters(offer) or ()
        return [
            (str(o[0]), o[1]) if isinstance(o, tuple | list) else (str(o), o)
            for o in offer(**{n: values[n] for n in given})
        ]

    def _follower(self, name: str, control: widgets.Widget) -> Callable[[Any], None]:
        """The observer giving ``name``'s drop-down the options of what it reads."""

        def follow(_change: Any) -> None:
            if self._controls is None:
                return
            values = {**dict(self.address), **self._controls.values}
            with self._controls.hold(notify=False):
                set_options(control, self._offered(name, values))

        return follow

    def _check(
        self,
        name: str,
        control: widgets.Widget,
        value: Any,
        values: Mapping[str, Any],
        *,
        visitor: bool = False,
    ) -> Any:
        """The control value showing ``value`` of ``name``, the other parameters having
        ``values``; ``ValueError`` (French) if refused. A refusal that depends on other
        parameters says so, in the address's words for a ``visitor``."""
        accept = self._accept.get(name)
        others = reads_others(name, accept, self.declared) if accept is not None else ()
        if accept is not None and others:
            accept = partial(_accept_with, accept, name, {n: values[n] for n in others})
        if name not in self._offer:
            return check_value(name, control, value, accept)
        offered = self._offered(name, values)
        with self._bound().hold(notify=False):
            set_options(control, offered)
        converted = accept(value) if accept is not None else value
        if converted not in [v for _, v in offered]:
            given = named_parameters(self._offer[name]) or ()
            when = " et ".join(
                f"« {n if visitor else self._label(n)} » vaut « {url_text(values[n])} »"
                for n in given
            )
            subject = f"« {name if visitor else label_of(control, name)} »"
            raise ChoiceError(
                value,
                f"{subject} quand {when}" if when else subject,
                [short_choice(label, v) for label, v in offered],
            )
        return check_value(name, control, converted, None)

    def _label(self, name: str) -> str:
        for part, control, _ in self._parts():
            if part == name:
                return label_of(control, name)
        return name

    def _checker(self, name: str, control: widgets.Widget) -> Callable[[Any], None]:
        def check(value: Any) -> None:
            check_value(name, control, value, self._accept.get(name))

        return check

    def _apply(self, address: Address, reset: frozenset[str] = frozenset()) -> None:
        """Show the address's values, in the order the checks need (what a value is
        checked with first); a value checked with others is checked again whenever it
        comes from the address or they may have changed. ``reset``: parameters whose
        address value was refused after it was shown, shown again with their default."""
        for name, control, index in self._order:
            reads = self._reads[name]
            if name not in address.from_url and not reads and name not in reset:
                continue
            try:
                value = self._check(name, control, address[name], address, visitor=True)
            except ValueError as exc:
                if name in address.from_url:
                    address.refuse(name, as_problem(exc))
                    if not reads and name not in reset:
                        continue  # the control keeps the value it has
                    try:
                        value = self._check(name, control, address[name], address, visitor=True)
                    except ValueError:
                        pass
                    else:
                        show_value(control, index, value)
                        continue
                if name in self._offer:  # not offered any more: the first option, as a
                    value = self._offered(name, address)[0][1]  # visitor's change gives
                    show_value(control, index, value)
                    continue
                # The notebook's value does not go with the address's: refuse those.
                refused = [n for n in reads if n in address.from_url]
                if not refused:
                    raise DashboardError(
                        f"« {name} » ne se vérifie pas avec les valeurs du notebook."
                    ) from exc
                for other in refused:
                    address.refuse(other, as_problem(exc) if other == refused[0] else None)
                self._apply(address, reset | set(refused))
                return
            show_value(control, index, value)

    def _redraw(self, values: dict[str, Any]) -> Any:
        if self._draw is None:
            raise DashboardError("Donnez la fonction qui dessine la page (page.draw(...)).")
        self.view = self._draw(values)
        self.shown = dict(values)
        return self.view


def _accept_with(accept: Accept, name: str, others: dict[str, Any], value: Any) -> Any:
    """Call an accept function that names other parameters with their values too."""
    return accept(**{name: value, **others})


def _parts_of(bound: Mapping[Key, widgets.Widget]) -> list[Part]:
    """(parameter, widget showing it, its item in the widget's pair or None): a
    period's pickers one by one, a point picker's latitude then longitude."""
    parts: list[Part] = []
    for key, control in bound.items():
        if not isinstance(key, tuple):
            parts.append((key, control, None))
        elif holds_pair(control, len(key)):
            parts.extend((name, control, index) for index, name in enumerate(key))
        else:
            parts.extend(
                (name, child, None) for name, child in zip(key, control.children, strict=True)
            )
    return parts


def _ordered(parts: list[Part], reads: Mapping[str, tuple[str, ...]]) -> list[Part]:
    """``parts`` in their order, each after the parts it is checked with."""
    by_name = {part[0]: part for part in parts}
    ordered: list[Part] = []
    visiting: list[str] = []

    def visit(name: str) -> None:
        if by_name[name] in ordered:
            return
        if name in visiting:
            cycle = " → ".join([*visiting[visiting.index(name) :], name])
            raise ControlError(f"Les paramètres se vérifient les uns avec les autres : {cycle}.")
        visiting.append(name)
        for other in reads[name]:
            if other in by_name:
                visit(other)
        visiting.pop()
        ordered.append(by_name[name])

    for name in by_name:
        visit(name)
    return ordered
