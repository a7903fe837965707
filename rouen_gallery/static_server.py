"""A small HTTP server for the built site that sends its pre-compressed files, as nginx does.

For the browser tests and the page bench, which measure what a visitor downloads: a
request accepting brotli (or gzip) gets ``file.br`` (or ``file.gz``) when the build wrote
one, with ``Content-Encoding`` and the original file's type; files whose name carries a
content hash are sent with a year-long, immutable cache lifetime. Loopback only; a real
deployment uses ``deploy/nginx.conf``.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

log = logging.getLogger(__name__)

HASHED = re.compile(r"[.-][0-9a-f]{10}[./]")
"""A path with a content hash in a file or folder name (see :mod:`rouen_gallery.assets`)."""
IMMUTABLE = "public, max-age=31536000, immutable"


class PrecompressedHandler(SimpleHTTPRequestHandler):
    """Static files, pre-compressed variants preferred; quiet (logs at debug level)."""

    def send_head(self):  # noqa: D102 - http.server hook
        path = Path(self.translate_path(self.path))
        accepted = self.headers.get("Accept-Encoding", "")
        if path.is_file():
            for encoding, suffix in (("br", ".br"), ("gzip", ".gz")):
                variant = path.with_name(path.name + suffix)
                if encoding in accepted and variant.is_file():
                    return self._send_file(path, variant, encoding)
        return super().send_head()

    def _send_file(self, original: Path, variant: Path, encoding: str):
        handle = variant.open("rb")
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(original)))
        self.send_header("Content-Encoding", encoding)
        self.send_header("Content-Length", str(variant.stat().st_size))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return handle

    def end_headers(self) -> None:
        if HASHED.search(self.path):
            self.send_header("Cache-Control", IMMUTABLE)
        super().end_headers()

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - http.server's name
        log.debug("%s " + format, self.address_string(), *args)


@contextmanager
def serving(site: Path, port: int = 0) -> Iterator[str]:
    """Serve ``site`` on 127.0.0.1 in a thread; yields the base URL (``http://…/``)."""
    server = ThreadingHTTPServer(("127.0.0.1", port), partial(PrecompressedHandler, directory=site))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
