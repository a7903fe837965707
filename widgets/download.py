"""A « download the table » link that works with or without a kernel.

The table travels inside the link itself (a ``data:text/csv`` address), so the link
works in the static gallery page as well as in a live dashboard, and follows the
controls when the table changes. The CSV is what a French spreadsheet opens directly:
semicolons between columns, decimal commas, UTF-8 with a byte-order mark.
"""

from __future__ import annotations

import html
import logging
import re
from urllib.parse import quote

import ipywidgets as widgets
import pandas as pd

from rouen_opendata.formatting import format_count

log = logging.getLogger(__name__)

MAX_BYTES = 500_000
"""Tables larger than this as CSV are not embedded (the page would grow too much)."""
_FILENAME = re.compile(r"[^A-Za-z0-9._-]+")


def csv_text(frame: pd.DataFrame, *, index: bool = False) -> str:
    """The table as French spreadsheet CSV text (``;``, decimal comma, CRLF, BOM)."""
    return "\ufeff" + frame.to_csv(sep=";", decimal=",", index=index, lineterminator="\r\n")


def csv_data_uri(frame: pd.DataFrame, *, index: bool = False) -> str:
    """A ``data:text/csv;charset=utf-8,…`` address holding the table, percent-encoded."""
    return "data:text/csv;charset=utf-8," + quote(csv_text(frame, index=index), safe="")


def safe_filename(name: str, default: str = "tableau.csv") -> str:
    """A file name with letters, digits, dots, dashes and underscores only, ending .csv."""
    stem = _FILENAME.sub("-", name.removesuffix(".csv")).strip("-.") or default.removesuffix(".csv")
    return f"{stem}.csv"


class CsvDownload(widgets.HTML):
    """A download link for a table; ``update(frame)`` replaces the table it carries.

    Attributes
    ----------
    rows
        Number of data rows in the current file.
    href
        The current ``data:`` address.
    """

    def __init__(
        self, frame: pd.DataFrame, filename: str, label: str = "Télécharger le tableau (CSV)"
    ) -> None:
        super().__init__(layout=widgets.Layout(width="100%"))
        self.label, self.filename = label, safe_filename(filename)
        self.rows, self.href = 0, ""
        self.add_class("rr-download")
        self.update(frame)

    def update(self, frame: pd.DataFrame, filename: str | None = None) -> None:
        """Carry ``frame`` (and optionally a new file name)."""
        if filename is not None:
            self.filename = safe_filename(filename)
        href = csv_data_uri(frame)
        if len(href) > MAX_BYTES * 3:
            log.warning("table of %d rows too large to embed as a download link", len(frame))
            self.rows, self.href = len(frame), ""
            self.value = (
                '<p class="rr-table-note">Le tableau est trop grand pour être téléchargé '
                "depuis cette page.</p>"
            )
            return
        self.rows, self.href = len(frame), href
        details = f"{format_count(len(frame), 'ligne')}, séparateur point-virgule, UTF-8"
        self.value = (
            f'<p><a href="{html.escape(href, quote=True)}" '
            f'download="{html.escape(self.filename, quote=True)}">'
            f"{html.escape(self.label)}</a> "
            f'<span class="rr-table-note">({html.escape(details)})</span></p>'
        )


def csv_download(
    frame: pd.DataFrame, filename: str, label: str = "Télécharger le tableau (CSV)"
) -> CsvDownload:
    """A link downloading ``frame`` as ``filename`` (CSV for French spreadsheets)."""
    return CsvDownload(frame, filename, label)
