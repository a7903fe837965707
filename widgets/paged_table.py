"""A table shown one page at a time, with « Précédent » / « Suivant » buttons.

The rows of a page come from a function (``fetch(page) -> DataFrame``), so a large
dataset is never loaded whole: a notebook passes a function asking the portal for one
page, or slicing a frame. The first page is part of the static page; the buttons work
where a kernel runs (Voilà, JupyterLab).
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable

import ipywidgets as widgets
import pandas as pd
import traitlets

from rouen_opendata.formatting import format_number

from .tables import html_table

log = logging.getLogger(__name__)

Fetch = Callable[[int], pd.DataFrame]


class PagedTable(widgets.VBox):
    """Pages of rows; ``page`` is a trait (0-based) that the buttons move.

    Parameters
    ----------
    fetch
        ``fetch(page)`` returns the rows of that page.
    total
        Rows in all (for « lignes 21 à 40 sur 3 000 »).
    page_size
        Rows per page (what ``fetch`` returns).
    caption
        What the table shows (read first by screen readers).
    last_page
        Last page reachable (e.g. the API's 10,000-row limit); default: from ``total``.
    limit_note
        Shown on the last reachable page when rows remain beyond it.
    """

    page = traitlets.Int(0)

    def __init__(
        self,
        fetch: Fetch,
        total: int,
        page_size: int,
        caption: str,
        *,
        last_page: int | None = None,
        limit_note: str = "",
    ) -> None:
        self.caption, self.page_size, self.limit_note = caption, page_size, limit_note
        self.table = widgets.HTML(layout=widgets.Layout(width="100%"))
        self.status = widgets.HTML()
        self.previous = widgets.Button(description="Précédent", icon="arrow-left")
        self.next = widgets.Button(description="Suivant", icon="arrow-right")
        self.previous.on_click(lambda _: self._move(-1))
        self.next.on_click(lambda _: self._move(1))
        bar = widgets.HBox(
            [self.previous, self.next, self.status],
            layout=widgets.Layout(flex_flow="row wrap", align_items="center", width="100%"),
        )
        super().__init__([self.table, bar], layout=widgets.Layout(width="100%"))
        self.add_class("rr-paged-table")
        self.observe(self._show, names="page")
        self.reset(fetch, total, last_page=last_page)

    @property
    def last_page(self) -> int:
        return self._last_page

    def reset(self, fetch: Fetch, total: int, *, last_page: int | None = None) -> None:
        """New rows (a new selection): back to the first page."""
        self.fetch, self.total = fetch, max(0, int(total))
        pages = max(1, -(-self.total // self.page_size))
        self._last_page = pages - 1 if last_page is None else max(0, min(last_page, pages - 1))
        if self.page == 0:
            self._show()
        else:
            self.page = 0

    def _move(self, step: int) -> None:
        self.page = max(0, min(self.page + step, self._last_page))

    def _show(self, _change: dict | None = None) -> None:
        rows = self.fetch(self.page)
        self.table.value = html_table(rows, self.caption, max_rows=self.page_size)
        first = self.page * self.page_size + 1
        last = self.page * self.page_size + len(rows)
        text = (
            f"Lignes {format_number(first)} à {format_number(last)} sur {format_number(self.total)}"
            if len(rows)
            else "Aucune ligne"
        )
        beyond = self.page == self._last_page and last < self.total and self.limit_note
        note = f" {html.escape(self.limit_note)}" if beyond else ""
        self.status.value = f'<span class="rr-table-note">{text}.{note}</span>'
        self.previous.disabled = self.page == 0
        self.next.disabled = self.page >= self._last_page


def paged_table(fetch: Fetch, total: int, page_size: int, caption: str, **options) -> PagedTable:
    """A table paged by ``fetch(page)``; options: ``last_page``, ``limit_note``."""
    return PagedTable(fetch, total, page_size, caption, **options)
