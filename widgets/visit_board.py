"""The « quand y aller ? » figures: the answer in words, the week, the months.

The tables come from :func:`analyses.visit_times.day_view`; :class:`VisitFigures` draws
them. The notebook binds the controls and calls :meth:`VisitFigures.draw`.
"""

from __future__ import annotations

import html
from datetime import date
from typing import Any

import ipywidgets as ipw
import pandas as pd

from analyses import attendance as att
from rouen_opendata.formatting import DAYS, MONTHS, format_date, format_number

from .charts import ranked_bars
from .crowd import level_badge, month_grid_html, typical_range, week_table_html
from .indicators import AnswerCard
from .layout import section

DAY_NAMES = [day.capitalize() for day in DAYS]
MONTH_NAMES = [month.capitalize() for month in MONTHS]
SHORT_DAYS = [day[:3] + "." for day in DAY_NAMES]


def in_words(items: list[str]) -> str:
    """« juin, juillet et août »."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} et {items[-1]}"


def period_text(first_day: date, last_day: date) -> str:
    """« de janvier 2024 à décembre 2025 »."""
    return f"de {format_date(first_day, 'month')} à {format_date(last_day, 'month')}"


def answer_sentence(
    name: str, day: str, row: pd.Series, months_closed: list[str], period: str
) -> str:
    """The answer in plain French, with how sure it is (HTML)."""
    plural = f"{day}s"
    opened, days = int(row["jours_ouverts"]), int(row["jours"])
    where = f"<p class='rr-answer'><strong>{html.escape(name)}, le {day}</strong> : "
    if row["niveau"] == att.CLOSED:
        return (
            f"{where}en général {level_badge(att.CLOSED)}.</p>"
            f"<p>Ouvert {opened} {day if opened < 2 else plural} sur {days}, {period}.</p>"
        )
    if row["niveau"] == att.FEW_DAYS:
        return (
            f"{where}ouvert seulement {opened} {day if opened < 2 else plural} sur {days}, "
            "trop peu pour dire s'il y a du monde.</p>"
        )
    text = (
        f"{where}en général, c'est {level_badge(row['niveau'])}.</p>"
        f"<p>Un {day} habituel : {typical_range(row)} (la moitié des {plural} passés "
        f"étaient dans cette fourchette ; au milieu, {format_number(row['mediane'])}).</p>"
        f"<p>Estimation tirée de {opened} {plural} d'ouverture, {period}.</p>"
    )
    if row["statut"] == att.SOMETIMES_OPEN:
        text += f"<p>Attention : ouvert seulement certains {plural} ({opened} sur {days}).</p>"
    if months_closed:
        text += f"<p>Fermé le {day} en {in_words(months_closed)}.</p>"
    return text


class VisitFigures:
    """The answer card, the week table, the month grid and bars, empty until :meth:`draw`.

    Parameters
    ----------
    period
        The data's period in words (:func:`period_text`), said in every answer.
    """

    def __init__(self, period: str) -> None:
        self.period = period
        self.answer = AnswerCard()
        self.week = ipw.HTML(layout=ipw.Layout(width="100%"))
        self.months = ipw.HTML(layout=ipw.Layout(width="100%"))
        self.by_month = ranked_bars(
            pd.Series(dtype=float),
            "Entrées un jour habituel, mois par mois",
            "Entrées",
            keep_order=True,
            label_name="Mois",
        )

    def draw(self, view: dict[str, Any], name: str) -> dict[str, Any]:
        """Show one :func:`analyses.visit_times.day_view` for the place ``name``; returns it."""
        weekday = view["weekday"]
        day = DAYS[weekday]
        row = view["by_day"].loc[weekday]
        self.answer.update(answer_sentence(name, day, row, view["closed_months"], self.period))
        self.week.value = week_table_html(
            view["by_day"], DAY_NAMES, weekday, f"Affluence habituelle jour par jour : {name}"
        )
        self.months.value = month_grid_html(
            view["by_month_day"],
            MONTH_NAMES,
            SHORT_DAYS,
            weekday,
            f"Affluence selon le mois et le jour : {name}",
        )
        self.by_month.set_title(f"Entrées un {day} habituel, mois par mois (médiane)")
        self.by_month.update(view["of_day"]["mediane"].set_axis(MONTH_NAMES))
        return view

    def sections(self, notice: ipw.Widget) -> list[ipw.Widget]:
        """The page under the controls: the notice, the answer, the week, the months."""
        return [
            notice,
            self.answer,
            section(
                "Dans la semaine",
                [self.week],
                "« Calme » : parmi le tiers des jours les moins fréquentés de cet équipement ; "
                "« chargé » : parmi le tiers le plus fréquenté. Les entrées habituelles sont la "
                "fourchette où se trouvait la moitié des jours passés ; « 115/157 » : ouvert 115 "
                "de ces jours sur 157.",
            ),
            section(
                "Selon le mois",
                [self.months, self.by_month],
                "Même échelle, mois par mois : par exemple, la patinoire ferme l'été.",
            ),
        ]
