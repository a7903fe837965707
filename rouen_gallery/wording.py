"""Parameters said in French for citizens: « Forêt : forêt domaniale de Roumare », not code."""

from __future__ import annotations

from typing import Any

WORDS = {
    "annee": "année",
    "arrets": "arrêts",
    "dau": "d'autorisation",
    "debut": "début",
    "donnees": "données",
    "filiere": "filière",
    "foret": "forêt",
    "lat": "latitude",
    "lon": "longitude",
    "m": "(m)",
    "max": "maximale",
    "min": "minimale",
    "id": "",
    "dataset": "jeu de données",
    "equipement": "équipement",
}
"""Parameter names are Python identifiers, written without accents: the words they are
made of, as a citizen reads them."""


def parameter_label(name: str) -> str:
    """``distance_max_m`` → « Distance maximale (m) »."""
    words = [WORDS.get(part, part) for part in name.split("_")]
    text = " ".join(w for w in words if w)
    return text[:1].upper() + text[1:]


def parameter_value(value: Any) -> str:
    """A value as French text: « oui », « 1,5 », « arrêts, compteurs »."""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    if isinstance(value, str) and "," in value:
        return ", ".join(WORDS.get(part.strip(), part.strip()) for part in value.split(","))
    return str(value)


def parameters_sentence(parameters: dict[str, Any]) -> str:
    """« Couches : arrêts, compteurs, bornes ; Commune : Rouen. » (empty values left out)."""
    parts = [
        f"{parameter_label(name)} : {parameter_value(value)}"
        for name, value in parameters.items()
        if value not in ("", None)
    ]
    if not parts:
        return ""
    sentence = " ; ".join(parts)
    return sentence + "."
