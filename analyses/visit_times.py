"""When to go to one place: its usual crowd on one weekday, over the week and the months.

The tables come from :mod:`analyses.attendance` (levels, typical ranges, open days);
this module picks what the « quand y aller » page shows for one place and one weekday.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from rouen_opendata.formatting import MONTHS

from . import attendance as att


def one_place(catalogue: pd.DataFrame, value: str) -> str:
    """The id of a place given by its id or name; « Tous » is refused (one place at a time).

    A value matching no place is returned as is, so the drop-down refuses it and lists
    the places.
    """
    try:
        chosen = att.resolve_facility(catalogue, value)
    except ValueError:
        return value
    if chosen == att.ALL:
        raise ValueError(
            f"« equipement » attend un seul équipement, pas « {value} » : l'affluence se "
            "compare équipement par équipement. Choisissez un équipement dans la liste"
        )
    return str(chosen)


def day_view(rows: pd.DataFrame, facility: str, weekday: int) -> dict[str, Any]:
    """One place's crowd tables for ``weekday`` (0 = Monday).

    Keys: ``weekday``; ``by_day`` (:func:`analyses.attendance.crowd_table` by weekday);
    ``by_month_day`` (by month and weekday); ``of_day`` (that weekday, months 1–12, a
    missing row for a month without data); ``closed_months`` (French names of the months
    when the place is usually closed that weekday).
    """
    facility_rows = att.select(rows, facility)
    by_day = att.crowd_table(facility_rows, ["jour"])
    by_month_day = att.crowd_table(facility_rows, ["mois", "jour"])
    of_day = by_month_day.xs(weekday, level="jour").reindex(range(1, 13))
    closed = [MONTHS[m - 1] for m in of_day.index if of_day.loc[m, "niveau"] == att.CLOSED]
    return {
        "weekday": weekday,
        "by_day": by_day,
        "by_month_day": by_month_day,
        "of_day": of_day,
        "closed_months": closed,
    }
