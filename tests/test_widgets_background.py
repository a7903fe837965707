"""Every map has a background without network: commune outlines and names, French credits."""

from __future__ import annotations

import ipyleaflet

from widgets import base_map
from widgets.background import (
    BACKGROUND_NAME,
    CHAR_PX,
    NAME_HEIGHT_PX,
    OUTLINES_ATTRIBUTION,
    PANES,
    MapBackground,
    name_places,
    names_at_zoom,
)

TILE_PANE_Z = 200
"""Leaflet's tile pane z-index: the background must be under it."""


def _background(map_: ipyleaflet.Map) -> MapBackground:
    (background,) = [layer for layer in map_.layers if isinstance(layer, MapBackground)]
    return background


def test_the_background_is_the_outlines_under_the_tiles(outlines):
    m = base_map(outlines=outlines)
    background = _background(m)
    assert background.name == BACKGROUND_NAME
    assert len(background.outlines.data["features"]) == len(outlines["features"])
    assert m.layers[0].base and m.layers[0].name == "OpenStreetMap"
    for pane in (background.outlines.pane, *(n.pane for n in background.names.layers)):
        assert m.panes[pane]["zIndex"] < TILE_PANE_Z
        assert m.panes[pane]["pointerEvents"] == "none"
    assert set(PANES) <= set(m.panes)
    # Handed to Leaflet as an option, else the outlines land in the overlay pane, on top.
    assert "pane" in background.outlines.options


def test_credits_are_french_without_library_name(outlines):
    m = base_map(outlines=outlines, data_attribution="Données : Métropole")
    (control,) = [c for c in m.controls if isinstance(c, ipyleaflet.AttributionControl)]
    assert control.prefix == ""
    credit = m.layers[0].attribution
    assert "contributeurs OpenStreetMap" in credit and OUTLINES_ATTRIBUTION in credit
    assert credit.endswith("Données : Métropole")
    assert "leaflet" not in credit.lower()
    bare = base_map(outlines=False)
    assert not any(isinstance(layer, MapBackground) for layer in bare.layers)
    assert OUTLINES_ATTRIBUTION not in bare.layers[0].attribution


def test_more_names_as_the_map_zooms_in_none_overlapping(outlines):
    places = name_places(outlines)
    assert len(places) == len(outlines["features"])
    shown = {zoom: names_at_zoom(places, zoom) for zoom in range(9, 16)}
    sizes = [len(shown[zoom]) for zoom in sorted(shown)]
    assert sizes == sorted(sizes) and sizes[0] < len(places) // 2
    assert sizes[-1] == len(places)  # a street-level map names every commune
    for zoom, chosen in shown.items():
        px_per_degree = 256 * 2**zoom / 360
        for place in chosen:  # a name never spills out of its commune's width
            assert len(place["name"]) * CHAR_PX <= place["width"] * px_per_degree
    assert NAME_HEIGHT_PX > 0


def test_names_follow_the_zoom_and_replaced_ones_are_closed(outlines):
    m = base_map(outlines=outlines, zoom=10)
    names = _background(m).names
    before = list(names.layers)
    m.zoom = 13
    assert len(names.layers) > len(before)
    assert all(marker.comm is None and marker.icon.comm is None for marker in before)
    icon = names.layers[0].icon
    assert "class_name" in icon.options and icon.class_name == "rr-commune-label"
    assert names.layers[0].keyboard is False  # names are not tab stops
