"""Run notebooks in parallel worker processes, each with a wall-clock timeout."""

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


class _Running:
    def __init__(self, job: Job, workdir: Path):
        self.job = job
        self.result_file = workdir / f"{job.slug}.result.json"
        self.started = time.monotonic()
        payload = {
            "input": str(job.notebook),
            "output": str(job.output),
            "parameters": job.parameters,
            "kernel_name": job.kernel_name,
            "timeout": job.timeout,
            "cwd": str(job.notebook.parent),
            "result": str(self.result_file),
        }
        env = {**os.environ, **(job.env or {})}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "rouen_gallery.worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
            env=env,
            text=True,
        )
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(payload))
        self.proc.stdin.close()

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()

    def result(self) -> JobResult:
        stderr = self.proc.stderr.read() if self.proc.stderr else ""
        try:
            data = json.loads(self.result_file.read_text(encoding="utf-8"))
        except (FileNotFoundError, json.JSONDecodeError):
            return JobResult(
                self.job.slug,
                "failed",
                self.elapsed(),
                "Le processus d'exécution s'est arrêté sans résultat.",
                stderr[-4000:],
            )
        return JobResult(
            self.job.slug, data["status"], data["seconds"], data["message"], data["detail"]
        )


def run_jobs(
    jobs: Iterable[Job], workers: int, on_done: Callable[[JobResult], None] | None = None
) -> list[JobResult]:
    """Execute jobs, ``workers`` at a time; a hung run is killed after its timeout."""
    pending = list(jobs)
    running: list[_Running] = []
    results: list[JobResult] = []
    with tempfile.TemporaryDirectory(prefix="gallery-run-") as tmp:
        workdir = Path(tmp)
        try:
            while pending or running:
                while pending and len(running) < max(1, workers):
                    running.append(_Running(pending.pop(0), workdir))
                time.sleep(0.05)
                for run in list(running):
                    if run.proc.poll() is not None:
                        result = run.result()
                    elif run.elapsed() > run.job.timeout + KILL_GRACE:
                        run.kill()
                        result = JobResult(
                            run.job.slug,
                            "timeout",
                            run.elapsed(),
                            f"Arrêté après {run.job.timeout} s : le notebook ne répondait plus.",
                            "worker killed after the wall-clock timeout",
                        )
                    else:
                        continue
                    running.remove(run)
                    if result.status != "ok":
                        log.warning("%s %s: %s", result.slug, result.status, result.message)
                        log.info("%s detail:\n%s", result.slug, result.detail)
                    results.append(result)
                    if on_done:
                        on_done(result)
        finally:
            for run in running:
                run.kill()
    return results
