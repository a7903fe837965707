"""The worker pool: long-lived workers run jobs one after the other; a hung one is
killed with its kernel and replaced, and the jobs after it still run."""

from __future__ import annotations

import time
from pathlib import Path

import nbformat
import psutil
import pytest

from rouen_gallery import execute
from rouen_gallery.execute import Job, run_jobs

FIXTURES = Path(__file__).parent / "fixtures" / "gallery"

pytestmark = pytest.mark.slow


MARK = "ROUEN_TEST_EXECUTE"
"""Environment variable set on the jobs: their kernels inherit it, others do not."""


def _job(tmp: Path, fixture: str, slug: str, timeout: int = 120, **parameters) -> Job:
    env = {MARK: str(tmp)}
    return Job(slug, FIXTURES / fixture, tmp / f"{slug}.ipynb", parameters, timeout, env=env)


def _printed(path: Path) -> str:
    nb = nbformat.read(path, as_version=4)
    return "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))


def _kernels(tmp: Path) -> set[int]:
    """Live kernels started for this test's jobs."""
    found = set()
    for proc in psutil.process_iter(["cmdline", "environ"]):
        mine = (proc.info["environ"] or {}).get(MARK) == str(tmp)
        if mine and any("ipykernel" in part for part in proc.info["cmdline"] or ()):
            found.add(proc.pid)
    return found


def test_one_worker_runs_the_jobs_one_after_the_other(tmp_path):
    jobs = [
        _job(tmp_path, "ok.ipynb", "tous"),
        _job(tmp_path, "ok.ipynb", "grands", hauteur_min=30),
    ]
    results = run_jobs(jobs, workers=1)
    assert [(r.slug, r.status) for r in results] == [("tous", "ok"), ("grands", "ok")]
    # One process, papermill imported once, yet each run has its own parameters.
    assert results[0].worker == results[1].worker != 0
    assert _printed(tmp_path / "tous.ipynb") != _printed(tmp_path / "grands.ipynb")
    assert "ARBRES=" in _printed(tmp_path / "grands.ipynb")


def test_a_hung_worker_is_killed_with_its_kernel_and_replaced(tmp_path, monkeypatch):
    # Hard kill 2 s into the hung job, before nbclient's own cell timeout (10 s) fires.
    monkeypatch.setattr(execute, "KILL_GRACE", -8)
    jobs = [
        _job(tmp_path, "hangs.ipynb", "bloque", timeout=10),
        _job(tmp_path, "ok.ipynb", "ensuite", timeout=120),
    ]
    results = {r.slug: r for r in run_jobs(jobs, workers=1)}
    assert results["bloque"].status == "timeout"
    assert results["bloque"].message == "Arrêté après 10 s : le notebook ne répondait plus."
    assert results["ensuite"].status == "ok"
    assert results["ensuite"].worker not in (0, results["bloque"].worker)
    deadline = time.monotonic() + 10
    while _kernels(tmp_path) and time.monotonic() < deadline:
        time.sleep(0.2)  # an orphaned kernel notices its parent is gone within a second
    assert not _kernels(tmp_path)
