"""Every environment variable of the project, declared and documented in one place.

One prefix scheme: ``OPENDATA_*`` for the data layer (where data comes from),
``GALLERY_*`` for the static build and the live dashboards, and the platforms' ``PORT``.
Values are read when asked for, never at import time, so a test or a command can set
a variable after the project is imported. Former names still work and log a
deprecation line.

This is the lowest layer of the project: it imports only the data layer's exceptions,
and every package (data layer, analyses, widgets, dashboards, build) may import it.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from .exceptions import OpenDataError

log = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
"""The repository (or installed source tree) holding ``data/``, ``notebooks/``, ``gallery/``."""

DEFAULT_PORTAL_URL = "https://data.metropole-rouen-normandie.fr"
"""The Métropole Rouen Normandie Opendatasoft portal."""

SOURCES = ("snapshot", "live")
"""Values understood by ``OPENDATA_SOURCE``."""


class SettingError(OpenDataError, ValueError):
    """An environment variable holds a value the project cannot use."""


@dataclass(frozen=True)
class Variable:
    """One environment variable: its name, default (as text) and what it does."""

    name: str
    default: str
    help: str
    former: tuple[str, ...] = ()
    """Names it had before; still read, with a deprecation line in the log."""


VARIABLES: tuple[Variable, ...] = (
    Variable(
        "OPENDATA_SOURCE",
        "snapshot",
        "snapshot|live: embedded snapshots, or the portal with a labelled fallback",
    ),
    Variable("OPENDATA_PORTAL_URL", DEFAULT_PORTAL_URL, "base URL of the Opendatasoft portal"),
    Variable(
        "OPENDATA_PORTAL_URL_<KEY>",
        "",
        "portal of one dataset, key in capitals with _ (OPENDATA_PORTAL_URL_ENERGIE_COMMUNES)",
    ),
    Variable("OPENDATA_API_KEY", "", "optional portal API key (sent as Authorization: Apikey)"),
    Variable("OPENDATA_CONNECT_TIMEOUT", "5", "seconds to connect to the portal"),
    Variable("OPENDATA_READ_TIMEOUT", "15", "seconds a silent portal is waited for"),
    Variable("OPENDATA_MAX_RETRIES", "2", "retries after 5xx, 429 or a refused connection"),
    Variable("OPENDATA_MAX_WAIT", "30", "longest wait (s) a 429 may ask before giving up"),
    Variable(
        "OPENDATA_PREFETCH_DIR", "", "reads shared by a whole gallery build (set by the build)"
    ),
    Variable("OPENDATA_DATA_DIR", "data/", "folder of registry.yaml and snapshots/"),
    Variable("GALLERY_CACHE_DIR", ".cache/gallery/", "executed notebooks and their cache keys"),
    Variable("GALLERY_SITE_URL", "", "public base URL of the static site (empty: relative)"),
    Variable(
        "GALLERY_VOILA_URL", "http://127.0.0.1:8866", "base URL of the live dashboards linked to"
    ),
    Variable(
        "GALLERY_BINDER_URL",
        "https://mybinder.org/v2/gh/metropole-rouen-normandie/reutilisations/HEAD",
        "Binder launch URL of this repository",
    ),
    Variable(
        "GALLERY_VOILA_POOL_SIZE",
        "1",
        "preheated kernels per dashboard",
        former=("ROUEN_VOILA_POOL_SIZE",),
    ),
    Variable(
        "GALLERY_VOILA_MAX_KERNELS",
        "24",
        "visitor kernels alive at once before « Serveur occupé »",
        former=("ROUEN_VOILA_MAX_KERNELS",),
    ),
    Variable(
        "GALLERY_VOILA_CULL_IDLE",
        "120",
        "seconds before an idle visitor's kernel is stopped",
        former=("ROUEN_VOILA_CULL_IDLE",),
    ),
    Variable("PORT", "8866", "port of `serve` on 127.0.0.1 (the platforms' convention)"),
)

_BY_NAME = {variable.name: variable for variable in VARIABLES}
_warned: set[str] = set()


def read(name: str) -> str | None:
    """The value of a declared variable now, or ``None`` when unset or empty.

    A former name is read when the current one is unset, with one deprecation line in
    the log per name.
    """
    variable = _BY_NAME[name]
    value = os.environ.get(name)
    if value:
        return value
    for former in variable.former:
        value = os.environ.get(former)
        if value:
            if former not in _warned:
                _warned.add(former)
                log.warning("%s is deprecated: set %s instead.", former, name)
            return value
    return None


def _text(name: str) -> str:
    value = read(name)
    return _BY_NAME[name].default if value is None else value


def _integer(name: str) -> int:
    value = _text(name).strip()
    try:
        return int(value)
    except ValueError:
        raise SettingError(f"{name}={value!r} is not a whole number.") from None


def _seconds(name: str) -> float:
    value = _text(name).strip()
    try:
        return float(value)
    except ValueError:
        raise SettingError(f"{name}={value!r} is not a number of seconds.") from None


def data_source() -> str:
    """``snapshot`` (default, embedded data) or ``live`` (``OPENDATA_SOURCE``)."""
    value = _text("OPENDATA_SOURCE").strip().lower() or "snapshot"
    if value not in SOURCES:
        raise SettingError(
            f"OPENDATA_SOURCE={value!r} is not understood: use 'snapshot' or 'live'."
        )
    return value


def portal_url() -> str:
    """Base URL of the portal, without a trailing slash (``OPENDATA_PORTAL_URL``)."""
    return _text("OPENDATA_PORTAL_URL").rstrip("/")


def portal_url_for(key: str) -> str | None:
    """Per-dataset portal override: ``OPENDATA_PORTAL_URL_<KEY>`` (``energie-communes`` →
    ``OPENDATA_PORTAL_URL_ENERGIE_COMMUNES``), for datasets of other portals."""
    value = os.environ.get("OPENDATA_PORTAL_URL_" + key.upper().replace("-", "_"), "").strip()
    return value.rstrip("/") or None


def api_key() -> str | None:
    """Optional API key (``OPENDATA_API_KEY``)."""
    return read("OPENDATA_API_KEY")


def timeouts() -> tuple[float, float]:
    """(connect, read) timeouts of every live request, in seconds.

    A portal that accepts the connection and stays silent costs one read timeout.
    """
    return _seconds("OPENDATA_CONNECT_TIMEOUT"), _seconds("OPENDATA_READ_TIMEOUT")


def max_retries() -> int:
    """Retries of a live request after 5xx, 429 or a refused connection; a silent portal
    is not retried (``OPENDATA_MAX_RETRIES``)."""
    return int(_seconds("OPENDATA_MAX_RETRIES"))


def max_wait() -> float:
    """Longest wait a 429 may ask before a live read gives up (``OPENDATA_MAX_WAIT``)."""
    return _seconds("OPENDATA_MAX_WAIT")


def prefetch_dir() -> Path | None:
    """Folder of the reads shared by a whole gallery build (``OPENDATA_PREFETCH_DIR``).

    The build's main process reads each dataset once into it (see :mod:`.prefetch`);
    notebooks then read those files, or fall back with the reason recorded there.
    """
    value = (read("OPENDATA_PREFETCH_DIR") or "").strip()
    return Path(value) if value else None


def data_dir() -> Path:
    """Folder holding ``registry.yaml`` and ``snapshots/`` (``OPENDATA_DATA_DIR``)."""
    value = read("OPENDATA_DATA_DIR")
    return Path(value) if value else PROJECT_ROOT / "data"


def cache_dir() -> Path:
    """The build's execution cache (``GALLERY_CACHE_DIR``)."""
    value = read("GALLERY_CACHE_DIR")
    return Path(value) if value else PROJECT_ROOT / ".cache" / "gallery"


def site_url() -> str:
    """Public base URL of the static site, empty for relative links (``GALLERY_SITE_URL``)."""
    return _text("GALLERY_SITE_URL")


def voila_url() -> str:
    """Base URL of the live dashboards (``GALLERY_VOILA_URL``)."""
    return _text("GALLERY_VOILA_URL")


def binder_url() -> str:
    """Binder launch URL of the repository (``GALLERY_BINDER_URL``)."""
    return _text("GALLERY_BINDER_URL")


def port() -> int:
    """Port of the live dashboards on the loopback (``PORT``)."""
    return _integer("PORT")


def voila_pool_size() -> int:
    """Preheated kernels per dashboard (``GALLERY_VOILA_POOL_SIZE``)."""
    return _integer("GALLERY_VOILA_POOL_SIZE")


def voila_max_kernels() -> int:
    """Visitor kernels alive at once (``GALLERY_VOILA_MAX_KERNELS``)."""
    return _integer("GALLERY_VOILA_MAX_KERNELS")


def voila_cull_idle() -> int:
    """Seconds before an idle visitor's kernel is stopped (``GALLERY_VOILA_CULL_IDLE``)."""
    return _integer("GALLERY_VOILA_CULL_IDLE")


def help_text() -> str:
    """The environment section of ``build_gallery.py --help``, one line per variable."""
    width = max(len(variable.name) for variable in VARIABLES) + 2
    lines = ["Environment (read when used; former names still work, with a log line):"]
    for variable in VARIABLES:
        default = f" (default {variable.default})" if variable.default else ""
        lines.append(f"  {variable.name:<{width}}{variable.help}{default}")
        lines.extend(f"  {'':<{width}}formerly {former}" for former in variable.former)
    return "\n".join(lines)
