"""The GBFS source: auto-discovery, ttl, stale feeds and fallbacks, on a loopback system."""

from __future__ import annotations

import logging
import re
import shutil
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from gbfs_server import FEEDS, GbfsSystem, serve_gbfs

from rouen_opendata import breaker, gbfs, load_dataset, loader, prefetch
from rouen_opendata.exceptions import SnapshotError

DATA = Path(__file__).resolve().parent.parent / "data"
KEY = "lovelo-gbfs"
LIVE_URL = "https://gbfs.urbansharing.com/lovelolibreservice.fr/gbfs.json"
THREE_DAYS = 3 * 24 * 3600


def _forget() -> None:
    for forget in (loader._live_frame.cache_clear, prefetch.forget, breaker.reset, gbfs.forget):
        forget()


@pytest.fixture
def system(tmp_path, monkeypatch) -> GbfsSystem:
    """A loopback Lovélo, and a data folder whose registry points the dataset at it."""
    snapshot = DATA / "snapshots" / KEY
    with serve_gbfs(snapshot) as system:
        registry = (DATA / "registry.yaml").read_text(encoding="utf-8")
        assert registry.count(LIVE_URL) == 1
        (tmp_path / "registry.yaml").write_text(
            registry.replace(LIVE_URL, f"{system.url}/gbfs.json"), encoding="utf-8"
        )
        shutil.copytree(snapshot, tmp_path / "snapshots" / KEY)
        monkeypatch.setenv("OPENDATA_DATA_DIR", str(tmp_path))
        monkeypatch.delenv("OPENDATA_PREFETCH_DIR", raising=False)
        monkeypatch.setenv("OPENDATA_MAX_RETRIES", "0")
        _forget()
        yield system
        _forget()


def test_live_read_discovers_the_feeds_and_dates_the_data(system):
    status, provenance = load_dataset(KEY, table="station_status", source="live")
    info, info_provenance = load_dataset(KEY, table="station_information", source="live")
    snapshot, _ = load_dataset(KEY, table="station_information", source="snapshot")
    assert provenance.source == "live" and provenance.fallback_reason is None
    assert not provenance.labels and info_provenance.read_at == provenance.read_at
    assert len(status) == len(info) == len(snapshot)
    assert set(info["station_id"]) == set(snapshot["station_id"])
    modified = datetime.fromisoformat(provenance.data_date)
    assert modified == datetime.fromtimestamp(system.last_updated, timezone.utc)
    assert gbfs.updated_ago_fr(provenance.data_date) == "mis à jour il y a 2 min"
    # One read for both tables: the discovery file, then each feed once.
    assert sorted(system.requests) == sorted(["/gbfs.json", *(f"/{f}.json" for f in FEEDS)])


def test_feeds_are_not_asked_again_before_their_ttl_runs_out(system, monkeypatch):
    load_dataset(KEY, table="station_status", source="live")
    load_dataset(KEY, table="station_status", source="live")
    first = len(system.requests)
    assert first == 1 + len(FEEDS)
    later = time.time() + system.ttl - 5
    monkeypatch.setattr(gbfs, "clock", lambda: later)
    load_dataset(KEY, table="station_status", source="live")
    assert len(system.requests) == first
    after_ttl = time.time() + system.ttl + 1
    monkeypatch.setattr(gbfs, "clock", lambda: after_ttl)
    _, provenance = load_dataset(KEY, table="station_status", source="live")
    assert provenance.source == "live"
    assert len(system.requests) == 2 * first


def test_a_stale_feed_is_read_and_says_how_old_it_is(system, caplog):
    system.last_updated = int(time.time()) - THREE_DAYS
    with caplog.at_level(logging.WARNING, logger="rouen_opendata.gbfs"):
        _, provenance = load_dataset(KEY, table="station_status", source="live")
    assert provenance.source == "live" and provenance.fallback_reason is None
    assert prefetch.read(KEY).metas["stale"] is True
    assert gbfs.updated_ago_fr(provenance.data_date) == "mis à jour il y a 3 jours"
    assert any("stale" in record.message for record in caplog.records)


@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        ({"unlisted": {"station_status"}}, "le flux GBFS ne publie pas « station_status »"),
        ({"not_json": {"station_information"}}, "le fichier téléchargé est illisible"),
        ({"not_json": {"gbfs"}}, "le fichier téléchargé est illisible"),
        ({"missing": {"gbfs"}}, "introuvable"),
    ],
    ids=["feed-not-listed", "feed-not-json", "discovery-not-json", "discovery-404"],
)
def test_a_broken_feed_falls_back_to_the_snapshot_with_a_french_reason(system, fault, reason):
    for name, value in fault.items():
        setattr(system, name, value)
    frame, provenance = load_dataset(KEY, table="station_status", source="live")
    snapshot, _ = load_dataset(KEY, table="station_status", source="snapshot")
    assert provenance.source == "snapshot" and reason in provenance.fallback_reason
    assert not re.search(r"Error|http|127\.0\.0\.1", provenance.fallback_reason)
    assert frame.equals(snapshot)


def test_the_stale_flag_and_the_envelope_checks():
    now = 1_740_734_700
    fresh = gbfs.parse_feed("s", "u", b'{"last_updated": 1740734640, "ttl": 15, "data": {}}', now)
    assert fresh.age_s(now) == 60 and not fresh.stale(now)
    assert fresh.stale(now + gbfs.STALE_AFTER_S + 61)
    assert fresh.expires_at == now + 15
    for bad in (b"[]", b'{"data": {}}', b'{"last_updated": "x", "ttl": 1, "data": {}}'):
        with pytest.raises(SnapshotError):
            gbfs.parse_feed("s", "u", bad, now)


def test_updated_ago_in_french():
    now = datetime(2025, 2, 28, 10, 0, tzinfo=timezone.utc)
    ago = {
        timedelta(seconds=20): "mis à jour à l'instant",
        timedelta(minutes=12): "mis à jour il y a 12 min",
        timedelta(hours=5): "mis à jour il y a 5 h",
        timedelta(days=4): "mis à jour il y a 4 jours",
    }
    for delta, text in ago.items():
        assert gbfs.updated_ago_fr((now - delta).isoformat(), now) == text
    assert gbfs.updated_ago_fr(None) == ""
