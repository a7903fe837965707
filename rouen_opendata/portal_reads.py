"""Reads of one portal dataset for dashboards that query the portal themselves.

The Explorateur computes its views on the portal (ODSQL aggregates with ``group_by``,
exports) instead of downloading whole datasets. :class:`DatasetReads` is its one door
to the portal: it builds the exact URLs shown to citizens (no request sent for that),
reads the metadata, the records and the exports when asked, sends each URL once, and
types an export's columns exactly as :func:`~rouen_opendata.load_dataset` types a
snapshot's. Failures raise the data layer's :class:`~rouen_opendata.OpenDataError`
subclasses; :func:`~rouen_opendata.reasons.french_reason` says them in French.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd

from . import breaker, settings
from .client import GEO_TYPES, OFFSET_CEILING, PAGE_SIZE, PortalClient, geo_columns
from .exceptions import PortalUnavailableError
from .frames import apply_schema, read_table
from .reasons import french_reason

log = logging.getLogger(__name__)

T = TypeVar("T")

__all__ = [
    "OFFSET_CEILING",
    "PAGE_SIZE",
    "DatasetReads",
    "PortalMetadata",
    "typed_export",
]


@dataclass(frozen=True)
class PortalMetadata:
    """What the portal says of a dataset (``/catalog/datasets/<id>``)."""

    dataset_id: str
    title: str
    fields: tuple[dict[str, Any], ...]
    """``{"name", "label", "type"}`` of each field, in the portal's order."""
    records_count: int
    modified: str | None
    licence: str
    licence_url: str
    publisher: str
    features: tuple[str, ...]


def typed_export(frame: pd.DataFrame, types: Mapping[str, str], dataset: str) -> pd.DataFrame:
    """An export's columns typed as a snapshot's: values converted, geo points as
    ``lat``/``lon`` (``<name>_lat``/``<name>_lon`` for later ones), shapes as GeoJSON."""
    plain = {n: t for n, t in types.items() if t not in GEO_TYPES and n in frame.columns}
    frame = apply_schema(frame, plain, dataset=dataset, strict=False)
    geo = {n: t for n, t in types.items() if t in GEO_TYPES and n in frame.columns}
    return geo_columns(frame, geo, dataset=dataset)


class DatasetReads:
    """One dataset of one portal: its request URLs, and the reads, each URL sent once.

    Parameters
    ----------
    dataset_id
        Portal identifier of the dataset.
    base_url
        Portal root (default: the Métropole's, ``OPENDATA_PORTAL_URL``).
    """

    def __init__(self, dataset_id: str, base_url: str | None = None) -> None:
        self.dataset_id = dataset_id
        # The bounded timeouts and retry budget of every live read (no retry of silence).
        self._client = PortalClient(
            base_url=base_url,
            timeout=settings.timeouts(),
            max_retries=settings.max_retries(),
            max_wait=settings.max_wait(),
            read_retries=0,
        )
        self._answers: dict[str, Any] = {}

    def _send(self, read: Callable[[], T]) -> T:
        """One read, unless the portal already failed in this build (circuit breaker)."""
        reason = breaker.open_reason(self.base_url)
        if reason is not None:
            raise PortalUnavailableError(
                f"{self.base_url} already failed in this build ({reason}): not asked again."
            )
        try:
            return read()
        except PortalUnavailableError as exc:
            if breaker.trips(exc):
                breaker.trip(self.base_url, french_reason(exc))
            raise

    @property
    def base_url(self) -> str:
        return self._client.base_url

    @property
    def page_url(self) -> str:
        """The dataset's page on the portal."""
        return f"{self.base_url}/explore/dataset/{self.dataset_id}/"

    @property
    def request_count(self) -> int:
        """HTTP requests sent so far (retries included)."""
        return self._client.request_count

    def records_url(self, **params: Any) -> str:
        """Exact URL of a records request (``select=``, ``group_by=``, ``limit=``…)."""
        return self._client.records_url(self.dataset_id, **params)

    def export_url(self, fmt: str = "csv", **params: Any) -> str:
        """Exact URL of an export."""
        return self._client.export_url(self.dataset_id, fmt, **params)

    def metadata(self) -> PortalMetadata:
        """The dataset's description by the portal.

        Raises
        ------
        OpenDataError
            The portal cannot be read or does not know the dataset.
        """
        raw = self._send(lambda: self._client.dataset(self.dataset_id))
        metas = raw.get("metas", {}).get("default", {})
        fields = tuple(dict(f) for f in raw.get("fields") or [])
        return PortalMetadata(
            dataset_id=self.dataset_id,
            title=metas.get("title") or self.dataset_id,
            fields=fields,
            records_count=int(metas.get("records_count") or 0),
            modified=metas.get("modified"),
            licence=metas.get("license") or "",
            licence_url=metas.get("license_url") or "",
            publisher=metas.get("publisher") or "",
            features=tuple(raw.get("features") or ()),
        )

    def records(self, *, limit: int | None, offset: int = 0, **params: Any) -> list[dict[str, Any]]:
        """Rows (or groups) of a records request; the same URL is sent once."""
        url = self.records_url(**params, limit=limit, offset=offset)
        if url not in self._answers:
            self._answers[url] = self._send(
                lambda: self._client.records(self.dataset_id, **params, limit=limit, offset=offset)
            )
        rows: list[dict[str, Any]] = self._answers[url]
        return rows

    def export_frame(
        self, types: Mapping[str, str], *, limit: int | None = None, **params: Any
    ) -> pd.DataFrame:
        """A CSV export typed like a snapshot (:func:`typed_export`); sent once per URL.

        ``types`` gives the declared type of each field (``{name: type}``).
        """
        url = self.export_url("csv", **params, **({"limit": limit} if limit else {}))
        if url not in self._answers:
            with tempfile.TemporaryDirectory(prefix="portal-export-") as folder:
                path = self._send(
                    lambda: self._client.export(
                        self.dataset_id,
                        "csv",
                        Path(folder) / "export.csv",
                        **params,
                        limit=limit or -1,
                    )
                )
                frame = read_table(path, "csv")
            self._answers[url] = typed_export(frame, types, self.dataset_id)
            log.info("export of %s: %d rows (%s)", self.dataset_id, len(frame), url)
        export: pd.DataFrame = self._answers[url]
        return export.copy()
