"""The personal-data rule: which column names name, reach or identify a person.

One rule for everyone who must not show personal data: the Explorateur leaves such
fields out of every view, and the contribution checker refuses notebooks that select or
display them.

« nom » and « name » alone are common for places, trees and stops: they count only
beside a column that clearly concerns a person (« prénom », « email », « téléphone »…).
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable

log = logging.getLogger(__name__)

PERSONAL_WORDS = {
    "prenom", "prenoms", "firstname", "lastname", "surname", "email", "emails", "mail",
    "courriel", "telephone", "tel", "phone", "naissance", "birthdate", "birthday", "iban",
    "nir",
}  # fmt: skip
"""Words of a column name that concern a person."""
PERSONAL_PHRASES = (
    "first_name", "last_name", "full_name", "given_name", "family_name", "nom_de_famille",
    "date_of_birth", "securite_sociale", "nom_prenom",
)  # fmt: skip
"""Parts of a (normalised) column name that concern a person."""
AMBIGUOUS = {"nom", "noms", "name", "names", "nom_complet"}
"""Names that are personal only beside a clearly personal column."""


def fold(text: str) -> str:
    """Lowercase without accents (``Prénom`` → ``prenom``), for tolerant comparisons."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def normalise(column: str) -> str:
    """``E-mail`` → ``e_mail``; ``Prénom`` → ``prenom``."""
    return re.sub(r"[^a-z0-9]+", "_", fold(column)).strip("_")


def _clearly_personal(column: str) -> bool:
    name = normalise(column)
    return bool(PERSONAL_WORDS & set(name.split("_"))) or any(p in name for p in PERSONAL_PHRASES)


def personal_columns(columns: Iterable[str]) -> list[str]:
    """The columns that look personal, in order; ambiguous names only beside clear ones."""
    columns = list(dict.fromkeys(c for c in columns if isinstance(c, str)))
    clear = [c for c in columns if _clearly_personal(c)]
    if not clear:
        return []
    return [c for c in columns if c in clear or normalise(c) in AMBIGUOUS]
