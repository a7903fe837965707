"""PortalClient against the loopback portal of ``portal_server.py`` (real HTTP, no mocks)."""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
import requests
from portal_server import COUNTERS, FakeDataset, PortalServer, make_dataset

from rouen_opendata.client import PortalClient, geo_columns
from rouen_opendata.exceptions import (
    AuthenticationError,
    DatasetNotFoundError,
    IncompleteResultError,
    OpenDataError,
    PortalUnavailableError,
    QueryError,
    RateLimitError,
    ResultTooLargeError,
)

DATASET = "comptages-velo"
ROWS = 250
MAX_RETRIES = 3
ATTEMPTS = 1 + MAX_RETRIES
BOM = b"\xef\xbb\xbf"


@pytest.fixture
def counts(portal: PortalServer) -> FakeDataset:
    return portal.add(make_dataset(DATASET, ROWS))


def make_client(portal: PortalServer, **options: object) -> PortalClient:
    settings: dict = {
        "base_url": portal.url,
        "api_key": "",
        "timeout": 2,
        "max_retries": MAX_RETRIES,
        "max_wait": 5,
        "backoff_factor": 0.001,
    }
    return PortalClient(**(settings | options))


@pytest.fixture
def client(portal: PortalServer) -> Iterator[PortalClient]:
    with make_client(portal) as client:
        yield client


def offsets(portal: PortalServer) -> list[int]:
    return [int(r.params["offset"][0]) for r in portal.requests if "offset" in r.params]


# Paging and limits ------------------------------------------------------------------------


def test_records_pages_100_rows_per_request(client, portal, counts):
    rows = client.records(DATASET)
    assert rows == counts.rows
    assert client.request_count == portal.request_count == 3
    assert offsets(portal) == [0, 100, 200]


def test_limit_and_offset_fetch_exactly_the_slice(client, portal, counts):
    rows = client.records(DATASET, limit=150, offset=20)
    assert rows == counts.rows[20:170]
    assert [r.params["limit"][0] for r in portal.requests] == ["100", "50"]


def test_limit_beyond_total_is_explained_not_incomplete(client, counts):
    assert len(client.records(DATASET, limit=300)) == ROWS


def test_more_than_10000_rows_raises_after_one_request(client, portal):
    portal.add(make_dataset("gros", 10_001))
    with pytest.raises(ResultTooLargeError, match=r"10,001 rows.*export\(\)"):
        client.records("gros")
    assert portal.request_count == 1


def test_explicit_limit_past_the_ceiling_raises_without_a_request(client, portal):
    portal.add(make_dataset("gros", 10_001))
    with pytest.raises(ResultTooLargeError, match="export"):
        client.records("gros", limit=51, offset=9_950)
    assert portal.request_count == 0
    assert len(client.records("gros", limit=50, offset=9_950)) == 50


def test_server_answers_the_portal_limit_message(client, counts):
    answer = requests.get(client.records_url(DATASET, limit=1473), timeout=5)
    assert answer.status_code == 400
    assert answer.json() == {
        "message": "Invalid value for limit API parameter: 1473 was found but "
        "-1 <= limit <= 100 is expected.",
        "error_code": "InvalidRESTParameterError",
    }


def test_portal_lying_about_total_count_raises_incomplete(client, portal, counts):
    portal.faults.total_count_bias = 30
    with pytest.raises(IncompleteResultError, match=f"announced {ROWS + 30} rows.*{ROWS}"):
        client.records(DATASET)


def test_dataset_changing_while_paging_raises_incomplete(client, portal, counts, monkeypatch):
    """A row published between two pages shifts the offsets: the copy would silently hold
    a duplicate, so the client stops at the first page whose total_count moved."""
    serve_page = portal._records

    def publish_a_row_after_each_page(dataset, params):
        reply = serve_page(dataset, params)
        dataset.rows.insert(0, dict(dataset.rows[0]))
        return reply

    monkeypatch.setattr(portal, "_records", publish_a_row_after_each_page)
    with pytest.raises(
        IncompleteResultError, match=rf"changed while paging \(total_count {ROWS} then {ROWS + 1}\)"
    ):
        client.records(DATASET)
    assert offsets(portal) == [0, 100]


# URLs -------------------------------------------------------------------------------------


def test_records_url_is_exactly_what_is_sent(client, portal, counts):
    url = client.records_url(
        DATASET, where='commune = "Rouen"', refine={"compteur": "Quai de Paris"}, limit=5
    )
    assert url == (
        f"{portal.url}/api/explore/v2.1/catalog/datasets/{DATASET}/records"
        "?where=commune%20%3D%20%22Rouen%22&refine=compteur:Quai%20de%20Paris&limit=5"
    )
    rows = client.records(
        DATASET, where='commune = "Rouen"', refine={"compteur": "Quai de Paris"}, limit=5
    )
    assert client.last_url == url + "&offset=0"
    assert portal.requests[-1].params["where"] == ['commune = "Rouen"']
    assert {(r["commune"], r["compteur"]) for r in rows} == {("Rouen", "Quai de Paris")}


def test_export_url_rejects_unknown_format(client):
    with pytest.raises(ValueError, match="xlsx"):
        client.export_url(DATASET, "xlsx")


# Queries ----------------------------------------------------------------------------------


def test_where_with_date_and_equality(client, counts):
    rows = client.records(DATASET, where="commune = \"Rouen\" AND date >= date'2023-06-01'")
    expected = [r for r in counts.rows if r["commune"] == "Rouen" and r["date"] >= "2023-06-01"]
    assert rows == expected and rows


def test_group_by_is_one_request_with_the_group_ceiling(client, portal, counts):
    rows = client.records(
        DATASET,
        select="compteur, count(*) as n, sum(comptage) as total",
        group_by="compteur",
        order_by="n desc",
    )
    assert portal.request_count == 1
    assert portal.requests[0].params["limit"] == ["20000"]
    assert {r["compteur"]: r["n"] for r in rows} == {name: ROWS // 5 for name in COUNTERS}
    totals = Counter()
    for row in counts.rows:
        totals[row["compteur"]] += row["comptage"]
    assert {r["compteur"]: r["total"] for r in rows} == dict(totals)


def test_group_by_limit_past_20000_raises(client, counts):
    with pytest.raises(ResultTooLargeError, match="20,000"):
        client.records(DATASET, group_by="compteur", limit=20_001)


@pytest.mark.parametrize("refine", [{"commune": "Rouen"}, ["commune:Rouen"], "commune:Rouen"])
def test_refine_forms(client, counts, refine):
    rows = client.records(DATASET, refine=refine)
    assert rows == [r for r in counts.rows if r["commune"] == "Rouen"]


def test_exclude(client, counts):
    rows = client.records(DATASET, exclude={"commune": ["Rouen", "Bois-Guillaume"]})
    assert rows == [r for r in counts.rows if r["commune"] not in ("Rouen", "Bois-Guillaume")]


def test_facets_count_values(client, counts):
    facets = client.facets(DATASET, facet=["commune", "date"], refine={"compteur": "Saint-Sever"})
    expected = Counter(r["commune"] for r in counts.rows if r["compteur"] == "Saint-Sever")
    assert {f["value"]: f["count"] for f in facets["commune"]} == dict(expected)
    assert {f["value"] for f in facets["date"]} == {"2023"}


def test_catalog_pages_and_filters(client, portal):
    for index in range(150):
        portal.add(make_dataset(f"jeu-{index:03d}", 1))
    assert [d["dataset_id"] for d in client.catalog(limit=None)] == sorted(portal.datasets)
    assert portal.request_count == 2
    assert len(client.catalog()) == 100
    found = client.catalog(where='dataset_id = "jeu-007"')
    assert [d["dataset_id"] for d in found] == ["jeu-007"]


def test_dataset_metadata(client, counts):
    meta = client.dataset(DATASET)
    assert meta["metas"]["default"]["records_count"] == ROWS
    assert "geo" in meta["features"]
    assert {f["name"]: f["type"] for f in meta["fields"]}["coordonnees"] == "geo_point_2d"


# Frames and geo ---------------------------------------------------------------------------


def test_records_frame_converts_geo_fields_by_type(client, counts):
    frame = client.records_frame(DATASET, limit=20)
    assert "coordonnees" not in frame.columns
    assert frame["lat"].dtype == "float64" and frame["lon"].dtype == "float64"
    assert frame["lat"].tolist() == [r["coordonnees"]["lat"] for r in counts.rows[:20]]
    assert frame["lon"].tolist() == [r["coordonnees"]["lon"] for r in counts.rows[:20]]
    assert frame["emprise"][0]["type"] == "Polygon"


def test_geo_columns_reads_text_points_and_keeps_missing_ones():
    frame = pd.DataFrame({"point": ["49.44, 1.09", None], "zone": [None, '{"type": "Point"}']})
    out = geo_columns(frame, {"point": "geo_point_2d", "zone": "geo_shape"})
    assert out["lat"].iloc[0] == 49.44 and out["lon"].iloc[0] == 1.09
    assert out["lat"].isna().iloc[1]
    assert out["zone"].tolist() == [None, {"type": "Point"}]


# Exports ----------------------------------------------------------------------------------


def test_export_csv_12000_rows_in_one_request(client, portal, tmp_path):
    big = portal.add(make_dataset("gros", 12_000))
    path = client.export("gros", "csv", tmp_path / "gros.csv")
    assert portal.request_count == client.request_count == 1
    assert path.read_bytes().startswith(BOM)
    frame = pd.read_csv(path, sep=";", encoding="utf-8-sig")
    assert len(frame) == 12_000
    assert list(frame.columns) == [f["name"] for f in big.fields]
    assert (
        frame["coordonnees"][0] == f"{big.rows[0]['coordonnees']['lat']}, "
        f"{big.rows[0]['coordonnees']['lon']}"
    )
    converted = geo_columns(frame, big.fields)
    assert converted["lat"].tolist() == [r["coordonnees"]["lat"] for r in big.rows]
    assert list(tmp_path.iterdir()) == [path]


def test_export_honours_query_and_limit(client, counts, tmp_path):
    path = client.export(
        DATASET,
        "csv",
        tmp_path,
        where='commune = "Rouen"',
        limit=10,
        select="compteur, comptage",
        options={"with_bom": False},
    )
    assert path == tmp_path / f"{DATASET}.csv"
    assert not path.read_bytes().startswith(BOM)
    frame = pd.read_csv(path, sep=";")
    assert list(frame.columns) == ["compteur", "comptage"] and len(frame) == 10


def test_export_json_and_jsonl(client, counts, tmp_path):
    assert (
        json.loads(client.export(DATASET, "json", tmp_path / "a.json").read_text()) == counts.rows
    )
    lines = client.export(DATASET, "jsonl", tmp_path / "a.jsonl").read_text().splitlines()
    assert [json.loads(line) for line in lines] == counts.rows


def test_export_geojson(client, counts, tmp_path):
    collection = json.loads(client.export(DATASET, "geojson", tmp_path / "a.geojson").read_text())
    assert collection["type"] == "FeatureCollection"
    assert len(collection["features"]) == ROWS
    first = collection["features"][0]
    assert first["geometry"] == counts.rows[0]["emprise"]["geometry"]
    assert first["properties"]["commune"] == counts.rows[0]["commune"]


def test_export_parquet(client, counts, tmp_path):
    path = client.export(DATASET, "parquet", tmp_path / "a.parquet")
    frame = geo_columns(pq.read_table(path).to_pandas(), counts.fields)
    assert len(frame) == ROWS
    assert frame["comptage"].tolist() == [r["comptage"] for r in counts.rows]
    assert frame["lon"].tolist() == [r["coordonnees"]["lon"] for r in counts.rows]


def test_truncated_export_leaves_no_file(client, portal, counts, tmp_path):
    portal.faults.truncate = 1
    with pytest.raises(IncompleteResultError, match="nothing was written"):
        client.export(DATASET, "csv", tmp_path / "a.csv")
    assert list(tmp_path.iterdir()) == []


def test_download_streams_a_plain_file_without_the_api_key(portal, tmp_path):
    portal.files["/static/gtfs.zip"] = b"PK\x03\x04" + bytes(200_000)
    with make_client(portal, api_key="s3cret") as client:
        path = client.download(f"{portal.url}/static/gtfs.zip", tmp_path / "gtfs.zip")
    assert path.read_bytes() == portal.files["/static/gtfs.zip"]
    assert "Authorization" not in portal.requests[-1].headers


# Errors -----------------------------------------------------------------------------------


def test_bad_query_carries_the_portal_message(client, counts):
    with pytest.raises(QueryError, match="ODSQL query is malformed: Unknown field: nope") as err:
        client.records(DATASET, where="nope = 1")
    assert err.value.status == 400
    assert "where=nope" in err.value.url


def test_unknown_dataset(client):
    with pytest.raises(DatasetNotFoundError, match="Unknown dataset: inconnu") as err:
        client.records("inconnu")
    assert err.value.status == 404


def test_private_portal_needs_the_api_key(portal, counts, monkeypatch):
    portal.faults.api_key = "s3cret"
    with make_client(portal) as anonymous, pytest.raises(AuthenticationError, match="API key"):
        anonymous.records(DATASET, limit=1)
    with make_client(portal, api_key="s3cret") as keyed:
        assert len(keyed.records(DATASET, limit=1)) == 1
    assert portal.requests[-1].headers["Authorization"] == "Apikey s3cret"
    monkeypatch.setenv("OPENDATA_API_KEY", "s3cret")
    with make_client(portal, api_key=None) as from_env:
        assert len(from_env.dataset(DATASET)["fields"]) == len(counts.fields)


def _iso_in(seconds: float) -> str:
    return (datetime.now(timezone.utc) + timedelta(seconds=seconds)).isoformat()


@pytest.mark.parametrize("how", ["retry_after", "ratelimit_reset", "reset_time"])
def test_rate_limit_wait_is_honoured(client, portal, counts, how):
    portal.faults.rate_limited = 1
    if how == "retry_after":
        portal.faults.retry_after = "1"
    elif how == "ratelimit_reset":  # whole Unix seconds: the wait is 0.5 to 1.5 s
        portal.faults.ratelimit_reset = time.time() + 1.5
    else:
        portal.faults.reset_time = _iso_in(1.0)
    started = time.monotonic()
    assert len(client.records(DATASET, limit=1)) == 1
    assert time.monotonic() - started >= 0.45  # the back-off alone would be ~0 s
    assert portal.request_count == client.request_count == 2


@pytest.mark.parametrize("how", ["retry_after", "reset_time"])
def test_rate_limit_beyond_max_wait_raises_at_once(client, portal, counts, how):
    portal.faults.rate_limited = 1
    if how == "retry_after":
        portal.faults.retry_after = "3600"
    else:
        portal.faults.reset_time = _iso_in(3600)
    started = time.monotonic()
    with pytest.raises(RateLimitError, match="max_wait=5") as err:
        client.records(DATASET, limit=1)
    assert time.monotonic() - started < 1
    reset = datetime.fromisoformat(err.value.reset_time.replace("Z", "+00:00"))
    assert abs((reset - datetime.now(timezone.utc)).total_seconds() - 3600) < 5
    assert portal.request_count == 1
    assert len(client.records(DATASET, limit=1)) == 1  # the connection pool is still sound


def test_rate_limit_that_persists_raises_after_the_retries(client, portal, counts):
    portal.faults.rate_limited = 10
    portal.faults.retry_after = "0"
    with pytest.raises(RateLimitError, match="after the retries") as err:
        client.records(DATASET, limit=1)
    assert err.value.status == 429
    assert portal.request_count == ATTEMPTS


def test_server_errors_are_retried(client, portal, counts):
    portal.faults.server_errors = 2
    assert len(client.records(DATASET, limit=1)) == 1
    assert portal.request_count == client.request_count == 3


def test_persistent_server_errors_raise_unavailable(client, portal, counts):
    portal.faults.server_errors = 10
    with pytest.raises(PortalUnavailableError, match="500") as err:
        client.records(DATASET, limit=1)
    assert err.value.status == 500
    assert portal.request_count == client.request_count == ATTEMPTS


def test_slow_answer_is_retried(portal, counts):
    portal.faults.slow, portal.faults.delay = 1, 2.0
    with make_client(portal, timeout=0.3) as client:
        assert len(client.records(DATASET, limit=1)) == 1
    assert portal.request_count == 2


def test_portal_that_never_answers_in_time(portal, counts):
    portal.faults.slow, portal.faults.delay = 10, 2.0
    with (
        make_client(portal, timeout=0.2) as client,
        pytest.raises(PortalUnavailableError, match="did not answer in time"),
    ):
        client.records(DATASET, limit=1)
    assert portal.request_count == ATTEMPTS


def test_every_error_is_an_open_data_error():
    for error in (
        QueryError,
        AuthenticationError,
        DatasetNotFoundError,
        RateLimitError,
        PortalUnavailableError,
        IncompleteResultError,
        ResultTooLargeError,
    ):
        assert issubclass(error, OpenDataError)


def test_base_url_may_include_the_api_path(portal, counts):
    with make_client(portal, base_url=f"{portal.url}/api/explore/v2.1/") as client:
        assert client.dataset(DATASET)["dataset_id"] == DATASET


def test_no_partial_file_names_remain(client, counts, tmp_path):
    client.export(DATASET, "csv", tmp_path / "a.csv")
    assert sorted(p.name for p in Path(tmp_path).iterdir()) == ["a.csv"]
