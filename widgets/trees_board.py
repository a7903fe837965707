"""The « arbres remarquables » figures: the map by forest, the cards, the rankings, the list.

The trees are prepared by :func:`analyses.trees.survey` and chosen by
:func:`analyses.trees.select`; :class:`TreeFigures` draws them. The notebook binds the
controls and calls :meth:`TreeFigures.draw`.
"""

from __future__ import annotations

import ipywidgets as ipw
import pandas as pd

from analyses import trees as survey

from .charts import ranked_bars
from .indicators import kpi_card, kpi_row
from .layout import section
from .link_markers import linked_points_layer, links_list_html, set_linked_points
from .map_panel import crossing_map
from .map_view import fit_view
from .tables import html_table

LABELS = {
    "name": "Arbre",
    "forest": "Forêt",
    "parcelle": "Parcelle",
    "essence_texte": "Essence",
    "height": "Hauteur",
    "trunk_diameter": "Diamètre du tronc",
    "age_estimate_raw": "Âge estimé",
    "description": "À savoir",
}
"""Survey column → its French label."""
POPUP_ORDER = ["name", "essence_texte", "forest", "height", "trunk_diameter", "age_estimate_raw"]
POPUP = {k: LABELS[k] for k in [*POPUP_ORDER, "description"]}
TABLE = {k: LABELS[k] for k in LABELS if k != "description"}
LINKS = {"pdf_url": "Fiche descriptive (PDF)", "photo_url": "Photo (site de la Métropole)"}
PALETTE = ["#2E7D32", "#7B4A12", "#1F5FA8", "#8E44AD"]
HEIGHT_COLOR, SPECIES_COLOR = "#2E7D32", "#7B4A12"


class TreeFigures:
    """Every figure of the page, empty until :meth:`draw`.

    Parameters
    ----------
    trees
        Every tree of the survey (:func:`analyses.trees.survey`); each forest gets a colour.
    """

    def __init__(self, trees: pd.DataFrame) -> None:
        self.trees = trees
        forests = sorted(trees["forest"].dropna().unique())
        self.forest_colors = dict(zip(forests, PALETTE, strict=False))
        # Empty until the first drawing: a replaced marker would stay in the saved page state.
        self.layers = {
            name: linked_points_layer(trees.iloc[:0], name, POPUP, LINKS, color)
            for name, color in self.forest_colors.items()
        }
        self.tree_map = crossing_map(
            self.layers,
            legend_items=self.forest_colors,
            legend_title="Forêts",
            data_attribution="Données : Métropole Rouen Normandie, A.R.B.R.E.S, ONF",
            info=False,
        )
        self.cards = {
            "trees": kpi_card("Arbres remarquables", None),
            "forests": kpi_card("Forêts", None),
            "tallest": kpi_card("Le plus haut", None, "m"),
            "oldest": kpi_card("Âge estimé le plus élevé", None, "ans"),
        }
        none = pd.Series(dtype=float)
        self.heights = ranked_bars(
            none,
            "Hauteur des arbres",
            "Hauteur (m)",
            top=13,
            label_name="Arbre",
            color=HEIGHT_COLOR,
        )
        self.species = ranked_bars(
            none, "Arbres par essence", "Arbres", top=10, label_name="Essence", color=SPECIES_COLOR
        )
        self.tree_table = ipw.HTML(layout=ipw.Layout(width="100%"))
        self.links_box = ipw.HTML(layout=ipw.Layout(width="100%"))

    @property
    def forest_choices(self) -> list[str]:
        """Drop-down choices: every forest, after « Toutes »."""
        return [survey.ALL, *self.forest_colors]

    def draw(self, shown: pd.DataFrame) -> pd.DataFrame:
        """Show the trees of :func:`analyses.trees.select`; returns them."""
        for name, layer in self.layers.items():
            set_linked_points(layer, shown[shown["forest"].eq(name)])
        fit_view(self.tree_map.map, shown)
        self.cards["trees"].update(len(shown))
        self.cards["forests"].update(shown["forest"].nunique())
        tallest, oldest, any_tree = survey.tallest(shown), survey.oldest(shown), len(shown) > 0
        self.cards["tallest"].update(
            tallest["hauteur_max"].max() if any_tree else None,
            help=" ; ".join(f"{t['name']} ({t['height']})" for t in tallest.to_dict("records")),
        )
        self.cards["oldest"].update(
            oldest["age_min"].max() if any_tree else None,
            label="Âge estimé le plus élevé (au moins)" if any_tree else None,
            help=" ; ".join(
                f"{t['name']} : « {t['age_estimate_raw']} »" for t in oldest.to_dict("records")
            )
            + (" (estimation)." if any_tree else ""),
        )
        self.heights.update(shown.set_index("name")["hauteur_milieu"])
        self.species.update(shown["essences"].explode().value_counts().astype(float))
        ordered = shown.sort_values(["hauteur_milieu", "name"], ascending=[False, True])
        self.tree_table.value = html_table(
            ordered[list(TABLE)].rename(columns=TABLE),
            "Les arbres remarquables, du plus haut au moins haut",
            max_rows=len(self.trees),
            decimals={"Parcelle": 0},
        )
        self.links_box.value = links_list_html(
            ordered, "name", LINKS, "Fiches descriptives et photos, sur le site de la Métropole :"
        )
        return shown

    def sections(self) -> list[ipw.Widget]:
        """The page's sections under the controls: cards, map, heights, species, the list."""
        return [
            kpi_row(list(self.cards.values())),
            section(
                "Où sont-ils ?",
                [self.tree_map],
                "Touchez un arbre pour voir ses mesures et les liens vers sa fiche et sa photo.",
            ),
            section(
                "Lesquels sont les plus hauts ?",
                [self.heights],
                "Pour une hauteur donnée en fourchette (« 8 à 10 m »), la barre montre le "
                "milieu de la fourchette.",
            ),
            section("Quelles essences ?", [self.species]),
            section("Tous les arbres", [self.tree_table, self.links_box]),
        ]
