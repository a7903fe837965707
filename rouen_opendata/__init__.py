"""Data layer of the Rouen reuse gallery: registry, Opendatasoft client, snapshots.

Notebooks get every dataset through :func:`load_dataset`. Names are imported lazily
(PEP 562) so tools that only read snapshot metadata don't pay for pandas.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "GENERATED_LABEL": "loader",
    "DataProvenance": "loader",
    "LoadedDataset": "loader",
    "load_dataset": "loader",
    "OpenDataError": "exceptions",
    "get_dataset": "registry",
    "load_registry": "registry",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
