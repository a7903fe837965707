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


@pytest.fixture(scope="session")
def outlines() -> dict:
    """The Métropole's commune outlines (GeoJSON), as every map's background reads them."""
    from widgets.background import default_outlines

    shapes = default_outlines()
    assert shapes is not None, "the communes-metropole snapshot has no outlines"
    return shapes
