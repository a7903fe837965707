"""Run a reuse notebook with papermill and read back what its dashboard showed.

A reuse notebook records the figures it displays in the metadata of one invisible
output (``reuse-results``); tests compare them with values computed directly from
the snapshots.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import papermill

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
MAX_EXECUTED_BYTES = 3_000_000
"""An executed page, widget state included, must stay light enough for phones."""


def execute(name: str, parameters: dict[str, Any], output: Path) -> tuple[dict, dict, int]:
    """Execute ``notebooks/<name>.ipynb``: (results shown, executed notebook, size in bytes)."""
    notebook = NOTEBOOKS / f"{name}.ipynb"
    papermill.execute_notebook(
        str(notebook),
        str(output),
        parameters=parameters,
        kernel_name="python3",
        cwd=str(NOTEBOOKS),
        progress_bar=False,
    )
    nb = json.loads(output.read_text(encoding="utf-8"))
    shown = [
        out["metadata"]["reuse-results"]
        for cell in nb["cells"]
        for out in cell.get("outputs", [])
        if "reuse-results" in out.get("metadata", {})
    ]
    if len(shown) != 1:
        raise AssertionError(f"{name}: {len(shown)} reuse-results outputs, expected 1")
    return shown[0], nb, output.stat().st_size


def widget_texts(nb: dict) -> str:
    """Every HTML/text value of the page's widgets, one per line."""
    state = nb["metadata"]["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    return "\n".join(str(model["state"].get("value", "")) for model in state.values())


def widget_models(nb: dict, model_name: str) -> list[dict]:
    """States of the page's widgets of one model (``LeafletGeoJSONModel``…)."""
    state = nb["metadata"]["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    return [m["state"] for m in state.values() if m["model_name"] == model_name]
