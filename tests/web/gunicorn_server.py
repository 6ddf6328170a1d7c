"""The production command (gunicorn with its worker timeout) on a free loopback port, for header tests."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
PUBLIC = "https://okienko.example"
# The documented production flags (README, docs/web.md), on one worker to spare the test machine.
FLAGS = ["-w", "1", "-k", "gthread", "--threads", "2", "--keep-alive", "5", "--timeout", "30",
         "--graceful-timeout", "10", "--limit-request-line", "8190"]  # fmt: skip


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Gunicorn:
    def __init__(self, database_url: str, index_dir: Path, **env):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "KIOSK_ENV": "production", "KIOSK_SECRET_KEY": "k" * 48,
                    "KIOSK_PUBLIC_URL": PUBLIC, "KIOSK_DATABASE_URL": database_url,
                    "KIOSK_INDEX_DIR": str(index_dir), "KIOSK_PAGE_STORE_DIR": str(index_dir.with_name("pages")),
                    **env}  # fmt: skip
        self.process = None

    def start(self, log: Path) -> "Gunicorn":
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.log = log.open("wb")
        self.process = subprocess.Popen([str(gunicorn), *FLAGS, "-b", f"127.0.0.1:{self.port}", "kiosk:create_app()"],
                                        cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT)  # fmt: skip
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {log.read_text()[-2000:]}")
            try:
                urllib.request.urlopen(f"{self.url}/healthz", timeout=2)
                return self
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"gunicorn did not start: {log.read_text()[-2000:]}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.log.close()
