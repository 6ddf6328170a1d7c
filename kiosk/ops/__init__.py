"""Running Okienko in production: proxy trust, request ids and JSON logs, metrics, backups.

Deployment files live in deploy/ and are explained in docs/deploy.md.
"""

from flask import Flask


def init_app(app: Flask) -> None:
    """Wire the cross-cutting production pieces into the app (called first by the factory)."""
    from . import assets, instruments, logs, proxy

    proxy.init_app(app)
    logs.init_app(app)
    instruments.init_app(app)
    assets.init_app(app)
