"""« Réutiliser ces données » : the portal request behind a view, ready to copy.

Beside a chart, a map or a table, an :class:`ApiRequest` shows the Explore API URL
that produces it (JSON, opens in a browser), the same result as a CSV export, and a
ready-to-run pandas line. It is a ``<details>`` disclosure, so it stays out of the way
and opens without a kernel. Every text is HTML-escaped; only http(s) addresses become
links.
"""

from __future__ import annotations

import html
import logging

import ipywidgets as widgets

log = logging.getLogger(__name__)

SUMMARY = "Réutiliser ces données (API du portail)"
"""Label of the disclosure."""
_WRAP = "word-break: break-all; overflow-wrap: anywhere; white-space: pre-wrap;"
"""Long URLs wrap on a phone instead of widening the page."""


def _address(url: str) -> str:
    code = f'<code style="{_WRAP}">{html.escape(url)}</code>'
    if url.lower().startswith(("https://", "http://")):
        href = html.escape(url, quote=True)
        return f'<a href="{href}" target="_blank" rel="noopener">{code}</a>'
    return code


def api_request_html(
    records_url: str,
    export_url: str = "",
    snippet: str = "",
    *,
    description: str = "",
    note: str = "",
) -> str:
    """The disclosure as HTML text (see :class:`ApiRequest`)."""
    parts = [f"<p>{html.escape(description)}</p>"] if description else []
    parts.append("<p><strong>Requête au portail</strong> (réponse JSON) :</p>")
    parts.append(f"<p>{_address(records_url)}</p>")
    if export_url:
        parts.append("<p><strong>Le même résultat en fichier CSV</strong> :</p>")
        parts.append(f"<p>{_address(export_url)}</p>")
    if snippet:
        parts.append("<p><strong>En Python, avec pandas</strong> :</p>")
        parts.append(f'<pre style="{_WRAP}"><code>{html.escape(snippet)}</code></pre>')
    if note:
        parts.append(f'<p class="rr-table-note">{html.escape(note)}</p>')
    return (
        f'<details class="rr-details rr-api"><summary>{html.escape(SUMMARY)}</summary>'
        f"{''.join(parts)}</details>"
    )


class ApiRequest(widgets.HTML):
    """The request behind a view; ``update(...)`` when the view's query changes."""

    def __init__(self, records_url: str = "", export_url: str = "", snippet: str = "", **text):
        super().__init__(layout=widgets.Layout(width="100%"))
        self.add_class("rr-api-box")
        self.records_url = ""
        self.update(records_url, export_url, snippet, **text)

    def update(
        self,
        records_url: str,
        export_url: str = "",
        snippet: str = "",
        *,
        description: str = "",
        note: str = "",
    ) -> None:
        """Show another request; an empty ``records_url`` hides the widget."""
        self.records_url = records_url
        self.value = (
            api_request_html(records_url, export_url, snippet, description=description, note=note)
            if records_url
            else ""
        )
        self.layout.display = "" if records_url else "none"


def api_request(
    records_url: str,
    export_url: str = "",
    snippet: str = "",
    *,
    description: str = "",
    note: str = "",
) -> ApiRequest:
    """A « Réutiliser ces données » disclosure.

    Parameters
    ----------
    records_url
        Explore API records URL giving the view's numbers (JSON).
    export_url
        The same query as an export (CSV), for spreadsheets and pandas.
    snippet
        Python lines reproducing the view (shown as code, escaped).
    description
        What the request answers, in French.
    note
        A caveat, e.g. that the dataset is a generated sample the portal does not serve.
    """
    return ApiRequest(records_url, export_url, snippet, description=description, note=note)
