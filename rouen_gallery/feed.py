"""Atom feeds of dataset updates: ``feed.xml`` for the whole site, one per dataset.

Each build that finds a dataset changed (rows added or removed, new modified date, a live
read or a fallback instead of the previous read) adds one entry per changed dataset to a
history kept in the build cache (``feed-history.json``), so the feeds accumulate build
after build even though the site folder is rebuilt each time. An entry names the reuses
whose pages were updated with it. The XML is written by ``feedgen``.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from feedgen.feed import FeedGenerator

log = logging.getLogger(__name__)

HISTORY_FILE = "feed-history.json"
SITE_FEED = "feed.xml"
DATASET_FEEDS = "flux"
"""Folder of the per-dataset feeds: ``flux/<key>.xml``."""
MAX_ENTRIES = 200
"""Entries kept in the history (the oldest go first)."""
SITE_TITLE = "Réutilisations des données de la Métropole Rouen Normandie"


@dataclass
class DatasetUpdate:
    """One dataset found changed by one build."""

    key: str
    title: str
    change: str
    """French: rows added/removed, modified date (see ``datasets.describe_change``)."""
    built_at: str
    """ISO instant of the build (UTC)."""
    data_date: str | None = None
    reuses: list[dict[str, str]] = field(default_factory=list)
    """``title`` and ``href`` (relative to the site) of each page updated with it."""

    @property
    def entry_id(self) -> str:
        day = self.built_at[:10]
        return f"tag:reutilisations.metropole-rouen-normandie.fr,{day}:{self.key}:{self.built_at}"


def load_history(cache_dir: Path) -> list[DatasetUpdate]:
    try:
        raw = json.loads((cache_dir / HISTORY_FILE).read_text(encoding="utf-8"))
        return [DatasetUpdate(**item) for item in raw]
    except FileNotFoundError:
        return []
    except (ValueError, TypeError):
        log.warning("unreadable feed history in %s: starting a new one", cache_dir)
        return []


def record_updates(cache_dir: Path, updates: list[DatasetUpdate]) -> list[DatasetUpdate]:
    """Append this build's updates to the history and return the whole history."""
    history = (load_history(cache_dir) + updates)[-MAX_ENTRIES:]
    if updates:
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = cache_dir / (HISTORY_FILE + ".tmp")
        tmp.write_text(
            json.dumps([asdict(u) for u in history], ensure_ascii=False, indent=1),
            encoding="utf-8",
        )
        os.replace(tmp, cache_dir / HISTORY_FILE)
    return history


def now_iso() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def _absolute(site_url: str, href: str) -> str:
    return f"{site_url.rstrip('/')}/{href}" if site_url else href


def _feed(title: str, feed_id: str, self_href: str, site_url: str) -> FeedGenerator:
    feed = FeedGenerator()
    feed.id(feed_id)
    feed.title(title)
    feed.language("fr")
    feed.author({"name": "Galerie des réutilisations"})
    feed.link(href=_absolute(site_url, self_href), rel="self")
    feed.link(href=_absolute(site_url, "index.html"), rel="alternate")
    feed.subtitle("Mises à jour des jeux de données et des réutilisations qui les lisent.")
    feed.updated(datetime.now(timezone.utc))
    return feed


def _add(feed: FeedGenerator, update: DatasetUpdate, site_url: str) -> None:
    entry = feed.add_entry(order="append")
    entry.id(update.entry_id)
    entry.title(f"{update.title} : {update.change}")
    entry.updated(datetime.fromisoformat(update.built_at))
    pages = ", ".join(r["title"] for r in update.reuses) or "aucune page mise à jour"
    entry.content(f"{update.change}. Réutilisations mises à jour : {pages}.", type="text")
    for reuse in update.reuses:
        entry.link(href=_absolute(site_url, reuse["href"]), rel="related", title=reuse["title"])


def write_feeds(
    site: Path, history: list[DatasetUpdate], titles: dict[str, str], site_url: str = ""
) -> list[Path]:
    """Write ``feed.xml`` and ``flux/<key>.xml`` for every dataset of ``titles`` (key →
    title), newest entries first; a dataset never updated has a feed without entries."""
    newest = list(reversed(history))
    written = []
    site_feed = _feed(
        f"{SITE_TITLE} : mises à jour", "urn:rouen-reutilisations:flux", SITE_FEED, site_url
    )
    for update in newest:
        _add(site_feed, update, site_url)
    site_feed.atom_file(str(site / SITE_FEED), pretty=True)
    written.append(site / SITE_FEED)
    (site / DATASET_FEEDS).mkdir(exist_ok=True)
    by_key: dict[str, list[DatasetUpdate]] = {key: [] for key in titles}
    for update in newest:
        by_key.setdefault(update.key, []).append(update)
    for key, updates in sorted(by_key.items()):
        href = f"{DATASET_FEEDS}/{key}.xml"
        title = titles.get(key) or updates[0].title
        feed = _feed(
            f"{title} : mises à jour", f"urn:rouen-reutilisations:flux:{key}", href, site_url
        )
        for update in updates:
            _add(feed, update, site_url)
        feed.atom_file(str(site / href), pretty=True)
        written.append(site / href)
    return written
