"""Freshness: no card silently goes out of date (states, dependency flags, checks, feedback, reminders)."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Install the flush listener that flags cards when a shared fact they depend on changes."""
    from . import dependencies  # noqa: F401  (registers the Session listeners)
