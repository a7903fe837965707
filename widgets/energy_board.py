"""The « énergie des communes » figures: cards, years, rankings, map, table, download.

The view is computed by :meth:`analyses.energy.EnergyData.view`; :class:`EnergyFigures`
builds the figures once, empty, and :meth:`EnergyFigures.draw` updates them in place.
The figures are generated sample data: the map's attribution says so.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as ipw
import pandas as pd

from analyses import energy
from analyses.communes import ALL_COMMUNES, CODE, NAME

from .background import outlines_collection
from .charts import ranked_bars
from .choropleth import Choropleth
from .download import csv_download
from .grouped_bars import grouped_bars
from .indicators import kpi_card, kpi_row
from .layout import section
from .map_panel import crossing_map
from .tables import html_table

FILIERE_COLORS = {"Électricité": "#1F5FA8", "Gaz": "#E08A00"}
SECTOR_COLORS = {
    "Résidentiel": "#1F5FA8",
    "Tertiaire": "#0B9BD0",
    "Industrie": "#6B7B3A",
    "Agriculture": "#2E7D32",
    "Non affecté": "#9AA0A6",
}
"""One colour per filière and per sector (:data:`analyses.energy.SECTORS`' labels)."""
PER_INHABITANT = "MWh par habitant"


def table_headers(first_year: int, population_year: int) -> dict[str, str]:
    """Column of :func:`commune_frame` → its French header."""
    return {
        "conso_gwh": "Consommation (GWh)",
        "sites": "Points de livraison",
        "mwh_par_site": "MWh par point",
        "population": f"Population (INSEE {population_year})",
        "mwh_par_habitant": PER_INHABITANT,
        "evolution_pct": f"Évolution depuis {first_year} (%)",
    }


def commune_frame(per_commune: pd.DataFrame, headers: dict[str, str]) -> pd.DataFrame:
    """The per-commune table (:func:`analyses.energy.by_commune` with ``evolution``), with
    French ``headers``, largest consumption first."""
    frame = pd.DataFrame(
        {
            "conso_gwh": per_commune["conso_mwh"] / energy.MWH_PER_GWH,
            "sites": per_commune["sites"],
            "mwh_par_site": per_commune["mwh_par_site"],
            "population": per_commune["population"].astype("Int64"),
            "mwh_par_habitant": per_commune["mwh_par_habitant"],
            "evolution_pct": per_commune["evolution"] * 100,
        }
    ).rename(columns=headers)
    frame.index.name = "Commune"
    return frame.reset_index()


class EnergyFigures:
    """Every figure of the page, empty until :meth:`draw`.

    Parameters
    ----------
    communes
        The commune table: the map's outlines (``code_insee``, ``nom_commune``, ``geo_shape``).
    first_year
        The first published year, which every change is counted from.
    population_year
        Millésime of the INSEE populations, said on the cards, the map and the table.
    """

    def __init__(self, communes: pd.DataFrame, first_year: int, population_year: int) -> None:
        self.first_year, self.population_year = first_year, population_year
        self.headers = table_headers(first_year, population_year)
        self.cards = {
            "total": kpi_card("Consommation", None, "GWh", decimals=1),
            "sites": kpi_card("Points de livraison", None),
            "per_site": kpi_card("Par point de livraison", None, "MWh", decimals=1),
            "per_inhabitant": kpi_card("Par habitant", None, "MWh", decimals=1),
        }
        self.years_chart = grouped_bars(
            pd.DataFrame(),
            "Consommation par année",
            "Consommation (GWh)",
            orientation="vertical",
            stacked=True,
            label_name="Année",
            decimals=1,
            colors={**SECTOR_COLORS, **FILIERE_COLORS},
            legend_title="Secteurs",
        )
        self.ranking = ranked_bars(
            pd.Series(dtype=float), "Communes", "Consommation (GWh)", label_name="Commune"
        )
        self.per_inhabitant = ranked_bars(
            pd.Series(dtype=float), "Communes", PER_INHABITANT, label_name="Commune"
        )
        self.choropleth = Choropleth(
            outlines_collection(communes, CODE, NAME),
            "Consommation par habitant",
            PER_INHABITANT,
            unit="MWh",
            decimals=1,
        )
        self.map = crossing_map(
            {"Consommation par habitant": self.choropleth},
            info="Survolez ou touchez une commune pour afficher sa consommation par habitant.",
            data_attribution=f"Consommations : exemple généré · Population : INSEE "
            f"{population_year}",
        )
        self.table = ipw.HTML(layout=ipw.Layout(width="100%"))
        self.download = csv_download(pd.DataFrame(), "consommation-energie-communes.csv")

    def draw(self, view: dict[str, Any]) -> dict[str, Any]:
        """Update every figure in place for ``view``; return it."""
        year, where, first_year = view["year"], view["commune"], self.first_year
        place = "la Métropole" if where == ALL_COMMUNES else where
        first = view["first_mwh"] / energy.MWH_PER_GWH if year > first_year else None
        self.cards["total"].update(
            view["total_mwh"] / energy.MWH_PER_GWH,
            first,
            label=f"Consommation en {year}, {place}",
            previous_label=str(first_year),
        )
        self.cards["sites"].update(view["sites"], label=f"Points de livraison en {year}")
        self.cards["per_site"].update(view["per_site"])
        self.cards["per_inhabitant"].update(
            view["per_inhabitant"],
            help=f"Population municipale, INSEE (millésime {self.population_year}).",
        )
        by_sector = view["stack"] == "secteur"
        self.years_chart.legend_title = "Secteurs" if by_sector else "Énergies"
        self.years_chart.set_title(
            f"Consommation par année et par {'secteur' if by_sector else 'énergie'}, {place} (GWh)"
        )
        self.years_chart.update(view["yearly"].rename(index=str))
        highlight = None if where == ALL_COMMUNES else where
        per_commune = view["per_commune"]
        self.ranking.set_title(f"Les communes qui consomment le plus en {year} (GWh)")
        self.ranking.update(per_commune["conso_mwh"] / energy.MWH_PER_GWH, highlight=highlight)
        self.per_inhabitant.set_title(f"Consommation par habitant en {year} (MWh)")
        self.per_inhabitant.update(per_commune["mwh_par_habitant"], highlight=highlight)
        self.choropleth.update(
            per_commune.set_index(CODE)["mwh_par_habitant"],
            value_label=f"MWh par habitant en {year}",
        )
        frame = commune_frame(per_commune, self.headers)
        self.table.value = html_table(
            frame,
            f"Consommation des communes en {year}, la plus forte en premier",
            max_rows=len(frame),
            decimals={self.headers["mwh_par_habitant"]: 1, self.headers["mwh_par_site"]: 1},
        )
        self.download.update(frame, f"consommation-energie-communes-{year}.csv")
        return view

    def sections(self) -> list[ipw.Widget]:
        """The cards and sections under the controls, in reading order."""
        return [
            kpi_row(list(self.cards.values())),
            section(
                "Au fil des années",
                [self.years_chart],
                "Chaque barre empile les secteurs (ou les énergies quand un secteur est choisi).",
            ),
            section("Quelles communes consomment le plus ?", [self.ranking]),
            section(
                "Et rapporté au nombre d'habitants ?",
                [self.map, self.choropleth.legend, self.per_inhabitant],
                "Une commune industrielle ressort en tête sans que ses habitants consomment "
                "davantage chez eux : choisissez le secteur Résidentiel pour comparer les "
                "logements.",
            ),
            section("Toutes les communes", [self.table, self.download]),
        ]
