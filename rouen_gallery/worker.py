"""A long-lived notebook worker (``python -m rouen_gallery.worker``).

The parent starts one worker per parallel slot, each in its own process session, and
writes one JSON job per line on its stdin; the worker runs them one after the other
with papermill, renders the page body of each success into the page cache (so
nbconvert runs in parallel too) and writes each result atomically to the job's
result file. Importing
papermill costs about 2 s of CPU: a worker pays it once per build, not once per notebook.
Each job runs on a fresh kernel, started while the previous job ran, which has already
imported the heavy libraries (``WARM_IMPORTS``): the notebook's namespace is empty as
usual, only the import cache is warm — what Voilà's preheated kernels do too.

A hung run is the parent's business: it kills the worker's process session (the kernel,
which watches its parent, exits with it) and starts a fresh worker for the next job.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
import traceback
from pathlib import Path

log = logging.getLogger(__name__)


def _error_summary(exc: BaseException) -> tuple[str, str]:
    """(short French message, English detail for the log)."""
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError):
        return (
            f"Erreur à l'exécution de la cellule {exc.exec_count} : {exc.ename} — {exc.evalue}"[
                :500
            ],
            "".join(exc.traceback)[-4000:],
        )
    name = type(exc).__name__
    if "Timeout" in name or "timed out" in str(exc).lower():
        return (
            "Temps d'exécution dépassé : une cellule n'a pas terminé à temps.",
            f"{name}: {exc}",
        )
    if name == "DeadKernelError":
        return "Le noyau Python s'est arrêté pendant l'exécution.", f"{name}: {exc}"
    if _kernel_did_not_start(exc):
        return (
            "Le noyau Python n'a pas répondu à temps au démarrage (machine trop chargée ?).",
            f"{name}: {exc}",
        )
    return f"Exécution impossible : {name} — {exc}"[:500], traceback.format_exc()[-4000:]


def _kernel_did_not_start(exc: BaseException) -> bool:
    """nbclient's ``wait_for_ready`` gave up: no cell of the notebook has run."""
    return isinstance(exc, RuntimeError) and str(exc).startswith(KERNEL_NOT_READY)


KERNEL_START_TIMEOUT = 60
"""Seconds a kernel gets to answer its first request (papermill's default)."""

KERNEL_NOT_READY = "Kernel didn't respond"
"""How nbclient's ``RuntimeError`` begins when a kernel never answered its first request."""

WARM_IMPORTS = ("numpy", "pandas", "ipywidgets", "ipyleaflet", "bqplot", "pyarrow.parquet")
"""Imported by a kernel while it boots (most notebooks need them), before its notebook
arrives; no name is left in the notebook's namespace, only ``sys.modules`` is warm."""
ENGINE = "rouen-warm-kernel"


def _register_engine() -> None:
    """papermill's nbclient engine, run on a kernel started ahead of time (``km``)."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines

    class WarmKernelEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(
            cls, nb_man, kernel_name, start_timeout=60, execution_timeout=None, **kwargs
        ):
            kwargs.pop("input_path", None)
            client = PapermillNotebookClient(
                nb_man,
                timeout=execution_timeout,
                startup_timeout=start_timeout,
                kernel_name=kernel_name,
                log=log,
                **kwargs,
            )
            # The kernel is ours to stop, as if nbclient had started it.
            return client.execute(cleanup_kc=True)

    papermill_engines.register(ENGINE, WarmKernelEngine)


def start_kernel(job: dict):
    """A kernel for a job like ``job``, booting (and importing WARM_IMPORTS) in the
    background; None if it cannot start (the job then starts its own)."""
    from jupyter_client.manager import AsyncKernelManager
    from jupyter_core.utils import run_sync

    warm = "\n".join(f"import {name} as _rr_warm" for name in WARM_IMPORTS)
    manager = AsyncKernelManager(kernel_name=job["kernel_name"])
    try:
        run_sync(manager.start_kernel)(
            cwd=job["cwd"],
            extra_arguments=[f"--IPKernelApp.exec_lines={warm}\ndel _rr_warm"],
        )
    except Exception:  # noqa: BLE001 - papermill starts a kernel the usual way
        log.warning("could not start a kernel ahead of time", exc_info=True)
        return None
    manager.rouen_for = (job["kernel_name"], job["cwd"])
    return manager


def _usable(manager, job: dict) -> bool:
    from jupyter_core.utils import run_sync

    if manager.rouen_for != (job["kernel_name"], job["cwd"]):
        return False
    try:
        return bool(run_sync(manager.is_alive)())
    except Exception:  # noqa: BLE001 - not usable, then
        return False


def stop_kernel(manager) -> None:
    from jupyter_core.utils import run_sync

    try:
        run_sync(manager.shutdown_kernel)(now=True)
    except Exception:  # noqa: BLE001 - it dies with the worker anyway
        log.debug("spare kernel did not stop cleanly", exc_info=True)


def run(job: dict, kernel=None) -> dict:
    """Execute one job (on ``kernel`` if given); every failure becomes a result."""
    import papermill as pm

    start = time.monotonic()
    try:
        pm.execute_notebook(
            job["input"],
            job["output"],
            parameters=job["parameters"],
            kernel_name=job["kernel_name"],
            start_timeout=job.get("start_timeout", KERNEL_START_TIMEOUT),
            execution_timeout=job["timeout"],
            progress_bar=False,
            log_output=False,
            cwd=job["cwd"],
            report_mode=False,
            request_save_on_cell_execute=False,  # written once at the end: less CPU
            **({"engine_name": ENGINE, "km": kernel} if kernel is not None else {}),
        )
    except BaseException as exc:  # noqa: BLE001 - every failure is reported, none escapes
        message, detail = _error_summary(exc)
        timed_out = message.startswith("Temps d'exécution dépassé")
        return {
            "status": "timeout" if timed_out else "failed",
            "message": message,
            "detail": detail,
            "seconds": time.monotonic() - start,
            "kernel_not_ready": _kernel_did_not_start(exc),
        }
    return {"status": "ok", "message": "", "detail": "", "seconds": time.monotonic() - start}


def run_once_more_if_not_started(job: dict, kernel=None) -> dict:
    """``run``, and when the kernel never answered (a kernel booting on a loaded machine,
    or one stuck at start), once more on a kernel papermill starts itself: nothing of the
    notebook ran, so running it again changes nothing but the outcome."""
    result = run(job, kernel)
    if not result.pop("kernel_not_ready", False):
        return result
    log.warning("%s: the kernel did not answer at start; running once more", job["input"])
    if kernel is not None:
        stop_kernel(kernel)
    again = run(job, None)
    again.pop("kernel_not_ready", None)
    again["seconds"] += result["seconds"]
    return again


_PAGES: dict[str, object] = {}


def render_page(spec: dict, executed: Path) -> str:
    """Render the executed notebook's page body into the page cache; '' or the error."""
    from .assets import WidgetAssets
    from .pages import PageBodies

    try:
        config = json.dumps([spec["cache_dir"], spec["templates_dir"], spec["widgets"]])
        if config not in _PAGES:
            _PAGES[config] = PageBodies(
                Path(spec["cache_dir"]),
                Path(spec["templates_dir"]),
                WidgetAssets(**spec["widgets"]),
            )
        _PAGES[config].body(spec["slug"], executed, spec["title"])  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - the build renders it again and reports there
        return traceback.format_exc()[-4000:]
    return ""


def write_result(path: Path, result: dict) -> None:
    """Write the result file in one step: the parent never reads half a file."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(result), encoding="utf-8")
    os.replace(tmp, path)


def main() -> int:
    logging.basicConfig(level=logging.WARNING)
    import papermill  # noqa: F401 - paid once, before the first job arrives

    _register_engine()
    spare = None
    for line in sys.stdin:
        if not line.strip():
            continue
        job = json.loads(line)
        kernel, spare = spare, None
        if kernel is not None and not _usable(kernel, job):
            stop_kernel(kernel)
            kernel = None
        kernel = kernel or start_kernel(job)
        if job.get("spare_kernel", True):
            # The next job's kernel boots while this one runs (same kernel and folder assumed).
            spare = start_kernel(job)
        result = {**run_once_more_if_not_started(job, kernel), "worker": os.getpid()}
        if result["status"] == "ok" and job.get("render"):
            result["render_error"] = render_page(job["render"], Path(job["output"]))
        write_result(Path(job["result"]), result)
    if spare is not None:
        stop_kernel(spare)
    return 0


if __name__ == "__main__":
    sys.exit(main())
