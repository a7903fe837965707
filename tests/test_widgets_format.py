"""French formatting and the accessible HTML tables."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from rouen_opendata.formatting import NNBSP
from widgets import format_count, format_date, format_date_range, format_number, format_percent
from widgets.tables import html_table


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (1234.5, 1, f"1{NNBSP}234,5"),
        (1234567, 0, f"1{NNBSP}234{NNBSP}567"),
        (0.125, 2, "0,12"),  # half to even, as Python rounds
        (-1500.25, 1, f"-1{NNBSP}500,2"),
        (-0.04, 1, "0,0"),  # no "-0,0"
        (np.int64(42), 0, "42"),
        (None, 0, "–"),
        (float("nan"), 1, "–"),
    ],
)
def test_format_number(value, decimals, expected):
    assert format_number(value, decimals=decimals) == expected


def test_format_number_refuses_text():
    with pytest.raises(TypeError):
        format_number("12")


def test_percentages_and_counts():
    assert format_percent(0.125, 1) == "12,5\u00a0%"
    assert format_percent(0.3, signed=True) == "+30\u00a0%"
    assert format_percent(-0.05, signed=True) == "-5\u00a0%"
    assert format_percent(0.0001, 1, signed=True) == "0,0\u00a0%"  # rounds to zero: no sign
    assert format_number(4.0, 1, signed=True) == "+4,0"
    assert format_number(-1234.5, 1, signed=True) == "-1\u202f234,5"
    assert format_number(0.04, 1, signed=True) == "0,0"
    assert format_count(1, "ligne") == "1\u00a0ligne"
    assert format_count(0, "ligne") == "0\u00a0ligne"
    assert format_count(1500, "course") == f"1{NNBSP}500\u00a0courses"
    assert format_count(2, "arrêt de bus", "arrêts de bus") == "2\u00a0arrêts de bus"


def test_dates_in_french():
    assert format_date("2024-03-01") == "1er mars 2024"
    assert format_date(date(2024, 3, 5), "full") == "mardi 5 mars 2024"
    assert format_date(pd.Timestamp("2024-08-15 10:00"), "short") == "15/08/2024"
    assert format_date("2024-02-01T00:00:00+00:00", "month") == "février 2024"
    assert format_date(None) == "–"
    assert format_date_range("2024-01-29", "2024-02-25") == "du 29 janvier au 25 février 2024"
    assert format_date_range("2023-12-25", "2024-01-07") == (
        "du 25 décembre 2023 au 7 janvier 2024"
    )
    with pytest.raises(ValueError, match="unknown date style"):
        format_date("2024-01-01", "weird")


def test_html_table_escapes_formats_and_captions():
    frame = pd.DataFrame(
        {
            "Arrêt": ["<script>alert(1)</script>", "Théâtre & Arts"],
            "Courses": [1234, 5],
            "Moyenne": [12.345, np.nan],
            "Jour": pd.to_datetime(["2024-03-05", "2024-03-06"]),
            "Accessible": [True, False],
        }
    )
    text = html_table(frame, "Courses <par> arrêt")
    assert "<caption>Courses &lt;par&gt; arrêt</caption>" in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text and "<script>" not in text
    assert "Théâtre &amp; Arts" in text
    assert f'<td class="rr-num">1{NNBSP}234</td>' in text
    assert '<td class="rr-num">12,3</td>' in text
    assert "<td>05/03/2024</td>" in text and "<td>oui</td>" in text
    assert '<th scope="col">Courses</th>' in text


def test_html_table_says_how_many_rows_are_left_out():
    frame = pd.DataFrame({"n": range(120)})
    text = html_table(frame, "Cent vingt", max_rows=50)
    assert text.count("<tr>") == 51  # header + 50 rows
    assert "50 premières lignes sur 120." in text
    assert "Aucune donnée." in html_table(frame.head(0), "Vide")
