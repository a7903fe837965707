"""GBFS feeds (General Bikeshare Feed Specification), read live with their ``ttl``.

A GBFS system publishes an auto-discovery file, ``gbfs.json``, naming its feeds
(``station_information``, ``station_status``…) per language; every file carries
``last_updated`` (POSIX seconds) and ``ttl`` (seconds during which it will not change).
:class:`GbfsReader` finds the feeds from ``gbfs.json`` and never asks for a file again
before its ``ttl`` has run out (one cache per process, keyed by URL).

A registry dataset of source ``gbfs`` names the auto-discovery URL; each of its tables is
one feed, named by its file (``station_status.json`` → ``station_status``). Live reads go
through :mod:`.prefetch` like the portal's (same timeouts, retries, circuit breaker and
French fallback reasons); :func:`download_feeds` is the step that fetches the files, and
the read's ``modified`` date is the oldest feed's ``last_updated``, so a page can say
« mis à jour il y a N min » (:func:`updated_ago_fr`).
"""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .exceptions import GbfsFeedError, SnapshotError
from .registry import DatasetSpec

log = logging.getLogger(__name__)

LANGUAGE = "fr"
"""Language of the feeds taken from ``gbfs.json`` (the first one when absent)."""
STALE_AFTER_S = 3600
"""A feed whose ``last_updated`` is older than this (and than its ttl) is called stale."""
DISCOVERY = "gbfs"

clock = time.time
"""Wall clock of the ttl cache, in seconds (tests replace it)."""


@dataclass(frozen=True)
class FeedFile:
    """One GBFS file as fetched: its bytes and the times it carries."""

    name: str
    url: str
    content: bytes
    payload: dict[str, Any]
    last_updated: int
    ttl: int
    fetched_at: float

    @property
    def expires_at(self) -> float:
        """When the publisher allows asking for the file again."""
        return self.fetched_at + self.ttl

    def age_s(self, now: float | None = None) -> float:
        """Seconds since the publisher last updated the file."""
        return (clock() if now is None else now) - self.last_updated

    def stale(self, now: float | None = None) -> bool:
        return self.age_s(now) > max(STALE_AFTER_S, self.ttl)


_cache: dict[str, FeedFile] = {}


def forget() -> None:
    """Drop the cached files (tests, or to ask the feed again at once)."""
    _cache.clear()


def parse_feed(name: str, url: str, content: bytes, fetched_at: float) -> FeedFile:
    """Check a GBFS file's envelope (``last_updated``, ``ttl``, ``data``)."""
    try:
        payload = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise SnapshotError(f"GBFS file {url} is not JSON: {exc}") from None
    if not isinstance(payload, dict) or not isinstance(payload.get("data"), dict):
        raise SnapshotError(f"GBFS file {url} has no 'data' object.")
    try:
        last_updated, ttl = int(payload["last_updated"]), int(payload["ttl"])
    except (KeyError, TypeError, ValueError):
        raise SnapshotError(f"GBFS file {url} lacks a numeric last_updated or ttl.") from None
    return FeedFile(name, url, content, payload, last_updated, ttl, fetched_at)


class GbfsReader:
    """The feeds of one GBFS system, from its auto-discovery URL.

    Parameters
    ----------
    discovery_url
        URL of ``gbfs.json``.
    client
        Anything with ``download(url, dest) -> Path`` (a :class:`~.client.PortalClient`
        built by :func:`.prefetch.live_client`: bounded timeouts and retries).
    language
        Feeds of this language in ``gbfs.json``; the first language when it has none.
    """

    def __init__(self, discovery_url: str, client: Any, *, language: str = LANGUAGE) -> None:
        self.discovery_url = discovery_url
        self.client = client
        self.language = language

    def _fetch(self, name: str, url: str) -> FeedFile:
        cached = _cache.get(url)
        if cached is not None and clock() < cached.expires_at:
            log.debug("%s: cached until its ttl runs out", url)
            return cached
        with tempfile.TemporaryDirectory(prefix="gbfs-") as tmp:
            content = self.client.download(url, Path(tmp) / f"{name}.json").read_bytes()
        feed = parse_feed(name, url, content, clock())
        if feed.stale():
            log.warning("%s: last updated %.0f s ago (stale feed)", url, feed.age_s())
        _cache[url] = feed
        return feed

    def discovery(self) -> FeedFile:
        return self._fetch(DISCOVERY, self.discovery_url)

    def feed_urls(self) -> dict[str, str]:
        """Feed name → URL, as ``gbfs.json`` lists them."""
        data = self.discovery().payload["data"]
        languages = [self.language] if self.language in data else list(data)[:1]
        feeds = data[languages[0]].get("feeds", []) if languages else []
        try:
            return {feed["name"]: feed["url"] for feed in feeds}
        except (KeyError, TypeError):
            raise SnapshotError(f"{self.discovery_url}: a feed lacks its name or url.") from None

    def read(self, name: str) -> FeedFile:
        """One feed file, fetched unless its ttl has not run out."""
        urls = self.feed_urls()
        if name not in urls:
            raise GbfsFeedError(
                f"{self.discovery_url} lists no '{name}' feed (it lists {sorted(urls)}).",
                feed=name,
            )
        return self._fetch(name, urls[name])


def feed_name(file: str) -> str:
    """The feed a table file holds: ``station_status.json`` → ``station_status``."""
    return Path(file).stem


def iso_utc(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, timezone.utc).isoformat()


def download_feeds(spec: DatasetSpec, client: Any, target: Path) -> tuple[str, dict[str, Any]]:
    """Write each table's feed file (and ``gbfs.json``) into ``target``.

    Returns the auto-discovery URL and the read's metas: ``modified`` (the oldest feed's
    ``last_updated``, ISO 8601 UTC), ``last_updated`` of each feed, the shortest ``ttl``
    and ``stale`` (True when a feed was last updated long ago).
    """
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    reader = GbfsReader(spec.url or "", client)
    feeds = [reader.read(feed_name(table.file)) for table in spec.tables.values()]
    for table, feed in zip(spec.tables.values(), feeds, strict=True):
        (target / table.file).write_bytes(feed.content)
    (target / "gbfs.json").write_bytes(reader.discovery().content)
    oldest = min(feed.last_updated for feed in feeds)
    metas = {
        "modified": iso_utc(oldest),
        "last_updated": {feed.name: feed.last_updated for feed in feeds},
        "ttl": min(feed.ttl for feed in feeds),
        "stale": any(feed.stale() for feed in feeds),
    }
    return spec.url or "", metas


def expired(metas: dict[str, Any], read_at: str | None, now: float | None = None) -> bool:
    """Whether a live read made at ``read_at`` has outlived the ttl its feeds announced."""
    if not read_at or "ttl" not in metas:
        return False
    started = datetime.fromisoformat(read_at).timestamp()
    return (clock() if now is None else now) >= started + int(metas["ttl"])


def updated_ago_fr(modified: str | None, now: datetime | None = None) -> str:
    """« mis à jour il y a 12 min » from an ISO 8601 date; empty text when unknown."""
    if not modified:
        return ""
    then = datetime.fromisoformat(modified.replace("Z", "+00:00"))
    if then.tzinfo is None:
        then = then.replace(tzinfo=timezone.utc)
    seconds = ((now or datetime.now(timezone.utc)) - then).total_seconds()
    if seconds < 60:
        return "mis à jour à l'instant"
    minutes = int(seconds // 60)
    if minutes < 60:
        return f"mis à jour il y a {minutes} min"
    hours = minutes // 60
    if hours < 48:
        return f"mis à jour il y a {hours} h"
    return f"mis à jour il y a {hours // 24} jours"
