"""What the « réseau Astuce » dashboard shows for one mode, line, day type or date.

:class:`NetworkData` reads the feed's tables once — trips per line and day
(:class:`~analyses.transit.service.ServiceLevels`), stations with the modes known to
serve them (:func:`~analyses.transit.stations.station_modes`) — and gives the
drop-down choices, the check of a precise date, and :meth:`NetworkData.view`, the
figures of one choice. Drawing them is :mod:`widgets.network_board`'s job. Pure
computations: no widget, no colour, no HTML.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from rouen_opendata.formatting import format_date, format_date_range

from .modes import (
    ALL_LINES,
    ALL_MODES,
    LIFTS,
    MODES,
    UNKNOWN_MODE,
    line_choices,
    mode_choices,
    select_routes,
)
from .service import DAY_TYPES, ServiceLevels, day_type
from .stations import station_modes

log = logging.getLogger(__name__)

TABLES = ("routes", "stops", "trips", "calendar", "calendar_dates")
"""Tables of the ``astuce-gtfs`` snapshot the dashboard reads."""
DAY_LABELS = {
    "Semaine": "un jour de semaine moyen",
    "Samedi": "un samedi moyen",
    "Dimanche": "un dimanche moyen",
}
"""Day type → how a sentence names its average day (« Courses un samedi moyen »)."""


@dataclass
class NetworkData:
    """The feed's lines, trips per day and stations, computed once at load.

    Attributes
    ----------
    levels
        Trips per line for any day type or date.
    stations
        One row per station with ``modes``, ``lines``, ``mode`` and ``route_ids``.
    """

    levels: ServiceLevels
    stations: pd.DataFrame

    @classmethod
    def from_frames(
        cls,
        routes: pd.DataFrame,
        stops: pd.DataFrame,
        trips: pd.DataFrame,
        calendar: pd.DataFrame,
        calendar_dates: pd.DataFrame,
        *,
        reference: date | str | None = None,
    ) -> NetworkData:
        """From the ``astuce-gtfs`` tables (``TABLES``); ``reference`` is the data's date,
        where the typical weeks start."""
        levels = ServiceLevels(routes, trips, calendar, calendar_dates, reference=reference)
        stations = station_modes(stops, routes, trips)
        log.info("%d lines, %d stations", len(levels.lines), len(stations))
        return cls(levels, stations)

    @property
    def lines(self) -> pd.DataFrame:
        """The lines with their ``mode``, in the network's order."""
        return self.levels.lines

    @property
    def map_modes(self) -> list[str]:
        """Modes some station is known to be served by, in display order."""
        present = set(self.stations["mode"])
        return [m for m in MODES if m in present]

    def mode_choices(self) -> list[tuple[str, str]]:
        """Drop-down choices for the mode: « Tous » then the feed's modes."""
        return mode_choices(self.lines)

    def line_choices(self, mode: str) -> list[tuple[str, str]]:
        """Drop-down choices for the lines of ``mode`` (every line for a mode the feed
        does not have: the mode's own check says what is wrong)."""
        known = {value for _, value in self.mode_choices()}
        return line_choices(self.lines, mode if mode in known else ALL_MODES)

    def check_date(self, text: str) -> str:
        """``text`` if it is empty or a day of the feed's period, in AAAA-MM-JJ;
        ``ValueError`` in French otherwise."""
        if not text:
            return text
        try:
            day = date.fromisoformat(text)
        except ValueError:
            raise ValueError(
                f"« date » attend un jour au format AAAA-MM-JJ, pas « {text} »"
            ) from None
        first, last = self.levels.period
        if not first.date() <= day <= last.date():
            raise ValueError(
                "« date » doit être un jour de la période du fichier "
                f"({format_date_range(first, last)}), pas « {text} »"
            )
        return text

    def shown_stations(self, mode: str, line_ids: list[str], one_line: bool) -> pd.Series:
        """Which stations get their mode's colour: those a chosen line is known to serve,
        else those of the chosen mode, else every station whose mode is known (lifts
        aside)."""
        if one_line:
            chosen = set(line_ids)
            return self.stations["route_ids"].map(lambda served: bool(set(served) & chosen))
        if mode != ALL_MODES:
            return self.stations["modes"].map(lambda modes: mode in modes)
        return ~self.stations["mode"].isin([UNKNOWN_MODE, LIFTS])

    def view(self, values: dict[str, Any]) -> dict[str, Any]:
        """Every figure for ``mode``, ``ligne``, ``jour`` and ``date`` (ISO text or empty).

        ``ids`` the chosen lines, ``per_line`` the trips of each line of the mode (by
        short name), ``trips`` their total for the chosen lines, ``typical`` the average
        day of each type, ``stations`` the coloured stations per mode, ``others`` the
        rest. Raises ``ValueError`` (French) for a mode, line or date the feed lacks.
        """
        mode, line = values["mode"], values["ligne"]
        levels = self.levels
        mode_ids = list(select_routes(self.lines, mode)["route_id"])
        ids = list(select_routes(self.lines, mode, line)["route_id"])
        on = levels.check_date(values["date"]) if values["date"] else None
        kind = str(day_type([on]).iloc[0]) if on is not None else values["jour"]
        one_line = line != ALL_LINES
        shown = self.shown_stations(mode, ids, one_line)
        colour = (
            self.stations["mode"] if mode == ALL_MODES else pd.Series(mode, self.stations.index)
        )
        typical = {k: float(levels.per_line(ids, k).sum()) for k in DAY_TYPES}
        names = self.lines.set_index("route_id")["route_short_name"]
        return {
            "ids": ids,
            "line": line if one_line else None,
            "everything": mode == ALL_MODES and not one_line,
            "on": on,
            "kind": kind,
            "when": f"le {format_date(on, 'full')}" if on is not None else DAY_LABELS[kind],
            "typical": typical,
            "week": 5 * typical["Semaine"] + typical["Samedi"] + typical["Dimanche"],
            "trips": float(levels.per_line(ids, kind, on=on).sum()),
            "per_line": levels.per_line(mode_ids, kind, on=on).rename(index=names),
            "weekly": levels.per_week(ids),
            "stations": {m: self.stations[shown & colour.eq(m)] for m in self.map_modes},
            "others": self.stations[~shown],
        }
