"""The « bornes de recharge » figures: the station map, the cards, the distances, the communes.

The view is computed by :func:`analyses.charging.charging_view`; :class:`ChargingFigures`
draws it. The notebook binds the controls and calls :meth:`ChargingFigures.draw`.
"""

from __future__ import annotations

import html

import ipywidgets as ipw
import pandas as pd

from analyses import charging
from rouen_opendata.formatting import format_count, format_number

from .charts import ranked_bars
from .indicators import kpi_card, kpi_row
from .layout import section
from .map_panel import crossing_map
from .maps import ROUEN_CENTER, points_layer, set_points
from .tables import html_table

POWER_COLORS = {
    "Normale (moins de 22 kW)": "#2E7D32",
    "Accélérée (22 à 49 kW)": "#1F5FA8",
    "Rapide (50 kW et plus)": "#6A1B9A",
}
"""Colour of each power class of :data:`analyses.charging.POWER_CLASSES`, by label."""
STATION_POPUP = {
    "name": "Station",
    "address": "Adresse",
    "operator": "Aménageur",
    "points": "Points de charge",
    "max_kw": "Puissance maximale (kW)",
    "free": "Gratuite",
}
"""Station column → its French label in the popup."""
STOP_POPUP = {
    "name": "Arrêt",
    "distance": "Distance à la borne la plus proche (m)",
    "nearest": "Station la plus proche",
}
STATION_TABLE = {
    "name": "Station",
    "commune": "Commune",
    "points": "Points de charge",
    "max_kw": "Puissance maximale (kW)",
    "power_class": "Type de recharge",
}
"""Station column → its header in the map's table."""
COVERAGE_TABLE = {
    "commune": "Commune",
    "population": "Population",
    "points": "Points de charge",
    "stations": "Stations",
    "per_10k": "Pour 10 000 hab.",
}
FAR_STOPS = "Arrêts loin d'une borne"
FARTHEST = "Les 10 arrêts les plus loin"
FAR_COLOR, FARTHEST_COLOR, CLOSE_COLOR = "#8A9099", "#E63027", "#2E7D32"
METROPOLE_ZOOM, ONE_COMMUNE_ZOOM = 10, 13


def kw_text(kw: float) -> str:
    """``22.0`` → « 22 kW », ``3.7`` → « 3,7 kW »."""
    return f"{format_number(kw, 1).removesuffix(',0')} kW"


def power_options(thresholds: list[float]) -> list[tuple[str, float]]:
    """Drop-down choices for the minimum power, from :func:`analyses.charging.power_thresholds`."""
    return [("Toutes les puissances", 0.0)] + [
        (f"{kw_text(kw)} et plus", kw) for kw in thresholds[1:]
    ]


def distance_options(distances: tuple[int, ...]) -> list[tuple[str, int]]:
    """Drop-down choices for the distance judged close."""
    return [(f"moins de {charging.metres_text(d)}", d) for d in distances]


def outside_text(count: int) -> str:
    """The sentence saying how many stops lie in no commune (empty when none)."""
    if not count:
        return ""
    plural = count > 1
    verb = "ne sont pas comptés" if plural else "n'est pas compté"
    return (
        f"<p>{format_count(count, 'arrêt')} Astuce situé{'s' if plural else ''} hors des "
        f"communes de la Métropole {verb}.</p>"
    )


def _percent(share: float | None) -> float | None:
    return None if share is None else 100 * share


class ChargingFigures:
    """Every figure of the page, empty until :meth:`draw`.

    Parameters
    ----------
    stops
        The counted stops (:func:`analyses.charging.place_stops`), to size the layers.
    communes
        The commune table: each commune's centre, where the map goes for one commune.
    outside_stops
        Stops left out because they lie in no commune; said under the distances if any.
    attribution
        Sources of the map's data, in French.
    """

    def __init__(
        self, stops: pd.DataFrame, communes: pd.DataFrame, outside_stops: int, attribution: str
    ) -> None:
        shown = stops.assign(distance=0, nearest="")
        self.far_layer = points_layer(shown, FAR_STOPS, STOP_POPUP, FAR_COLOR, radius=3)
        self.farthest_layer = points_layer(
            shown.iloc[:0], FARTHEST, STOP_POPUP, FARTHEST_COLOR, radius=7
        )
        none = pd.DataFrame({"lat": [], "lon": [], **{c: [] for c in STATION_POPUP}})
        self.station_layers = {
            band.label: points_layer(
                none, band.label, STATION_POPUP, POWER_COLORS[band.label], radius=6
            )
            for band in charging.POWER_CLASSES
        }
        self.charge_map = crossing_map(
            {FAR_STOPS: self.far_layer, FARTHEST: self.farthest_layer, **self.station_layers},
            legend_items={
                **{band.label: POWER_COLORS[band.label] for band in charging.POWER_CLASSES},
                FAR_STOPS: FAR_COLOR,
                FARTHEST: FARTHEST_COLOR,
            },
            legend_title="Stations de recharge et arrêts Astuce",
            info="Survolez ou touchez un arrêt gris pour afficher sa distance à la borne la plus "
            "proche.",
            zoom=METROPOLE_ZOOM,
            data_attribution=attribution,
        )
        self.cards = {
            "stations": kpi_card("Stations de recharge", None),
            "points": kpi_card("Points de charge", None),
            "coverage": kpi_card("Points de charge pour 10 000 habitants", None, decimals=1),
            "near": kpi_card("Arrêts proches d'une borne", None, "%"),
            "median": kpi_card("Distance médiane arrêt – borne", None, "m"),
        }
        self.share_cards = {
            d: kpi_card(f"Arrêts à moins de {charging.metres_text(d)}", None, "%")
            for d in charging.SHARE_DISTANCES
        }
        self.distance_bars = ranked_bars(
            pd.Series(dtype=float),
            "Arrêts selon la distance à la borne la plus proche",
            "Arrêts",
            keep_order=True,
            label_name="Distance",
        )
        self.farthest_bars = ranked_bars(
            pd.Series(dtype=float),
            "Les 10 arrêts les plus loin d'une borne",
            "Distance (km)",
            top=charging.FARTHEST_COUNT,
            label_name="Arrêt",
            decimals=1,
            color=FARTHEST_COLOR,
        )
        self.coverage_bars = ranked_bars(
            pd.Series(dtype=float),
            "Points de charge pour 10 000 habitants",
            "Points pour 10 000 hab.",
            top=15,
            label_name="Commune",
            decimals=1,
        )
        self.coverage_box = ipw.HTML()
        self.outside_note = ipw.HTML(outside_text(outside_stops))
        self._centres = communes.set_index("nom_commune")[["lat", "lon"]]

    def draw(
        self, view: charging.ChargingView, commune: str | None, min_kw: float, limit_m: int
    ) -> charging.ChargingView:
        """Show one :func:`analyses.charging.charging_view`; returns it."""
        stations = view.stations
        for band in charging.POWER_CLASSES:
            chosen = stations[stations["power_class"] == band.label]
            set_points(self.station_layers[band.label], chosen, STATION_POPUP)
        set_points(self.far_layer, view.far, STOP_POPUP)
        set_points(self.farthest_layer, view.farthest, STOP_POPUP)
        centre = ROUEN_CENTER if commune is None else tuple(self._centres.loc[commune])
        self.charge_map.map.center = centre
        self.charge_map.map.zoom = METROPOLE_ZOOM if commune is None else ONE_COMMUNE_ZOOM
        self.charge_map.set_table(
            stations[list(STATION_TABLE)].set_axis(list(STATION_TABLE.values()), axis=1),
            "Stations de recharge de la Métropole",
        )
        power = f" avec un point d'au moins {kw_text(min_kw)}" if min_kw > 0 else ""
        where = "Dans la Métropole" if commune is None else f"À {commune}"
        self.cards["stations"].update(len(view.in_place), help=f"{where}{power}.")
        self.cards["points"].update(int(view.in_place["points"].sum()), help=f"{where}{power}.")
        self.cards["coverage"].update(view.per_10k, help=f"{where}.")
        limit = charging.metres_text(limit_m)
        counted = f"{format_number(view.close)} arrêts sur {format_number(len(view.near))}"
        self.cards["near"].update(
            _percent(view.share),
            label=f"Arrêts à moins de {limit} d'une borne",
            help=counted
            + (" du réseau dans la Métropole." if commune is None else f" situés à {commune}."),
        )
        self.cards["median"].update(
            view.median,
            help="La moitié des arrêts sont plus près d'une borne, l'autre moitié plus loin.",
        )
        for metres, card in self.share_cards.items():
            card.update(_percent(view.shares[metres]))
        close = charging.DISTANCE_BOUNDS.index(limit_m) + 1
        self.distance_bars.color = {
            label: CLOSE_COLOR if i < close else FAR_COLOR
            for i, label in enumerate(view.classes.index)
        }
        self.distance_bars.update(view.classes)
        farthest = view.farthest.set_index("name")["distance_m"] / 1000
        self.farthest_bars.update(farthest[~farthest.index.duplicated()])
        table = view.coverage
        self.coverage_bars.update(table.set_index("commune")["per_10k"], highlight=commune)
        self.coverage_box.value = self._coverage_html(table, power)
        return view

    @staticmethod
    def _coverage_html(table: pd.DataFrame, power: str) -> str:
        ranked = table.sort_values(["per_10k", "commune"], ascending=[False, True])
        without = int((table["points"] == 0).sum())
        return (
            f"<p>{format_count(without, 'commune')} sur {format_number(len(table))} "
            f"n'{'a' if without < 2 else 'ont'} aucun point de charge{html.escape(power)}.</p>"
            '<details class="rr-details"><summary>Voir toutes les communes</summary>'
            + html_table(
                ranked.set_axis([COVERAGE_TABLE[c] for c in ranked.columns], axis=1),
                "Toutes les communes, de la mieux à la moins bien couverte",
                max_rows=100,
            )
            + "</details>"
        )

    def sections(self) -> list[ipw.Widget]:
        """The page's sections under the controls: cards, map, distances, communes."""
        return [
            kpi_row(list(self.cards.values())),
            section(
                "Où recharger ?",
                [self.charge_map],
                "Chaque station est colorée selon son point de charge le plus puissant. Les points "
                "gris sont les arrêts Astuce situés au-delà de la distance choisie ; les rouges, "
                "les dix arrêts les plus éloignés d'une borne.",
            ),
            section(
                "À quelle distance d'une borne sont les arrêts ?",
                [
                    kpi_row(list(self.share_cards.values())),
                    self.distance_bars,
                    self.farthest_bars,
                    self.outside_note,
                ],
                "Distance à vol d'oiseau entre chaque arrêt et la station la plus proche. En vert, "
                "les arrêts plus proches que la distance choisie.",
            ),
            section(
                "Quelles communes sont les mieux équipées ?",
                [self.coverage_bars, self.coverage_box],
                "Points de charge pour 10 000 habitants.",
            ),
        ]
