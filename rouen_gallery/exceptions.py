"""Errors of the gallery build. Callers catch :class:`GalleryError`; messages are French
because contributors and citizens read them."""

from __future__ import annotations

from dashboard.exceptions import ParameterError

__all__ = ["ExecutionError", "GalleryError", "ParameterError", "RecordError", "ScaffoldError"]
"""``ParameterError`` is the dashboard runtime's: the build and Voilà share one validator."""


class GalleryError(Exception):
    """Base class of every error raised by the gallery build."""


class RecordError(GalleryError):
    """A reuse record (notebook metadata or external entry) does not follow the schema."""


class ExecutionError(GalleryError):
    """A notebook failed or timed out while executing."""


class ScaffoldError(GalleryError):
    """A new reuse notebook could not be created (existing file, bad title, unknown dataset)."""
