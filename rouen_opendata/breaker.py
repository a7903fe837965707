"""Circuit breaker per portal: once a portal has failed, later live reads fall back at once.

A portal that is down, silent or rate-limiting past the retry budget costs one failure
per build, not one per dataset or per notebook. Within a process the state is a
dictionary; across the worker processes of a gallery build it is ``breakers.json`` in the
build's prefetch folder, written by the main process (which read every dataset first).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from urllib.parse import urlsplit

from . import settings
from .exceptions import PortalUnavailableError, RateLimitError

log = logging.getLogger(__name__)

BREAKERS_FILE = "breakers.json"

_open: dict[str, str] = {}
"""Portal → French reason of its failure, in this process."""


def portal_of(url: str) -> str:
    """The portal a URL belongs to: scheme, host and port."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def trips(exc: BaseException) -> bool:
    """Whether an error says the whole portal is failing (not just this dataset)."""
    return isinstance(exc, PortalUnavailableError | RateLimitError)


def _shared_file() -> Path | None:
    folder = settings.prefetch_dir()
    return folder / BREAKERS_FILE if folder else None


def open_reason(url: str) -> str | None:
    """The French reason a portal already failed in this build, or None."""
    portal = portal_of(url)
    if portal in _open:
        return _open[portal]
    shared = _shared_file()
    if shared is not None and shared.exists():
        try:
            states: dict[str, str | None] = json.loads(shared.read_text(encoding="utf-8"))
            return states.get(portal)
        except (OSError, ValueError):
            log.warning("unreadable breaker file %s", shared)
    return None


def trip(url: str, reason: str) -> None:
    """Record that a portal failed: later reads of this process fall back with ``reason``."""
    portal = portal_of(url)
    if portal not in _open:
        log.warning("circuit breaker open for %s: later live reads use the snapshots", portal)
    _open[portal] = reason


def reset() -> None:
    """Close every breaker of this process (a new build, or a test)."""
    _open.clear()


def write_shared(folder: Path) -> None:
    """Publish this process's open breakers to the workers of the build."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / BREAKERS_FILE
    tmp = target.with_suffix(".tmp")
    tmp.write_text(json.dumps(_open, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(target)
