"""Rendered public pages shared by every process: the page store (`store.py`) and rendering into it (`services.py`)."""


def init_app(app) -> None:
    from .services import install_commit_hook
    from .store import deployed_code

    install_commit_hook()
    deployed_code()  # the files this process loaded, read now: a checkout under a running worker must not count
