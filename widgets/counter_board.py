"""The « comptages vélo » figures: counter map, cards, series, bars, profiles, tables.

The view is computed by :meth:`analyses.counter_view.CounterData.view`;
:class:`CounterBoard` builds the figures once, empty, and :meth:`CounterBoard.draw`
updates them in place for each view (no widget is created on a visitor's change, so
the browser only receives new values).
"""

from __future__ import annotations

from typing import Any

import ipywidgets as ipw
import pandas as pd

from analyses import counters
from rouen_opendata.formatting import (
    DAYS,
    format_count,
    format_date,
    format_date_range,
    format_number,
    format_percent,
)

from .charts import ranked_bars
from .gap_series import gap_series
from .graduated import class_breaks
from .heatmap import week_hour_heatmap
from .indicators import kpi_card, kpi_row
from .layout import section
from .map_panel import crossing_map
from .notice import notice_banner, set_notice
from .steady_points import SteadyGraduatedPoints
from .tables import html_table

POPUP = {
    "name": "Compteur",
    "commune": "Commune",
    "mean": "Vélos par jour en moyenne",
    "reported": "Jours comptés",
    "missing": "Jours sans données",
}
"""Counter column → French label, in the map's popups and its table."""
DAY_NAMES = [d.capitalize() for d in DAYS]


def gap_text(row: Any) -> str:
    """« Données manquantes du … au … » for one outage (``start``, ``end``)."""
    return f"Données manquantes {format_date_range(row.start, row.end)}"


def yoy_html(yoy: counters.YearOnYear) -> str:
    """The year-on-year sentence and its month-by-month table."""
    if yoy.change is None:
        return (
            "<p>Pas de comparaison possible : les données ne remontent pas un an avant "
            "cette période, ou aucun jour n'a de données les deux années.</p>"
        )
    months = pd.DataFrame(
        {
            "Mois": [format_date(m, "month") for m in yoy.monthly["month"]],
            "Vélos sur la période": yoy.monthly["current"],
            "Vélos un an plus tôt": yoy.monthly["previous"],
            "Évolution": [format_percent(c, 1, signed=True) for c in yoy.monthly["change"]],
            "Jours comparés": yoy.monthly["pairs"],
        }
    )
    return (
        f"<p>Sur les jours comparables, le trafic a évolué de "
        f"<strong>{format_percent(yoy.change, 1, signed=True)}</strong> par rapport aux "
        f"mêmes jours de la semaine un an plus tôt : {format_number(yoy.current)} vélos "
        f"contre {format_number(yoy.previous)}. La comparaison porte sur "
        f"{format_count(yoy.pairs, 'jour de comptage', 'jours de comptage')} (un jour d'un "
        "compteur) qui ont des données les deux années ; les autres sont écartés.</p>"
        + html_table(months, "Évolution mois par mois, jours comparables", max_rows=40, decimals=0)
    )


def records_html(best: pd.DataFrame, worst: pd.DataFrame) -> str:
    """The five busiest and five calmest complete days."""
    if best.empty:
        return "<p>Aucun jour de la période n'a de données complètes pour ce choix.</p>"
    tables = []
    for title, frame in (
        ("Les 5 jours les plus fréquentés", best),
        ("Les 5 jours les plus calmes", worst),
    ):
        shown = pd.DataFrame(
            {"Jour": [format_date(d, "full") for d in frame["date"]], "Vélos": frame["total"]}
        )
        tables.append(html_table(shown, title, decimals=0))
    return "".join(tables)


def outages_html(gaps: pd.DataFrame, missing: int, expected: int) -> str:
    """How many days are missing, and each outage of each counter."""
    if expected == 0:
        return "<p>Aucun jour de comptage attendu : pas de compteur en service sur la période.</p>"
    if gaps.empty:
        return (
            "<p>Aucune donnée manquante : chaque compteur a compté chaque jour de la période.</p>"
        )
    shown = pd.DataFrame(
        {
            "Compteur": gaps["name"],
            "Période sans données": [gap_text(row) for row in gaps.itertuples()],
            "Jours": gaps["days"],
        }
    )
    return (
        f"<p>{format_count(len(gaps), 'interruption')} sur la période, soit "
        f"{format_count(missing, 'jour')} sans données sur "
        f"{format_number(expected)} jours de comptage attendus. Ces jours restent vides : "
        "ils ne sont ni remplacés par zéro, ni estimés.</p>"
        + html_table(shown, "Périodes sans données, par compteur", max_rows=200)
    )


class CounterBoard:
    """Every figure of the dashboard, built empty once and updated by :meth:`draw`.

    Parameters
    ----------
    means
        Mean bikes per day of each counter over all the data: the map's classes.
    sites
        The counters, indexed by id (``name``): the highlighted bar's label.
    """

    def __init__(self, means: pd.Series, sites: pd.DataFrame) -> None:
        self.sites = sites
        self.circles = SteadyGraduatedPoints(
            "Compteurs", class_breaks(means), POPUP, unit="vélos par jour"
        )
        self.map = crossing_map(
            {"Compteurs": self.circles.layer},
            legend_items=self.circles.legend_items,
            legend_title="Vélos par jour en moyenne",
            info=False,
            center=(49.40, 1.07),
            data_attribution="Compteurs vélo, données d'exemple générées",
        )
        self.cards = {
            "mean": kpi_card("Vélos par jour en moyenne", None, "vélos"),
            "weekday": kpi_card(
                "Un jour de semaine moyen", None, "vélos", help="Du lundi au vendredi."
            ),
            "weekend": kpi_card(
                "Un jour de week-end moyen", None, "vélos", help="Samedi et dimanche."
            ),
            "yoy": kpi_card("Évolution sur un an", None, "%", decimals=1, signed=True),
            "missing": kpi_card("Jours sans données", None),
        }
        no_days = pd.DataFrame({"date": pd.to_datetime([]), "total": [], "complete": []})
        self.series = gap_series(no_days, "date", "total", "Vélos comptés", "Vélos", "complete")
        self.series.partial_label = "Total incomplet : des jours ou des compteurs manquent"
        self.bars = ranked_bars(
            pd.Series(dtype=float),
            "Vélos par jour en moyenne",
            "Vélos par jour",
            top=30,
            label_name="Compteur",
        )
        self.weekdays = ranked_bars(
            pd.Series(dtype=float),
            "Un jour moyen, du lundi au dimanche",
            "Vélos par jour",
            keep_order=True,
            label_name="Jour",
        )
        self.heatmap = week_hour_heatmap(
            pd.DataFrame(0.0, index=range(7), columns=range(24)),
            "Heure par heure, un jour moyen",
            "Vélos par heure",
        )
        self.notice = notice_banner()
        self.yoy, self.records, self.outages = ipw.HTML(), ipw.HTML(), ipw.HTML()

    def draw(self, view: dict[str, Any]) -> dict[str, Any]:
        """Update every figure in place for ``view``; return it."""
        many = "" if view["one"] else ", tous compteurs réunis"
        set_notice(self.notice, view["note"])
        self._draw_map(view)
        self._draw_cards(view)
        unit = "semaine" if view["weekly"] else "jour"
        self.series.set_title(
            f"Vélos comptés par {unit}{many}, {format_date_range(view['start'], view['end'])}"
        )
        self.series.complete_label = "Semaines complètes" if view["weekly"] else "Jours complets"
        self.series.x_label = "Semaine du" if view["weekly"] else "Jour"
        self.series.update(view["series"], "date", "total", "complete")
        self.weekdays.set_title(f"Un jour moyen, du lundi au dimanche{many}")
        self.weekdays.update(pd.Series(view["profile"].to_numpy(), index=DAY_NAMES))
        self.heatmap.set_title(f"Heure par heure, un jour moyen{many}")
        self.heatmap.update(view["hours"])
        self.yoy.value = yoy_html(view["yoy"])
        self.records.value = records_html(*view["records"])
        self.outages.value = outages_html(view["gaps"], view["missing"], view["expected"])
        return view

    def _draw_map(self, view: dict[str, Any]) -> None:
        per_counter, chosen = view["per_counter"], view["chosen"]
        self.circles.update(per_counter, "mean", highlight=chosen)
        self.map.set_table(
            per_counter[list(POPUP)]
            .rename(columns=POPUP)
            .sort_values(POPUP["mean"], ascending=False),
            "Compteurs, de la moyenne la plus haute à la plus basse",
        )
        self.bars.update(
            per_counter.set_index("name")["mean"],
            highlight=self.sites.loc[chosen, "name"] if chosen else None,
        )

    def _draw_cards(self, view: dict[str, Any]) -> None:
        cards, yoy, missing = self.cards, view["yoy"], view["missing"]
        cards["mean"].update(
            view["mean"],
            help="Moyenne des jours où le compteur a fonctionné."
            if view["one"]
            else f"Somme des moyennes des {len(view['ids'])} compteurs, chacun sur ses jours "
            "de comptage.",
        )
        cards["weekday"].update(view["weekday"])
        cards["weekend"].update(view["weekend"])
        cards["yoy"].update(
            None if yoy.change is None else 100 * yoy.change,
            help="Pas de données un an plus tôt."
            if yoy.change is None
            else f"Mêmes jours de la semaine un an plus tôt, sur {format_count(yoy.pairs, 'jour')} "
            "ayant des données les deux années.",
        )
        cards["missing"].update(
            missing,
            unit="jours" if missing > 1 else "jour",
            help=f"Sur {format_number(view['expected'])} jours de comptage attendus"
            f"{'' if view['one'] else ' (un jour × un compteur en service)'}.",
        )

    def layout(self) -> list[ipw.Widget]:
        """The cards and sections, in reading order, for ``widgets.dashboard``."""
        return [
            self.notice,
            kpi_row(list(self.cards.values())),
            section(
                "Où sont les compteurs ?",
                [self.map],
                "Chaque cercle est un compteur : plus il est grand et foncé, plus il voit passer "
                "de vélos par jour en moyenne sur la période. Le compteur choisi est entouré de "
                "rouge.",
            ),
            section(
                "Jour après jour",
                [self.series],
                "La courbe s'interrompt quand des données manquent ; un point gris montre alors "
                "le total incomplet, sans le relier à la courbe.",
            ),
            section("Quels compteurs voient passer le plus de vélos ?", [self.bars]),
            section(
                "Semaine et week-end",
                [self.weekdays, self.heatmap],
                "En semaine, deux pointes : le matin vers 8 h et le soir vers 17–18 h, les "
                "trajets domicile-travail ; le week-end, un trafic plus faible, étalé sur "
                "l'après-midi.",
            ),
            section("D'une année sur l'autre", [self.yoy]),
            section(
                "Les jours record", [self.records], "Parmi les jours où les données sont complètes."
            ),
            section("Les jours sans données", [self.outages]),
        ]
