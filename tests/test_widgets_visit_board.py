"""The « quand y aller ? » figures, read from their traits after a draw (no browser)."""

from __future__ import annotations

import ipywidgets as ipw
from test_analyses_attendance import _frame

from analyses.visit_times import day_view
from widgets.visit_board import VisitFigures, in_words, period_text


def test_draw_answers_in_french_and_fills_the_week_and_months():
    rows = _frame(days=84)
    figures = VisitFigures(period_text(rows["date"].min().date(), rows["date"].max().date()))
    assert figures.period == "de janvier 2024 à mars 2024"
    figures.draw(day_view(rows, "PIS-01", 5), "Piscine A")
    assert "Piscine A, le samedi" in figures.answer.value
    assert "chargé" in figures.answer.value
    assert "de janvier 2024 à mars 2024" in figures.answer.value
    assert figures.by_month.values[0] == 200
    assert "Affluence habituelle jour par jour : Piscine A" in figures.week.value
    assert len(figures.sections(ipw.HTML())) == 4


def test_a_closed_day_says_so_and_lists_its_months():
    rows = _frame(days=84)
    figures = VisitFigures("de janvier 2024 à mars 2024")
    figures.draw(day_view(rows, "PIS-01", 0), "Piscine A")
    assert "Ouvert 0 lundi sur 12" in figures.answer.value
    assert in_words(["juin", "juillet", "août"]) == "juin, juillet et août"
    assert in_words(["mai"]) == "mai"
