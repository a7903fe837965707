"""Choropleth of the communes: classes, colours, facts in French, a legend in words."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rouen_opendata.formatting import format_number
from widgets import MapBackground, crossing_map
from widgets.choropleth import NO_DATA_COLOR, NO_DATA_LABEL, PALETTE, ZERO_COLOR, Choropleth


def _values(outlines: dict, seed: int = 3) -> pd.Series:
    codes = [f["properties"]["code"] for f in outlines["features"]]
    rng = np.random.default_rng(seed)
    return pd.Series(rng.gamma(2.0, 3.0, len(codes)), index=codes)


def _fills(layer: Choropleth) -> dict[str, str]:
    return {
        code: feature["properties"]["style"]["fillColor"]
        for (code, _, _), feature in zip(layer.shapes, layer.data["features"], strict=True)
    }


def test_every_commune_is_coloured_by_the_class_of_its_value(outlines):
    values = _values(outlines)
    layer = Choropleth(outlines, "Conteneurs", "Conteneurs pour 1 000 habitants")
    layer.update(values)
    assert len(layer.data["features"]) == len(outlines["features"])
    breaks = layer.breaks
    assert len(breaks) == len(PALETTE) - 1 and breaks == sorted(breaks)
    fills = _fills(layer)
    for code, value in values.items():
        expected = PALETTE[sum(value >= b for b in breaks)]
        assert fills[code] == expected, code
    # Quantile classes: every class holds some communes.
    counts = pd.Series(fills).value_counts()
    assert set(counts.index) == set(PALETTE) and counts.min() >= 5


def test_facts_are_the_commune_name_and_the_value_in_french(outlines):
    values = _values(outlines)
    code = values.index[0]
    values[code] = 1234.56
    layer = Choropleth(outlines, "Énergie", "Consommation", unit="MWh", decimals=1)
    layer.update(values, names={code: "Ville <test>"})
    facts = layer.data["features"][0]["properties"]
    assert facts["Commune"] == "Ville <test>"
    assert facts["Consommation"] == f"{format_number(1234.56, 1)}\u00a0MWh"
    assert "," in facts["Consommation"]
    other = layer.data["features"][1]["properties"]["Commune"]
    assert other == outlines["features"][1]["properties"]["nom"]


def test_missing_values_are_grey_and_counted_in_the_legend(outlines):
    values = _values(outlines).iloc[2:]  # two communes without a value
    layer = Choropleth(outlines, "x", "Permis <logements>")
    layer.update(values)
    fills = list(_fills(layer).values())
    assert fills.count(NO_DATA_COLOR) == 2
    items = layer.legend_items()
    assert items[-1] == (NO_DATA_LABEL, NO_DATA_COLOR, 2)
    assert sum(count for _, _, count in items) == len(outlines["features"])
    legend = layer.legend.value
    assert 'pas de donnée <span class="rr-legend-count">(2\u00a0communes)</span>' in legend
    assert "moins de" in legend and "et plus" in legend
    assert "Permis &lt;logements&gt;" in legend and 'role="group"' in legend


def test_given_breaks_and_few_distinct_values(outlines):
    codes = [f["properties"]["code"] for f in outlines["features"]]
    layer = Choropleth(outlines, "x", "Bornes", classes=3)
    layer.update(pd.Series(1.0, index=codes))
    assert layer.breaks == [] and set(_fills(layer).values()) == {PALETTE[-1]}
    assert "toutes valeurs" in layer.legend.value
    layer.update(pd.Series(range(len(codes)), index=codes, dtype=float), breaks=[10, 20])
    fills = _fills(layer)
    assert fills[codes[0]] == PALETTE[-3] and fills[codes[15]] == PALETTE[-2]
    assert fills[codes[-1]] == PALETTE[-1]
    with pytest.raises(ValueError, match="classes"):
        Choropleth(outlines, "x", "y", classes=9)


def test_hovering_a_commune_fills_the_info_panel(outlines):
    layer = Choropleth(outlines, "Densité", "Stations pour 10 000 habitants")
    layer.update(_values(outlines))
    panel = crossing_map({"Densité": layer}, info="Survolez une commune.", outlines=outlines)
    feature = layer.data["features"][0]
    layer._hover_callbacks(event="mouseover", properties=feature["properties"])
    name = feature["properties"]["Commune"]
    assert name in panel.info.value and "Stations pour 10 000 habitants" in panel.info.value
    assert "fillColor" not in panel.info.value  # the style is not a fact
    (background,) = [layer for layer in panel.map.layers if isinstance(layer, MapBackground)]
    assert background.outlines is None and background.names.layers  # drawn once, by the layer
    assert panel.map.panes["rr-noms"]["zIndex"] > 400  # names over the fill, not under


def test_the_page_state_carries_the_colours(outlines):
    layer = Choropleth(outlines, "x", "y")
    layer.update(_values(outlines))
    state = layer.get_state()
    styled = [f["properties"]["style"]["fillColor"] for f in state["data"]["features"]]
    assert len(styled) == len(outlines["features"]) and set(styled) <= set(PALETTE)


def test_zeros_can_have_their_own_class(outlines):
    codes = [f["properties"]["code"] for f in outlines["features"]]
    values = pd.Series(0.0, index=codes)
    values.iloc[:10] = np.arange(1, 11, dtype=float)  # ten communes with stations
    layer = Choropleth(outlines, "x", "Stations", zero_label="aucune station", classes=3)
    layer.update(values)
    assert layer.breaks and min(layer.breaks) > 1  # cut among the ten, not the zeros
    fills = _fills(layer)
    assert [fills[c] for c in codes[10:]] == [ZERO_COLOR] * (len(codes) - 10)
    assert ZERO_COLOR not in [fills[c] for c in codes[:10]]
    items = layer.legend_items()
    assert items[0] == ("aucune station", ZERO_COLOR, len(codes) - 10)
    assert sum(count for _, _, count in items[1:]) == 10
    plain = Choropleth(outlines, "x", "Stations", classes=3)
    plain.update(values)
    assert plain.breaks == []  # most communes at 0: quantiles cut nothing
