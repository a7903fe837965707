"""The one French formatting module writes with Babel what the hand-written code wrote."""

from __future__ import annotations

import pytest

from rouen_opendata import formatting


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1.5, "1,5"),
        (2.0, "2"),
        (300, "300"),
        (1234.5, "1234,5"),  # no thousands separator inside a sentence
        (1 / 3, "0,333333"),  # six significant digits
        (0.0074960702, "0,00749607"),
        (-3.25, "-3,25"),
        (None, formatting.MISSING),
    ],
)
def test_compact_numbers(value, expected):
    assert formatting.format_compact(value) == expected


def test_month_and_day_names_come_from_babel_in_french():
    assert formatting.MONTHS[0] == "janvier" and formatting.MONTHS[7] == "août"
    assert formatting.DAYS == (
        "lundi",
        "mardi",
        "mercredi",
        "jeudi",
        "vendredi",
        "samedi",
        "dimanche",
    )
    assert formatting.DAYS_SHORT[0] == "lun." and formatting.NNBSP == "\u202f"


def test_date_text_that_is_not_iso_is_kept_and_missing_can_be_chosen():
    assert formatting.format_date("printemps 2019") == "printemps 2019"
    assert formatting.format_date(None, "short", missing="") == ""
    assert formatting.format_date("2024-02-01", "short") == "01/02/2024"
