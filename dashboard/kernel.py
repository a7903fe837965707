"""Where the runtime runs: Voilà or not, the visitor's query string, the notebook's own
parameters cell and values (read from the IPython kernel, never passed by hand)."""

from __future__ import annotations

import logging
import os
from typing import Any

from .exceptions import NotInNotebookError
from .schema import Parameter, parameter_issues

log = logging.getLogger(__name__)


def in_voila() -> bool:
    """True in a kernel Voilà started (it sets ``VOILA_PREHEAT`` for every kernel)."""
    return "VOILA_PREHEAT" in os.environ


def preheated() -> bool:
    """True in a kernel Voilà runs before any visitor (it then waits for one)."""
    return os.environ.get("VOILA_PREHEAT") == "True"


def query_string() -> str:
    """The visitor's query string; in a preheated kernel, blocks until they arrive."""
    if not preheated():
        # A kernel started for a visit: Voilà put the query in its environment.
        return os.environ.get("QUERY_STRING", "")
    from voila.utils import get_query_string

    return str(get_query_string() or "")


def namespace() -> dict[str, Any]:
    """The notebook's global namespace (IPython's ``user_ns``)."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - notebooks run in IPython kernels
        get_ipython = None
    shell = get_ipython() if get_ipython else None
    if shell is None:
        raise NotInNotebookError(
            "Le tableau de bord se construit dans un notebook (JupyterLab, Voilà, papermill)."
        )
    ns: dict[str, Any] = shell.user_ns
    return ns


def notebook_parameters(ns: dict[str, Any]) -> dict[str, Parameter]:
    """The parameters cell the kernel ran last, read from its history (``In``).

    The parameters cell is the notebook's first code cell; papermill's injected cell
    after it (untyped assignments) and a build worker's warm-up code are not parameters
    cells, so the last cell of typed literals only is the notebook's own. A cell with
    no parameter (a comment) declares none.
    """
    for source in reversed(ns.get("In", [])):
        if not source.strip():
            continue
        params, issues = parameter_issues(source)
        if not issues and (params or _comment_only(source)):
            return params
    log.info("No parameters cell in this kernel's history: no parameters declared")
    return {}


def _comment_only(source: str) -> bool:
    return all(not line.strip() or line.lstrip().startswith("#") for line in source.splitlines())
