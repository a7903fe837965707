"""Where the Explorateur reads a dataset: the embedded snapshot or the live portal.

Offline (``OPENDATA_SOURCE=snapshot``, the default) ``dataset_id`` names one of the
registry's Opendatasoft datasets, by its portal id or its registry key; the frame comes
from ``load_dataset``, its columns under the portal's names, and the metadata from the
snapshot's ``meta.json`` (or, when it lists no fields, from the registry's declared
fields). Live, any dataset of the portal works: its metadata comes from the portal
(``DatasetReads.metadata``) and every view is a query; a query the portal refuses is
computed on the dataset's export instead. A registry dataset the portal cannot serve
falls back to its snapshot, and says why.

GTFS and GBFS feeds and compiled tables are not Opendatasoft datasets (no records API,
no ODSQL): the Explorateur leaves them out and says so.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

import pandas as pd

from rouen_opendata import DataProvenance, breaker, load_dataset, load_registry, settings
from rouen_opendata.exceptions import OpenDataError
from rouen_opendata.portal_reads import DatasetReads
from rouen_opendata.reasons import french_reason
from rouen_opendata.registry import DatasetSpec
from rouen_opendata.snapshots import read_meta

from .explore_plan import GEO_TYPES, FieldInfo, ViewPlan, as_fields

log = logging.getLogger(__name__)

OTHER_SOURCES = {
    "gtfs": "un flux GTFS (la réutilisation « Le réseau Astuce » l'explore)",
    "gbfs": "un flux GBFS de vélos en libre-service",
    "compiled": "une table compilée à partir de plusieurs sources publiques",
}
"""What the registry's other kinds of source are, in French (for the refusal message)."""


class ExploreError(Exception):
    """The Explorateur cannot open the dataset asked for (French message)."""


class DatasetUnavailableError(ExploreError):
    """The dataset is not in the registry (offline) or not on the portal (live)."""


class ViewUnavailableError(ExploreError):
    """A view cannot be computed: the portal refused it and its data cannot be read."""


class MissingFieldError(ViewUnavailableError):
    """The data lacks a field its metadata declares: the views of that field are left out."""


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
    reads: DatasetReads
    """Builds every URL shown; sends the requests only when live."""
    frame: pd.DataFrame | None = None
    """What pandas computes the views on: the snapshot, or the portal's whole export once
    the portal refused a view's query; None while the portal computes them."""
    plan: ViewPlan | None = None
    live: bool = False
    """True when the data is read from the portal (not the snapshot)."""
    export_reason: str | None = None
    """Why the views of a live dataset are computed on its export (French), if they are."""

    @property
    def on_portal(self) -> bool:
        """True while the portal computes the views (live, no refused query yet)."""
        return self.live and self.frame is None


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


def _features(fields: tuple[FieldInfo, ...]) -> tuple[str, ...]:
    """The features the portal derives from field types."""
    kinds = {f.type for f in fields}
    return (
        ("analyze",)
        + (("geo",) if kinds & set(GEO_TYPES) else ())
        + (("timeserie",) if kinds & {"date", "datetime"} else ())
    )


def registry_fields(spec: DatasetSpec) -> tuple[FieldInfo, ...]:
    """Fields declared by the registry (for a snapshot whose metadata lists none)."""
    return tuple(FieldInfo(name, kind) for name, kind in spec.table().fields.items())


def snapshot_source(spec: DatasetSpec, fallback_reason: str | None = None) -> Source:
    """A registry dataset read from its snapshot (``fallback_reason``: why not live)."""
    frame, provenance = load_dataset(spec.key, source="snapshot")
    if fallback_reason is not None:
        provenance = replace(provenance, fallback_reason=fallback_reason)
    meta = read_meta(spec.key)
    metas = meta.get("metas", {})
    fields = as_fields(meta.get("fields") or [])
    if fields:  # the portal's own names, which the registry may rename for notebooks
        portal_names = {mine: theirs for theirs, mine in spec.table().rename.items()}
        frame = frame.rename(columns=portal_names)
    else:
        fields = registry_fields(spec)
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
    return Source(info, provenance, DatasetReads(info.dataset_id, spec.portal_base), frame)


def live_source(dataset_id: str, spec: DatasetSpec | None = None) -> Source:
    """Any dataset of the portal, read through its API (metadata now, views on demand)."""
    reads = DatasetReads(dataset_id, spec.portal_base if spec else settings.portal_url())
    metadata = reads.metadata()
    fields = as_fields(metadata.fields)
    info = DatasetInfo(
        dataset_id=dataset_id,
        title=metadata.title,
        fields=fields,
        records_count=metadata.records_count,
        portal=reads.base_url,
        modified=metadata.modified,
        licence=metadata.licence,
        licence_url=metadata.licence_url,
        publisher=metadata.publisher,
        features=metadata.features or _features(fields),
        key=spec.key if spec else None,
    )
    provenance = DataProvenance(
        key=info.key or dataset_id,
        title=info.title,
        dataset_id=dataset_id,
        page_url=reads.page_url,
        publisher=info.publisher,
        licence=info.licence or "licence non précisée",
        licence_url=info.licence_url,
        source="live",
        data_date=info.modified,
        fetched_at=None,
        generated=False,
        origin=reads.base_url,
        rows=info.records_count,
    )
    return Source(info, provenance, reads, live=True)


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
        kind = OTHER_SOURCES.get(spec.source, "une autre source")
        raise DatasetUnavailableError(
            f"« {dataset_id} » est {kind}, pas un jeu Opendatasoft : l'Explorateur ne sait "
            "pas l'interroger. Choisissez un jeu dans la liste."
        )
    if source == "live":
        portal_id = spec.dataset_id if spec and spec.dataset_id else dataset_id.strip()
        # A portal that already failed in this build is not asked again: its reason stands.
        failed = breaker.open_reason(spec.portal_base if spec else settings.portal_url())
        if failed is None:
            try:
                return live_source(portal_id, spec)
            except OpenDataError as exc:
                log.info("live metadata of %s failed (%s): %s", portal_id, type(exc).__name__, exc)
                failed = french_reason(exc)
        if spec is None:
            raise DatasetUnavailableError(
                f"Le portail ne donne pas accès au jeu « {dataset_id} » : {failed}. Vérifiez "
                "son identifiant dans le catalogue du portail, ou choisissez un jeu dans la liste."
            )
        return snapshot_source(spec, f"lecture en ligne impossible : {failed}")
    if spec is None:
        raise DatasetUnavailableError(
            f"« {dataset_id} » n'est pas un jeu de données disponible hors ligne. "
            "Choisissez un jeu dans la liste."
        )
    return snapshot_source(spec)
