"""The dataset registry: every dataset a reuse reads, declared in ``data/registry.yaml``.

One record per dataset says where the data lives (portal, GTFS feed, other URL), who
publishes it under which licence, which fields it must have, which snapshot files
embed it, and whether it is real or generated.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from . import settings
from .exceptions import RegistryError, UnknownDatasetKeyError

log = logging.getLogger(__name__)

FieldType = Literal[
    "text", "int", "double", "date", "datetime", "geo_point_2d", "geo_shape", "file", "boolean"
]
"""Opendatasoft field types (``boolean`` for GTFS-like flags)."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RealProvenance(_Strict):
    """Data copied from a public source."""

    kind: Literal["real"]
    source: str = Field(description="Where the data came from (URL, repository and commit).")
    retrieved: date = Field(description="When that copy was taken.")
    notes: str = ""


class GeneratedProvenance(_Strict):
    """A sample made by a seeded script because the dataset is not published."""

    kind: Literal["generated"]
    script: str = Field(description="Path of the generating script, relative to the project.")
    seed: int
    schema_: str = Field(alias="schema", description="Schema the sample follows.")
    notes: str = ""


Provenance = Annotated[RealProvenance | GeneratedProvenance, Field(discriminator="kind")]


class TableSpec(_Strict):
    """One file of a snapshot and the fields it must contain."""

    file: str = Field(description="File name inside the dataset's snapshot folder.")
    format: Literal[
        "csv", "parquet", "json", "gtfs-txt", "opendatasoft-json", "geojson", "gbfs"
    ] = Field("csv", description="How the file is read (JSON shapes: rouen_opendata/formats.py).")
    fields: dict[str, FieldType] = Field(description="Expected field names and types.")
    records_path: str | None = Field(None, description="Key holding the rows in a JSON file.")
    rename: dict[str, str] = Field(
        default_factory=dict, description="Snapshot column → canonical column."
    )


class DatasetSpec(_Strict):
    """One dataset of the registry."""

    key: str
    source: Literal["opendatasoft", "gtfs", "gbfs", "url", "compiled"] = Field(
        description="Where a live read goes: the portal, a GTFS zip, a GBFS auto-discovery file "
        "(gbfs.json), another URL; 'compiled' has no live source (a reference table built by a "
        "committed script from several files): every read uses the snapshot."
    )
    title: str = Field(description="French title shown to citizens.")
    description: str = ""
    publisher: str
    licence: str
    licence_url: str
    themes: list[str]
    portal: str | None = Field(
        None,
        description="Opendatasoft base URL; empty means the Métropole portal "
        "(OPENDATA_PORTAL_URL overrides it; OPENDATA_PORTAL_URL_<KEY> overrides both).",
    )
    dataset_id: str | None = Field(None, description="Opendatasoft dataset id.")
    url: str | None = Field(None, description="Download URL for GTFS feeds and other URLs.")
    page_url: str | None = Field(None, description="Human page describing the dataset.")
    tables: dict[str, TableSpec] = Field(description="Named tables; 'data' for one-table sets.")
    provenance: Provenance

    @model_validator(mode="after")
    def _source_fields(self) -> DatasetSpec:
        if self.source == "opendatasoft" and not self.dataset_id:
            raise ValueError("an opendatasoft dataset needs dataset_id")
        if self.source in ("gtfs", "gbfs", "url") and not self.url:
            raise ValueError(f"a {self.source} dataset needs url")
        return self

    @property
    def generated(self) -> bool:
        return self.provenance.kind == "generated"

    @property
    def portal_id(self) -> str:
        """The portal's dataset id, for an ``opendatasoft`` dataset (validated above)."""
        if not self.dataset_id:
            raise RegistryError(f"{self.key} is not read from a portal: it has no dataset_id.")
        return self.dataset_id

    @property
    def download_url(self) -> str:
        """Where a ``gtfs``, ``gbfs`` or ``url`` dataset is downloaded (validated above)."""
        if not self.url:
            raise RegistryError(f"{self.key} has no download url.")
        return self.url

    @property
    def portal_base(self) -> str:
        """Portal base URL: ``OPENDATA_PORTAL_URL_<KEY>`` if set, else the declared
        ``portal``, else the Métropole's (``OPENDATA_PORTAL_URL`` overrides it)."""
        base = settings.portal_url_for(self.key) or self.portal or settings.portal_url()
        return base.rstrip("/")

    @property
    def portal_page(self) -> str:
        """Page a citizen opens to see the dataset at its source."""
        if self.page_url:
            return self.page_url
        if self.source == "opendatasoft":
            return f"{self.portal_base}/explore/dataset/{self.dataset_id}/"
        return self.url or ""

    def table(self, name: str | None = None) -> TableSpec:
        if name is None:
            if len(self.tables) != 1:
                raise RegistryError(
                    f"Dataset '{self.key}' has tables {sorted(self.tables)}: name one with table=."
                )
            return next(iter(self.tables.values()))
        try:
            return self.tables[name]
        except KeyError:
            raise RegistryError(
                f"Dataset '{self.key}' has no table '{name}'; tables: {sorted(self.tables)}."
            ) from None


class Registry(BaseModel):
    """All datasets, by key."""

    model_config = ConfigDict(frozen=True)
    datasets: dict[str, DatasetSpec]

    def __getitem__(self, key: str) -> DatasetSpec:
        try:
            return self.datasets[key]
        except KeyError:
            raise UnknownDatasetKeyError(
                f"Unknown dataset key '{key}'. Known keys: {', '.join(sorted(self.datasets))}."
            ) from None

    def __contains__(self, key: object) -> bool:
        return key in self.datasets

    def __iter__(self) -> Iterator[DatasetSpec]:  # type: ignore[override]
        return iter(self.datasets.values())

    def keys(self) -> list[str]:
        return sorted(self.datasets)


def registry_path() -> Path:
    return settings.data_dir() / "registry.yaml"


def parse_registry(text: str, origin: str = "registry.yaml") -> Registry:
    """Validate registry YAML text; errors name the dataset and the field."""
    try:
        raw = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise RegistryError(f"{origin} is not valid YAML: {exc}") from exc
    entries = raw.get("datasets")
    if not isinstance(entries, dict):
        raise RegistryError(f"{origin} must hold a 'datasets:' mapping of key → dataset.")
    datasets: dict[str, DatasetSpec] = {}
    for key, entry in entries.items():
        if not isinstance(entry, dict):
            raise RegistryError(f"{origin}: dataset '{key}' must be a mapping.")
        try:
            datasets[key] = DatasetSpec.model_validate({"key": key, **entry})
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
            )
            raise RegistryError(f"{origin}: dataset '{key}' is invalid — {problems}") from None
    return Registry(datasets=datasets)


@lru_cache(maxsize=4)
def _load_registry_cached(path: str, mtime_ns: int) -> Registry:
    return parse_registry(Path(path).read_text(encoding="utf-8"), origin=path)


def load_registry(path: Path | None = None) -> Registry:
    """Read and validate the registry (cached until the file changes)."""
    path = Path(path or registry_path())
    if not path.exists():
        raise RegistryError(f"No dataset registry at {path}.")
    return _load_registry_cached(str(path), path.stat().st_mtime_ns)


def get_dataset(key: str) -> DatasetSpec:
    """The registry record of one dataset."""
    return load_registry()[key]
