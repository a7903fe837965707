"""Astuce boardings and alightings: per stop, per line, per month, placed on the GTFS stops.

Functions take the frame of ``load_dataset("astuce-montees-descentes")``, or of a real
dataset with the same fields (see ``docs/schemas/montees-descentes.md``): one row per
month, line and stop with ``montees`` (boardings) and ``descentes`` (alightings). Call
:func:`prepare` first. Stops are GTFS ``stop_id`` values: a station (parent stop) or a
platform, which :func:`stop_totals` brings back to its station to place it on the map.
"""

from __future__ import annotations

import logging

import pandas as pd

from analyses import transit
from rouen_opendata.formatting import format_date

log = logging.getLogger(__name__)

ALL_LINES = "Toutes"
"""Parameter value meaning every line."""
ALL_MONTHS = ""
"""Parameter value meaning every month of the data."""
TOP_SHARE = 10
"""The busiest stops whose share of all boardings is given."""


def prepare(frame: pd.DataFrame) -> pd.DataFrame:
    """Typed copy: counts as floats, ``mois`` as text « AAAA-MM », ``month`` as its first day."""
    out = frame.copy()
    out["mois"] = out["mois"].astype("string").str.slice(0, 7)
    out["month"] = pd.to_datetime(out["mois"] + "-01", format="%Y-%m-%d")
    for column in ("montees", "descentes"):
        out[column] = out[column].astype("float64")
    return out


def months(rows: pd.DataFrame) -> list[str]:
    """The months of the data, « AAAA-MM », in order."""
    return sorted(rows["mois"].dropna().unique())


def lines(rows: pd.DataFrame, routes: pd.DataFrame) -> pd.DataFrame:
    """Lines present in the counts, in the network's order, with mode and colour.

    Columns: route_short_name, mode, route_color (the feed's colour, ``RRGGBB``, missing
    when the feed gives none); lines unknown to the GTFS come last, as buses.
    """
    present = rows[["route_id", "route_short_name"]].drop_duplicates("route_short_name")
    known = transit.routes_with_modes(routes)[["route_id", "mode", "route_color"]]
    table = present.merge(known, on="route_id", how="left")
    order = {rid: i for i, rid in enumerate(known["route_id"])}
    table["order"] = table["route_id"].map(order).fillna(len(order))
    table["mode"] = table["mode"].fillna(transit.BUS)
    table = table.sort_values(["order", "route_short_name"], kind="stable")
    return table[["route_short_name", "mode", "route_color"]].reset_index(drop=True)


def check_line(rows: pd.DataFrame, ligne: str) -> str:
    """``ligne`` if it is « Toutes » or a line of the counts, else ``ValueError`` (French)."""
    names = sorted(rows["route_short_name"].unique())
    if ligne != ALL_LINES and ligne not in names:
        raise ValueError(f"la ligne « {ligne} » n'a pas de comptage (lignes : {', '.join(names)})")
    return ligne


def check_month(rows: pd.DataFrame, mois: str) -> str:
    """``mois`` if it is empty or a month of the counts, else ``ValueError`` (French)."""
    known = months(rows)
    if mois != ALL_MONTHS and mois not in known:
        raise ValueError(
            f"le mois « {mois} » n'a pas de comptage (mois AAAA-MM de {known[0]} à {known[-1]})"
        )
    return mois


def select(rows: pd.DataFrame, ligne: str = ALL_LINES, mois: str = ALL_MONTHS) -> pd.DataFrame:
    """Rows of one line (short name) and one month (« AAAA-MM »), or all."""
    keep = pd.Series(True, index=rows.index)
    if ligne != ALL_LINES:
        keep &= rows["route_short_name"] == ligne
    if mois != ALL_MONTHS:
        keep &= rows["mois"] == mois
    return rows[keep]


def days_in(selected_months: list[str]) -> int:
    """Number of days in these months (« AAAA-MM »)."""
    return int(sum(pd.Period(m, freq="M").days_in_month for m in selected_months))


def totals(rows: pd.DataFrame) -> dict[str, float]:
    """Boardings, alightings, days covered, boardings per day, stops, share of the top stops."""
    boardings = float(rows["montees"].sum())
    days = days_in(months(rows))
    per_stop = rows.groupby("stop_id")["montees"].sum().sort_values(ascending=False)
    return {
        "boardings": boardings,
        "alightings": float(rows["descentes"].sum()),
        "days": days,
        "per_day": boardings / days if days else float("nan"),
        "stops": int((per_stop > 0).sum()),
        "top_share": float(per_stop.head(TOP_SHARE).sum() / boardings) if boardings else 0.0,
    }


def line_totals(rows: pd.DataFrame) -> pd.Series:
    """Boardings per line (index: short name), largest first."""
    return rows.groupby("route_short_name")["montees"].sum().sort_values(ascending=False)


def monthly(rows: pd.DataFrame) -> pd.DataFrame:
    """Per month: boardings, alightings and boardings per day (first day of the month)."""
    table = rows.groupby("month")[["montees", "descentes"]].sum()
    table["par_jour"] = table["montees"] / table.index.days_in_month
    return table.reset_index()


def stop_totals(
    rows: pd.DataFrame, stops: pd.DataFrame, line_modes: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Boardings and alightings per station, placed on the GTFS stops.

    Columns: station_id, name, lat, lon (NaN when the stop is not in the GTFS),
    montees, descentes, lignes (text, the station's lines by boardings) and mode (the
    mode of its busiest line, when ``line_modes`` gives route_short_name → mode).
    """
    station_of = pd.Series(transit.platform_station(stops).to_numpy(), index=stops["stop_id"])
    located = rows.assign(station_id=rows["stop_id"].map(station_of).fillna(rows["stop_id"]))
    by_line = located.groupby(["station_id", "route_short_name"])["montees"].sum()
    by_line = by_line.sort_values(ascending=False, kind="stable")
    table = located.groupby("station_id")[["montees", "descentes"]].sum()
    table["lignes"] = (
        by_line.reset_index()
        .groupby("station_id")["route_short_name"]
        .agg(lambda names: ", ".join(str(n) for n in names))
    )
    if line_modes is not None:
        modes = line_modes.set_index("route_short_name")["mode"]
        busiest = by_line.reset_index().drop_duplicates("station_id").set_index("station_id")
        table["mode"] = busiest["route_short_name"].map(modes)
    stations = transit.stations(stops)[["station_id", "name", "lat", "lon"]]
    table = table.reset_index().merge(stations, on="station_id", how="left")
    names = located.drop_duplicates("station_id").set_index("station_id")["stop_name"]
    table["name"] = table["name"].fillna(table["station_id"].map(names))
    unplaced = int(table["lat"].isna().sum())
    if unplaced:
        log.info("%d stops of the counts are not in the GTFS stops: left off the map", unplaced)
    return table.sort_values("montees", ascending=False, kind="stable").reset_index(drop=True)


def month_label(mois: str) -> str:
    """« janvier 2024 » for « 2024-01 »."""
    return format_date(f"{mois}-01", "month")


def month_choices(rows: pd.DataFrame) -> list[tuple[str, str]]:
    """(label, value) of the month drop-down: the whole period, then each month."""
    return [("Toute la période", ALL_MONTHS), *((month_label(m), m) for m in months(rows))]


def line_choices(line_table: pd.DataFrame) -> list[tuple[str, str]]:
    """(label, value) of the line drop-down: every line, then each counted line."""
    names = line_table["route_short_name"]
    return [("Toutes les lignes", ALL_LINES), *((name, name) for name in names)]


def view(
    rows: pd.DataFrame, stops: pd.DataFrame, line_table: pd.DataFrame, ligne: str, mois: str
) -> dict[str, object]:
    """What the dashboard shows for one line (or :data:`ALL_LINES`) and one month (or
    :data:`ALL_MONTHS`): totals, stations, per-day boardings by line, the months.

    ``lines`` compares every line over the month, ``monthly`` follows the chosen line
    over every month; ``when`` names the period in French, ``line`` is None for all lines.
    """
    all_months = months(rows)
    chosen = select(rows, ligne, mois)
    days = days_in([mois] if mois else all_months)
    when = (
        month_label(mois)
        if mois
        else f"de {month_label(all_months[0])} à {month_label(all_months[-1])}"
    )
    return {
        "totals": totals(chosen),
        "stops": stop_totals(chosen, stops, line_table),
        "lines": line_totals(select(rows, ALL_LINES, mois)) / days,
        "monthly": monthly(select(rows, ligne)),
        "days": days,
        "when": when,
        "line": None if ligne == ALL_LINES else ligne,
    }
