"""Public transport computations on a GTFS feed: modes of lines, service days, trips per
day, stations, and the French drop-down choices they offer.

Functions take the frames returned by ``load_dataset("astuce-gtfs", table=...)`` (the
data layer reads the feed) and return plain DataFrames or Series; nothing here reads
files, draws or picks colours (the modes' colours are ``widgets.MODE_COLORS``).

The Astuce snapshot is a *partial* feed (no ``stop_times.txt``): trips can be counted
per line and per day, but which line calls at which stop is only known for the
termini named by trip headsigns. :func:`station_modes` uses ``stop_times`` when given.

Modules: ``modes`` (modes of lines, line selection, their choices), ``service``
(service days, periods, trips per day, :class:`ServiceLevels`), ``stations``. Every
public name is re-exported here: ``from analyses import transit``.
"""

from __future__ import annotations

from .modes import (
    ALL_LINES,
    ALL_MODES,
    BOAT,
    BUS,
    LIFTS,
    METRO,
    MODES,
    NAME_MODES,
    ON_DEMAND,
    OTHER,
    ROUTE_TYPE_MODES,
    TEOR,
    UNKNOWN_MODE,
    line_choices,
    mode_choices,
    mode_from_name,
    route_mode,
    routes_with_modes,
    select_routes,
)
from .service import (
    DAY_TYPE_CHOICES,
    DAY_TYPES,
    ServiceLevels,
    daily_trips,
    day_type,
    feed_period,
    main_period,
    service_days,
    trips_by_day_type,
    trips_on_date,
    typical_period,
)
from .stations import (
    platform_station,
    station_modes,
    stations,
    terminus_stations,
)

__all__ = [
    "ALL_LINES",
    "ALL_MODES",
    "BOAT",
    "BUS",
    "DAY_TYPES",
    "DAY_TYPE_CHOICES",
    "LIFTS",
    "METRO",
    "MODES",
    "NAME_MODES",
    "ON_DEMAND",
    "OTHER",
    "ROUTE_TYPE_MODES",
    "TEOR",
    "UNKNOWN_MODE",
    "ServiceLevels",
    "daily_trips",
    "day_type",
    "feed_period",
    "line_choices",
    "main_period",
    "mode_choices",
    "mode_from_name",
    "platform_station",
    "route_mode",
    "routes_with_modes",
    "select_routes",
    "service_days",
    "station_modes",
    "stations",
    "terminus_stations",
    "trips_by_day_type",
    "trips_on_date",
    "typical_period",
]
