"""Run notebooks on long-lived parallel worker processes, each job with a wall-clock timeout."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

KILL_GRACE = 10
"""Seconds a worker gets beyond the notebook's timeout (kernel start, saving) before a kill."""


@dataclass
class Job:
    """One notebook execution."""

    slug: str
    notebook: Path
    output: Path
    parameters: dict[str, Any]
    timeout: int
    kernel_name: str = "python3"
    env: dict[str, str] | None = None
    render: dict[str, Any] | None = None
    """Page to render after a success (see ``worker.render_page``), or None."""


@dataclass
class JobResult:
    slug: str
    status: str
    """``ok``, ``failed`` or ``timeout``."""
    seconds: float
    message: str = ""
    """French, for the card and the summary."""
    detail: str = ""
    """English traceback or reason, for the log."""
    worker: int = 0
    """Process id of the worker that ran it (0: none reported)."""


class _Worker:
    """A long-lived ``rouen_gallery.worker`` process in its own session, one job at a time."""

    def __init__(self, env: dict[str, str], workdir: Path, number: int):
        self.env = env
        self.workdir = workdir
        self.log_path = workdir / f"worker-{number}.log"
        self.job: Job | None = None
        self.started = 0.0
        self.result_file = workdir / "none"
        with self.log_path.open("w", encoding="utf-8") as log_file:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "rouen_gallery.worker"],
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=log_file,
                start_new_session=True,
                env=env,
                text=True,
            )

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None

    def start(self, job: Job, more: bool = True) -> None:
        """Send ``job``; ``more``: jobs are still waiting (boot a kernel for the next)."""
        self.job = job
        self.started = time.monotonic()
        self.result_file = self.workdir / f"{job.slug}.result.json"
        payload = {
            "input": str(job.notebook),
            "output": str(job.output),
            "parameters": job.parameters,
            "kernel_name": job.kernel_name,
            "timeout": job.timeout,
            "cwd": str(job.notebook.parent),
            "result": str(self.result_file),
            "render": job.render,
            "spare_kernel": more,
        }
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.write(json.dumps(payload) + "\n")
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            pass  # the worker died: poll() reports it

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def poll(self) -> JobResult | None:
        """The running job's result once there is one (the worker may then take another)."""
        job = self.job
        assert job is not None
        if self.result_file.exists():
            data = json.loads(self.result_file.read_text(encoding="utf-8"))
            self.job = None
            if data.get("render_error"):
                log.info("%s: page not rendered by the worker:\n%s", job.slug, data["render_error"])
            return JobResult(
                job.slug,
                data["status"],
                data["seconds"],
                data["message"],
                data["detail"],
                data.get("worker", 0),
            )
        if not self.alive:
            self.job = None
            return JobResult(
                job.slug,
                "failed",
                self.elapsed(),
                "Le processus d'exécution s'est arrêté sans résultat.",
                self.log_tail(),
            )
        if self.elapsed() > job.timeout + KILL_GRACE:
            self.kill()
            self.job = None
            return JobResult(
                job.slug,
                "timeout",
                self.elapsed(),
                f"Arrêté après {job.timeout} s : le notebook ne répondait plus.",
                "worker killed after the wall-clock timeout",
            )
        return None

    def log_tail(self) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")[-4000:]
        except FileNotFoundError:
            return ""

    def close(self) -> None:
        """No more jobs: let the worker finish and exit (killed if it does not)."""
        if self.proc.stdin and not self.proc.stdin.closed:
            with contextlib.suppress(OSError):
                self.proc.stdin.close()
        try:
            self.proc.wait(timeout=KILL_GRACE)
        except subprocess.TimeoutExpired:
            self.kill()

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        if self.proc.stdin and not self.proc.stdin.closed:
            with contextlib.suppress(OSError):
                self.proc.stdin.close()


def run_jobs(
    jobs: Iterable[Job], workers: int, on_done: Callable[[JobResult], None] | None = None
) -> list[JobResult]:
    """Execute jobs on ``workers`` long-lived worker processes; a hung run is killed after
    its timeout (with its worker, replaced by a fresh one for the jobs left)."""
    pending = list(jobs)
    results: list[JobResult] = []
    pool: list[_Worker] = []
    with tempfile.TemporaryDirectory(prefix="gallery-run-") as tmp:
        workdir = Path(tmp)
        spawned = 0

        def worker_for(job: Job) -> _Worker:
            nonlocal spawned
            env = {**os.environ, **(job.env or {})}
            for worker in pool:
                if worker.job is None and worker.alive and worker.env == env:
                    return worker
            idle = next((w for w in pool if w.job is None), None)
            if idle is not None:  # dead, or started for another environment
                idle.close()
                pool.remove(idle)
            spawned += 1
            worker = _Worker(env, workdir, spawned)
            pool.append(worker)
            return worker

        try:
            while pending or any(w.job for w in pool):
                while pending and sum(1 for w in pool if w.job) < max(1, workers):
                    job = pending.pop(0)
                    worker_for(job).start(job, more=bool(pending))
                time.sleep(0.05)
                for worker in pool:
                    if worker.job is None:
                        continue
                    result = worker.poll()
                    if result is None:
                        continue
                    if result.status != "ok":
                        log.warning("%s %s: %s", result.slug, result.status, result.message)
                        log.info("%s detail:\n%s", result.slug, result.detail)
                    results.append(result)
                    if on_done:
                        on_done(result)
        finally:
            for worker in pool:
                if worker.job is None:
                    worker.close()
                else:
                    worker.kill()
    return results
