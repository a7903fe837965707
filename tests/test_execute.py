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


def _silent_kernel(tmp: Path):
    """A started kernel that never answers (as a kernel stuck while booting)."""
    import json
    import sys

    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager
    from jupyter_core.utils import run_sync

    spec = tmp / "kernels" / "silencieux"
    spec.mkdir(parents=True)
    argv = [sys.executable, "-c", "import time; time.sleep(300)", "{connection_file}"]
    (spec / "kernel.json").write_text(
        json.dumps({"argv": argv, "display_name": "silencieux", "language": "python"})
    )
    manager = AsyncKernelManager(
        kernel_name="silencieux",
        kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(tmp / "kernels")]),
    )
    run_sync(manager.start_kernel)()
    return manager


def test_a_kernel_that_never_answers_is_replaced_and_the_notebook_runs_once_more(tmp_path):
    from rouen_gallery import worker

    worker._register_engine()
    silent = _silent_kernel(tmp_path)
    job = {
        "input": str(FIXTURES / "ok.ipynb"),
        "output": str(tmp_path / "ok.ipynb"),
        "parameters": {},
        "kernel_name": "python3",
        "start_timeout": 3,
        "timeout": 120,
        "cwd": str(tmp_path),
    }
    first = worker.run(job, silent)
    assert (first["status"], first["kernel_not_ready"]) == ("failed", True)
    assert "n'a pas répondu à temps" in first["message"]
    assert "RuntimeError" not in first["message"]  # English is for the log
    worker.stop_kernel(silent)

    silent = _silent_kernel(tmp_path / "again")
    pid = silent.provisioner.pid
    result = worker.run_once_more_if_not_started(job, silent)
    assert result["status"] == "ok", result
    assert "kernel_not_ready" not in result
    assert "ARBRES=" in _printed(tmp_path / "ok.ipynb")
    assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE


def test_a_notebook_that_fails_on_its_own_is_not_run_twice(tmp_path, monkeypatch):
    from rouen_gallery import worker

    calls = []

    def failing(job, kernel=None):
        calls.append(kernel)
        return {"status": "failed", "message": "Erreur", "detail": "", "seconds": 1.0}

    monkeypatch.setattr(worker, "run", failing)
    assert worker.run_once_more_if_not_started({"input": "x"}, None)["status"] == "failed"
    assert calls == [None]
