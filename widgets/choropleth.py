"""Communes coloured by a value (a choropleth), with a legend written as text.

:class:`Choropleth` is one ipyleaflet ``GeoJSON`` layer of the commune outlines, each
feature styled by the class of its value (rounded quantiles, :func:`class_breaks`):
one widget model whatever the number of communes, interactive in a static page (pan,
zoom, the commune under the pointer outlined). Each feature's properties are its facts
in French (« Commune », the value with its unit): hovering or touching a commune fills
the info panel of :func:`widgets.crossing_map` while a kernel runs. The legend is an
HTML list, one line per class with its range *in words* and its number of communes,
so it reads without seeing colours, and by screen readers.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Mapping, Sequence

import ipyleaflet
import ipywidgets as widgets
import numpy as np
import pandas as pd

from rouen_opendata.formatting import format_count, format_number

from .background import rounded
from .colors import swatch_html
from .graduated import class_breaks, class_labels
from .maps import HOVER_STYLE

log = logging.getLogger(__name__)

PALETTE = ("#FFFFCC", "#A1DAB4", "#41B6C4", "#2C7FB8", "#253494")
"""ColorBrewer YlGnBu, 5 classes, light to dark: sequential, colour-blind safe, and
readable printed in grey."""
NO_DATA_COLOR = "#D9D9D9"
"""Fill of a commune without a value (grey, apart from the palette)."""
ZERO_COLOR = "#FFFFFF"
"""Fill of the communes whose value is zero, when they have their own class."""
NAME_LABEL = "Commune"
"""Label of the commune's name in its facts."""
NO_DATA_LABEL = "pas de donnée"
"""Legend label of the communes without a value."""
SHAPE_STYLE = {"color": "#FFFFFF", "weight": 1, "opacity": 1, "fillOpacity": 0.8}
"""Outline and opacity of every commune (the fill colour is the class's)."""
CHOROPLETH_HOVER = {**HOVER_STYLE, "fillOpacity": 0.95}


def value_text(value: float | None, unit: str = "", decimals: int = 1) -> str:
    """A value in French with its unit (« 3,2 pour 1 000 habitants »), or « pas de donnée »."""
    if value is None or pd.isna(value):
        return NO_DATA_LABEL
    suffix = f"\u00a0{unit}" if unit else ""
    return f"{format_number(float(value), decimals)}{suffix}"


class Choropleth(ipyleaflet.GeoJSON):
    """Commune outlines coloured by class of a value.

    Parameters
    ----------
    outlines
        GeoJSON FeatureCollection of the communes; each feature carries its code in
        ``key`` and its name in ``name_property``.
    name
        Layer name in the layer switcher.
    value_label
        French label of the value in a commune's facts and above the legend
        (« Conteneurs pour 1 000 habitants »).
    unit
        Unit written after each number (« pour 1 000 hab. », « MWh »).
    decimals
        Decimals of the values in the facts.
    classes
        Number of classes, at most ``len(colors)``.
    colors
        One colour per class, lowest class first.
    key, name_property
        Feature properties holding the commune's code (the values' index) and name.
    zero_label
        When given, communes whose value is 0 have their own class, so labelled
        (« aucune station »), and the classes cut only the other values: a value most
        communes share would otherwise leave a single class.
    """

    def __init__(
        self,
        outlines: Mapping,
        name: str,
        value_label: str,
        *,
        unit: str = "",
        decimals: int = 1,
        classes: int = 5,
        colors: Sequence[str] = PALETTE,
        key: str = "code",
        name_property: str = "nom",
        zero_label: str | None = None,
    ) -> None:
        if not 2 <= classes <= len(colors):
            raise ValueError(f"classes must be between 2 and {len(colors)}")
        self.value_label, self.unit, self.decimals = value_label, unit, decimals
        self.classes, self.palette = classes, list(colors)
        self.zero_label = zero_label
        self.shapes = [
            (
                str(f["properties"][key]),
                str(f["properties"].get(name_property, "")),
                {
                    "type": f["geometry"]["type"],
                    "coordinates": rounded(f["geometry"]["coordinates"]),
                },
            )
            for f in outlines.get("features", [])
            if f.get("geometry")
        ]
        self.breaks: list[float] = []
        self.values = pd.Series(dtype="float64")
        self.legend = widgets.HTML(layout=widgets.Layout(width="100%"))
        super().__init__(
            data={"type": "FeatureCollection", "features": []},
            name=name,
            style=dict(SHAPE_STYLE),
            hover_style=dict(CHOROPLETH_HOVER),
        )

    @property
    def colors(self) -> list[str]:
        """One colour per class of the current breaks (few classes take the darker ones)."""
        return self.palette[len(self.palette) - len(self.breaks) - 1 :]

    def classify(self, values: pd.Series) -> np.ndarray:
        """Class index (0 = lowest) of each value; -1 for a missing one, -2 for a zero
        when zeros have their own class (``zero_label``)."""
        numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
        classes = np.searchsorted(np.asarray(self.breaks, dtype=float), numbers, side="right")
        if self.zero_label is not None:
            classes = np.where(numbers == 0, -2, classes)
        return np.where(np.isnan(numbers), -1, classes)

    def update(
        self,
        values: pd.Series | Mapping[str, float],
        *,
        names: Mapping[str, str] | None = None,
        breaks: Sequence[float] | None = None,
        value_label: str | None = None,
    ) -> None:
        """Colour the communes by ``values`` (code → number) and redraw the legend.

        Parameters
        ----------
        values
            Value per commune code; a commune absent or missing is « pas de donnée ».
        names
            Code → name shown in the facts (the outlines' names by default).
        breaks
            Limits between classes; rounded quantiles of ``values`` by default.
        value_label
            A new label for the value (« Textile pour 1 000 habitants »).
        """
        if value_label is not None:
            self.value_label = value_label
        series = pd.Series(values, dtype="float64")
        series.index = series.index.astype(str)
        codes = [code for code, _, _ in self.shapes]
        self.values = series.reindex(codes)
        self.breaks = (
            [float(b) for b in breaks]
            if breaks is not None
            else class_breaks(
                self.values[self.values != 0] if self.zero_label is not None else self.values,
                self.classes,
            )
        )
        if len(self.breaks) >= len(self.palette):
            raise ValueError("more classes than colours")
        classes = self.classify(self.values)
        colors = self.colors
        unknown = set(series.index) - set(codes)
        if unknown:
            log.info(
                "%s: %d codes without an outline: %s", self.name, len(unknown), sorted(unknown)
            )
        features = []
        for (code, default_name, geometry), value, cls in zip(
            self.shapes, self.values, classes, strict=True
        ):
            fill = {-1: NO_DATA_COLOR, -2: ZERO_COLOR}.get(int(cls)) or colors[cls]
            features.append(
                {
                    "type": "Feature",
                    "geometry": geometry,
                    "properties": {
                        NAME_LABEL: (names or {}).get(code, default_name),
                        self.value_label: value_text(value, self.unit, self.decimals),
                        "style": {"fillColor": fill},
                    },
                }
            )
        self.data = {"type": "FeatureCollection", "features": features}
        self.legend.value = self.legend_html(classes)

    def legend_items(self, classes: np.ndarray | None = None) -> list[tuple[str, str, int]]:
        """(label, colour, number of communes) per class — the zeros first when they have
        their own class — then the communes without data."""
        classes = self.classify(self.values) if classes is None else classes
        zeros = int((classes == -2).sum())
        first = [(self.zero_label, ZERO_COLOR, zeros)] if self.zero_label and zeros else []
        labels = class_labels(self.breaks, self.unit)
        items = [
            (label, color, int((classes == i).sum()))
            for i, (label, color) in enumerate(zip(labels, self.colors, strict=True))
        ]
        missing = int((classes == -1).sum())
        return first + items + ([(NO_DATA_LABEL, NO_DATA_COLOR, missing)] if missing else [])

    def legend_html(self, classes: np.ndarray | None = None) -> str:
        """The legend as an HTML list: swatch, range in words, number of communes."""
        entries = "".join(
            f"<li>{swatch_html(color)}{html.escape(label)} "
            f'<span class="rr-legend-count">({format_count(count, "commune")})</span></li>'
            for label, color, count in self.legend_items(classes)
        )
        title = html.escape(self.value_label)
        return (
            f'<div class="rr-legend" role="group" aria-label="Légende : {title}">'
            f'<span class="rr-legend-title">{title}</span><ul>{entries}</ul></div>'
        )
