"""Controls bound to parameters: a parameter value shown by a control, and checked
against what the control offers (a drop-down's options are the parameter's choices)."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Collection, Sequence
from datetime import date
from typing import Any

import ipywidgets as widgets
import traitlets

from .notices import ChoiceError, url_text

Accept = Callable[..., Any]
"""Parameter value → control value (« Centre aquatique Eurocéane » → « PIS-03 »); raises
``ValueError`` with a French message for a value the dashboard refuses. One naming the
parameter and others (``lambda debut, fin: …``) is given their values too."""
Key = str | tuple[str, str]
"""A control's parameter name, or names for a control holding several (a period, a point)."""
Offer = Callable[..., Sequence[Any]]
"""The parameters it names → a drop-down's options (``lambda mode: lines_of(mode)``)."""


def named_parameters(function: Callable[..., Any]) -> tuple[str, ...] | None:
    """The names of ``function``'s parameters (``lambda debut, fin: …`` → debut, fin), or
    None when they cannot be read or it takes ``*args`` / ``**kwargs``."""
    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        return None
    named = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
    if any(p.kind not in named for p in parameters):
        return None
    return tuple(p.name for p in parameters)


def reads_others(name: str, accept: Accept, declared: Collection[str]) -> tuple[str, ...]:
    """The other parameters an ``accept`` function reads: those it names when it names
    ``name`` and only declared parameters (``lambda debut, fin: …`` for ``debut``);
    none when it takes the value alone (``lambda value: …``)."""
    names = named_parameters(accept)
    if not names or name not in names or not set(names) <= set(declared):
        return ()
    return tuple(n for n in names if n != name)


def short_choice(label: str, value: Any) -> str:
    """A choice as a dependent refusal lists it: « PIS-03 » (Centre aquatique Eurocéane),
    but « F1 » for « F1 · Boulingrin ↔ … » and « Tous » for « Tous : piscine »: the
    label is added only when it says what the value does not."""
    text = url_text(value)
    return f"« {text} »" if label.startswith(text) else f"« {text} » ({label})"


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
