"""Data layer of the Rouen reuse gallery: registry, Opendatasoft client, snapshots.

Notebooks get every dataset through :func:`load_dataset`.
"""

from .exceptions import OpenDataError
from .loader import GENERATED_LABEL, DataProvenance, LoadedDataset, load_dataset
from .registry import get_dataset, load_registry

__all__ = [
    "GENERATED_LABEL",
    "DataProvenance",
    "LoadedDataset",
    "OpenDataError",
    "get_dataset",
    "load_dataset",
    "load_registry",
]
