"""The dashboard's address: URL text → typed parameter values, and values → URL text.

A citizen's URL carries the parameters (``/voila/render/reseau-astuce.ipynb?mode=Bus``).
:func:`parse_query` checks it with the one validator (:func:`dashboard.schema.
parameter_problems`) and the accepted choices; every refused item becomes a
:class:`~dashboard.notices.Problem` and the parameter keeps its value: the dashboard
always renders. Values are parsed as literals of the declared type, never evaluated.
:class:`Address` holds the outcome and the widget that shows the notice and carries the
state the site template copies into the address bar (``history.replaceState``).

Notebooks use :class:`dashboard.Page`, which does all of this; :func:`read_parameters`
and :func:`sync_url` are the lower-level calls of the notebooks not yet moved to it.
"""

from __future__ import annotations

import html
import logging
import math
import os
from collections.abc import Callable, Collection, Iterator, Mapping
from typing import Any, Protocol
from urllib.parse import parse_qsl, quote, urlencode

import ipywidgets as widgets

from . import incidents, kernel, schema
from .exceptions import ParameterError
from .notices import ChoiceError, Problem, notice_html, url_text
from .schema import TYPES, Parameter

log = logging.getLogger(__name__)

MAX_QUERY_LENGTH = 2000
"""Longer query strings are ignored as a whole (defaults used)."""
MAX_VALUE_LENGTH = 200
"""Longer values are refused (no parameter needs more)."""
MAX_FIELDS = 30

Choice = Collection[Any] | Callable[[Any], Any]
"""Accepted values, or a check raising ``ValueError`` with a French message."""


class Controls(Protocol):
    """What :func:`sync_url` needs from the controls (``widgets.ParameterControls``)."""

    @property
    def values(self) -> dict[str, Any]: ...

    def observe(
        self, callback: Callable[[dict[str, Any]], None], *, settled: bool = ...
    ) -> None: ...


class Address(Mapping[str, Any]):
    """Typed parameter values (a mapping), with what the URL brought and a notice.

    Attributes
    ----------
    declared
        Name → :class:`~dashboard.schema.Parameter`.
    defaults
        The values the notebook ran with (its defaults, or papermill's).
    from_url
        Accepted values that came from the URL.
    problems
        One :class:`~dashboard.notices.Problem` per refused item of the URL.
    notice
        Widget to display once: the problems (if any) and the URL state.
    """

    def __init__(
        self,
        declared: Mapping[str, Parameter],
        defaults: Mapping[str, Any],
        from_url: dict[str, Any] | None = None,
        problems: list[Problem] | None = None,
    ) -> None:
        self.declared = dict(declared)
        self.defaults = dict(defaults)
        self.from_url = from_url or {}
        self.problems = problems or []
        self._values = {**self.defaults, **self.from_url}
        self._message = widgets.HTML()
        self._url_state = widgets.HTML("")
        self._url_state.add_class("rr-url-state")
        self._url_state.layout.display = "none"
        self.notice = widgets.VBox([self._message, self._url_state])
        self.notice.add_class("rr-parameters-notice")
        self.show_problems()

    def __getitem__(self, name: str) -> Any:
        return self._values[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"Address({self._values!r}, problems={len(self.problems)})"

    def check(self, name: str, choice: Choice, *, depends_on: Collection[str] = ()) -> bool:
        """Check again the URL's value of ``name`` against choices that depend on other
        parameters (the lines of the mode the URL chose).

        A refused value is dropped (``name`` gets its default back) and the notice says
        why. A value that did not come from the URL is left alone. Returns whether the
        value is kept.
        """
        if name not in self.from_url:
            return True
        when = " et ".join(f"« {n} » vaut « {url_text(self[n])} »" for n in depends_on)
        try:
            check_choice(name, self.from_url[name], choice, f" quand {when}" if when else "")
        except ValueError as exc:
            self.refuse(name, as_problem(exc))
            return False
        return True

    def refuse(self, name: str, problem: Problem | None) -> None:
        """Drop the URL's value of ``name`` (back to its default) and say why (``None``:
        the reason is already said, for another value refused with it)."""
        self.from_url.pop(name, None)
        self._values[name] = self.defaults[name]
        if problem is not None:
            self.problems.append(problem)
            self.show_problems()
        log.info("Dashboard URL: %s refused after the fact: %s", name, problem)

    def show_problems(self) -> None:
        self._message.value = notice_html(self.problems, self.declared)
        self._message.layout.display = None if self.problems else "none"

    def query(self, values: Mapping[str, Any]) -> str:
        """Query string for ``values``: declared names whose value is not the default."""
        pairs = []
        for name, param in self.declared.items():
            if name not in values or values[name] == self.defaults.get(name):
                continue
            try:
                value = param.coerce(values[name])
            except ParameterError:
                log.warning("Control value %r for %s left out of the URL", values[name], name)
                continue
            pairs.append((name, url_text(value)))
        return urlencode(pairs, quote_via=quote)

    def show_in_url(self, values: Mapping[str, Any]) -> None:
        """Write ``values`` where the site template copies them into the address bar."""
        query = html.escape(self.query(values), quote=True)
        self._url_state.value = f'<span data-rr-query="{query}"></span>'


def read_address(
    declared: Mapping[str, Parameter],
    defaults: Mapping[str, Any],
    choices: Mapping[str, Choice] | None = None,
) -> Address:
    """The visitor's address in Voilà (a preheated kernel waits here for them), else
    ``defaults`` as given."""
    if not kernel.in_voila():
        return Address(declared, defaults)
    if kernel.preheated():
        # Imported before saying « warm » (1.7 s or more): a visitor must not wait for it.
        import voila.utils  # noqa: F401

        incidents.server_log().info("Preheated kernel %s warm, waiting for a visitor", os.getpid())
    raw = kernel.query_string()
    from_url, problems = parse_query(raw, declared, choices or {})
    if problems:
        log.info("Dashboard URL partly refused (%s): %s", raw[:200], " | ".join(map(str, problems)))
    return Address(declared, defaults, from_url, problems)


def read_parameters(*, choices: Mapping[str, Choice] | None = None, **values: Any) -> Address:
    """The parameters ``values`` (``name=name``), from the URL in Voilà: the lower-level
    call of the notebooks not yet on :class:`dashboard.Page`. Types are the values'."""
    return read_address(declare(values), values, choices)


def sync_url(controls: Controls, params: Address) -> None:
    """Keep the page's address in step with ``controls``, once a change has settled."""
    controls.observe(params.show_in_url, settled=True)


def parse_query(
    raw: str, declared: Mapping[str, Parameter], choices: Mapping[str, Choice]
) -> tuple[dict[str, Any], list[Problem]]:
    """Accepted typed values and French problems for a raw query string."""
    if len(raw) > MAX_QUERY_LENGTH:
        return {}, [Problem(f"l'adresse est trop longue (plus de {MAX_QUERY_LENGTH} caractères)")]
    try:
        pairs = parse_qsl(raw, keep_blank_values=True, max_num_fields=MAX_FIELDS)
    except ValueError:
        return {}, [Problem(f"l'adresse contient trop de paramètres (plus de {MAX_FIELDS})")]
    given: dict[str, str] = {}
    problems: list[Problem] = []
    for name, value in pairs:
        if name in given:
            problems.append(Problem(f"« {name} » est donné plusieurs fois"))
        elif len(value) > MAX_VALUE_LENGTH:
            problems.append(Problem(f"la valeur de « {name} » est trop longue"))
        given.setdefault(name, value)
    repeated = {name for name, _ in pairs if sum(1 for n, _ in pairs if n == name) > 1}
    kept = {n: v for n, v in given.items() if len(v) <= MAX_VALUE_LENGTH}
    typed, refused = schema.parameter_problems(kept, declared)
    problems.extend(Problem(str(exc).rstrip(".")) for exc in refused)
    accepted: dict[str, Any] = {}
    for name, value in typed.items():
        try:
            check_choice(name, value, choices.get(name))
        except ValueError as exc:
            problems.append(as_problem(exc))
            continue
        if name not in repeated:
            accepted[name] = value
    return accepted, problems


def declare(values: Mapping[str, Any]) -> dict[str, Parameter]:
    """A schema from values (their types): for :func:`read_parameters` only."""
    declared = {}
    for name, value in values.items():
        type_name = type(value).__name__
        if type_name not in TYPES:
            raise ParameterError(
                f"« {name} » : type {type_name} non pris en charge "
                f"(types permis : {', '.join(TYPES)})."
            )
        declared[name] = Parameter(name, type_name, value)
    return declared


def check_choice(name: str, value: Any, choice: Choice | None, condition: str = "") -> None:
    """Raise ``ValueError`` (French) for a value outside ``choice`` or a non-finite number."""
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"« {name} » attend un nombre fini, pas « {value} »")
    if choice is None:
        return
    if callable(choice):
        choice(value)
        return
    allowed = list(choice)
    if value not in allowed:
        raise ChoiceError(value, f"« {name} »{condition}", [f"« {url_text(v)} »" for v in allowed])


def as_problem(exc: ValueError) -> Problem:
    return exc.problem if isinstance(exc, ChoiceError) else Problem(str(exc).rstrip("."))


LiveParameters = Address
"""The former name of :class:`Address` (``rouen_gallery.live``)."""
