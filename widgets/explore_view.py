"""How the Explorateur's views are worded and shown: table headers, « Réutiliser » texts.

The views themselves are computed by :mod:`analyses.explore_page`; this module only
turns them into what a citizen reads (French dates, field labels as headers, the note
saying where the figures come from).
"""

from __future__ import annotations

import logging

import pandas as pd

from analyses.explore_queries import ApiQuery
from analyses.explore_sources import Source
from rouen_opendata.formatting import format_date

log = logging.getLogger(__name__)


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
