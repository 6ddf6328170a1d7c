"""Run deploy/nginx/okienko.conf for real on loopback: certificates, cache and logs under tmp_path."""

import http.client
import os
import shutil
import socket
import ssl
import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest import REPO

SITE = REPO / "deploy" / "nginx" / "okienko.conf"


def nginx_binary() -> str:
    path = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if path is None:
        pytest.fail("nginx is not installed: run `make system-deps` (apt-get install nginx)")
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def make_certificate(directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate for okienko.plock.eu, valid for a day."""
    cert, key = directory / "fullchain.pem", directory / "privkey.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                    "/CN=okienko.plock.eu", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True, timeout=60)  # fmt: skip
    return cert, key


def render_site(tmp_path: Path, upstreams: list[str], https_port: int, http_port: int) -> Path:
    """The site file with this machine's paths and ports; nothing else is changed."""
    certs = tmp_path / "certs"
    certs.mkdir()
    make_certificate(certs)
    text = SITE.read_text()
    servers = "".join(f"    server {u} max_fails=3 fail_timeout=10s;\n" for u in upstreams)
    replacements = {
        "    server 127.0.0.1:8000 max_fails=3 fail_timeout=10s;\n": servers,
        "/etc/letsencrypt/live/okienko.plock.eu/": f"{certs}/",
        "/var/cache/nginx/okienko": str(tmp_path / "cache"),
        "/var/www/letsencrypt": str(tmp_path / "acme"),
        "/opt/okienko/": f"{REPO}/",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
        "listen [::]:443 ssl http2;": "",
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen [::]:80;": "",
    }
    for old, new in replacements.items():
        assert old in text, f"{old!r} is no longer in {SITE.name}: update tests/ops/nginx.py"
        text = text.replace(old, new)
    site = tmp_path / "okienko.conf"
    site.write_text(text)
    conf = tmp_path / "nginx.conf"
    # Under root the workers would become "nobody", who cannot enter tmp_path: keep them as this user.
    user = "user root;" if os.geteuid() == 0 else ""
    conf.write_text(f"""
{user}
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/error.log warn;
worker_processes 1;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {tmp_path}/access.log;
    client_body_temp_path {tmp_path}/body;
    proxy_temp_path {tmp_path}/proxy;
    fastcgi_temp_path {tmp_path}/fastcgi;
    uwsgi_temp_path {tmp_path}/uwsgi;
    scgi_temp_path {tmp_path}/scgi;
    include {site};
}}
""")
    return conf


def check_config(conf: Path) -> subprocess.CompletedProcess:
    prefix = conf.parent
    return subprocess.run([nginx_binary(), "-t", "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "error.log")],
                          capture_output=True, text=True, timeout=30)  # fmt: skip


class Nginx:
    """nginx in the foreground as a child of the test; stopped by its own pid."""

    def __init__(self, conf: Path, port: int):
        self.conf, self.port = conf, port
        prefix = str(conf.parent)
        self.process = subprocess.Popen([nginx_binary(), "-p", prefix, "-c", str(conf), "-e", f"{prefix}/error.log",
                                         "-g", "daemon off;"], stderr=subprocess.DEVNULL)  # fmt: skip
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("nginx did not start: " + (conf.parent / "error.log").read_text())

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


class Proxy:
    def __init__(self, port: int):
        self.port = port
        self.context = ssl.create_default_context()
        self.context.check_hostname = False
        self.context.verify_mode = ssl.CERT_NONE

    def get(self, path: str, **headers) -> http.client.HTTPResponse:
        conn = http.client.HTTPSConnection("127.0.0.1", self.port, context=self.context, timeout=10)
        conn.request("GET", path, headers={"Host": "okienko.plock.eu", **headers})
        response = conn.getresponse()
        response.body = response.read()
        conn.close()
        return response
