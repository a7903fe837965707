"""A table paged by a function: buttons move the page trait, the fetch gives the rows."""

from __future__ import annotations

import pandas as pd

from widgets.paged_table import paged_table

ROWS = pd.DataFrame({"nom": [f"ligne <{i}>" for i in range(45)], "n": range(45)})


def _fetcher(calls: list[int]):
    def fetch(page: int) -> pd.DataFrame:
        calls.append(page)
        return ROWS.iloc[page * 20 : (page + 1) * 20]

    return fetch


def test_buttons_move_through_the_pages_and_stop_at_the_ends():
    calls: list[int] = []
    table = paged_table(_fetcher(calls), len(ROWS), 20, "Lignes")
    assert calls == [0] and table.previous.disabled and not table.next.disabled
    assert "ligne &lt;0&gt;" in table.table.value and "Lignes 1 à 20 sur 45" in table.status.value
    table.next.click()
    table.next.click()
    assert table.page == 2 and calls == [0, 1, 2] and table.next.disabled
    assert "Lignes 41 à 45 sur 45" in table.status.value and "ligne &lt;44&gt;" in table.table.value
    table.next.click()
    assert table.page == 2 and calls == [0, 1, 2]
    table.previous.click()
    assert table.page == 1 and not table.previous.disabled


def test_a_last_page_limit_says_where_the_rest_is():
    table = paged_table(
        _fetcher([]), len(ROWS), 20, "Lignes", last_page=1, limit_note="Voir <l'export>."
    )
    table.page = 5
    table.page = table.last_page
    assert table.last_page == 1 and table.next.disabled
    assert "Voir &lt;l&#x27;export&gt;." in table.status.value


def test_reset_returns_to_the_first_page_with_new_rows():
    calls: list[int] = []
    table = paged_table(_fetcher(calls), len(ROWS), 20, "Lignes")
    table.page = 2
    table.reset(lambda page: ROWS.iloc[:0], 0)
    assert table.page == 0 and table.next.disabled and "Aucune ligne" in table.status.value
    assert "Aucune donnée" in table.table.value
