"""Key figure cards: French figures, trend in symbols and in words, in-place updates."""

from __future__ import annotations

from rouen_opendata.formatting import NNBSP
from widgets import kpi_card, kpi_row
from widgets.indicators import trend_text


def test_card_shows_value_unit_and_help_escaped():
    card = kpi_card("Courses <jour>", 1234.5, "courses", decimals=1, help="Moyenne & total")
    assert f"1{NNBSP}234,5" in card.value and "courses" in card.value
    assert "Courses &lt;jour&gt;" in card.value and "Moyenne &amp; total" in card.value
    assert card.text == f"1{NNBSP}234,5\u00a0courses"
    assert "rr-kpi-trend" not in card.value  # no previous value, no trend


def test_trend_is_written_for_screen_readers():
    card = kpi_card("Courses", 90, previous=120, previous_label="un mardi moyen")
    assert "▼ -25\u00a0%" in card.value
    assert '<span class="rr-sr-only">en baisse de 25\u00a0%</span>' in card.value
    assert "par rapport à un mardi moyen" in card.value
    assert 'aria-hidden="true">▼' in card.value


def test_trend_cases():
    assert trend_text(110, 100) == ("rr-up", "▲ +10\u00a0%", "en hausse de 10\u00a0%")
    assert trend_text(100.2, 100)[0] == "rr-flat"
    assert trend_text(5, 0)[1] == "▲ nouveau"
    assert trend_text(None, 3) == ("", "", "")
    assert trend_text(103, 100)[1] == "▲ +3,0\u00a0%"  # one decimal under 10 %


def test_update_changes_the_card_in_place_and_row_wraps():
    card = kpi_card("Lignes", 110)
    row = kpi_row([card, kpi_card("Arrêts", None)])
    seen = []
    card.observe(lambda change: seen.append(change["new"]), names="value")
    card.update(4, label="Lignes TEOR")
    assert seen and "Lignes TEOR" in card.value and ">4<" in card.value
    assert "rr-kpi-row" in row._dom_classes and row.layout.flex_flow == "row wrap"
    assert "(non disponible)" in row.children[1].value and "–" in row.children[1].value


def test_a_change_is_signed():
    card = kpi_card("Évolution sur un an", 4.0, "%", decimals=1, signed=True)
    assert card.text == "+4,0\u00a0%" and ">+4,0<" in card.value
    card.update(-2.25)
    assert card.text == "-2,2\u00a0%"  # rounded half to even, as everywhere
    card.update(0.01)
    assert card.text == "0,0\u00a0%"
    assert kpi_card("Lignes", 4).text == "4"  # figures are not signed by default
