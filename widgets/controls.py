"""Filter controls whose values are the notebook's parameters, name for name.

``ParameterControls({"mode": dropdown(...), "date": date_picker(...)})`` shows the
controls side by side (wrapping on narrow screens); ``.values`` is a dict of
parameter name → value in the parameter's own type (a date picker gives ISO text,
``""`` when empty), so a dashboard URL, a gallery variant and the controls all speak
the same language. ``.observe(callback)`` calls back with the new values dict;
``.observe(callback, settled=True)`` once a change and everything the callbacks changed
in turn (a drop-down whose options they replaced, see :func:`set_options`) are done.

Each control also says, in the widget state a page embeds, which parameter it shows: a
DOM class ``rr-param-<name>`` and the ``rr_parameters`` list of the controls' box (name,
control model, kind, and a choice's values as the address writes them). The gallery's
static page reads it to switch to a precomputed version without any kernel.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

import ipywidgets as widgets
import traitlets

log = logging.getLogger(__name__)

DESCRIPTION_WIDTH = "6.5em"
"""Label column width: long enough for « Ligne », « Jour type », short enough for 360 px."""
CONTROL_LAYOUT = {"width": "100%", "max_width": "24em", "min_width": "0"}

Options = Sequence[str] | Sequence[tuple[str, Any]]


def _style() -> dict[str, str]:
    return {"description_width": DESCRIPTION_WIDTH}


def _option_values(options: Options) -> list[Any]:
    return [o[1] if isinstance(o, tuple) else o for o in options]


def dropdown(
    label: str, options: Options, value: Any = None, *, help: str | None = None
) -> widgets.Dropdown:
    """A labelled drop-down; ``options`` are values or (French label, value) pairs.

    Raises ``ValueError`` (in French) when ``value`` is not one of the options, so
    a wrong notebook parameter fails with a message a contributor understands.
    """
    values = _option_values(options)
    if value is None and values:
        value = values[0]
    if value not in values:
        choices = ", ".join(f"« {v} »" for v in values[:12])
        raise ValueError(
            f"« {value} » n'est pas un choix possible pour « {label} » "
            f"(choix possibles : {choices}{' …' if len(values) > 12 else ''})."
        )
    return widgets.Dropdown(
        options=list(options),
        value=value,
        description=label,
        description_allow_html=False,
        tooltip=help,
        style=_style(),
        layout=widgets.Layout(**CONTROL_LAYOUT),
    )


def set_options(control: widgets.Dropdown, options: Options, value: Any = None) -> None:
    """Replace a drop-down's options, keeping ``value`` (or the current one) if offered.

    Options equal to the current ones are left alone, so the value does not move.
    """
    options = [tuple(o) if isinstance(o, list) else o for o in options]
    values = _option_values(options)
    keep = value if value in values else control.value
    if tuple(control.options) != tuple(options):
        control.options = options
    target = keep if keep in values else (values[0] if values else None)
    if control.value != target:
        control.value = target


def date_picker(
    label: str,
    value: date | str | None = None,
    *,
    min: date | str | None = None,
    max: date | str | None = None,
) -> widgets.DatePicker:
    """A labelled date picker; ``value`` may be ISO text, ``""`` or None for empty.

    Raises ``ValueError`` (in French) when ``value`` is not a date or lies outside
    [``min``, ``max``].
    """
    try:
        day, first, last = _as_date(value), _as_date(min), _as_date(max)
    except ValueError:
        raise ValueError(
            f"« {value} » n'est pas une date pour « {label} » (format attendu : AAAA-MM-JJ)."
        ) from None
    if day is not None and ((first and day < first) or (last and day > last)):
        raise ValueError(
            f"Le {day.isoformat()} est hors de la période possible pour "
            f"« {label} » ({first or '…'} au {last or '…'})."
        )
    return widgets.DatePicker(
        description=label,
        value=day,
        min=first,
        max=last,
        style=_style(),
        layout=widgets.Layout(**CONTROL_LAYOUT),
    )


class DateRange(widgets.HBox):
    """Two date pickers (« Du », « au ») with a ``value`` trait (start, end) as dates."""

    value = traitlets.Tuple(allow_none=True)

    def __init__(
        self,
        label: str,
        start: date | str | None,
        end: date | str | None,
        *,
        min: date | str | None = None,
        max: date | str | None = None,
    ) -> None:
        self.start = date_picker(f"{label} du", start, min=min, max=max)
        self.end = date_picker("au", end, min=min, max=max)
        super().__init__(
            [self.start, self.end], layout=widgets.Layout(flex_flow="row wrap", width="100%")
        )
        self.value = (self.start.value, self.end.value)
        for picker in (self.start, self.end):
            picker.observe(self._sync, names="value")

    def _sync(self, _change: dict) -> None:
        self.value = (self.start.value, self.end.value)


def date_range(label: str, start: date | str | None, end: date | str | None, **limits) -> DateRange:
    """A period picker; in :class:`ParameterControls` give it a (start, end) name pair."""
    return DateRange(label, start, end, **limits)


def multi_select(
    label: str, options: Options, value: Sequence[Any] = (), *, rows: int = 5
) -> widgets.SelectMultiple:
    """A labelled multiple choice; its parameter value is the choices joined by commas."""
    return widgets.SelectMultiple(
        options=list(options),
        value=tuple(value),
        rows=rows,
        description=label,
        style=_style(),
        layout=widgets.Layout(**CONTROL_LAYOUT),
    )


def _as_date(value: date | str | None) -> date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else date.fromisoformat(str(value).strip()[:10])


def _url_text(value: Any) -> str:
    """A value as the dashboard's address writes it (``dashboard.notices.url_text``)."""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, date):
        return value.isoformat()
    return repr(value) if isinstance(value, float) else str(value)


def _kind(control: widgets.Widget) -> str | None:
    """How a page reads a control's parameter from its widget state; None: it cannot."""
    if isinstance(control, widgets.SelectMultiple):
        return "multi"
    if hasattr(control, "_options_values"):
        return "choice"
    if isinstance(control, widgets.DatePicker):
        return "date"
    if isinstance(control, widgets.ValueWidget) and not isinstance(
        control, (widgets.HTML, widgets.HTMLMath, widgets.Label)
    ):
        value = control.value
        if isinstance(value, bool):
            return "bool"
        if isinstance(value, float):
            return "float"
        if isinstance(value, int | str):
            return "int" if isinstance(value, int) else "text"
    return None


def _parts(key: str | tuple[str, ...], control: widgets.Widget) -> list[tuple[str, widgets.Widget]]:
    """(parameter name, control) of each parameter a control shows: one, or each child of
    a period; a control whose own value is a pair (a point) is left out."""
    if isinstance(key, str):
        return [(key, control)]
    children = list(getattr(control, "children", ()))
    if len(children) == len(key) and all(_kind(c) in ("date", "choice") for c in children):
        return list(zip(key, children, strict=True))
    return []


def _parameter_value(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if value is None:
        return ""
    if isinstance(value, tuple):
        return ",".join(str(v) for v in value)
    return value


class ParameterControls(widgets.HBox):
    """Controls keyed by parameter name, with one change callback for all.

    ``rr_parameters`` (synced, so in a page's embedded widget state) describes each
    parameter's control for the static gallery page: ``name``, ``model`` (the control's
    model id), ``kind`` (``choice``, ``multi``, ``date``, ``bool``, ``int``, ``float``,
    ``text``) and, for choices, ``values``: each option's value as the address writes it;
    ``follows``: the parameters a drop-down's options depend on (its options on the page
    are those of their values there).

    Parameters
    ----------
    controls
        Parameter name → control. A :class:`DateRange` takes a pair of names,
        e.g. ``{("debut", "fin"): date_range(...)}``.
    follows
        Parameter name → the parameters its options are computed from
        (``{"ligne": ["mode"]}``); set by :meth:`dashboard.Page.controls` from ``options``.
    """

    rr_parameters = traitlets.List().tag(sync=True)

    def __init__(
        self,
        controls: Mapping[str | tuple[str, str], widgets.Widget],
        follows: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        self.controls = dict(controls)
        self.follows = {name: list(names) for name, names in (follows or {}).items()}
        self._callbacks: list[Callable[[dict[str, Any]], None]] = []
        self._settled: list[Callable[[dict[str, Any]], None]] = []
        self._held = 0
        self._pending = False
        self._notifying = 0
        self._round = 0
        self._dirty = False
        super().__init__(
            list(self.controls.values()), layout=widgets.Layout(flex_flow="row wrap", width="100%")
        )
        self.add_class("rr-controls")
        for control in self.controls.values():
            control.observe(self._changed, names="value")
        for key, control in self.controls.items():
            for name, part in _parts(key, control):
                part.add_class(f"rr-param-{name}")
                if _kind(part) in ("choice", "multi"):
                    part.observe(self._describe, names="options")
        self._describe()

    def _describe(self, _change: dict | None = None) -> None:
        """Write ``rr_parameters`` (again when a drop-down's options were replaced)."""
        described = []
        for key, control in self.controls.items():
            for name, part in _parts(key, control):
                kind = _kind(part)
                if kind is None:
                    continue
                item: dict[str, Any] = {"name": name, "model": part.model_id, "kind": kind}
                if kind in ("choice", "multi"):
                    item["values"] = [_url_text(v) for v in part._options_values]
                if self.follows.get(name):
                    item["follows"] = self.follows[name]
                described.append(item)
        self.rr_parameters = described

    @property
    def values(self) -> dict[str, Any]:
        """Parameter name → value, typed as the notebook's parameters."""
        result: dict[str, Any] = {}
        for name, control in self.controls.items():
            if isinstance(name, tuple):
                for part, value in zip(name, control.value or (None,) * len(name), strict=True):
                    result[part] = _parameter_value(value)
            else:
                result[name] = _parameter_value(control.value)
        return result

    def observe(
        self,
        handler: Callable,
        names: Any = traitlets.All,
        type: str = "change",
        *,
        settled: bool = False,
    ) -> None:
        """Call ``handler(values)`` after any control changes.

        With ``names`` or ``type`` given this is traitlets' own ``observe`` (ipywidgets
        uses it internally); a bare ``observe(callback)`` registers a parameter callback.

        ``settled=True`` is for what mirrors the controls (the page address): the
        handler is called once the change has settled — after every callback, with the
        values they left (a line falling back to « Toutes » when a callback replaced
        its options) — and after changes that did not call back (:meth:`hold` with
        ``notify=False``), whatever the order the handlers were registered in.
        """
        if (
            names is traitlets.All
            and type == "change"
            and not isinstance(handler, traitlets.EventHandler)
        ):
            (self._settled if settled else self._callbacks).append(handler)
        else:
            super().observe(handler, names=names, type=type)

    @contextmanager
    def hold(self, notify: bool = True) -> Iterator[None]:
        """Change several controls, then call back once (or not at all: ``notify=False``,
        for changes made from inside a callback). ``settled`` handlers are called
        either way."""
        self._held += 1
        try:
            yield
        finally:
            self._held -= 1
            if not notify:
                self._pending = False
            if self._held == 0 and self._pending:
                self._pending = False
                self._notify()
            self._settle()

    def _changed(self, _change: dict) -> None:
        self._dirty = True
        if self._held:
            self._pending = True
        else:
            self._notify()

    def _notify(self) -> None:
        self._round += 1
        this_round = self._round
        values = self.values
        log.debug("controls changed: %s", values)
        self._notifying += 1
        try:
            for callback in list(self._callbacks):
                if self._round != this_round:
                    break  # a callback changed a control: the callbacks were told since
                callback(values)
        finally:
            self._notifying -= 1
            self._settle()

    def _settle(self) -> None:
        """Tell the ``settled`` handlers, once nothing is held or calling back."""
        if self._held or self._notifying or not self._dirty:
            return
        self._dirty = False
        values = self.values
        for handler in list(self._settled):
            handler(values)
