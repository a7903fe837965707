"""Datasets that follow a proposed schema: the generated sample until the real one exists.

Some reuses show data the Métropole does not publish yet (facility attendance, Astuce
boardings, building permits). Their notebooks take a ``jeu_de_donnees`` parameter: a
key of ``data/registry.yaml``. By default it names the generated sample; once the real
dataset is published, a registry entry with the **same fields** pointing at the real
dataset id makes the same notebook read it, by changing that one parameter.

:func:`load_following` never fails on a wrong key: it reads the sample instead and
returns a French sentence for the dashboard, so a citizen sees an explanation rather
than an error. The check is on the registry's declared fields, before any download.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import pandas as pd

from rouen_opendata import DataProvenance, load_dataset, load_registry
from rouen_opendata.exceptions import OpenDataError

log = logging.getLogger(__name__)

SHOWN_FIELDS = 4
"""Missing fields named in a refusal before « … »."""


@dataclass(frozen=True)
class SchemaDataset:
    """A frame read for a proposed schema, and what the dashboard must say about it.

    Attributes
    ----------
    frame, provenance
        As returned by ``load_dataset``.
    key
        Registry key actually read (the sample's when the requested one was refused).
    problem
        French explanation when the requested key was refused; empty when all is well.
    """

    frame: pd.DataFrame
    provenance: DataProvenance
    key: str
    problem: str = ""


def schema_fields(key: str) -> dict[str, str]:
    """Field name → type of a registry dataset's only table.

    Raises
    ------
    rouen_opendata.exceptions.OpenDataError
        Unknown key, or a dataset made of several tables.
    """
    return dict(load_registry()[key].table().fields)


def check_dataset(key: str, model: str) -> None:
    """Raise ``ValueError`` (French) unless ``key`` declares every field of ``model``.

    Usable as a ``choices`` check of :func:`rouen_gallery.live.read_parameters`.
    """
    registry = load_registry()
    if key not in registry:
        raise ValueError(
            f"le jeu de données « {key} » n'est pas déclaré dans le registre du projet "
            "(data/registry.yaml)"
        )
    try:
        fields = schema_fields(key)
    except OpenDataError:
        raise ValueError(
            f"le jeu de données « {key} » a plusieurs tables : il ne suit pas le schéma "
            f"de « {model} »"
        ) from None
    expected = schema_fields(model)
    missing = [name for name, kind in expected.items() if fields.get(name) != kind]
    if missing:
        listed = ", ".join(f"{name} ({expected[name]})" for name in missing[:SHOWN_FIELDS])
        listed += " …" if len(missing) > SHOWN_FIELDS else ""
        raise ValueError(
            f"le jeu de données « {key} » ne suit pas le schéma proposé : "
            f"il lui manque les champs {listed}"
        )


def compatible_datasets(model: str) -> list[str]:
    """Registry keys whose fields follow ``model``'s schema (``model`` first)."""
    keys = []
    for key in sorted(spec.key for spec in load_registry()):
        try:
            check_dataset(key, model)
        except ValueError:
            continue
        keys.append(key)
    return sorted(keys, key=lambda k: (k != model, k))


def load_following(key: str, model: str) -> SchemaDataset:
    """Read ``key`` if it follows ``model``'s schema, else ``model`` with a French reason.

    Parameters
    ----------
    key
        Registry key asked for (the notebook's ``jeu_de_donnees`` parameter).
    model
        Registry key of the generated sample that defines the proposed schema.
    """
    try:
        check_dataset(key, model)
    except ValueError as exc:
        log.info("dataset %r refused for schema %r: %s", key, model, exc)
        frame, provenance = load_dataset(model)
        problem = (
            f"{str(exc)[0].upper()}{str(exc)[1:]}. Le tableau de bord montre à la place "
            f"l'exemple généré « {provenance.title} »."
        )
        return SchemaDataset(frame, provenance, model, problem)
    frame, provenance = load_dataset(key)
    return SchemaDataset(frame, provenance, key)
