"""Errors of the gallery build. Callers catch :class:`GalleryError`; messages are French
because contributors and citizens read them."""

from __future__ import annotations


class GalleryError(Exception):
    """Base class of every error raised by the gallery build."""


class RecordError(GalleryError):
    """A reuse record (notebook metadata or external entry) does not follow the schema."""


class ParameterError(GalleryError):
    """Parameters refused: unknown name, wrong type, or no typed parameters cell."""

    def __init__(self, message: str, code: str = "parameters-invalid", line: int | None = None):
        super().__init__(message)
        self.code = code
        """Stable problem code reported by ``build_gallery.py validate``."""
        self.line = line
        """Line of the parameters cell at fault, when there is one."""


class ExecutionError(GalleryError):
    """A notebook failed or timed out while executing."""


class ScaffoldError(GalleryError):
    """A new reuse notebook could not be created (existing file, bad title, unknown dataset)."""
