"""Rendered public pages shared by every process: the page store (`store.py`) and rendering into it (`services.py`)."""


def init_app(app) -> None:
    from .services import install_commit_hook

    install_commit_hook()
