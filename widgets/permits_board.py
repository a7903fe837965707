"""The « permis de construire » figures: permit map, cards, years, communes, dwelling types.

The view is computed by :meth:`analyses.permits_view.PermitData.view`;
:class:`PermitFigures` builds the figures once, empty, and :meth:`PermitFigures.draw`
updates them in place for each view. :func:`permit_options` gives the drop-downs' choices.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as ipw
import pandas as pd

from analyses import permits
from analyses.communes import CODE, NAME
from rouen_opendata import DataProvenance

from .background import outlines_collection
from .charts import ranked_bars
from .choropleth import Choropleth
from .indicators import kpi_card, kpi_row
from .layout import section
from .map_panel import crossing_map
from .map_view import fit_view
from .maps import DEFAULT_ZOOM, ROUEN_CENTER
from .notice import notice_banner
from .symbols import symbol_layer
from .tables import html_table

TYPE_COLORS = {
    "Individuel pur": "#2A9D8F",
    "Individuel groupé": "#8AB17D",
    "Collectif": "#E76F51",
    "Résidence": "#7B2CBF",
}
"""Sitadel dwelling type → its colour on the map and in the bars."""
POPUP = {
    "num_dau": "Autorisation",
    "nom_commune": "Commune",
    "date_reelle_autorisation": "Accordée le",
    "nb_lgt_crees": "Logements",
    "type_lgt": "Type de logement",
    "etat": "État",
}
"""Authorisation column → its French label, in the popups and the map's table (no applicant)."""
PER_1000 = "Logements autorisés pour 1 000 habitants"
GENERATED_ATTRIBUTION = "Autorisations : exemple généré au format Sitadel"


def permit_options(commune_names: list[str], years: list[int]) -> dict[str, list[tuple[str, Any]]]:
    """Parameter name → its drop-down choices (label, value), « all » first."""
    return {
        "commune": [
            ("Toutes les communes", permits.ALL_COMMUNES),
            *((n, n) for n in commune_names),
        ],
        "annee": [("Toutes les années", permits.ALL_YEARS), *((str(y), y) for y in years)],
        "type_dau": [
            ("Tous les types", permits.ALL_TYPES),
            *((label, code) for code, label in permits.TYPES.items()),
        ],
    }


def selection_words(view: dict[str, Any]) -> tuple[str, str, str]:
    """When, where and what a view covers, as title pieces.

    « en 2023 » or « de 2019 à 2024 »; « à Rouen » (with its leading space) or empty;
    « (permis d'aménager) » (leading space) or empty.
    """
    year, years = view["annee"], view["years"]
    when = f"en {year}" if year else f"de {years[0]} à {years[-1]}" if years else ""
    where = "" if view["commune"] == permits.ALL_COMMUNES else f" à {view['commune']}"
    kind = view["type_dau"]
    what = "" if kind == permits.ALL_TYPES else f" ({permits.TYPES[kind].lower()})"
    return when, where, what


class PermitFigures:
    """Every figure of the dashboard, built empty once and updated by :meth:`draw`.

    Parameters
    ----------
    communes
        The ``communes-metropole`` table: outlines of the choropleth (joined by INSEE
        code) and the year of its populations.
    provenance
        Where the authorisations come from: the map's attribution says whether they are
        generated, or names their publisher.
    problem
        French sentence when the requested dataset was refused (the notice), or empty.
    """

    def __init__(
        self, communes: pd.DataFrame, provenance: DataProvenance, problem: str = ""
    ) -> None:
        self.population_year = int(communes["population_millesime"].iloc[0])
        self.notice = notice_banner(problem, "Jeu de données demandé non disponible")
        self.permit_layer = symbol_layer(
            pd.DataFrame({"lat": [], "lon": [], **{column: [] for column in POPUP}}),
            "Autorisations",
            POPUP,
            size="nb_lgt_crees",
            max_radius=16,
            category="type_lgt",
            colors=TYPE_COLORS,
        )
        self.permit_map = crossing_map(
            {"Autorisations": self.permit_layer},
            legend_items=TYPE_COLORS,
            legend_title="Type de logement",
            data_attribution=GENERATED_ATTRIBUTION
            if provenance.generated
            else f"Autorisations : {provenance.publisher}",
            info="Touchez ou survolez un cercle pour afficher l'autorisation.",
        )
        self.cards = {
            "dwellings": kpi_card("Logements autorisés", None, "logements"),
            "permits": kpi_card("Autorisations", None),
            "floor_area": kpi_card("Surface de plancher", None, "m²"),
            "cancelled": kpi_card(
                "Autorisations annulées", None, help="Non comptées dans les logements."
            ),
        }
        none = pd.Series(dtype=float)
        self.per_year = ranked_bars(
            none,
            "Logements autorisés, année par année",
            "Logements",
            keep_order=True,
            label_name="Année",
        )
        self.ranking = ranked_bars(
            none,
            "Les communes où le plus de logements sont autorisés",
            "Logements",
            label_name="Commune",
        )
        self.per_kind = ranked_bars(
            none,
            "Logements autorisés par type",
            "Logements",
            keep_order=True,
            label_name="Type",
            color=TYPE_COLORS,
        )
        self.choropleth = Choropleth(
            outlines_collection(communes, CODE, NAME), PER_1000, PER_1000, decimals=1
        )
        self.commune_map = crossing_map(
            {PER_1000: self.choropleth},
            info="Survolez ou touchez une commune pour afficher ses logements autorisés.",
            data_attribution=f"Population : INSEE {self.population_year}",
        )
        self.commune_table = ipw.HTML()

    def draw(self, view: dict[str, Any]) -> dict[str, Any]:
        """Update every figure in place for ``view``; return it."""
        when, where, what = selection_words(view)
        year, now, before = view["annee"], view["totals"], view["previous"]
        self.cards["dwellings"].update(
            now["dwellings"],
            None if before is None else before["dwellings"],
            label=f"Logements autorisés {when}{where}",
            previous_label=f"{year - 1}",
        )
        self.cards["permits"].update(now["permits"])
        self.cards["floor_area"].update(now["floor_area"])
        self.cards["cancelled"].update(now["cancelled"])
        self._draw_map(view["rows"], f"{when}{where}", bool(where))
        self.per_year.set_title(
            f"Logements autorisés{what}, année par année{where or ' dans la Métropole'}"
        )
        self.per_year.update(
            view["yearly"].set_axis([str(y) for y in view["yearly"].index]),
            highlight=str(year) if year else None,
        )
        self.ranking.set_title(f"Les communes où le plus de logements sont autorisés{what}, {when}")
        self.ranking.update(view["communes"], highlight=view["commune"] if where else None)
        self.choropleth.update(
            view["per_1000"], value_label=f"Logements autorisés{what} pour 1 000 habitants, {when}"
        )
        self.per_kind.set_title(f"Logements autorisés par type de logement, {when}{where}")
        self.per_kind.update(view["kinds"])
        self.commune_table.value = (
            '<details class="rr-details"><summary>Logements autorisés par commune et par année '
            "(tableau complet)</summary>"
            + html_table(
                view["table"].rename_axis("Commune"),
                "Logements autorisés par commune et par année (autorisations non annulées)",
                max_rows=80,
                decimals=0,
                index=True,
            )
            + "</details>"
        )
        return view

    def _draw_map(self, rows: pd.DataFrame, scope: str, one_commune: bool) -> None:
        """One circle per authorisation not cancelled; the view fitted to one commune."""
        active = rows[rows["active"]].astype({"nb_lgt_crees": "int64"})
        self.permit_layer.update(active)
        if one_commune:
            fit_view(self.permit_map.map, active)
        else:
            self.permit_map.map.center, self.permit_map.map.zoom = ROUEN_CENTER, DEFAULT_ZOOM
        self.permit_map.set_table(
            active[list(POPUP)].set_axis(list(POPUP.values()), axis=1),
            f"Autorisations non annulées {scope}",
        )

    def layout(self) -> list[ipw.Widget]:
        """The notice, the cards and the sections, in reading order, for ``widgets.dashboard``."""
        return [
            self.notice,
            kpi_row(list(self.cards.values())),
            section(
                "Où ?",
                [self.permit_map],
                "Chaque cercle est une autorisation ; sa surface est proportionnelle au nombre "
                "de logements.",
            ),
            section("Combien, année après année ?", [self.per_year]),
            section(
                "Quelles communes ?",
                [self.commune_map, self.choropleth.legend, self.ranking, self.commune_table],
                "Plus une commune est foncée, plus elle a autorisé de logements pour 1 000 "
                f"habitants (population INSEE {self.population_year}).",
            ),
            section("Quels logements ?", [self.per_kind]),
        ]
