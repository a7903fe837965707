"""Run a reuse notebook with papermill and read back what its dashboard showed.

A test module gives the code that gathers the figures it checks (``results``): it is
run as one more cell, after the notebook's own, where the dashboard runtime's last page
(:func:`dashboard.current_page`) is at hand as ``page`` — ``view`` is what the page's
draw function returned last, ``values`` the parameter values it drew — beside the
notebook's variables. The published notebook carries no test code. (Notebooks not yet
on the runtime record the same figures themselves, in the metadata of one invisible
``reuse-results`` output: without ``results``, that is what is read.) Tests compare the
figures with values computed directly from the snapshots, and read the page itself
(widget texts, map features) from the saved widget state. Each test module executes its
notebook once per parameter set (:func:`execute_runs`, in a module-scoped fixture) and
shares the runs.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
import papermill
import pytest
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
BACKGROUND_PANES = ("rr-fond", "rr-noms")
"""Panes of every map's background (commune outlines and names, ``widgets.background``)."""
MAX_EXECUTED_BYTES = 3_000_000
"""An executed page, widget state included, must stay light enough for phones."""


@dataclass(frozen=True)
class Run:
    """One execution of a notebook: what it recorded, and the page it left."""

    results: dict
    """The ``reuse-results`` the notebook recorded."""
    notebook: dict
    """The executed notebook (outputs and widget state)."""
    size: int
    """Size of the executed notebook file, in bytes."""

    @property
    def widget_state(self) -> dict[str, dict]:
        """Model id → saved widget model (``model_name``, ``state``)."""
        return self.notebook["metadata"]["widgets"]["application/vnd.jupyter.widget-state+json"][
            "state"
        ]

    def models(self, model_name: str) -> list[dict]:
        """States of the page's widgets of one model (``LeafletGeoJSONModel``…)."""
        return [m["state"] for m in self.widget_state.values() if m["model_name"] == model_name]

    @property
    def raw_texts(self) -> str:
        """Every widget value as the page holds it (HTML), one per line."""
        return "\n".join(str(m["state"].get("value", "")) for m in self.widget_state.values())

    @property
    def widget_texts(self) -> str:
        """Every widget value, HTML entities decoded (« d'exemple », not « d&#x27;exemple »)."""
        return html.unescape(self.raw_texts)

    @property
    def map_features(self) -> list[list[dict]]:
        """Features of each GeoJSON data layer of the page (not the maps' backgrounds)."""
        return [
            model["data"]["features"]
            for model in self.models("LeafletGeoJSONModel")
            if model.get("pane") not in BACKGROUND_PANES
        ]

    def texts_under(self, model_id: str) -> str:
        """Every widget value of one widget and its descendants (HTML), one per line."""
        state = self.widget_state[model_id]["state"]
        children = [c.removeprefix("IPY_MODEL_") for c in state.get("children", [])]
        return "\n".join([str(state.get("value", "")), *map(self.texts_under, children)])

    @property
    def first_widget_texts(self) -> str:
        """Texts of the first widget the page displays (a dashboard's notice area)."""
        for cell in self.notebook["cells"]:
            for out in cell.get("outputs", []):
                view = out.get("data", {}).get("application/vnd.jupyter.widget-view+json")
                if view:
                    return html.unescape(self.texts_under(view["model_id"]))
        return ""

    @property
    def errors(self) -> list[dict]:
        """Error outputs and stderr outputs: a traceback or a warning would show there."""
        return [
            out
            for cell in self.notebook["cells"]
            for out in cell.get("outputs", [])
            if out.get("output_type") == "error" or out.get("name") == "stderr"
        ]


_RESULTS_CELL = """
import dashboard as _dashboard

page = _dashboard.current_page()
view, values = page.view, page.shown
{code}
results = {{"parameters": values, **results}}
display({{"text/html": ""}}, raw=True, metadata={{"reuse-results": results}})
"""


def notebook_with_results(name: str, results: str | None) -> Any:
    """``notebooks/<name>.ipynb``, with the cell that records ``results`` if given."""
    nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    if results is not None:
        nb.cells.append(nbformat.v4.new_code_cell(_RESULTS_CELL.format(code=results)))
    return nb


def execute(name: str, parameters: dict[str, Any], output: Path, results: str | None = None) -> Run:
    """Execute ``notebooks/<name>.ipynb`` with ``parameters``, saved as ``output``;
    ``results`` is code setting ``results`` (a dict) from ``page``, ``view``, ``values``
    and the notebook's variables.

    Raises ``papermill.PapermillExecutionError`` when a cell fails.
    """
    papermill.execute_notebook(
        notebook_with_results(name, results),
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
    return Run(shown[0], nb, output.stat().st_size)


def execute_runs(
    name: str, runs: dict[str, dict[str, Any]], folder: Path, results: str | None = None
) -> dict[str, Run]:
    """Run name → :class:`Run`, each parameter set of ``runs`` executed once."""
    return {
        run: execute(name, values, folder / f"{run}.ipynb", results) for run, values in runs.items()
    }


def assert_light_and_clean(runs: dict[str, Run]) -> None:
    """Every page stays light enough for phones, keeps its widgets, and shows no error
    (nor the incident message a dashboard shows in place of one)."""
    for name, run in runs.items():
        assert run.size < MAX_EXECUTED_BYTES, name
        assert run.widget_state, name
        assert run.errors == [], name
        outputs = [out for cell in run.notebook["cells"] for out in cell.get("outputs", [])]
        assert not any("rr-incident" in str(out) for out in outputs), name
        # A cell's last value is shown on the page: only widgets may be shown that way,
        # never a view, a frame or a dict dumped as text.
        echoed = [
            out["data"].get("text/plain", "")[:80]
            for out in outputs
            if out.get("output_type") == "execute_result" and WIDGET_VIEW not in out.get("data", {})
        ]
        assert echoed == [], (name, echoed)


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"

ADDRESS_NOTICE = "Une partie de l'adresse de cette page n'a pas été comprise"
"""Start of the notice a dashboard shows when its address had something it refused."""


def open_addresses(
    name: str, queries: dict[str, str], folder: Path, results: str | None = None
) -> dict[str, Run]:
    """Run name → :class:`Run` of the dashboard opened at each query string, the way
    Voilà runs a kernel that is not preheated: ``VOILA_PREHEAT=False`` and the
    visitor's ``QUERY_STRING`` in the kernel's environment (``dashboard.kernel``)."""
    runs = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("VOILA_PREHEAT", "False")
        for run, query in queries.items():
            patch.setenv("QUERY_STRING", query)
            runs[run] = execute(name, {}, folder / f"{run}.ipynb", results)
    return runs


def address_notice(run: Run) -> str:
    """Text of the page's notice about its address (empty when all was understood)."""
    texts = [line for line in run.widget_texts.splitlines() if ADDRESS_NOTICE in line]
    return re.sub(r"<[^>]+>", " ", texts[0]) if texts else ""


_VISITOR = """
import json

def url_state():
    try:
        import dashboard

        return dashboard.current_page().address.notice.children[1].value
    except dashboard.DashboardError:  # a notebook not yet on the runtime
        return params.notice.children[1].value

states = []
for name, value in json.loads({changes!r}):
    controls.controls[name].value = value
    states.append([controls.values, url_state()])
print(json.dumps(states))
"""


def address_after_changes(
    name: str, query: str, changes: list[tuple[str, Any]]
) -> list[tuple[dict[str, Any], str]]:
    """Open the dashboard at ``query``, then set its controls one by one as a visitor
    does: the controls' values and the page's address state after each change."""
    nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(_VISITOR.format(changes=json.dumps(changes))))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("VOILA_PREHEAT", "False")
        patch.setenv("QUERY_STRING", query)
        NotebookClient(
            nb, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}}
        ).execute()
    return [(values, state) for values, state in json.loads(nb.cells[-1].outputs[0]["text"])]


def address_state(query: str) -> str:
    """What the page holds for its address (HTML-escaped query string)."""
    return f'<span data-rr-query="{html.escape(query)}"></span>'


def assert_refused(
    name: str, parameters: dict[str, Any], folder: Path, message: str, results: str | None = None
) -> None:
    """Executing with ``parameters`` stops on a cell error whose text matches ``message``
    (a French explanation, not a bare traceback)."""
    with pytest.raises(papermill.PapermillExecutionError, match=message):
        execute(name, parameters, folder / "refused.ipynb", results)
