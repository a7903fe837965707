"""Execute one notebook with papermill in its own process (``python -m rouen_gallery.worker``).

The parent passes a JSON job on stdin and reads a JSON result from the result file;
running each notebook in its own process session lets the parent kill a hung run
(and its kernel, which exits when its parent process dies).
"""

from __future__ import annotations

import json
import logging
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


def main() -> int:
    logging.basicConfig(level=logging.WARNING)
    job = json.loads(sys.stdin.read())
    result = run(job)
    Path(job["result"]).write_text(json.dumps(result), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
