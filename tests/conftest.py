"""Shared fixtures."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from portal_server import PortalServer, serve_portal


@pytest.fixture
def portal() -> Iterator[PortalServer]:
    """A loopback Opendatasoft portal with no dataset; add some with ``portal.add(...)``."""
    with serve_portal() as server:
        yield server
