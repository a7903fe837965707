"""The « Lovélo » figures: station and stop map, cards, distances, density of the communes.

The view is computed by :meth:`analyses.bikeshare.BikeshareData.view`;
:class:`BikeshareFigures` builds the figures once and :meth:`BikeshareFigures.draw`
updates them in place for each commune and walking distance.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as ipw
import pandas as pd

from analyses import bikeshare
from analyses.communes import ALL_COMMUNES, CODE, NAME

from .background import outlines_collection
from .charts import ranked_bars
from .choropleth import Choropleth
from .indicators import kpi_card, kpi_row
from .layout import section
from .map_panel import crossing_map
from .map_view import fit_view
from .maps import DEFAULT_ZOOM, ROUEN_CENTER
from .symbols import symbol_layer
from .tables import html_table

STATE_COLORS = {
    bikeshare.AVAILABLE: "#2E7D32",
    bikeshare.EMPTY: "#D81B60",
    bikeshare.FULL: "#F2A900",
    bikeshare.CLOSED: "#9AA0A6",
}
"""One colour per station state (colour-blind safe pairs: green/magenta, amber, grey)."""
STOP_COLORS = {bikeshare.NEAR: "#1F5FA8", bikeshare.FAR: "#9AA0A6"}
STATION_FACTS = {
    "nom": "Station",
    "adresse": "Adresse",
    "capacite": "Places",
    "velos": "Vélos disponibles",
    "places": "Places libres",
    "etat": "État",
}
"""Station column → French label of its facts on the map."""
STOP_FACTS = {"arret": "Arrêt", "station": "Station la plus proche", "metres": "Distance (m)"}
"""Stop column → French label of its facts on the map."""
PER_10000 = "Stations pour 10 000 habitants"


def walking_options(distances: tuple[int, ...]) -> list[tuple[str, int]]:
    """Drop-down choices for the walking distance: « 300 m »…"""
    return [(f"{d} m", d) for d in distances]


def shown_stops(stops: pd.DataFrame, near: pd.Series) -> pd.DataFrame:
    """The stops with their distance in whole metres and whether a station is near."""
    return stops.assign(
        metres=stops[bikeshare.DISTANCE_COLUMN].round().astype("int64"),
        proche=near.map({True: bikeshare.NEAR, False: bikeshare.FAR}),
    )


class BikeshareFigures:
    """Every figure of the page; the density map and table are drawn once, the others by
    :meth:`draw`.

    Parameters
    ----------
    data
        The stations, the stops and the density (:class:`analyses.bikeshare.BikeshareData`).
    communes
        The commune table: the density map's outlines.
    freshness
        When the bikes were counted, in French (:func:`analyses.bikeshare.freshness_fr`).
    """

    def __init__(
        self, data: bikeshare.BikeshareData, communes: pd.DataFrame, freshness: str
    ) -> None:
        self.freshness = freshness
        self.station_layer = symbol_layer(
            data.stations.iloc[:0],
            "Stations Lovélo",
            STATION_FACTS,
            size="capacite",
            max_radius=12,
            category="etat",
            colors=STATE_COLORS,
        )
        self.stop_layer = symbol_layer(
            shown_stops(data.stops.iloc[:0], pd.Series(dtype=bool)),
            "Arrêts Astuce",
            STOP_FACTS,
            radius=3,
            category="proche",
            colors=STOP_COLORS,
        )
        self.station_map = crossing_map(
            {"Arrêts Astuce": self.stop_layer, "Stations Lovélo": self.station_layer},
            legend_items={**STATE_COLORS, **STOP_COLORS},
            legend_title="Stations (selon leur état) et arrêts",
            data_attribution="Données : Lovélo (GBFS), réseau Astuce",
            info="Survolez ou touchez une station ou un arrêt pour afficher ses informations.",
        )
        self.choropleth = Choropleth(
            outlines_collection(communes, CODE, NAME),
            PER_10000,
            PER_10000,
            decimals=1,
            zero_label="aucune station",
        )
        self.choropleth.update(data.density.set_index(CODE)["par_10000"])
        self.density_map = crossing_map(
            {PER_10000: self.choropleth},
            info="Survolez ou touchez une commune pour afficher sa densité de stations.",
            data_attribution=f"Population : INSEE {data.population_year}",
        )
        self.cards = {
            "stations": kpi_card("Stations", None),
            "bikes": kpi_card("Vélos disponibles", None, help=freshness),
            "docks": kpi_card("Places libres", None),
            "near": kpi_card("Arrêts proches d'une station", None, "%", decimals=0),
        }
        self.bands = ranked_bars(
            pd.Series(dtype=float),
            "Arrêts Astuce selon la distance à la station la plus proche",
            "Arrêts",
            keep_order=True,
            label_name="Distance",
        )
        self.density_table = ipw.HTML(
            html_table(
                bikeshare.density_table(data.density, data.population_year),
                "Les communes qui ont des stations Lovélo, la mieux dotée par habitant en premier",
                decimals={PER_10000: 1},
            )
        )

    def draw(self, view: dict[str, Any]) -> dict[str, Any]:
        """Update the map, the cards and the distances for ``view``; return it."""
        where, limit = view["commune"], view["distance"]
        here, stops, near = view["stations"], view["stops"], view["near"]
        self.stop_layer.update(shown_stops(stops, near))
        self.station_layer.update(here)
        if where == ALL_COMMUNES:
            self.station_map.map.center, self.station_map.map.zoom = ROUEN_CENTER, DEFAULT_ZOOM
        else:
            fit_view(self.station_map.map, pd.concat([here[["lat", "lon"]], stops[["lat", "lon"]]]))
        place = "dans la Métropole" if where == ALL_COMMUNES else f"à {where}"
        self.cards["stations"].update(len(here), label=f"Stations {place}")
        self.cards["bikes"].update(int(here["velos"].sum()))
        self.cards["docks"].update(int(here["places"].sum()))
        self.cards["near"].update(
            view["share"],
            label=f"Arrêts à moins de {limit} m d'une station",
            help=f"{int(near.sum())} arrêts sur {len(stops)}, à vol d'oiseau.",
        )
        self.bands.set_title(
            f"Arrêts Astuce {place}, selon la distance à la station la plus proche"
        )
        self.bands.update(view["bands"].astype(float))
        return view

    def sections(self) -> list[ipw.Widget]:
        """The cards and sections under the controls, in reading order."""
        return [
            kpi_row(list(self.cards.values())),
            section(
                "Où sont les stations, et les arrêts proches ?",
                [self.station_map],
                "Chaque cercle coloré est une station, d'autant plus grand qu'elle a de places ; "
                "les petits points sont les arrêts Astuce, en bleu ceux qui ont une station à "
                "moins de la distance choisie.",
            ),
            section("À quelle distance des arrêts ?", [self.bands]),
            section(
                "Quelles communes ont des stations ?",
                [self.density_map, self.choropleth.legend, self.density_table],
                "Plus une commune est foncée, plus elle a de stations pour 10 000 habitants.",
            ),
        ]
