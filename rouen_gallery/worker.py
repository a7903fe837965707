"""A long-lived notebook worker (``python -m rouen_gallery.worker``).

The parent starts one worker per parallel slot, each in its own process session, and
writes one JSON job per line on its stdin; the worker runs them one after the other
with papermill, renders the page body of each success into the page cache (so
nbconvert runs in parallel too) and writes each result atomically to the job's
result file. Importing
papermill costs about 2 s of CPU: a worker pays it once per build, not once per notebook.

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
    return f"Exécution impossible : {name} — {exc}"[:500], traceback.format_exc()[-4000:]


def run(job: dict) -> dict:
    """Execute one job; every failure becomes a result, none escapes."""
    import papermill as pm

    start = time.monotonic()
    try:
        pm.execute_notebook(
            job["input"],
            job["output"],
            parameters=job["parameters"],
            kernel_name=job["kernel_name"],
            execution_timeout=job["timeout"],
            progress_bar=False,
            log_output=False,
            cwd=job["cwd"],
            report_mode=False,
        )
    except BaseException as exc:  # noqa: BLE001 - every failure is reported, none escapes
        message, detail = _error_summary(exc)
        timed_out = message.startswith("Temps d'exécution dépassé")
        return {
            "status": "timeout" if timed_out else "failed",
            "message": message,
            "detail": detail,
            "seconds": time.monotonic() - start,
        }
    return {"status": "ok", "message": "", "detail": "", "seconds": time.monotonic() - start}


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

    for line in sys.stdin:
        if not line.strip():
            continue
        job = json.loads(line)
        result = {**run(job), "worker": os.getpid()}
        if result["status"] == "ok" and job.get("render"):
            result["render_error"] = render_page(job["render"], Path(job["output"]))
        write_result(Path(job["result"]), result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
