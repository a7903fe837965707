"""Maps that cross several layers: layer switcher, legend, info panel, data table.

:func:`crossing_map` puts layers made by :mod:`widgets.maps` on one map and adds what a
reader needs around it: a legend under the map (readable on a phone, and by screen
readers), a panel filled by hovering GeoJSON points (live pages), and the map's data
as a table that opens on demand. :meth:`MapPanel.replace_layer` swaps a layer for one
of another kind, keeping the info panel wired.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Mapping

import ipyleaflet
import ipywidgets as widgets
import pandas as pd

from .choropleth import Choropleth
from .colors import legend_html
from .maps import base_map, close_markers, facts_html
from .tables import details_html, html_table

log = logging.getLogger(__name__)

INFO_PLACEHOLDER = "Survolez ou touchez un point de la carte pour afficher ses informations."
"""Invitation shown in the info panel before any point is hovered."""


def legend(
    items: Mapping[str, str], title: str = "Légende", position: str = "bottomleft"
) -> ipyleaflet.LegendControl:
    """A legend drawn on the map: label → colour (covers much of a phone-sized map)."""
    return ipyleaflet.LegendControl(dict(items), title=title, position=position)


class InfoPanel(widgets.HTML):
    """Text under a map showing the facts of the last point hovered or touched."""

    def __init__(self, empty_text: str = INFO_PLACEHOLDER) -> None:
        self.empty_text = empty_text
        super().__init__(f'<p class="rr-info-empty">{html.escape(empty_text)}</p>')
        self.add_class("rr-info")
        self.layout.min_height = "2.5em"

    def show(self, properties: Mapping[str, object] | None = None, **_event: object) -> None:
        """Show a feature's properties (label → text); empty shows the placeholder."""
        facts = {str(k): str(v) for k, v in (properties or {}).items() if k != "style"}
        self.value = (
            facts_html(facts)
            if facts
            else (f'<p class="rr-info-empty">{html.escape(self.empty_text)}</p>')
        )


class MapPanel(widgets.VBox):
    """A map, its info panel and an optional « Voir les données en tableau »."""

    def __init__(
        self,
        map_: ipyleaflet.Map,
        layers: Mapping[str, ipyleaflet.Layer],
        info: InfoPanel | None,
        legend: str = "",
    ) -> None:
        self.map, self.layers, self.info = map_, dict(layers), info
        self.legend = widgets.HTML(legend, layout=widgets.Layout(width="100%"))
        self.table = widgets.HTML("")
        children = [map_, self.legend] + ([info] if info is not None else []) + [self.table]
        super().__init__(children, layout=widgets.Layout(width="100%"))
        self.add_class("rr-map")

    def set_table(self, frame: pd.DataFrame, caption: str, max_rows: int = 200) -> None:
        """Put the map's data under it as a table that opens on demand."""
        self.table.value = details_html(html_table(frame, caption, max_rows=max_rows))

    def replace_layer(self, name: str, layer: ipyleaflet.Layer) -> ipyleaflet.Layer:
        """Put ``layer`` in place of the layer called ``name`` (or add it), when the kind
        of layer changes (points become counted circles past a threshold).

        The old layer and its markers are closed, so they leave the page state; a GeoJSON
        layer is wired to the info panel.
        """
        old = self.layers.get(name)
        if old is not None:
            self.map.remove(old)
            close_markers(getattr(old, "layers", ()) + getattr(old, "markers", ()))
            old.close()
        layer.name = name
        self.map.add(layer)
        _wire_info(layer, self.info)
        self.layers[name] = layer
        return layer


def _wire_info(layer: ipyleaflet.Layer, info: InfoPanel | None) -> None:
    """Show a GeoJSON layer's point facts in the info panel when hovered or touched."""
    if info is not None and isinstance(layer, ipyleaflet.GeoJSON):
        layer.on_hover(info.show)
        layer.on_click(info.show)


def crossing_map(
    layers: Mapping[str, ipyleaflet.Layer],
    *,
    legend_items: Mapping[str, str] | None = None,
    legend_title: str = "Légende",
    legend_on_map: bool = False,
    info: bool | str = True,
    map_: ipyleaflet.Map | None = None,
    **map_options: object,
) -> MapPanel:
    """Several layers on one map, with a layer switcher, a legend and an info panel.

    Parameters
    ----------
    layers
        Name shown in the layer switcher → layer.
    legend_items
        Label → colour; no legend when None.
    legend_on_map
        Draw the legend over the map instead of under it (under it keeps a phone-sized
        map visible and is read by screen readers).
    info
        Add an info panel filled by hovering or touching GeoJSON points; a text
        replaces the panel's default invitation.
    map_
        Map to use; by default :func:`base_map` called with ``map_options`` (with the
        commune names only as background when a layer is a :class:`Choropleth`).
    """
    if any(isinstance(layer, Choropleth) for layer in layers.values()):
        map_options.setdefault("outline_shapes", False)  # the choropleth draws them
    map_ = map_ or base_map(**map_options)
    panel_info = None
    if info:
        panel_info = InfoPanel(info) if isinstance(info, str) else InfoPanel()
    for name, layer in layers.items():
        layer.name = name
        map_.add(layer)
        _wire_info(layer, panel_info)
    map_.add(ipyleaflet.LayersControl(position="topright", collapsed=True))
    if legend_items and legend_on_map:
        map_.add(legend(legend_items, legend_title))
    text = legend_html(legend_items, legend_title) if legend_items and not legend_on_map else ""
    return MapPanel(map_, layers, panel_info, text)
