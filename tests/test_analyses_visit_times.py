"""One place's crowd for one weekday: the tables the « quand y aller » page shows."""

from __future__ import annotations

import pytest
from test_analyses_attendance import _frame

from analyses import attendance as att
from analyses.visit_times import day_view, one_place


def test_a_place_is_chosen_by_id_or_name_and_all_is_refused_in_french():
    catalogue = att.facilities(_frame())
    assert one_place(catalogue, "PIS-01") == "PIS-01"
    assert one_place(catalogue, "Musée B") == "MUS-01"
    assert one_place(catalogue, "Tour Eiffel") == "Tour Eiffel"
    with pytest.raises(ValueError, match="attend un seul équipement"):
        one_place(catalogue, att.ALL)


def test_day_view_keeps_one_weekday_over_the_months():
    rows = _frame(days=84)
    view = day_view(rows, "PIS-01", 0)
    assert view["weekday"] == 0
    assert view["by_day"].loc[0, "niveau"] == att.CLOSED
    assert view["of_day"].index.tolist() == list(range(1, 13))
    # 84 days from 1 January: January to March have Mondays, all closed; the rest no data.
    assert view["closed_months"] == ["janvier", "février", "mars"]
    saturday = day_view(rows, "PIS-01", 5)
    assert saturday["closed_months"] == []
    assert saturday["of_day"].loc[1, "mediane"] == 200
