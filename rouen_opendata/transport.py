"""HTTP transport of the portal client: query strings, retries, rate-limit waits,
error mapping and streamed downloads.

The retries themselves are urllib3's (:class:`urllib3.util.Retry` mounted on a
``requests`` session). :class:`RateLimitRetry` only teaches it how long an
Opendatasoft 429 asks to wait, and to give up when that is longer than ``max_wait``.
"""

from __future__ import annotations

import email.utils
import json
import logging
import os
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timezone
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import quote, urlencode

import requests
from requests.adapters import HTTPAdapter
from urllib3 import BaseHTTPResponse
from urllib3.connectionpool import ConnectionPool
from urllib3.util import Retry

from .exceptions import (
    AuthenticationError,
    DatasetNotFoundError,
    IncompleteResultError,
    PortalError,
    PortalTimeoutError,
    PortalUnavailableError,
    QueryError,
    RateLimitError,
)

log = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
"""Statuses retried with back-off (429 waits as the portal asks, see RateLimitRetry)."""

USER_AGENT = "rouen-reutilisations/0.1 (python-requests)"
CHUNK_SIZE = 1 << 16
_URL_SAFE = "',:()*"  # legal in a query string and keeps the URLs shown to citizens readable

FacetFilter = str | Iterable[str] | Mapping[str, str | Iterable[str]] | None
"""``refine``/``exclude``: ``{"commune": "Rouen"}``, ``["commune:Rouen"]`` or one string."""


def _facet_filters(value: FacetFilter) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, Mapping):
        pairs = []
        for facet, wanted in value.items():
            wanted = [wanted] if isinstance(wanted, str) else list(wanted)
            pairs += [f"{facet}:{one}" for one in wanted]
        return pairs
    return [str(one) for one in value]


def encode_query(params: Mapping[str, Any]) -> str:
    """Query string of API parameters; ``None`` is left out, lists repeat the key."""
    pairs: list[tuple[str, str]] = []
    for key, value in params.items():
        if value is None:
            continue
        if key in ("refine", "exclude"):
            values = _facet_filters(value)
        elif isinstance(value, bool):
            values = ["true" if value else "false"]
        elif isinstance(value, (list, tuple)):
            values = [str(one) for one in value]
        else:
            values = [str(value)]
        pairs += [(key, one) for one in values]
    return urlencode(pairs, quote_via=quote, safe=_URL_SAFE)


def _iso(timestamp: float) -> str:
    moment = datetime.fromtimestamp(round(timestamp), tz=timezone.utc)
    return moment.isoformat().replace("+00:00", "Z")


def _seconds_until_retry_after(value: str, now: float) -> float | None:
    value = value.strip()
    try:
        return float(value)
    except ValueError:
        parsed = email.utils.parsedate_tz(value)
        return None if parsed is None else email.utils.mktime_tz(parsed) - now


def rate_limit_reset(
    headers: Mapping[str, str], body: Mapping[str, Any] | None, now: float | None = None
) -> tuple[float | None, str | None]:
    """Seconds to wait after a 429 and the reset instant, as the portal states them.

    Parameters
    ----------
    headers
        Response headers; ``Retry-After`` (seconds or HTTP date) wins, then
        ``X-RateLimit-Reset`` (Unix time, or seconds when it is too small to be one).
    body
        Decoded JSON body; its ``reset_time`` (ISO 8601) is the last resort.
    now
        Current Unix time (tests pass it; defaults to :func:`time.time`).

    Returns
    -------
    tuple
        ``(wait_seconds, reset_time_iso)``; both ``None`` when the portal says nothing.
    """
    now = time.time() if now is None else now
    candidates: list[float | None] = []
    if headers.get("Retry-After"):
        wait = _seconds_until_retry_after(headers["Retry-After"], now)
        candidates.append(None if wait is None else now + wait)
    if headers.get("X-RateLimit-Reset"):
        try:
            reset = float(headers["X-RateLimit-Reset"])
            # Unix time by the v1 docs; small values can only be a delay in seconds.
            candidates.append(reset if reset > 1e9 else now + reset)
        except ValueError:
            candidates.append(None)
    if body and isinstance(body.get("reset_time"), str):
        try:
            moment = datetime.fromisoformat(body["reset_time"].replace("Z", "+00:00"))
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=timezone.utc)
            candidates.append(moment.timestamp())
        except ValueError:
            candidates.append(None)
    reset_at = next((c for c in candidates if c is not None), None)
    if reset_at is None:
        return None, None
    return max(0.0, reset_at - now), _iso(reset_at)


def json_body(raw: bytes | None) -> dict[str, Any]:
    """The JSON object of an error body, or ``{}`` when it is not one."""
    try:
        body = json.loads(raw or b"")
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


class RateLimitRetry(Retry):
    """urllib3 ``Retry`` that sleeps as long as a 429 asks, up to ``max_wait`` seconds.

    Beyond ``max_wait`` it raises :class:`RateLimitError` at once instead of waiting.
    ``on_retry`` is called before each retry (the client counts requests with it).
    """

    def __init__(
        self,
        *args: Any,
        max_wait: float = 60.0,
        on_retry: Callable[[], None] | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("retry_after_max", max_wait)
        super().__init__(*args, **kwargs)
        self.max_wait = max_wait
        self.on_retry = on_retry
        self.rate_limit_wait: float | None = None

    def new(self, **kw: Any) -> RateLimitRetry:  # keep our settings across increments
        kw.setdefault("max_wait", self.max_wait)
        kw.setdefault("on_retry", self.on_retry)
        return super().new(**kw)

    def increment(
        self,
        method: str | None = None,
        url: str | None = None,
        response: BaseHTTPResponse | None = None,
        error: Exception | None = None,
        _pool: ConnectionPool | None = None,
        _stacktrace: TracebackType | None = None,
    ) -> RateLimitRetry:
        retry = super().increment(method, url, response, error, _pool, _stacktrace)
        if response is not None and response.status == 429:
            # Reading the body here keeps it for the sleep; urllib3 drains it afterwards.
            wait, reset_time = rate_limit_reset(response.headers, json_body(response.data))
            if wait is not None and wait > self.max_wait:
                response.drain_conn()
                response.release_conn()
                where = f"{_pool.scheme}://{_pool.host}:{_pool.port}{url}" if _pool else url
                raise RateLimitError(
                    f"The portal's request quota is exhausted until {reset_time} "
                    f"({wait:.0f} s, more than max_wait={self.max_wait:g} s). Try again after "
                    "that time, or use an API key with a larger quota (OPENDATA_API_KEY).",
                    reset_time=reset_time,
                    status=429,
                    url=where,
                )
            log.warning(
                "Rate limited (429) on %s; waiting %s s before retrying",
                url,
                "back-off" if wait is None else f"{wait:.1f}",
            )
            retry.rate_limit_wait = wait
        if retry.on_retry is not None:
            retry.on_retry()
        return retry

    def get_retry_after(self, response: BaseHTTPResponse) -> float | None:
        if self.rate_limit_wait is not None:
            return self.rate_limit_wait
        try:
            return super().get_retry_after(response)
        except Exception:  # an unreadable Retry-After header: fall back to back-off
            return None


def build_session(
    *,
    max_retries: int,
    backoff_factor: float,
    max_wait: float,
    on_retry: Callable[[], None] | None = None,
    read_retries: int | None = None,
) -> requests.Session:
    """A ``requests`` session retrying GETs on 5xx, 429, timeouts and connection errors.

    Parameters
    ----------
    max_retries
        Retries after the first attempt (each kind of error shares this budget).
    backoff_factor
        Exponential back-off: ``backoff_factor * 2 ** (n - 1)`` seconds before retry n.
    max_wait
        Longest single wait, for back-off and for a 429's reset alike.
    on_retry
        Called before each retry.
    read_retries
        Retries after a read timeout (default ``max_retries``); the data layer's live
        reads pass 0 so that a portal that accepts connections and stays silent costs
        one timeout, not one per retry.
    """
    retry = RateLimitRetry(
        total=max_retries,
        connect=max_retries,
        read=max_retries if read_retries is None else read_retries,
        status=max_retries,
        backoff_factor=backoff_factor,
        backoff_max=max_wait,
        status_forcelist=RETRY_STATUSES,
        allowed_methods=frozenset({"GET", "HEAD"}),
        raise_on_status=False,
        respect_retry_after_header=True,
        max_wait=max_wait,
        on_retry=on_retry,
    )
    session = requests.Session()
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers["User-Agent"] = USER_AGENT
    return session


def raise_for_response(response: requests.Response, url: str) -> None:
    """Raise the typed error matching an HTTP error answer of the portal.

    Raises
    ------
    QueryError, AuthenticationError, DatasetNotFoundError, RateLimitError,
    PortalUnavailableError, PortalError
        400, 401/403, 404, 429, 5xx and any other status >= 400 respectively.
    """
    status = response.status_code
    if status < 400:
        return
    body = json_body(response.content)
    detail = body.get("message") or body.get("error") or response.reason or ""
    code = body.get("error_code") or body.get("errorcode")
    info = f"{detail} ({code})" if code else detail
    if status == 400:
        raise QueryError(
            f"The portal rejected the query: {info}. Fix the parameter or the ODSQL "
            f"expression it names. URL: {url}",
            status=status,
            url=url,
        )
    if status in (401, 403):
        raise AuthenticationError(
            f"The portal refused access ({status}: {info}). Set OPENDATA_API_KEY (or pass "
            f"api_key=) to a key allowed to read it. URL: {url}",
            status=status,
            url=url,
        )
    if status == 404:
        raise DatasetNotFoundError(
            f"Not found on the portal ({info}): check the dataset id in the catalogue. URL: {url}",
            status=status,
            url=url,
        )
    if status == 429:
        _, reset_time = rate_limit_reset(response.headers, body)
        raise RateLimitError(
            f"The portal's request quota is still exhausted after the retries ({info}); "
            f"it resets at {reset_time or 'an unstated time'}. Try again later or use an "
            f"API key with a larger quota.",
            reset_time=reset_time,
            status=status,
            url=url,
        )
    if status >= 500:
        raise PortalUnavailableError(
            f"The portal answered {status} ({info}) even after the retries: try again later, "
            f"or work from the snapshot. URL: {url}",
            status=status,
            url=url,
        )
    raise PortalError(f"Unexpected answer {status} ({info}). URL: {url}", status=status, url=url)


def is_timeout(exc: BaseException) -> bool:
    """Whether a ``requests`` error is a timeout (urllib3 wraps read timeouts after retries)."""
    return isinstance(exc, requests.Timeout) or "timed out" in str(exc).lower()


def _partial_bytes(exc: BaseException) -> int:
    """Bytes an ``IncompleteRead`` inside a ``requests`` error had read but not yielded."""
    pending: list[object] = [exc]
    while pending:
        item = pending.pop()
        partial = getattr(item, "partial", None)
        if isinstance(partial, int):
            return partial
        if isinstance(partial, bytes):
            return len(partial)
        pending += [a for a in getattr(item, "args", ()) if isinstance(a, BaseException)]
    return 0


def _read_timeout(response: requests.Response) -> float | None:
    timeout = getattr(response, "rouen_timeout", None)
    return timeout[1] if isinstance(timeout, tuple) else timeout


def stream_to_file(response: requests.Response, dest: Path, url: str) -> int:
    """Write a streamed response to ``dest`` via a temp file renamed once complete.

    Returns
    -------
    int
        Bytes written. On any failure the temp file is removed and ``dest`` untouched.

    Raises
    ------
    IncompleteResultError
        The body was shorter than its ``Content-Length``.
    PortalUnavailableError
        The connection failed or timed out while reading.
    """
    dest.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".part")
    temp, written = Path(temp_name), 0
    announced = response.headers.get("Content-Length", "")
    expected = int(announced) if announced.isdigit() else None
    try:
        with response, os.fdopen(handle, "wb") as out:
            for chunk in response.iter_content(CHUNK_SIZE):
                out.write(chunk)
                written += len(chunk)
        temp.chmod(0o644)
        os.replace(temp, dest)
    except requests.exceptions.ChunkedEncodingError as exc:
        temp.unlink(missing_ok=True)
        raise IncompleteResultError(
            f"The download stopped after {written:,} bytes, short of what the server "
            f"announced; nothing was written to {dest}. Retry. URL: {url}",
            url=url,
            received=written + _partial_bytes(exc),
            expected=expected,
        ) from exc
    except requests.RequestException as exc:
        temp.unlink(missing_ok=True)
        if is_timeout(exc):
            raise PortalTimeoutError(
                f"The server stopped sending after {written:,} bytes and did not resume "
                f"within the read timeout; nothing was written to {dest}. URL: {url}",
                url=url,
                timeout=_read_timeout(response),
            ) from exc
        raise PortalUnavailableError(
            f"The connection failed after {written:,} bytes ({type(exc).__name__}); "
            f"nothing was written to {dest}. Retry later. URL: {url}",
            url=url,
        ) from exc
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return written
