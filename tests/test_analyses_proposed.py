"""Reading a dataset that follows a proposed schema: the sample, or a compatible real key."""

from __future__ import annotations

import pandas as pd
import pytest

from analyses import proposed
from rouen_opendata import load_dataset
from rouen_opendata.registry import parse_registry

MODEL = "frequentation-equipements"
REAL = """
datasets:
  frequentation-reelle:
    source: opendatasoft
    dataset_id: frequentation-reelle
    title: "Fréquentation (jeu publié)"
    publisher: Métropole Rouen Normandie
    licence: Licence Ouverte v2.0
    licence_url: https://www.etalab.gouv.fr/
    themes: [Équipements]
    tables:
      data:
        file: f.csv
        fields: {date: date, equipement_id: text, equipement: text, type_equipement: text,
                 commune: text, entrees: int, ouvert: text, capacite: int, remarque: text}
    provenance: {kind: real, source: portail, retrieved: 2025-06-01}
  frequentation-mal-typee:
    source: opendatasoft
    dataset_id: frequentation-mal-typee
    title: "Fréquentation (entrées en texte)"
    publisher: Métropole Rouen Normandie
    licence: Licence Ouverte v2.0
    licence_url: https://www.etalab.gouv.fr/
    themes: [Équipements]
    tables:
      data:
        file: f.csv
        fields: {date: date, equipement_id: text, equipement: text, type_equipement: text,
                 commune: text, entrees: text, ouvert: text, capacite: int}
    provenance: {kind: real, source: portail, retrieved: 2025-06-01}
"""


def test_the_sample_follows_its_own_schema():
    proposed.check_dataset(MODEL, MODEL)
    assert proposed.compatible_datasets(MODEL)[0] == MODEL
    loaded = proposed.load_following(MODEL, MODEL)
    assert loaded.key == MODEL and loaded.problem == "" and loaded.provenance.generated


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("inconnu", "« inconnu » n'est pas déclaré dans le registre"),
        ("astuce-gtfs", "« astuce-gtfs » a plusieurs tables"),
        ("permis-construire", r"il lui manque les champs date \(date\), .* …"),
    ],
)
def test_other_keys_are_refused_in_french(key, message):
    with pytest.raises(ValueError, match=message):
        proposed.check_dataset(key, MODEL)


def test_a_refused_key_falls_back_to_the_sample_with_a_sentence():
    loaded = proposed.load_following("inconnu", MODEL)
    sample = load_dataset(MODEL)
    assert loaded.key == MODEL and loaded.provenance == sample.provenance
    pd.testing.assert_frame_equal(loaded.frame, sample.frame)
    assert loaded.problem.startswith("Le jeu de données « inconnu »")
    assert f"l'exemple généré « {sample.provenance.title} »" in loaded.problem


def test_a_compatible_key_is_read_instead_of_the_sample(monkeypatch):
    registry = parse_registry(REAL + "\n" + _model_entry())
    monkeypatch.setattr(proposed, "load_registry", lambda: registry)
    read = []

    def fake_load(key):
        read.append(key)
        return load_dataset(MODEL)

    monkeypatch.setattr(proposed, "load_dataset", fake_load)
    assert proposed.compatible_datasets(MODEL) == [MODEL, "frequentation-reelle"]
    loaded = proposed.load_following("frequentation-reelle", MODEL)
    assert loaded.key == "frequentation-reelle" and loaded.problem == ""
    assert read == ["frequentation-reelle"]
    with pytest.raises(ValueError, match=r"entrees \(int\)"):
        proposed.check_dataset("frequentation-mal-typee", MODEL)


def _model_entry() -> str:
    """The sample's own registry record, indented under ``datasets:``."""
    from rouen_opendata import load_registry

    spec = load_registry()[MODEL]
    fields = ", ".join(f"{k}: {v}" for k, v in spec.table().fields.items())
    return (
        f"  {MODEL}:\n    source: opendatasoft\n    dataset_id: {spec.dataset_id}\n"
        f"    title: x\n    publisher: x\n    licence: x\n    licence_url: x\n    themes: []\n"
        f"    tables:\n      data:\n        file: x.csv\n        fields: {{{fields}}}\n"
        "    provenance: {kind: generated, script: x, seed: 1, schema: x}\n"
    )
