"""Why a live read failed, said in French for citizens from the error's kind.

The exception's English message (with its URL, class name or temporary path) goes to
the log; what a page shows is :func:`french_reason` of the error, never its text.
"""

from __future__ import annotations

import logging
import zipfile
from datetime import datetime

import requests

from .exceptions import (
    AuthenticationError,
    DatasetNotFoundError,
    GbfsFeedError,
    IncompleteResultError,
    LiveDataMismatchError,
    PortalError,
    PortalTimeoutError,
    PortalUnavailableError,
    QueryError,
    RateLimitError,
    SchemaMismatchError,
    SnapshotError,
)
from .formatting import format_compact
from .transport import is_timeout

log = logging.getLogger(__name__)


def _reset_fr(reset_time: str | None) -> str:
    if not reset_time:
        return ""
    try:
        moment = datetime.fromisoformat(reset_time.replace("Z", "+00:00"))
    except ValueError:
        return ""
    return f" jusqu'au {moment.strftime('%d/%m/%Y à %H:%M')} (UTC)"


def french_reason(exc: BaseException, *, timeout: float | None = None) -> str:
    """A short French reason a citizen can read, chosen by the kind of ``exc``.

    Parameters
    ----------
    exc
        The error of the live read.
    timeout
        The read timeout in force, when the error does not carry it.
    """
    if isinstance(exc, PortalTimeoutError) or (
        isinstance(exc, requests.RequestException) and is_timeout(exc)
    ):
        wait = getattr(exc, "timeout", None) or timeout
        return (
            f"le portail n'a pas répondu dans les {format_compact(wait)} s"
            if wait
            else "le portail n'a pas répondu à temps"
        )
    if isinstance(exc, IncompleteResultError):
        if exc.received is not None and exc.expected:
            share = int(100 * exc.received / exc.expected)
            return f"le téléchargement s'est interrompu à {share} %"
        return "le portail a renvoyé moins de lignes qu'annoncé"
    if isinstance(exc, RateLimitError):
        return "le portail limite le nombre de requêtes" + _reset_fr(exc.reset_time)
    if isinstance(exc, QueryError):
        return "le portail a refusé la requête : paramètre ou expression invalide (erreur 400)"
    if isinstance(exc, AuthenticationError):
        return (
            f"le portail a refusé la requête : une clé d'accès est nécessaire "
            f"(erreur {exc.status or 401})"
        )
    if isinstance(exc, DatasetNotFoundError):
        return "le jeu de données est introuvable sur le portail (erreur 404)"
    if isinstance(exc, PortalUnavailableError):
        if exc.status:
            return f"le portail est indisponible (erreur {exc.status})"
        return "le portail est injoignable"
    if isinstance(exc, PortalError):
        return f"le portail a répondu par une erreur ({exc.status or 'sans code'})"
    if isinstance(exc, LiveDataMismatchError):
        return f"l'export compte {exc.rows} lignes au lieu des {exc.expected} annoncées"
    if isinstance(exc, GbfsFeedError):
        return f"le flux GBFS ne publie pas « {exc.feed} »"
    if isinstance(exc, SchemaMismatchError):
        return "les données du portail n'ont pas les champs attendus"
    if isinstance(exc, SnapshotError | zipfile.BadZipFile):
        return "le fichier téléchargé est illisible"
    if isinstance(exc, requests.RequestException):
        return "le portail est injoignable"
    return "la lecture en ligne a échoué"
