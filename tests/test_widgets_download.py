"""The CSV download link carries the table itself, readable by a French spreadsheet."""

from __future__ import annotations

import html
import re
from urllib.parse import unquote

import pandas as pd

from widgets.download import csv_data_uri, csv_download, csv_text, safe_filename


def _frame() -> pd.DataFrame:
    return pd.DataFrame({"Commune": ['Saint-Étienne; "nord"', "Rouen"], "Part": [0.5, 12.25]})


def test_csv_text_is_french_spreadsheet_csv():
    text = csv_text(_frame())
    assert text.startswith("\ufeffCommune;Part\r\n")
    assert '"Saint-Étienne; ""nord""";0,5\r\n' in text and "Rouen;12,25\r\n" in text


def test_data_uri_round_trips():
    uri = csv_data_uri(_frame())
    assert uri.startswith("data:text/csv;charset=utf-8,")
    assert unquote(uri.split(",", 1)[1]) == csv_text(_frame())
    assert not re.search(r"[\s\"'<>;]", uri.split(",", 1)[1])  # nothing left to break out


def test_link_updates_with_the_table_and_escapes_the_name():
    link = csv_download(_frame(), 'carte "croisée".csv')
    assert link.filename == "carte-crois-e.csv" and link.rows == 2
    href = re.search(r'href="([^"]+)"', link.value).group(1)
    assert html.unescape(href) == link.href == csv_data_uri(_frame())
    assert 'download="carte-crois-e.csv"' in link.value and "2\u00a0lignes" in link.value
    seen = []
    link.observe(lambda change: seen.append(change["new"]), names="value")
    link.update(_frame().head(1), "autre")
    assert len(seen) == 1 and link.rows == 1 and link.filename == "autre.csv"
    assert safe_filename("") == "tableau.csv"
