"""Maps (ipyleaflet) that stay light in a static page.

Every ipyleaflet Marker is a widget model embedded in the page, so point sets larger
than ``MARKER_LIMIT`` (or any set, with ``geojson=True``) become one ``GeoJSON`` layer
of circles; hovering or touching a point fills the map's info panel (live pages, with a
kernel). Small sets become markers with popups, which open in static pages too. Markers
replaced by an update are closed with their popups (:func:`close_markers`), so they
leave the page state and the kernel.
"""

from __future__ import annotations

import html
import logging
import weakref
from collections.abc import Iterable, Mapping, Sequence

import ipyleaflet
import ipywidgets as widgets
import pandas as pd

from .background import OUTLINES_ATTRIBUTION, add_background, default_outlines
from .colors import DEFAULT_COLOR
from .tables import format_cell

log = logging.getLogger(__name__)

ROUEN_CENTER = (49.44, 1.09)
"""Centre of the Métropole Rouen Normandie (near the Seine, Rouen left bank)."""
DEFAULT_ZOOM = 11
"""Zoom showing the whole Métropole around ``ROUEN_CENTER``."""
MARKER_LIMIT = 300
"""Above this many points, a layer is one GeoJSON layer instead of one model per marker."""
OSM_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = (
    '&copy; <a href="https://www.openstreetmap.org/copyright">contributeurs OpenStreetMap</a>'
)
_marker_styles: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
"""Colour and radius of each marker layer, to redraw it alike in :func:`set_points`."""
COORDINATE_DIGITS = 5
"""Decimals kept for coordinates (about 1 m), to keep the page state small."""
HOVER_STYLE = {"weight": 3, "color": "#222222", "fillOpacity": 1}
"""Style of a GeoJSON point under the pointer."""


def base_map(
    center: tuple[float, float] = ROUEN_CENTER,
    zoom: int = DEFAULT_ZOOM,
    height: str = "420px",
    *,
    data_attribution: str | None = None,
    outlines: Mapping | bool = True,
    outline_shapes: bool = True,
) -> ipyleaflet.Map:
    """A map of the Métropole: OpenStreetMap tiles over the commune outlines, credited
    in French (no library name).

    Parameters
    ----------
    center, zoom
        Initial view; the default shows the whole Métropole.
    height
        CSS height; the width follows the page.
    data_attribution
        Plain text credited beside the tiles, e.g. « Données : Métropole Rouen Normandie ».
    outlines
        Commune outlines drawn under the tiles (readable when tiles do not load):
        True for the Métropole's (:func:`widgets.background.default_outlines`), a GeoJSON
        FeatureCollection for others, False for none.
    outline_shapes
        False draws the commune names only (a choropleth draws the communes itself).
    """
    shapes = default_outlines() if outlines is True else (outlines or None)
    credits = [OSM_ATTRIBUTION]
    if shapes:
        credits.append(OUTLINES_ATTRIBUTION)
    if data_attribution:
        credits.append(html.escape(data_attribution))
    tiles = ipyleaflet.TileLayer(
        url=OSM_URL, attribution=" · ".join(credits), name="OpenStreetMap", max_zoom=19, base=True
    )
    map_ = ipyleaflet.Map(
        basemap=tiles,
        center=center,
        zoom=zoom,
        scroll_wheel_zoom=False,
        attribution_control=False,
        layout=widgets.Layout(width="100%", height=height),
    )
    map_.add(ipyleaflet.AttributionControl(position="bottomright", prefix=""))
    if shapes:
        add_background(map_, shapes, shapes=outline_shapes)
    return map_


def point_facts(record: Mapping[str, object], fields: Mapping[str, str]) -> dict[str, str]:
    """A point's facts, French label → text, from a record and its column → label map;
    empty values are left out."""
    return {
        label: text for column, label in fields.items() if (text := format_cell(record.get(column)))
    }


def _points(
    frame: pd.DataFrame, popup_fields: Mapping[str, str], lat: str, lon: str
) -> list[tuple[float, float, dict[str, str]]]:
    """(lat, lon, label → text) per located row, coordinates rounded."""
    located = frame.dropna(subset=[lat, lon])
    if len(located) < len(frame):
        log.info("%d rows without coordinates left off the map", len(frame) - len(located))
    records = located[list(popup_fields)].to_dict("records")
    return [
        (
            round(float(y), COORDINATE_DIGITS),
            round(float(x), COORDINATE_DIGITS),
            point_facts(record, popup_fields),
        )
        for y, x, record in zip(located[lat], located[lon], records, strict=True)
    ]


def points_geojson(
    frame: pd.DataFrame,
    popup_fields: Mapping[str, str] | None = None,
    *,
    lat: str = "lat",
    lon: str = "lon",
) -> dict:
    """A FeatureCollection of points whose properties are the popup labels → text."""
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [x, y]},
            "properties": properties,
        }
        for y, x, properties in _points(frame, dict(popup_fields or {}), lat, lon)
    ]
    return {"type": "FeatureCollection", "features": features}


def facts_html(properties: Mapping[str, str]) -> str:
    """A point's facts (label → text) as escaped HTML lines, for popups and the info panel."""
    rows = "".join(
        f"<p><strong>{html.escape(k)}</strong> : {html.escape(v)}</p>"
        for k, v in properties.items()
        if k != "style" and v != ""
    )
    return f'<div class="rr-popup">{rows}</div>'


def popups(texts: Sequence[str]) -> list[widgets.HTML]:
    """HTML popups for a set of markers, sharing one layout and one style: two widget
    models for the whole set rather than two more per popup (none for no text)."""
    if not texts:
        return []
    layout, style = widgets.Layout(), widgets.widget_string.HTMLStyle()
    return [widgets.HTML(text, layout=layout, style=style) for text in texts]


def _markers(
    frame: pd.DataFrame,
    popup_fields: Mapping[str, str],
    color: str,
    *,
    lat: str,
    lon: str,
    cluster: bool,
    radius: int,
) -> list[ipyleaflet.Layer]:
    points = _points(frame, popup_fields, lat, lon)
    texts = popups([facts_html(properties) for _, _, properties in points])
    markers = []
    for (y, x, properties), popup in zip(points, texts, strict=True):
        if cluster:
            title = next(iter(properties.values()), "")
            markers.append(
                ipyleaflet.Marker(location=(y, x), title=title, draggable=False, popup=popup)
            )
        else:
            markers.append(
                ipyleaflet.CircleMarker(
                    location=(y, x),
                    radius=radius,
                    color=color,
                    fill_color=color,
                    fill_opacity=0.8,
                    weight=1,
                    popup=popup,
                    popup_min_width=180,
                )
            )
    return markers


def point_style(color: str, radius: float) -> dict[str, object]:
    """Circle style of the points of a GeoJSON layer (white outline: overlaps stay readable)."""
    return {
        "radius": radius,
        "color": "white",
        "weight": 1,
        "fillColor": color,
        "fillOpacity": 0.85,
        "opacity": 0.9,
    }


def points_layer(
    frame: pd.DataFrame,
    name: str,
    popup_fields: Mapping[str, str] | None = None,
    color: str = DEFAULT_COLOR,
    *,
    lat: str = "lat",
    lon: str = "lon",
    cluster: bool | None = None,
    radius: int = 5,
    geojson: bool = False,
) -> ipyleaflet.Layer:
    """A layer of points from a frame with latitude and longitude columns.

    Parameters
    ----------
    frame
        One row per point.
    name
        Layer name shown in the layer control.
    popup_fields
        Column → French label of the facts shown for a point (popup or info panel).
    color
        Fill and outline colour.
    lat, lon
        Coordinate columns (``stop_lat``/``stop_lon`` for GTFS stops).
    cluster
        For sets up to ``MARKER_LIMIT`` points: True gives a MarkerCluster of markers,
        otherwise coloured circle markers with popups. Larger sets are always one
        GeoJSON layer of circles (one model, whatever the number of points).
    radius
        Circle radius in pixels.
    geojson
        One GeoJSON layer whatever the number of points: lighter for a map showing many
        layers at once; facts show in the info panel (live pages) instead of popups.
    """
    popup_fields = dict(popup_fields or {})
    if geojson or len(frame) > MARKER_LIMIT:
        if cluster:
            log.info(
                "%s: %d points, drawn as one GeoJSON layer instead of a cluster", name, len(frame)
            )
        return ipyleaflet.GeoJSON(
            data=points_geojson(frame, popup_fields, lat=lat, lon=lon),
            name=name,
            point_style=point_style(color, radius),
            hover_style=dict(HOVER_STYLE),
        )
    markers = _markers(
        frame, popup_fields, color, lat=lat, lon=lon, cluster=bool(cluster), radius=radius
    )
    layer = (
        ipyleaflet.MarkerCluster(markers=markers, name=name)
        if cluster
        else ipyleaflet.LayerGroup(layers=markers, name=name)
    )
    _marker_styles[layer] = {"color": color, "radius": radius}
    return layer


def close_markers(markers: Iterable[ipyleaflet.Layer]) -> None:
    """Close markers taken off a map, with their popups and the popups' layout and style.

    Closing a marker leaves its popup (an HTML widget) and that widget's layout and
    style alive in the kernel and in the page state: they are closed here too. Take the
    markers off their layer first, so the front end removes them before they close.

    The « Widget is not attached » errors a browser logs when markers leave a layer are
    not caused by this closing: jupyter-leaflet logs one per removed marker whose popup
    was never opened, with or without it (checked in Voilà, Chromium).
    """
    for marker in markers:
        popup = getattr(marker, "popup", None)
        if popup is not None:
            for part in (popup, getattr(popup, "layout", None), getattr(popup, "style", None)):
                if part is not None:
                    part.close()
        marker.close()


def set_points(
    layer: ipyleaflet.Layer,
    frame: pd.DataFrame,
    popup_fields: Mapping[str, str] | None = None,
    *,
    lat: str = "lat",
    lon: str = "lon",
) -> None:
    """Replace the points of a layer made by :func:`points_layer`, in place.

    Replaced markers are closed with their popups (:func:`close_markers`).
    """
    popup_fields = dict(popup_fields or {})
    if isinstance(layer, ipyleaflet.GeoJSON):
        layer.data = points_geojson(frame, popup_fields, lat=lat, lon=lon)
        return
    cluster = isinstance(layer, ipyleaflet.MarkerCluster)
    old = list(layer.markers if cluster else layer.layers)
    style = _marker_styles.get(layer, {"color": DEFAULT_COLOR, "radius": 5})
    markers = _markers(
        frame,
        popup_fields,
        style["color"],
        lat=lat,
        lon=lon,
        cluster=cluster,
        radius=style["radius"],
    )
    if cluster:
        layer.markers = tuple(markers)
    else:
        layer.layers = tuple(markers)
    close_markers(old)


def geojson_layer(
    data: dict,
    name: str,
    style: Mapping[str, object] | None = None,
    hover_style: Mapping[str, object] | None = None,
) -> ipyleaflet.GeoJSON:
    """A layer of GeoJSON shapes (lines, polygons) with one style."""
    return ipyleaflet.GeoJSON(
        data=data,
        name=name,
        style=dict(style or {"color": DEFAULT_COLOR, "weight": 2, "fillOpacity": 0.2}),
        hover_style=dict(hover_style or {"weight": 4, "fillOpacity": 0.4}),
    )
