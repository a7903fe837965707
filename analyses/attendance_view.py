"""What the « fréquentation des équipements » dashboard shows for one set of parameters.

Built on :mod:`analyses.attendance`; pure (no drawing): the figures of the period, the
same period a year earlier, the profiles by weekday, month and school holidays, and the
places of the same type to compare.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from analyses import attendance as att


def described(catalogue: pd.DataFrame, equipement: str, type_equipement: str) -> str:
    """The selection in words: « Patinoire … », « type « Piscine » », « tous les équipements »."""
    if equipement != att.ALL:
        return str(catalogue.loc[equipement, "equipement"])
    if type_equipement != att.ALL:
        return f"type « {type_equipement} »"
    return "tous les équipements"


def view(rows: pd.DataFrame, catalogue: pd.DataFrame, values: dict[str, Any]) -> dict[str, Any]:
    """Every figure for ``values`` (``equipement``, ``type_equipement``, ``debut``, ``fin``,
    ``pas``); ``ValueError`` in French for a period that cannot be (a start after the end)."""
    first, last = att.period(rows, values["debut"] or "", values["fin"] or "")
    facility, kind = values["equipement"], values["type_equipement"]
    chosen = att.select(rows, facility, kind, first, last)
    peers_kind = kind if facility == att.ALL else catalogue.loc[facility, "type_equipement"]
    return {
        "start": first,
        "end": last,
        "what": described(catalogue, facility, kind),
        "place": None if facility == att.ALL else str(catalogue.loc[facility, "equipement"]),
        "step": values["pas"],
        "totals": att.totals(chosen),
        "previous": att.previous_year(rows, facility, kind, first, last),
        "over_time": att.over_time(chosen, values["pas"]),
        "daily": att.daily(chosen),
        "weekday": att.weekday_profile(chosen),
        "month": att.month_profile(chosen),
        "holidays": att.holiday_effect(chosen),
        "yearly": att.yearly(att.select(rows, facility, kind)),
        "peers": att.by_facility(att.select(rows, att.ALL, peers_kind, first, last)),
    }
