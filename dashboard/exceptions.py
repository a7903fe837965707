"""Errors of the dashboard runtime. Callers catch :class:`DashboardError`; messages are
French because contributors and citizens read them."""

from __future__ import annotations


class DashboardError(Exception):
    """Base class of every error raised by the dashboard runtime."""


class ParameterError(DashboardError):
    """Parameters refused: unknown name, wrong type, or no typed parameters cell."""

    def __init__(
        self,
        message: str,
        code: str = "parameters-invalid",
        line: int | None = None,
        name: str | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        """Stable problem code reported by ``build_gallery.py validate``."""
        self.line = line
        """Line of the parameters cell at fault, when there is one."""
        self.name = name
        """The parameter at fault, when there is one."""


class NotInNotebookError(DashboardError):
    """The runtime was used outside a notebook kernel (it reads the notebook's namespace)."""


class ControlError(DashboardError):
    """A control cannot show a parameter's value (not among its choices, wrong kind)."""
