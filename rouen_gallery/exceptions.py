"""Errors of the gallery build. Callers catch :class:`GalleryError`; messages are French
because contributors and citizens read them."""

from __future__ import annotations


class GalleryError(Exception):
    """Base class of every error raised by the gallery build."""


class RecordError(GalleryError):
    """A reuse record (notebook metadata or external entry) does not follow the schema."""


class ParameterError(GalleryError):
    """Parameters refused: unknown name, wrong type, or no typed parameters cell."""


class ExecutionError(GalleryError):
    """A notebook failed or timed out while executing."""
