"""Search: a Whoosh index tuned for Polish, hidden behind `kiosk.search.services`.

Nothing outside this package imports `whoosh`.
"""

from flask import Flask


def init_app(app: Flask) -> None:
    """Keep the index in step with the change log after every commit."""
    from .sync import install_commit_hook

    install_commit_hook()
    app.extensions["search"] = None  # the index handle is opened lazily, per process
