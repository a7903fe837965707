"""The « Quand y aller ? » notebook gives the crowd level the past days support.

Levels are recomputed here with pandas: terciles of the facility's open days, the median
of the chosen weekday (and month) placed among them, closed when open on fewer than 5 %
of those days, nothing said under three open days. Deep links are executed the way Voilà
runs a kernel that is not preheated (``VOILA_PREHEAT=False`` and the visitor's
``QUERY_STRING`` in the kernel's environment).
"""

from __future__ import annotations

import html

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

pytestmark = pytest.mark.slow

NAME = "quand-y-aller"
RUNS = {
    "defaults": {},
    "pool-by-name": {"equipement": "Centre aquatique Eurocéane", "jour": "dimanche"},
    "concert-hall-monday": {"equipement": "SAL-01", "jour": "lundi"},
    "unknown-dataset": {"jeu_de_donnees": "nope", "equipement": "BIB-01", "jour": "dimanche"},
}
RESULTS = """
import pandas as pd


def level_of(table, key):
    return str(table.loc[key, "niveau"]) if key in table.index else att.CLOSED


def number(value):
    return None if pd.isna(value) else float(value)


answer = figures.answer
chosen_row = view["by_day"].loc[view["weekday"]]
results = {
    "dataset": data.key,
    "problem": data.problem,
    "generated": provenance.generated,
    "thresholds": list(att.crowd_thresholds(att.select(rows, values["equipement"]))),
    "level": str(chosen_row["niveau"]),
    "status": str(chosen_row["statut"]),
    "low": number(chosen_row["bas"]),
    "median": number(chosen_row["mediane"]),
    "high": number(chosen_row["haut"]),
    "open_days": int(chosen_row["jours_ouverts"]),
    "days": int(chosen_row["jours"]),
    "week": [level_of(view["by_day"], d) for d in range(7)],
    "months": [level_of(view["of_day"], m) for m in range(1, 13)],
    "closed_months": view["closed_months"],
    "answer": answer.value,
}
"""
"""What the tests read from a run: ``view`` holds the tables the page drew."""
DEEP_LINKS = {
    "every-place": "equipement=Tous&jour=dimanche",
    "unknown-place": "equipement=Tour+Eiffel&jour=lundi",
}
"""Query strings of dashboard addresses, as a visitor's browser sends them."""
DAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
MONTHS = ["juin", "juillet", "août"]


@pytest.fixture(scope="module")
def sample() -> pd.DataFrame:
    frame = load_dataset("frequentation-equipements").frame
    return frame.assign(entrees=frame["entrees"].astype(float), open=frame["ouvert"].eq("oui"))


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, Run]:
    return execute_runs(NAME, RUNS, tmp_path_factory.mktemp(NAME), RESULTS)


@pytest.fixture(scope="module")
def deep_linked(tmp_path_factory) -> dict[str, Run]:
    """Each of ``DEEP_LINKS`` opened in Voilà (a kernel that is not preheated)."""
    return open_addresses(NAME, DEEP_LINKS, tmp_path_factory.mktemp(f"{NAME}-urls"), RESULTS)


def _level(days: pd.DataFrame, thresholds: tuple[float, float]) -> str:
    opened = days[days["open"]]
    if len(days) == 0 or len(opened) / len(days) < 0.05:
        return "fermé"
    if len(opened) < 3:
        return "trop peu de jours"
    median = opened["entrees"].median()
    if median < thresholds[0]:
        return "calme"
    return "chargé" if median > thresholds[1] else "moyen"


def _expected(sample: pd.DataFrame, facility: str, day: str) -> dict:
    rows = sample[sample["equipement_id"] == facility]
    entries = rows.loc[rows["open"], "entrees"]
    thresholds = (entries.quantile(1 / 3), entries.quantile(2 / 3))
    weekday = DAYS.index(day)
    of_day = rows[rows["date"].dt.day_of_week == weekday]
    opened = of_day.loc[of_day["open"], "entrees"]
    return {
        "thresholds": thresholds,
        "level": _level(of_day, thresholds),
        "median": opened.median(),
        "low": opened.quantile(0.25),
        "high": opened.quantile(0.75),
        "open_days": int(of_day["open"].sum()),
        "days": len(of_day),
        "week": [_level(rows[rows["date"].dt.day_of_week == d], thresholds) for d in range(7)],
        "months": [_level(of_day[of_day["date"].dt.month == m], thresholds) for m in range(1, 13)],
    }


def _check(shown: dict, expected: dict) -> None:
    assert shown["thresholds"] == pytest.approx(list(expected["thresholds"]))
    assert shown["level"] == expected["level"]
    for key in ("median", "low", "high"):
        if pd.isna(expected[key]):
            assert shown[key] is None
        else:
            assert shown[key] == pytest.approx(expected[key])
    assert (shown["open_days"], shown["days"]) == (expected["open_days"], expected["days"])
    assert shown["week"] == expected["week"] and shown["months"] == expected["months"]


def test_the_ice_rink_on_saturday(runs, sample):
    run = runs["defaults"]
    shown = run.results
    assert shown["parameters"] == {"equipement": "PAT-01", "jour": "samedi"}
    expected = _expected(sample, "PAT-01", "samedi")
    _check(shown, expected)
    assert shown["closed_months"] == MONTHS  # the summer closure
    answer = html.unescape(shown["answer"])
    assert "Patinoire de l'Île Lacroix, le samedi" in answer
    assert f"{expected['open_days']} samedis d'ouverture" in answer
    assert "Fermé le samedi en juin, juillet et août." in answer
    assert "Données d'exemple générées" in run.widget_texts


def test_a_pool_named_in_full_on_sunday(runs, sample):
    shown = runs["pool-by-name"].results
    assert shown["parameters"]["equipement"] == "PIS-03"
    _check(shown, _expected(sample, "PIS-03", "dimanche"))


def test_the_concert_hall_is_closed_on_mondays(runs, sample):
    shown = runs["concert-hall-monday"].results
    expected = _expected(sample, "SAL-01", "lundi")
    assert expected["level"] == "fermé"  # the sample has almost no Monday concert
    _check(shown, expected)
    assert "en général" in shown["answer"] and "fermé" in shown["answer"]


def test_an_unknown_dataset_key_explains_itself(runs, sample):
    run = runs["unknown-dataset"]
    assert run.results["dataset"] == "frequentation-equipements"
    assert "« nope » n'est pas déclaré" in run.results["problem"]
    assert "Jeu de données demandé non disponible" in run.widget_texts
    _check(run.results, _expected(sample, "BIB-01", "dimanche"))  # libraries: closed


def test_executed_pages_stay_light(runs):
    assert_light_and_clean(runs)


def test_every_facility_at_once_is_refused_in_french(tmp_path):
    assert_refused(NAME, {"equipement": "Tous"}, tmp_path, "Choisissez un équipement", RESULTS)


def test_every_facility_in_the_address_gives_a_notice_and_the_default_place(deep_linked, sample):
    run = deep_linked["every-place"]
    shown = run.results
    assert shown["parameters"] == {"equipement": "PAT-01", "jour": "dimanche"}  # the day stays
    _check(shown, _expected(sample, "PAT-01", "dimanche"))
    notice = address_notice(run)
    assert "« equipement » attend un seul équipement, pas « Tous »" in notice
    assert "l'affluence se compare équipement par équipement" in notice
    assert "Paramètres acceptés : equipement (texte, par défaut « PAT-01 »)" in notice


def test_an_unknown_place_in_the_address_is_refused_in_short(deep_linked, sample):
    run = deep_linked["unknown-place"]
    assert run.results["parameters"] == {"equipement": "PAT-01", "jour": "lundi"}
    _check(run.results, _expected(sample, "PAT-01", "lundi"))
    short, disclosed = run.first_widget_texts.split("<details", 1)
    assert "« Tour Eiffel » n'est pas un choix possible pour « Lieu »" in short
    assert "PIS-03" not in short and "« PIS-03 » (Centre aquatique Eurocéane)" in disclosed


def test_deep_linked_pages_stay_light_without_incident(deep_linked):
    assert_light_and_clean(deep_linked)
