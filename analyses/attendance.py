"""Facility attendance: selections, totals, normalised comparisons, seasonality, crowd levels.

Functions take the frame of ``load_dataset("frequentation-equipements")``, or of a real
dataset with the same fields (see ``docs/schemas/frequentation-equipements.md``): one row
per facility and day, ``entrees`` the entries that day, ``ouvert`` « oui » or « non »,
``capacite`` the people it holds at once (or its seats). Call :func:`prepare` first.

« Per opening day » figures divide entries by facility-days open, so a library closed
two days a week compares fairly with a pool open six; « per seat » figures divide them
again by the capacity, so a small museum compares with a large one. The data are daily:
nothing here can tell the busy hours of a day.
"""

from __future__ import annotations

import logging
from datetime import date

import pandas as pd

log = logging.getLogger(__name__)

ALL = "Tous"
"""Parameter value meaning every facility, or every facility type."""
STEPS = ("Jour", "Semaine", "Mois")
"""Time steps of the attendance chart."""
SCHOOL_HOLIDAYS_ZONE_B: tuple[tuple[str, str], ...] = (
    ("2021-12-18", "2022-01-03"),
    ("2022-02-12", "2022-02-28"),
    ("2022-04-16", "2022-05-02"),
    ("2022-07-07", "2022-09-01"),
    ("2022-10-22", "2022-11-07"),
    ("2022-12-17", "2023-01-03"),
    ("2023-02-11", "2023-02-27"),
    ("2023-04-15", "2023-05-02"),
    ("2023-07-08", "2023-09-04"),
    ("2023-10-21", "2023-11-06"),
    ("2023-12-23", "2024-01-08"),
    ("2024-02-24", "2024-03-11"),
    ("2024-04-20", "2024-05-06"),
    ("2024-07-06", "2024-09-02"),
    ("2024-10-19", "2024-11-04"),
    ("2024-12-21", "2025-01-06"),
)
"""School holidays of zone B (académie de Normandie): first day off, day back at school.
Official calendar of the Ministère de l'Éducation nationale; extend it each year."""
HOLIDAYS, TERM = "Vacances scolaires", "Hors vacances"
LEVELS = ("calme", "moyen", "chargé")
"""Crowd levels: lower, middle and upper third of a facility's own open days."""
CLOSED = "fermé"
FEW_DAYS = "trop peu de jours"
SOMETIMES_OPEN = "ouvert certains jours"
OPEN = "ouvert"
NEVER_OPEN_SHARE = 0.05
"""Open on fewer than this share of the past days of a kind: shown as closed."""
RARELY_OPEN_SHARE = 0.5
"""Open on fewer than this share: « ouvert certains jours » (e.g. concert nights)."""
MIN_OPEN_DAYS = 3
"""Fewer past open days than this: no crowd level is given."""


def prepare(frame: pd.DataFrame) -> pd.DataFrame:
    """Typed copy: dates at midnight, ``open`` boolean, ``entrees``/``capacite`` floats."""
    out = frame.copy()
    out["date"] = pd.to_datetime(out["date"]).dt.normalize()
    out["open"] = out["ouvert"].astype("string").str.strip().str.lower().eq("oui").fillna(False)
    out["open"] = out["open"].astype(bool)
    out["entrees"] = out["entrees"].astype("float64")
    out["capacite"] = out["capacite"].astype("float64")
    return out.sort_values(["date", "equipement_id"], kind="stable").reset_index(drop=True)


def facilities(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per facility (index ``equipement_id``): name, type, commune, capacity."""
    columns = ["equipement", "type_equipement", "commune", "capacite"]
    table = rows.groupby("equipement_id")[columns].last()
    return table.sort_values(["type_equipement", "equipement"], kind="stable")


def type_options(table: pd.DataFrame) -> list[tuple[str, str]]:
    """(French label, value) pairs of the type drop-down, « Tous les types » first."""
    kinds = sorted(table["type_equipement"].unique())
    return [("Tous les types", ALL), *((str(k), str(k)) for k in kinds)]


def facility_options(table: pd.DataFrame, kind: str = ALL) -> list[tuple[str, str]]:
    """(name, id) pairs of the facility drop-down for one type, « Tous » first."""
    chosen = table if kind == ALL else table[table["type_equipement"] == kind]
    everything = "Tous les équipements" if kind == ALL else f"Tous : {kind.lower()}"
    return [(everything, ALL), *((str(n), str(i)) for i, n in chosen["equipement"].items())]


def resolve_facility(table: pd.DataFrame, value: str) -> str:
    """The facility id for an id or a name (any case); ``ValueError`` in French if none."""
    if value == ALL or value in table.index:
        return value
    by_name = {str(n).casefold(): str(i) for i, n in table["equipement"].items()}
    if str(value).strip().casefold() in by_name:
        return by_name[str(value).strip().casefold()]
    known = ", ".join(f"« {i} » ({n})" for i, n in table["equipement"].items())
    raise ValueError(f"l'équipement « {value} » est inconnu (équipements : {known})")


def check_type(table: pd.DataFrame, value: str) -> str:
    """``value`` if it is « Tous » or a facility type, else ``ValueError`` in French."""
    kinds = [v for _, v in type_options(table)]
    if value not in kinds:
        raise ValueError(
            f"le type « {value} » est inconnu (types : {', '.join(f'« {k} »' for k in kinds)})"
        )
    return value


def data_period(rows: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last day of the data."""
    return rows["date"].min(), rows["date"].max()


def period(rows: pd.DataFrame, debut: str = "", fin: str = "") -> tuple[pd.Timestamp, pd.Timestamp]:
    """The period asked for; empty ``fin`` is the last day of the data, empty ``debut``
    one year before ``fin`` (or the first day of the data). ``ValueError`` in French."""
    first, last = data_period(rows)
    end = _day(fin, "fin", first, last) if fin else last
    if debut:
        start = _day(debut, "début", first, last)
    else:
        start = max(end - pd.DateOffset(years=1) + pd.Timedelta(days=1), first)
    if start > end:
        raise ValueError(
            f"la période commence ({start.date().isoformat()}) après sa fin "
            f"({end.date().isoformat()})"
        )
    return start, end


def _day(text: str, name: str, first: pd.Timestamp, last: pd.Timestamp) -> pd.Timestamp:
    try:
        day = pd.Timestamp(date.fromisoformat(str(text).strip()))
    except ValueError:
        raise ValueError(f"« {text} » n'est pas une date AAAA-MM-JJ pour le {name}") from None
    if not first <= day <= last:
        raise ValueError(
            f"le {day.date().isoformat()} est hors des données "
            f"({first.date().isoformat()} au {last.date().isoformat()})"
        )
    return day


def select(
    rows: pd.DataFrame,
    equipement: str = ALL,
    type_equipement: str = ALL,
    start: pd.Timestamp | None = None,
    end: pd.Timestamp | None = None,
) -> pd.DataFrame:
    """Rows of one facility (id), or of one type, or all, between two days included."""
    keep = pd.Series(True, index=rows.index)
    if start is not None:
        keep &= rows["date"] >= start
    if end is not None:
        keep &= rows["date"] <= end
    if type_equipement != ALL:
        keep &= rows["type_equipement"] == type_equipement
    if equipement != ALL:
        keep &= rows["equipement_id"] == equipement
    return rows[keep]


def totals(rows: pd.DataFrame) -> dict[str, float]:
    """Entries, facility-days open, entries per opening day and per seat, facilities."""
    entries = float(rows["entrees"].sum())
    open_days = int(rows["open"].sum())
    seat_days = float(rows.loc[rows["open"], "capacite"].sum())
    return {
        "entries": entries,
        "open_days": open_days,
        "per_open_day": entries / open_days if open_days else float("nan"),
        "per_seat": entries / seat_days if seat_days else float("nan"),
        "facilities": int(rows["equipement_id"].nunique()),
        "days": int(rows["date"].nunique()),
    }


def previous_year(
    rows: pd.DataFrame,
    equipement: str,
    type_equipement: str,
    start: pd.Timestamp,
    end: pd.Timestamp,
) -> dict[str, float] | None:
    """:func:`totals` of the same selection one year earlier; None if the data start later."""
    before_start, before_end = start - pd.DateOffset(years=1), end - pd.DateOffset(years=1)
    if before_start < data_period(rows)[0]:
        return None
    return totals(select(rows, equipement, type_equipement, before_start, before_end))


def over_time(rows: pd.DataFrame, step: str = "Semaine") -> pd.DataFrame:
    """Entries and facility-days open per day, week (from Monday) or calendar month.

    Only whole weeks and months are kept: one cut by the start or the end of the
    selection would look like a drop in attendance.
    """
    if step not in STEPS:
        raise ValueError(f"pas de temps « {step} » inconnu (choix : {', '.join(STEPS)})")
    days = rows["date"]
    length = pd.Series(1, index=rows.index)
    if step == "Semaine":
        days = days - pd.to_timedelta(days.dt.day_of_week, unit="D")
        length = pd.Series(7, index=rows.index)
    elif step == "Mois":
        days = days.dt.to_period("M").dt.to_timestamp()
        length = rows["date"].dt.days_in_month
    grouped = rows.assign(date=days, length=length).groupby("date")
    table = pd.DataFrame(
        {
            "entrees": grouped["entrees"].sum(),
            "jours_ouverts": grouped["open"].sum(),
            "whole": grouped["length"].first() == rows.groupby(days)["date"].nunique(),
        }
    )
    return table[table["whole"]].drop(columns="whole").reset_index()


def daily(rows: pd.DataFrame) -> pd.DataFrame:
    """Per day: entries of the selection and whether any selected facility was open."""
    grouped = rows.groupby("date")
    return pd.DataFrame({"entrees": grouped["entrees"].sum(), "open": grouped["open"].any()})


def school_holidays(days: pd.Series) -> pd.Series:
    """True on zone B school holidays, NA on days the calendar does not cover."""
    flags = pd.Series(False, index=days.index, dtype="boolean")
    for first, back in SCHOOL_HOLIDAYS_ZONE_B:
        flags |= (days >= pd.Timestamp(first)) & (days < pd.Timestamp(back))
    covered = (days >= pd.Timestamp(SCHOOL_HOLIDAYS_ZONE_B[0][0])) & (
        days < pd.Timestamp(SCHOOL_HOLIDAYS_ZONE_B[-1][1])
    )
    return flags.where(covered, pd.NA)


def per_open_day(rows: pd.DataFrame, by: pd.Series | str) -> pd.DataFrame:
    """Entries per facility-day open for each group of ``by`` (a column or a Series)."""
    grouped = rows.groupby(rows[by] if isinstance(by, str) else by)
    table = pd.DataFrame(
        {"entrees": grouped["entrees"].sum(), "jours_ouverts": grouped["open"].sum()}
    )
    table["par_jour_ouvert"] = table["entrees"] / table["jours_ouverts"].where(
        table["jours_ouverts"] > 0
    )
    return table


def weekday_profile(rows: pd.DataFrame) -> pd.DataFrame:
    """Entries per opening day by weekday (index 0 = lundi … 6 = dimanche)."""
    return per_open_day(rows, rows["date"].dt.day_of_week.rename("jour")).reindex(range(7))


def month_profile(rows: pd.DataFrame) -> pd.DataFrame:
    """Entries per opening day by calendar month (index 1 = janvier … 12)."""
    return per_open_day(rows, rows["date"].dt.month.rename("mois")).reindex(range(1, 13))


def holiday_effect(rows: pd.DataFrame) -> pd.DataFrame:
    """Entries per opening day during zone B school holidays and outside them."""
    flags = school_holidays(rows["date"])
    labels = flags.map({True: HOLIDAYS, False: TERM}).rename("periode")
    covered = rows[flags.notna().to_numpy()]
    return per_open_day(covered, labels[flags.notna()]).reindex([HOLIDAYS, TERM])


def yearly(rows: pd.DataFrame) -> pd.DataFrame:
    """Entries and entries per opening day by calendar year."""
    return per_open_day(rows, rows["date"].dt.year.rename("annee"))


def by_facility(rows: pd.DataFrame) -> pd.DataFrame:
    """Per facility: entries, days open, share of days open, per opening day, per seat."""
    table = per_open_day(rows, "equipement_id")
    info = facilities(rows)
    table = info.join(table)
    table["part_ouverte"] = table["jours_ouverts"] / rows.groupby("equipement_id")["date"].nunique()
    table["par_place"] = table["par_jour_ouvert"] / table["capacite"]
    return table


def crowd_thresholds(rows: pd.DataFrame) -> tuple[float, float]:
    """Terciles of a facility's entries over its open days: the calme / chargé limits."""
    entries = rows.loc[rows["open"], "entrees"].dropna()
    if entries.empty:
        return float("nan"), float("nan")
    low, high = entries.quantile([1 / 3, 2 / 3])
    return float(low), float(high)


def crowd_level(value: float, thresholds: tuple[float, float]) -> str:
    """« calme » below the lower tercile, « chargé » above the upper one, else « moyen »."""
    low, high = thresholds
    if value < low:
        return LEVELS[0]
    return LEVELS[2] if value > high else LEVELS[1]


def crowd_table(rows: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Typical crowd of ONE facility by ``keys`` among « jour » (0 = lundi) and « mois ».

    Columns: jours (past days of that kind), jours_ouverts, part_ouverte, bas (first
    quartile), mediane, haut (third quartile) of entries on open days, statut (ouvert,
    ouvert certains jours, fermé) and niveau (calme, moyen, chargé, fermé or « trop peu
    de jours »), relative to the facility's own terciles (:func:`crowd_thresholds`).
    """
    if rows["equipement_id"].nunique() > 1:
        raise ValueError("crowd levels compare one facility with itself: select one first")
    parts = {"jour": rows["date"].dt.day_of_week, "mois": rows["date"].dt.month}
    groups = [parts[k].rename(k) for k in keys]
    every = rows.groupby(groups)["open"].agg(jours="size", jours_ouverts="sum")
    opened = rows[rows["open"]]
    stats = opened.groupby([g[rows["open"]] for g in groups])["entrees"].quantile([0.25, 0.5, 0.75])
    stats = stats.unstack().rename(columns={0.25: "bas", 0.5: "mediane", 0.75: "haut"})
    table = every.join(stats)
    table["part_ouverte"] = table["jours_ouverts"] / table["jours"]
    table["statut"] = OPEN
    table.loc[table["part_ouverte"] < RARELY_OPEN_SHARE, "statut"] = SOMETIMES_OPEN
    table.loc[table["part_ouverte"] < NEVER_OPEN_SHARE, "statut"] = CLOSED
    thresholds = crowd_thresholds(rows)
    table["niveau"] = [
        CLOSED
        if status == CLOSED
        else FEW_DAYS
        if n < MIN_OPEN_DAYS
        else crowd_level(median, thresholds)
        for status, n, median in zip(
            table["statut"], table["jours_ouverts"], table["mediane"], strict=True
        )
    ]
    return table
