"""Work that must not hold up the person who caused it: e-mail and SMS after a commit.

Inside a web request, `defer` hands the work to one background thread of this process, so an SMTP server
that hangs (up to its timeout) or refuses never slows or breaks an editor's submit or a clerk's step: the
page answers at once. Outside a request (the CLI, the daily runs) the work runs at once, since the operator
waits for it anyway. The work runs in its own application context and never raises: a failure is logged.

A process stopped before the thread ran loses the work: intake notices are logged only once accepted, so
`flask intake remind` sends them later; workflow e-mail is a courtesy (the inbox is where work waits).
Python joins the thread on a normal exit, so a graceful restart sends what is queued.
"""

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait

from flask import current_app, has_request_context

log = logging.getLogger(__name__)
_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="okienko-background")
_pending: set[Future] = set()
_lock = threading.Lock()


def defer(fn: Callable, *args) -> None:
    """Run `fn(*args)` after the response is under way (in a request), else now."""
    if not has_request_context():
        fn(*args)
        return
    app = current_app._get_current_object()

    def run():
        with app.app_context():
            try:
                fn(*args)
            except Exception:  # the step is committed; this only loses (or delays) a message
                log.exception("background %s failed", getattr(fn, "__qualname__", fn))

    future = _executor.submit(run)
    with _lock:
        _pending.add(future)
    future.add_done_callback(_forget)


def _forget(future: Future) -> None:
    with _lock:
        _pending.discard(future)


def wait_for_background(timeout: float = 60) -> bool:
    """Wait until the work deferred so far has run (tests, before reading the mailbox); True when done."""
    with _lock:
        pending = list(_pending)
    return not wait(pending, timeout).not_done
