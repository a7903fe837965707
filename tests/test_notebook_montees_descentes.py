"""The « montées et descentes » notebook: boardings per stop, line and month, on the map.

Figures are recomputed here with pandas from the generated counts and the real GTFS stops.
"""

from __future__ import annotations

import pandas as pd
import pytest
from notebook_runs import (
    Run,
    address_notice,
    assert_light_and_clean,
    assert_refused,
    execute_runs,
    open_addresses,
)

from rouen_opendata import load_dataset
from widgets import format_number

pytestmark = pytest.mark.slow

NAME = "montees-descentes"
RUNS = {
    "defaults": {},
    "metro": {"ligne": "Métro"},
    "t4-january": {"ligne": "T4", "mois": "2024-01"},
    "incompatible-dataset": {"jeu_de_donnees": "astuce-gtfs", "mois": "2024-08"},
}
RESULTS = """
features = figures.stop_layer.data["features"]


def pairs(chart):
    return [[label, value] for label, value in zip(chart.labels, chart.values, strict=True)]


results = {
    "dataset": data.key,
    "problem": data.problem,
    "generated": data.provenance.generated,
    "totals": view["totals"],
    "cards": {name: card.text for name, card in figures.cards.items()},
    "map_points": len(features),
    "largest_point": features[0]["properties"] if features else None,
    "largest_radius": features[0]["properties"]["style"]["radius"] if features else None,
    "lines": pairs(figures.line_bars),
    "stops": pairs(figures.stop_bars),
    "monthly": [float(value) for value in figures.per_month.line.y],
}
"""
"""What the tests read from a run: ``view`` is :func:`analyses.ridership.view`, drawn."""


@pytest.fixture(scope="module")
def counts() -> pd.DataFrame:
    frame = load_dataset("astuce-montees-descentes").frame
    return frame.assign(montees=frame["montees"].astype(float))


@pytest.fixture(scope="module")
def stops() -> pd.DataFrame:
    return load_dataset("astuce-gtfs", table="stops").frame


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, Run]:
    return execute_runs(NAME, RUNS, tmp_path_factory.mktemp(NAME), RESULTS)


def _days(months) -> int:
    return sum(pd.Period(m, freq="M").days_in_month for m in set(months))


def _check(shown: dict, counts: pd.DataFrame, line: str | None, month: str | None) -> None:
    in_month = counts if month is None else counts[counts["mois"] == month]
    rows = in_month if line is None else in_month[in_month["route_short_name"] == line]
    days = _days(in_month["mois"])
    boardings = rows["montees"].sum()
    per_stop = rows.groupby("stop_id")["montees"].sum().sort_values(ascending=False)
    totals = shown["totals"]
    assert totals["boardings"] == boardings and totals["days"] == days
    assert totals["per_day"] == pytest.approx(boardings / days)
    assert totals["stops"] == int((per_stop > 0).sum())
    assert totals["top_share"] == pytest.approx(per_stop.head(10).sum() / boardings)
    per_line = in_month.groupby("route_short_name")["montees"].sum() / days
    top_lines = per_line.sort_values(ascending=False).head(15)
    if line is not None and line not in top_lines.index:
        top_lines = pd.concat([top_lines.head(14), per_line[[line]]])
    assert dict(shown["lines"]) == pytest.approx(top_lines.to_dict())
    names = rows.drop_duplicates("stop_id").set_index("stop_id")["stop_name"]
    top_stops = (per_stop.head(15) / days).rename(index=names)
    assert [v for _, v in shown["stops"]] == pytest.approx(list(top_stops))
    assert [n for n, _ in shown["stops"]] == list(top_stops.index)
    by_month = counts if line is None else counts[counts["route_short_name"] == line]
    monthly = by_month.groupby("mois")["montees"].sum()
    expected = [v / _days([m]) for m, v in monthly.sort_index().items()]
    assert shown["monthly"] == pytest.approx(expected)


def test_defaults_show_the_whole_network_over_the_year(runs, counts, stops):
    run = runs["defaults"]
    shown = run.results
    _check(shown, counts, None, None)
    located = set(stops["stop_id"])
    assert shown["map_points"] == counts.loc[counts["stop_id"].isin(located), "stop_id"].nunique()
    busiest = counts.groupby("stop_id")["montees"].sum().idxmax()
    top = counts.loc[counts["stop_id"] == busiest]
    assert shown["largest_point"]["Arrêt"] == top["stop_name"].iloc[0]
    assert shown["largest_point"]["Montées"] == format_number(int(top["montees"].sum()))
    assert shown["largest_radius"] == 22.0  # the largest circle has the largest radius
    (layer,) = run.map_features
    assert len(layer) == shown["map_points"]
    assert "Données d'exemple générées" in run.widget_texts


def test_the_metro_line(runs, counts):
    shown = runs["metro"].results
    assert shown["parameters"]["ligne"] == "Métro"
    _check(shown, counts, "Métro", None)
    metro_stops = counts.loc[counts["route_short_name"] == "Métro", "stop_id"].nunique()
    assert shown["map_points"] == metro_stops


def test_a_teor_line_in_january(runs, counts):
    shown = runs["t4-january"].results
    _check(shown, counts, "T4", "2024-01")
    assert shown["cards"]["boardings"].startswith(format_number(shown["totals"]["boardings"]))


def test_a_dataset_without_the_schema_falls_back_to_the_sample(runs, counts):
    run = runs["incompatible-dataset"]
    assert run.results["dataset"] == "astuce-montees-descentes"
    assert "« astuce-gtfs » a plusieurs tables" in run.results["problem"]
    assert "Jeu de données demandé non disponible" in run.widget_texts
    _check(run.results, counts, None, "2024-08")


def test_executed_pages_stay_light(runs):
    assert_light_and_clean(runs)


def test_an_unknown_line_fails_with_a_french_message(tmp_path):
    assert_refused(NAME, {"ligne": "T9"}, tmp_path, "la ligne « T9 » n'a pas", RESULTS)


def test_a_deep_link_keeps_its_month_and_refuses_an_unknown_line(tmp_path, counts):
    (run,) = open_addresses(NAME, {"t9": "ligne=T9&mois=2024-01"}, tmp_path, RESULTS).values()
    assert run.results["parameters"] == {"ligne": "Toutes", "mois": "2024-01"}
    _check(run.results, counts, None, "2024-01")
    assert "la ligne « T9 » n'a pas de comptage" in address_notice(run)
    assert_light_and_clean({"t9": run})
