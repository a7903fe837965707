"""A loopback Opendatasoft Explore API v2.1 portal, for the tests and the benchmark.

A real HTTP server (``ThreadingHTTPServer`` on 127.0.0.1, port 0) serving in-memory
datasets (:mod:`portal_data`): catalog, dataset metadata, records, exports (csv, json,
jsonl, geojson, parquet) and facets, with the API's 100 / 10,000 / 20,000 limits and its
400 bodies. Faults are switched on through :attr:`PortalServer.faults` (:class:`Faults`).
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from portal_data import (
    COUNTERS,
    ApiError,
    FakeDataset,
    encode_export,
    facet_text,
    invalid_parameter,
    make_dataset,
    malformed,
    run_query,
    where_tests,
)

__all__ = [
    "COUNTERS",
    "FakeDataset",
    "Faults",
    "Limits",
    "PortalServer",
    "make_dataset",
    "serve_portal",
]

API = "/api/explore/v2.1"
JSON_TYPE = "application/json; charset=utf-8"
EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": JSON_TYPE,
    "jsonl": "application/jsonlines; charset=utf-8",
    "geojson": "application/geo+json; charset=utf-8",
    "parquet": "application/vnd.apache.parquet",
}


@dataclass
class Limits:
    """The API's paging limits (the benchmark raises ``offset_ceiling``, and says so)."""

    page: int = 100
    offset_ceiling: int = 10_000
    group_by: int = 20_000


@dataclass
class Faults:
    """Fault injection; counters are consumed one request at a time."""

    server_errors: int = 0  # answer the next N requests with 500
    rate_limited: int = 0  # answer the next N requests with 429
    retry_after: str | None = None  # Retry-After header of those 429s
    ratelimit_reset: float | None = None  # X-RateLimit-Reset (Unix time) of those 429s
    reset_time: str | None = None  # reset_time (ISO 8601) in their JSON body
    slow: int = 0  # delay the next N answers by `delay` seconds
    delay: float = 0.0
    api_key: str | None = None  # when set, other keys (or none) get 401
    total_count_bias: int = 0  # added to records total_count: a portal that lies
    truncate: int = 0  # next N bodies stop halfway (Content-Length kept)
    truncate_exports: int = 0  # next N export bodies stop halfway
    silent: int = 0  # next N requests: connection accepted, no answer until the server stops
    unavailable: int = 0  # answer the next N requests with 503
    refuse_odsql: bool = False  # records with group_by or an aggregate select get a 400


@dataclass
class LoggedRequest:
    path: str
    params: dict[str, list[str]]
    headers: dict[str, str]


@dataclass
class Reply:
    status: int
    body: bytes
    content_type: str = JSON_TYPE
    headers: dict[str, str] = field(default_factory=dict)


def _json_reply(status: int, payload: Any, headers: dict[str, str] | None = None) -> Reply:
    return Reply(
        status, json.dumps(payload, ensure_ascii=False).encode("utf-8"), headers=headers or {}
    )


def _int_param(params: dict[str, list[str]], name: str, default: int) -> int:
    raw = params.get(name, [str(default)])[0]
    try:
        return int(raw)
    except ValueError:
        raise invalid_parameter(
            f"Invalid value for {name} API parameter: {raw!r} was found but an integer is expected."
        ) from None


class PortalServer:
    """The loopback portal. Use :func:`serve_portal` (or ``start``/``stop``)."""

    def __init__(
        self,
        datasets: tuple[FakeDataset, ...] | list[FakeDataset] = (),
        *,
        limits: Limits | None = None,
        latency: float = 0.0,
    ) -> None:
        self.datasets: dict[str, FakeDataset] = {}
        for dataset in datasets:
            self.add(dataset)
        self.limits = limits or Limits()
        self.faults = Faults()
        self.latency = latency  # seconds added to every answer (simulated network)
        self.files: dict[str, bytes] = {}  # plain files outside the API, e.g. a GTFS zip
        self.requests: list[LoggedRequest] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd = _HTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.portal = self
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        """Base URL to give to ``PortalClient(base_url=...)``."""
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    @property
    def request_count(self) -> int:
        return len(self.requests)

    def add(self, dataset: FakeDataset) -> FakeDataset:
        self.datasets[dataset.dataset_id] = dataset
        return dataset

    def start(self) -> PortalServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()

    def take(self, knob: str) -> bool:
        """Consume one unit of a fault counter; True if it was armed."""
        with self._lock:
            left = getattr(self.faults, knob)
            if left > 0:
                setattr(self.faults, knob, left - 1)
            return left > 0

    def pause(self, seconds: float) -> None:
        if seconds > 0:
            self._stopping.wait(seconds)

    def answer(self, target: str, headers: dict[str, str]) -> Reply:
        """The reply to one GET, faults included (the handler only does the I/O)."""
        split = urlsplit(target)
        params = parse_qs(split.query, keep_blank_values=True)
        with self._lock:
            self.requests.append(LoggedRequest(split.path, params, headers))
        self.pause(self.latency + (self.faults.delay if self.take("slow") else 0.0))
        if self.take("server_errors"):
            return _json_reply(500, {"message": "Internal Server Error", "error_code": "Error"})
        if self.take("unavailable"):
            return _json_reply(
                503, {"message": "Service Unavailable", "error_code": "ServiceUnavailable"}
            )
        if self.take("rate_limited"):
            return self._rate_limited()
        if self.faults.api_key:
            given = headers.get("Authorization", "") or headers.get("authorization", "")
            if (
                given != f"Apikey {self.faults.api_key}"
                and params.get("apikey", [""])[0] != self.faults.api_key
            ):
                return _json_reply(
                    401,
                    {
                        "message": "This catalog is private: an API key is required.",
                        "error_code": "AuthenticationRequired",
                    },
                )
        try:
            return self._route(split.path, params)
        except ApiError as exc:
            return _json_reply(exc.status, exc.body, exc.headers)

    def _rate_limited(self) -> Reply:
        f = self.faults
        body: dict[str, Any] = {
            "errorcode": 10002,
            "limit_time_unit": "day",
            "call_limit": 10000,
            "error": "Too many requests on the domain. Please contact the domain administrator.",
        }
        headers = {"X-RateLimit-Limit": "10000", "X-RateLimit-Remaining": "0"}
        if f.reset_time:
            body["reset_time"] = f.reset_time
        if f.retry_after is not None:
            headers["Retry-After"] = f.retry_after
        if f.ratelimit_reset is not None:
            headers["X-RateLimit-Reset"] = str(int(f.ratelimit_reset))
        return _json_reply(429, body, headers)

    def _route(self, path: str, params: dict[str, list[str]]) -> Reply:
        if path in self.files:
            return Reply(200, self.files[path], "application/octet-stream")
        parts = [unquote(p) for p in path.removeprefix(API).strip("/").split("/")]
        if not path.startswith(API + "/") or parts[:2] != ["catalog", "datasets"]:
            raise ApiError(404, {"message": f"Unknown endpoint {path}.", "error_code": "NotFound"})
        if len(parts) == 2:
            return self._catalog(params)
        dataset = self.datasets.get(parts[2])
        if dataset is None:
            raise ApiError(
                404,
                {"message": f"Unknown dataset: {parts[2]}", "error_code": "UnknownDatasetError"},
            )
        rest = parts[3:]
        if not rest:
            return _json_reply(200, dataset.metadata())
        if rest == ["records"]:
            if self.faults.refuse_odsql and (
                params.get("group_by") or "(" in params.get("select", [""])[0]
            ):
                raise malformed("Aggregations are not allowed on this domain.", "select, group_by")
            return self._records(dataset, params)
        if rest == ["facets"]:
            return self._facets(dataset, params)
        if len(rest) == 2 and rest[0] == "exports":
            return self._export(dataset, rest[1], params)
        raise ApiError(404, {"message": f"Unknown endpoint {path}.", "error_code": "NotFound"})

    def _page_bounds(self, params: dict[str, list[str]], grouped: bool) -> tuple[int, int]:
        most = self.limits.group_by if grouped else self.limits.page
        limit, offset = _int_param(params, "limit", 10), _int_param(params, "offset", 0)
        if not -1 <= limit <= most:
            raise invalid_parameter(
                f"Invalid value for limit API parameter: {limit} was "
                f"found but -1 <= limit <= {most} is expected."
            )
        limit = most if limit == -1 else limit
        ceiling = self.limits.group_by if grouped else self.limits.offset_ceiling
        if offset < 0 or offset + limit > ceiling:
            # Worded like the limit message; the portal's exact text is not in our reference.
            raise invalid_parameter(
                f"Invalid value for offset API parameter: offset + limit "
                f"= {offset + limit} was found but 0 <= offset + limit "
                f"<= {ceiling} is expected."
            )
        return limit, offset

    def _catalog(self, params: dict[str, list[str]]) -> Reply:
        limit, offset = self._page_bounds(params, grouped=False)
        listing = [d.metadata() for d in self.datasets.values()]
        where = params.get("where", [""])[0]
        if where.strip():
            names = {"dataset_id": "text", "title": "text", "publisher": "text"}
            tests = where_tests(where, names)
            listing = [
                m
                for m in listing
                if all(t({"dataset_id": m["dataset_id"], **m["metas"]["default"]}) for t in tests)
            ]
        return _json_reply(
            200, {"total_count": len(listing), "results": listing[offset : offset + limit]}
        )

    def _records(self, dataset: FakeDataset, params: dict[str, list[str]]) -> Reply:
        limit, offset = self._page_bounds(params, grouped=bool(params.get("group_by")))
        result = run_query(dataset, params)
        page = [result.project(r) for r in result.rows[offset : offset + limit]]
        if params.get("group_by"):
            return _json_reply(200, {"results": page})
        total = len(result.rows) + self.faults.total_count_bias
        return _json_reply(200, {"total_count": total, "results": page})

    def _export(self, dataset: FakeDataset, fmt: str, params: dict[str, list[str]]) -> Reply:
        if fmt not in EXPORT_TYPES:
            raise invalid_parameter(f"Invalid value for format: {fmt!r} is not supported.")
        limit = _int_param(params, "limit", -1)
        result = run_query(dataset, params)
        rows = result.rows if limit < 0 else result.rows[:limit]
        body = encode_export(fmt, [result.project(r) for r in rows], result, params)
        return Reply(
            200,
            body,
            EXPORT_TYPES[fmt],
            {"Content-Disposition": f'attachment; filename="{dataset.dataset_id}.{fmt}"'},
        )

    def _facets(self, dataset: FakeDataset, params: dict[str, list[str]]) -> Reply:
        types = dataset.types
        names = params.get("facet") or [
            f["name"] for f in dataset.fields if "facet" in (f.get("annotations") or {})
        ]
        for name in names:
            if name not in types:
                raise malformed(f"Unknown field: {name}.", "facet")
        refined = {tuple(v.split(":", 1)) for v in params.get("refine", []) if ":" in v}
        rows = run_query(dataset, {k: v for k, v in params.items() if k != "facet"}).rows
        facets = []
        for name in names:
            counts = Counter(
                facet_text(r[name], types[name]).split("/")[0]
                if types[name] in ("date", "datetime")
                else str(r[name])
                for r in rows
                if r.get(name) is not None
            )
            facets.append(
                {
                    "name": name,
                    "facets": [
                        {
                            "name": value,
                            "value": value,
                            "count": count,
                            "state": "refined" if (name, value) in refined else "displayed",
                        }
                        for value, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
                    ],
                }
            )
        return _json_reply(200, {"links": [], "facets": facets})


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    portal: PortalServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that timed out and hung up is expected here, not an error


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as a real portal
    disable_nagle_algorithm = True  # else headers then body wait ~40 ms for a delayed ACK
    server: _HTTPServer

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        portal = self.server.portal
        if portal.take("silent"):
            with portal._lock:
                portal.requests.append(LoggedRequest(urlsplit(self.path).path, {}, {}))
            portal._stopping.wait()
            self.close_connection = True
            return
        reply = portal.answer(self.path, dict(self.headers.items()))
        body = reply.body
        if portal.take("truncate") or (
            "/exports/" in self.path and reply.status == 200 and portal.take("truncate_exports")
        ):
            body, self.close_connection = body[: len(body) // 2], True
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        try:
            self.wfile.write(body)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True


@contextmanager
def serve_portal(
    *datasets: FakeDataset, limits: Limits | None = None, latency: float = 0.0
) -> Iterator[PortalServer]:
    """Run a :class:`PortalServer` for the duration of a ``with`` block."""
    server = PortalServer(datasets, limits=limits, latency=latency).start()
    try:
        yield server
    finally:
        server.stop()
