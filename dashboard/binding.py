"""Controls bound to parameters: a parameter value shown by a control, and checked
against what the control offers (a drop-down's options are the parameter's choices)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import ipywidgets as widgets
import traitlets

from .notices import ChoiceError, url_text

Accept = Callable[[Any], Any]
"""Parameter value → control value (« Centre aquatique Eurocéane » → « PIS-03 »); raises
``ValueError`` with a French message for a value the dashboard refuses."""
Key = str | tuple[str, str]
"""A control's parameter name, or names for a control holding several (a period, a point)."""


def holds_pair(control: widgets.Widget, size: int) -> bool:
    """Whether the control's own value is the pair (a point picker's (lat, lon)), rather
    than each of its ``size`` children being the control of one parameter (a period's
    two pickers); a child showing text (the point's position) or a button is no control."""
    if not isinstance(control.traits().get("value"), traitlets.Tuple):
        return False
    children = list(getattr(control, "children", ()))
    return len(children) != size or not all(
        isinstance(child, widgets.ValueWidget) and not isinstance(child, TEXT_WIDGETS)
        for child in children
    )


TEXT_WIDGETS = (widgets.HTML, widgets.HTMLMath, widgets.Label)
"""Value widgets a visitor reads but does not change."""


def show_value(control: widgets.Widget, index: int | None, value: Any) -> None:
    """Show ``value`` on the control, or as item ``index`` of the pair it holds."""
    if index is None:
        control.value = value
    else:
        pair = list(control.value)
        pair[index] = value
        control.value = tuple(pair)


def label_of(control: widgets.Widget, name: str) -> str:
    """What a citizen reads next to the control (its description), else the name."""
    return str(getattr(control, "description", "") or name)


def options_of(control: widgets.Widget) -> list[tuple[str, Any]] | None:
    """(label, value) of each option of a single-choice control; None if it has none."""
    if isinstance(control, widgets.SelectMultiple) or not hasattr(control, "options"):
        return None
    labels = getattr(control, "_options_labels", None)
    values = getattr(control, "_options_values", None)
    if labels is None or values is None:
        return None
    return list(zip(labels, values, strict=True))


def check_value(name: str, control: widgets.Widget, value: Any, accept: Accept | None) -> Any:
    """The control value showing parameter ``value``; ``ValueError`` (French) if refused."""
    if accept is not None:
        value = accept(value)
    options = options_of(control)
    if options is not None and value not in [v for _, v in options]:
        choices = [
            f"« {url_text(v)} »" + ("" if str(v) == label else f" ({label})")
            for label, v in options
        ]
        raise ChoiceError(value, f"« {label_of(control, name)} »", choices)
    if isinstance(control, widgets.DatePicker):
        return _date(value, label_of(control, name))
    if isinstance(control, widgets.SelectMultiple):
        return tuple(v for v in str(value).split(",") if v)
    return value


def _date(value: Any, label: str) -> date | None:
    if isinstance(value, date) or value is None:
        return value
    text = str(value).strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        raise ValueError(
            f"« {value} » n'est pas une date pour « {label} » (format attendu : AAAA-MM-JJ)"
        ) from None
