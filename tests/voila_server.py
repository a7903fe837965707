"""A Voilà server on a free loopback port, with the repository's config (tests, bench).

``with run_voila(folder, "--Class.trait=value") as server: server.url(...)``: starts
Voilà the way ``make serve`` does (:func:`rouen_gallery.serve.voila_command`), waits
until it answers, and stops it (and its kernels) on exit. Its log is kept in
``server.log_path`` so tests can check what reached the log.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from rouen_gallery.serve import voila_command

STARTUP_TIMEOUT = 60.0


@dataclass
class VoilaServer:
    """A running Voilà: its base URL, process and log file."""

    base_url: str
    process: subprocess.Popen
    log_path: Path

    def url(self, path: str = "/") -> str:
        return self.base_url + path

    @property
    def port(self) -> int:
        return int(self.base_url.rsplit(":", 1)[1])

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(server: VoilaServer) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"Voilà exited at startup:\n{server.log()[-3000:]}")
        try:
            with urllib.request.urlopen(server.url("/"), timeout=2):
                return
        except urllib.error.HTTPError:
            return  # it answers (e.g. 404 at / under a --Voila.base_url)
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise RuntimeError(f"Voilà did not answer within {STARTUP_TIMEOUT} s:\n{server.log()[-3000:]}")


WARM = "warm, waiting for a visitor"
"""Logged by rouen_gallery.live.read_parameters when a preheated kernel reaches it."""


def wait_for_pools(server: VoilaServer, kernels: int, timeout: float = 120.0) -> None:
    """Wait until ``kernels`` more preheated kernels have run up to read_parameters."""
    deadline = time.monotonic() + timeout
    while server.log().count(WARM) < kernels:
        if time.monotonic() > deadline:
            raise RuntimeError(f"kernel pools not filled in {timeout} s:\n{server.log()[-3000:]}")
        time.sleep(0.2)


@contextmanager
def run_voila(root: Path, *extra: str, env: dict[str, str] | None = None) -> Iterator[VoilaServer]:
    """Voilà serving ``root`` on a free port; ``extra`` options override the config."""
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="voila-log-") as tmp:
        log_path = Path(tmp) / "voila.log"
        with log_path.open("wb") as log_file:
            process = subprocess.Popen(
                voila_command(root, port, *extra),
                stdout=log_file,
                stderr=subprocess.STDOUT,
                env={**os.environ, **(env or {})},
                start_new_session=True,
            )
            server = VoilaServer(f"http://127.0.0.1:{port}", process, log_path)
            try:
                _wait_until_up(server)
                yield server
            finally:
                _stop(process)


def _stop(process: subprocess.Popen) -> None:
    """SIGTERM stops Voilà, which stops its kernels; killed if it takes too long.

    (Not SIGINT: a process started from a non-interactive shell's background job
    ignores it, and so does Voilà then.)
    """
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
