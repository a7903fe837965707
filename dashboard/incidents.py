"""Incidents in live dashboards: a French message for the citizen, the traceback for the log.

In a Voilà kernel, :func:`install` (called when :mod:`dashboard` is imported)
makes IPython hand every exception of a cell to :func:`report`: the page shows
:func:`incident_html` — what happened in plain French and a short incident id — and
the traceback goes, with that id, to the Voilà server's log, never to the page. The
site template renders the same message (through ``rouen_gallery.voila_server``) for
errors raised before this module could be installed.
"""

from __future__ import annotations

import html
import logging
import os
import secrets
import sys
import traceback
from typing import Any

log = logging.getLogger("dashboard")
"""The live dashboards' logger in a kernel (see :func:`server_log`)."""


def new_incident_id() -> str:
    """A short random id a citizen can quote and an operator can find in the log."""
    return secrets.token_hex(3).upper()


def incident_html(ident: str) -> str:
    """The message a citizen sees when a dashboard fails."""
    return (
        '<div class="rr-banner rr-banner--failed rr-incident" role="alert">'
        "<p><strong>Ce tableau de bord n'a pas pu s'afficher entièrement.</strong> "
        "Une erreur s'est produite de notre côté ; vous n'y êtes pour rien.</p>"
        "<p>Réessayez dans quelques minutes. Si le problème persiste, signalez-le en "
        f"indiquant la référence d'incident <strong>{html.escape(ident)}</strong>.</p></div>"
    )


class _ServerHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """The handler writing to the server's stderr (one per kernel)."""


def server_log() -> logging.Logger:
    """The live dashboards' logger, writing to the Voilà server's stderr, never the page.

    In a kernel, ``sys.stderr`` goes to the page; ipykernel keeps a copy of the
    original descriptor (its own log writes there too).
    """
    if not any(isinstance(h, _ServerHandler) for h in log.handlers):
        fd = getattr(sys.stderr, "_original_stdstream_copy", None)
        stream = os.fdopen(os.dup(fd), "w", buffering=1) if fd is not None else sys.__stderr__
        handler = _ServerHandler(stream)
        handler.setFormatter(logging.Formatter("[%(levelname)s %(asctime)s %(name)s] %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False
    return log


def report(
    shell: Any, etype: type, value: BaseException, tb: Any, tb_offset: Any = None
) -> list[str]:
    """IPython custom exception handler: French message on the page, traceback in the log."""
    from IPython.display import HTML, display

    ident = new_incident_id()
    server_log().error(
        "Incident %s in %s:\n%s",
        ident,
        os.environ.get("SCRIPT_NAME", "a dashboard"),
        "".join(traceback.format_exception(etype, value, tb)),
    )
    display(HTML(incident_html(ident)))  # type: ignore[no-untyped-call]
    return []


def install() -> None:
    """Route every cell exception of this IPython kernel to :func:`report`."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - Voilà kernels are IPython kernels
        return
    shell = get_ipython()
    if shell is not None:
        shell.set_custom_exc((Exception,), report)
        server_log()
