"""What an executed dashboard shows a citizen: texts, map features, errors (on top of
:mod:`notebook_runs`, which executes the notebook and reads its ``reuse-results``)."""

from __future__ import annotations

import html
from pathlib import Path
from typing import NamedTuple

from notebook_runs import execute, widget_models, widget_texts


class Page(NamedTuple):
    """One execution: recorded results, page texts, map features, problems, size."""

    results: dict
    widget_texts: str
    """Every widget value, HTML entities decoded (« d'exemple », not « d&#x27;exemple »)."""
    map_features: list[list[dict]]
    """Features of each GeoJSON layer of the page."""
    errors: list[dict]
    """Error outputs and stderr outputs: a traceback or a warning would show there."""
    size: int


def run_page(name: str, parameters: dict, output: Path) -> Page:
    """Execute ``notebooks/<name>.ipynb`` with ``parameters`` and read its page."""
    shown, nb, size = execute(name, parameters, output)
    layers = [model["data"]["features"] for model in widget_models(nb, "LeafletGeoJSONModel")]
    errors = [
        out
        for cell in nb["cells"]
        for out in cell.get("outputs", [])
        if out.get("output_type") == "error" or out.get("name") == "stderr"
    ]
    return Page(shown, html.unescape(widget_texts(nb)), layers, errors, size)
