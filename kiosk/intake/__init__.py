"""The light intake queue: register, check, hand over and give back applications (seed steps 1–7)."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Send the applicant's notices after the commit that made them due."""
    from .notifications import install_commit_hook

    install_commit_hook()
