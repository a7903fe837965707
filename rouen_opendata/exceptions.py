"""Errors raised by the data layer.

Callers catch :class:`OpenDataError`; each subclass says what went wrong and the
message says what to do next.
"""

from __future__ import annotations

from typing import Any


class OpenDataError(Exception):
    """Base class of every error raised by the data layer."""


class RegistryError(OpenDataError):
    """The dataset registry file is malformed or names an unknown dataset."""


class UnknownDatasetKeyError(RegistryError, KeyError):
    """A dataset key that the registry does not declare."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class SchemaMismatchError(OpenDataError):
    """Loaded data lacks a declared field or has a field of the wrong type."""


class GbfsFeedError(SchemaMismatchError):
    """A GBFS auto-discovery file does not list a feed the registry declares."""

    def __init__(self, message: str, *, feed: str):
        super().__init__(message)
        self.feed = feed


class SnapshotError(OpenDataError):
    """A snapshot file is missing, unreadable or does not match its checksum."""


class PortalError(OpenDataError):
    """The portal answered with an error or could not be reached."""

    def __init__(self, message: str, *, status: int | None = None, url: str | None = None):
        super().__init__(message)
        self.status = status
        self.url = url


class QueryError(PortalError):
    """HTTP 400: the portal rejected the query (ODSQL or parameter error)."""


class AuthenticationError(PortalError):
    """HTTP 401/403: the dataset or catalog needs an API key."""


class DatasetNotFoundError(PortalError):
    """HTTP 404: the portal has no dataset with this id."""


class RateLimitError(PortalError):
    """HTTP 429: the quota is exhausted and the reset is too far to wait for."""

    def __init__(self, message: str, *, reset_time: str | None = None, **kwargs: Any):
        super().__init__(message, **kwargs)
        self.reset_time = reset_time


class PortalUnavailableError(PortalError):
    """5xx answers or timeouts persisted after the retries."""


class PortalTimeoutError(PortalUnavailableError):
    """The portal accepted the connection but did not answer within the read timeout."""

    def __init__(self, message: str, *, timeout: float | None = None, **kwargs: Any):
        super().__init__(message, **kwargs)
        self.timeout = timeout


class IncompleteResultError(PortalError):
    """The portal returned fewer rows (or bytes) than it announced."""

    def __init__(
        self,
        message: str,
        *,
        received: int | None = None,
        expected: int | None = None,
        **kwargs: Any,
    ):
        super().__init__(message, **kwargs)
        self.received = received
        self.expected = expected


class LiveDataMismatchError(OpenDataError):
    """A live export does not match the portal's own metadata (row count)."""

    def __init__(self, message: str, *, rows: int, expected: int):
        super().__init__(message)
        self.rows = rows
        self.expected = expected


class ResultTooLargeError(PortalError):
    """Paged ``records`` cannot reach past 10,000 rows: use ``export`` instead."""
