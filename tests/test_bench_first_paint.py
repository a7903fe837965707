"""bench/bench_first_paint.py's own pieces (fast, no browser, no server): the page's grid
and drop-downs read from its HTML, the out-of-grid deep link, times from a page's report,
the table and the goals from fake timings, the command line."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

GRID = {
    "page": "arbres.html",
    "defaults": {"foret": "Toutes", "essence": "Toutes"},
    "states": [
        {"href": "arbres.html", "values": {"foret": "Toutes", "essence": "Toutes"}},
        {"href": "arbres-roumare.html", "values": {"foret": "Roumare", "essence": "Toutes"}},
    ],
    "live": "http://voila.example.org/voila/render/arbres.ipynb",
}


@pytest.fixture(scope="module")
def bench():
    path = ROOT / "bench" / "bench_first_paint.py"
    spec = importlib.util.spec_from_file_location("bench_first_paint", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_first_paint"] = module
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop("bench_first_paint", None)


def page_html(grid: dict, parameters: list[dict]) -> str:
    state = {
        "state": {
            "a": {"model_name": "HBoxModel", "state": {"rr_parameters": parameters}},
            "b": {"model_name": "DropdownModel", "state": {"index": 0}},
        }
    }
    return (
        f'<script type="application/json" id="rr-states">{json.dumps(grid)}</script>'
        '<script type="application/vnd.jupyter.widget-state+json">'
        f"{json.dumps(state)}</script>"
    )


def test_the_grid_and_the_drop_downs_are_read_from_the_page(bench):
    parameters = [
        {"kind": "choice", "name": "foret", "values": ["Toutes", "Roumare", "Verte"]},
        {"kind": "int", "name": "hauteur"},
    ]
    html = page_html(GRID, parameters)
    assert bench.read_grid(html) == GRID
    assert bench.choice_parameters(html) == {"foret": ["Toutes", "Roumare", "Verte"]}
    assert bench.variant_page(GRID) == "arbres-roumare.html"
    with pytest.raises(ValueError, match="rr-states"):
        bench.read_grid("<p>no grid</p>")


def test_the_out_of_grid_value_is_one_no_page_was_built_for(bench):
    choices = {"foret": ["Toutes", "Roumare", "Verte"], "essence": ["Toutes", "Hêtre"]}
    assert bench.outside_grid(GRID, choices) == {"foret": "Verte"}
    covered = {"foret": ["Toutes", "Roumare"], "other": ["x"]}  # "other" is no parameter
    assert bench.outside_grid(GRID, covered) is None
    assert bench.outside_grid(GRID, {"foret": ["Roumare"], "essence": ["Hêtre"]}) == {
        "essence": "Hêtre"
    }


def test_static_times_come_from_the_page_marks(bench):
    raw = {
        "origin": 1000.0,
        "fcp": 300.0,
        "marks": {
            "rr-quick-controls": 320.0,
            "rr-first-widget": 700.0,
            "rr-first-screen": 900.0,
            "rr-all-widgets": 1500.0,
        },
        "seen": {"text": {"at": 1250.0, "top": 0}},
        "height": 900,
    }
    times = bench.timings("static-default", raw, started=990.0)
    assert times == {
        "fcp": 310.0,
        "text": 310.0,  # text shown before the paint: the paint counts
        "choices": 330.0,  # the native drop-downs over the picture
        "first_widget": 710.0,
        "first_screen": 910.0,
        "all": 1510.0,
    }
    del raw["marks"]["rr-all-widgets"]
    assert bench.timings("static-variant", raw, started=990.0)["all"] is None


def test_voila_times_come_from_the_widgets_seen(bench):
    seen = {"text": {"at": 5000.0, "top": 100}, "choice": {"at": 5800.0, "top": 150}}
    keys = bench.WIDGET_KEYS
    seen[keys[0]] = {"at": 6000.0, "top": 200}  # on the first screen
    seen[keys[1]] = {"at": 5500.0, "top": 400}
    raw = {"origin": 1000.0, "fcp": 500.0, "marks": {}, "seen": seen, "height": 900}
    for key in keys[2:]:
        seen[key] = {"at": 7000.0, "top": 2000}  # below the first screen
    times = bench.timings("voila-preheated", raw, started=1000.0)
    assert times["fcp"] == 500.0  # the loading screen
    assert times["text"] == 4000.0  # the notebook's text, later
    assert times["choices"] == 4800.0  # a drawn drop-down
    assert times["first_widget"] == 4500.0
    assert times["first_screen"] == 5000.0
    assert times["all"] == 6000.0
    del seen[keys[-1]]
    partial = bench.timings("static-outside", raw, started=1000.0)
    assert partial["all"] is None and partial["first_screen"] is None
    assert partial["first_widget"] == 4500.0


def fake(times: dict) -> dict:
    return {"times": times}


def results_of(bench, warm_text: float, static_text: float, static_screen: float) -> dict:
    base = dict.fromkeys(bench.METRICS, 100.0)
    return {
        "voila-cold": [fake({**base, "text": 9000.0}), {"error": "TimeoutError: boom"}],
        "voila-preheated": [fake({**base, "text": warm_text}), fake({**base, "text": warm_text})],
        "static-default": [
            fake({**base, "text": static_text, "first_screen": static_screen}),
            fake({**base, "text": static_text + 100, "first_screen": static_screen}),
        ],
        "static-variant": [fake({**base, "all": None})],
        "static-outside": [],
    }


def test_the_table_gives_medians_and_says_what_was_not_measured(bench):
    lines = bench.table(results_of(bench, 3000.0, 400.0, 900.0))
    rows = {line.split()[0]: line for line in lines[1:]}
    assert "FCP" in lines[0] and "all widgets" in lines[0]
    assert rows["voila-cold"].count("100 (1/2)") == 5  # one of two visits failed
    assert "9000 (1/2)" in rows["voila-cold"]
    assert "1 visit(s) failed: TimeoutError: boom" in rows["voila-cold"]
    assert rows["static-default"].split()[2] == "450"  # median of 400 and 500
    assert rows["static-variant"].split()[-1] == "—"
    assert "« non mesuré »: no visit" in rows["static-outside"]
    assert lines[-1].endswith("static-variant all widgets")


def test_the_goals_are_checked_against_the_medians(bench):
    met = bench.goals(results_of(bench, 3000.0, 400.0, 900.0))
    assert met[0].startswith("first meaningful paint, voila-preheated / static-default: 6.7×")
    assert "goal ≥ 3×: met" in met[0]
    assert "450 ms (goal ≤ 500 ms: met)" in met[-3]
    assert "900 ms (goal ≤ 1000 ms: met)" in met[-2]
    assert met[-1] == "static-default dashboard's choices usable: 100 ms (goal ≤ 1000 ms: met)"
    missed = bench.goals(results_of(bench, 1000.0, 600.0, 1200.0))
    assert "NOT met" in missed[0]
    assert "NOT met" in missed[-3] and "NOT met" in missed[-2]
    none = bench.goals({"voila-preheated": [], "static-default": []})
    assert "« non mesuré »" in none[0] and "« non mesuré »" in none[-1]


def test_memory_lines_per_viewer_and_per_interacting_visitor(bench):
    results = {
        "static-default": [{"server_mb": 0.1, "kernels_started": 0}],
        "static-variant": [{"server_mb": 0.3, "kernels_started": 1}],
        "voila-cold": [{"kernel_mb": 120.0}, {"kernel_mb": 140.0}],
    }
    viewer, interacting = bench.memory_lines(results)
    assert "median +0.20 MB, max +0.30 MB" in viewer
    assert "kernels started during static visits: 1 (2 visits)" in viewer
    assert "median 130 MB PSS" in interacting
    assert all("non mesuré" in line for line in bench.memory_lines({}))


def test_the_command_line(bench):
    args = bench.parser().parse_args([])
    assert (args.rounds, args.viewport, args.cpu_slowdown, args.json) == (3, "desktop", 1.0, None)
    args = bench.parser().parse_args(
        ["--viewport", "phone", "--cpu-slowdown", "4", "--rounds", "2"]
    )
    assert (args.rounds, args.viewport, args.cpu_slowdown) == (2, "phone", 4.0)
    assert bench.VIEWPORTS["phone"]["viewport"] == {"width": 412, "height": 823}
    assert bench.VIEWPORTS["desktop"]["viewport"] == {"width": 1280, "height": 900}
    for wrong in (["--rounds", "0"], ["--cpu-slowdown", "0.5"], ["--viewport", "tablet"]):
        with pytest.raises(SystemExit):
            bench.parser().parse_args(wrong)


def test_only_requests_leaving_the_machine_get_the_local_picture(bench):
    assert bench.LOCAL.match("https://tile.openstreetmap.org/1/2/3.png")
    assert not bench.LOCAL.match("http://127.0.0.1:8000/reutilisations/a.html")
    assert not bench.LOCAL.match("http://voila.example.org/voila/render/a.ipynb?x=1")
    assert bench.LOCAL.match("http://voila.example.org.evil.test/")
