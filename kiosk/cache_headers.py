"""Cache-Control for public responses, one rule for the website, the kiosk and the API."""

from functools import lru_cache

from flask import Response, current_app


@lru_cache(maxsize=64)
def _public_value(max_age: int, shared: int, stale: int) -> str:
    return f"public, max-age={max_age}, s-maxage={shared}, stale-while-revalidate={stale}"


def public_cache_control(response: Response, max_age: int) -> None:
    """Browsers keep the response `max_age` seconds; a shared cache (nginx) only WEB_SHARED_MAX_AGE, then
    revalidates with the ETag, serving its stale copy at most WEB_SHARED_STALE_SECONDS longer meanwhile.

    The two shared values bound how long a publish takes to show through nginx (docs/deploy.md).
    """
    config = current_app.config
    shared, stale = config.get("WEB_SHARED_MAX_AGE", 5), config.get("WEB_SHARED_STALE_SECONDS", 5)
    if "Cache-Control" not in response.headers:  # the usual case: one header written, not parsed and re-dumped
        response.headers["Cache-Control"] = _public_value(max_age, shared, stale)
        return
    response.cache_control.public = True
    response.cache_control.max_age = max_age
    response.cache_control.s_maxage = shared
    response.cache_control.stale_while_revalidate = stale
