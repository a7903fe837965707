"""How the Explorateur's views are worded: table headers, « Réutiliser » texts, choices.

The views are computed by :mod:`analyses.explore_page` and drawn by
:mod:`widgets.explore_board`; this module gives the words around them (French dates,
the fields' labels as headers, the note saying where the figures come from).
"""

from __future__ import annotations

import logging

import ipywidgets as ipw
import pandas as pd

from analyses.explore_queries import ApiQuery
from analyses.explore_sources import Source
from rouen_opendata.formatting import format_date

log = logging.getLogger(__name__)

PAGING_LIMIT_NOTE = (
    "Le portail ne donne page par page que les 10 000 premières lignes : "
    "l'export CSV ci-dessous les contient toutes."
)


def preview_table(source: Source, frame: pd.DataFrame) -> pd.DataFrame:
    """A page of the preview as shown: field labels as headers, date-times with the hour."""
    shown = frame.copy()
    for info in source.plan.table:
        if info.type == "datetime" and info.name in shown.columns:
            shown[info.name] = shown[info.name].dt.strftime("%d/%m/%Y %H:%M").astype("string")
    return shown.rename(columns={f.name: f.title for f in source.plan.table})


def figures_note(source: Source) -> str:
    """Where the figures of a view come from, when it is not the portal answering now."""
    prov = source.provenance
    if source.live:
        if source.on_portal:
            return ""
        return (
            f"Le portail n'a pas fait ce calcul ({source.export_reason}) : les chiffres "
            "affichés sont calculés sur l'export complet du jeu, lu sur le portail."
        )
    if prov.generated:
        return (
            "Ce jeu est un exemple généré : le portail ne le publie pas sous cette forme, "
            "l'adresse montre la requête à envoyer s'il l'était."
        )
    copied = format_date(prov.fetched_at) if prov.fetched_at else "date inconnue"
    return (
        f"Les chiffres affichés viennent de la copie du {copied} ; sur le portail, cette "
        "requête donne ceux du jour (les noms de champs de la copie peuvent différer)."
    )


def reuse_texts(source: Source, query: ApiQuery) -> dict[str, str]:
    """What the « Réutiliser ces données » disclosure of a view shows."""
    reads = source.reads
    return {
        "records_url": query.records_url(reads),
        "export_url": query.export_url(reads),
        "snippet": query.snippet(reads),
        "description": query.description,
        "note": figures_note(source),
    }


def add_option(control: ipw.Dropdown, label: str, value: str) -> str:
    """Offer ``value`` in a drop-down (under ``label``) if it is not among its options:
    the page keeps what an address or a notebook asked for, and says what it made of it."""
    if value not in [v for _, v in control.options]:
        control.options = [*control.options, (label, value)]
    return value
