"""Where the Explorateur reads a dataset: the embedded snapshot or the live portal.

Offline (``OPENDATA_SOURCE=snapshot``, the default) ``dataset_id`` names one of the
registry's Opendatasoft datasets, by its portal id or its registry key; the frame comes
from ``load_dataset`` and the metadata from the snapshot's ``meta.json`` (or, when it
lists no fields, from the registry's declared fields). Live, any dataset of the portal
works: its metadata comes from ``PortalClient.dataset`` and every view is a query. A
registry dataset the portal cannot serve falls back to its snapshot, and says why.

GTFS feeds are not Opendatasoft datasets (no records API, no ODSQL): the Explorateur
leaves them out and says so.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from rouen_opendata import DataProvenance, load_dataset, load_registry, settings
from rouen_opendata.client import PortalClient
from rouen_opendata.exceptions import OpenDataError
from rouen_opendata.registry import DatasetSpec
from rouen_opendata.snapshots import read_meta

from .explore_plan import GEO_TYPES, FieldInfo, ViewPlan, as_fields

log = logging.getLogger(__name__)


class ExploreError(Exception):
    """The Explorateur cannot open the dataset asked for (French message)."""


class DatasetUnavailableError(ExploreError):
    """The dataset is not in the registry (offline) or not on the portal (live)."""


@dataclass(frozen=True)
class DatasetInfo:
    """A dataset's metadata, as the portal describes it."""

    dataset_id: str
    title: str
    fields: tuple[FieldInfo, ...]
    records_count: int
    portal: str
    """Base URL of the portal publishing it."""
    modified: str | None = None
    licence: str = ""
    licence_url: str = ""
    publisher: str = ""
    features: tuple[str, ...] = ()
    """Portal features, e.g. ``geo``, ``timeserie``, ``analyze``."""
    key: str | None = None
    """Registry key, when the registry declares the dataset."""


@dataclass
class Source:
    """An opened dataset: metadata, provenance, and where its views are computed."""

    info: DatasetInfo
    provenance: DataProvenance
    client: PortalClient
    """Builds every URL shown; sends the requests only when live."""
    frame: pd.DataFrame | None = None
    """The snapshot's frame; None when the views query the live portal."""
    plan: ViewPlan | None = None
    answers: dict[str, Any] = field(default_factory=dict)
    """Live answers by URL: the same request is sent once."""

    @property
    def live(self) -> bool:
        return self.frame is None


def opendatasoft_specs() -> list[DatasetSpec]:
    """The registry's Opendatasoft datasets, by title."""
    specs = [s for s in load_registry() if s.source == "opendatasoft"]
    return sorted(specs, key=lambda s: s.title)


def catalogue() -> list[tuple[str, str]]:
    """(French title, portal dataset id) of each dataset offered offline."""
    return [(spec.title, spec.dataset_id or spec.key) for spec in opendatasoft_specs()]


def find_spec(dataset_id: str) -> DatasetSpec | None:
    """The registry record of a dataset named by portal id or registry key."""
    wanted = dataset_id.strip()
    return next(
        (s for s in load_registry() if wanted in (s.key, s.dataset_id)),
        None,
    )


def _available() -> str:
    return " ; ".join(f"« {title} » ({ident})" for title, ident in catalogue())


def _features(fields: tuple[FieldInfo, ...]) -> tuple[str, ...]:
    """The features the portal derives from field types."""
    kinds = {f.type for f in fields}
    return (
        ("analyze",)
        + (("geo",) if kinds & set(GEO_TYPES) else ())
        + (("timeserie",) if kinds & {"date", "datetime"} else ())
    )


def registry_fields(spec: DatasetSpec) -> tuple[FieldInfo, ...]:
    """Fields declared by the registry, with the data layer's ``lat``/``lon`` pair (what
    ``load_dataset`` makes of a point) read back as one ``geo_point_2d`` field."""
    declared = spec.table().fields
    fields = [FieldInfo(name, kind) for name, kind in declared.items()]
    pair = {declared.get("lat"), declared.get("lon")} == {"double"}
    if pair and not any(f.type in GEO_TYPES for f in fields):
        fields = [f for f in fields if f.name not in ("lat", "lon")]
        fields.append(FieldInfo("geo_point_2d", "geo_point_2d", "Position"))
    return tuple(fields)


def snapshot_source(spec: DatasetSpec, fallback_reason: str | None = None) -> Source:
    """A registry dataset read from its snapshot (``fallback_reason``: why not live)."""
    frame, provenance = load_dataset(spec.key, source="snapshot")
    if fallback_reason is not None:
        provenance = replace(provenance, fallback_reason=fallback_reason)
    meta = read_meta(spec.key)
    metas = meta.get("metas", {})
    fields = as_fields(meta.get("fields") or []) or registry_fields(spec)
    info = DatasetInfo(
        dataset_id=spec.dataset_id or spec.key,
        title=metas.get("title") or spec.title,
        fields=fields,
        records_count=len(frame),
        portal=spec.portal_base,
        modified=metas.get("modified"),
        licence=metas.get("license") or spec.licence,
        licence_url=metas.get("license_url") or spec.licence_url,
        publisher=metas.get("publisher") or spec.publisher,
        features=_features(fields),
        key=spec.key,
    )
    return Source(info, provenance, PortalClient(base_url=spec.portal_base), frame)


def live_source(dataset_id: str, spec: DatasetSpec | None = None) -> Source:
    """Any dataset of the portal, read through its API (metadata now, views on demand)."""
    base = spec.portal_base if spec else settings.portal_url()
    client = PortalClient(base_url=base)
    metadata = client.dataset(dataset_id)
    metas = metadata.get("metas", {}).get("default", {})
    fields = as_fields(metadata.get("fields") or [])
    info = DatasetInfo(
        dataset_id=dataset_id,
        title=metas.get("title") or dataset_id,
        fields=fields,
        records_count=int(metas.get("records_count") or 0),
        portal=client.base_url,
        modified=metas.get("modified"),
        licence=metas.get("license") or "",
        licence_url=metas.get("license_url") or "",
        publisher=metas.get("publisher") or "",
        features=tuple(metadata.get("features") or _features(fields)),
        key=spec.key if spec else None,
    )
    provenance = DataProvenance(
        key=info.key or dataset_id,
        title=info.title,
        dataset_id=dataset_id,
        page_url=f"{client.base_url}/explore/dataset/{dataset_id}/",
        publisher=info.publisher,
        licence=info.licence or "licence non précisée",
        licence_url=info.licence_url,
        source="live",
        data_date=info.modified,
        fetched_at=None,
        generated=False,
        origin=client.base_url,
        rows=info.records_count,
    )
    return Source(info, provenance, client)


def connect(dataset_id: str, source: str | None = None) -> Source:
    """Open a dataset from the snapshot or the live portal (``OPENDATA_SOURCE``).

    Raises
    ------
    DatasetUnavailableError
        Offline: the id is not one of the registry's Opendatasoft datasets. Live: the
        portal cannot serve it and the registry has no snapshot of it.
    """
    source = source or settings.data_source()
    spec = find_spec(dataset_id)
    if spec is not None and spec.source != "opendatasoft":
        raise DatasetUnavailableError(
            f"« {dataset_id} » est un flux {spec.source.upper()}, pas un jeu Opendatasoft : "
            "l'Explorateur ne sait pas l'interroger (la réutilisation « Le réseau Astuce » "
            f"l'explore). Jeux disponibles : {_available()}."
        )
    if source == "live":
        portal_id = spec.dataset_id if spec and spec.dataset_id else dataset_id.strip()
        try:
            return live_source(portal_id, spec)
        except OpenDataError as exc:
            log.warning("live metadata of %s failed: %s", portal_id, exc)
            if spec is None:
                raise DatasetUnavailableError(
                    f"Le portail ne donne pas accès au jeu « {dataset_id} » "
                    f"({type(exc).__name__}). Vérifiez son identifiant dans le catalogue "
                    f"du portail ; jeux disponibles hors ligne : {_available()}."
                ) from exc
            reason = f"lecture en ligne impossible ({type(exc).__name__}) : {exc}"
            return snapshot_source(spec, reason)
    if spec is None:
        raise DatasetUnavailableError(
            f"« {dataset_id} » n'est pas un jeu de données disponible hors ligne. "
            f"Jeux disponibles : {_available()}."
        )
    return snapshot_source(spec)
