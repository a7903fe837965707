"""« Réutiliser ces données »: the request behind a view, escaped, linked only when http(s)."""

from __future__ import annotations

from widgets.api_request import SUMMARY, api_request

URL = 'https://data.example.fr/api/explore/v2.1/catalog/datasets/x/records?where=a%20%3D%20"b"&limit=1'


def test_urls_are_links_with_escaped_text_and_attributes():
    shown = api_request(URL, URL.replace("/records?", "/exports/csv?"), 'pd.read_csv("<x>")')
    assert f"<summary>{SUMMARY}</summary>" in shown.value
    escaped = URL.replace("&", "&amp;").replace('"', "&quot;")
    assert f'<a href="{escaped}" target="_blank" rel="noopener">' in shown.value
    assert '"b"&limit' not in shown.value  # never raw in an attribute or in text
    assert "pd.read_csv(&quot;&lt;x&gt;&quot;)" in shown.value
    assert shown.value.count("<a href=") == 2


def test_other_schemes_are_shown_as_text_only():
    shown = api_request("javascript:alert(1)", description="<b>Comptes</b>", note="Note & co")
    assert "<a " not in shown.value and "javascript:alert(1)" in shown.value
    assert "&lt;b&gt;Comptes&lt;/b&gt;" in shown.value and "Note &amp; co" in shown.value
    assert "CSV" not in shown.value and "pandas" not in shown.value


def test_update_changes_the_request_and_an_empty_one_hides_it():
    shown = api_request(URL)
    shown.update(URL.replace("limit=1", "limit=2"), description="Deux")
    assert "limit=2" in shown.value and "limit=1" not in shown.value
    assert shown.records_url.endswith("limit=2") and shown.layout.display == ""
    shown.update("")
    assert shown.value == "" and shown.layout.display == "none"
