"""``build_gallery.py serve``: the live Voilà dashboards, with the repository's config.

Every Voilà setting is in ``gallery/voila/voila.py`` (template, preheated kernel pools,
kernel cap, idle culling, file rules); this module only points Voilà at it, at the
notebooks folder and at a port. Tests and the benchmark start Voilà the same way
(:func:`voila_command`).
"""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

from .settings import PROJECT_ROOT

log = logging.getLogger(__name__)

CONFIG_DIR = PROJECT_ROOT / "gallery" / "voila"
"""Folder of ``voila.py``, the one Voilà config file (and of the ``rouen`` template)."""
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
DEFAULT_PORT = 8866


def voila_command(root: Path = NOTEBOOKS_DIR, port: int = DEFAULT_PORT, *extra: str) -> list[str]:
    """The command line starting Voilà on ``root`` with the repository's config.

    ``extra`` are further Voilà options (``--Class.trait=value``), which win over the
    config file.
    """
    return [
        sys.executable,
        "-m",
        "voila",
        str(root),
        f"--port={port}",
        f"--Voila.config_file_paths={CONFIG_DIR}",
        *extra,
    ]


def serve(port: int = DEFAULT_PORT, root: Path = NOTEBOOKS_DIR) -> int:
    """Run Voilà in the foreground until interrupted; its exit status.

    Parameters
    ----------
    port
        Port on 127.0.0.1 (the config file binds loopback only).
    root
        Folder whose notebooks become dashboards.
    """
    command = voila_command(root, port)
    log.info("Starting Voilà: %s", " ".join(command))
    print(
        f"Tableaux de bord en direct : http://127.0.0.1:{port}/ "
        f"(dossier {root.name}/, réglages gallery/voila/voila.py). Ctrl+C pour arrêter."
    )
    process = subprocess.Popen(command, cwd=PROJECT_ROOT)
    try:
        return process.wait()
    except KeyboardInterrupt:
        # The terminal sent SIGINT to Voilà as well; let it stop its kernels.
        try:
            return process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            return process.wait()
