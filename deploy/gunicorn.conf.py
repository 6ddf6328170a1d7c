"""gunicorn settings for Okienko behind nginx (docs/deploy.md). Values come from the environment file.

    gunicorn --config deploy/gunicorn.conf.py "kiosk:create_app()"

Graceful restarts: `systemctl reload okienko` (SIGHUP) starts new workers with the new code and lets the
old ones finish their requests (up to graceful_timeout). Workers are recycled after max_requests so a
slow leak cannot grow without bound.
"""

import json
import os
import shutil
from datetime import UTC, datetime

from gunicorn.glogging import Logger

bind = os.environ.get("OKIENKO_BIND", "127.0.0.1:8000")
# Two workers per core measured best on the reference 2-core machine (docs/web.md, bench/web.py).
workers = int(os.environ.get("OKIENKO_WORKERS", str(max(2, os.cpu_count() or 1))))
worker_class = "gthread"
threads = int(os.environ.get("OKIENKO_THREADS", "1"))
keepalive = 5
timeout = int(os.environ.get("OKIENKO_WORKER_TIMEOUT", "30"))  # a stuck worker is killed and replaced
graceful_timeout = 30
max_requests = 5000
max_requests_jitter = 500
preload_app = False  # each worker imports the app itself: a reload picks up new code
forwarded_allow_ips = "127.0.0.1,::1"
proxy_allow_ips = "127.0.0.1,::1"
control_socket_disable = True  # gunicorn 27 would otherwise open ~/.gunicorn/gunicorn.ctl
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# One JSON object per request on stdout (journald), with the request id nginx set and the app answered.
accesslog = os.environ.get("OKIENKO_ACCESS_LOG", "-")
errorlog = "-"


class JsonAccessLogger(Logger):
    """Access log lines as JSON built with json.dumps, so a quote in a user agent cannot break a line."""

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        atoms = self.atoms(resp, req, environ, request_time)
        entry = {
            "ts": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "event": "access",
            "request_id": atoms.get("{x-request-id}o", ""),
            "remote": atoms.get("{x-forwarded-for}i") or atoms["h"],
            "method": atoms["m"],
            "path": atoms["U"],
            "query": atoms["q"],
            "status": int(atoms["s"]),
            "bytes": atoms["B"],
            "duration_ms": atoms["M"],
            "agent": atoms["a"],
            "worker": os.getpid(),
        }
        self.access_log.info(json.dumps(entry, ensure_ascii=False))


logger_class = JsonAccessLogger


def on_starting(server):
    """Start every run with an empty metrics directory (values of dead workers from the last run go)."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        shutil.rmtree(directory, ignore_errors=True)
        os.makedirs(directory, exist_ok=True)


def child_exit(server, worker):
    """A worker's gauges die with it; its counters stay and keep counting in the totals."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
