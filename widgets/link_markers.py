"""Markers whose popups carry links (a fact sheet, a photo on the publisher's site).

For small point sets (a few dozen): each point is a circle marker with a popup that
opens in static pages too. The popup lists the point's facts, then links built only
from ``http(s)`` addresses, opening in a new tab. Linking, rather than embedding, is
how a page shows material whose licence does not allow republishing it.
"""

from __future__ import annotations

import html
import logging
import weakref
from collections.abc import Mapping

import ipyleaflet
import pandas as pd

from .colors import DEFAULT_COLOR
from .maps import COORDINATE_DIGITS, close_markers, facts_html, point_facts, popups
from .tables import format_cell

log = logging.getLogger(__name__)

LIMIT = 300
"""More points than this would weigh on the page: use ``widgets.points_layer``."""
_styles: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
"""Fields, links, colour and radius of each layer, to redraw it alike."""


def _anchors(record: Mapping[str, object], links: Mapping[str, str]) -> list[str]:
    anchors = []
    for column, label in links.items():
        url = record.get(column)
        if isinstance(url, str) and url.lower().startswith(("https://", "http://")):
            anchors.append(
                f'<a href="{html.escape(url, quote=True)}" target="_blank" '
                f'rel="noopener noreferrer">{html.escape(label)}</a>'
            )
    return anchors


def links_html(record: Mapping[str, object], links: Mapping[str, str]) -> str:
    """Links (column → label) of one record; non-http(s) or empty addresses are left out."""
    anchors = _anchors(record, links)
    return f'<p class="rr-popup-links">{" · ".join(anchors)}</p>' if anchors else ""


def popup_html(
    record: Mapping[str, object], fields: Mapping[str, str], links: Mapping[str, str]
) -> str:
    """A point's facts (column → label, escaped) followed by its links."""
    return facts_html(point_facts(record, fields)) + links_html(record, links)


def _markers(
    frame: pd.DataFrame,
    fields: Mapping[str, str],
    links: Mapping[str, str],
    color: str,
    radius: int,
) -> list[ipyleaflet.CircleMarker]:
    located = frame.dropna(subset=["lat", "lon"])
    if len(located) > LIMIT:
        raise ValueError(f"{len(located)} points: too many for popups with links")
    records = located.to_dict("records")
    texts = popups([popup_html(r, fields, links) for r in records])
    return [
        ipyleaflet.CircleMarker(
            location=(
                round(float(r["lat"]), COORDINATE_DIGITS),
                round(float(r["lon"]), COORDINATE_DIGITS),
            ),
            radius=radius,
            color="white",
            weight=2,
            fill_color=color,
            fill_opacity=0.9,
            popup=popup,
            popup_min_width=200,
        )
        for r, popup in zip(records, texts, strict=True)
    ]


def linked_points_layer(
    frame: pd.DataFrame,
    name: str,
    fields: Mapping[str, str],
    links: Mapping[str, str],
    color: str = DEFAULT_COLOR,
    *,
    radius: int = 8,
) -> ipyleaflet.LayerGroup:
    """A layer of circle markers whose popups show facts and links.

    Parameters
    ----------
    frame
        One row per point, with ``lat``/``lon`` columns.
    name
        Layer name in the layer switcher.
    fields
        Column → French label of the facts shown.
    links
        Column holding an address → French link text (« Fiche descriptive (PDF) »).
    color, radius
        Fill colour and radius in pixels.
    """
    layer = ipyleaflet.LayerGroup(layers=_markers(frame, fields, links, color, radius), name=name)
    _styles[layer] = (dict(fields), dict(links), color, radius)
    return layer


def set_linked_points(layer: ipyleaflet.LayerGroup, frame: pd.DataFrame) -> None:
    """Replace the points of a layer made by :func:`linked_points_layer`, in place.

    Replaced markers are closed with their popups (:func:`widgets.maps.close_markers`).
    """
    fields, links, color, radius = _styles[layer]
    old = list(layer.layers)
    layer.layers = tuple(_markers(frame, fields, links, color, radius))
    close_markers(old)


def links_list_html(
    frame: pd.DataFrame, title: str, links: Mapping[str, str], caption: str = ""
) -> str:
    """One line per row: its ``title`` column, then its links — the map's links in a list
    that screen readers and keyboards reach without the map."""
    items = "".join(
        f"<li>{html.escape(format_cell(record.get(title)))} : "
        f"{' · '.join(_anchors(record, links)) or 'aucun lien'}</li>"
        for record in frame.to_dict("records")
    )
    heading = f'<p class="rr-links-caption">{html.escape(caption)}</p>' if caption else ""
    return f'<div class="rr-links">{heading}<ul>{items}</ul></div>'
