"""Client of the Opendatasoft Explore API v2.1 (the Métropole's portal by default).

``records`` pages 100 rows at a time and refuses what the API cannot give whole
(past 10,000 rows: use ``export``); ``export`` streams one file to disk in a single
request. Every URL it sends can be built beforehand with ``records_url`` /
``export_url`` so the Explorateur can show it to citizens.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pandas as pd
import requests

from . import settings
from .exceptions import (
    IncompleteResultError,
    PortalTimeoutError,
    PortalUnavailableError,
    ResultTooLargeError,
)
from .frames import apply_schema
from .transport import (
    FacetFilter,
    build_session,
    encode_query,
    is_timeout,
    raise_for_response,
    stream_to_file,
)

log = logging.getLogger(__name__)

API_PATH = "/api/explore/v2.1"
PAGE_SIZE = 100
"""Largest ``limit`` of a records request without ``group_by``."""
OFFSET_CEILING = 10_000
"""Largest ``offset + limit`` of a records request without ``group_by``."""
GROUP_BY_CEILING = 20_000
"""Largest ``offset + limit`` of a records request with ``group_by``."""
EXPORT_FORMATS = ("csv", "json", "jsonl", "geojson", "parquet")
GEO_TYPES = ("geo_point_2d", "geo_shape")


def geo_columns(
    frame: pd.DataFrame,
    fields: Iterable[Mapping[str, Any]] | Mapping[str, str],
    *,
    dataset: str = "records",
) -> pd.DataFrame:
    """Convert the geo columns of a frame, found by their declared type.

    ``fields`` is the dataset's ``[{"name", "type"}, ...]`` or ``{name: type}``. Each
    ``geo_point_2d`` column (``{"lon", "lat"}`` or ``"lat, lon"``) becomes float columns
    ``lat``/``lon`` (``<name>_lat``/``<name>_lon`` for later ones); each ``geo_shape`` a
    GeoJSON geometry dict. The conversion is :func:`frames.apply_schema`'s, on a copy.
    """
    types = fields if isinstance(fields, Mapping) else {f["name"]: f["type"] for f in fields}
    geo = {name: kind for name, kind in types.items() if kind in GEO_TYPES}
    return apply_schema(frame, geo, dataset=dataset, strict=False)


class PortalClient:
    """Opendatasoft Explore API v2.1 client with retries, paging and streamed exports.

    Parameters
    ----------
    base_url
        Portal root, e.g. ``https://data.metropole-rouen-normandie.fr``
        (default :func:`settings.portal_url`).
    api_key
        Sent as ``Authorization: Apikey <key>`` to the portal only (default
        :func:`settings.api_key`; ``""`` sends none).
    timeout
        Seconds to wait for the portal to answer (per read, not per download), or a
        ``(connect, read)`` pair; default :func:`settings.timeouts`.
    max_retries
        Retries of a GET after 5xx, 429, timeouts or connection errors.
    max_wait
        Longest wait before one retry; a 429 asking for more raises ``RateLimitError``.
    backoff_factor
        Exponential back-off factor between retries (tests use tiny ones).
    read_retries
        Retries after a read timeout (default ``max_retries``; live reads use 0).
    """

    def __init__(
        self,
        base_url: str | None = None,
        api_key: str | None = None,
        timeout: float | tuple[float, float] | None = None,
        max_retries: int = 4,
        max_wait: float = 60,
        *,
        backoff_factor: float = 0.5,
        read_retries: int | None = None,
    ) -> None:
        base = (base_url or settings.portal_url()).rstrip("/")
        self.base_url = base.removesuffix(API_PATH)
        self.api_url = self.base_url + API_PATH
        self.api_key = settings.api_key() if api_key is None else api_key
        self.timeout = settings.timeouts() if timeout is None else timeout
        self.request_count = 0
        """HTTP requests sent, retries included."""
        self.last_url: str | None = None
        self.session = build_session(
            max_retries=max_retries,
            backoff_factor=backoff_factor,
            max_wait=max_wait,
            on_retry=self._count_retry,
            read_retries=read_retries,
        )
        self._fields: dict[str, list[dict[str, Any]]] = {}

    @property
    def read_timeout(self) -> float:
        """Seconds the portal may stay silent before a request gives up."""
        return self.timeout[1] if isinstance(self.timeout, tuple) else self.timeout

    def _count_retry(self) -> None:
        self.request_count += 1

    def close(self) -> None:
        """Close the pooled connections."""
        self.session.close()

    def __enter__(self) -> PortalClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _url(self, path: str, params: Mapping[str, Any]) -> str:
        query = encode_query(params)
        return f"{self.api_url}/{path}" + (f"?{query}" if query else "")

    @staticmethod
    def _dataset_path(dataset_id: str) -> str:
        return f"catalog/datasets/{quote(dataset_id, safe='@')}"

    def records_url(self, dataset_id: str, **params: Any) -> str:
        """Exact URL of a records request (``select=``, ``where=``, ``refine=``…)."""
        return self._url(f"{self._dataset_path(dataset_id)}/records", params)

    def export_url(self, dataset_id: str, fmt: str = "csv", **params: Any) -> str:
        """Exact URL of an export in ``fmt`` (csv, json, jsonl, geojson, parquet)."""
        if fmt not in EXPORT_FORMATS:
            raise ValueError(f"Unknown export format {fmt!r}: use one of {EXPORT_FORMATS}.")
        return self._url(f"{self._dataset_path(dataset_id)}/exports/{fmt}", params)

    def _get(self, url: str, *, stream: bool = False) -> requests.Response:
        self.last_url = url
        self.request_count += 1
        portal = url.startswith(self.api_url + "/")
        headers = {"Authorization": f"Apikey {self.api_key}"} if portal and self.api_key else {}
        log.debug("GET %s", url)
        try:
            response = self.session.get(url, headers=headers, timeout=self.timeout, stream=stream)
        except requests.RequestException as exc:
            timed_out = is_timeout(exc)
            kind = "did not answer in time" if timed_out else "could not be reached"
            message = (
                f"The server {kind} even after the retries ({type(exc).__name__}): try again "
                f"later, raise timeout= (now {self.timeout} s), or work from the snapshot. "
                f"URL: {url}"
            )
            if timed_out:
                raise PortalTimeoutError(message, url=url, timeout=self.read_timeout) from exc
            raise PortalUnavailableError(message, url=url) from exc
        response.rouen_timeout = self.timeout  # type: ignore[attr-defined]
        if response.status_code >= 400:
            with response:
                raise_for_response(response, url)
        return response

    def _get_json(self, url: str) -> Any:
        with self._get(url) as response:
            return response.json()

    def _paged(
        self, path: str, query: Mapping[str, Any], limit: int | None, offset: int
    ) -> list[dict[str, Any]]:
        """Rows of ``path`` 100 at a time; never fewer than the portal says exist."""
        end = None if limit is None else offset + limit
        if end is not None and end > OFFSET_CEILING:
            raise ResultTooLargeError(
                f"offset + limit = {end} is beyond the API's "
                f"{OFFSET_CEILING:,} paged rows: use export() instead.",
                url=self._url(path, query),
            )
        rows: list[dict[str, Any]] = []
        total: int | None = None
        position = offset
        while end is None or position < end:
            size = PAGE_SIZE if end is None else min(PAGE_SIZE, end - position)
            payload = self._get_json(self._url(path, {**query, "limit": size, "offset": position}))
            count, batch = payload.get("total_count"), payload.get("results", [])[:size]
            if total is None:
                total = count
                if end is None and total is not None and total > OFFSET_CEILING:
                    raise ResultTooLargeError(
                        f"The query matches {total:,} rows; paged records stop at "
                        f"{OFFSET_CEILING:,}. Use export() to fetch them all in one request, "
                        f"or narrow the query (where=, refine=).",
                        url=self.last_url,
                    )
            elif count != total:
                raise IncompleteResultError(
                    f"The dataset changed while paging (total_count {total} then {count}): "
                    f"retry, or use export() for a consistent copy.",
                    url=self.last_url,
                )
            rows += batch
            position += len(batch)
            if len(batch) < size or (total is not None and position >= total):
                break
        expected = None if total is None else max(0, min(total, end or total) - offset)
        if expected is not None and len(rows) < expected:
            raise IncompleteResultError(
                f"The portal announced {total} rows but returned {len(rows)} of the "
                f"{expected} expected: retry, or use export().",
                url=self.last_url,
            )
        return rows

    def catalog(self, where: str | None = None, limit: int | None = 100) -> list[dict[str, Any]]:
        """Datasets of the portal (``limit=None``: all), paged 100 at a time."""
        return self._paged("catalog/datasets", {"where": where}, limit, 0)

    def dataset(self, dataset_id: str) -> dict[str, Any]:
        """Metadata of one dataset: ``fields``, ``metas.default``, ``features``…"""
        metadata: dict[str, Any] = self._get_json(self._url(self._dataset_path(dataset_id), {}))
        self._fields[dataset_id] = metadata.get("fields", [])
        return metadata

    def records(
        self,
        dataset_id: str,
        select: str | None = None,
        where: str | None = None,
        group_by: str | None = None,
        order_by: str | None = None,
        refine: FacetFilter = None,
        exclude: FacetFilter = None,
        limit: int | None = None,
        offset: int = 0,
        lang: str | None = None,
        timezone: str | None = None,
    ) -> list[dict[str, Any]]:
        """Rows of a dataset, all of them or exactly ``limit``.

        Parameters
        ----------
        dataset_id
            Portal identifier of the dataset.
        select, where, group_by, order_by, lang, timezone
            ODSQL clauses and options, passed as they are.
        refine, exclude
            Facet filters: ``{"commune": "Rouen"}`` or ``["commune:Rouen"]``.
        limit
            Rows wanted; ``None`` means every matching row.
        offset
            Rows to skip.

        Returns
        -------
        list of dict
            Flat records, paged 100 per request (one request with ``group_by``).

        Raises
        ------
        ResultTooLargeError
            More than the API can page (10,000 rows, 20,000 groups): use :meth:`export`.
        IncompleteResultError
            The portal returned fewer rows than its own ``total_count``.
        """
        query = {
            "select": select,
            "where": where,
            "group_by": group_by,
            "order_by": order_by,
            "refine": refine,
            "exclude": exclude,
            "lang": lang,
            "timezone": timezone,
        }
        path = f"{self._dataset_path(dataset_id)}/records"
        if not group_by:
            return self._paged(path, query, limit, offset)
        size = GROUP_BY_CEILING - offset if limit is None else limit
        url = self._url(path, {**query, "limit": size, "offset": offset})
        if offset + size > GROUP_BY_CEILING or size < 0:
            raise ResultTooLargeError(
                f"offset + limit = {offset + size} is beyond the API's {GROUP_BY_CEILING:,} "
                "groups: use export() with the same group_by.",
                url=url,
            )
        results: list[dict[str, Any]] = self._get_json(url).get("results", [])
        if limit is None and len(results) >= size:
            raise ResultTooLargeError(
                f"The query returned the maximum {GROUP_BY_CEILING:,} groups and may have "
                "more: use export() with the same group_by.",
                url=url,
            )
        return results

    def records_frame(self, dataset_id: str, **query: Any) -> pd.DataFrame:
        """:meth:`records` as a DataFrame, geo columns converted by :func:`geo_columns`."""
        frame = pd.DataFrame.from_records(self.records(dataset_id, **query))
        if dataset_id not in self._fields:
            self.dataset(dataset_id)
        return geo_columns(frame, self._fields[dataset_id], dataset=dataset_id)

    def facets(
        self,
        dataset_id: str,
        facet: str | Iterable[str] | None = None,
        where: str | None = None,
        refine: FacetFilter = None,
        exclude: FacetFilter = None,
    ) -> dict[str, list[dict[str, Any]]]:
        """Facet values of a dataset: ``{facet: [{"name", "value", "count", "state"}, ...]}``."""
        facet = [facet] if isinstance(facet, str) else facet
        url = self._url(
            f"{self._dataset_path(dataset_id)}/facets",
            {
                "facet": None if facet is None else list(facet),
                "where": where,
                "refine": refine,
                "exclude": exclude,
            },
        )
        payload = self._get_json(url)
        return {entry["name"]: entry.get("facets", []) for entry in payload.get("facets", [])}

    def export(
        self,
        dataset_id: str,
        fmt: str = "csv",
        dest: str | Path | None = None,
        *,
        select: str | None = None,
        where: str | None = None,
        group_by: str | None = None,
        order_by: str | None = None,
        refine: FacetFilter = None,
        exclude: FacetFilter = None,
        limit: int = -1,
        lang: str | None = None,
        timezone: str | None = None,
        options: Mapping[str, Any] | None = None,
    ) -> Path:
        """Download a whole dataset (or query) in one request, streamed to disk.

        Parameters
        ----------
        fmt
            ``csv`` (``;``-separated, UTF-8 BOM), ``json``, ``jsonl``, ``geojson``, ``parquet``.
        dest
            File, or folder for ``<dataset_id>.<fmt>`` (default: the current folder). It
            appears only once complete (temp file + rename).
        select, where, group_by, order_by, refine, exclude, lang, timezone, limit
            As for :meth:`records`, but ``limit=-1`` (all) has no 10,000-row ceiling.
        options
            Format options of the API, e.g. ``{"delimiter": ",", "with_bom": False}``.

        Returns
        -------
        pathlib.Path
            The written file.
        """
        url = self.export_url(
            dataset_id,
            fmt,
            select=select,
            where=where,
            group_by=group_by,
            order_by=order_by,
            refine=refine,
            exclude=exclude,
            limit=limit,
            lang=lang,
            timezone=timezone,
            **dict(options or {}),
        )
        dest = Path.cwd() if dest is None else Path(dest)
        return self._stream_to(url, dest / f"{dataset_id}.{fmt}" if dest.is_dir() else dest)

    def download(self, url: str, dest: str | Path) -> Path:
        """Stream any file (e.g. a GTFS zip) to ``dest`` atomically; no API key is sent."""
        return self._stream_to(url, Path(dest))

    def _stream_to(self, url: str, dest: Path) -> Path:
        written = stream_to_file(self._get(url, stream=True), dest, url)
        log.info("Saved %s (%d bytes) from %s", dest, written, url)
        return dest
