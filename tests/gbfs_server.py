"""A loopback GBFS system for the tests: ``gbfs.json`` and its feeds over real HTTP.

Serves the Lovélo snapshot's ``station_information`` and ``station_status`` with a
``last_updated`` the test chooses (fresh by default, or stale) and a discovery file
pointing at this server. Faults: a feed left out of ``gbfs.json``, a file answered with
bytes that are not JSON, a file answered with 404. Every request's path is recorded.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FEEDS = ("station_information", "station_status")
TTL = 60


@dataclass
class GbfsSystem:
    """What the server answers; tests change it between requests."""

    folder: Path
    """Folder holding the snapshot's ``<feed>.json`` files."""
    last_updated: int = field(default_factory=lambda: int(time.time()) - 120)
    ttl: int = TTL
    unlisted: set[str] = field(default_factory=set)
    """Feeds left out of ``gbfs.json``."""
    not_json: set[str] = field(default_factory=set)
    """Files (``gbfs``, ``station_status``…) answered with bytes that are not JSON."""
    missing: set[str] = field(default_factory=set)
    """Files answered with 404."""
    requests: list[str] = field(default_factory=list)
    url: str = ""

    def body(self, name: str) -> bytes:
        if name == "gbfs":
            feeds = [
                {"name": feed, "url": f"{self.url}/{feed}.json"}
                for feed in FEEDS
                if feed not in self.unlisted
            ]
            payload = {"data": {"fr": {"feeds": feeds}}}
        else:
            payload = json.loads((self.folder / f"{name}.json").read_text(encoding="utf-8"))
        payload.update(last_updated=self.last_updated, ttl=self.ttl, version="2.3")
        return json.dumps(payload).encode()


def _handler(system: GbfsSystem) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            system.requests.append(self.path)
            name = self.path.strip("/").removesuffix(".json")
            if name in system.missing or name not in ("gbfs", *FEEDS):
                self.send_error(404)
                return
            body = b"{not json" if name in system.not_json else system.body(name)
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    return Handler


@contextmanager
def serve_gbfs(folder: Path) -> Iterator[GbfsSystem]:
    """A GBFS system on 127.0.0.1 (free port) for the duration of the block."""
    system = GbfsSystem(folder)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(system))
    system.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield system
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
