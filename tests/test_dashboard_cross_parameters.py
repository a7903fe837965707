"""dashboard.Page with parameters checked together: a drop-down whose options depend on
other parameters (the lines of a mode), and a value checked with, or derived from, others
(an empty start a month before the end, a start after the end refused).

The page runs in a fake kernel (its namespace, the parameters cell in its history), and a
visit the way Voilà runs a kernel that is not preheated (``VOILA_PREHEAT=False`` and the
visitor's ``QUERY_STRING`` in the environment).
"""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

import ipywidgets
import pytest

import dashboard
import dashboard.page
import widgets as w
from dashboard.exceptions import ControlError, ParameterError

LINES = {
    "Tous": [("Toutes les lignes", "Toutes"), ("T4 · Zénith", "T4"), ("F1 · Boulingrin", "F1")],
    "TEOR": [("Toutes les lignes", "Toutes"), ("T4 · Zénith", "T4")],
    "Bus": [("Toutes les lignes", "Toutes"), ("F1 · Boulingrin", "F1"), ("Gare routière", "G7")],
}
MODES = list(LINES)
FIRST, LAST = date(2023, 1, 1), date(2024, 12, 31)
LINES_CELL = 'mode: str = "Tous"  # mode\nligne: str = "Toutes"  # ligne\n'
PERIOD_CELL = 'debut: str = ""  # premier jour\nfin: str = ""  # dernier jour\n'


@pytest.fixture
def notebook(monkeypatch: pytest.MonkeyPatch):
    """``notebook(cell, query, **values)`` → a Page in a fake kernel that ran ``cell`` (its
    parameters cell) then papermill's ``values``; ``query`` None: outside Voilà."""

    def start(cell: str, query: str | None = None, **values):
        ns = {"In": ["", cell]}
        exec(cell, {}, ns)
        ns.update(values)
        monkeypatch.setattr(dashboard.kernel, "namespace", lambda: ns)
        monkeypatch.setattr(dashboard.page, "display", lambda *objects: None)
        if query is None:
            monkeypatch.delenv("VOILA_PREHEAT", raising=False)
        else:
            monkeypatch.setenv("VOILA_PREHEAT", "False")
            monkeypatch.setenv("QUERY_STRING", query)
        return dashboard.Page()

    return start


def notice(page: dashboard.Page) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", page.address.notice.children[0].value))


def url_state(page: dashboard.Page) -> str:
    return page.address.notice.children[1].value


def lines_page(page: dashboard.Page) -> tuple[w.ParameterControls, list[dict]]:
    """Mode and line drop-downs, the lines following the mode; every drawing recorded."""
    controls = page.controls(
        mode=w.dropdown("Mode", MODES),
        ligne=w.dropdown("Ligne", LINES["Tous"]),
        options={"ligne": lambda mode: LINES[mode]},
    )
    drawn: list[dict] = []
    page.draw(lambda values: drawn.append(dict(values)) or len(drawn))
    return controls, drawn


def test_the_lines_offered_are_those_of_the_notebooks_mode(notebook) -> None:
    page = notebook(LINES_CELL, mode="TEOR", ligne="T4")
    controls, drawn = lines_page(page)
    assert controls.controls["ligne"].options == tuple(LINES["TEOR"])
    assert drawn == [{"mode": "TEOR", "ligne": "T4"}]
    with pytest.raises(
        ParameterError,
        match="« F1 » n'est pas un choix possible pour « Ligne » quand « Mode » vaut « TEOR »",
    ):
        lines_page(notebook(LINES_CELL, mode="TEOR", ligne="F1"))


def test_the_static_page_is_told_which_parameters_a_drop_downs_options_follow(notebook) -> None:
    page = notebook(LINES_CELL, mode="TEOR", ligne="T4")
    controls, _ = lines_page(page)
    described = {part["name"]: part for part in controls.rr_parameters}
    assert described["ligne"]["follows"] == ["mode"]
    assert described["ligne"]["values"] == ["Toutes", "T4"]
    assert "follows" not in described["mode"]


def test_a_line_of_another_mode_in_the_address_is_refused_in_the_addresss_words(
    notebook,
) -> None:
    page = notebook(LINES_CELL, "mode=Bus&ligne=T4")
    controls, drawn = lines_page(page)
    page.show(ipywidgets.VBox())
    assert controls.values == {"mode": "Bus", "ligne": "Toutes"}  # the valid part applies
    assert drawn == [{"mode": "Tous", "ligne": "Toutes"}, {"mode": "Bus", "ligne": "Toutes"}]
    text = notice(page)
    assert "« T4 » n'est pas un choix possible pour « ligne » quand « mode » vaut « Bus »" in text
    # Every choice behind the disclosure; a label only where it says what the value does not.
    assert "(choix possibles : « Toutes », « F1 », « G7 » (Gare routière))" in text
    assert len(page.address.problems) == 1


def test_a_line_is_checked_after_its_mode_whatever_the_order_of_the_address(notebook) -> None:
    page = notebook(LINES_CELL, "ligne=T4&mode=TEOR")
    controls, drawn = lines_page(page)
    page.show(ipywidgets.VBox())
    assert controls.values == {"mode": "TEOR", "ligne": "T4"} and page.address.problems == []
    assert drawn[-1] == controls.values and len(drawn) == 2
    assert controls.controls["ligne"].options == tuple(LINES["TEOR"])


def test_a_mode_from_the_address_takes_the_notebooks_line_back_to_the_first(notebook) -> None:
    page = notebook(LINES_CELL, "mode=Bus", ligne="T4")  # papermill ran it on line T4
    controls, _ = lines_page(page)
    page.show(ipywidgets.VBox())
    assert controls.values == {"mode": "Bus", "ligne": "Toutes"}
    assert page.address.problems == []  # the visitor asked for nothing wrong


def test_changing_the_mode_offers_its_lines_and_draws_once(notebook) -> None:
    page = notebook(LINES_CELL, "mode=TEOR&ligne=T4")
    controls, drawn = lines_page(page)
    page.show(ipywidgets.VBox())
    before = len(drawn)
    controls.controls["mode"].value = "Bus"
    assert controls.controls["ligne"].options == tuple(LINES["Bus"])
    assert drawn[before:] == [{"mode": "Bus", "ligne": "Toutes"}]  # once, and consistent
    assert url_state(page) == '<span data-rr-query="mode=Bus"></span>'
    controls.controls["ligne"].value = "F1"
    controls.controls["mode"].value = "Tous"  # F1 is offered there too: it stays
    assert controls.values == {"mode": "Tous", "ligne": "F1"}
    assert url_state(page) == '<span data-rr-query="ligne=F1"></span>'


def _day(text: str) -> date:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"« {text} » n'est pas une date AAAA-MM-JJ") from None
    if not FIRST <= day <= LAST:
        raise ValueError(f"le {text} est hors des données")
    return day


def end_of(fin: str) -> date:
    return _day(fin) if fin else LAST


def start_of(debut: str, fin: str) -> date:
    """Empty: thirty days before the end; after the end: refused."""
    end = end_of(fin)
    start = _day(debut) if debut else end - timedelta(days=30)
    if start > end:
        raise ValueError(f"la période commence ({start}) après sa fin ({end})")
    return start


def period_page(page: dashboard.Page) -> w.ParameterControls:
    controls = page.controls(
        {("debut", "fin"): w.date_range("Période", None, None, min=FIRST, max=LAST)},
        accept={"debut": start_of, "fin": end_of},
    )
    page.draw(dict)
    return controls


def test_an_empty_start_is_derived_from_the_end(notebook) -> None:
    assert period_page(notebook(PERIOD_CELL)).values == {
        "debut": "2024-12-01",
        "fin": LAST.isoformat(),
    }
    page = notebook(PERIOD_CELL, fin="2024-03-31")
    assert period_page(page).values == {"debut": "2024-03-01", "fin": "2024-03-31"}
    with pytest.raises(ParameterError, match=r"la période commence \(2024-06-01\) après sa fin"):
        period_page(notebook(PERIOD_CELL, debut="2024-06-01", fin="2024-01-01"))


def test_an_end_alone_in_the_address_moves_the_derived_start(notebook) -> None:
    page = notebook(PERIOD_CELL, "fin=2024-03-31")
    controls = period_page(page)
    page.show(ipywidgets.VBox())
    assert page.view == controls.values == {"debut": "2024-03-01", "fin": "2024-03-31"}
    assert page.address.problems == []


def test_a_start_after_the_end_is_refused_and_derived_from_the_end(notebook) -> None:
    page = notebook(PERIOD_CELL, "debut=2024-06-01&fin=2024-01-01")
    controls = period_page(page)
    page.show(ipywidgets.VBox())
    assert controls.values == {"debut": "2023-12-02", "fin": "2024-01-01"}  # the end applies
    assert "la période commence (2024-06-01) après sa fin (2024-01-01)" in notice(page)
    assert [str(p) for p in page.address.problems] == [
        "la période commence (2024-06-01) après sa fin (2024-01-01)"
    ]
    wrong = notebook(PERIOD_CELL, "debut=1er+mars&fin=2024-03-31")
    controls = period_page(wrong)
    wrong.show(ipywidgets.VBox())
    assert controls.values == {"debut": "2024-03-01", "fin": "2024-03-31"}
    assert "« 1er mars » n'est pas une date AAAA-MM-JJ" in notice(wrong)


def test_an_end_before_the_notebooks_start_is_refused(notebook) -> None:
    page = notebook(PERIOD_CELL, "fin=2024-01-01", debut="2024-06-01")
    controls = period_page(page)
    page.show(ipywidgets.VBox())
    assert controls.values == {"debut": "2024-06-01", "fin": LAST.isoformat()}
    assert "la période commence (2024-06-01) après sa fin (2024-01-01)" in notice(page)
    assert page.address.from_url == {} and len(page.address.problems) == 1


def test_checks_that_cannot_be_ordered_or_name_no_parameter_are_refused(notebook) -> None:
    with pytest.raises(ControlError, match="debut → fin → debut"):
        notebook(PERIOD_CELL).controls(
            {("debut", "fin"): w.date_range("Période", None, None)},
            accept={"debut": start_of, "fin": lambda fin, debut: end_of(fin)},
        )
    with pytest.raises(ControlError, match="moyen n'en est pas un"):
        notebook(LINES_CELL).controls(
            mode=w.dropdown("Mode", MODES),
            ligne=w.dropdown("Ligne", LINES["Tous"]),
            options={"ligne": lambda moyen: LINES[moyen]},
        )
