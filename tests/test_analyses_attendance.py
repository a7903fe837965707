"""Facility attendance computations on small hand-made frames."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analyses import attendance as att
from analyses import attendance_view


def _frame(days: int = 21, start: str = "2024-01-01") -> pd.DataFrame:
    """Two facilities: a pool closed on Mondays (100 entries, 200 on Saturdays), a museum
    open every day but closed the first week (50 entries)."""
    dates = pd.date_range(start, periods=days)
    pool = pd.DataFrame(
        {
            "date": dates,
            "equipement_id": "PIS-01",
            "equipement": "Piscine A",
            "type_equipement": "Piscine",
            "commune": "Rouen",
            "entrees": np.where(dates.day_of_week == 5, 200, 100),
            "ouvert": "oui",
            "capacite": 100,
        }
    )
    pool.loc[dates.day_of_week == 0, ["entrees", "ouvert"]] = [0, "non"]
    museum = pool.assign(
        equipement_id="MUS-01",
        equipement="Musée B",
        type_equipement="Musée",
        entrees=np.where(np.arange(days) < 7, 0, 50),
        ouvert=np.where(np.arange(days) < 7, "non", "oui"),
        capacite=10,
    )
    frame = pd.concat([pool, museum], ignore_index=True)
    frame["entrees"] = frame["entrees"].astype("Int64")
    frame["capacite"] = frame["capacite"].astype("Int64")
    return att.prepare(frame)


@pytest.fixture
def rows() -> pd.DataFrame:
    return _frame()


def test_prepare_types_and_facility_catalogue(rows):
    assert rows["open"].dtype == bool and rows["entrees"].dtype == "float64"
    table = att.facilities(rows)
    assert list(table.index) == ["MUS-01", "PIS-01"]  # by type, then name
    assert att.type_options(table)[0] == ("Tous les types", "Tous")
    assert att.facility_options(table, "Piscine") == [
        ("Tous : piscine", "Tous"),
        ("Piscine A", "PIS-01"),
    ]


def test_facilities_are_found_by_id_or_name(rows):
    table = att.facilities(rows)
    assert att.resolve_facility(table, "PIS-01") == "PIS-01"
    assert att.resolve_facility(table, " musée b ") == "MUS-01"
    assert att.resolve_facility(table, att.ALL) == att.ALL
    with pytest.raises(ValueError, match="l'équipement « Stade » est inconnu"):
        att.resolve_facility(table, "Stade")
    with pytest.raises(ValueError, match="le type « Stade » est inconnu"):
        att.check_type(table, "Stade")


def test_period_defaults_to_one_year_before_the_end_within_the_data(rows):
    first, last = att.data_period(rows)
    assert att.period(rows) == (first, last)  # less than a year of data
    two_years = _frame(days=800, start="2022-01-01")
    start, end = att.period(two_years)
    assert end == pd.Timestamp("2024-03-10") and start == pd.Timestamp("2023-03-11")
    assert att.period(rows, "2024-01-05", "2024-01-10") == (
        pd.Timestamp("2024-01-05"),
        pd.Timestamp("2024-01-10"),
    )


@pytest.mark.parametrize(
    ("debut", "fin", "message"),
    [
        ("2024-01-10", "2024-01-05", "commence"),
        ("05/01/2024", "", "n'est pas une date AAAA-MM-JJ"),
        ("2023-12-01", "", "hors des données"),
    ],
)
def test_bad_periods_are_refused_in_french(rows, debut, fin, message):
    with pytest.raises(ValueError, match=message):
        att.period(rows, debut, fin)


def test_totals_per_opening_day_and_per_seat(rows):
    pool = att.select(rows, "PIS-01")
    figures = att.totals(pool)
    assert figures["entries"] == 3 * (5 * 100 + 200) and figures["open_days"] == 18
    assert figures["per_open_day"] == pytest.approx(2100 / 18)
    assert figures["per_seat"] == pytest.approx(2100 / 18 / 100)
    both = att.totals(rows)
    assert both["facilities"] == 2 and both["open_days"] == 18 + 14
    assert both["per_seat"] == pytest.approx((2100 + 700) / (18 * 100 + 14 * 10))


def test_previous_year_needs_data_a_year_earlier(rows):
    start, end = pd.Timestamp("2024-01-01"), pd.Timestamp("2024-01-21")
    assert att.previous_year(rows, att.ALL, att.ALL, start, end) is None
    longer = _frame(days=400, start="2023-01-01")
    before = att.previous_year(longer, "PIS-01", att.ALL, start, end)
    expected = att.totals(
        att.select(
            longer, "PIS-01", att.ALL, start - pd.DateOffset(years=1), end - pd.DateOffset(years=1)
        )
    )
    assert before == expected


def test_over_time_keeps_whole_weeks_and_months_only():
    rows = _frame(days=45, start="2024-01-03")  # Wednesday 3 January to 16 February
    weeks = att.over_time(rows, "Semaine")
    assert list(weeks["date"]) == list(pd.date_range("2024-01-08", "2024-02-05", freq="7D"))
    # week of 8 January: pool Tuesday–Sunday (4 × 100 + 200 + 100), museum from the 10th
    assert weeks["entrees"].iloc[0] == 700 + 5 * 50
    months = att.over_time(rows, "Mois")
    assert months.empty  # neither January nor February is complete
    days = att.over_time(rows, "Jour")
    assert len(days) == 45 and days["entrees"].sum() == rows["entrees"].sum()
    with pytest.raises(ValueError, match="pas de temps"):
        att.over_time(rows, "Heure")


def test_daily_values_and_closures(rows):
    days = att.daily(rows)
    assert bool(days.loc["2024-01-01", "open"]) is False  # Monday, museum still closed
    assert days.loc["2024-01-06", "entrees"] == 200.0  # Saturday: pool only


def test_weekday_and_month_profiles(rows):
    weekday = att.weekday_profile(att.select(rows, "PIS-01"))
    assert np.isnan(weekday.loc[0, "par_jour_ouvert"])  # closed on Mondays
    assert weekday.loc[5, "par_jour_ouvert"] == 200 and weekday.loc[2, "par_jour_ouvert"] == 100
    months = att.month_profile(rows)
    assert list(months.index) == list(range(1, 13))
    assert months.loc[1, "jours_ouverts"] == 32 and np.isnan(months.loc[2, "par_jour_ouvert"])


def test_school_holidays_of_zone_b():
    days = pd.Series(pd.to_datetime(["2024-02-24", "2024-03-11", "2024-03-10", "2030-01-01"]))
    flags = att.school_holidays(days)
    assert flags.iloc[0] and flags.iloc[2] and not flags.iloc[1]  # back to school on the 11th
    assert pd.isna(flags.iloc[3])  # beyond the calendar


def test_holiday_effect_compares_entries_per_opening_day():
    rows = _frame(days=30, start="2024-02-15")  # winter holidays from 24 February
    effect = att.holiday_effect(att.select(rows, "PIS-01"))
    pool = att.select(rows, "PIS-01")
    off = pool["date"].between("2024-02-24", "2024-03-10") & pool["open"]
    assert effect.loc[att.HOLIDAYS, "jours_ouverts"] == off.sum()
    assert effect.loc[att.HOLIDAYS, "par_jour_ouvert"] == pytest.approx(
        pool.loc[off, "entrees"].mean()
    )


def test_by_facility_normalises_by_capacity(rows):
    table = att.by_facility(rows)
    assert table.loc["MUS-01", "par_place"] == pytest.approx(50 / 10)
    assert table.loc["PIS-01", "part_ouverte"] == pytest.approx(18 / 21)
    assert att.yearly(rows).loc[2024, "entrees"] == 2800


def test_crowd_levels_compare_a_facility_with_itself():
    rows = _frame(days=84)
    pool = att.select(rows, "PIS-01")
    low, high = att.crowd_thresholds(pool)
    assert (low, high) == (100.0, 100.0)
    table = att.crowd_table(pool, ["jour"])
    assert table.loc[0, "niveau"] == att.CLOSED and table.loc[0, "statut"] == att.CLOSED
    assert table.loc[5, "niveau"] == "chargé" and table.loc[2, "niveau"] == "moyen"
    assert table.loc[5, "jours_ouverts"] == 12 and table.loc[5, "mediane"] == 200
    assert att.crowd_level(50, (100, 200)) == "calme"
    with pytest.raises(ValueError, match="one facility"):
        att.crowd_table(rows, ["jour"])


def test_crowd_table_by_month_flags_rare_openings():
    rows = _frame(days=60, start="2024-01-01")
    museum = att.select(rows, "MUS-01")
    museum.loc[museum["date"] > "2024-01-28", ["open", "entrees"]] = [False, 0.0]
    museum.loc[museum["date"] == "2024-02-05", ["open", "entrees"]] = [True, 80.0]
    table = att.crowd_table(museum, ["mois", "jour"])
    assert table.loc[(2, 0), "niveau"] == att.FEW_DAYS  # one Monday open in February
    assert table.loc[(2, 0), "statut"] == att.SOMETIMES_OPEN
    assert table.loc[(2, 1), "niveau"] == att.CLOSED


def test_the_dashboard_view_of_one_place_and_a_backwards_period(rows):
    table = att.facilities(rows)
    values = {"equipement": "PIS-01", "type_equipement": "Tous", "pas": "Jour"}
    view = attendance_view.view(rows, table, {**values, "debut": "2024-01-08", "fin": "2024-01-14"})
    pool = rows[
        rows["equipement_id"].eq("PIS-01") & rows["date"].between("2024-01-08", "2024-01-14")
    ]
    assert view["totals"]["entries"] == pool["entrees"].sum() == 6 * 100 + 100
    assert view["what"] == view["place"] == "Piscine A"
    assert list(view["peers"]["equipement"]) == ["Piscine A"]  # places of its type only
    assert attendance_view.described(table, "Tous", "Musée") == "type « Musée »"
    with pytest.raises(ValueError, match="la période commence"):
        attendance_view.view(rows, table, {**values, "debut": "2024-01-14", "fin": "2024-01-08"})
