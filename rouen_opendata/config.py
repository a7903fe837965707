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


def portal_url_for(key: str) -> str | None:
    """Per-dataset portal override: ``OPENDATA_PORTAL_URL_<KEY>`` (``energie-communes`` →
    ``OPENDATA_PORTAL_URL_ENERGIE_COMMUNES``), for datasets of other portals."""
    name = "OPENDATA_PORTAL_URL_" + key.upper().replace("-", "_")
    value = os.environ.get(name, "").strip()
    return value.rstrip("/") or None


def _seconds(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    try:
        return float(raw) if raw else default
    except ValueError:
        raise ValueError(f"{name}={raw!r} is not a number of seconds.") from None


def timeouts() -> tuple[float, float]:
    """(connect, read) timeouts of every live request, in seconds.

    ``OPENDATA_CONNECT_TIMEOUT`` (default 5) and ``OPENDATA_READ_TIMEOUT`` (default 15):
    a portal that accepts the connection and stays silent costs one read timeout.
    """
    return _seconds("OPENDATA_CONNECT_TIMEOUT", 5.0), _seconds("OPENDATA_READ_TIMEOUT", 15.0)


def max_retries() -> int:
    """Retries of a live request after 5xx, 429 or a refused connection
    (``OPENDATA_MAX_RETRIES``, default 2); a silent portal is not retried."""
    return int(_seconds("OPENDATA_MAX_RETRIES", 2))


def max_wait() -> float:
    """Longest wait a 429 may ask before a live read gives up (``OPENDATA_MAX_WAIT``, 30 s)."""
    return _seconds("OPENDATA_MAX_WAIT", 30.0)


def prefetch_dir() -> Path | None:
    """Folder of the reads shared by a whole gallery build (``OPENDATA_PREFETCH_DIR``).

    The build's main process reads each dataset once into it (see :mod:`.prefetch`);
    notebooks then read those files, or fall back with the reason recorded there.
    """
    value = os.environ.get("OPENDATA_PREFETCH_DIR", "").strip()
    return Path(value) if value else None
