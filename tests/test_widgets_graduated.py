"""Graduated points: class limits, sizes and colours by class, one highlighted point."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from ipywidgets.widgets.widget import _instances as live_widgets

from widgets.graduated import (
    BLUES,
    HIGHLIGHT_COLOR,
    RADII,
    GraduatedPoints,
    class_breaks,
    class_labels,
)


def _sites() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "name": ["Pont <A>", "Quai B", "Rue C", "Sans position"],
            "mean": [2400.0, 130.0, 610.0, 50.0],
            "lat": [49.44, 49.34, 49.45, np.nan],
            "lon": [1.09, 1.10, 1.08, 1.0],
        },
        index=["a", "b", "c", "d"],
    )


def test_breaks_are_rounded_quantiles_and_labels_read_in_french():
    assert class_breaks([1234.0, 1234.0]) == []
    breaks = class_breaks(pd.Series(range(1, 1001), dtype=float), classes=4)
    assert breaks == [250.0, 500.0, 750.0]
    assert class_labels([240.0, 1200.0], "vélos par jour") == [
        "moins de 240\u00a0vélos par jour",
        "240 à 1\u202f200\u00a0vélos par jour",
        "1\u202f200\u00a0vélos par jour et plus",
    ]


def test_points_are_sized_and_coloured_by_class_with_escaped_popups():
    points = GraduatedPoints("Compteurs", [200.0, 1000.0], {"name": "Compteur"}, unit="vélos")
    assert list(points.legend_items.values()) == list(BLUES[1:])  # 3 classes: darker colours
    points.update(_sites(), "mean")
    markers = list(points.layer.layers)
    assert len(markers) == 3  # the point without position is left off
    by_name = {m.popup.value.split("</strong> : ")[1].split("<")[0]: m for m in markers}
    assert (
        by_name["Pont &lt;A&gt;"].fill_color == BLUES[3]
        and by_name["Pont &lt;A&gt;"].radius == RADII[3]
    )
    assert by_name["Quai B"].fill_color == BLUES[1] and by_name["Quai B"].radius == RADII[1]
    assert markers[0] is by_name["Pont &lt;A&gt;"]  # largest drawn first, under the others


def test_highlight_outlines_one_point_and_replaced_markers_are_closed():
    points = GraduatedPoints("Compteurs", [200.0, 1000.0], {"name": "Compteur"})
    points.update(_sites(), "mean")
    old = list(points.layer.layers)
    points.update(_sites(), "mean", highlight="b")
    markers = list(points.layer.layers)
    assert all(marker.comm is None and marker.popup.comm is None for marker in old)
    alive = len(live_widgets)  # the dict behind the deprecated ipywidgets.Widget.widgets
    for _ in range(3):
        points.update(_sites(), "mean", highlight="b")
    assert len(live_widgets) == alive
    assert markers[-1].color == HIGHLIGHT_COLOR and markers[-1].weight == 4
    assert {m.fill_opacity for m in markers[:-1]} == {0.35}


def test_too_many_classes_for_the_colours_is_refused():
    with pytest.raises(ValueError, match="one colour"):
        GraduatedPoints("x", [1.0, 2.0, 3.0, 4.0])
