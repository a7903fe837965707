"""The « points d'apport volontaire » figures: container map, point, cards, communes.

The view is computed by :meth:`analyses.dropoff.DropoffData.view`; :class:`DropoffFigures`
draws it. The notebook binds the controls (the point picker under ``("lat", "lon")``)
and calls :meth:`DropoffFigures.draw`.
"""

from __future__ import annotations

import ipywidgets as ipw
import pandas as pd

from analyses.communes import ALL_COMMUNES, CODE, NAME
from analyses.dropoff import ALL_TYPES, TOWN_HALL, DropoffData, DropoffView

from .background import outlines_collection
from .charts import ranked_bars
from .choropleth import Choropleth
from .colors import legend_html
from .indicators import kpi_card, kpi_row
from .layout import section
from .map_panel import crossing_map
from .map_view import fit_view
from .maps import ROUEN_CENTER, points_layer, set_points
from .point_picker import PointPicker
from .tables import html_table

COLORS = {
    "Emballages en verre": "#2E7D32",
    "Emballages recyclables": "#F2A900",
    "Ordures ménagères": "#5F6368",
    "Textile": "#8E44AD",
}
"""Container type → its colour on the map."""
NEAREST, NEAREST_COLOR = "Le plus proche de votre point", "#D81B60"
HOME = ("Revenir à l'Hôtel de Ville de Rouen", *TOWN_HALL)
"""The point picker's button: back to the default point."""
POPUP = {"pavtyp": "Conteneur", "adresse": "Adresse", "commune": "Commune"}
"""Container column → its French label in the popup."""
PER_1000 = "Conteneurs pour 1 000 habitants"
NEAREST_HEADERS = {
    "pavtyp": "Conteneur",
    "adresse": "Adresse",
    "commune": "Commune",
    "distance_m": "Distance à vol d'oiseau (m)",
}


def density_headers(population_year: int) -> dict[str, str]:
    """Column of :attr:`analyses.dropoff.DropoffView.density` → its table header."""
    return {
        "count": "Conteneurs",
        "population": f"Population (INSEE {population_year})",
        "superficie_km2": "Superficie (km²)",
        "per_1000": "Pour 1 000 habitants",
        "per_km2": "Au km²",
    }


def spelling_html(data: DropoffData) -> str:
    """The real-data lesson: spellings of the communes, and containers in no outline."""
    typed = data.spellings
    return (
        "<p>Le champ « commune » du jeu compte "
        f"<strong>{typed.distinct} orthographes</strong> pour {len(data.communes)} communes : "
        f"{typed.reconciled} ne sont pas le nom officiel de la commune où sont leurs "
        f"conteneurs, ramenées à ce nom par les contours ; {typed.disagreeing_points} "
        "conteneurs portent le nom d'une autre commune que celle où ils se trouvent. "
        f"{data.outside_count} conteneurs ne sont dans aucun contour (près d'une limite "
        "de la Métropole, les contours sont simplifiés) : ils sont sur la carte mais ne "
        "sont comptés dans aucune commune.</p>"
    )


def what_text(kind: str) -> str:
    """« Conteneurs », or « Conteneurs « Textile » » for one type."""
    return "Conteneurs" if kind == ALL_TYPES else f"Conteneurs « {kind} »"


class DropoffFigures:
    """Every figure of the page, empty until :meth:`draw`; ``picker`` is the point.

    Parameters
    ----------
    data
        The containers and communes (:class:`analyses.dropoff.DropoffData`).
    lat, lon
        Where the point starts (the notebook's parameters).
    """

    def __init__(self, data: DropoffData, lat: float, lon: float) -> None:
        self.data = data
        self._codes = data.codes.to_dict()
        containers = data.containers
        self.layers = {
            # One GeoJSON layer per type (156 textile containers as markers would weigh 0.6 MB).
            t: points_layer(
                containers[containers["pavtyp"].eq(t)], t, POPUP, COLORS[t], radius=4, geojson=True
            )
            for t in data.types
        }
        self.nearest_layer = points_layer(
            containers.iloc[:0], NEAREST, POPUP, NEAREST_COLOR, radius=9
        )
        self.waste_map = crossing_map(
            {**self.layers, NEAREST: self.nearest_layer},
            legend_title="Conteneurs",
            data_attribution="Données : Métropole Rouen Normandie",
            info="Survolez ou touchez un conteneur pour afficher son adresse.",
        )
        self.picker = PointPicker(self.waste_map.map, lat, lon, label="Votre point", home=HOME)
        outlines = outlines_collection(data.communes, CODE, NAME)
        self.choropleth = Choropleth(outlines, PER_1000, PER_1000, decimals=1)
        self.commune_map = crossing_map(
            {PER_1000: self.choropleth},
            info="Survolez ou touchez une commune pour afficher son nombre de conteneurs.",
            data_attribution=f"Population : INSEE {data.population_year}",
        )
        self.cards = {
            "count": kpi_card("Conteneurs", None),
            "per_1000": kpi_card("Pour 1 000 habitants", None, decimals=1),
            "per_km2": kpi_card("Au km²", None, decimals=1),
            "nearest": kpi_card("Le plus proche de votre point", None, "m"),
        }
        self.ranking = ranked_bars(
            pd.Series(dtype=float),
            PER_1000,
            "Pour 1 000 habitants",
            label_name="Commune",
            decimals=1,
        )
        self.nearest_text = ipw.HTML(layout=ipw.Layout(width="100%"))
        self.commune_table = ipw.HTML(layout=ipw.Layout(width="100%"))
        self.spelling_text = ipw.HTML(spelling_html(data))

    def draw(self, view: DropoffView) -> DropoffView:
        """Show one :meth:`analyses.dropoff.DropoffData.view`; returns it."""
        kind, where, shown = view.kind, view.where, view.shown
        for name, layer in self.layers.items():
            set_points(layer, shown[shown["pavtyp"].eq(name)], POPUP)
        set_points(self.nearest_layer, view.nearest, POPUP)
        legend = {t: COLORS[t] for t in (self.data.types if kind == ALL_TYPES else [kind])}
        self.waste_map.legend.value = legend_html({**legend, NEAREST: NEAREST_COLOR}, "Conteneurs")
        if where == ALL_COMMUNES:
            self.waste_map.map.center, self.waste_map.map.zoom = ROUEN_CENTER, 11
        else:
            fit_view(self.waste_map.map, shown)
        self._draw_cards(view)
        self._draw_nearest(view.nearest)
        self._draw_communes(view)
        return view

    def _draw_cards(self, view: DropoffView) -> None:
        what = what_text(view.kind)
        place = "dans la Métropole" if view.where == ALL_COMMUNES else f"à {view.where}"
        self.cards["count"].update(view.count, label=f"{what} {place}")
        self.cards["per_1000"].update(
            view.per_1000,
            help=f"Population municipale, INSEE (millésime {self.data.population_year}).",
        )
        self.cards["per_km2"].update(view.per_km2)
        nearest = view.nearest
        first = float(nearest["distance_m"].iloc[0]) if len(nearest) else None
        self.cards["nearest"].update(
            first,
            label="Conteneur le plus proche de votre point"
            if view.kind == ALL_TYPES
            else f"{view.kind} : le plus proche de votre point",
            help="À vol d'oiseau.",
        )

    def _draw_nearest(self, nearest: pd.DataFrame) -> None:
        table = nearest[list(NEAREST_HEADERS)].rename(columns=NEAREST_HEADERS)
        distance = NEAREST_HEADERS["distance_m"]
        table[distance] = table[distance].round(0)
        self.nearest_text.value = html_table(
            table, "Le conteneur le plus proche de votre point, par type", decimals=0
        )

    def _draw_communes(self, view: DropoffView) -> None:
        what = what_text(view.kind)
        per_1000 = view.density["per_1000"]
        self.ranking.set_title(f"{what} pour 1 000 habitants, par commune")
        self.choropleth.update(
            per_1000.rename(index=self._codes), value_label=f"{what} pour 1 000 habitants"
        )
        self.ranking.update(per_1000, highlight=None if view.where == ALL_COMMUNES else view.where)
        headers = density_headers(self.data.population_year)
        density = view.density.rename(columns=headers)
        density.index.name = "Commune"
        self.commune_table.value = html_table(
            density.reset_index(),
            f"{what} par commune, le mieux équipé pour 1 000 habitants en premier",
            max_rows=len(density),
            decimals={headers[c]: 1 for c in ("superficie_km2", "per_1000", "per_km2")},
        )

    def sections(self) -> list[ipw.Widget]:
        """The page's sections under the controls: cards, map and point, communes, lesson."""
        return [
            kpi_row(list(self.cards.values())),
            section(
                "Où sont les conteneurs ?",
                [self.waste_map, self.picker, self.nearest_text],
                "Chaque point est un conteneur, de la couleur de son type. Le marqueur bleu "
                "est votre point : touchez la carte pour le déplacer, le conteneur le plus "
                "proche de chaque type est entouré de rose.",
            ),
            section(
                "Quelles communes sont les mieux équipées ?",
                [self.commune_map, self.choropleth.legend, self.ranking],
                "Plus une commune est foncée, plus elle a de conteneurs pour 1 000 habitants.",
            ),
            section("Toutes les communes", [self.commune_table]),
            section("Une leçon de données réelles : les noms des communes", [self.spelling_text]),
        ]
