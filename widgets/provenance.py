"""Where the numbers come from: the sources footer and the data warning banner.

Both take the ``DataProvenance`` objects returned by ``load_dataset`` (any object with
the same attributes will do): widgets never fetch data themselves. Every text coming
from a provenance is HTML-escaped; links are only made from http(s) addresses.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

import ipywidgets as widgets

from rouen_opendata.formatting import format_date

if TYPE_CHECKING:
    from rouen_opendata import DataProvenance

log = logging.getLogger(__name__)

GENERATED_TITLE = "Données d'exemple générées"
"""Same words as ``rouen_opendata.GENERATED_LABEL``: the label a generated sample carries."""


def _as_list(provenances: DataProvenance | Iterable[DataProvenance]) -> list[DataProvenance]:
    items = [provenances] if hasattr(provenances, "title") else list(provenances)
    unique: dict[str, DataProvenance] = {}
    for item in items:
        unique.setdefault(getattr(item, "key", None) or item.title, item)
    return list(unique.values())


def _link(text: str, url: str | None) -> str:
    label = html.escape(text)
    if url and url.lower().startswith(("https://", "http://")):
        return (
            f'<a href="{html.escape(url, quote=True)}" target="_blank" rel="noopener">{label}</a>'
        )
    return label


UNKNOWN_DATE = "date non communiquée"
"""Said instead of a date the dataset card does not give."""


def _dated(what: str, value: str | None) -> str:
    """« données du 5 mars 2024 », or « données, date non communiquée » without a date."""
    return f"{what} du {format_date(value)}" if value else f"{what}, {UNKNOWN_DATE}"


def _nature(prov: DataProvenance) -> str:
    if prov.generated:
        return f"<strong>{html.escape(GENERATED_TITLE)}</strong> (jeu non publié)"
    if prov.fallback_reason is not None:
        return f"données réelles, {_dated('copie hors ligne', prov.offline_since)}"
    if getattr(prov, "source", "snapshot") == "live":
        read_at = getattr(prov, "read_at", None)
        when = f" le {format_date(read_at)}" if read_at else ""
        return f"données réelles, lues en direct sur le portail{when}"
    fetched = getattr(prov, "fetched_at", None)
    return f"données réelles, {_dated('copie', fetched)}" if fetched else "données réelles"


def provenance_html(provenances: DataProvenance | Iterable[DataProvenance]) -> str:
    """The sources footer as HTML text (see :func:`provenance_footer`)."""
    items = []
    for prov in _as_list(provenances):
        publisher = getattr(prov, "publisher", "")
        parts = [
            _link(prov.title, prov.page_url),
            html.escape(publisher) if publisher else "",
            "licence : " + _link(prov.licence, prov.licence_url),
            html.escape(
                f"données du {format_date(prov.data_date)}" if prov.data_date else UNKNOWN_DATE
            ),
            _nature(prov),
        ]
        items.append(f"<li>{' — '.join(p for p in parts if p)}</li>")
    return (
        '<footer class="rr-provenance"><h2 class="rr-provenance-title">Sources des données</h2>'
        f"<ul>{''.join(items)}</ul></footer>"
    )


def provenance_footer(provenances: DataProvenance | Iterable[DataProvenance]) -> widgets.HTML:
    """One line per dataset: title linked to its page, publisher, licence (linked),
    date of the data, and whether the data are real or a generated sample."""
    footer = widgets.HTML(provenance_html(provenances))
    footer.add_class("rr-provenance-box")
    return footer


def banner_html(provenances: DataProvenance | Iterable[DataProvenance]) -> str:
    """The warning banner as HTML text; empty when every dataset is real and current."""
    items = _as_list(provenances)
    notes = []
    generated = [p for p in items if p.generated]
    if generated:
        titles = ", ".join(f"« {html.escape(p.title)} »" for p in generated)
        notes.append(
            f"<p><strong>{html.escape(GENERATED_TITLE)}</strong> : {titles} "
            f"{'n’est' if len(generated) == 1 else 'ne sont'} pas "
            f"publié{'' if len(generated) == 1 else 's'} sur le portail. Les chiffres "
            "affichés viennent d’un échantillon fabriqué pour l’exemple : ils montrent "
            "la méthode, pas la réalité.</p>"
        )
    for prov in items:
        if prov.fallback_reason is None:
            continue
        label = next(
            (text for text in getattr(prov, "labels", []) if text.startswith("Données hors ligne")),
            _dated("Données hors ligne", prov.offline_since),
        )
        notes.append(
            f"<p><strong>{html.escape(label)}</strong> : le portail "
            f"n’a pas pu être consulté pour « {html.escape(prov.title)} » "
            f"({html.escape(prov.fallback_reason)}). Les chiffres viennent de la dernière "
            "copie enregistrée.</p>"
        )
    if not notes:
        return ""
    return f'<div class="rr-banner" role="note">{"".join(notes)}</div>'


def generated_banner(provenances: DataProvenance | Iterable[DataProvenance]) -> widgets.HTML:
    """A visible banner when any dataset is a generated sample or an offline copy.

    It says « Données d'exemple générées » (the dataset is not published, numbers are
    illustrative) and/or « Données hors ligne du <date> » (the live read failed).
    The widget is hidden when there is nothing to say.
    """
    text = banner_html(provenances)
    banner = widgets.HTML(text, layout=widgets.Layout(display="" if text else "none"))
    banner.add_class("rr-banner-box")
    return banner
