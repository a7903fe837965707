"""The « réseau Astuce » figures: the stop map, the cards, the trips per line and per week.

The view is computed by :meth:`analyses.transit.network_view.NetworkData.view`;
:class:`NetworkBoard` builds the figures once, empty, and :meth:`NetworkBoard.draw`
updates them in place for each view (no widget is created on a visitor's change, so the
browser only receives new values).
"""

from __future__ import annotations

from typing import Any

import ipywidgets as ipw
import pandas as pd

from analyses import transit
from analyses.transit.network_view import DAY_LABELS, NetworkData
from rouen_opendata.formatting import format_date_range

from .charts import ranked_bars, time_series
from .colors import MODE_COLORS, line_colors
from .indicators import kpi_card, kpi_row
from .layout import section
from .map_panel import crossing_map
from .maps import points_layer, set_points

POPUP = {
    "name": "Arrêt",
    "lines": "Lignes connues",
    "modes": "Modes",
    "wheelchair": "Accessible en fauteuil",
}
"""Station column → its French label in the map's popups."""
TABLE = {"name": "Arrêt", "modes": "Modes", "lines": "Lignes connues"}
"""Station column → its header in the map's table."""
OTHER_STOPS = "Autres arrêts (lignes non précisées)"


def network_intro(data: NetworkData) -> str:
    """The dashboard's introduction, with the feed's period and the typical weeks."""
    return (
        "Lignes, arrêts et nombre de courses par jour, selon le mode, la ligne et le jour "
        f"choisis. Période du fichier : {format_date_range(*data.levels.period)} ; "
        f"semaine type : {format_date_range(*data.levels.typical)}."
    )


class NetworkBoard:
    """Every figure of the dashboard, built empty once and updated by :meth:`draw`."""

    def __init__(self, data: NetworkData) -> None:
        stations = data.stations
        self.layers = {
            m: points_layer(stations.iloc[:0], m, POPUP, MODE_COLORS[m], radius=6)
            for m in data.map_modes
        }
        self.others = points_layer(
            stations, OTHER_STOPS, POPUP, MODE_COLORS[transit.UNKNOWN_MODE], radius=3
        )
        self.map = crossing_map(
            {OTHER_STOPS: self.others, **self.layers},
            legend_items={
                **{m: MODE_COLORS[m] for m in self.layers},
                "Autres arrêts": MODE_COLORS[transit.UNKNOWN_MODE],
            },
            legend_title="Arrêts",
            data_attribution="Données : Métropole Rouen Normandie (Astuce)",
            info="Touchez ou survolez un arrêt pour afficher son nom et ses lignes connues.",
        )
        self.cards = {
            "lines": kpi_card("Lignes", None),
            "stations": kpi_card(
                "Arrêts du réseau",
                len(stations),
                help="Tous modes confondus : le fichier ne dit pas quelles lignes desservent "
                "chaque arrêt.",
            ),
            "trips": kpi_card("Courses", None, "courses"),
            "week": kpi_card("Courses sur une semaine type", None, "courses"),
        }
        self.bars = ranked_bars(
            pd.Series(dtype=float),
            "Courses par ligne",
            "Courses par jour",
            label_name="Ligne",
            color=line_colors(data.lines),
        )
        self.weekly = time_series(
            data.levels.per_week([]),
            "date",
            "trips",
            "Courses par semaine sur toute la période du fichier",
            "Courses par semaine",
            x_label="Semaine du",
        )

    def draw(self, view: dict[str, Any]) -> dict[str, Any]:
        """Update every figure for ``view``; returns it."""
        self.cards["lines"].update(
            len(view["ids"]), help="Hors ascenseurs et escalators." if view["everything"] else ""
        )
        precise = view["on"] is not None
        self.cards["trips"].update(
            view["trips"],
            view["typical"][view["kind"]] if precise else None,
            label=f"Courses {view['when']}",
            previous_label=DAY_LABELS[view["kind"]],
        )
        self.cards["week"].update(view["week"])
        self.bars.set_title(f"Courses par ligne, {view['when']}")
        self.bars.update(view["per_line"], highlight=view["line"])
        self.weekly.update(view["weekly"], "date", "trips")
        for mode, layer in self.layers.items():
            set_points(layer, view["stations"][mode], POPUP)
        set_points(self.others, view["others"], POPUP)
        known = pd.concat(view["stations"].values())[list(TABLE)]
        self.map.set_table(
            known.rename(columns=TABLE),
            "Arrêts colorés sur la carte, avec les lignes connues qui les desservent",
        )
        return view

    def sections(self) -> list[ipw.Widget]:
        """The cards, the map, the bars and the weekly chart, with their headings."""
        return [
            kpi_row(list(self.cards.values())),
            section(
                "Où sont les arrêts ?",
                [self.map],
                "Chaque point est un arrêt. Les couleurs "
                "montrent les arrêts dont le fichier permet de connaître les lignes.",
            ),
            section("Quelles lignes passent le plus souvent ?", [self.bars]),
            section(
                "Au fil de l'année",
                [self.weekly],
                "Les creux correspondent aux vacances scolaires et aux semaines avec un jour "
                "férié.",
            ),
        ]
