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
    if shapes is None:
        import json
        from pathlib import Path

        shared = Path(__file__).resolve().parents[2] / "shared/data/communes-metropole"
        return json.loads((shared / "communes-metropole-rouen.geojson").read_text("utf-8"))
    return shapes
