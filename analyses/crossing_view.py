"""What the « carte croisée » dashboard shows for a set of layers and a commune.

:class:`CrossingData` builds every layer once, at load (:func:`analyses.crossing.build_layers`:
one shape, each point in the commune whose outline holds it), and keeps each layer's
provenance; :meth:`CrossingData.view` gives, for the parameters ``couches`` and
``commune``, the points to draw, the crossed table, the chart's communes and shares,
the cards' counts, the choropleth's mean shares and the sources to cite. Drawing them is
:mod:`widgets.crossing_board`'s job. Pure computations: no widget, no colour, no HTML.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from rouen_opendata import DataProvenance, LoadedDataset

from . import crossing
from .communes import ALL_COMMUNES

log = logging.getLogger(__name__)

TOP = 10
"""Communes in the chart: the ``TOP`` with most points (the chosen one always among them)."""


def chart_rows(table: pd.DataFrame, where: str | None, top: int = TOP) -> list[str]:
    """The ``top`` first communes of ``table`` (sorted by total); the chosen commune
    ``where`` takes the last place when it is not among them."""
    rows = [str(name) for name in table.index[:top]]
    if where is not None and where not in rows:
        rows = [*rows[: top - 1], where]
    return rows


@dataclass
class CrossingData:
    """Every layer's points, the communes and the provenances, computed once at load.

    Attributes
    ----------
    points
        Layer key → points (:data:`analyses.crossing.COLUMNS`), in
        :data:`analyses.crossing.LAYERS` order.
    provenances
        Layer key → provenance of its dataset.
    communes
        The reference table (outlines, names, codes).
    communes_provenance
        Its provenance, cited whatever the layers.
    """

    points: dict[str, pd.DataFrame]
    provenances: dict[str, DataProvenance]
    communes: pd.DataFrame
    communes_provenance: DataProvenance

    @classmethod
    def from_loaded(
        cls, communes: LoadedDataset, loaded: Mapping[str, LoadedDataset]
    ) -> CrossingData:
        """From ``load_dataset("communes-metropole")`` and layer key → ``load_dataset(…)``
        of that layer's dataset (:attr:`analyses.crossing.LayerSpec.dataset`)."""
        frames = {key: loaded[key].frame for key in crossing.LAYERS if key in loaded}
        points = crossing.build_layers(frames, communes.frame)
        provenances = {key: loaded[key].provenance for key in frames}
        log.info("%s", ", ".join(f"{key}: {len(frame)} points" for key, frame in points.items()))
        return cls(points, provenances, communes.frame, communes.provenance)

    def view(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """Every figure the dashboard shows for ``couches`` and ``commune``.

        Keys: ``keys`` (chosen layers, display order), ``where`` (the commune, None for
        all), ``shown`` (key → points on the map), ``table`` (points per commune of the
        chosen layers, :func:`analyses.crossing.crossed_table`), ``totals`` (key → points
        in the Métropole), ``counts`` and ``shares_of_total`` (key → points in ``where``
        and their share of the total, None when the layer is empty; empty dicts for all
        communes), ``rows`` and ``shares`` (the chart's communes and their share of each
        layer's total, in %), ``mean_share`` (INSEE code → mean share of the chosen layers,
        in %), ``labelled`` (the table with French headers, for display and CSV),
        ``filename`` (of the CSV) and ``sources`` (provenances to cite).
        """
        keys = crossing.parse_layers(values["couches"])
        where = None if values["commune"] == ALL_COMMUNES else str(values["commune"])
        shown = {
            key: self.points[key]
            if where is None
            else self.points[key][self.points[key]["commune"].eq(where)]
            for key in keys
        }
        table = crossing.crossed_table(self.points, keys, self.communes)
        totals = {key: int(table[key].sum()) for key in keys}
        counts = {key: int(table.loc[where, key]) for key in keys} if where is not None else {}
        rows = chart_rows(table, where)
        return {
            "keys": keys,
            "where": where,
            "shown": shown,
            "table": table,
            "totals": totals,
            "counts": counts,
            "shares_of_total": {
                key: count / totals[key] if totals[key] else None for key, count in counts.items()
            },
            "rows": rows,
            "shares": (crossing.shares(table) * 100).loc[rows],
            "mean_share": crossing.mean_share(table, self.communes) * 100,
            "labelled": crossing.labelled(table),
            "filename": "carte-croisee-" + "-".join(keys) if keys else "carte-croisee",
            "sources": [self.provenances[key] for key in keys] + [self.communes_provenance],
        }
