"""Where the Explorateur's numbers come from: the portal's answer, or a frame.

Live, each view asks the portal (:func:`fetch`, :func:`export`, through the data
layer's :class:`~rouen_opendata.portal_reads.DatasetReads`); when the portal refuses or
cannot answer a query, :func:`fetch` reads the dataset's whole export once and every
view is then computed by pandas on it (:func:`selected`), exactly as on a snapshot.
A field the data lacks is named in French (:class:`MissingFieldError`).
"""

from __future__ import annotations

import logging
from typing import Any

import pandas as pd

from rouen_opendata import breaker
from rouen_opendata.exceptions import OpenDataError
from rouen_opendata.reasons import french_reason

from . import explore_queries as q
from .explore_plan import FieldInfo
from .explore_selection import Selection
from .explore_sources import MissingFieldError, Source, ViewUnavailableError

log = logging.getLogger(__name__)


def _use_export(source: Source, refused: OpenDataError) -> None:
    """The portal could not compute a view: compute every view on its whole export now.

    Raises
    ------
    ViewUnavailableError
        The export cannot be read either (French message naming both failures).
    """
    # Info, not a warning: some portals refuse aggregations by design, and a warning
    # would print in the page's error stream.
    log.info(
        "portal query on %s failed (%s: %s); computing the views on the export",
        source.info.dataset_id,
        type(refused).__name__,
        refused,
    )
    if breaker.trips(refused):  # the portal itself is failing: its export would too
        raise ViewUnavailableError(
            f"Les vues de ce jeu ne peuvent pas être calculées : {french_reason(refused)}."
        ) from refused
    types = {f.name: f.type for f in source.info.fields}
    try:
        frame = source.reads.export_frame(types)
    except OpenDataError as failed:
        name = type(failed).__name__
        log.info("export of %s failed too (%s): %s", source.info.dataset_id, name, failed)
        raise ViewUnavailableError(
            f"Les vues de ce jeu ne peuvent pas être calculées : {french_reason(refused)}, "
            f"et son export n'a pas pu être lu ({french_reason(failed)})."
        ) from failed
    source.frame = frame
    source.export_reason = (
        f"{french_reason(refused)} ; les vues sont calculées sur l'export complet du jeu"
    )


def fetch(source: Source, query: q.ApiQuery) -> list[dict] | None:
    """The portal's answer to a records query, or None when the views are computed on a
    frame (the snapshot, or the export once the portal refused a query)."""
    if not source.on_portal:
        return None
    try:
        return source.reads.records(limit=query.limit, offset=query.offset, **query.params)
    except OpenDataError as exc:
        _use_export(source, exc)
        return None


def export(source: Source, query: q.ApiQuery, types: dict[str, str]) -> pd.DataFrame | None:
    """The portal's export for a query, typed; None when computed on a frame."""
    if not source.on_portal:
        return None
    try:
        return source.reads.export_frame(types, limit=query.limit, **query.params)
    except OpenDataError as exc:
        _use_export(source, exc)
        return None


def require(source: Source, frame: pd.DataFrame, names: list[str]) -> None:
    """Check the frame has these columns (an export may lack a declared field)."""
    missing = [n for n in names if n not in frame.columns]
    if missing:
        titles = ", ".join(f"« {_title(source, n)} »" for n in missing)
        raise MissingFieldError(f"les données ne contiennent pas le champ {titles}")


def present(frame: pd.DataFrame, names: list[str]) -> list[str]:
    """The columns the frame has: a popup or a table shows those, without the others."""
    return [n for n in names if n in frame.columns]


def _title(source: Source, name: str) -> str:
    found = next((f for f in source.info.fields if f.name == name), None)
    return found.title if found else name


def point_columns(source: Source, name: str) -> tuple[str, str]:
    """Frame columns of a point field: ``lat``/``lon`` for the first, as ``load_dataset``."""
    points = [f.name for f in source.info.fields if f.type == "geo_point_2d"]
    return ("lat", "lon") if points.index(name) == 0 else (f"{name}_lat", f"{name}_lon")


def selected(source: Source, selection: Selection) -> pd.DataFrame:
    """The frame's records (snapshot, or export) in the selection."""
    frame = source.frame
    assert frame is not None
    names = [name for name, _ in selection.filters]
    require(source, frame, names + ([selection.date_field] if selection.date_field else []))
    keep = pd.Series(True, index=frame.index)
    for name, value in selection.filters:
        column = frame[name]
        wanted = int(value) if pd.api.types.is_integer_dtype(column) else value
        keep &= (column.astype("string") == str(wanted)).fillna(False)
    if selection.date_field:
        dates = frame[selection.date_field]
        if selection.start:
            keep &= (dates >= pd.Timestamp(selection.start)).fillna(False)
        if selection.end_exclusive:
            keep &= (dates < pd.Timestamp(selection.end_exclusive)).fillna(False)
    return frame[keep]


def filled(source: Source, frame: pd.DataFrame, info: FieldInfo) -> int:
    """Records of the frame where the field has a value (blank text counts as empty)."""
    point = info.type == "geo_point_2d"
    column = point_columns(source, info.name)[0] if point else info.name
    if column not in frame.columns:
        return 0
    values = frame[column]
    filled = values.notna()
    if info.type == "text":
        filled &= values.astype("string").str.strip().ne("").fillna(False)
    return int(filled.sum())


def local(value: Any) -> pd.Timestamp | None:
    """A date the portal returned, as naive local time (like the snapshot's)."""
    if value is None or value == "":
        return None
    stamp = pd.Timestamp(value)
    return stamp.tz_convert(q.LOCAL_TIMEZONE).tz_localize(None) if stamp.tzinfo else stamp
