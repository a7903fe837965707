"""Modes of public transport lines, line selection and their drop-down choices."""

from __future__ import annotations

import logging

import pandas as pd

log = logging.getLogger(__name__)

METRO, TEOR, BUS = "Métro", "TEOR", "Bus"
ON_DEMAND, BOAT, LIFTS, OTHER = (
    "Transport à la demande",
    "Navette fluviale",
    "Ascenseurs et escalators",
    "Autre",
)
MODES = (METRO, TEOR, BUS, ON_DEMAND, BOAT, LIFTS, OTHER)
"""Modes in display order; the first of a station's modes is its main mode."""
UNKNOWN_MODE = "Non précisé"
"""Mode of a station whose lines the feed does not tell."""
ROUTE_TYPE_MODES = {1: METRO, 0: TEOR, 4: BOAT, 715: ON_DEMAND}
"""GTFS route_type → mode. In Rouen, route_type 0 (tram) is used for the TEOR
bus rapid transit lines T1–T4; 715 is the extended type for demand-responsive lines."""
NAME_MODES = {
    "ascenseur": LIFTS,
    "escalator": LIFTS,
    "filo'r": ON_DEMAND,
    "allobus": ON_DEMAND,
    "ponton": BOAT,
}
"""Name prefixes that tell a mode when route_type does not (lifts and on-demand
zones are published as bus lines; river shuttle piers have no parent station)."""


def mode_from_name(name: object) -> str | None:
    """Mode a line or station name tells (``NAME_MODES``), or None."""
    text = str(name).strip().lower() if isinstance(name, str) else ""
    return next((mode for prefix, mode in NAME_MODES.items() if text.startswith(prefix)), None)


def route_mode(route_type: int, short_name: str = "", long_name: str = "") -> str:
    """Mode of one line from its GTFS route_type and names (see ``MODES``)."""
    by_name = mode_from_name(long_name) or mode_from_name(short_name)
    if by_name is not None:
        return by_name
    if route_type in ROUTE_TYPE_MODES:
        return ROUTE_TYPE_MODES[route_type]
    return BUS if route_type == 3 or 700 <= route_type <= 799 else OTHER


def routes_with_modes(routes: pd.DataFrame) -> pd.DataFrame:
    """``routes`` with a ``mode`` column, sorted as the network orders its lines."""
    frame = routes.copy()
    frame["mode"] = [
        route_mode(int(t), s, n)
        for t, s, n in zip(
            frame["route_type"],
            frame["route_short_name"].fillna(""),
            frame["route_long_name"].fillna(""),
            strict=True,
        )
    ]
    order = "route_sort_order" if "route_sort_order" in frame else "route_short_name"
    return frame.sort_values(order, kind="stable").reset_index(drop=True)


ALL_MODES, ALL_LINES = "Tous", "Toutes"
"""Parameter values meaning no filter. « Tous » leaves out lifts and escalators, which
the feed publishes as lines (401–407) with thousands of daily « trips » each."""


def select_routes(
    routes: pd.DataFrame, mode: str = ALL_MODES, line: str = ALL_LINES
) -> pd.DataFrame:
    """Lines of ``routes_with_modes(routes)`` matching a mode and a line short name.

    Raises ``ValueError`` with a French message naming the accepted values.
    """
    lines = routes if "mode" in routes else routes_with_modes(routes)
    if mode == ALL_MODES:
        chosen = lines[lines["mode"] != LIFTS]
    elif mode in set(lines["mode"]):
        chosen = lines[lines["mode"] == mode]
    else:
        present = [m for m in MODES if m in set(lines["mode"])]
        known = ", ".join(f"« {m} »" for m in (ALL_MODES, *present))
        raise ValueError(f"Mode « {mode} » inconnu : choisissez parmi {known}.")
    if line == ALL_LINES:
        return chosen
    if line not in set(chosen["route_short_name"]):
        raise ValueError(
            f"La ligne « {line} » n'existe pas pour le mode « {mode} » "
            f"(lignes : {', '.join(chosen['route_short_name'].astype(str))})."
        )
    return chosen[chosen["route_short_name"] == line]


def mode_choices(lines: pd.DataFrame) -> list[tuple[str, str]]:
    """Drop-down choices for the mode: « Tous » then the modes the feed has."""
    present = [m for m in MODES if m in set(lines["mode"])]
    return [("Tous (hors ascenseurs)", ALL_MODES)] + [(m, m) for m in present]


def line_choices(lines: pd.DataFrame, mode: str = ALL_MODES) -> list[tuple[str, str]]:
    """Drop-down choices for the line: « Toutes » then « T4 · Marie Curie ↔ Zénith »…"""
    chosen = select_routes(lines, mode)
    return [("Toutes les lignes", ALL_LINES)] + [
        (f"{short} · {str(long).replace(' <> ', ' ↔ ')}" if long else str(short), str(short))
        for short, long in zip(
            chosen["route_short_name"], chosen["route_long_name"].fillna(""), strict=True
        )
    ]
