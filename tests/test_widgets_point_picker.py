"""A point chosen on the map: clicks, drags and the home button move one (lat, lon) value."""

from __future__ import annotations

import ipyleaflet

from widgets import ParameterControls, base_map
from widgets.point_picker import point_picker

HOME = ("Revenir à l'Hôtel de Ville", 49.4431, 1.0994)


def _picker():
    map_ = base_map()
    return map_, point_picker(map_, 49.443214, 1.099456, label="Votre point", home=HOME)


def test_marker_on_the_map_and_rounded_value():
    map_, picker = _picker()
    assert picker.value == (49.44321, 1.09946)
    assert picker.marker in map_.layers and isinstance(picker.marker, ipyleaflet.Marker)
    assert tuple(picker.marker.location) == picker.value
    assert "49,44321 N, 1,09946 E" in picker.text.value


def test_click_drag_and_home_each_call_back_once_with_both_parameters():
    map_, picker = _picker()
    controls = ParameterControls({("lat", "lon"): picker})
    seen = []
    controls.observe(seen.append)
    picker._interaction(type="mousemove", coordinates=[49.0, 1.0])  # moving is not choosing
    assert seen == []
    picker._interaction(type="click", coordinates=[49.40001234, 1.05])
    assert seen == [{"lat": 49.40001, "lon": 1.05}]
    assert tuple(picker.marker.location) == (49.40001, 1.05)
    picker.marker.location = (49.41, 1.06)
    assert seen[-1] == {"lat": 49.41, "lon": 1.06} and len(seen) == 2
    picker.home_button.click()
    assert seen[-1] == {"lat": HOME[1], "lon": HOME[2]} and len(seen) == 3
