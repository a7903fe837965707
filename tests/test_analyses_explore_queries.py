"""The requests behind each view: ODSQL clauses, URLs from the data layer, pandas snippets."""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest

from analyses import explore_queries as q
from analyses.explore_plan import GRANULARITIES, FieldInfo, plan_views
from analyses.explore_selection import Selection
from rouen_opendata.portal_reads import DatasetReads

BASE = "https://data.example.fr"
FIELDS = [
    FieldInfo("commune", "text", "Commune"),
    FieldInfo("annee", "int"),
    FieldInfo("date", "date"),
    FieldInfo("count", "int"),  # an ODSQL keyword
    FieldInfo("geo_point_2d", "geo_point_2d"),
]
WEEK = next(g for g in GRANULARITIES if g.key == "semaine")


@pytest.fixture
def reads() -> DatasetReads:
    return DatasetReads("ds", BASE)


def _query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_field_names_and_texts_are_quoted_as_odsql_reads_them():
    assert q.odsql_name("commune") == "commune"
    assert q.odsql_name("count") == "`count`" and q.odsql_name("Date") == "Date"
    assert q.odsql_name("nom commune") == "`nom commune`"
    assert q.odsql_text('Le "106"') == '"Le \\"106\\""'


def test_filters_and_period_become_one_where_clause(reads):
    plan = plan_views(FIELDS, 10)
    selection = Selection((("commune", 'Saint-Pierre "bas"'), ("annee", "2024")), "date",
                          date(2024, 1, 1), date(2024, 1, 31))  # fmt: skip
    url = q.count_query("ds", plan, selection).records_url(reads)
    assert url == reads.records_url(
        select="count(*) as n",
        where='commune = "Saint-Pierre \\"bas\\"" AND annee = 2024 '
        "AND date >= date'2024-01-01' AND date < date'2024-02-01'",
        limit=1,
    )
    assert "timezone" not in _query_of(url)


def test_a_datetime_field_sets_the_local_time_zone(reads):
    plan = plan_views([FieldInfo("date", "datetime"), FieldInfo("n", "int")], 10)
    query = q.series_query("ds", plan, Selection(date_field="date"), WEEK, plan.measures[0])
    params = _query_of(query.records_url(reads))
    assert params["timezone"] == ["Europe/Paris"]
    assert params["select"] == ["count(*) as n, sum(n) as total"]
    assert params["group_by"] == ["date_format(date, 'xxxx-ww') as periode"]
    assert params["order_by"] == ["periode"] and params["limit"] == [str(q.SERIES_LIMIT)]


def test_coverage_counts_every_field_with_an_alias(reads):
    plan = plan_views(FIELDS, 10)
    select = _query_of(q.coverage_query("ds", plan, Selection()).records_url(reads))["select"][0]
    assert select == (
        "count(*) as total, count(commune) as c0, count(annee) as c1, count(date) as c2, "
        "count(`count`) as c3, count(geo_point_2d) as c4"
    )


def test_top_values_ask_one_more_than_a_category_may_have(reads):
    plan = plan_views(FIELDS, 10)
    params = _query_of(q.top_values_query("ds", plan, Selection(), "count", 101).records_url(reads))
    assert params["group_by"] == ["`count`"] and params["order_by"] == ["n desc, `count`"]
    assert params["limit"] == ["101"]


def test_records_pages_stop_at_100_rows_and_exports_have_no_page(reads):
    plan = plan_views(FIELDS, 10)
    preview = q.preview_query("ds", plan, Selection(), ["commune", "annee"], page=3, size=20)
    params = _query_of(preview.records_url(reads))
    assert (params["limit"], params["offset"]) == (["20"], ["60"])
    export = _query_of(preview.export_url(reads))
    assert "limit" not in export and "offset" not in export
    assert export["select"] == ["commune, annee"]
    mapped = q.map_query("ds", plan, Selection(), ["geo_point_2d"], limit=200_000)
    assert _query_of(mapped.records_url(reads))["limit"] == ["100"]
    assert _query_of(mapped.export_url(reads))["limit"] == ["200000"]


def test_urls_are_the_data_layers_and_the_snippet_reads_the_csv_export(reads):
    plan = plan_views(FIELDS, 10)
    query = q.top_values_query("ds", plan, Selection(), "commune", 101)
    records = query.records_url(reads)
    assert records.startswith(f"{BASE}/api/explore/v2.1/catalog/datasets/ds/records?")
    export = query.export_url(reads)
    assert export.startswith(f"{BASE}/api/explore/v2.1/catalog/datasets/ds/exports/csv?")
    assert query.snippet(reads) == (
        f'import pandas as pd\n\ndonnees = pd.read_csv("{export}", sep=";")'
    )
    assert query.description == "Valeurs les plus fréquentes de « Commune »"  # its label
