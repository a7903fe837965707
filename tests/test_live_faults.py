"""Live reads against a loopback portal that misbehaves: every read is bounded in time,
falls back with a French reason chosen by the fault, and a failed portal is not asked
again; a build's shared read is made once and read by every notebook."""

from __future__ import annotations

import re
import time

import pytest
from portal_data import snapshot_dataset

from rouen_opendata import breaker, load_dataset, loader, prefetch

KEY = "arbres-remarquables"
OTHER = "eco-counter-sites"  # same portal, not served: only the breaker can answer at once
READ_TIMEOUT = 0.5
ENGLISH = re.compile(r"\b(error|the|failed|timeout|portal|http|Error)\b|/tmp/|\.py\b")


@pytest.fixture(autouse=True)
def _live(portal, monkeypatch):
    monkeypatch.delenv("OPENDATA_PREFETCH_DIR", raising=False)
    monkeypatch.setenv("OPENDATA_SOURCE", "live")
    monkeypatch.setenv("OPENDATA_PORTAL_URL", portal.url)
    monkeypatch.setenv("OPENDATA_READ_TIMEOUT", str(READ_TIMEOUT))
    monkeypatch.setenv("OPENDATA_CONNECT_TIMEOUT", "0.5")
    monkeypatch.setenv("OPENDATA_MAX_RETRIES", "1")
    monkeypatch.setenv("OPENDATA_MAX_WAIT", "1")
    portal.add(snapshot_dataset(KEY))
    for forget in (loader._live_frame.cache_clear, prefetch.forget, breaker.reset):
        forget()
    yield
    for forget in (loader._live_frame.cache_clear, prefetch.forget, breaker.reset):
        forget()


def _fallback(key: str = KEY) -> str:
    frame, provenance = load_dataset(key)
    assert provenance.source == "snapshot" and len(frame) == provenance.rows > 0
    assert not ENGLISH.search(provenance.fallback_reason), provenance.fallback_reason
    return provenance.fallback_reason


def test_a_live_read_is_real_data_read_once_per_process(portal):
    frame, provenance = load_dataset(KEY)
    again, _ = load_dataset(KEY)
    assert provenance.source == "live" and provenance.fallback_reason is None
    assert provenance.read_at and not provenance.generated and provenance.rows == len(frame)
    assert len(again) == len(frame) == len(portal.datasets[snapshot_dataset(KEY).dataset_id].rows)
    assert [r.path.rsplit("/", 1)[-1] for r in portal.requests] == [
        snapshot_dataset(KEY).dataset_id,
        "csv",
    ]


def test_a_silent_portal_costs_one_timeout_then_the_breaker_answers(portal):
    portal.faults.silent = 100
    start = time.monotonic()
    reason = _fallback()
    first = time.monotonic() - start
    assert reason == "le portail n'a pas répondu dans les 0,5 s"
    assert READ_TIMEOUT <= first < READ_TIMEOUT + 1.0
    start = time.monotonic()
    assert _fallback(OTHER) == reason
    assert time.monotonic() - start < 0.3
    assert portal.request_count == 1


def test_a_truncated_export_says_where_it_stopped(portal):
    portal.faults.truncate_exports = 1
    assert _fallback() == "le téléchargement s'est interrompu à 50 %"


def test_a_portal_answering_503_is_unavailable_and_not_asked_again(portal):
    portal.faults.unavailable = 100
    assert _fallback() == "le portail est indisponible (erreur 503)"
    asked = portal.request_count
    assert asked == 2  # one try and one retry (OPENDATA_MAX_RETRIES=1)
    assert _fallback(OTHER) == "le portail est indisponible (erreur 503)"
    assert portal.request_count == asked


def test_a_short_retry_after_is_waited_for(portal):
    portal.faults.rate_limited, portal.faults.retry_after = 1, "0"
    _, provenance = load_dataset(KEY)
    assert provenance.source == "live"


def test_a_long_retry_after_falls_back_at_once(portal):
    portal.faults.rate_limited, portal.faults.retry_after = 100, "3600"
    start = time.monotonic()
    assert _fallback().startswith("le portail limite le nombre de requêtes jusqu'au ")
    assert time.monotonic() - start < 1.0


def test_a_refused_query_is_said_in_french(portal, monkeypatch):
    monkeypatch.setenv("OPENDATA_PORTAL_URL", portal.url + "/nowhere")
    prefetch.forget()
    reason = _fallback()
    assert reason in (
        "le jeu de données est introuvable sur le portail (erreur 404)",
        "le portail a refusé la requête : paramètre ou expression invalide (erreur 400)",
    )


def test_the_build_reads_once_and_every_notebook_reads_that(portal, tmp_path, monkeypatch):
    reads = prefetch.prefetch([KEY], tmp_path)
    assert reads[KEY].read == "live" and portal.request_count == 2
    monkeypatch.setenv("OPENDATA_PREFETCH_DIR", str(tmp_path))
    prefetch.forget()
    frame, provenance = load_dataset(KEY)
    assert portal.request_count == 2  # the kernel read the build's files
    assert provenance == loader.dataset_provenance(KEY)
    assert provenance.rows == len(frame) == reads[KEY].files[next(iter(reads[KEY].files))]["rows"]


def test_unchanged_metadata_reuses_the_export_and_a_change_downloads_it(portal, tmp_path):
    prefetch.prefetch([KEY], tmp_path)
    prefetch.prefetch([KEY], tmp_path)
    assert portal.request_count == 3  # metadata + export, then metadata only
    dataset = portal.datasets[snapshot_dataset(KEY).dataset_id]
    dataset.rows = dataset.rows[:-1]
    dataset.modified = "2026-11-30T08:00:00+00:00"
    reads = prefetch.prefetch([KEY], tmp_path)
    assert portal.request_count == 5
    assert reads[KEY].metas["modified"] == dataset.modified
    assert reads[KEY].metas["records_count"] == len(dataset.rows)


def test_an_export_that_disagrees_with_the_metadata_is_refused(portal, tmp_path, monkeypatch):
    dataset = portal.datasets[snapshot_dataset(KEY).dataset_id]
    real_metadata = dataset.metadata

    def announcing_one_more():
        meta = real_metadata()
        meta["metas"]["default"]["records_count"] += 1
        return meta

    monkeypatch.setattr(dataset, "metadata", announcing_one_more)
    reads = prefetch.prefetch([KEY], tmp_path)
    assert reads[KEY].reason == "l'export compte 13 lignes au lieu des 14 annoncées"
