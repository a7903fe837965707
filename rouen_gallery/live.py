"""Dashboard parameters from the URL, the URL kept in step with the controls.

The same notebook runs in three places: the gallery build (papermill injects the
parameters), JupyterLab, and Voilà, where a citizen's URL carries them
(``/voila/render/reseau-astuce.ipynb?mode=Bus&ligne=F1``). This module makes the
notebook read them the same way everywhere. Usage, in this order::

    # 1st code cell, tagged « parameters »: typed literal defaults
    mode: str = "Tous"
    ligne: str = "Toutes"

    # 2nd code cell, on its own (so import sorting leaves it first): from here on, an
    # error — even an import error below — reaches the citizen as a French incident
    # message, and its traceback the server log
    from rouen_gallery.live import read_parameters, sync_url

    # 3rd code cell: the other imports
    import widgets as w
    from rouen_opendata import load_dataset

    # ... cells loading data and preparing figures (a preheated kernel runs them
    # before anyone visits) ...

    # then, before building the controls:
    params = read_parameters(mode=mode, ligne=ligne, choices={"mode": MODES})
    params.check("ligne", lines_of(params["mode"]), depends_on=["mode"])  # if needed
    mode, ligne = params["mode"], params["ligne"]
    controls = w.ParameterControls({...})   # built from mode, ligne
    sync_url(controls, params)               # changing a control updates the URL
    display(params.notice)                   # or put params.notice in the dashboard

What :func:`read_parameters` does:

- outside Voilà (papermill, JupyterLab) it returns the values given, unchanged;
- in Voilà it reads the page's query string — in a preheated kernel it waits there
  for the visitor, so everything above it is already computed when they arrive —
  and checks it with the build's validator (:func:`rouen_gallery.parameters.
  validate_parameters`); each parameter's type is its default's (``3`` is an int,
  ``3.0`` a float). Values are parsed as literals of that type, never evaluated;
- an unknown name, a value of the wrong type or outside ``choices`` is left out:
  that parameter keeps its default and ``params.notice`` explains, in French, what
  the address may contain. The dashboard always renders;
- choices that depend on another parameter (the lines of the chosen mode) are
  checked afterwards with :meth:`LiveParameters.check`, with the same outcome.

Speed: a preheated kernel runs every cell above ``read_parameters`` before anyone
visits; the cells below it run while the visitor waits. Keep below it only what
depends on the parameters — at best, build the dashboard with the defaults above it
and, below, apply only what the URL changed (``params.from_url`` is empty for a plain
visit, the most common one). The notebooks do it this way: above, the widgets are built
and ``first_view = refresh(shown)`` draws them for the notebook's own values; below,
the controls are built from ``params`` and ``refresh`` runs again only
``if controls.values != shown`` (see ``notebooks/comptages-velo.ipynb``).

``params.notice`` must be displayed once (it is empty when all is well): it also
carries the state :func:`sync_url` writes, which the site template copies into the
address bar (``history.replaceState``), so a visitor can share what they see.

Free-text parameters reach the page as the visitor typed them: escape them before
putting them in HTML, or give ``choices``.

Importing this module in a Voilà kernel also replaces tracebacks by a French message
with an incident id, the traceback going to the server log with that id
(:mod:`rouen_gallery.incidents`).
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

from . import incidents
from .exceptions import ParameterError
from .parameters import TYPE_NAMES_FR, TYPES, Parameter, validate_parameters

log = logging.getLogger(__name__)

MAX_QUERY_LENGTH = 2000
"""Longer query strings are ignored as a whole (defaults used)."""
MAX_VALUE_LENGTH = 200
"""Longer values are refused (no parameter needs more)."""
MAX_FIELDS = 30
CHOICES_SHOWN = 12
"""Accepted values listed in a notice before « … »."""


class Controls(Protocol):
    """What :func:`sync_url` needs from the controls (``widgets.ParameterControls``)."""

    @property
    def values(self) -> dict[str, Any]: ...

    def observe(
        self, callback: Callable[[dict[str, Any]], None], *, settled: bool = ...
    ) -> None: ...


Choice = Collection[Any] | Callable[[Any], Any]
"""Accepted values, or a check raising ``ValueError`` with a French message."""


def in_voila() -> bool:
    """True in a kernel Voilà started (it sets ``VOILA_PREHEAT`` for every kernel)."""
    return "VOILA_PREHEAT" in os.environ


def _query_string() -> str:
    """The visitor's query string; in a preheated kernel, blocks until they arrive."""
    if os.environ.get("VOILA_PREHEAT") != "True":
        # A kernel started for a visit: Voilà put the query in its environment.
        return os.environ.get("QUERY_STRING", "")
    from voila.utils import get_query_string

    return get_query_string() or ""


class LiveParameters(Mapping[str, Any]):
    """Typed parameter values (a mapping), with what the URL brought and a notice.

    Attributes
    ----------
    declared
        Name → :class:`~rouen_gallery.parameters.Parameter` (type from the default).
    defaults
        The values the notebook passed (its defaults, or papermill's).
    from_url
        Accepted values that came from the URL.
    problems
        French sentences, one per refused item of the URL.
    notice
        Widget to display once: the problems (if any) and the URL state.
    """

    def __init__(
        self,
        declared: dict[str, Parameter],
        defaults: dict[str, Any],
        from_url: dict[str, Any] | None = None,
        problems: list[str] | None = None,
    ) -> None:
        self.declared = declared
        self.defaults = defaults
        self.from_url = from_url or {}
        self.problems = problems or []
        self._values = {**defaults, **self.from_url}
        self._message = widgets.HTML()
        self._show_problems()
        self._url_state = widgets.HTML("")
        self._url_state.add_class("rr-url-state")
        self._url_state.layout.display = "none"
        self.notice = widgets.VBox([self._message, self._url_state])
        self.notice.add_class("rr-parameters-notice")

    def __getitem__(self, name: str) -> Any:
        return self._values[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"LiveParameters({self._values!r}, problems={len(self.problems)})"

    def check(self, name: str, choice: Choice, *, depends_on: Collection[str] = ()) -> bool:
        """Check again the URL's value of ``name``, against choices that depend on other
        parameters (the lines of the mode the URL chose): call it after
        :func:`read_parameters`, before building the controls.

        ``choice`` is as in :func:`read_parameters` (accepted values, or a check raising
        ``ValueError``); ``depends_on`` names the parameters it was computed from, for the
        notice. A refused value is dropped (``name`` gets its default back) and the notice
        says why. A value that did not come from the URL is left alone (outside Voilà, a
        wrong one is the notebook's error to raise). Returns whether the value is kept.
        """
        if name not in self.from_url:
            return True
        value = self.from_url[name]
        when = " et ".join(f"« {n} » vaut « {_url_text(self[n])} »" for n in depends_on)
        try:
            _check_choice(
                name, value, self.declared[name], choice, f" quand {when}" if when else ""
            )
        except ValueError as exc:
            del self.from_url[name]
            self._values[name] = self.defaults[name]
            self.problems.append(str(exc).rstrip("."))
            self._show_problems()
            log.info("Dashboard URL: %s refused after the fact: %s", name, self.problems[-1])
            return False
        return True

    def _show_problems(self) -> None:
        self._message.value = _notice_html(self.problems, self.declared)
        self._message.layout.display = None if self.problems else "none"

    def query(self, values: Mapping[str, Any]) -> str:
        """Query string for ``values``: declared names whose value is not the default."""
        pairs = []
        for name, param in self.declared.items():
            if name not in values or values[name] == self.defaults[name]:
                continue
            try:
                value = param.coerce(values[name])
            except ParameterError:
                log.warning("Control value %r for %s left out of the URL", values[name], name)
                continue
            pairs.append((name, _url_text(value)))
        return urlencode(pairs, quote_via=quote)

    def show_in_url(self, values: Mapping[str, Any]) -> None:
        """Write ``values`` where the site template copies them into the address bar."""
        query = html.escape(self.query(values), quote=True)
        self._url_state.value = f'<span data-rr-query="{query}"></span>'


def read_parameters(
    *, choices: Mapping[str, Choice] | None = None, **values: Any
) -> LiveParameters:
    """The dashboard's parameters: from the URL in Voilà, else ``values`` as given.

    Parameters
    ----------
    choices
        Optional, per parameter name: the accepted values, or a function raising
        ``ValueError`` (with a French message) for a refused value. Checked on URL
        values only. (So no notebook parameter may be called ``choices``.)
    **values
        Every parameter of the notebook, ``name=name`` (their current values).

    Returns
    -------
    LiveParameters
        ``params["name"]`` is the value to use; ``params.notice`` the widget to show.
    """
    declared = _declare(values)
    if not in_voila():
        return LiveParameters(declared, dict(values))
    if os.environ.get("VOILA_PREHEAT") == "True":
        # Imported before saying « warm » (1.7 s or more): a visitor must not wait for it.
        import voila.utils  # noqa: F401

        incidents.server_log().info("Preheated kernel %s warm, waiting for a visitor", os.getpid())
    raw = _query_string()
    from_url, problems = parse_query(raw, declared, choices or {})
    if problems:
        log.info("Dashboard URL partly refused (%s): %s", raw[:200], " | ".join(problems))
    return LiveParameters(declared, dict(values), from_url, problems)


def sync_url(controls: Controls, params: LiveParameters) -> None:
    """Keep the page's address in step with ``controls`` (``.values``, ``.observe``).

    Only parameters whose value differs from the notebook's default are written, so
    the address stays short; ``params.notice`` must be displayed for this to work.
    The address is written once a change has settled (``observe(..., settled=True)``):
    it shows what the notebook's callbacks left — a line of another mode back to
    « Toutes » after they replaced its options — even for changes they made under
    ``controls.hold(notify=False)``; no need to call ``params.show_in_url`` again.
    """
    controls.observe(params.show_in_url, settled=True)


def parse_query(
    raw: str, declared: dict[str, Parameter], choices: Mapping[str, Choice]
) -> tuple[dict[str, Any], list[str]]:
    """Accepted typed values and French problems for a raw query string."""
    if len(raw) > MAX_QUERY_LENGTH:
        return {}, [f"l'adresse est trop longue (plus de {MAX_QUERY_LENGTH} caractères)"]
    try:
        pairs = parse_qsl(raw, keep_blank_values=True, max_num_fields=MAX_FIELDS)
    except ValueError:
        return {}, [f"l'adresse contient trop de paramètres (plus de {MAX_FIELDS})"]
    given: dict[str, str] = {}
    problems: list[str] = []
    for name, value in pairs:
        if name in given:
            problems.append(f"« {name} » est donné plusieurs fois")
        elif len(value) > MAX_VALUE_LENGTH:
            problems.append(f"la valeur de « {name} » est trop longue")
        given.setdefault(name, value)
    unknown = {k: v for k, v in given.items() if k not in declared}
    if unknown:
        problems.append(_refusal(unknown, declared))
    accepted: dict[str, Any] = {}
    for name, text in given.items():
        if name in unknown or len(text) > MAX_VALUE_LENGTH:
            continue
        try:
            value = validate_parameters({name: text}, declared)[name]
            _check_choice(name, value, declared[name], choices.get(name))
        except (ParameterError, ValueError) as exc:
            problems.append(str(exc).rstrip("."))
            continue
        if sum(1 for n, _ in pairs if n == name) == 1:
            accepted[name] = value
    return accepted, problems


def _declare(values: Mapping[str, Any]) -> dict[str, Parameter]:
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


def _refusal(unknown: Mapping[str, str], declared: Mapping[str, Parameter]) -> str:
    try:
        validate_parameters(dict(unknown), dict(declared))
    except ParameterError as exc:
        return str(exc)
    raise AssertionError("unknown names were accepted")  # pragma: no cover


def _check_choice(
    name: str,
    value: Any,
    param: Parameter,
    choice: Choice | None,
    condition: str = "",
) -> None:
    if param.type_name == "float" and not math.isfinite(value):
        raise ValueError(f"« {name} » attend un nombre fini, pas « {value} »")
    if choice is None:
        return
    if callable(choice):
        choice(value)
        return
    allowed = list(choice)
    if value not in allowed:
        shown = ", ".join(f"« {v} »" for v in allowed[:CHOICES_SHOWN])
        more = " …" if len(allowed) > CHOICES_SHOWN else ""
        raise ValueError(
            f"« {value} » n'est pas un choix possible pour « {name} »{condition} "
            f"(choix possibles : {shown}{more})"
        )


def _url_text(value: Any) -> str:
    if isinstance(value, bool):
        return "oui" if value else "non"
    return repr(value) if isinstance(value, float) else str(value)


def _notice_html(problems: list[str], declared: Mapping[str, Parameter]) -> str:
    if not problems:
        return ""
    items = "".join(f"<li>{html.escape(p)}.</li>" for p in problems)
    accepted = "; ".join(
        f"{html.escape(p.name)} ({TYPE_NAMES_FR[p.type_name]}, par défaut "
        f"« {html.escape(_url_text(p.default))} »)"
        for p in declared.values()
    )
    return (
        '<div class="rr-banner rr-banner--generated" role="status">'
        "<p><strong>Une partie de l'adresse de cette page n'a pas été comprise</strong> : "
        "le tableau de bord utilise les valeurs par défaut à la place.</p>"
        f"<ul>{items}</ul>"
        f"<p>Paramètres acceptés : {accepted or 'aucun'}.</p></div>"
    )


if in_voila():
    incidents.install()
