"""A map background that needs no network: the commune outlines and their names.

OpenStreetMap tiles come from the network; on a slow or filtered connection a map
would be points on grey. :func:`add_background` draws the Métropole's commune
outlines (a GeoJSON FeatureCollection, embedded in the page state like any layer) in
a pane *under* the tiles: online, the tiles cover it; offline, the failed tiles stay
hidden and the outlines show. Commune names are drawn as text markers where they fit
at the map's zoom (a name wider than its commune is left out, names do not overlap),
redrawn when the zoom changes in a live page.
"""

from __future__ import annotations

import functools
import html
import logging
import math
from collections.abc import Mapping

import ipyleaflet
import pandas as pd
import shapely
from traitlets import Unicode

log = logging.getLogger(__name__)

OUTLINE_PANE = "rr-fond"
"""Pane of the outlines; its class is ``leaflet-rr-fond-pane``."""
NAME_PANE = "rr-noms"
"""Pane of the commune names; its class is ``leaflet-rr-noms-pane``."""
PANES = {
    # Leaflet's tile pane is at 200: both panes sit under the tiles, and never catch
    # the pointer (the layers above them do).
    OUTLINE_PANE: {"zIndex": 150, "pointerEvents": "none"},
    NAME_PANE: {"zIndex": 160, "pointerEvents": "none"},
}
NAMES_OVER_DATA = {"zIndex": 450, "pointerEvents": "none"}
"""The names' pane above Leaflet's overlay pane (400), for a map without outlines."""
OUTLINE_STYLE = {
    "color": "#7A7F87",
    "weight": 1,
    "opacity": 1,
    "fillColor": "#F3F1EA",
    "fillOpacity": 1,
}
"""Light land with grey limits: readable under coloured points and shapes."""
COORDINATE_DIGITS = 4
"""Decimals kept for the outlines (about 10 m): enough for a background, lighter."""
CHAR_PX = 6.2
"""Estimated width of one character of a name (11 px sans-serif), in pixels."""
NAME_HEIGHT_PX = 14
"""Height of a name's box, in pixels."""
TILE_PX = 256
NAME_STYLE = (
    "display:block;font:11px/14px system-ui,sans-serif;color:#3C4048;text-align:center;"
    "white-space:nowrap;text-shadow:0 0 2px #fff,0 0 2px #fff"
)
"""Inline style of a name: the page's stylesheet may not be there (a map alone)."""
OUTLINES_ATTRIBUTION = "Contours des communes : IGN Admin Express"
"""Credit of the outlines, beside the tiles' credit."""
OUTLINES_DATASET = "communes-metropole"
"""Registry dataset whose outlines are every map's background."""
GEOMETRY_COLUMN = "geo_shape"
"""Column of the GeoJSON geometries in a frame read by ``load_dataset``."""
BACKGROUND_NAME = "Fond : communes"
"""Name of the background in the layer switcher."""


def outlines_collection(
    frame: pd.DataFrame, code: str, name: str, geometry: str = GEOMETRY_COLUMN
) -> dict:
    """A GeoJSON FeatureCollection from one row per commune (properties ``code``, ``nom``)."""
    located = frame.dropna(subset=[geometry])
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": shape,
                "properties": {"code": str(key), "nom": str(label)},
            }
            for key, label, shape in zip(
                located[code], located[name], located[geometry], strict=True
            )
        ],
    }


@functools.cache
def default_outlines() -> dict | None:
    """The Métropole's commune outlines, read once per kernel from the embedded snapshot.

    A map's background is part of the map, like its tiles: it is always the embedded
    copy (never a live read that could fail or be slow), the same in every page. None,
    logged, when the snapshot has no outlines: maps are then drawn without background.
    """
    from rouen_opendata import load_dataset

    try:
        frame, _ = load_dataset(OUTLINES_DATASET, source="snapshot")
        return outlines_collection(frame, "code_insee", "nom_commune")
    except (KeyError, ValueError, OSError) as error:
        log.warning("no commune outlines for the map background: %s", error)
        return None


def rounded(coordinates: object) -> object:
    """GeoJSON coordinates (nested lists) rounded to ``COORDINATE_DIGITS`` decimals."""
    if (
        isinstance(coordinates, list | tuple)
        and coordinates
        and isinstance(coordinates[0], float | int)
    ):
        return [round(float(c), COORDINATE_DIGITS) for c in coordinates]
    return [rounded(part) for part in coordinates]  # type: ignore[union-attr]


def light_outlines(outlines: Mapping, name_property: str = "nom") -> dict:
    """The outlines with coordinates rounded and only the name kept as property."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {
                    "type": feature["geometry"]["type"],
                    "coordinates": rounded(feature["geometry"]["coordinates"]),
                },
                "properties": {"nom": str(feature["properties"].get(name_property, ""))},
            }
            for feature in outlines.get("features", [])
            if feature.get("geometry")
        ],
    }


def name_places(outlines: Mapping, name_property: str = "nom") -> list[dict[str, object]]:
    """Each commune's name, a point inside it, and its outline's extent in degrees.

    The point is shapely's ``point_on_surface`` (inside the outline even for a commune
    shaped like a crescent), largest communes first.
    """
    places = []
    for feature in outlines.get("features", []):
        if not feature.get("geometry"):
            continue
        shape = shapely.geometry.shape(feature["geometry"])
        west, south, east, north = shape.bounds
        point = shape.point_on_surface()
        places.append(
            {
                "name": str(feature["properties"].get(name_property, "")),
                "lat": round(point.y, COORDINATE_DIGITS),
                "lon": round(point.x, COORDINATE_DIGITS),
                "width": east - west,
                "height": north - south,
                "area": shape.area,
            }
        )
    return sorted(places, key=lambda p: p["area"], reverse=True)


def _pixels(lat: float, lon: float, zoom: float) -> tuple[float, float]:
    """Web Mercator pixel coordinates of a point at ``zoom``."""
    scale = TILE_PX * 2**zoom
    y = math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))
    return (lon + 180) / 360 * scale, (1 - y / math.pi) / 2 * scale


def names_at_zoom(places: list[dict[str, object]], zoom: float) -> list[dict[str, object]]:
    """The places whose name fits in its commune at ``zoom`` and overlaps no larger
    commune's name (larger communes are placed first)."""
    px_per_degree = TILE_PX * 2**zoom / 360
    kept: list[tuple[float, float, float, float]] = []
    chosen = []
    for place in places:
        width = len(str(place["name"])) * CHAR_PX
        if width > float(place["width"]) * px_per_degree:
            continue
        x, y = _pixels(float(place["lat"]), float(place["lon"]), zoom)
        box = (x - width / 2, y - NAME_HEIGHT_PX / 2, x + width / 2, y + NAME_HEIGHT_PX / 2)
        if any(
            box[0] < other[2] and other[0] < box[2] and box[1] < other[3] and other[1] < box[3]
            for other in kept
        ):
            continue
        kept.append(box)
        chosen.append(place)
    return chosen


class OutlineShapes(ipyleaflet.GeoJSON):
    """A GeoJSON layer drawn in the background pane: ipyleaflet does not hand a GeoJSON
    layer's ``pane`` to Leaflet (not an option), this class does."""

    pane = Unicode(OUTLINE_PANE).tag(sync=True, o=True)


class NameIcon(ipyleaflet.DivIcon):
    """A text icon without Leaflet's white box (its own ``className``)."""

    class_name = Unicode("rr-commune-label").tag(sync=True, o=True)


def _name_marker(place: Mapping[str, object]) -> ipyleaflet.Marker:
    width = math.ceil(len(str(place["name"])) * CHAR_PX) + 4
    icon = NameIcon(
        html=f'<span style="{NAME_STYLE}">{html.escape(str(place["name"]))}</span>',
        icon_size=[width, NAME_HEIGHT_PX],
        icon_anchor=[width // 2, NAME_HEIGHT_PX // 2],
    )
    return ipyleaflet.Marker(
        location=(place["lat"], place["lon"]),
        icon=icon,
        draggable=False,
        keyboard=False,
        pane=NAME_PANE,
    )


class CommuneNames(ipyleaflet.LayerGroup):
    """Commune names as text markers, those that fit at the map's zoom."""

    def __init__(self, places: list[dict[str, object]], zoom: float) -> None:
        super().__init__(name="Noms des communes")
        self.places = places
        self.zoom: float | None = None
        self.show_zoom(zoom)

    def show_zoom(self, zoom: float) -> None:
        """Draw the names that fit at ``zoom``; the replaced markers are closed."""
        if zoom == self.zoom:
            return
        self.zoom = zoom
        old = list(self.layers)
        self.layers = tuple(_name_marker(place) for place in names_at_zoom(self.places, zoom))
        for marker in old:
            marker.icon.close()
            marker.close()

    def follow(self, change: Mapping[str, object]) -> None:
        """Map ``zoom`` observer: redraw the names for the new zoom (live pages)."""
        self.show_zoom(float(change["new"]))  # type: ignore[arg-type]


class MapBackground(ipyleaflet.LayerGroup):
    """The commune outlines and names, one entry « Fond : communes » in the layer switcher.

    ``shapes=False`` keeps only the names, for a map whose data layer already draws
    every commune (a choropleth): the outlines would be drawn, and weigh, twice.
    """

    def __init__(
        self, outlines: Mapping, zoom: float, *, name_property: str = "nom", shapes: bool = True
    ) -> None:
        self.outlines = (
            OutlineShapes(
                data=light_outlines(outlines, name_property),
                name="Contours des communes",
                style=dict(OUTLINE_STYLE),
            )
            if shapes
            else None
        )
        self.names = CommuneNames(name_places(outlines, name_property), zoom)
        layers = (self.outlines, self.names) if self.outlines is not None else (self.names,)
        super().__init__(layers=layers, name=BACKGROUND_NAME)


def add_background(
    map_: ipyleaflet.Map, outlines: Mapping, *, name_property: str = "nom", shapes: bool = True
) -> MapBackground:
    """Draw ``outlines`` and the commune names under the tiles of ``map_``.

    Parameters
    ----------
    map_
        The map; its ``panes`` gain the two background panes, and the names follow its
        zoom while a kernel runs.
    outlines
        GeoJSON FeatureCollection of the communes (WGS84), a name in each feature's
        ``name_property``.
    shapes
        Draw the outlines (False: the names only, see :class:`MapBackground`).
    """
    # Without outlines, the names go over the data (a choropleth's fill would hide them).
    map_.panes = {**map_.panes, **(PANES if shapes else {NAME_PANE: NAMES_OVER_DATA})}
    background = MapBackground(outlines, map_.zoom, name_property=name_property, shapes=shapes)
    map_.add(background)
    map_.observe(background.names.follow, "zoom")
    log.debug("background: outlines %s, %d names shown", shapes, len(background.names.layers))
    return background
