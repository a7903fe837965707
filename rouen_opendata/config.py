"""Environment settings of the data layer, read in one place."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_PORTAL_URL = "https://data.metropole-rouen-normandie.fr"
"""The Métropole Rouen Normandie Opendatasoft portal."""

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("OPENDATA_DATA_DIR", PROJECT_ROOT / "data"))
"""Folder holding ``registry.yaml`` and ``snapshots/`` (``OPENDATA_DATA_DIR`` overrides)."""

SOURCES = ("snapshot", "live")


def portal_url() -> str:
    """Base URL of the Métropole portal (``OPENDATA_PORTAL_URL`` overrides)."""
    return os.environ.get("OPENDATA_PORTAL_URL", DEFAULT_PORTAL_URL).rstrip("/")


def api_key() -> str | None:
    """Optional API key (``OPENDATA_API_KEY``), sent as ``Authorization: Apikey``."""
    return os.environ.get("OPENDATA_API_KEY") or None


def data_source() -> str:
    """``snapshot`` (default, embedded data) or ``live`` (``OPENDATA_SOURCE``)."""
    value = os.environ.get("OPENDATA_SOURCE", "snapshot").strip().lower() or "snapshot"
    if value not in SOURCES:
        raise ValueError(f"OPENDATA_SOURCE={value!r} is not understood: use 'snapshot' or 'live'.")
    return value
