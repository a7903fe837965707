"""The « fréquentation des équipements » figures: cards, timeline, calendar, profiles, places.

The view is computed by :func:`analyses.attendance_view.view`; :class:`AttendanceFigures`
draws it, or says in a notice why a period cannot be drawn (:meth:`refuse`).
"""

from __future__ import annotations

from typing import Any

import ipywidgets as ipw
import pandas as pd

from rouen_opendata.formatting import DAYS, MONTHS, format_count

from .calendar import calendar_heatmap
from .charts import ranked_bars, time_series
from .indicators import kpi_card, kpi_row
from .layout import section
from .notice import notice_banner, set_notice
from .tables import html_table

DAY_NAMES = [day.capitalize() for day in DAYS]
MONTH_NAMES = [month.capitalize() for month in MONTHS]
X_LABELS = {"Jour": "Date", "Semaine": "Semaine du", "Mois": "Mois"}
SAME_PERIOD = "la même période un an plus tôt"
CALENDAR_WEEKS_UP_TO = 371
"""Days up to which the calendar shows weeks (about a year), months × days beyond."""
FULL_TABLE = (
    '<details class="rr-details"><summary>Tableau complet : capacité, entrées, jours '
    "d'ouverture</summary>{table}</details>"
)
PEER_COLUMNS = {
    "equipement": "Équipement",
    "capacite": "Capacité",
    "entrees": "Entrées",
    "jours_ouverts": "Jours ouverts",
    "par_jour_ouvert": "Entrées par jour d'ouverture",
    "par_place": "Entrées par place",
}
"""Column of :func:`analyses.attendance.by_facility` → its header in the full table."""


def _bars(title: str, axis: str, label: str, **options: Any) -> Any:
    return ranked_bars(pd.Series(dtype=float), title, axis, label_name=label, **options)


class AttendanceFigures:
    """Every figure of the page, empty until :meth:`draw`."""

    def __init__(self) -> None:
        self.period_notice = notice_banner()
        self.cards = {
            "entries": kpi_card(
                "Entrées sur la période", None, "entrées", previous_label=SAME_PERIOD
            ),
            "per_day": kpi_card(
                "Entrées par jour d'ouverture",
                None,
                "entrées",
                help="Les jours de fermeture ne comptent pas.",
                previous_label=SAME_PERIOD,
            ),
            "per_seat": kpi_card(
                "Entrées par place et par jour d'ouverture",
                None,
                decimals=2,
                help="Entrées par jour d'ouverture divisées par la capacité.",
            ),
            "open_days": kpi_card("Journées d'ouverture", None, "journées"),
        }
        self.timeline = time_series(
            pd.DataFrame({"date": [], "entrees": []}), "date", "entrees", "Entrées", "Entrées"
        )
        self.calendar = calendar_heatmap(
            pd.Series(dtype=float), "Entrées jour par jour", "Entrées", scheme="YlOrRd"
        )
        by_open_day = "Entrées par jour d'ouverture"
        self.by_weekday = _bars(by_open_day, "Entrées", "Jour", keep_order=True)
        self.by_month = _bars(f"{by_open_day}, mois par mois", "Entrées", "Mois", keep_order=True)
        self.by_holidays = _bars(
            "Vacances scolaires (zone B) et reste de l'année",
            by_open_day,
            "Période",
            keep_order=True,
        )
        self.by_year = _bars(
            f"{by_open_day}, année par année (toutes les données)",
            "Entrées",
            "Année",
            keep_order=True,
        )
        self.per_seat = _bars(
            "Entrées par place et par jour d'ouverture",
            "Entrées par place",
            "Équipement",
            decimals=2,
        )
        self.facility_table = ipw.HTML("")

    def refuse(self, problem: str) -> None:
        """Say why the period cannot be drawn; the figures keep the last one."""
        set_notice(self.period_notice, f"{problem}.", "Période impossible")

    def draw(self, view: dict[str, Any]) -> dict[str, Any]:
        """Show one :func:`analyses.attendance_view.view`; returns it."""
        set_notice(self.period_notice, "")
        now, before = view["totals"], view["previous"]
        self.cards["entries"].update(now["entries"], before and before["entries"])
        self.cards["per_day"].update(now["per_open_day"], before and before["per_open_day"])
        self.cards["per_seat"].update(now["per_seat"])
        self.cards["open_days"].update(
            now["open_days"],
            help="Un jour compte une fois par équipement ouvert."
            if now["facilities"] > 1
            else f"Sur {format_count(now['days'], 'jour')} de la période.",
        )
        what, step = view["what"], view["step"]
        self.timeline.set_title(f"Entrées par {step.lower()} : {what}")
        self.timeline.set_labels(x_label=X_LABELS[step])
        self.timeline.update(view["over_time"], "date", "entrees")
        days = view["daily"]
        self.calendar.set_title(f"Entrées jour par jour : {what}")
        weeks = (view["end"] - view["start"]).days <= CALENDAR_WEEKS_UP_TO
        self.calendar.update(
            days["entrees"].where(days["open"]),
            closed=~days["open"],
            view="semaines" if weeks else "mois",
        )
        weekday = view["weekday"]["par_jour_ouvert"].set_axis(DAY_NAMES)
        busiest = weekday.idxmax() if weekday.notna().any() else None
        self.by_weekday.set_title(
            f"Entrées par jour d'ouverture selon le jour : le {busiest.lower()} en tête"
            if busiest
            else "Entrées par jour d'ouverture selon le jour"
        )
        self.by_weekday.update(weekday, highlight=busiest)
        self.by_month.update(view["month"]["par_jour_ouvert"].set_axis(MONTH_NAMES))
        self.by_holidays.update(view["holidays"]["par_jour_ouvert"])
        yearly = view["yearly"]["par_jour_ouvert"]
        self.by_year.update(yearly.set_axis([str(year) for year in yearly.index]))
        peers = view["peers"]
        self.per_seat.update(peers.set_index("equipement")["par_place"], highlight=view["place"])
        table = peers[list(PEER_COLUMNS)].set_axis(list(PEER_COLUMNS.values()), axis=1)
        decimals = {header: 0 for header in list(PEER_COLUMNS.values())[1:-1]}
        self.facility_table.value = FULL_TABLE.format(
            table=html_table(
                table,
                "Comparaison des équipements sur la période",
                decimals={**decimals, "Entrées par place": 2},
            )
        )
        return view

    def sections(self) -> list[ipw.Widget]:
        """The page's sections under the controls, the period notice first."""
        return [
            self.period_notice,
            kpi_row(list(self.cards.values())),
            section("Au fil du temps", [self.timeline]),
            section(
                "Le calendrier",
                [self.calendar],
                "Chaque case est un jour : plus elle est foncée, plus il y a eu d'entrées. "
                "Les fermetures (l'été pour la patinoire, les jours de fermeture hebdomadaire) "
                "apparaissent en gris.",
            ),
            section(
                "Quels jours de la semaine ?",
                [self.by_weekday],
                "Les données sont journalières : elles ne disent pas à quelle heure il y a le "
                "plus de monde.",
            ),
            section("Selon la saison", [self.by_month, self.by_holidays]),
            section("D'une année à l'autre", [self.by_year]),
            section(
                "Comparer des équipements de tailles différentes",
                [self.per_seat, self.facility_table],
                "Les entrées par place tiennent compte de la taille de chaque équipement et "
                "de ses jours d'ouverture.",
            ),
        ]
