"""``deploy/reutilisations.nginx.conf`` made runnable on loopback (tests, bench).

``deploy_config(tmp, site, voila_ports, port)`` writes a minimal ``nginx.conf`` in ``tmp``
that includes the deploy file as it is, with only its paths (the built site, the deploy
folder) and ports (its own, the Voilà processes') replaced. The brotli module is loaded
when Debian's ``libnginx-mod-http-brotli-static`` is installed, else ``brotli_static`` is
left out.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"
BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")


def deploy_config(
    tmp: Path,
    site: Path,
    voila_ports: Sequence[int],
    port: int,
    *,
    workers: str = "1",
    connections: int = 256,
    access_log: bool = True,
) -> Path:
    """The deploy file with these paths and ports, inside a minimal nginx.conf."""
    server = (DEPLOY / "reutilisations.nginx.conf").read_text(encoding="utf-8")
    upstreams = "".join(f"    server 127.0.0.1:{p};\n" for p in voila_ports)
    server = server.replace("    server 127.0.0.1:8866;\n    server 127.0.0.1:8867;\n", upstreams)
    server = server.replace("listen 80;", f"listen 127.0.0.1:{port};")
    server = server.replace("root /srv/reutilisations/_site;", f"root {site};")
    server = server.replace("root /srv/reutilisations/deploy;", f"root {DEPLOY};")
    modules = ""
    if BROTLI_MODULE.exists():
        modules = f"load_module {BROTLI_MODULE};\n"
    else:
        server = server.replace("    brotli_static on;\n", "")
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers must read the temp folders
    log = f"{tmp}/access.log" if access_log else "off"
    conf = tmp / "nginx.conf"
    conf.write_text(
        f"{modules}{user}worker_processes {workers};\npid {tmp}/nginx.pid;\n"
        f"error_log {tmp}/error.log;\nworker_rlimit_nofile {max(1024, 2 * connections)};\n"
        f"events {{ worker_connections {connections}; }}\n"
        f"http {{\n  include /etc/nginx/mime.types;\n  access_log {log};\n"
        f"  client_body_temp_path {tmp}/body;\n  proxy_temp_path {tmp}/proxy;\n"
        f"  fastcgi_temp_path {tmp}/fastcgi;\n  uwsgi_temp_path {tmp}/uwsgi;\n"
        f"  scgi_temp_path {tmp}/scgi;\n{server}\n}}\n",
        encoding="utf-8",
    )
    return conf
