"""A French notice above a dashboard's body: something the reader must know first.

Used when a dashboard could not do exactly what was asked (a dataset key that does not
exist, a choice that does not apply) but still shows something useful. Same look as
the data warning banner; hidden when there is nothing to say.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Sequence

import ipywidgets as widgets

log = logging.getLogger(__name__)


def notice_html(
    message: str,
    title: str = "À savoir",
    details: Sequence[str] = (),
    details_title: str = "Détails",
) -> str:
    """The notice as escaped HTML text; empty when ``message`` is empty.

    ``details`` (a long list: every dataset one may choose…) go behind a native
    ``<details>`` disclosure titled ``details_title``, so the notice stays one sentence.
    """
    if not message.strip():
        return ""
    more = ""
    if details:
        items = "".join(f"<li>{html.escape(item)}</li>" for item in details)
        more = (
            f'<details class="rr-details"><summary>{html.escape(details_title)}</summary>'
            f"<ul>{items}</ul></details>"
        )
    return (
        '<div class="rr-banner rr-notice" role="status">'
        f"<p><strong>{html.escape(title)}</strong> : {html.escape(message)}</p>{more}</div>"
    )


def notice_banner(message: str = "", title: str = "À savoir") -> widgets.HTML:
    """A banner showing ``message`` (plain French text, escaped); hidden when empty.

    Change it later with :func:`set_notice`.
    """
    banner = widgets.HTML(layout=widgets.Layout(width="100%"))
    banner.add_class("rr-notice-box")
    set_notice(banner, message, title)
    return banner


def set_notice(
    banner: widgets.HTML,
    message: str,
    title: str = "À savoir",
    details: Sequence[str] = (),
    details_title: str = "Détails",
) -> None:
    """Replace the banner's message (see :func:`notice_html`); an empty message hides it."""
    banner.value = notice_html(message, title, details, details_title)
    banner.layout.display = "" if banner.value else "none"
