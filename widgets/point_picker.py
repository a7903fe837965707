"""A point chosen on a map: a marker the visitor moves by touching the map.

:class:`PointPicker` puts a marker on an ipyleaflet map and has a ``value`` trait
(latitude, longitude). Touching or clicking the map, or dragging the marker, moves it
(live pages, with a kernel); a static page shows the marker where the notebook put it.
In :class:`~widgets.controls.ParameterControls` give it a pair of names,
``{("lat", "lon"): picker}``, so the two parameters follow the map.
"""

from __future__ import annotations

import html
import logging

import ipyleaflet
import ipywidgets as widgets
import traitlets

from rouen_opendata.formatting import format_number

log = logging.getLogger(__name__)

DIGITS = 5
"""Decimals kept (about 1 m): short URLs, stable values."""


class PointPicker(widgets.VBox):
    """A marker on ``map_`` and the text of its position; ``value`` = (lat, lon).

    Parameters
    ----------
    map_
        The map the visitor touches.
    lat, lon
        Starting position (degrees).
    label
        What the point is (« Votre adresse »), in the marker's tooltip and the text.
    home
        Optional (French label, lat, lon): a button bringing the marker back there.
    """

    value = traitlets.Tuple(traitlets.Float(), traitlets.Float())

    def __init__(
        self,
        map_: ipyleaflet.Map,
        lat: float,
        lon: float,
        *,
        label: str = "Point choisi",
        home: tuple[str, float, float] | None = None,
    ) -> None:
        self.map, self.label = map_, label
        start = (round(float(lat), DIGITS), round(float(lon), DIGITS))
        self.marker = ipyleaflet.Marker(location=start, draggable=True, title=label)
        map_.add(self.marker)
        self.text = widgets.HTML("")
        children: list[widgets.Widget] = [self.text]
        self.home_button = None
        if home is not None:
            self.home_button = widgets.Button(
                description=home[0], layout=widgets.Layout(width="auto")
            )
            self.home_button.on_click(lambda _b: self._move(home[1], home[2]))
            children.append(self.home_button)
        super().__init__(children, layout=widgets.Layout(width="100%"))
        self.add_class("rr-point-picker")
        self.value = start
        self.marker.observe(self._dragged, names="location")
        map_.on_interaction(self._interaction)

    def _move(self, lat: float, lon: float) -> None:
        self.value = (round(float(lat), DIGITS), round(float(lon), DIGITS))

    def _interaction(self, **event: object) -> None:
        if event.get("type") == "click" and event.get("coordinates"):
            lat, lon = event["coordinates"]  # type: ignore[misc]
            self._move(lat, lon)

    def _dragged(self, change: dict) -> None:
        lat, lon = change["new"]
        self._move(lat, lon)

    @traitlets.observe("value")
    def _value_changed(self, change: dict) -> None:
        lat, lon = change["new"]
        if tuple(self.marker.location) != (lat, lon):
            self.marker.location = (lat, lon)
        self.text.value = (
            f"<p><strong>{html.escape(self.label)}</strong> : {format_number(lat, DIGITS)} N, "
            f"{format_number(lon, DIGITS)} E. Touchez la carte pour choisir un autre point "
            "(dans le tableau de bord interactif).</p>"
        )


def point_picker(
    map_: ipyleaflet.Map,
    lat: float,
    lon: float,
    *,
    label: str = "Point choisi",
    home: tuple[str, float, float] | None = None,
) -> PointPicker:
    """A movable point on ``map_`` (see :class:`PointPicker`)."""
    return PointPicker(map_, lat, lon, label=label, home=home)
