"""The « carte croisée » figures: layers and choropleth map, cards, shares chart, table.

The view is computed by :meth:`analyses.crossing_view.CrossingData.view`;
:class:`CrossingBoard` builds the figures once, empty, and :meth:`CrossingBoard.draw`
updates them in place for each view: the chosen layers go on the map (the others off it,
and emptied), the communes are coloured by their mean share, and the data warning and
the sources follow the chosen layers. :meth:`CrossingBoard.dashboard` assembles the page.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as ipw
import pandas as pd

from analyses import crossing
from analyses.communes import CODE, NAME
from rouen_opendata import DataProvenance
from rouen_opendata.formatting import format_percent

from .background import outlines_collection
from .checklist import Checklist, checklist
from .choropleth import Choropleth
from .colors import legend_html
from .controls import ParameterControls
from .download import csv_download
from .grouped_bars import grouped_bars
from .indicators import kpi_card, kpi_row
from .layout import Dashboard, dashboard, section
from .map_panel import crossing_map
from .map_view import fit_view
from .maps import ROUEN_CENTER, points_layer, set_points
from .provenance import banner_html, provenance_footer, provenance_html
from .tables import html_table

LAYER_COLORS = {
    "arrets": "#E63027",
    "compteurs": "#0B7FAB",
    "bornes": "#F2A900",
    "conteneurs": "#2E7D32",
    "arbres": "#7B4A12",
    "permis": "#8E44AD",
}
"""Colour of each layer of :data:`analyses.crossing.LAYERS`, by key."""
SHARE_LAYER = "Part de chaque commune"
"""Name of the choropleth in the layer switcher."""
SHARE = "Part moyenne de la commune dans les couches cochées"
"""The choropleth's value, as its hover label."""
METROPOLE_ZOOM = 11
EMPTY_NOTE = (
    '<p class="rr-empty">Aucune couche cochée : cochez au moins une couche pour la voir sur '
    "la carte et dans le tableau.</p>"
)


def layer_checklist() -> Checklist:
    """The « Couches » tick boxes, one per layer of :data:`analyses.crossing.LAYERS`."""
    return checklist(
        "Couches",
        [(spec.label, key) for key, spec in crossing.LAYERS.items()],
        colors=dict(LAYER_COLORS),
    )


class CrossingBoard:
    """Every figure of the dashboard, built empty once and updated by :meth:`draw`.

    Parameters
    ----------
    communes
        The communes table: its outlines carry the choropleth.
    communes_provenance
        Its provenance, cited whatever the layers.
    """

    def __init__(self, communes: pd.DataFrame, communes_provenance: DataProvenance) -> None:
        self.none = pd.DataFrame({column: [] for column in crossing.COLUMNS})
        self.layers = {
            key: points_layer(self.none, spec.label, spec.popup(), LAYER_COLORS[key], geojson=True)
            for key, spec in crossing.LAYERS.items()
        }
        self.share_layer = Choropleth(
            outlines_collection(communes, CODE, NAME), SHARE_LAYER, SHARE, unit="%"
        )
        self.map = crossing_map(
            {
                SHARE_LAYER: self.share_layer,
                **{crossing.LAYERS[key].label: layer for key, layer in self.layers.items()},
            },
            data_attribution="Données : Métropole Rouen Normandie et partenaires",
            info="Survolez ou touchez un point pour afficher ce qu'il représente.",
        )
        self.cards = {
            key: kpi_card(spec.label, None, spec.unit) for key, spec in crossing.LAYERS.items()
        }
        self.card_row = kpi_row([])
        self.empty_note = ipw.HTML()
        self.chart = grouped_bars(
            pd.DataFrame(),
            "Part de chaque commune dans le total de la Métropole",
            "Part du total (%)",
            label_name="Commune",
            colors={spec.label: LAYER_COLORS[key] for key, spec in crossing.LAYERS.items()},
            legend_title="Couches",
            decimals=1,
        )
        self.table = ipw.HTML(layout=ipw.Layout(width="100%"))
        self.download = csv_download(pd.DataFrame(), "carte-croisee.csv")
        self.sources: list[DataProvenance] = [communes_provenance]
        self.footer = provenance_footer(self.sources)
        self.page: Dashboard | None = None

    def draw(self, view: dict[str, Any]) -> dict[str, Any]:
        """Update every figure in place for ``view``; return it."""
        keys, where = view["keys"], view["where"]
        self._draw_map(view)
        for key in keys:
            spec, card = crossing.LAYERS[key], self.cards[key]
            if where is None:
                card.update(view["totals"][key], label=f"{spec.label}, Métropole", help="")
            else:
                share = view["shares_of_total"][key]
                card.update(
                    view["counts"][key],
                    label=f"{spec.label} à {where}",
                    help="" if share is None else f"{format_percent(share, 1)} de la Métropole",
                )
        self.card_row.children = [self.cards[key] for key in keys]
        self.empty_note.value = "" if keys else EMPTY_NOTE
        labels = {key: crossing.LAYERS[key].label for key in keys}
        self.chart.set_title(
            f"Part de chaque commune dans le total de la Métropole ({len(view['rows'])} communes)"
        )
        self.chart.update(view["shares"].rename(columns=labels))
        self.share_layer.update(view["mean_share"])
        labelled = view["labelled"]
        self.table.value = html_table(
            labelled, "Nombre de points de chaque couche, par commune", max_rows=len(labelled)
        )
        self.download.update(labelled, view["filename"])
        self._draw_sources(view["sources"])
        return view

    def _draw_map(self, view: dict[str, Any]) -> None:
        """Chosen layers on the map with their points, the largest drawn first (under the
        small ones); the others off the map, and emptied to keep the page light."""
        keys, shown, panel = view["keys"], view["shown"], self.map
        for key, layer in self.layers.items():
            spec = crossing.LAYERS[key]
            set_points(layer, shown.get(key, self.none), spec.popup())
            if layer in panel.map.layers:
                panel.map.remove(layer)
        for key in sorted(keys, key=lambda k: len(shown[k]), reverse=True):
            panel.map.add(self.layers[key])
        legend = {crossing.LAYERS[key].label: LAYER_COLORS[key] for key in keys}
        panel.legend.value = legend_html(legend, "Couches") if legend else ""
        if view["where"] is None:
            panel.map.center, panel.map.zoom = ROUEN_CENTER, METROPOLE_ZOOM
        elif keys:
            fit_view(panel.map, pd.concat([shown[key] for key in keys]))

    def _draw_sources(self, sources: list[DataProvenance]) -> None:
        """The data warning and the sources footer, for the chosen layers' datasets."""
        self.sources = list(sources)
        self.footer.value = provenance_html(self.sources)
        if self.page is not None:
            banner = banner_html(self.sources)
            self.page.banner.value = banner
            self.page.banner.layout.display = "" if banner else "none"

    def layout(self) -> list[ipw.Widget]:
        """The cards and sections, in reading order, for ``widgets.dashboard``."""
        return [
            self.card_row,
            self.empty_note,
            section(
                "La carte",
                [self.map, self.share_layer.legend],
                "Chaque couleur de point est une couche ; le sélecteur en haut à droite de la "
                "carte masque une couche sans la retirer du tableau. Les communes sont "
                "colorées selon leur part moyenne dans les couches cochées.",
            ),
            section(
                "Quelles communes concentrent les points ?",
                [self.chart],
                "Pour chaque couche, la part de la commune dans le total de la Métropole : "
                "une commune à 20 % regroupe un point sur cinq de la couche. Les communes "
                "sont classées par nombre total de points.",
            ),
            section("Le tableau croisé", [self.table, self.download]),
        ]

    def dashboard(self, title: str, intro: str, controls: ParameterControls) -> Dashboard:
        """The page (``widgets.dashboard``), its data warning for the layers drawn last and
        kept in step by later draws; the notebook shows :attr:`footer` at its very end."""
        self.page = dashboard(title, intro, controls, self.layout(), self.sources, footer=False)
        return self.page
