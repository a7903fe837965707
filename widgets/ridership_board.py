"""The « montées et descentes » figures: the stop map, the cards, the rankings, the months.

The view is computed by :func:`analyses.ridership.view`; :class:`RidershipFigures` draws
it. The notebook binds the controls and calls :meth:`RidershipFigures.draw`.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as ipw
import pandas as pd

from analyses import transit
from analyses.ridership import TOP_SHARE

from .charts import ranked_bars, time_series
from .colors import MODE_COLORS, line_colors
from .indicators import kpi_card, kpi_row
from .layout import section
from .map_panel import crossing_map
from .map_view import fit_view
from .maps import DEFAULT_ZOOM, ROUEN_CENTER
from .symbols import symbol_layer

POPUP = {"name": "Arrêt", "montees": "Montées", "descentes": "Descentes", "lignes": "Lignes"}
"""Station column → its French label in the popup."""
TABLE = {"name": "Arrêt", "lignes": "Lignes", "montees": "Montées", "descentes": "Descentes"}
"""Station column → its header in the map's table."""


class RidershipFigures:
    """Every figure of the page, empty until :meth:`draw`.

    Parameters
    ----------
    line_table
        :func:`analyses.ridership.lines`: each line's mode and colour.
    attribution
        Sources of the map's data, in French.
    """

    def __init__(self, line_table: pd.DataFrame, attribution: str) -> None:
        present = set(line_table["mode"])
        modes = {mode: MODE_COLORS[mode] for mode in transit.MODES if mode in present}
        empty = pd.DataFrame({"lat": [], "lon": [], **{c: [] for c in POPUP}, "mode": []})
        self.stop_layer = symbol_layer(
            empty, "Arrêts", POPUP, size="montees", max_radius=22, category="mode", colors=modes
        )
        self.stop_map = crossing_map(
            {"Arrêts": self.stop_layer},
            legend_items=modes,
            legend_title="Mode de la ligne la plus fréquentée à l'arrêt",
            data_attribution=attribution,
            info="Touchez ou survolez un cercle pour afficher l'arrêt, ses montées et ses lignes.",
        )
        self.cards = {
            "boardings": kpi_card("Montées", None, "voyageurs"),
            "per_day": kpi_card("Montées par jour en moyenne", None, "voyageurs"),
            "stops": kpi_card("Arrêts avec des montées", None, "arrêts"),
            "top_share": kpi_card(
                f"Part des {TOP_SHARE} arrêts les plus fréquentés",
                None,
                "%",
                decimals=0,
                help="Dans le total des montées de la sélection.",
            ),
        }
        colors = line_colors(line_table)
        self.line_bars = ranked_bars(
            pd.Series(dtype=float),
            "Montées par jour, par ligne",
            "Montées par jour",
            label_name="Ligne",
            color=colors,
        )
        self.stop_bars = ranked_bars(
            pd.Series(dtype=float),
            "Les arrêts les plus fréquentés",
            "Montées par jour",
            label_name="Arrêt",
        )
        self.per_month = time_series(
            pd.DataFrame({"month": [], "par_jour": []}),
            "month",
            "par_jour",
            "Montées par jour, mois par mois",
            "Montées par jour",
            x_label="Mois",
        )

    def draw(self, view: dict[str, Any]) -> dict[str, Any]:
        """Show one :func:`analyses.ridership.view`; returns it."""
        when, line, days = view["when"], view["line"], view["days"]
        figures = view["totals"]
        self.cards["boardings"].update(figures["boardings"], label=f"Montées, {when}")
        self.cards["per_day"].update(figures["per_day"])
        self.cards["stops"].update(figures["stops"])
        self.cards["top_share"].update(100 * figures["top_share"])
        whole = view["stops"].astype({"montees": "int64", "descentes": "int64"})
        self.stop_layer.update(whole.dropna(subset=["lat", "lon"]))
        if line is None:
            self.stop_map.map.center, self.stop_map.map.zoom = ROUEN_CENTER, DEFAULT_ZOOM
        else:
            fit_view(self.stop_map.map, whole)
        self.stop_map.set_table(
            whole[list(TABLE)].set_axis(list(TABLE.values()), axis=1),
            f"Montées et descentes par arrêt, {when}",
        )
        self.line_bars.set_title(f"Montées par jour en moyenne, par ligne, {when}")
        self.line_bars.update(view["lines"], highlight=line)
        self.stop_bars.set_title(
            f"Montées par jour en moyenne aux arrêts les plus fréquentés, {when}"
        )
        self.stop_bars.update(view["stops"].set_index("name")["montees"] / days)
        line_name = "toutes les lignes" if line is None else f"ligne {line}"
        self.per_month.set_title(f"Montées par jour, mois par mois : {line_name}")
        self.per_month.update(view["monthly"], "month", "par_jour")
        return view

    def sections(self) -> list[ipw.Widget]:
        """The page's sections under the controls: cards, map, rankings, the year."""
        return [
            kpi_row(list(self.cards.values())),
            section(
                "Où monte-t-on le plus ?",
                [self.stop_map],
                "La surface de chaque cercle est proportionnelle au nombre de montées.",
            ),
            section("Les arrêts les plus fréquentés", [self.stop_bars]),
            section("Quelles lignes transportent le plus ?", [self.line_bars]),
            section(
                "Au fil de l'année",
                [self.per_month],
                "Les montées par jour permettent de comparer des mois de longueurs différentes.",
            ),
        ]
