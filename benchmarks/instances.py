"""Two `learning serve` instances on one PostgreSQL database, behind nginx.

Looks like one `Server` to the harness: `base` is nginx, and CPU and memory are the
sums over both instances (nginx itself is counted apart, as the load balancer).
"""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import httpx
from server import Server, free_port

NGINX_CONF = """\
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    upstream learning {{
{servers}
        keepalive 64;
    }}
    server {{
        listen 127.0.0.1:{port};
        client_max_body_size 12m;
        location / {{
            proxy_pass http://learning;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_buffering off;
        }}
    }}
}}
"""


def nginx_binary() -> str:
    found = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )
    if found is None:
        raise RuntimeError("nginx fehlt: scripts/install-test-deps installiert Debians Paket nginx")
    return found


class Balanced:
    def __init__(self, instances: list[Server], folder: Path) -> None:
        self.instances = instances
        self.folder = folder
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.first_request_s = 0.0
        self._nginx: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 30.0) -> None:
        for instance in self.instances:
            instance.start(timeout)
        self.first_request_s = max(i.first_request_s for i in self.instances)
        self.folder.mkdir(parents=True, exist_ok=True)
        servers = "\n".join(f"        server 127.0.0.1:{i.port};" for i in self.instances)
        conf = self.folder / "nginx.conf"
        conf.write_text(NGINX_CONF.format(folder=self.folder, servers=servers, port=self.port))
        self._nginx = subprocess.Popen(
            [nginx_binary(), "-c", str(conf), "-p", str(self.folder), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            try:
                if httpx.get(self.base + "/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.05)
        raise RuntimeError("nginx did not answer within the timeout")

    def cpu_seconds(self) -> float:
        return sum(i.cpu_seconds() for i in self.instances)

    def rss_mb(self) -> float:
        return sum(i.rss_mb() for i in self.instances)

    def peak_rss_mb(self) -> float:
        return max(i.peak_rss_mb() for i in self.instances)

    def window_start(self) -> float:
        return sum(i.window_start() for i in self.instances)

    def window_peak_mb(self) -> float:
        return sum(i.window_peak_mb() for i in self.instances)

    def stop(self) -> None:
        if self._nginx is not None and self._nginx.poll() is None:
            self._nginx.terminate()
            try:
                self._nginx.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._nginx.kill()
        for instance in self.instances:
            instance.stop()
